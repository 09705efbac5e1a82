/* writer.c -- see writer.h. */
#include "config.h"

#include "writer.h"

#include "log.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum op_kind { OP_STORE, OP_DELETE, OP_DELETE_FOLDER, OP_PRIVATE, OP_PUBLIC };

/* Where an OP_STORE's analysis (fouille__store_prepare) stands. */
enum prep_state { PREP_QUEUED, PREP_BUSY, PREP_READY };

struct op {
    enum op_kind kind;
    struct fouille__job *job; /* OP_STORE */
    enum prep_state prep_state;         /* OP_STORE */
    fouille_index_prepared_t *prep;     /* when PREP_READY; may be NULL */
    char *path;               /* OP_DELETE*, OP_PRIVATE, OP_PUBLIC */
    struct op *next;
};

struct fouille__writer {
    fouille_index_t *idx;   /* NULL while it cannot be reopened */
    char *db;               /* its path, to reopen it after a failure */
    struct op *batch_head;  /* applied since the last commit (writer */
    struct op *batch_tail;  /* thread only): kept until it succeeds */
    unsigned batch_size;
    size_t batch_bytes;
    unsigned commit_ms;
    int (*busy)(void *);
    void (*committed)(void *);
    void *ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    struct op *head, *tail;
    size_t queued;
    /* Analysis ahead of the writer: the analysts take the first OP_STORE
     * nobody claimed (unclaimed), and wait while ahead (stores claimed,
     * not yet taken by the writer) reaches ahead_max, which bounds the
     * memory of analysed documents waiting. The writer analyses a store
     * itself when it reaches one still unclaimed. */
    pthread_t *analysts;
    unsigned n_analysts, ahead, ahead_max;
    struct op *unclaimed;
    pthread_cond_t work;    /* for the analysts: a store to analyse */
    pthread_cond_t ready;   /* for the writer: an analysis finished */
    int stopping;
    uv_async_t async;
    char **failed;          /* paths the index refused, under mu */
    size_t n_failed, cap_failed;
    _Atomic uint64_t generation;
    struct fouille__writer_stats stats; /* under mu */
    /* Compaction once quiet after compact_percent of the index changed:
     * changed counts the operations committed since the last one (writer
     * thread only); readers take swap to open or reopen, the writer holds
     * it while the files are replaced; layout counts compactions. */
    unsigned compact_percent;
    uint64_t changed;
    int compact_pending;     /* changed calls for one (writer thread) */
    double last_commit_ms;
    _Atomic uint64_t layout;
    pthread_rwlock_t swap;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void push(struct fouille__writer *w, struct op *op)
{
    pthread_mutex_lock(&w->mu);
    op->next = NULL;
    if (w->tail)
        w->tail->next = op;
    else
        w->head = op;
    w->tail = op;
    w->queued++;
    if (op->kind == OP_STORE && !w->unclaimed) {
        w->unclaimed = op;
        pthread_cond_signal(&w->work);
    }
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
}

/* Under mu: op (an unclaimed store) is being analysed; unclaimed moves to
 * the next store nobody claimed. */
static void claim(struct fouille__writer *w, struct op *op)
{
    op->prep_state = PREP_BUSY;
    w->ahead++;
    if (w->unclaimed == op) {
        struct op *next = op->next;
        while (next && (next->kind != OP_STORE ||
                        next->prep_state != PREP_QUEUED))
            next = next->next;
        w->unclaimed = next;
    }
}

/* Analyse a claimed store, outside mu, and say so under it. */
static void analyse(struct fouille__writer *w, struct op *op)
{
    struct fouille__job *j = op->job;
    struct fouille__extracted x = {j->path, j->sig, j->size,
                                   j->meta.mime, j->meta.plugin, &j->doc, 0};
    x.private_doc = j->private_doc;
    pthread_mutex_unlock(&w->mu);
    fouille_index_prepared_t *prep = fouille__store_prepare(&x);
    pthread_mutex_lock(&w->mu);
    op->prep = prep;
    op->prep_state = PREP_READY;
    pthread_cond_broadcast(&w->ready);
}

static void *analyst_main(void *arg)
{
    struct fouille__writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stopping && (!w->unclaimed || w->ahead >= w->ahead_max))
            pthread_cond_wait(&w->work, &w->mu);
        if (w->stopping)
            break; /* the writer analyses what is left itself */
        struct op *op = w->unclaimed;
        claim(w, op);
        analyse(w, op);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

void fouille__writer_store(struct fouille__writer *w, struct fouille__job *job)
{
    struct op *op = calloc(1, sizeof *op);
    if (!op) {
        log_err("%s: out of memory; it will be indexed by the next "
                "reconcile", job->path);
        fouille__job_free(job);
        return;
    }
    op->kind = OP_STORE;
    op->job = job;
    push(w, op);
}

void fouille__writer_delete(struct fouille__writer *w, const char *path,
                            int is_folder)
{
    struct op *op = calloc(1, sizeof *op);
    if (!op || !(op->path = strdup(path))) {
        free(op);
        log_err("%s: out of memory; it will be removed by the next "
                "reconcile", path);
        return;
    }
    op->kind = is_folder ? OP_DELETE_FOLDER : OP_DELETE;
    push(w, op);
}

void fouille__writer_set_private(struct fouille__writer *w, const char *path,
                                 int private_doc)
{
    struct op *op = calloc(1, sizeof *op);
    if (!op || !(op->path = strdup(path))) {
        free(op);
        log_err("%s: out of memory; its private mark is set at the next "
                "start", path);
        return;
    }
    op->kind = private_doc ? OP_PRIVATE : OP_PUBLIC;
    push(w, op);
}

void fouille__writer_poke(struct fouille__writer *w)
{
    pthread_mutex_lock(&w->mu);
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
}

void fouille__writer_take_failed(struct fouille__writer *w,
                                 void (*fn)(const char *path, void *ctx),
                                 void *ctx)
{
    pthread_mutex_lock(&w->mu);
    char **failed = w->failed;
    size_t n = w->n_failed;
    w->failed = NULL;
    w->n_failed = w->cap_failed = 0;
    pthread_mutex_unlock(&w->mu);
    for (size_t i = 0; i < n; i++) {
        fn(failed[i], ctx);
        free(failed[i]);
    }
    free(failed);
}

size_t fouille__writer_queued(struct fouille__writer *w)
{
    pthread_mutex_lock(&w->mu);
    size_t n = w->queued;
    pthread_mutex_unlock(&w->mu);
    return n;
}

uint64_t fouille__writer_generation(const struct fouille__writer *w)
{
    return atomic_load(&((struct fouille__writer *)w)->generation);
}

uint64_t fouille__writer_layout(const struct fouille__writer *w)
{
    return atomic_load(&((struct fouille__writer *)w)->layout);
}

int fouille__writer_read_lock(struct fouille__writer *w, int wait)
{
    return (wait ? pthread_rwlock_rdlock(&w->swap)
                 : pthread_rwlock_tryrdlock(&w->swap)) == 0
               ? 0
               : -1;
}

void fouille__writer_read_unlock(struct fouille__writer *w)
{
    pthread_rwlock_unlock(&w->swap);
}

void fouille__writer_get_stats(struct fouille__writer *w,
                               struct fouille__writer_stats *st)
{
    pthread_mutex_lock(&w->mu);
    *st = w->stats;
    st->queued = w->queued;
    st->generation = atomic_load(&w->generation);
    pthread_mutex_unlock(&w->mu);
}

struct folder_ctx {
    const char *prefix;
    size_t len;
    char **paths;
    size_t n, cap;
};

static int collect_under(const fouille_index_entry_t *e, void *ctx)
{
    struct folder_ctx *f = ctx;
    if (strncmp(e->path, f->prefix, f->len) != 0 || e->path[f->len] != '/')
        return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        char **np = realloc(f->paths, cap * sizeof *np);
        if (!np)
            return -1;
        f->paths = np;
        f->cap = cap;
    }
    if (!(f->paths[f->n] = strdup(e->path)))
        return -1;
    f->n++;
    return 0;
}

static fouille_index_status_t apply(struct fouille__writer *w, struct op *op)
{
    fouille_index_status_t st = FOUILLE_INDEX_OK;
    if (!w->idx)
        return FOUILLE_INDEX_IO; /* not reopened yet */
    switch (op->kind) {
    case OP_STORE: {
        struct fouille__job *j = op->job;
        struct fouille__extracted x = {j->path, j->sig, j->size,
                                       j->meta.mime, j->meta.plugin, &j->doc, 0};
        x.private_doc = j->private_doc;
        st = fouille__store_prepared(w->idx, &x, op->prep);
        break;
    }
    case OP_DELETE:
        st = fouille_index_delete(w->idx, op->path);
        break;
    case OP_PRIVATE:
    case OP_PUBLIC:
        st = fouille_index_set_private(w->idx, op->path,
                                       op->kind == OP_PRIVATE);
        break;
    case OP_DELETE_FOLDER: {
        /* Pending changes are visible to the writer's own foreach. */
        struct folder_ctx f = {op->path, strlen(op->path), NULL, 0, 0};
        int cb_rc = 0;
        st = fouille_index_foreach(w->idx, collect_under, &f, &cb_rc);
        for (size_t i = 0; i < f.n; i++) {
            if (st == FOUILLE_INDEX_OK)
                st = fouille_index_delete(w->idx, f.paths[i]);
            free(f.paths[i]);
        }
        free(f.paths);
        break;
    }
    }
    return st;
}

static void free_op(struct op *op)
{
    fouille_index_prepared_free(op->prep);
    fouille__job_free(op->job);
    free(op->path);
    free(op);
}

/* Errors that say nothing about the document: the index cannot write
 * right now (disk full, descriptors or memory exhausted, a handle closed
 * by an earlier error). The batch is redone, not the document refused. */
static int transient(fouille_index_status_t st)
{
    return st == FOUILLE_INDEX_IO || st == FOUILLE_INDEX_NO_MEMORY ||
           st == FOUILLE_INDEX_ERROR || st == FOUILLE_INDEX_LOCKED;
}

static void batch_add(struct fouille__writer *w, struct op *op)
{
    op->next = NULL;
    if (w->batch_tail)
        w->batch_tail->next = op;
    else
        w->batch_head = op;
    w->batch_tail = op;
}

static void batch_free(struct fouille__writer *w)
{
    while (w->batch_head) {
        struct op *op = w->batch_head;
        w->batch_head = op->next;
        free_op(op);
    }
    w->batch_tail = NULL;
}

/* Under mu: the ops of the failed batch go back in front of the queue,
 * in their order, to be applied again on the reopened index. A prepared
 * document is put once: the writer analyses those stores again when it
 * reaches them. */
static void batch_requeue(struct fouille__writer *w)
{
    size_t n = 0;
    for (struct op *op = w->batch_head; op; op = op->next) {
        n++;
        if (op->kind == OP_STORE) {
            fouille_index_prepared_free(op->prep);
            op->prep = NULL;
            op->prep_state = PREP_QUEUED;
        }
    }
    if (!n)
        return;
    w->batch_tail->next = w->head;
    if (!w->head)
        w->tail = w->batch_tail;
    w->head = w->batch_head;
    w->queued += n;
    w->batch_head = w->batch_tail = NULL;
}

/* Under mu: record a failure (once in the log while it lasts). */
static void note_failure(struct fouille__writer *w, const char *what,
                         const char *error)
{
    if (!w->stats.paused)
        log_err("index %s failed (%s); indexing paused, the documents of "
                "the batch are kept and redone, queries go on with the "
                "last committed revision; retrying", what, error);
    w->stats.paused = 1;
    w->stats.failures++;
    snprintf(w->stats.last_error, sizeof w->stats.last_error, "%s", error);
}

static int try_commit(struct fouille__writer *w, size_t docs)
{
    fouille_index_status_t st =
        w->idx ? fouille_index_commit(w->idx) : FOUILLE_INDEX_IO;
    pthread_mutex_lock(&w->mu);
    if (st != FOUILLE_INDEX_OK) {
        note_failure(w, "commit",
                     w->idx ? fouille_index_last_error(w->idx)
                            : "the index could not be reopened");
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    if (w->stats.paused)
        log_notice("index commits work again; indexing resumed");
    w->stats.paused = 0;
    w->stats.committed += docs;
    w->stats.last_commit = (double)time(NULL);
    atomic_fetch_add(&w->generation, 1);
    pthread_mutex_unlock(&w->mu);
    batch_free(w);
    uv_async_send(&w->async);
    return 0;
}

/* After a failed commit Xapian may have closed the database (every later
 * write would fail with DatabaseClosedError) or dropped the batch: start
 * again from a freshly opened handle. Not under mu. */
static void reopen(struct fouille__writer *w)
{
    if (w->idx) {
        fouille_index_discard(w->idx); /* never commit after an error */
        fouille_index_close(w->idx);
        w->idx = NULL;
    }
    char err[256] = "";
    fouille_index_t *idx = NULL;
    fouille_index_status_t st = fouille_index_open(
        w->db, FOUILLE_INDEX_WRITE, &idx, err, sizeof err);
    if (st == FOUILLE_INDEX_OK)
        w->idx = idx;
    else {
        pthread_mutex_lock(&w->mu);
        note_failure(w, "reopening", err[0] ? err
                                            : fouille_index_status_str(st));
        pthread_mutex_unlock(&w->mu);
    }
}

/* Under mu: wait for work, ms at most. */
static void wait_at_most(struct fouille__writer *w, long ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L)
        until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&w->cond, &w->mu, &until);
}

/* Smallest number of changed documents that calls for a compaction: a
 * small index is not worth rewriting for a handful. */
#define COMPACT_MIN_CHANGES 100
/* Quiet time before it: changes trickling in one by one are not held up
 * by one (their time to searchable), a catch-up is compacted once. */
#define COMPACT_QUIET_MS 5000

/* Not under mu. Whether enough of the index changed since the last
 * compaction to rewrite it (a daemon's many commits leave its B-trees
 * about half full: searches then read about half as many blocks again). */
static int compaction_due(struct fouille__writer *w)
{
    uint64_t docs = 0;
    if (!w->compact_percent || !w->idx || w->changed < COMPACT_MIN_CHANGES ||
        fouille_index_count(w->idx, &docs) != FOUILLE_INDEX_OK)
        return 0;
    return w->changed * 100 >= (uint64_t)w->compact_percent * docs;
}

/* Not under mu: rewrite the index with its B-trees full, readers kept
 * from opening it while its files are swapped. */
static void compact(struct fouille__writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->stats.compacting = 1;
    pthread_mutex_unlock(&w->mu);
    double t0 = now_ms();
    uint64_t changed = w->changed;
    pthread_rwlock_wrlock(&w->swap);
    fouille_index_status_t st = fouille_index_compact(w->idx);
    if (st == FOUILLE_INDEX_OK)
        atomic_fetch_add(&w->layout, 1);
    pthread_rwlock_unlock(&w->swap);
    /* Tried once per so many changes, whether it worked or not. */
    w->changed = 0;
    w->compact_pending = 0;
    if (st == FOUILLE_INDEX_OK)
        log_info("index compacted in %.1f s after %llu changes",
                 (now_ms() - t0) / 1e3, (unsigned long long)changed);
    else
        /* The index is as it was (committed); the handle may need
         * reopening, which the next write's failure does. */
        log_warn("the index could not be compacted (%s); it stays as it "
                 "was", fouille_index_last_error(w->idx));
    pthread_mutex_lock(&w->mu);
    w->stats.compacting = 0;
    w->stats.compaction_pending = 0;
    if (st == FOUILLE_INDEX_OK)
        w->stats.compactions++;
    pthread_mutex_unlock(&w->mu);
}

static void *writer_main(void *arg)
{
    struct fouille__writer *w = arg;
    size_t uncommitted = 0, uncommitted_bytes = 0, uncommitted_docs = 0;
    double first_change = 0;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        struct op *op = w->head;
        int failed = 0; /* the batch must be redone */
        if (op && op->kind == OP_STORE) {
            if (op->prep_state == PREP_QUEUED) {
                claim(w, op);
                analyse(w, op);
            }
            while (op->prep_state == PREP_BUSY)
                pthread_cond_wait(&w->ready, &w->mu);
            w->ahead--;
            pthread_cond_signal(&w->work);
        }
        if (op) {
            w->head = op->next;
            if (!w->head)
                w->tail = NULL;
            w->queued--;
            pthread_mutex_unlock(&w->mu);
            if (op->kind == OP_STORE)
                uncommitted_bytes += op->job->doc.text.len;
            fouille_index_status_t st = apply(w, op);
            /* Spent (put once): its memory is not kept with the batch. */
            fouille_index_prepared_free(op->prep);
            op->prep = NULL;
            const char *opath = op->job ? op->job->path : op->path;
            pthread_mutex_lock(&w->mu);
            if (st != FOUILLE_INDEX_OK && transient(st)) {
                note_failure(w, "write", w->idx ? fouille_index_last_error(
                                                      w->idx)
                                                : "the index is not open");
                batch_add(w, op);
                failed = 1;
            } else {
                if (st != FOUILLE_INDEX_OK)
                    log_err("index: %s: %s; it will be done again by the "
                            "next reconcile",
                            opath, fouille_index_last_error(w->idx));
                /* A refused store is forgotten and redone by the next
                 * reconcile. */
                if (st != FOUILLE_INDEX_OK && op->kind == OP_STORE) {
                    if (w->n_failed == w->cap_failed) {
                        size_t cap = w->cap_failed ? w->cap_failed * 2 : 16;
                        char **nf = realloc(w->failed, cap * sizeof *nf);
                        if (nf) {
                            w->failed = nf;
                            w->cap_failed = cap;
                        }
                    }
                    if (w->n_failed < w->cap_failed &&
                        (w->failed[w->n_failed] = strdup(opath)))
                        w->n_failed++;
                    uv_async_send(&w->async);
                }
                if (op->kind == OP_STORE)
                    w->stats.stored++, uncommitted_docs++;
                else
                    w->stats.deleted++;
                /* Room in the queue: the loop may hand out more work. */
                if ((w->stats.stored + w->stats.deleted) % 16 == 0)
                    uv_async_send(&w->async);
                if (st == FOUILLE_INDEX_OK)
                    batch_add(w, op);
                else {
                    pthread_mutex_unlock(&w->mu);
                    free_op(op);
                    pthread_mutex_lock(&w->mu);
                }
                if (uncommitted++ == 0)
                    first_change = now_ms();
                if (uncommitted < w->batch_size &&
                    uncommitted_bytes < w->batch_bytes && !w->stopping &&
                    (w->head || now_ms() - first_change < w->commit_ms))
                    continue; /* keep filling the batch */
            }
        }
        if (uncommitted && !failed) {
            /* Commit now unless more work is on its way and the batch is
             * young: then wait a little for it. */
            int more = w->busy && w->busy(w->ctx);
            double age = now_ms() - first_change;
            if (!w->stopping && !w->head && more && age < w->commit_ms &&
                uncommitted < w->batch_size &&
                uncommitted_bytes < w->batch_bytes) {
                wait_at_most(w, (long)(w->commit_ms - age) + 1);
                continue;
            }
            pthread_mutex_unlock(&w->mu);
            int rc = try_commit(w, uncommitted_docs);
            if (rc == 0) {
                w->changed += uncommitted;
                w->last_commit_ms = now_ms();
                w->compact_pending = compaction_due(w);
            }
            pthread_mutex_lock(&w->mu);
            if (rc == 0) {
                w->stats.compaction_pending = w->compact_pending;
                uncommitted = uncommitted_bytes = uncommitted_docs = 0;
            } else {
                failed = 1;
            }
        }
        if (failed && !w->stopping) {
            /* Disk full, descriptors exhausted, I/O error: wait a few
             * seconds, reopen, and apply the whole batch again. */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += FOUILLE__WRITER_RETRY_S;
            while (!w->stopping &&
                   pthread_cond_timedwait(&w->cond, &w->mu, &until) !=
                       ETIMEDOUT)
                ; /* new work arriving is no reason to retry sooner */
            pthread_mutex_unlock(&w->mu);
            reopen(w);
            pthread_mutex_lock(&w->mu);
            batch_requeue(w);
            uncommitted = uncommitted_bytes = uncommitted_docs = 0;
            continue;
        }
        if (failed)
            break; /* stopping: the next start's reconcile redoes them */
        if (w->stopping && !w->head)
            break;
        if (!w->head && !uncommitted && w->compact_pending &&
            !(w->busy && w->busy(w->ctx))) {
            double quiet = now_ms() - w->last_commit_ms;
            if (quiet >= COMPACT_QUIET_MS) {
                pthread_mutex_unlock(&w->mu);
                compact(w);
                pthread_mutex_lock(&w->mu);
            } else {
                wait_at_most(w, (long)(COMPACT_QUIET_MS - quiet) + 1);
            }
            continue; /* work may have come meanwhile */
        }
        if (!w->head)
            pthread_cond_wait(&w->cond, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return (void *)(intptr_t)(uncommitted || w->batch_head ? -1 : 0);
}

static void on_async_closed(uv_handle_t *h) { free(h->data); }

static void on_async(uv_async_t *a)
{
    struct fouille__writer *w = a->data;
    if (w->committed)
        w->committed(w->ctx);
}

int fouille__writer_start(uv_loop_t *loop, fouille_index_t *idx,
                          const char *db, unsigned batch_size, size_t batch_bytes,
                          unsigned commit_ms, unsigned analysts,
                          unsigned compact_percent, int (*busy)(void *ctx),
                          void (*committed)(void *ctx), void *ctx,
                          struct fouille__writer **out)
{
    struct fouille__writer *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return -1;
    w->idx = idx;
    if (!(w->db = strdup(db))) {
        free(w);
        return -1;
    }
    w->batch_size = batch_size ? batch_size : 1;
    w->batch_bytes = batch_bytes ? batch_bytes : 1;
    w->commit_ms = commit_ms;
    w->compact_percent = compact_percent;
    w->busy = busy;
    w->committed = committed;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cond, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->ready, NULL);
    pthread_rwlock_init(&w->swap, NULL);
    w->ahead_max = 2 * analysts;
    if (analysts && !(w->analysts = calloc(analysts, sizeof *w->analysts))) {
        free(w->db);
        free(w);
        return -1;
    }
    uv_async_init(loop, &w->async, on_async);
    w->async.data = w;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        free(w->analysts);
        uv_close((uv_handle_t *)&w->async, on_async_closed);
        return -1;
    }
    /* Fewer analysts than asked is slower, not wrong: the writer
     * analyses what they leave. */
    while (w->n_analysts < analysts &&
           pthread_create(&w->analysts[w->n_analysts], NULL, analyst_main,
                          w) == 0)
        w->n_analysts++;
    if (w->n_analysts < analysts)
        log_warn("index writer: %u of %u analysis threads started",
                 w->n_analysts, analysts);
    *out = w;
    return 0;
}

int fouille__writer_stop(struct fouille__writer *w)
{
    void *ret = NULL;
    if (!w)
        return 0;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_signal(&w->cond);
    pthread_cond_broadcast(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, &ret);
    for (unsigned i = 0; i < w->n_analysts; i++)
        pthread_join(w->analysts[i], NULL);
    free(w->analysts);
    fouille_index_close(w->idx);
    batch_free(w);
    free(w->db);
    while (w->head) {
        struct op *op = w->head;
        w->head = op->next;
        free_op(op);
    }
    for (size_t i = 0; i < w->n_failed; i++)
        free(w->failed[i]);
    free(w->failed);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cond);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->ready);
    pthread_rwlock_destroy(&w->swap);
    w->committed = NULL;
    uv_close((uv_handle_t *)&w->async, on_async_closed);
    return ret ? -1 : 0;
}
