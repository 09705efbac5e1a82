/* pipeline.h -- the indexing pipeline: keeps an index equal to a documents
 * folder.
 *
 *   reconcile: scan + diff             changed paths (watch.c, reindex)
 *   (start, periodic, on demand)                  |
 *                  \                   debounce per path (quiet period)
 *                   \                            /
 *             stat -> unchanged? skip : backlog of jobs
 *                                  |   flow control: a few jobs per
 *                                  |   worker, a short writer queue
 *                    worker pool (pool.c, sandboxed processes)
 *                                  |
 *                    index writer thread (writer.c)
 *
 * The pipeline owns the known-files map (what the index records: path ->
 * struct fouille__known), the debounce queue, the backlog, the worker pool
 * and the writer. It runs on one libuv loop; everything but the writer
 * and the folder scans (uv thread pool) runs on that loop thread, and its
 * callbacks never run inside the call that caused them. Plugins are chosen
 * from the table the workers report (pool.h); the pipeline never loads
 * one.
 *
 * Two pieces are also usable alone, without a loop: the reconcile diff
 * (fouille__diff_run), which `fouille index` shares, and the debounce
 * rules (struct fouille__debounce), which take the time as an argument so
 * that tests drive them with a fake clock. */
#ifndef FOUILLE_PIPELINE_H
#define FOUILLE_PIPELINE_H

#include "fouille-index.h"
#include "pool.h"
#include "reconcile.h"
#include "registry.h"
#include "settings.h"
#include "shard.h"
#include "strmap.h"
#include "view.h"
#include "writer.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <uv.h>

/* ---- the known-files map ------------------------------------------------
 * A struct fouille__strmap from path to a struct fouille__known it owns. */

/* Fill map (empty) with what idx records. Returns FOUILLE_INDEX_OK or the
 * index's status (map is then left empty). */
fouille_index_status_t fouille__known_load(struct fouille__strmap *map,
                                           fouille_index_t *idx);
/* Record the outcome of an extraction (indexed or failed). */
void fouille__known_record(struct fouille__strmap *map,
                           const struct fouille__job *job);
void fouille__known_forget(struct fouille__strmap *map, const char *path);
/* Free every entry and the map. */
void fouille__known_clear(struct fouille__strmap *map);

/* ---- the reconcile diff -------------------------------------------------- */

/* A file met by a scan. */
struct fouille__scanned {
    char *path;
    struct stat st;
};

/* The files a scan met, in its order. */
struct fouille__scan_list {
    struct fouille__scanned *v;
    size_t n, cap;
};

/* A fouille__scan_cb (scan.h) that appends to the list given as ctx. */
int fouille__scan_list_add(const char *relpath, const struct stat *st,
                           void *list);
void fouille__scan_list_free(struct fouille__scan_list *l);

/* Compare a scan of the folder `under` ("" for all of it) with the known
 * map, and say what to do through the callbacks: extract files that are
 * new, changed or due again for another plugin (all of them with force),
 * remove known paths under `under` that the scan did not meet. Files
 * outside shard are not extracted; paths for which busy says work is
 * already queued are left alone. An incomplete scan (a folder could not be
 * read) removes nothing. The map itself is not changed: the callbacks
 * decide. Files are given to extract with the longest work first (files
 * whose format may hold scanned pages, then the largest), so that several
 * workers end a batch together. */
struct fouille__diff {
    struct fouille__strmap *known;
    const struct fouille__registry *reg;
    const struct fouille__shard *shard;
    const char *under;
    int force;
    int incomplete;
    int foreign_gone; /* a known path outside shard counts as gone (a
                       * one-shot run of a shard drops the others') */
    int (*busy)(const char *path, void *ctx);                 /* or NULL */
    void (*extract)(const char *path, const struct stat *st, void *ctx);
    void (*remove)(const char *path, void *ctx);
    void *ctx;
    /* Set by fouille__diff_run: */
    size_t mine, unchanged, extracted, removed;
};

/* Returns 0, or -1 when memory ran out (nothing was removed then). */
int fouille__diff_run(struct fouille__diff *df,
                      const struct fouille__scanned *v, size_t n);

/* ---- the debounce rules -------------------------------------------------
 * A changed path is looked at once it has been quiet for a while: an
 * editor writing a file in several steps causes one extraction. Times are
 * monotonic milliseconds given by the caller. */
struct fouille__debounce {
    struct fouille__strmap due; /* path -> struct fouille__due */
    double quiet_ms;            /* a write restarts a quiet period this long */
};

/* Look at path after delay_ms from now. A delay as long as the quiet period
 * (another write) restarts the wait; a shorter one (the file was closed)
 * only brings it closer. force (extract even if unchanged) sticks until
 * the path is taken. Returns 0, or -1 when memory ran out. */
int fouille__debounce_add(struct fouille__debounce *db, const char *path,
                          double now, double delay_ms, int force);

/* Call take for every path whose wait is over at now. take returns 0 when
 * it took the path (it leaves the queue), or 1 to keep it waiting another
 * quiet period (its previous version is still being extracted). */
void fouille__debounce_run(struct fouille__debounce *db, double now,
                           int (*take)(const char *path, int force, void *ctx),
                           void *ctx);

size_t fouille__debounce_size(const struct fouille__debounce *db);
void fouille__debounce_free(struct fouille__debounce *db);

/* ---- the pipeline ---------------------------------------------------------- */

struct fouille__pipeline;

struct fouille__pipeline_opts {
    uv_loop_t *loop;
    /* The settings, the documents folder (open as rootfd, named by
     * cfg->docs), which files this index holds and which are private. All
     * must outlive the pipeline; a reload changes them in place and then
     * calls fouille__pipeline_reload. */
    const struct fouille__config *cfg;
    int rootfd;
    const struct fouille__shard *shard;
    const struct fouille__view *view;
    /* Monotonic milliseconds for the debounce; NULL for CLOCK_MONOTONIC. */
    double (*clock_ms)(void *ctx);
    /* A reconcile of the whole folder is about to read it (the daemon
     * watches again the folders it could not). May be NULL. */
    void (*scanning)(void *ctx);
    /* A reconcile of the whole folder has queued its work. May be NULL. */
    void (*reconciled)(void *ctx);
    void *ctx;
};

struct fouille__pipeline_stats {
    size_t debounce;   /* paths waiting for their quiet period */
    size_t waiting;    /* jobs not yet given to the workers */
    size_t extracting; /* jobs the workers hold */
    uint64_t extracted, failed; /* since the pipeline opened */
    uint64_t reconciles;        /* whole-folder reconciles done */
    struct fouille__writer_stats index;
    struct fouille__pool_stats workers;
};

/* Load the known map from idx, start the writer (which takes idx), the
 * worker pool and the periodic reconcile, and queue a first reconcile
 * (it waits for the workers' plugin report). Returns 0, or -1 with err;
 * idx is closed on failure. */
int fouille__pipeline_open(const struct fouille__pipeline_opts *o,
                           fouille_index_t *idx, struct fouille__pipeline **out,
                           char *err, size_t errlen);

/* A path (relative to the folder, checked by the caller) changed, appeared
 * or went away: look at it after delay_ms of quiet. Gone, it is removed
 * from the index; changed (or with force), it is extracted again. */
void fouille__pipeline_submit(struct fouille__pipeline *p, const char *path,
                              unsigned delay_ms, int force);

/* A folder went away: forget and remove everything under it at once. */
void fouille__pipeline_delete(struct fouille__pipeline *p, const char *folder);

/* Read folder ("" for all of it) and apply the diff. The whole folder
 * without force is one reconcile at a time: asked for during one, it runs
 * again once that one is done. Returns 0, or -1 when the scan could not be
 * queued (memory). */
int fouille__pipeline_reconcile(struct fouille__pipeline *p,
                                const char *folder, int force);

/* The settings changed in place: mark again documents whose private
 * setting changed, restart the workers (documents in flight are extracted
 * again), reset the periodic reconcile and run one. */
void fouille__pipeline_reload(struct fouille__pipeline *p);

/* What the index records about path, or NULL (loop thread; valid until the
 * pipeline next runs). */
const struct fouille__known *
fouille__pipeline_known(const struct fouille__pipeline *p, const char *path);
/* Call fn for every known path, then (skipped = 1) for every path too
 * long to index, with k NULL. */
void fouille__pipeline_each(const struct fouille__pipeline *p,
                            void (*fn)(const char *path,
                                       const struct fouille__known *k,
                                       int skipped, void *ctx),
                            void *ctx);

void fouille__pipeline_get_stats(struct fouille__pipeline *p,
                                 struct fouille__pipeline_stats *st);

/* Commits so far: readers reopen when it changes (any thread). */
uint64_t fouille__pipeline_generation(const struct fouille__pipeline *p);
/* The index writer (NULL once closed). */
struct fouille__writer *fouille__pipeline_writer(const struct fouille__pipeline *p);

/* Stop: cancel extraction, apply and commit what the writer holds, close
 * every handle, free p, then call done (with 0, or -1 when the last commit
 * failed). NULL is accepted (done runs at once). */
void fouille__pipeline_close(struct fouille__pipeline *p,
                             void (*done)(int status, void *ctx), void *ctx);

#endif
