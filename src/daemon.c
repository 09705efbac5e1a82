/* daemon.c -- see daemon.h. */
#include "config.h"

#include "daemon.h"

#include "log.h"
#include "query.h"
#include "reconcile.h"
#include "relpath.h"
#include "tally.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEBOUNCE_TICK_MS 20
/* Once the writer of a file closed it, wait this long for a rename or a
 * second close (editors save in two steps) before reading it. */
#define SETTLE_MS 40
/* A file that could not be opened for a transient reason (descriptors,
 * memory) is tried again after this long. */
#define TRANSIENT_RETRY_MS 1000
/* A scan that failed for such a reason is done again after this long. */
#define SCAN_RETRY_MS 2000

struct pending {
    double due; /* ms, monotonic */
    int force;  /* re-extract even if unchanged */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void update_busy(struct fouille__daemon *d)
{
    /* Recognition in the OCR lane takes minutes: it does not hold back
     * the commit of what is already extracted. */
    size_t n = fouille__strmap_size(&d->pending) + d->backlog_len +
               (d->pool ? fouille__pool_pending_first(d->pool) : 0) +
               (size_t)d->reconciling;
    int was = atomic_exchange(&d->busy, n > 0);
    if (was && n == 0 && d->writer)
        fouille__writer_poke(d->writer); /* commit now */
}

static int writer_busy(void *ctx)
{
    struct fouille__daemon *d = ctx;
    return atomic_load(&d->busy);
}

/* ---- what the index knows --------------------------------------------- */

static void known_free(struct fouille__known *k)
{
    if (!k)
        return;
    free(k->path);
    free(k->signature);
    free(k->mime);
    free(k->plugin);
    free(k->reason);
    free(k);
}

static void known_set(struct fouille__daemon *d, const struct fouille__job *j)
{
    struct fouille__known *k = calloc(1, sizeof *k);
    if (!k)
        return;
    char reason[256];
    k->path = strdup(j->path);
    k->signature = strdup(j->sig);
    k->mime = strdup(j->meta.mime);
    k->plugin = j->meta.plugin[0] ? strdup(j->meta.plugin) : NULL;
    k->private_doc = j->private_doc;
    if (fouille__doc_is_failure(&j->doc)) {
        fouille__doc_reason(&j->doc, reason, sizeof reason);
        k->reason = strdup(reason);
    }
    void *old = NULL;
    if (!k->path || !k->signature || !k->mime ||
        fouille__strmap_put(&d->known, j->path, k, &old) < 0) {
        known_free(k);
        return;
    }
    known_free(old);
}

static void known_forget(struct fouille__daemon *d, const char *path)
{
    known_free(fouille__strmap_del(&d->known, path));
}

struct prefix_ctx {
    const char *prefix;
    size_t len;
    char **paths;
    size_t n, cap;
};

static void collect_prefix(const char *path, void *v, void *ctx)
{
    struct prefix_ctx *p = ctx;
    if (p->len && (strncmp(path, p->prefix, p->len) != 0 ||
                   path[p->len] != '/'))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **np = realloc(p->paths, cap * sizeof *np);
        if (!np)
            return;
        p->paths = np;
        p->cap = cap;
    }
    if ((p->paths[p->n] = strdup(path)))
        p->n++;
}

/* ---- extraction -------------------------------------------------------- */

static void schedule(struct fouille__daemon *d, const char *path, double delay,
                     int force);
static void on_debounce_tick(uv_timer_t *t);
static void pump(struct fouille__daemon *d);

static void on_job_done(struct fouille__job *job, void *ctx)
{
    struct fouille__daemon *d = ctx;
    fouille__strmap_del(&d->inflight, job->path);
    if (job->cancelled) {
        /* The pool was restarted (SIGHUP) or is closing: do it again. */
        if (!d->stopping)
            schedule(d, job->path, 0, 1);
        fouille__job_free(job);
        update_busy(d);
        return;
    }
    if (job->retry && !d->stopping) {
        /* Out of descriptors or memory: not the file's fault. */
        log_info("%s: %s; trying again in %d ms", job->path, job->doc.detail,
                 TRANSIENT_RETRY_MS);
        schedule(d, job->path, TRANSIENT_RETRY_MS, 1);
        fouille__job_free(job);
        pump(d);
        update_busy(d);
        return;
    }
    if (job->doc.reason == FOUILLE__REASON_NONE)
        d->docs_extracted++;
    else {
        char reason[256];
        fouille__doc_reason(&job->doc, reason, sizeof reason);
        d->docs_failed++;
        fouille__count_add(d->failures, reason, 1);
        log_warn("%s: not indexed: %s", job->path, reason);
    }
    /* Decided now, with the settings of the moment: a reload while the
     * job was extracted cannot leave it marked by the old ones. */
    job->private_doc = fouille__view_private(&d->view, job->path);
    known_set(d, job);
    fouille__writer_store(d->writer, job);
    pump(d);
    update_busy(d);
}

/* How much may wait beyond the backlog: jobs handed to the workers (a
 * few per worker keeps them busy) and results waiting for the writer
 * (each holds a document's text in memory). A reconcile of a large folder
 * queues paths only, which cost a few bytes each. */
#define POOL_QUEUE_PER_WORKER 2
#define WRITER_QUEUE_MAX 16

/* Move jobs from the backlog to the workers while both the workers and
 * the writer keep up. Called whenever either makes progress. */
static void pump(struct fouille__daemon *d)
{
    if (!d->pool || !d->writer)
        return;
    size_t pool_max = (size_t)POOL_QUEUE_PER_WORKER *
                      fouille__pool_opts_from(&d->cfg, d->rootfd).workers;
    while (d->backlog_head &&
           fouille__pool_pending_first(d->pool) < pool_max &&
           fouille__writer_queued(d->writer) < WRITER_QUEUE_MAX) {
        struct fouille__job *job = d->backlog_head;
        d->backlog_head = job->next;
        if (!d->backlog_head)
            d->backlog_tail = NULL;
        d->backlog_len--;
        job->next = NULL;
        fouille__pool_submit(d->pool, job);
    }
}

static void submit(struct fouille__daemon *d, const char *path,
                   const struct stat *st)
{
    char sig[FOUILLE__SIG_MAX];
    fouille__signature(st, sig);
    struct fouille__job *job = fouille__job_new(path, sig, (uint64_t)st->st_size);
    if (!job || fouille__strmap_put(&d->inflight, path, job, NULL) < 0) {
        log_err("%s: out of memory", path);
        fouille__job_free(job);
        return;
    }
    if (d->backlog_tail)
        d->backlog_tail->next = job;
    else
        d->backlog_head = job;
    d->backlog_tail = job;
    d->backlog_len++;
    pump(d);
}

/* A path whose quiet period is over: extract it if it changed. */
static void process(struct fouille__daemon *d, const char *path, int force)
{
    struct stat st;
    int fd = fouille__open_beneath(d->rootfd, path, O_PATH);
    if (fd < 0 && fouille__transient_errno(errno)) {
        schedule(d, path, TRANSIENT_RETRY_MS, force);
        return; /* not a sign that the file is gone */
    }
    int found = fd >= 0 && fstat(fd, &st) == 0;
    if (fd >= 0)
        close(fd);
    if (!found || !S_ISREG(st.st_mode)) {
        if (fouille__strmap_get(&d->known, path)) {
            fouille__writer_delete(d->writer, path, 0);
            known_forget(d, path);
        }
        return;
    }
    if (!fouille__shard_mine(&d->shard, path))
        return;
    const struct fouille__registry *reg = fouille__pool_registry(d->pool);
    if (!force && !reg) {
        /* The workers have not said yet which plugins they have. */
        schedule(d, path, SETTLE_MS, 0);
        return;
    }
    char sig[FOUILLE__SIG_MAX];
    fouille__signature(&st, sig);
    struct fouille__known *k = fouille__strmap_get(&d->known, path);
    if (!force &&
        fouille__reconcile_file(k, sig, reg, path) == FOUILLE__UNCHANGED)
        return;
    submit(d, path, &st);
}

static void schedule(struct fouille__daemon *d, const char *path, double delay,
                     int force)
{
    struct pending *p = fouille__strmap_get(&d->pending, path);
    double due = now_ms() + delay;
    if (!p) {
        if (!(p = calloc(1, sizeof *p)) ||
            fouille__strmap_put(&d->pending, path, p, NULL) < 0) {
            free(p);
            return;
        }
        p->due = due;
    } else if (delay >= (double)d->cfg.debounce_ms || due < p->due)
        p->due = due; /* writing again: restart the quiet period */
    p->force |= force;
    if (!uv_is_active((uv_handle_t *)&d->debounce_timer))
        uv_timer_start(&d->debounce_timer, on_debounce_tick, DEBOUNCE_TICK_MS,
                       DEBOUNCE_TICK_MS);
    update_busy(d);
}

struct due_ctx {
    double now;
    char **paths;
    int *force;
    size_t n, cap;
};

static void collect_due(const char *path, void *v, void *ctx)
{
    struct due_ctx *c = ctx;
    struct pending *p = v;
    if (p->due > c->now)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        char **np = realloc(c->paths, cap * sizeof *np);
        int *nf = realloc(c->force, cap * sizeof *nf);
        if (np)
            c->paths = np;
        if (nf)
            c->force = nf;
        if (!np || !nf)
            return;
        c->cap = cap;
    }
    if ((c->paths[c->n] = strdup(path)))
        c->force[c->n++] = p->force;
}

static void on_debounce_tick(uv_timer_t *t)
{
    struct fouille__daemon *d = t->data;
    struct due_ctx c = {.now = now_ms()};
    fouille__strmap_each(&d->pending, collect_due, &c);
    for (size_t i = 0; i < c.n; i++) {
        if (fouille__strmap_get(&d->inflight, c.paths[i])) {
            /* Still extracting the previous version: look again later. */
            struct pending *p = fouille__strmap_get(&d->pending, c.paths[i]);
            if (p)
                p->due = c.now + (double)d->cfg.debounce_ms;
        } else {
            free(fouille__strmap_del(&d->pending, c.paths[i]));
            process(d, c.paths[i], c.force[i]);
        }
        free(c.paths[i]);
    }
    free(c.paths);
    free(c.force);
    if (fouille__strmap_size(&d->pending) == 0)
        uv_timer_stop(t);
    update_busy(d);
}

/* ---- reconcile ---------------------------------------------------------- */

/* Paths skipped for their length that are remembered (and shown). */
#define SKIPPED_MAX 100

struct scanned {
    char *path;
    struct stat st;
};

struct scan_work {
    uv_work_t req;
    struct fouille__daemon *d;
    char *root;
    char *sub;     /* "" for all */
    int force;
    int failed;    /* the root could not be read: delete nothing */
    int incomplete; /* an errno: a folder could not be read for a
                     * transient reason: delete nothing, scan again */
    int err;
    struct scanned *v;
    size_t n, cap;
    struct fouille__ignore ig;
    char *too_long[SKIPPED_MAX]; /* paths skipped, shortened */
    size_t ntoo_long;
};

static int scan_collect(const char *relpath, const struct stat *st, void *ctx)
{
    struct scan_work *w = ctx;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        struct scanned *nv = realloc(w->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        w->v = nv;
        w->cap = cap;
    }
    if (!(w->v[w->n].path = strdup(relpath)))
        return -1;
    w->v[w->n++].st = *st;
    return 0;
}

static void scan_dir_error(const char *relpath, int err, void *ctx)
{
    struct scan_work *w = ctx;
    if (fouille__transient_errno(err))
        w->incomplete = err; /* what it did not see is not gone */
    if (err != ENAMETOOLONG) {
        log_warn("%s: cannot read folder: %s", relpath, strerror(err));
        return;
    }
    /* Reported on the loop thread (scan_done), once per path. */
    if (w->ntoo_long < SKIPPED_MAX) {
        char *copy = strdup(relpath);
        if (copy)
            w->too_long[w->ntoo_long++] = copy;
    }
}

/* A path too long to be opened: one log line when first met, and a
 * record that `fouille failures` and /stats show. */
static void record_too_long(struct fouille__daemon *d, const char *shown)
{
    if (fouille__strmap_get(&d->skipped, shown) ||
        fouille__strmap_size(&d->skipped) >= SKIPPED_MAX)
        return;
    if (fouille__strmap_put(&d->skipped, shown, (void *)1, NULL) < 0)
        return;
    fouille__count_add(d->failures, "path too long", 1);
    log_warn("%s: skipped with everything below it: the path is longer "
             "than %d bytes", shown, FOUILLE__RELPATH_MAX);
}

static void scan_thread(uv_work_t *req)
{
    struct scan_work *w = req->data;
    int rc = fouille__scan(w->root, w->sub, &w->ig, scan_collect,
                           scan_dir_error, w);
    if (rc != 0) {
        w->failed = 1;
        w->err = rc < 0 ? errno : ENOMEM;
    }
}

static void start_reconcile(struct fouille__daemon *d);
static void on_retry_timer(uv_timer_t *t) { start_reconcile(t->data); }

static void scan_done(uv_work_t *req, int status)
{
    struct scan_work *w = req->data;
    struct fouille__daemon *d = w->d;
    int whole = w->sub[0] == '\0';
    if (whole)
        d->reconciling = 0;
    if (!d->stopping && (fouille__transient_errno(w->err) || w->incomplete) &&
        !uv_is_active((uv_handle_t *)&d->retry_timer)) {
        /* Out of descriptors or memory: what this scan missed is seen by
         * a full reconcile a little later (which also watches again the
         * folders it could not). */
        uv_timer_start(&d->retry_timer, on_retry_timer, SCAN_RETRY_MS, 0);
    }
    const struct fouille__registry *reg = fouille__pool_registry(d->pool);
    if (d->stopping) {
        /* nothing */
    } else if (!reg) {
        /* The pool was restarted (SIGHUP) while the folder was read: its
         * workers have not reported their plugins yet. */
        d->reconcile_on_ready = 1;
    } else if (w->failed || status < 0) {
        log_err("cannot read %s%s%s: %s; the index is left as it is", w->root,
                whole ? "" : "/", w->sub, strerror(w->err ? w->err : EIO));
    } else {
        if (w->incomplete) {
            log_warn("reconcile: some folders could not be read (%s); "
                     "nothing is removed from the index until a complete "
                     "scan", strerror(w->incomplete));
        }
        /* Every known path under the scanned folder that the scan did not
         * meet is gone. */
        struct prefix_ctx p = {w->sub, strlen(w->sub), NULL, 0, 0};
        struct fouille__strmap seen = {0};
        for (size_t i = 0; i < w->n; i++)
            fouille__strmap_put(&seen, w->v[i].path, (void *)1, NULL);
        fouille__strmap_each(&d->known, collect_prefix, &p);
        size_t deleted = 0;
        for (size_t i = 0; i < p.n; i++) {
            if (!w->incomplete && !fouille__strmap_get(&seen, p.paths[i]) &&
                !fouille__strmap_get(&d->inflight, p.paths[i]) &&
                !fouille__strmap_get(&d->pending, p.paths[i])) {
                fouille__writer_delete(d->writer, p.paths[i], 0);
                known_forget(d, p.paths[i]);
                deleted++;
            }
            free(p.paths[i]);
        }
        free(p.paths);
        fouille__strmap_free(&seen);
        size_t queued = 0;
        for (size_t i = 0; i < w->n; i++) {
            const char *path = w->v[i].path;
            if (!fouille__shard_mine(&d->shard, path) ||
                fouille__strmap_get(&d->inflight, path) ||
                fouille__strmap_get(&d->pending, path))
                continue;
            char sig[FOUILLE__SIG_MAX];
            fouille__signature(&w->v[i].st, sig);
            struct fouille__known *k = fouille__strmap_get(&d->known, path);
            if (!w->force && fouille__reconcile_file(k, sig, reg, path) ==
                                 FOUILLE__UNCHANGED)
                continue;
            submit(d, path, &w->v[i].st);
            queued++;
        }
        if (whole) {
            d->reconciles++;
            log_info("reconcile: %zu files, %zu to extract, %zu removed",
                     w->n, queued, deleted);
            if (!d->ready) {
                d->ready = 1;
                d->ready_at = (double)time(NULL);
            }
        }
    }
    for (size_t i = 0; i < w->ntoo_long; i++) {
        if (!d->stopping)
            record_too_long(d, w->too_long[i]);
        free(w->too_long[i]);
    }
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].path);
    free(w->v);
    fouille__ignore_free(&w->ig);
    free(w->root);
    free(w->sub);
    free(w);
    update_busy(d);
    if (whole && d->rescan_again && !d->stopping) {
        d->rescan_again = 0;
        start_reconcile(d);
    }
}

static int queue_scan(struct fouille__daemon *d, const char *sub, int force)
{
    struct scan_work *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->d = d;
    w->force = force;
    w->req.data = w;
    if (!(w->root = strdup(d->cfg.docs)) || !(w->sub = strdup(sub)) ||
        fouille__ignore_init(&w->ig, d->cfg.ignore, d->cfg.index_hidden) < 0 ||
        uv_queue_work(d->loop, &w->req, scan_thread, scan_done) < 0) {
        fouille__ignore_free(&w->ig);
        free(w->root);
        free(w->sub);
        free(w);
        return -1;
    }
    return 0;
}

static void start_reconcile(struct fouille__daemon *d)
{
    if (d->stopping)
        return;
    if (d->reconciling) {
        d->rescan_again = 1;
        return;
    }
    if (!fouille__pool_registry(d->pool)) {
        d->reconcile_on_ready = 1; /* see on_plugins_known */
        return;
    }
    if (d->watch)
        fouille__watch_retry(d->watch);
    if (queue_scan(d, "", 0) == 0)
        d->reconciling = 1;
    update_busy(d);
}

void fouille__daemon_rescan(struct fouille__daemon *d)
{
    if (!d->search_only)
        start_reconcile(d);
}

long fouille__daemon_reindex(struct fouille__daemon *d, const char *path,
                            char **canonical, const char **why)
{
    *canonical = NULL;
    *why = "no such file or folder inside the documents folder";
    if (d->search_only) {
        *why = "this daemon only searches shards";
        return -1;
    }
    char *rel = NULL;
    enum fouille__relpath_status rs = fouille__relpath_clean(path, &d->ig,
                                                             &rel);
    if (rs != FOUILLE__RELPATH_OK) {
        *why = fouille__relpath_status_str(rs);
        return -1;
    }
    struct stat st;
    int fd = fouille__open_beneath(d->rootfd, rel, O_PATH);
    int found = fd >= 0 && fstat(fd, &st) == 0;
    if (fd < 0 && errno == ELOOP)
        *why = "the path goes through a symbolic link";
    else if (fd < 0 && (errno == EXDEV || errno == EACCES))
        *why = "the path leads outside the documents folder";
    if (fd >= 0)
        close(fd);
    long n = -1;
    if (!found)
        ;
    else if (S_ISLNK(st.st_mode))
        *why = "the path is a symbolic link";
    else if (S_ISREG(st.st_mode)) {
        schedule(d, rel, 0, 1);
        n = 1;
    } else if (!S_ISDIR(st.st_mode))
        *why = "not a regular file or a folder";
    else if (queue_scan(d, rel, 1) == 0)
        n = 0; /* queued once the scan completes */
    if (n < 0)
        free(rel);
    else
        *canonical = rel;
    return n;
}

/* ---- watching ----------------------------------------------------------- */

static void on_change(enum fouille__change kind, const char *path, void *ctx)
{
    struct fouille__daemon *d = ctx;
    char *rel = NULL;
    if (kind != FOUILLE__CHANGE_OVERFLOW &&
        fouille__relpath_clean(path, &d->ig, &rel) != FOUILLE__RELPATH_OK)
        return;
    if (rel)
        path = rel;
    switch (kind) {
    case FOUILLE__CHANGE_WRITING:
        schedule(d, path, (double)d->cfg.debounce_ms, 0);
        break;
    case FOUILLE__CHANGE_DONE:
        schedule(d, path, SETTLE_MS, 0);
        break;
    case FOUILLE__CHANGE_REMOVED:
        /* Let the debounce confirm: a remove followed by a create of the
         * same name (atomic save) is a change, not a deletion. */
        schedule(d, path, SETTLE_MS, 0);
        break;
    case FOUILLE__CHANGE_DIR_ADDED:
        queue_scan(d, path, 0);
        break;
    case FOUILLE__CHANGE_DIR_REMOVED: {
        struct prefix_ctx p = {path, strlen(path), NULL, 0, 0};
        fouille__strmap_each(&d->known, collect_prefix, &p);
        for (size_t i = 0; i < p.n; i++) {
            known_forget(d, p.paths[i]);
            free(p.paths[i]);
        }
        free(p.paths);
        fouille__writer_delete(d->writer, path, 1);
        break;
    }
    case FOUILLE__CHANGE_OVERFLOW:
        start_reconcile(d);
        break;
    }
    free(rel);
}

/* ---- start and stop ------------------------------------------------------ */

static void on_rescan_timer(uv_timer_t *t) { start_reconcile(t->data); }

static void forget_failed(const char *path, void *ctx)
{
    known_forget(ctx, path);
}

/* Readers compare generations by themselves; what the index refused is
 * forgotten here, so that the next reconcile does it again. */
static void on_committed(void *ctx)
{
    struct fouille__daemon *d = ctx;
    if (d->writer)
        fouille__writer_take_failed(d->writer, forget_failed, d);
    pump(d);
    update_busy(d);
}

/* Mark again the documents whose private mark differs from the private
 * setting (it changed since they were indexed): the index changes a term,
 * nothing is extracted again. */
static void mark_one(const char *path, void *v, void *ctx)
{
    struct fouille__daemon *d = ctx;
    struct fouille__known *k = v;
    int want = fouille__view_private(&d->view, path);
    if (k->private_doc == want)
        return;
    k->private_doc = want;
    if (d->writer)
        fouille__writer_set_private(d->writer, path, want);
}

static void apply_view(struct fouille__daemon *d)
{
    fouille__strmap_each(&d->known, mark_one, d);
}

static int load_known(struct fouille__daemon *d, fouille_index_t *idx,
                      char *err, size_t errlen)
{
    struct fouille__snapshot snap;
    if (fouille__snapshot_load(&snap, idx) != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "cannot read the index: %s",
                 fouille_index_last_error(idx));
        return -1;
    }
    for (size_t i = 0; i < snap.n; i++) {
        struct fouille__known *k = malloc(sizeof *k);
        if (!k)
            continue;
        *k = snap.v[i];
        memset(&snap.v[i], 0, sizeof snap.v[i]);
        if (fouille__strmap_put(&d->known, k->path, k, NULL) < 0)
            known_free(k);
    }
    fouille__snapshot_free(&snap);
    return 0;
}

/* The workers of d->pool reported their plugins: the reconciles that
 * waited for the table can run. */
static void on_plugins_known(struct fouille__pool *pool, void *ctx)
{
    struct fouille__daemon *d = ctx;
    if (pool != d->pool)
        return; /* a pool replaced by a reload */
    if (!fouille__pool_registry(pool)) {
        log_err("no extraction worker could start: the index is left as "
                "it is");
        return;
    }
    if (d->reconcile_on_ready) {
        d->reconcile_on_ready = 0;
        start_reconcile(d);
    }
}

static struct fouille__pool_opts pool_opts(struct fouille__daemon *d)
{
    struct fouille__pool_opts po = fouille__pool_opts_from(&d->cfg, d->rootfd);
    po.ready = on_plugins_known;
    return po;
}

fouille_index_open_opts_t
fouille__daemon_read_opts(const struct fouille__daemon *d)
{
    fouille_index_open_opts_t o = {
        .remote_timeout_ms = (unsigned)d->cfg.remote_timeout_ms,
        .partial_ok = d->cfg.remote_partial,
    };
    return o;
}

/* A front daemon over shards (db is a stub file): check that it opens,
 * then only answer queries. */
static int start_search_only(struct fouille__daemon *d, char *err,
                             size_t errlen)
{
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    fouille_index_open_opts_t o = fouille__daemon_read_opts(d);
    /* A shard that is down at start is not a reason not to start: the
     * searches say so (partial) or fail (remote_partial = no). The stub
     * itself must be readable. */
    o.partial_ok = 1;
    fouille_index_status_t st = fouille_index_open_ex(
        d->cfg.db, FOUILLE_INDEX_READ, &o, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK && st != FOUILLE_INDEX_NETWORK) {
        snprintf(err, errlen, "shards %s: %s", d->cfg.db,
                 ierr[0] ? ierr : fouille_index_status_str(st));
        return -1;
    }
    if (st == FOUILLE_INDEX_NETWORK || ierr[0])
        log_warn("shards %s: %s", d->cfg.db,
                 ierr[0] ? ierr : "no shard answers yet");
    fouille_index_close(idx);
    d->search_only = 1;
    d->ready = 1;
    d->ready_at = (double)time(NULL);
    atomic_store(&d->index_open, 1);
    log_info("search only: %s lists the shards; no documents folder is "
             "watched", d->cfg.db);
    return 0;
}

/* Descriptors are what a busy daemon runs out of first (connections,
 * index files, worker sockets): use all the hard limit allows. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rlim_t was = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
            log_info("open files limit raised from %llu to %llu",
                     (unsigned long long)was,
                     (unsigned long long)rl.rlim_max);
    }
}

int fouille__daemon_start(struct fouille__daemon *d, uv_loop_t *loop,
                          char *err, size_t errlen)
{
    struct fouille__config *cfg = &d->cfg;
    struct stat dbst;
    raise_nofile();
    d->loop = loop;
    d->rootfd = -1;
    d->started = (double)time(NULL);
    if (fouille__synonyms_reload(d, err, errlen) < 0)
        return -1;
    if (cfg->db[0] && stat(cfg->db, &dbst) == 0 && S_ISREG(dbst.st_mode))
        return start_search_only(d, err, errlen);
    if (!cfg->docs[0] || !cfg->db[0]) {
        snprintf(err, errlen, "--docs DIR and --db DIR are required");
        return -1;
    }
    if (fouille__shard_parse(&d->shard, cfg->shard, err, errlen) < 0)
        return -1;
    d->rootfd = open(cfg->docs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->rootfd < 0) {
        snprintf(err, errlen, "documents folder %s: %s", cfg->docs,
                 strerror(errno));
        return -1;
    }
    if (fouille__ignore_init(&d->ig, cfg->ignore, cfg->index_hidden) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (fouille__view_init(&d->view, cfg->private, err, errlen) < 0)
        return -1;
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    fouille_index_status_t st = fouille_index_open(
        cfg->db, FOUILLE_INDEX_WRITE, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "index %s: %s", cfg->db,
                 ierr[0] ? ierr : fouille_index_status_str(st));
        return -1;
    }
    if (load_known(d, idx, err, errlen) < 0) {
        fouille_index_close(idx);
        return -1;
    }
    /* While catching up, a commit at most every 2 s (bigger batches cost
     * fewer flushes); alone, a change is committed at once. */
    if (fouille__writer_start(loop, idx, cfg->db, (unsigned)cfg->batch_size,
                              (size_t)cfg->batch_text_mb << 20, 2000,
                              writer_busy, on_committed, d, &d->writer) < 0) {
        fouille_index_close(idx);
        snprintf(err, errlen, "cannot start the index writer");
        return -1;
    }
    atomic_store(&d->index_open, 1);
    apply_view(d);
    struct fouille__pool_opts po = pool_opts(d);
    if (fouille__pool_new(loop, &po, on_job_done, d, &d->pool, err,
                          errlen) < 0)
        return -1;
    uv_timer_init(loop, &d->debounce_timer);
    d->timers_started = 1;
    d->debounce_timer.data = d;
    uv_timer_start(&d->debounce_timer, on_debounce_tick, DEBOUNCE_TICK_MS,
                   DEBOUNCE_TICK_MS);
    uv_timer_init(loop, &d->rescan_timer);
    d->rescan_timer.data = d;
    uv_timer_init(loop, &d->retry_timer);
    d->retry_timer.data = d;
    if (cfg->rescan_interval_s > 0)
        uv_timer_start(&d->rescan_timer, on_rescan_timer,
                       (uint64_t)cfg->rescan_interval_s * 1000,
                       (uint64_t)cfg->rescan_interval_s * 1000);
    char werr[256];
    if (fouille__watch_start(loop, cfg->docs, &d->ig, on_change, d, &d->watch,
                             werr, sizeof werr) < 0)
        log_warn("live watching unavailable (%s): changes are seen by the "
                 "periodic reconcile only", werr);
    start_reconcile(d);
    return 0;
}

static void on_old_pool_closed(void *ctx) { (void)ctx; }

void fouille__daemon_reload(struct fouille__daemon *d,
                            struct fouille__config *fresh)
{
    static const char *const fixed[] = {"docs", "db", "socket", "http",
                                        "shard", "staff_http",
                                        "staff_token_file"};
    char **keep[] = {&fresh->docs, &fresh->db, &fresh->socket, &fresh->http,
                     &fresh->shard, &fresh->staff_http,
                     &fresh->staff_token_file};
    char *cur[] = {d->cfg.docs, d->cfg.db, d->cfg.socket, d->cfg.http,
                   d->cfg.shard, d->cfg.staff_http, d->cfg.staff_token_file};
    char serr[512];
    if (d->stopping || d->search_only) {
        if (d->search_only)
            log_info("search only: nothing to reload but the log level and "
                     "the synonyms");
        if (!d->stopping) {
            fouille__log_set_level_name(fresh->log_level);
            free(d->cfg.synonyms);
            d->cfg.synonyms = fresh->synonyms;
            fresh->synonyms = NULL;
            if (fouille__synonyms_reload(d, serr, sizeof serr) < 0)
                log_err("synonyms: %s; keeping the previous ones", serr);
        }
        fouille__config_free(fresh);
        return;
    }
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(*keep[i], cur[i]) != 0) {
            log_warn("%s changed in the configuration: restart fouilled to "
                     "apply it", fixed[i]);
            free(*keep[i]);
            *keep[i] = strdup(cur[i]);
        }
    fouille__config_free(&d->cfg);
    d->cfg = *fresh;

    fouille__log_set_level_name(d->cfg.log_level);
    if (fouille__synonyms_reload(d, serr, sizeof serr) < 0)
        log_err("synonyms: %s; keeping the previous ones", serr);
    fouille__ignore_free(&d->ig);
    if (fouille__ignore_init(&d->ig, d->cfg.ignore, d->cfg.index_hidden) < 0)
        log_err("out of memory reading the ignore patterns");
    struct fouille__view view;
    if (fouille__view_init(&view, d->cfg.private, serr, sizeof serr) < 0)
        log_err("%s; keeping the previous private setting", serr);
    else {
        fouille__view_free(&d->view);
        d->view = view;
        apply_view(d);
        fouille__query_cache_clear(d);
    }

    /* A fresh pool picks up new plugins and limits; jobs of the old one
     * come back cancelled and are scheduled again. */
    struct fouille__pool *old = d->pool;
    struct fouille__pool_opts po = pool_opts(d);
    char err[256];
    if (fouille__pool_new(d->loop, &po, on_job_done, d, &d->pool, err,
                          sizeof err) < 0) {
        log_err("cannot restart the extraction workers: %s; keeping the "
                "old ones", err);
        d->pool = old;
    } else
        fouille__pool_close(old, on_old_pool_closed, d);

    uv_timer_stop(&d->rescan_timer);
    if (d->cfg.rescan_interval_s > 0)
        uv_timer_start(&d->rescan_timer, on_rescan_timer,
                       (uint64_t)d->cfg.rescan_interval_s * 1000,
                       (uint64_t)d->cfg.rescan_interval_s * 1000);
    start_reconcile(d);
}

uint64_t fouille__daemon_generation(struct fouille__daemon *d)
{
    return d->writer ? fouille__writer_generation(d->writer) : 0;
}

static void free_known(const char *k, void *v, void *ctx) { known_free(v); }
static void free_plain(const char *k, void *v, void *ctx) { free(v); }

static void on_pool_closed(void *ctx)
{
    struct fouille__daemon *d = ctx;
    d->pool = NULL;
    while (d->backlog_head) {
        struct fouille__job *job = d->backlog_head;
        d->backlog_head = job->next;
        fouille__job_free(job);
    }
    d->backlog_tail = NULL;
    d->backlog_len = 0;
    if (d->writer && fouille__writer_stop(d->writer) < 0)
        log_err("the last changes could not be committed; the next start "
                "will redo them");
    d->writer = NULL;
    atomic_store(&d->index_open, 0);
    fouille__strmap_each(&d->known, free_known, NULL);
    fouille__strmap_free(&d->known);
    fouille__strmap_each(&d->pending, free_plain, NULL);
    fouille__strmap_free(&d->pending);
    fouille__strmap_free(&d->inflight);
    fouille__strmap_free(&d->skipped);
    fouille__query_cache_clear(d);
    fouille_synonyms_unref(d->synonyms);
    d->synonyms = NULL;
    fouille__view_free(&d->view);
    fouille__ignore_free(&d->ig);
    if (d->rootfd >= 0)
        close(d->rootfd);
    d->rootfd = -1;
    if (d->timers_started)
        log_info("stopped");
}

void fouille__daemon_stop(struct fouille__daemon *d)
{
    if (d->stopping)
        return;
    d->stopping = 1;
    log_info("stopping: finishing the current batch and committing");
    if (d->timers_started) {
        uv_close((uv_handle_t *)&d->debounce_timer, NULL);
        uv_close((uv_handle_t *)&d->rescan_timer, NULL);
        uv_close((uv_handle_t *)&d->retry_timer, NULL);
    }
    fouille__watch_close(d->watch, NULL, NULL);
    d->watch = NULL;
    fouille__pool_close(d->pool, on_pool_closed, d);
}
