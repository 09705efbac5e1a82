/* daemon.h -- the state of fouilled: its settings, the indexing pipeline
 * that keeps the index equal to the documents folder (pipeline.h), the
 * watches that feed it (watch.c), and the doors that answer searches
 * (http.c, sockserver.c) with their result cache (query.c).
 *
 * Everything here runs on the loop thread except the index writer
 * (writer.c) and the query threads (query.c). */
#ifndef FOUILLE_DAEMON_H
#define FOUILLE_DAEMON_H

#include "pipeline.h"
#include "scan.h"
#include "settings.h"
#include "shard.h"
#include "strmap.h"
#include "view.h"
#include "watch.h"

#include <stdatomic.h>
#include <stdint.h>
#include <uv.h>

struct fouille__analytics;
struct fouille__analytics_saver;
struct fouille__http;
struct fouille__sockserver;

struct fouille__daemon {
    uv_loop_t *loop;
    struct fouille__config cfg;
    fouille_synonyms_t *synonyms; /* the synonyms setting's file, or NULL */
    char *config_file;
    int rootfd;
    struct fouille__ignore ig;
    struct fouille__view view;         /* which documents are private */
    struct fouille__shard shard;
    struct fouille__pipeline *pipeline; /* NULL: search only, or closed */
    struct fouille__watch *watch;
    struct fouille__http *http;
    struct fouille__http *staff_http;  /* sees private documents */
    struct fouille__sockserver *sock;
    struct fouille__analytics *analytics; /* search analytics (server.c),
                                           * or NULL when off */
    struct fouille__analytics_saver *analytics_saver;

    int ready;                         /* the initial reconcile is done */
    int stopping;
    unsigned held;                     /* thread-pool jobs reading the
                                        * daemon (fouille__daemon_hold) */
    int close_when_released;           /* stop waits for them */
    int search_only;                   /* db is a stub of shards: no
                                        * folder, no writer, queries only */
    _Atomic int index_open;
    double started;                    /* time(2) */
    double ready_at;

    /* search results valid until the next commit (query.c) */
    struct fouille__strmap cache;
    uint64_t cache_generation;
    uint64_t cache_hits, cache_misses;
};

/* Start everything from d->cfg. Returns 0 or -1 with err. */
int fouille__daemon_start(struct fouille__daemon *d, uv_loop_t *loop,
                          char *err, size_t errlen);

/* Orderly stop: stop accepting, cancel extraction, commit, close. */
void fouille__daemon_stop(struct fouille__daemon *d);

/* A job on libuv's thread pool (a search, opening a document to serve)
 * reads the daemon's index writer and documents folder: stop closes them
 * only once every job held has been released. Loop thread only. */
void fouille__daemon_hold(struct fouille__daemon *d);
void fouille__daemon_release(struct fouille__daemon *d);

/* Apply a reloaded configuration (SIGHUP): log level, ignore patterns,
 * limits and plugins (the worker pool is restarted; documents in flight
 * are extracted again), periodic reconcile; then rescan. docs, db, socket
 * and http need a restart (logged). fresh is consumed. */
void fouille__daemon_reload(struct fouille__daemon *d,
                            struct fouille__config *fresh);

/* Ask for a full reconcile (now or after the running one). */
void fouille__daemon_rescan(struct fouille__daemon *d);

/* Re-extract path (a file, a folder, or "" for everything) even if it
 * looks unchanged. path goes through the one path rule (relpath.h): its
 * canonical form is set in *canonical (to free). Returns 1 for a file, 0
 * for a folder (its files are queued once it is read), or -1 with *why
 * when path is refused (outside, through a link, hidden or ignored) or
 * does not exist. */
long fouille__daemon_reindex(struct fouille__daemon *d, const char *path,
                            char **canonical, const char **why);

/* Options for opening the index for reading (shards' timeout, partial
 * results), from the configuration. */
fouille_index_open_opts_t fouille__daemon_read_opts(const struct fouille__daemon *d);

/* The generation readers compare with to reopen. */
uint64_t fouille__daemon_generation(struct fouille__daemon *d);
/* The index writer, whose compactions readers follow (writer.h); NULL
 * for a front over shards, or once stopped. */
struct fouille__writer *fouille__daemon_writer(struct fouille__daemon *d);

#endif
