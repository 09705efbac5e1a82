/* pool.h -- a pool of fouille-extract worker processes on a libuv loop.
 *
 * Workers are started once and reused. The pool opens each file itself
 * (relative to the documents root, without following a symbolic link) and
 * passes the descriptor to an idle worker; jobs wait in a FIFO queue while
 * every worker is busy. A worker that crashes, overruns its time, or sends
 * a malformed frame is killed and replaced; its document completes with the
 * reason. Every submitted job completes exactly once through the done
 * callback, on the loop thread, in order of completion, and never inside
 * fouille__pool_submit: a failure known at once (file gone, too large,
 * pool closing) completes on a later loop turn.
 *
 * Slow documents: besides the first workers, one quick worker takes small
 * files (quick_max bytes or less) out of the queue, but only while every
 * first worker has been on its document for slow_ms or more: four slow
 * documents do not hold back a new 40-byte note.
 *
 * OCR: a document whose plugin says it has pages to recognise (a scan, an
 * image) is not completed after its first extraction: it moves to the OCR
 * lane, a second queue served by OCR workers of its own (all workers but
 * one, at least one), started when a scan waits and stopped when idle, at
 * a lower scheduling priority; they are the only workers that load
 * Tesseract. The document is extracted again there with recognition on,
 * under the OCR limits. With OCR off it completes as it is (with no text,
 * if that).
 *
 * Recognised text is kept in a cache folder (ocr_cache, see ocr-cache.h):
 * a first pass that finds pages to recognise looks there first.
 *
 * Plugins: each worker reports at start the plugins it loaded (frame.h);
 * the pool keeps the first report as its table (fouille__pool_registry)
 * and gives a worker no job before it reported. The pool's owner chooses
 * from that table; no plugin is ever loaded outside a worker. */
#ifndef FOUILLE_POOL_H
#define FOUILLE_POOL_H

#include "doc.h"
#include "frame.h"
#include "registry.h"
#include "scan.h"
#include "settings.h"

#include <stdint.h>
#include <uv.h>

struct fouille__job {
    char *path;                     /* relative; owned by the job */
    char sig[FOUILLE__SIG_MAX];
    uint64_t size;
    struct fouille__doc doc;        /* the result */
    struct fouille__response_meta meta; /* MIME type and plugin used */
    int cancelled;                  /* the pool closed before extraction */
    int ocr;                        /* in the OCR lane (set by the pool) */
    int ocr_cached;                 /* its OCR text came from the cache */
    int ocr_pages_only;             /* its OCR pass was asked for the pages
                                     * its first pass listed, nothing else */
    struct fouille__doc *first;     /* the first pass, kept while the OCR
                                     * pass recognises its pages, private */
    uint64_t started_ms;            /* loop time it was sent, private */
    uint64_t ocr_ms;                /* time its OCR pass took */
    struct fouille__job *next;      /* queue link, private */
    void *data;                     /* the caller's */
    int retry;                      /* failed for a transient reason
                                     * (descriptors, memory): not the
                                     * file's fault, do it again later */
    int private_doc;                /* staff only (view.h), decided when
                                     * the job is handed to the writer */
};

/* A new job for path (copied). NULL when memory runs out. */
struct fouille__job *fouille__job_new(const char *path, const char *sig,
                                      uint64_t size);
void fouille__job_free(struct fouille__job *job);

struct fouille__pool;

struct fouille__pool_opts {
    const char *worker;        /* fouille-extract program */
    const char *plugin_dir;
    unsigned workers;          /* >= 1 */
    int sandbox;
    unsigned timeout_ms;
    unsigned cpu_s;
    unsigned memory_mb;
    unsigned text_max_kb;
    unsigned max_pages;
    unsigned max_inflated_mb;
    uint64_t file_max;         /* bytes; larger files fail as too large */
    uint64_t quick_max;        /* bytes; files the quick worker may take
                                * (0: no quick worker) */
    unsigned slow_ms;          /* a document extracted this long holds its
                                * worker */
    int ocr;                   /* recognise scans in a second pass */
    const char *ocr_languages;
    unsigned ocr_max_pages;
    unsigned ocr_timeout_ms;
    unsigned ocr_cpu_s;
    unsigned ocr_dpi;
    unsigned ocr_min_confidence;
    char ocr_cache[4096];      /* cache folder (created), "": none */
    uint64_t ocr_cache_max;    /* bytes the cache may hold */
    unsigned ocr_nice;         /* OCR workers' nice value: a daemon's
                                * recognition takes the CPU the first lane
                                * leaves (0 for a one-shot build, which
                                * wants it all done soonest) */
    int rootfd;                /* the documents root (not owned) */
    /* Called once, on a loop turn after fouille__pool_new returned, when
     * the first worker has reported its plugins, or when no worker could
     * start (fouille__pool_registry then returns NULL). Not called once
     * the pool is closing. May be NULL. ctx is the pool's. */
    void (*ready)(struct fouille__pool *pool, void *ctx);
};

/* The options a configuration gives (workers 0: one per core). The OCR
 * cache is the folder INDEX.ocr-cache beside the index (inside it, a
 * compaction would replace it). */
struct fouille__pool_opts fouille__pool_opts_from(const struct fouille__config *cfg,
                                                  int rootfd);

typedef void (*fouille__job_done_cb)(struct fouille__job *job, void *ctx);

/* Start the workers. Returns 0 or -1 with a message in err. */
int fouille__pool_new(uv_loop_t *loop, const struct fouille__pool_opts *opts,
                      fouille__job_done_cb done, void *ctx,
                      struct fouille__pool **out, char *err, size_t errlen);

/* Queue a job (ownership passes to the pool until done is called, which
 * happens on a later loop turn, never before this returns). */
void fouille__pool_submit(struct fouille__pool *pool, struct fouille__job *job);

/* The plugins the workers reported (registry.h: a table without code),
 * or NULL before the first report, or when pool is NULL. Valid until the
 * pool is closed. */
const struct fouille__registry *
fouille__pool_registry(const struct fouille__pool *pool);

/* Jobs queued or in flight. */
size_t fouille__pool_pending(const struct fouille__pool *pool);

/* The same, without those of the OCR lane: what a caller feeding the pool
 * should bound (OCR jobs must not hold back new documents). */
size_t fouille__pool_pending_first(const struct fouille__pool *pool);

/* Counters for stats. */
struct fouille__pool_stats {
    uint64_t spawned, crashed, timeouts, protocol_errors;
    unsigned workers, busy;
    /* OCR lane: jobs waiting or in flight, completed with text or not,
     * failed; pages recognised, and the time spent on them. */
    uint64_t ocr_pending, ocr_done, ocr_failed, ocr_pages, ocr_ms;
    uint64_t ocr_cached; /* taken from the cache instead */
    uint64_t ocr_page_passes; /* OCR passes asked for the listed pages only
                               * (the others read the whole document) */
};
void fouille__pool_get_stats(const struct fouille__pool *pool,
                             struct fouille__pool_stats *st);

/* Stop: queued jobs complete as cancelled, workers in flight are killed
 * (their jobs complete as cancelled), idle workers are told to exit. closed
 * runs once every handle is closed; the pool is then freed. */
void fouille__pool_close(struct fouille__pool *pool,
                         void (*closed)(void *ctx), void *ctx);

#endif
