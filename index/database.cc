/* database.cc -- opening, closing and refreshing index handles. */
#include "handle.h"
#include "model.h"
#include "status.h"

#include <xapian.h>

#include <dirent.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <new>

namespace fouille
{

namespace
{

/* Refuse to create an index inside an existing directory that holds other
 * files: a mistyped --db pointing at the documents themselves must not
 * end up sprinkled with database files. */
void refuse_foreign_directory(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    DIR *dir = opendir(path);
    if (!dir)
        return; /* Xapian reports the real error */
    bool other = false, index = false;
    while (struct dirent *de = readdir(dir)) {
        const char *n = de->d_name;
        if (!std::strcmp(n, ".") || !std::strcmp(n, ".."))
            continue;
        if (!std::strncmp(n, "iam", 3))
            index = true; /* iamglass, iamchert, iamhoney */
        else
            other = true;
    }
    closedir(dir);
    if (other && !index)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             "the directory exists and holds files that are not an index; "
             "refusing to create an index in it");
}

/* A file of the database itself (glass): the tables, the version file,
 * the lock, changesets. */
bool xapian_file(const std::string &name)
{
    const std::string table = ".glass";
    return name == "iamglass" || name == "flintlock" ||
           name.compare(0, 7, "changes") == 0 ||
           (name.size() > table.size() &&
            name.compare(name.size() - table.size(), table.size(), table) ==
                0);
}

} // namespace

/* Whether db was written by an older fouille, whose analysis differs:
 * its documents must be indexed again. */
bool older_schema(Xapian::Database &db)
{
    std::string v = db.get_metadata(SCHEMA_KEY);
    return !v.empty() && v.size() <= 9 &&
           v.find_first_not_of("0123456789") == std::string::npos &&
           std::stol(v) < std::stol(SCHEMA_VERSION);
}

/* An index written by a newer fouille, or another application's Xapian
 * database, is not ours to read or write; one written by an older fouille
 * is read as it is, and emptied when opened for writing. */
void check_schema(Xapian::Database &db)
{
    std::string v = db.get_metadata(SCHEMA_KEY);
    if (v.empty()) {
        if (db.get_doccount() > 0)
            fail(FOUILLE_INDEX_VERSION,
                 "this Xapian database was not written by fouille");
        return;
    }
    if (v != SCHEMA_VERSION && !older_schema(db))
        fail(FOUILLE_INDEX_VERSION, "the index has schema version " + v +
                                        "; this build handles version " +
                                        SCHEMA_VERSION);
}

} // namespace fouille

extern "C" {

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_open(const char *path, fouille_index_mode_t mode,
                   fouille_index_t **out, char *errbuf, size_t errlen)
{
    return fouille_index_open_ex(path, mode, nullptr, out, errbuf, errlen);
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_open_ex(const char *path, fouille_index_mode_t mode,
                      const fouille_index_open_opts_t *opts,
                      fouille_index_t **out, char *errbuf, size_t errlen)
{
    if (out)
        *out = nullptr;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    std::string msg;
    try {
        if (!path || !*path || !out ||
            (mode != FOUILLE_INDEX_READ && mode != FOUILLE_INDEX_WRITE))
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                          "fouille_index_open: invalid argument");
        std::unique_ptr<fouille_index> idx(new fouille_index(mode));
        idx->path = path;
        std::string stub;
        if (mode == FOUILLE_INDEX_WRITE) {
            fouille::refuse_foreign_directory(path);
            idx->wdb =
                Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
            idx->db = idx->wdb;
            fouille::check_schema(idx->db);
            if (fouille::older_schema(idx->db)) {
                idx->wdb.close();
                idx->wdb = Xapian::WritableDatabase(
                    path, Xapian::DB_CREATE_OR_OVERWRITE);
                idx->db = idx->wdb;
            }
            if (idx->db.get_metadata(fouille::SCHEMA_KEY).empty()) {
                idx->wdb.set_metadata(fouille::SCHEMA_KEY,
                                      fouille::SCHEMA_VERSION);
                idx->wdb.commit();
            }
        } else if (fouille::find_stub(path, &stub)) {
            /* Shards opened one by one, with timeouts (shards.h). */
            idx->shards.reset(new fouille::ShardSet(
                opts ? opts->remote_timeout_ms : 0, opts && opts->partial_ok));
            idx->shards->load(stub);
            idx->shards->open(idx->db);
            if (idx->shards->missing()) {
                idx->error = idx->shards->missing_message();
                fouille::copy_message(idx->error, errbuf, errlen);
            }
        } else {
            idx->db = Xapian::Database(path);
            fouille::check_schema(idx->db);
        }
        *out = idx.release();
        return FOUILLE_INDEX_OK;
    } catch (...) {
        fouille_index_status_t st = fouille::current_exception_status(&msg);
        fouille::copy_message(msg, errbuf, errlen);
        return st;
    }
}

FOUILLE_INDEX_API void fouille_index_close(fouille_index_t *idx)
{
    if (!idx)
        return;
    if (idx->mode == FOUILLE_INDEX_WRITE) {
        try {
            idx->wdb.commit();
        } catch (...) {
            /* Documented: call fouille_index_commit() to see errors. */
        }
    }
    try {
        idx->db.close(); /* releases the write lock now */
    } catch (...) {
    }
    delete idx;
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_discard(fouille_index_t *idx)
{
    return fouille::guard(idx, [&] {
        if (!idx)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "no index handle");
        if (idx->mode != FOUILLE_INDEX_WRITE)
            fouille::fail(FOUILLE_INDEX_READ_ONLY,
                          "the index was opened read-only");
        /* An unflushed transaction, cancelled, discards what was pending
         * before it began too (Xapian's documented behaviour). */
        idx->wdb.begin_transaction(false);
        idx->wdb.cancel_transaction();
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API const char *
fouille_index_last_error(const fouille_index_t *idx)
{
    return idx ? idx->error.c_str() : "";
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_reopen(fouille_index_t *idx)
{
    return fouille::guard(idx, [&] {
        if (!idx)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "no index handle");
        if (idx->shards)
            idx->shards->reopen(idx->db);
        else
            idx->db.reopen();
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API void fouille_index_set_record_memo(fouille_index_t *idx,
                                                     size_t bytes)
{
    if (idx)
        idx->memo.set_record_budget(bytes);
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_compact(fouille_index_t *idx)
{
    return fouille::guard(idx, [&] {
        if (!idx)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "no index handle");
        if (idx->mode != FOUILLE_INDEX_WRITE)
            fouille::fail(FOUILLE_INDEX_READ_ONLY,
                          "the index was opened read-only");
        namespace fs = std::filesystem;
        const fs::path here(idx->path);
        const fs::path fresh = idx->path + ".compact";
        const fs::path old = idx->path + ".old";
        std::error_code ec;
        fs::remove_all(fresh, ec);
        fs::remove_all(old, ec);
        idx->wdb.commit();
        try {
            /* One source: document ids, and so the keys of the text
             * chunks (textstore.h), are kept. */
            idx->wdb.compact(fresh.string());
        } catch (...) {
            fs::remove_all(fresh, ec);
            throw;
        }
        /* Swap the folders; the write lock goes with the old files. */
        idx->db.close();
        fs::rename(here, old, ec);
        if (!ec) {
            fs::rename(fresh, here, ec);
            if (ec)
                fs::rename(old, here);
        }
        /* What else lives in the folder (the daemon's search analytics)
         * follows into the compacted one, unless a newer copy was written
         * there meanwhile; if the swap failed, it never moved. */
        if (!ec) {
            std::error_code each;
            for (const fs::directory_entry &e :
                 fs::directory_iterator(old, each)) {
                const std::string name = e.path().filename().string();
                if (fouille::xapian_file(name))
                    continue;
                if (e.is_directory(each)) {
                    if (!fs::exists(here / name, each))
                        fs::rename(e.path(), here / name, each);
                } else {
                    /* A hard link never replaces an existing name;
                     * where links are refused, a rename to a free one. */
                    fs::create_hard_link(e.path(), here / name, each);
                    if (each && each != std::errc::file_exists &&
                        !fs::exists(here / name, each))
                        fs::rename(e.path(), here / name, each);
                }
            }
        }
        std::error_code ignored;
        fs::remove_all(ec ? fresh : old, ignored);
        idx->wdb = Xapian::WritableDatabase(idx->path, Xapian::DB_OPEN);
        idx->db = idx->wdb;
        if (ec)
            fouille::fail(FOUILLE_INDEX_IO,
                          "cannot put the compacted index in place: " +
                              ec.message());
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_count(fouille_index_t *idx, uint64_t *out)
{
    if (out)
        *out = 0;
    return fouille::guard(idx, [&] {
        if (!idx || !out)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT, "invalid argument");
        *out = idx->db.get_termfreq(fouille::DOC_MARKER);
        return FOUILLE_INDEX_OK;
    });
}

} // extern "C"
