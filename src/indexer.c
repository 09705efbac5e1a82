/* indexer.c -- see indexer.h. */
#include "config.h"

#include "indexer.h"

#include "extract.h"
#include "fouille-index.h"
#include "log.h"
#include "ocr-cache.h"
#include "pipeline.h"
#include "pool.h"
#include "registry.h"
#include "relpath.h"
#include "scan.h"
#include "shard.h"
#include "store.h"
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

struct todo {
    char *path;
    char sig[FOUILLE__SIG_MAX];
    uint64_t size;
};

struct run {
    const struct fouille__indexer_opts *opts;
    const struct fouille__config *cfg;
    struct fouille__registry own;  /* loaded here: --in-process only */
    const struct fouille__registry *reg; /* chosen from: own, or the
                                          * workers' report */
    struct fouille__strmap known;  /* what the index records */
    struct fouille__tally *tally;
    struct fouille__shard shard;
    struct fouille__view view;
    struct todo *todo;
    size_t n_todo, cap_todo;
    int rootfd;
    /* pool mode */
    fouille_index_t *idx;
    size_t next_todo;    /* the next file to hand to the pool */
    size_t inflight;     /* handed out, not yet stored */
    size_t inflight_max;
    size_t done, pending_commit, pending_bytes;
    size_t commits; /* made while the run went on */
    double t0, last_draw;
    int failed;          /* an index error: stop */
    char *err;
    size_t errlen;
    struct fouille__pool *pool;
    uv_loop_t loop;
    int loop_open;
    int pool_ready;      /* the workers reported their plugins */
    struct fouille__ocr_cache *cache; /* in-process mode */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The diff's verdicts (pipeline.h): extract later, delete now. */
static void diff_extract(const char *path, const struct stat *st, void *ctx)
{
    struct run *r = ctx;
    if (r->failed)
        return;
    if (r->n_todo == r->cap_todo) {
        size_t cap = r->cap_todo ? r->cap_todo * 2 : 256;
        struct todo *nt = realloc(r->todo, cap * sizeof *nt);
        if (!nt)
            goto nomem;
        r->todo = nt;
        r->cap_todo = cap;
    }
    struct todo *t = &r->todo[r->n_todo];
    if (!(t->path = strdup(path)))
        goto nomem;
    fouille__signature(st, t->sig);
    t->size = (uint64_t)st->st_size;
    r->n_todo++;
    return;
nomem:
    snprintf(r->err, r->errlen, "out of memory");
    r->failed = 1;
}

static void diff_remove(const char *path, void *ctx)
{
    struct run *r = ctx;
    if (r->failed)
        return;
    if (fouille_index_delete(r->idx, path) != FOUILLE_INDEX_OK) {
        snprintf(r->err, r->errlen, "cannot delete %s from the index: %s",
                 path, fouille_index_last_error(r->idx));
        r->failed = 1;
        return;
    }
    fouille__known_forget(&r->known, path);
    r->tally->deleted++;
}

/* The private setting may have changed since the last run. */
static void mark_private(const char *path, void *v, void *ctx)
{
    struct run *r = ctx;
    const struct fouille__known *k = v;
    int want = fouille__view_private(&r->view, path);
    if (r->failed || k->private_doc == want)
        return;
    if (fouille_index_set_private(r->idx, path, want) != FOUILLE_INDEX_OK) {
        snprintf(r->err, r->errlen, "cannot mark %s: %s", path,
                 fouille_index_last_error(r->idx));
        r->failed = 1;
    }
}

static void on_dir_error(const char *relpath, int err, void *ctx)
{
    log_warn("%s: cannot read folder: %s", relpath, strerror(err));
}

static void progress_line(size_t done, size_t total, double t0, int final)
{
    double el = now_seconds() - t0;
    double rate = el > 0 ? (double)done / el : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[K%zu/%zu files  %.0f files/s  %d:%02d left",
            done, total, rate, (int)left / 60, (int)left % 60);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static void count_result(struct run *r, const struct fouille__extracted *x)
{
    char fmt[64];
    fouille__format_name(x->mime, x->path, fmt, sizeof fmt);
    if (x->doc->reason == FOUILLE__REASON_NONE) {
        r->tally->indexed++;
        r->tally->bytes += x->size;
        if (x->doc->flags & FOUILLE__DOC_TRUNCATED)
            r->tally->truncated++;
        if (x->doc->flags & FOUILLE__DOC_NO_TEXT)
            r->tally->no_text++;
        fouille__count_add(r->tally->formats_ok, fmt, 1);
    } else {
        char reason[256];
        fouille__doc_reason(x->doc, reason, sizeof reason);
        r->tally->failed++;
        fouille__count_add(r->tally->reasons, reason, 1);
        fouille__count_add(r->tally->formats_failed, fmt, 1);
        log_warn("%s: not indexed: %s", x->path, reason);
    }
}

/* Extract one file in this process. */
static void extract_here(struct run *r, struct fouille__extractor *ex,
                         const struct todo *t, struct fouille__doc *doc,
                         char *mime, size_t mlen, char *tag, size_t tlen)
{
    const struct fouille__config *cfg = r->cfg;
    struct fouille__limits lim = {
        .text_max = (size_t)cfg->extract_text_max_kb * 1024,
        .max_pages = (unsigned)cfg->extract_max_pages,
        .max_inflated = (uint64_t)cfg->extract_max_inflated_mb << 20,
        /* One pass here: recognition, if on, comes with it. */
        .ocr_pages = cfg->ocr ? (unsigned)cfg->ocr_max_pages : 0,
        .ocr_time_ms = (unsigned)cfg->ocr_timeout_ms,
        .ocr_dpi = (unsigned)cfg->ocr_dpi,
        .ocr_min_confidence = (unsigned)cfg->ocr_min_confidence,
    };
    snprintf(mime, mlen, "application/octet-stream");
    tag[0] = '\0';
    if (t->size > (uint64_t)cfg->file_max_mb << 20) {
        doc->reason = FOUILLE__REASON_TOO_LARGE;
        return;
    }
    int fd = fouille__open_beneath(r->rootfd, t->path,
                                   O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        doc->reason = FOUILLE__REASON_UNREADABLE;
        snprintf(doc->detail, sizeof doc->detail, "%s", strerror(errno));
        return;
    }
    /* As in the pool: a first pass; recognition only for what the cache
     * does not already hold. */
    unsigned ocr_pages = lim.ocr_pages;
    lim.ocr_pages = 0;
    fouille__extract(ex, fd, t->path, &lim, doc, mime, mlen, tag, tlen);
    if (ocr_pages && doc->reason == FOUILLE__REASON_NONE &&
        (doc->flags & FOUILLE__DOC_NEEDS_OCR)) {
        if (fouille__ocr_cache_load(r->cache, doc) == 0) {
            r->tally->ocr_cached++;
        } else if (lseek(fd, 0, SEEK_SET) == 0) {
            double t0 = now_seconds();
            fouille__doc_clear(doc);
            fouille__doc_init(doc);
            lim.ocr_pages = ocr_pages;
            fouille__extract(ex, fd, t->path, &lim, doc, mime, mlen, tag,
                             tlen);
            struct fouille__response_meta meta;
            snprintf(meta.mime, sizeof meta.mime, "%.*s",
                     (int)sizeof meta.mime - 1, mime);
            snprintf(meta.plugin, sizeof meta.plugin, "%.*s",
                     (int)sizeof meta.plugin - 1, tag);
            fouille__ocr_cache_store(r->cache, doc, &meta);
            r->tally->ocr_documents++;
            r->tally->ocr_pages += doc->ocr_pages;
            r->tally->ocr_seconds += now_seconds() - t0;
        }
    }
    close(fd);
}

static int commit(fouille_index_t *idx, char *err, size_t errlen)
{
    fouille_index_status_t st = fouille_index_commit(idx);
    if (st != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "cannot commit the index: %s",
                 fouille_index_last_error(idx));
        return -1;
    }
    return 0;
}

/* Store one result, count it, commit when a batch is full. Returns 0, or
 * -1 after an index error (err is set). */
static int take_result(struct run *r, const struct fouille__extracted *x,
                       fouille_index_prepared_t *prep)
{
    fouille_index_status_t st = fouille__store_prepared(r->idx, x, prep);
    count_result(r, x);
    if (st != FOUILLE_INDEX_OK) {
        snprintf(r->err, r->errlen, "cannot store %s: %s", x->path,
                 fouille_index_last_error(r->idx));
        return -1;
    }
    r->done++;
    r->pending_bytes += x->doc->text.len;
    if (++r->pending_commit >= (size_t)r->cfg->batch_size ||
        r->pending_bytes >= (size_t)r->cfg->batch_text_mb << 20) {
        if (commit(r->idx, r->err, r->errlen) < 0)
            return -1;
        r->pending_commit = r->pending_bytes = 0;
        r->commits++;
    }
    if (r->opts->progress && now_seconds() - r->last_draw > 0.1) {
        progress_line(r->done, r->n_todo, r->t0, 0);
        r->last_draw = now_seconds();
    }
    return 0;
}

/* Extraction in this process, one file after the other: for debugging a
 * plugin under gdb, and as the baseline of the pool benchmark. */
static int run_in_process(struct run *r, struct fouille__extractor *ex)
{
    for (size_t i = 0; i < r->n_todo; i++) {
        struct fouille__doc doc;
        char mime[256], tag[96];
        fouille__doc_init(&doc);
        extract_here(r, ex, &r->todo[i], &doc, mime, sizeof mime, tag,
                     sizeof tag);
        struct fouille__extracted x = {r->todo[i].path, r->todo[i].sig,
                                       r->todo[i].size, mime, tag, &doc, 0};
        x.private_doc = fouille__view_private(&r->view, x.path);
        int rc = take_result(r, &x, NULL);
        fouille__doc_clear(&doc);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void on_pool_closed(void *ctx) { (void)ctx; }

/* A result on its way to the index: analysed on libuv's thread pool
 * (fouille__store_prepare), then written by the loop thread, the only
 * one that touches the index. */
struct analysis {
    uv_work_t req;
    struct run *r;
    struct fouille__job *job;
    struct fouille__extracted x;
    fouille_index_prepared_t *prep;
};

static void feed(struct run *r);

/* After the last result (or an error): close the pool, which ends the
 * loop once the analyses under way are back. */
static void maybe_finish(struct run *r)
{
    if ((r->failed || r->done == r->n_todo) && r->pool) {
        struct fouille__pool *pool = r->pool;
        r->pool = NULL;
        fouille__pool_close(pool, on_pool_closed, r);
    }
}

static void analyse(uv_work_t *req)
{
    struct analysis *a = req->data;
    a->prep = fouille__store_prepare(&a->x);
}

static void analysed(uv_work_t *req, int status)
{
    struct analysis *a = req->data;
    struct run *r = a->r;
    (void)status;
    if (!r->failed && take_result(r, &a->x, a->prep) < 0)
        r->failed = 1;
    fouille_index_prepared_free(a->prep);
    fouille__job_free(a->job);
    free(a);
    r->inflight--;
    feed(r);
    maybe_finish(r);
}

static void on_job_done(struct fouille__job *job, void *ctx)
{
    struct run *r = ctx;
    if (!job->cancelled && !r->failed) {
        if (job->ocr_cached)
            r->tally->ocr_cached++;
        else if (job->ocr) {
            r->tally->ocr_documents++;
            r->tally->ocr_pages += job->doc.ocr_pages;
            r->tally->ocr_page_passes += job->ocr_pages_only != 0;
            r->tally->ocr_seconds += (double)job->ocr_ms / 1000;
        }
        struct analysis *a = calloc(1, sizeof *a);
        if (a) {
            a->r = r;
            a->job = job;
            a->x = (struct fouille__extracted){job->path, job->sig, job->size,
                                               job->meta.mime,
                                               job->meta.plugin, &job->doc,
                                               0};
            a->x.private_doc = fouille__view_private(&r->view, job->path);
            a->req.data = a;
            if (uv_queue_work(&r->loop, &a->req, analyse, analysed) == 0)
                return;
            free(a);
        }
        /* No memory for the hand-off: this thread does it all. */
        struct fouille__extracted x = {job->path, job->sig, job->size,
                                       job->meta.mime, job->meta.plugin,
                                       &job->doc, 0};
        x.private_doc = fouille__view_private(&r->view, x.path);
        if (take_result(r, &x, NULL) < 0)
            r->failed = 1;
    }
    fouille__job_free(job);
    r->inflight--;
    feed(r);
    maybe_finish(r);
}

static void on_pool_ready(struct fouille__pool *pool, void *ctx)
{
    struct run *r = ctx;
    (void)pool;
    r->pool_ready = 1;
}

/* Start the sandboxed workers and wait for their plugin report: the scan
 * chooses plugins from it. Returns 0, or -1 with r->err. */
static int start_pool(struct run *r)
{
    struct fouille__pool_opts po = fouille__pool_opts_from(r->cfg, r->rootfd);
    po.ready = on_pool_ready;
    po.ocr_nice = 0; /* no new document to make way for: all at once */
    if (uv_loop_init(&r->loop) < 0) {
        snprintf(r->err, r->errlen, "cannot create an event loop");
        return -1;
    }
    r->loop_open = 1;
    if (fouille__pool_new(&r->loop, &po, on_job_done, r, &r->pool, r->err,
                          r->errlen) < 0)
        return -1;
    while (!r->pool_ready && uv_run(&r->loop, UV_RUN_ONCE))
        ;
    if (!(r->reg = fouille__pool_registry(r->pool))) {
        snprintf(r->err, r->errlen, "no extraction worker could start");
        return -1;
    }
    return 0;
}

/* Close the pool (if still open) and the loop. Returns -1 when handles
 * were left open. */
static int stop_pool(struct run *r)
{
    if (r->pool) {
        struct fouille__pool *pool = r->pool;
        r->pool = NULL;
        fouille__pool_close(pool, on_pool_closed, r);
    }
    if (!r->loop_open)
        return 0;
    r->loop_open = 0;
    uv_run(&r->loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&r->loop);
    if (rc != 0)
        log_warn("event loop closed with handles open: %s", uv_strerror(rc));
    return rc != 0 ? -1 : 0;
}

/* Hand files to the pool while fewer than inflight_max are between the
 * pool and the index: results wait for the one writer (this thread) with
 * their text in memory, so their number is bounded. */
static void feed(struct run *r)
{
    while (r->pool && !r->failed && r->next_todo < r->n_todo &&
           r->inflight < r->inflight_max) {
        struct todo *t = &r->todo[r->next_todo];
        struct fouille__job *job = fouille__job_new(t->path, t->sig, t->size);
        if (!job) {
            snprintf(r->err, r->errlen, "out of memory");
            r->failed = 1;
            maybe_finish(r);
            return;
        }
        r->next_todo++;
        r->inflight++;
        fouille__pool_submit(r->pool, job);
    }
}

/* Extraction in the pool of sandboxed worker processes started by
 * start_pool. The analyses run on libuv's pool (UV_THREADPOOL_SIZE, 4 by
 * default): one at a time was slower (89.5 s against 78.7 s for 10,000
 * documents); analysis_threads sizes how many results may wait. */
static int run_pool(struct run *r)
{
    unsigned workers = fouille__pool_opts_from(r->cfg, r->rootfd).workers;
    r->inflight_max = 2 * (size_t)workers + 2 * fouille__analysis_threads(
                                                    r->cfg);
    feed(r);
    /* on_job_done closes the pool after the last job. */
    if (r->n_todo == 0 || r->failed)
        stop_pool(r);
    else
        uv_run(&r->loop, UV_RUN_DEFAULT);
    if (stop_pool(r) < 0 && !r->failed) {
        snprintf(r->err, r->errlen, "the event loop closed with handles open");
        r->failed = 1;
    }
    return r->failed ? -1 : 0;
}

int fouille__index_folder(const struct fouille__indexer_opts *opts,
                          struct fouille__tally *tally, double *seconds,
                          char *err, size_t errlen)
{
    const struct fouille__config *cfg = opts->cfg;
    struct run r = {.opts = opts, .cfg = cfg, .tally = tally, .rootfd = -1};
    struct fouille__ignore ig = {0};
    struct fouille__scan_list files = {0};
    struct fouille__extractor *ex = NULL;
    fouille_index_t *idx = NULL;
    int rc = -1;
    double t0 = now_seconds();

    memset(tally, 0, sizeof *tally);
    if (fouille__shard_parse(&r.shard, cfg->shard, err, errlen) < 0)
        return -1;
    r.rootfd = open(cfg->docs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r.rootfd < 0) {
        snprintf(err, errlen, "documents folder %s: %s", cfg->docs,
                 strerror(errno));
        return -1;
    }
    char ierr[512] = "";
    fouille_index_status_t st =
        fouille_index_open(cfg->db, FOUILLE_INDEX_WRITE, &idx, ierr,
                           sizeof ierr);
    if (st != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "index %s: %s", cfg->db,
                 ierr[0] ? ierr : fouille_index_status_str(st));
        goto out;
    }
    if (opts->in_process) /* read by the plugins as they load */
        fouille__extract_ocr_environment(cfg->ocr ? cfg->ocr_languages : "");
    r.err = err;
    r.errlen = errlen;
    if (opts->in_process) {
        /* Extraction here, for debugging: this process loads the plugins
         * itself, which fouilled and the pool mode never do. */
        if (fouille__registry_load(&r.own, cfg->plugin_dir) < 0)
            log_warn("no plugins: every file will be recorded as "
                     "unsupported");
        fouille__registry_init_plugins(&r.own);
        r.reg = &r.own;
        if (!(ex = fouille__extractor_new(&r.own))) {
            snprintf(err, errlen, "cannot initialise content detection");
            goto out;
        }
    } else if (start_pool(&r) < 0)
        goto out;
    if ((st = fouille__known_load(&r.known, idx)) != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "cannot read the index: %s",
                 fouille_index_last_error(idx));
        goto out;
    }
    if (fouille__ignore_init(&ig, cfg->ignore, cfg->index_hidden) < 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (fouille__view_init(&r.view, cfg->private, err, errlen) < 0)
        goto out;
    int src = fouille__scan(cfg->docs, "", &ig, fouille__scan_list_add,
                            on_dir_error, &files);
    if (src != 0) {
        snprintf(err, errlen, "scanning %s: %s", cfg->docs,
                 src < 0 ? strerror(errno) : "out of memory");
        goto out;
    }
    /* The same diff as fouilled's, but a folder that could not be read
     * is gone, and so are the files of other shards: this run's result is
     * the index of what it could see. */
    r.idx = idx;
    struct fouille__diff df = {
        .known = &r.known, .reg = r.reg, .shard = &r.shard, .under = "",
        .foreign_gone = 1, .extract = diff_extract, .remove = diff_remove,
        .ctx = &r,
    };
    if (fouille__diff_run(&df, files.v, files.n) < 0 && !r.failed) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    tally->seen = df.mine;
    tally->unchanged = df.unchanged;
    fouille__strmap_each(&r.known, mark_private, &r);
    if (r.failed)
        goto out;

    r.t0 = t0;
    if (opts->in_process && cfg->ocr) {
        struct fouille__pool_opts po = fouille__pool_opts_from(cfg, r.rootfd);
        if (po.ocr_cache[0] && po.ocr_cache_max)
            r.cache = fouille__ocr_cache_new(
                po.ocr_cache, cfg->ocr_languages, po.ocr_dpi,
                po.ocr_min_confidence, po.ocr_cache_max,
                (size_t)po.text_max_kb * 1024 + (1u << 20));
    }
    if (opts->in_process ? run_in_process(&r, ex) < 0 : run_pool(&r) < 0)
        goto out;
    if (opts->progress && r.n_todo)
        progress_line(r.n_todo, r.n_todo, t0, 1);
    if (commit(idx, err, errlen) < 0)
        goto out;
    /* A run that committed along the way (batch_size, batch_text_mb) left
     * the index's B-trees half full: about twice its size. Rewriting it
     * takes a fraction of a second per 100 MB. */
    if (r.commits > 0) {
        if (fouille_index_compact(idx) != FOUILLE_INDEX_OK)
            log_warn("the index could not be compacted: %s",
                     fouille_index_last_error(idx));
        else
            log_info("index compacted after %zu commits", r.commits + 1);
    }
    rc = 0;
out:
    *seconds = now_seconds() - t0;
    for (size_t i = 0; i < r.n_todo; i++)
        free(r.todo[i].path);
    free(r.todo);
    fouille__known_clear(&r.known);
    fouille__scan_list_free(&files);
    fouille__ocr_cache_free(r.cache);
    fouille__ignore_free(&ig);
    fouille__view_free(&r.view);
    stop_pool(&r);
    fouille__extractor_free(ex);
    fouille_index_close(idx);
    fouille__registry_free(&r.own);
    if (r.rootfd >= 0)
        close(r.rootfd);
    return rc;
}
