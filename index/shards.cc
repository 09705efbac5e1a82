/* shards.cc -- reading a stub database and keeping its shards connected
 * (see shards.h). */
#include "shards.h"

#include "model.h"

#include "status.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <system_error>
#include <thread>

namespace fouille
{

namespace
{

bool is_file(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/* A single-file index begins with Xapian's magic, like a glass table;
 * its size is a multiple of the smallest block size (2048). */
bool single_file_index(const std::string &path, const struct stat &st)
{
    if (st.st_size == 0 || st.st_size % 2048 != 0)
        return false;
    std::ifstream in(path, std::ios::binary);
    char magic[9];
    return in.read(magic, sizeof magic) &&
           std::memcmp(magic, "\x0f\x0dXapian ", sizeof magic) == 0;
}

std::string trim(const std::string &s)
{
    const char *ws = " \t\r\n\v\f";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos)
        return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

/* Paths in a stub are relative to the stub's folder. */
std::string resolve(const std::string &path, const std::string &stub)
{
    if (path.empty() || path[0] == '/')
        return path;
    size_t slash = stub.rfind('/');
    if (slash == std::string::npos)
        return path;
    return stub.substr(0, slash + 1) + path;
}

bool parse_port(const std::string &s, unsigned *port)
{
    if (s.empty() || s.size() > 5 ||
        s.find_first_not_of("0123456789") != std::string::npos)
        return false;
    unsigned long p = std::strtoul(s.c_str(), nullptr, 10);
    if (p < 1 || p > 65535)
        return false;
    *port = static_cast<unsigned>(p);
    return true;
}

/* "remote HOST:PORT", "remote [v6]:PORT", "remote tcp HOST PORT" (the
 * part after "remote ", trimmed) into s. */
bool parse_tcp(std::string rest, Shard &s)
{
    if (rest.compare(0, 4, "tcp ") == 0 || rest.compare(0, 4, "tcp\t") == 0)
        rest = trim(rest.substr(4));
    std::string host, port;
    size_t sp = rest.find_first_of(" \t");
    if (sp != std::string::npos) {
        host = rest.substr(0, sp);
        port = trim(rest.substr(sp));
    } else {
        size_t colon = rest.rfind(':');
        if (colon == std::string::npos)
            return false;
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty() || !parse_port(port, &s.port))
        return false;
    s.kind = Shard::TCP;
    s.where = host;
    s.name = (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
             ":" + port;
    return true;
}

/* Whether e says that our clock ran out waiting for a shard. A timeout
 * the server reports ("REMOTE:Timeout expired...": it closed a
 * connection idle for longer than its --idle-timeout) only means that the
 * connection is gone. Xapian's errors are not polymorphic: the type is
 * asked by name. */
bool local_timeout(const Xapian::Error &e)
{
    return std::strcmp(e.get_type(), "NetworkTimeoutError") == 0 &&
           e.get_msg().compare(0, 7, "REMOTE:") != 0;
}

/* Xapian's context of the errors of a TCP shard. */
std::string tcp_context(const Shard &s)
{
    return "remote:tcp(" + s.where + ":" + std::to_string(s.port) + ")";
}

} // namespace

bool find_stub(const std::string &path, std::string *stub)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        return false;
    if (S_ISREG(st.st_mode)) {
        if (single_file_index(path, st))
            return false;
        *stub = path;
        return true;
    }
    if (!S_ISDIR(st.st_mode))
        return false;
    for (const char *marker : {"/iamglass", "/iamhoney", "/iamchert"})
        if (is_file(path + marker))
            return false;
    if (!is_file(path + "/XAPIANDB"))
        return false;
    *stub = path + "/XAPIANDB";
    return true;
}

ShardSet::ShardSet(unsigned timeout_ms, bool partial)
    : timeout_ms_(timeout_ms ? timeout_ms : DEFAULT_REMOTE_TIMEOUT_MS),
      partial_(partial)
{
}

void ShardSet::load(const std::string &stub) { load(stub, 0); }

void ShardSet::load(const std::string &stub, unsigned depth)
{
    std::ifstream in(stub);
    if (!in) {
        int e = errno;
        fail(e == ENOENT ? FOUILLE_INDEX_NOT_FOUND : FOUILLE_INDEX_IO,
             "cannot read the stub database " + stub + ": " +
                 std::strerror(e));
    }
    std::string raw;
    unsigned line_no = 0;
    while (std::getline(in, raw)) {
        ++line_no;
        std::string line = trim(raw);
        if (line.empty() || line[0] == '#')
            continue;
        size_t sp = line.find_first_of(" \t");
        std::string type = line.substr(0, sp);
        std::string rest = sp == std::string::npos ? "" : trim(line.substr(sp));
        Shard s;
        std::string local;
        if ((type == "auto" || type == "glass") && !rest.empty()) {
            local = resolve(rest, stub);
            s.glass = type == "glass";
        } else if (type == "remote" && !rest.empty()) {
            if (rest[0] == ':') {
                size_t psp = rest.find_first_of(" \t");
                s.kind = Shard::PROG;
                s.where = rest.substr(1, psp == std::string::npos
                                             ? std::string::npos
                                             : psp - 1);
                if (psp != std::string::npos)
                    s.args = trim(rest.substr(psp));
                s.name = s.where;
                if (s.where.empty())
                    fail(FOUILLE_INDEX_NOT_FOUND,
                         stub + ":" + std::to_string(line_no) + ": bad line");
            } else if (!parse_tcp(rest, s)) {
                fail(FOUILLE_INDEX_NOT_FOUND,
                     stub + ":" + std::to_string(line_no) +
                         ": bad line (expected remote HOST:PORT)");
            }
        } else if (type == "inmemory" && rest.empty()) {
            s.kind = Shard::INMEMORY;
            s.name = "inmemory";
        } else {
            /* A plain path: only one that exists, so that a file never
             * meant as a stub is refused rather than read line by line. */
            struct stat st;
            local = resolve(line, stub);
            if (stat(local.c_str(), &st) != 0)
                fail(FOUILLE_INDEX_NOT_FOUND,
                     stub + ":" + std::to_string(line_no) + ": bad line");
        }
        if (!local.empty()) {
            std::string nested;
            if (!s.glass && find_stub(local, &nested)) {
                if (depth + 1 >= STUB_DEPTH_MAX)
                    fail(FOUILLE_INDEX_NOT_FOUND,
                         stub + ":" + std::to_string(line_no) +
                             ": stub databases nested too deep");
                load(nested, depth + 1);
                continue;
            }
            s.kind = Shard::LOCAL;
            s.where = local;
            s.name = local;
        }
        shards_.push_back(std::move(s));
    }
    if (in.bad())
        fail(FOUILLE_INDEX_IO, "cannot read the stub database " + stub);
}

void ShardSet::connect(Shard &s)
{
    s.up = false;
    s.db = Xapian::Database(); /* drop the old connection first */
    switch (s.kind) {
    case Shard::LOCAL:
        s.db = s.glass ? Xapian::Database(s.where, Xapian::DB_BACKEND_GLASS)
                       : Xapian::Database(s.where);
        break;
    case Shard::TCP:
        s.db = Xapian::Remote::open(s.where, s.port, timeout_ms_, timeout_ms_);
        break;
    case Shard::PROG:
        s.db = Xapian::Remote::open(s.where, s.args, timeout_ms_);
        break;
    case Shard::INMEMORY:
        s.db = Xapian::Database(std::string(), Xapian::DB_BACKEND_INMEMORY);
        break;
    }
    check_schema(s.db);
    s.up = true;
    s.why.clear();
}

void ShardSet::set_aside(Shard &s, const std::string &why,
                         fouille_index_status_t st)
{
    s.up = false;
    s.db = Xapian::Database();
    s.why = why;
    if (!partial_)
        fail(st, "shard " + s.name +
                     (st == FOUILLE_INDEX_NETWORK ? " did not answer: " : ": ") +
                     why);
}

bool ShardSet::try_connect(Shard &s)
{
    std::string why;
    fouille_index_status_t st;
    try {
        connect(s);
        return true;
    } catch (...) {
        st = current_exception_status(&why);
    }
    set_aside(s, why, st);
    return false;
}

void ShardSet::rebuild(Xapian::Database &db) const
{
    Xapian::Database all;
    for (const Shard &s : shards_)
        if (s.up)
            all.add_database(s.db);
    db = all;
}

void ShardSet::open(Xapian::Database &db)
{
    try {
        for (Shard &s : shards_)
            try_connect(s);
    } catch (...) {
        rebuild(db);
        throw;
    }
    last_retry_ = last_refresh_ = Clock::now();
    rebuild(db);
}

unsigned ShardSet::missing() const
{
    unsigned n = 0;
    for (const Shard &s : shards_)
        n += !s.up;
    return n;
}

std::string ShardSet::missing_message() const
{
    unsigned n = missing();
    if (!n)
        return "";
    std::string m = std::to_string(n) + " of " +
                    std::to_string(shards_.size()) +
                    (shards_.size() == 1 ? " shard" : " shards") +
                    " did not answer:";
    const char *sep = " ";
    for (const Shard &s : shards_) {
        if (s.up)
            continue;
        m += sep + s.name + " (" + s.why + ")";
        sep = "; ";
    }
    return m;
}

bool ShardSet::retry_missing()
{
    bool changed = false;
    try {
        for (Shard &s : shards_)
            if (!s.up)
                changed |= try_connect(s);
    } catch (...) {
        last_retry_ = Clock::now();
        throw;
    }
    last_retry_ = Clock::now();
    return changed;
}

void ShardSet::refresh(bool changed, Xapian::Database &db)
{
    try {
        last_refresh_ = Clock::now();
        for (Shard &s : shards_) {
            if (!s.up)
                continue;
            std::string why;
            fouille_index_status_t st;
            bool timeout = false;
            try {
                const std::string was = s.db.get_uuid();
                s.db.reopen();
                /* A shard compacted or replaced in place has another
                 * UUID, and revision numbers that start again: a reopen
                 * that sees the revision it had may keep the old files
                 * (with the new statistics). Connect to it afresh. */
                if (!was.empty() && s.db.get_uuid() != was) {
                    changed = true;
                    try_connect(s);
                }
                continue;
            } catch (const Xapian::Error &e) {
                timeout = local_timeout(e);
                st = current_exception_status(&why);
            } catch (...) {
                st = current_exception_status(&why);
            }
            changed = true;
            /* A broken connection (a restarted server) is worth one new
             * attempt; a shard that let the clock run out is not. */
            if (timeout || !s.remote() || st != FOUILLE_INDEX_NETWORK)
                set_aside(s, why, st);
            else
                try_connect(s);
        }
    } catch (...) {
        rebuild(db);
        throw;
    }
    if (changed)
        rebuild(db);
}

void ShardSet::before_search(Xapian::Database &db)
{
    Clock::time_point now = Clock::now();
    Clock::duration since = now - last_retry_;
    unsigned miss = missing();
    bool changed = false;
    /* While no shard answers, every search tries again, but not twice in
     * a row within REFRESH_MS (e.g. right after the open). */
    if (miss && (!partial_ || since >= std::chrono::milliseconds(RETRY_MS) ||
                 (miss == shards_.size() &&
                  since >= std::chrono::milliseconds(REFRESH_MS)))) {
        try {
            changed = retry_missing();
        } catch (...) {
            rebuild(db);
            throw;
        }
    }
    if (now - last_refresh_ >= std::chrono::milliseconds(REFRESH_MS))
        refresh(changed, db);
    else if (changed)
        rebuild(db);
    if (!shards_.empty() && missing() == shards_.size())
        fail(FOUILLE_INDEX_NETWORK, "no shard answered: " + missing_message());
}

void ShardSet::reopen(Xapian::Database &db)
{
    bool changed = false;
    try {
        changed = retry_missing();
    } catch (...) {
        rebuild(db);
        throw;
    }
    refresh(changed, db);
}

bool ShardSet::parallel() const
{
    size_t remote = 0;
    for (const Shard &s : shards_)
        remote += s.up && s.remote();
    return remote >= 2;
}

template <class F> void ShardSet::in_parallel(F f) const
{
    std::vector<const Shard *> up;
    for (const Shard &s : shards_)
        if (s.up)
            up.push_back(&s);
    std::vector<std::exception_ptr> errors(up.size());
    auto run = [&](size_t k) {
        try {
            f(k, up[k]->db);
        } catch (...) {
            errors[k] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (size_t k = 1; k < up.size(); k++) {
        try {
            threads.emplace_back(run, k);
        } catch (const std::system_error &) {
            run(k); /* no thread to be had: in turn */
        }
    }
    if (!up.empty())
        run(0);
    for (std::thread &t : threads)
        t.join();
    for (const std::exception_ptr &e : errors)
        if (e)
            std::rethrow_exception(e);
}

void ShardSet::fetch_data(const std::vector<Xapian::docid> &ids,
                          std::vector<std::string> &out) const
{
    /* db's document id d is document (d - 1) / n + 1 of the shard
     * (d - 1) % n, counting those that answer in order, as rebuild()
     * added them. */
    const size_t n = shards_.size() - missing();
    out.assign(ids.size(), std::string());
    if (n == 0)
        return;
    in_parallel([&](size_t k, const Xapian::Database &db) {
        for (size_t i = 0; i < ids.size(); i++)
            if ((ids[i] - 1) % n == k)
                out[i] = stored_data(
                    db.get_document((ids[i] - 1) / n + 1));
    });
}

const Xapian::Database *ShardSet::locate(Xapian::docid did,
                                         Xapian::docid *local) const
{
    /* As fetch_data numbers them. */
    std::vector<const Shard *> up;
    for (const Shard &s : shards_)
        if (s.up)
            up.push_back(&s);
    if (up.empty() || did == 0)
        return nullptr;
    *local = (did - 1) / up.size() + 1;
    return &up[(did - 1) % up.size()]->db;
}

void ShardSet::list_terms(const std::vector<std::string> &prefixes,
                          std::vector<std::vector<std::string>> &out) const
{
    const size_t n = shards_.size() - missing();
    std::vector<std::vector<std::vector<std::string>>> per(n);
    in_parallel([&](size_t k, const Xapian::Database &db) {
        per[k].resize(prefixes.size());
        for (size_t i = 0; i < prefixes.size(); i++)
            for (Xapian::TermIterator t = db.allterms_begin(prefixes[i]);
                 t != db.allterms_end(prefixes[i]); ++t)
                per[k][i].push_back(*t);
    });
    out.assign(prefixes.size(), std::vector<std::string>());
    for (size_t i = 0; i < prefixes.size(); i++) {
        for (size_t k = 0; k < n; k++)
            out[i].insert(out[i].end(), per[k][i].begin(), per[k][i].end());
        std::sort(out[i].begin(), out[i].end());
        out[i].erase(std::unique(out[i].begin(), out[i].end()), out[i].end());
    }
}

void ShardSet::termfreqs(const std::vector<std::string> &terms,
                         std::vector<Xapian::doccount> &out) const
{
    const size_t n = shards_.size() - missing();
    std::vector<std::vector<Xapian::doccount>> per(
        n, std::vector<Xapian::doccount>(terms.size(), 0));
    in_parallel([&](size_t k, const Xapian::Database &db) {
        for (size_t i = 0; i < terms.size(); i++)
            per[k][i] = db.get_termfreq(terms[i]);
    });
    out.assign(terms.size(), 0);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < terms.size(); i++)
            out[i] += per[k][i];
}

void ShardSet::recover(const Xapian::NetworkError &e, Xapian::Database &db)
{
    const std::string ctx = e.get_context();
    const bool timeout = local_timeout(e);
    try {
        for (Shard &s : shards_) {
            if (!s.up || !s.remote())
                continue;
            if (timeout && s.kind == Shard::TCP && tcp_context(s) == ctx)
                set_aside(s, describe(e), FOUILLE_INDEX_NETWORK);
            else
                try_connect(s);
        }
    } catch (...) {
        rebuild(db);
        throw;
    }
    rebuild(db);
    if (!shards_.empty() && missing() == shards_.size())
        fail(FOUILLE_INDEX_NETWORK, "no shard answered: " + missing_message());
}

} // namespace fouille
