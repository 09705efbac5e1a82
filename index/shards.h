/* shards.h -- a read handle over a stub database: one Xapian::Database
 * made of shards opened one by one (internal).
 *
 * fouille reads a stub database itself rather than letting Xapian open it,
 * so that every remote shard gets the caller's timeout, and a shard that
 * does not answer can be named, set aside (partial_ok) and tried again.
 * The shards are then added to one Xapian::Database, as Xapian would: the
 * matcher sees global statistics (document count, lengths, term
 * frequencies), match spies merge the facet counts of every shard, and
 * the documents (stored data, hence snippets and pages) are fetched from
 * whichever shard holds them.
 *
 * Stub lines (Xapian's stub format, with two more spellings):
 *   # comment                 (and blank lines) ignored
 *   auto PATH                 a local index; PATH is relative to the
 *   glass PATH                stub's folder and may itself be a stub
 *                             (nested up to STUB_DEPTH_MAX levels)
 *   remote HOST:PORT          xapian-tcpsrv ("[::1]:PORT" for IPv6)
 *   remote tcp HOST PORT      the same
 *   remote :PROGRAM ARGS      xapian-progsrv, e.g. through ssh
 *   inmemory                  an empty database
 *   PATH                      any other line naming an existing file or
 *                             folder: a local index, as with auto
 * Anything else is a bad line (NOT_FOUND, "stub:LINE: bad line"; the
 * line itself is not repeated, as Xapian does not, in case the file was
 * never meant to be read as a stub).
 *
 * Timeouts: remote_timeout_ms bounds connecting to a remote shard and
 * each operation on it (Xapian::Remote::open's timeout and
 * connect_timeout). Name resolution is not bounded: use addresses, or
 * names the resolver answers locally.
 *
 * A shard that does not answer (or fails to open):
 *  - strict (partial_ok 0): the open, or the search, fails with NETWORK
 *    (or the shard's own status, e.g. NOT_FOUND for a missing local
 *    index), with a message naming the shard;
 *  - partial: the shard is set aside and the search runs again on the
 *    others; its results count the shards set aside. When no shard
 *    answers, the search fails with NETWORK. The open succeeds whatever
 *    answers (so that a front starts before its shards), with the names
 *    of the missing ones in errbuf and fouille_index_last_error().
 * After a network error during a search, every remote shard is connected
 * afresh (a reply may be left unread on any of them); a shard that timed
 * out is set aside without a second wait. A shard set aside is tried again
 * at the first search RETRY_MS after the last attempt (while none
 * answers, REFRESH_MS after; in strict mode, at every search), and at
 * fouille_index_reopen(). Each handle keeps its own shards: a daemon with
 * one handle per query thread pays a hung shard's timeout once per
 * thread and per RETRY_MS at most.
 *
 * Freshness: a handle on a stub brings every shard to its latest
 * revision at most every REFRESH_MS, before a search (one round trip per
 * remote shard), so a front that writes nothing still sees what the
 * shards' own writers commit. */
#ifndef FOUILLE_INDEX_SHARDS_H
#define FOUILLE_INDEX_SHARDS_H

#include "fouille-index.h"

#include <xapian.h>

#include <chrono>
#include <string>
#include <vector>

namespace fouille
{

constexpr unsigned DEFAULT_REMOTE_TIMEOUT_MS = 5000;
constexpr unsigned STUB_DEPTH_MAX = 8;
constexpr unsigned RETRY_MS = 10000;
constexpr unsigned REFRESH_MS = 1000;

/* If path names a stub database (a regular file that is not a
 * single-file index, or a folder holding a XAPIANDB stub), set *stub to
 * the stub file and return true. */
bool find_stub(const std::string &path, std::string *stub);

/* Refuse a database fouille did not write, or a newer schema (VERSION). */
void check_schema(Xapian::Database &db);

struct Shard {
    enum Kind { LOCAL, TCP, PROG, INMEMORY };
    Kind kind = LOCAL;
    bool glass = false; /* LOCAL: opened as a glass database */
    std::string where;  /* LOCAL: path; TCP: host; PROG: program */
    std::string args;   /* PROG: its arguments */
    unsigned port = 0;  /* TCP */
    std::string name;   /* for messages: path, host:port or program */
    Xapian::Database db;
    bool up = false;
    std::string why; /* why it is set aside */

    bool remote() const { return kind == TCP || kind == PROG; }
};

class ShardSet
{
  public:
    ShardSet(unsigned timeout_ms, bool partial);

    /* Read a stub file into the list of shards. Throws Failure
     * (NOT_FOUND for a bad line or an unreadable stub). */
    void load(const std::string &stub);

    /* Open every shard into db (see above for failures). */
    void open(Xapian::Database &db);

    /* Before a search: refresh, and retry the shards set aside, when due.
     * Strict: throws NETWORK while a shard is still missing. */
    void before_search(Xapian::Database &db);

    /* A search failed with e: reconnect the remote shards, setting aside
     * those that do not answer (strict: throw), and rebuild db. Throws
     * NETWORK when no shard is left. */
    void recover(const Xapian::NetworkError &e, Xapian::Database &db);

    /* Bring every shard to its latest revision and retry the missing ones
     * now (fouille_index_reopen). */
    void reopen(Xapian::Database &db);

    /* Whether asking the shards in threads of their own (below) is
     * worth it: two or more remote shards answer. Xapian 1.4 asks the
     * shards of a database in turn, one round trip each per term
     * frequency, term list or document. */
    bool parallel() const;

    /* The stored data of documents of the combined database (ids as db
     * numbers them), into out (same order), each shard's read in a
     * thread of its own. The first error is rethrown. */
    void fetch_data(const std::vector<Xapian::docid> &ids,
                    std::vector<std::string> &out) const;

    /* The shard holding document did of the combined database, and its
     * id there (*local); nullptr if no shard answers. */
    const Xapian::Database *locate(Xapian::docid did,
                                   Xapian::docid *local) const;

    /* For each prefix, the terms starting with it in any shard (sorted,
     * once each); for each term, its frequency summed over the shards:
     * what db would answer, with each shard asked in a thread of its own
     * (one round trip per shard and per prefix or term otherwise). */
    void list_terms(const std::vector<std::string> &prefixes,
                    std::vector<std::vector<std::string>> &out) const;
    void termfreqs(const std::vector<std::string> &terms,
                   std::vector<Xapian::doccount> &out) const;

    size_t size() const { return shards_.size(); }
    unsigned missing() const;
    /* "2 of 3 shards did not answer: host:port (NetworkError: ...); ..." */
    std::string missing_message() const;

  private:
    using Clock = std::chrono::steady_clock;

    void load(const std::string &stub, unsigned depth);
    void connect(Shard &s);
    bool try_connect(Shard &s);
    void set_aside(Shard &s, const std::string &why,
                   fouille_index_status_t st);
    void refresh(bool changed_already, Xapian::Database &db);
    bool retry_missing();
    void rebuild(Xapian::Database &db) const;
    /* Run f(k, db) for every shard k that answers, each in a thread of
     * its own (this one runs the first); rethrow the first error. */
    template <class F> void in_parallel(F f) const;

    std::vector<Shard> shards_;
    unsigned timeout_ms_;
    bool partial_;
    Clock::time_point last_retry_, last_refresh_;
};

} // namespace fouille

#endif
