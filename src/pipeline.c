/* pipeline.c -- see pipeline.h. */
#include "config.h"

#include "pipeline.h"

#include "log.h"
#include "relpath.h"
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
/* How much may wait beyond the backlog: jobs handed to the workers (a
 * few per worker keeps them busy) and results waiting for the writer
 * (each holds a document's text in memory). A reconcile of a large folder
 * queues paths only, which cost a few bytes each. */
#define POOL_QUEUE_PER_WORKER 2
#define WRITER_QUEUE_MAX 16
/* Paths skipped for their length that are remembered (and shown). */
#define SKIPPED_MAX 100

/* ---- the known-files map ------------------------------------------------ */

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

fouille_index_status_t fouille__known_load(struct fouille__strmap *map,
                                           fouille_index_t *idx)
{
    struct fouille__snapshot snap;
    fouille_index_status_t st = fouille__snapshot_load(&snap, idx);
    if (st != FOUILLE_INDEX_OK)
        return st;
    for (size_t i = 0; i < snap.n && st == FOUILLE_INDEX_OK; i++) {
        struct fouille__known *k = malloc(sizeof *k);
        if (!k) {
            st = FOUILLE_INDEX_NO_MEMORY;
            break;
        }
        *k = snap.v[i];
        memset(&snap.v[i], 0, sizeof snap.v[i]);
        if (fouille__strmap_put(map, k->path, k, NULL) < 0) {
            known_free(k);
            st = FOUILLE_INDEX_NO_MEMORY;
        }
    }
    fouille__snapshot_free(&snap);
    if (st != FOUILLE_INDEX_OK)
        fouille__known_clear(map);
    return st;
}

void fouille__known_record(struct fouille__strmap *map,
                           const struct fouille__job *j)
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
        fouille__strmap_put(map, j->path, k, &old) < 0) {
        known_free(k);
        return;
    }
    known_free(old);
}

void fouille__known_forget(struct fouille__strmap *map, const char *path)
{
    known_free(fouille__strmap_del(map, path));
}

static void free_known(const char *path, void *v, void *ctx)
{
    (void)path, (void)ctx;
    known_free(v);
}

void fouille__known_clear(struct fouille__strmap *map)
{
    fouille__strmap_each(map, free_known, NULL);
    fouille__strmap_free(map);
}

/* Paths of a map under a folder ("" for all), copied: the map may then
 * change while they are gone through. */
struct prefix_ctx {
    const char *prefix;
    size_t len;
    char **paths;
    size_t n, cap;
    int failed;
};

static void collect_prefix(const char *path, void *v, void *ctx)
{
    struct prefix_ctx *p = ctx;
    (void)v;
    if (p->len && (strncmp(path, p->prefix, p->len) != 0 ||
                   path[p->len] != '/'))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **np = realloc(p->paths, cap * sizeof *np);
        if (!np) {
            p->failed = 1;
            return;
        }
        p->paths = np;
        p->cap = cap;
    }
    if ((p->paths[p->n] = strdup(path)))
        p->n++;
    else
        p->failed = 1;
}

static void prefix_free(struct prefix_ctx *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->paths[i]);
    free(p->paths);
}

/* ---- the reconcile diff -------------------------------------------------- */

int fouille__scan_list_add(const char *relpath, const struct stat *st,
                           void *list)
{
    struct fouille__scan_list *l = list;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        struct fouille__scanned *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    if (!(l->v[l->n].path = strdup(relpath)))
        return -1;
    l->v[l->n++].st = *st;
    return 0;
}

void fouille__scan_list_free(struct fouille__scan_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* A file to extract, and what its cost is guessed from. */
struct pending {
    size_t i; /* in the scan */
    int may_be_scan;
    off_t size;
};

/* Several workers finish a batch soonest when the longest work starts
 * first (a long document begun last keeps one core busy alone at the end).
 * The longest is a scan's recognition, which only a file's first pass
 * discovers, and which then runs in its own lane beside the others: files
 * that may be scans come first, then the largest; the folder's order
 * breaks ties. */
static int longest_first(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->may_be_scan != y->may_be_scan)
        return y->may_be_scan - x->may_be_scan;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int fouille__diff_run(struct fouille__diff *df,
                      const struct fouille__scanned *v, size_t n)
{
    df->mine = df->unchanged = df->extracted = df->removed = 0;
    struct pending *todo = n ? malloc(n * sizeof *todo) : NULL;
    if (n && !todo)
        return -1;
    if (!df->incomplete) {
        /* Every known path under the scanned folder that the scan did
         * not meet is gone. */
        struct prefix_ctx p = {df->under, strlen(df->under), NULL, 0, 0, 0};
        struct fouille__strmap seen = {0};
        int failed = 0;
        for (size_t i = 0; i < n && !failed; i++)
            if (!df->foreign_gone || fouille__shard_mine(df->shard, v[i].path))
                failed = fouille__strmap_put(&seen, v[i].path, (void *)1,
                                             NULL) < 0;
        if (!failed)
            fouille__strmap_each(df->known, collect_prefix, &p);
        if (failed || p.failed) {
            fouille__strmap_free(&seen);
            prefix_free(&p);
            free(todo);
            return -1;
        }
        for (size_t i = 0; i < p.n; i++)
            if (!fouille__strmap_get(&seen, p.paths[i]) &&
                !(df->busy && df->busy(p.paths[i], df->ctx))) {
                df->remove(p.paths[i], df->ctx);
                df->removed++;
            }
        fouille__strmap_free(&seen);
        prefix_free(&p);
    }
    size_t ntodo = 0;
    for (size_t i = 0; i < n; i++) {
        const char *path = v[i].path;
        if (!fouille__shard_mine(df->shard, path))
            continue;
        df->mine++;
        if (df->busy && df->busy(path, df->ctx))
            continue;
        char sig[FOUILLE__SIG_MAX];
        fouille__signature(&v[i].st, sig);
        struct fouille__known *k = fouille__strmap_get(df->known, path);
        if (!df->force && fouille__reconcile_file(k, sig, df->reg, path) ==
                              FOUILLE__UNCHANGED) {
            df->unchanged++;
            continue;
        }
        todo[ntodo++] = (struct pending){
            .i = i,
            .may_be_scan =
                df->reg && fouille__registry_may_be_scanned(df->reg, path),
            .size = v[i].st.st_size,
        };
    }
    if (ntodo > 1)
        qsort(todo, ntodo, sizeof *todo, longest_first);
    for (size_t j = 0; j < ntodo; j++)
        df->extract(v[todo[j].i].path, &v[todo[j].i].st, df->ctx);
    df->extracted = ntodo;
    free(todo);
    return 0;
}

/* ---- the debounce rules -------------------------------------------------- */

struct fouille__due {
    double at;  /* ms, monotonic */
    int force;  /* re-extract even if unchanged */
};

int fouille__debounce_add(struct fouille__debounce *db, const char *path,
                          double now, double delay_ms, int force)
{
    struct fouille__due *e = fouille__strmap_get(&db->due, path);
    double at = now + delay_ms;
    if (!e) {
        if (!(e = calloc(1, sizeof *e)) ||
            fouille__strmap_put(&db->due, path, e, NULL) < 0) {
            free(e);
            return -1;
        }
        e->at = at;
    } else if (delay_ms >= db->quiet_ms || at < e->at)
        e->at = at; /* writing again: restart the quiet period */
    e->force |= force;
    return 0;
}

struct due_ctx {
    double now;
    char **paths;
    size_t n, cap;
};

static void collect_due(const char *path, void *v, void *ctx)
{
    struct due_ctx *c = ctx;
    const struct fouille__due *e = v;
    if (e->at > c->now)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        char **np = realloc(c->paths, cap * sizeof *np);
        if (!np)
            return; /* the rest is taken at the next run */
        c->paths = np;
        c->cap = cap;
    }
    if ((c->paths[c->n] = strdup(path)))
        c->n++;
}

void fouille__debounce_run(struct fouille__debounce *db, double now,
                           int (*take)(const char *path, int force, void *ctx),
                           void *ctx)
{
    /* Taken out first: take may add paths again. */
    struct due_ctx c = {.now = now};
    fouille__strmap_each(&db->due, collect_due, &c);
    for (size_t i = 0; i < c.n; i++) {
        struct fouille__due *e = fouille__strmap_del(&db->due, c.paths[i]);
        if (e && take(c.paths[i], e->force, ctx) != 0) {
            /* Another quiet period, with the same force. */
            e->at = now + db->quiet_ms;
            if (fouille__strmap_put(&db->due, c.paths[i], e, NULL) == 0)
                e = NULL;
        }
        free(e);
        free(c.paths[i]);
    }
    free(c.paths);
}

size_t fouille__debounce_size(const struct fouille__debounce *db)
{
    return fouille__strmap_size(&db->due);
}

static void free_plain(const char *k, void *v, void *ctx)
{
    (void)k, (void)ctx;
    free(v);
}

void fouille__debounce_free(struct fouille__debounce *db)
{
    fouille__strmap_each(&db->due, free_plain, NULL);
    fouille__strmap_free(&db->due);
}

/* ---- the pipeline -------------------------------------------------------- */

struct fouille__pipeline {
    struct fouille__pipeline_opts o;
    struct fouille__pool *pool;
    struct fouille__writer *writer;

    struct fouille__strmap known;      /* path -> struct fouille__known */
    struct fouille__debounce debounce;
    struct fouille__strmap inflight;   /* path -> job, in the backlog or
                                        * in extraction */
    struct fouille__strmap skipped;    /* paths too long to index (shown
                                        * shortened) -> 1, bounded */
    struct fouille__job *backlog_head; /* jobs not yet given to the pool */
    struct fouille__job *backlog_tail;
    size_t backlog_len;
    uv_timer_t debounce_timer;
    uv_timer_t rescan_timer;
    uv_timer_t retry_timer;            /* a scan failed for a transient
                                        * reason: reconcile again soon */
    int reconciling;                   /* a scan is running */
    int rescan_again;                  /* another was asked for meanwhile */
    int reconcile_on_ready;            /* one waits for the workers'
                                        * plugin report */
    int scans;                         /* scans in the thread pool */
    int closing;
    int timers_open;                   /* timers not closed yet */
    _Atomic int busy;                  /* work on its way to the writer */
    uint64_t extracted, failed, reconciles;
    void (*done)(int status, void *ctx);
    void *done_ctx;
};

static double now_ms(struct fouille__pipeline *p)
{
    if (p->o.clock_ms)
        return p->o.clock_ms(p->o.ctx);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void update_busy(struct fouille__pipeline *p)
{
    /* Recognition in the OCR lane takes minutes: it does not hold back
     * the commit of what is already extracted. */
    size_t n = fouille__debounce_size(&p->debounce) + p->backlog_len +
               (p->pool ? fouille__pool_pending_first(p->pool) : 0) +
               (size_t)p->reconciling;
    int was = atomic_exchange(&p->busy, n > 0);
    if (was && n == 0 && p->writer)
        fouille__writer_poke(p->writer); /* commit now */
}

static int writer_busy(void *ctx)
{
    struct fouille__pipeline *p = ctx;
    return atomic_load(&p->busy);
}

/* ---- extraction -------------------------------------------------------- */

static void schedule(struct fouille__pipeline *p, const char *path,
                     double delay, int force);
static void start_reconcile(struct fouille__pipeline *p);

/* Move jobs from the backlog to the workers while both the workers and
 * the writer keep up. Called whenever either makes progress. */
static void pump(struct fouille__pipeline *p)
{
    if (!p->pool || !p->writer)
        return;
    size_t pool_max = (size_t)POOL_QUEUE_PER_WORKER *
                      fouille__pool_opts_from(p->o.cfg, p->o.rootfd).workers;
    while (p->backlog_head &&
           fouille__pool_pending_first(p->pool) < pool_max &&
           fouille__writer_queued(p->writer) < WRITER_QUEUE_MAX) {
        struct fouille__job *job = p->backlog_head;
        p->backlog_head = job->next;
        if (!p->backlog_head)
            p->backlog_tail = NULL;
        p->backlog_len--;
        job->next = NULL;
        fouille__pool_submit(p->pool, job);
    }
}

static void on_job_done(struct fouille__job *job, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    fouille__strmap_del(&p->inflight, job->path);
    if (job->cancelled) {
        /* The pool was restarted (reload) or is closing: do it again. */
        if (!p->closing)
            schedule(p, job->path, 0, 1);
        fouille__job_free(job);
        update_busy(p);
        return;
    }
    if (job->retry && !p->closing) {
        /* Out of descriptors or memory: not the file's fault. */
        log_info("%s: %s; trying again in %d ms", job->path, job->doc.detail,
                 TRANSIENT_RETRY_MS);
        schedule(p, job->path, TRANSIENT_RETRY_MS, 1);
        fouille__job_free(job);
        pump(p);
        update_busy(p);
        return;
    }
    if (job->doc.reason == FOUILLE__REASON_NONE)
        p->extracted++;
    else {
        char reason[256];
        fouille__doc_reason(&job->doc, reason, sizeof reason);
        p->failed++;
        log_warn("%s: not indexed: %s", job->path, reason);
    }
    /* Decided now, with the settings of the moment: a reload while the
     * job was extracted cannot leave it marked by the old ones. */
    job->private_doc = fouille__view_private(p->o.view, job->path);
    fouille__known_record(&p->known, job);
    fouille__writer_store(p->writer, job);
    pump(p);
    update_busy(p);
}

static void submit(struct fouille__pipeline *p, const char *path,
                   const struct stat *st)
{
    char sig[FOUILLE__SIG_MAX];
    fouille__signature(st, sig);
    struct fouille__job *job = fouille__job_new(path, sig, (uint64_t)st->st_size);
    if (!job || fouille__strmap_put(&p->inflight, path, job, NULL) < 0) {
        log_err("%s: out of memory", path);
        fouille__job_free(job);
        return;
    }
    if (p->backlog_tail)
        p->backlog_tail->next = job;
    else
        p->backlog_head = job;
    p->backlog_tail = job;
    p->backlog_len++;
    pump(p);
}

/* A path whose quiet period is over: extract it if it changed. Returns 1
 * to keep it waiting (its previous version is still being extracted). */
static int process(const char *path, int force, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    if (fouille__strmap_get(&p->inflight, path))
        return 1;
    struct stat st;
    int fd = fouille__open_beneath(p->o.rootfd, path, O_PATH);
    if (fd < 0 && fouille__transient_errno(errno)) {
        schedule(p, path, TRANSIENT_RETRY_MS, force);
        return 0; /* not a sign that the file is gone */
    }
    int found = fd >= 0 && fstat(fd, &st) == 0;
    if (fd >= 0)
        close(fd);
    if (!found || !S_ISREG(st.st_mode)) {
        if (fouille__strmap_get(&p->known, path)) {
            fouille__writer_delete(p->writer, path, 0);
            fouille__known_forget(&p->known, path);
        }
        return 0;
    }
    if (!fouille__shard_mine(p->o.shard, path))
        return 0;
    const struct fouille__registry *reg = fouille__pool_registry(p->pool);
    if (!force && !reg) {
        /* The workers have not said yet which plugins they have. */
        schedule(p, path, SETTLE_MS, 0);
        return 0;
    }
    char sig[FOUILLE__SIG_MAX];
    fouille__signature(&st, sig);
    struct fouille__known *k = fouille__strmap_get(&p->known, path);
    if (!force &&
        fouille__reconcile_file(k, sig, reg, path) == FOUILLE__UNCHANGED)
        return 0;
    submit(p, path, &st);
    return 0;
}

static void on_debounce_tick(uv_timer_t *t)
{
    struct fouille__pipeline *p = t->data;
    fouille__debounce_run(&p->debounce, now_ms(p), process, p);
    if (fouille__debounce_size(&p->debounce) == 0)
        uv_timer_stop(t);
    update_busy(p);
}

static void schedule(struct fouille__pipeline *p, const char *path,
                     double delay, int force)
{
    p->debounce.quiet_ms = (double)p->o.cfg->debounce_ms;
    if (fouille__debounce_add(&p->debounce, path, now_ms(p), delay, force) < 0)
        return;
    if (!uv_is_active((uv_handle_t *)&p->debounce_timer))
        uv_timer_start(&p->debounce_timer, on_debounce_tick, DEBOUNCE_TICK_MS,
                       DEBOUNCE_TICK_MS);
    update_busy(p);
}

void fouille__pipeline_submit(struct fouille__pipeline *p, const char *path,
                              unsigned delay_ms, int force)
{
    if (!p->closing)
        schedule(p, path, (double)delay_ms, force);
}

void fouille__pipeline_delete(struct fouille__pipeline *p, const char *folder)
{
    struct prefix_ctx c = {folder, strlen(folder), NULL, 0, 0, 0};
    fouille__strmap_each(&p->known, collect_prefix, &c);
    for (size_t i = 0; i < c.n; i++)
        fouille__known_forget(&p->known, c.paths[i]);
    prefix_free(&c);
    fouille__writer_delete(p->writer, folder, 1);
}

/* ---- reconcile ---------------------------------------------------------- */

struct scan_work {
    uv_work_t req;
    struct fouille__pipeline *p;
    char *root;
    char *sub;     /* "" for all */
    int force;
    int failed;    /* the root could not be read: delete nothing */
    int incomplete; /* an errno: a folder could not be read for a
                     * transient reason: delete nothing, scan again */
    int err;
    struct fouille__scan_list files;
    struct fouille__ignore ig;
    char *too_long[SKIPPED_MAX]; /* paths skipped, shortened */
    size_t ntoo_long;
};

static int scan_collect(const char *relpath, const struct stat *st, void *ctx)
{
    struct scan_work *w = ctx;
    return fouille__scan_list_add(relpath, st, &w->files);
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
static void record_too_long(struct fouille__pipeline *p, const char *shown)
{
    if (fouille__strmap_get(&p->skipped, shown) ||
        fouille__strmap_size(&p->skipped) >= SKIPPED_MAX)
        return;
    if (fouille__strmap_put(&p->skipped, shown, (void *)1, NULL) < 0)
        return;
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

static void on_retry_timer(uv_timer_t *t) { start_reconcile(t->data); }

static int diff_busy(const char *path, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    return fouille__strmap_get(&p->inflight, path) ||
           fouille__strmap_get(&p->debounce.due, path);
}

static void diff_extract(const char *path, const struct stat *st, void *ctx)
{
    submit(ctx, path, st);
}

static void diff_remove(const char *path, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    fouille__writer_delete(p->writer, path, 0);
    fouille__known_forget(&p->known, path);
}

/* Apply a scan's diff (loop thread). */
static void apply_scan(struct fouille__pipeline *p, struct scan_work *w,
                       const struct fouille__registry *reg)
{
    int whole = w->sub[0] == '\0';
    if (w->incomplete)
        log_warn("reconcile: some folders could not be read (%s); "
                 "nothing is removed from the index until a complete "
                 "scan", strerror(w->incomplete));
    struct fouille__diff df = {
        .known = &p->known, .reg = reg, .shard = p->o.shard,
        .under = w->sub, .force = w->force, .incomplete = w->incomplete,
        .busy = diff_busy, .extract = diff_extract, .remove = diff_remove,
        .ctx = p,
    };
    if (fouille__diff_run(&df, w->files.v, w->files.n) < 0) {
        log_err("reconcile: out of memory; the index is left as it is");
        return;
    }
    if (whole) {
        p->reconciles++;
        log_info("reconcile: %zu files, %zu to extract, %zu removed",
                 w->files.n, df.extracted, df.removed);
        if (p->o.reconciled)
            p->o.reconciled(p->o.ctx);
    }
}

static void scan_work_free(struct scan_work *w)
{
    for (size_t i = 0; i < w->ntoo_long; i++)
        free(w->too_long[i]);
    fouille__scan_list_free(&w->files);
    fouille__ignore_free(&w->ig);
    free(w->root);
    free(w->sub);
    free(w);
}

static void finish_close(struct fouille__pipeline *p);

static void scan_done(uv_work_t *req, int status)
{
    struct scan_work *w = req->data;
    struct fouille__pipeline *p = w->p;
    int whole = w->sub[0] == '\0';
    p->scans--;
    if (whole)
        p->reconciling = 0;
    if (!p->closing && (fouille__transient_errno(w->err) || w->incomplete) &&
        !uv_is_active((uv_handle_t *)&p->retry_timer)) {
        /* Out of descriptors or memory: what this scan missed is seen by
         * a full reconcile a little later (which also watches again the
         * folders it could not). */
        uv_timer_start(&p->retry_timer, on_retry_timer, SCAN_RETRY_MS, 0);
    }
    const struct fouille__registry *reg = fouille__pool_registry(p->pool);
    if (p->closing) {
        /* nothing */
    } else if (!reg) {
        /* The pool was restarted (reload) while the folder was read: its
         * workers have not reported their plugins yet. */
        p->reconcile_on_ready = 1;
    } else if (w->failed || status < 0) {
        log_err("cannot read %s%s%s: %s; the index is left as it is", w->root,
                whole ? "" : "/", w->sub, strerror(w->err ? w->err : EIO));
    } else
        apply_scan(p, w, reg);
    for (size_t i = 0; i < w->ntoo_long && !p->closing; i++)
        record_too_long(p, w->too_long[i]);
    scan_work_free(w);
    if (p->closing) {
        finish_close(p);
        return;
    }
    update_busy(p);
    if (whole && p->rescan_again) {
        p->rescan_again = 0;
        start_reconcile(p);
    }
}

static int queue_scan(struct fouille__pipeline *p, const char *sub, int force)
{
    struct scan_work *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->p = p;
    w->force = force;
    w->req.data = w;
    const struct fouille__config *cfg = p->o.cfg;
    if (!(w->root = strdup(cfg->docs)) || !(w->sub = strdup(sub)) ||
        fouille__ignore_init(&w->ig, cfg->ignore, cfg->index_hidden) < 0 ||
        uv_queue_work(p->o.loop, &w->req, scan_thread, scan_done) < 0) {
        scan_work_free(w);
        return -1;
    }
    p->scans++;
    return 0;
}

static void start_reconcile(struct fouille__pipeline *p)
{
    if (p->closing)
        return;
    if (p->reconciling) {
        p->rescan_again = 1;
        return;
    }
    if (!fouille__pool_registry(p->pool)) {
        p->reconcile_on_ready = 1; /* see on_plugins_known */
        return;
    }
    if (p->o.scanning)
        p->o.scanning(p->o.ctx);
    if (queue_scan(p, "", 0) == 0)
        p->reconciling = 1;
    update_busy(p);
}

int fouille__pipeline_reconcile(struct fouille__pipeline *p,
                                const char *folder, int force)
{
    if (p->closing)
        return -1;
    if (!folder[0] && !force) {
        start_reconcile(p);
        return 0;
    }
    return queue_scan(p, folder, force);
}

/* ---- open, reload, close ------------------------------------------------- */

static void on_rescan_timer(uv_timer_t *t) { start_reconcile(t->data); }

static void forget_failed(const char *path, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    fouille__known_forget(&p->known, path);
}

/* Readers compare generations by themselves; what the index refused is
 * forgotten here, so that the next reconcile does it again. */
static void on_committed(void *ctx)
{
    struct fouille__pipeline *p = ctx;
    if (p->writer)
        fouille__writer_take_failed(p->writer, forget_failed, p);
    pump(p);
    update_busy(p);
}

/* Mark again the documents whose private mark differs from the private
 * setting (it changed since they were indexed): the index changes a term,
 * nothing is extracted again. */
static void mark_one(const char *path, void *v, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    struct fouille__known *k = v;
    int want = fouille__view_private(p->o.view, path);
    if (k->private_doc == want)
        return;
    k->private_doc = want;
    if (p->writer)
        fouille__writer_set_private(p->writer, path, want);
}

/* The workers of p->pool reported their plugins: the reconciles that
 * waited for the table can run. */
static void on_plugins_known(struct fouille__pool *pool, void *ctx)
{
    struct fouille__pipeline *p = ctx;
    if (pool != p->pool)
        return; /* a pool replaced by a reload */
    if (!fouille__pool_registry(pool)) {
        log_err("no extraction worker could start: the index is left as "
                "it is");
        return;
    }
    if (p->reconcile_on_ready) {
        p->reconcile_on_ready = 0;
        start_reconcile(p);
    }
}

static int new_pool(struct fouille__pipeline *p, char *err, size_t errlen)
{
    struct fouille__pool_opts po =
        fouille__pool_opts_from(p->o.cfg, p->o.rootfd);
    po.ready = on_plugins_known;
    return fouille__pool_new(p->o.loop, &po, on_job_done, p, &p->pool, err,
                             errlen);
}

static void start_rescan_timer(struct fouille__pipeline *p)
{
    uint64_t every = (uint64_t)p->o.cfg->rescan_interval_s * 1000;
    uv_timer_stop(&p->rescan_timer);
    if (every > 0)
        uv_timer_start(&p->rescan_timer, on_rescan_timer, every, every);
}

int fouille__pipeline_open(const struct fouille__pipeline_opts *o,
                           fouille_index_t *idx, struct fouille__pipeline **out,
                           char *err, size_t errlen)
{
    *out = NULL;
    struct fouille__pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        fouille_index_close(idx);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p->o = *o;
    if (fouille__known_load(&p->known, idx) != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "cannot read the index: %s",
                 fouille_index_last_error(idx));
        fouille_index_close(idx);
        free(p);
        return -1;
    }
    /* While catching up, a commit at most every 2 s (bigger batches cost
     * fewer flushes); alone, a change is committed at once. */
    const struct fouille__config *cfg = o->cfg;
    if (fouille__writer_start(o->loop, idx, cfg->db, (unsigned)cfg->batch_size,
                              (size_t)cfg->batch_text_mb << 20, 2000,
                              fouille__analysis_threads(cfg),
                              (unsigned)cfg->compact_after_percent,
                              writer_busy, on_committed, p, &p->writer) < 0) {
        fouille_index_close(idx);
        fouille__known_clear(&p->known);
        free(p);
        snprintf(err, errlen, "cannot start the index writer");
        return -1;
    }
    fouille__strmap_each(&p->known, mark_one, p);
    if (new_pool(p, err, errlen) < 0) {
        fouille__writer_stop(p->writer);
        fouille__known_clear(&p->known);
        free(p);
        return -1;
    }
    uv_timer_init(o->loop, &p->debounce_timer);
    uv_timer_init(o->loop, &p->rescan_timer);
    uv_timer_init(o->loop, &p->retry_timer);
    p->debounce_timer.data = p->rescan_timer.data = p->retry_timer.data = p;
    p->timers_open = 3;
    p->debounce.quiet_ms = (double)cfg->debounce_ms;
    uv_timer_start(&p->debounce_timer, on_debounce_tick, DEBOUNCE_TICK_MS,
                   DEBOUNCE_TICK_MS);
    start_rescan_timer(p);
    *out = p;
    start_reconcile(p);
    return 0;
}

static void on_old_pool_closed(void *ctx) { (void)ctx; }

void fouille__pipeline_reload(struct fouille__pipeline *p)
{
    if (p->closing)
        return;
    fouille__strmap_each(&p->known, mark_one, p);
    /* A fresh pool picks up new plugins and limits; jobs of the old one
     * come back cancelled and are scheduled again. */
    struct fouille__pool *old = p->pool;
    char err[256];
    if (new_pool(p, err, sizeof err) < 0) {
        log_err("cannot restart the extraction workers: %s; keeping the "
                "old ones", err);
        p->pool = old;
    } else
        fouille__pool_close(old, on_old_pool_closed, p);
    start_rescan_timer(p);
    start_reconcile(p);
}

const struct fouille__known *
fouille__pipeline_known(const struct fouille__pipeline *p, const char *path)
{
    return p ? fouille__strmap_get(&p->known, path) : NULL;
}

struct each_ctx {
    void (*fn)(const char *path, const struct fouille__known *k, int skipped,
               void *ctx);
    void *ctx;
    int skipped;
};

static void each_one(const char *path, void *v, void *ctx)
{
    struct each_ctx *e = ctx;
    e->fn(path, e->skipped ? NULL : v, e->skipped, e->ctx);
}

void fouille__pipeline_each(const struct fouille__pipeline *p,
                            void (*fn)(const char *path,
                                       const struct fouille__known *k,
                                       int skipped, void *ctx),
                            void *ctx)
{
    if (!p)
        return;
    struct each_ctx e = {fn, ctx, 0};
    fouille__strmap_each(&p->known, each_one, &e);
    e.skipped = 1;
    fouille__strmap_each(&p->skipped, each_one, &e);
}

void fouille__pipeline_get_stats(struct fouille__pipeline *p,
                                 struct fouille__pipeline_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!p)
        return;
    st->debounce = fouille__debounce_size(&p->debounce);
    st->waiting = p->backlog_len;
    st->extracting = p->pool ? fouille__pool_pending(p->pool) : 0;
    st->extracted = p->extracted;
    st->failed = p->failed;
    st->reconciles = p->reconciles;
    if (p->writer)
        fouille__writer_get_stats(p->writer, &st->index);
    if (p->pool)
        fouille__pool_get_stats(p->pool, &st->workers);
}

uint64_t fouille__pipeline_generation(const struct fouille__pipeline *p)
{
    return p && p->writer ? fouille__writer_generation(p->writer) : 0;
}

struct fouille__writer *fouille__pipeline_writer(const struct fouille__pipeline *p)
{
    return p ? p->writer : NULL;
}

/* The last step of a close: every handle and scan is done. */
static void finish_close(struct fouille__pipeline *p)
{
    if (p->pool || p->timers_open || p->scans)
        return;
    int status = 0;
    if (p->writer && fouille__writer_stop(p->writer) < 0) {
        log_err("the last changes could not be committed; the next start "
                "will redo them");
        status = -1;
    }
    p->writer = NULL;
    fouille__known_clear(&p->known);
    fouille__debounce_free(&p->debounce);
    fouille__strmap_free(&p->inflight);
    fouille__strmap_free(&p->skipped);
    void (*done)(int, void *) = p->done;
    void *ctx = p->done_ctx;
    free(p);
    if (done)
        done(status, ctx);
}

static void on_pool_closed(void *ctx)
{
    struct fouille__pipeline *p = ctx;
    p->pool = NULL;
    while (p->backlog_head) {
        struct fouille__job *job = p->backlog_head;
        p->backlog_head = job->next;
        fouille__job_free(job);
    }
    p->backlog_tail = NULL;
    p->backlog_len = 0;
    finish_close(p);
}

static void on_timer_closed(uv_handle_t *h)
{
    struct fouille__pipeline *p = h->data;
    p->timers_open--;
    finish_close(p);
}

void fouille__pipeline_close(struct fouille__pipeline *p,
                             void (*done)(int status, void *ctx), void *ctx)
{
    if (!p) {
        if (done)
            done(0, ctx);
        return;
    }
    if (p->closing)
        return;
    p->closing = 1;
    p->done = done;
    p->done_ctx = ctx;
    uv_close((uv_handle_t *)&p->debounce_timer, on_timer_closed);
    uv_close((uv_handle_t *)&p->rescan_timer, on_timer_closed);
    uv_close((uv_handle_t *)&p->retry_timer, on_timer_closed);
    fouille__pool_close(p->pool, on_pool_closed, p);
}
