/* writer.c -- see writer.h. */
#include "config.h"

#include "writer.h"

#include "log.h"
#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum op_kind { OP_STORE, OP_DELETE, OP_DELETE_FOLDER };

struct op {
    enum op_kind kind;
    struct fouille__job *job; /* OP_STORE */
    char *path;               /* OP_DELETE* */
    struct op *next;
};

struct fouille__writer {
    fouille_index_t *idx;
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
    int stopping;
    uv_async_t async;
    char **failed;          /* paths the index refused, under mu */
    size_t n_failed, cap_failed;
    _Atomic uint64_t generation;
    struct fouille__writer_stats stats; /* under mu */
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
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
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
    switch (op->kind) {
    case OP_STORE: {
        struct fouille__job *j = op->job;
        struct fouille__extracted x = {j->path, j->sig, j->size,
                                       j->meta.mime, j->meta.plugin, &j->doc};
        st = fouille__store(w->idx, &x);
        break;
    }
    case OP_DELETE:
        st = fouille_index_delete(w->idx, op->path);
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
    fouille__job_free(op->job);
    free(op->path);
    free(op);
}

static int try_commit(struct fouille__writer *w)
{
    fouille_index_status_t st = fouille_index_commit(w->idx);
    pthread_mutex_lock(&w->mu);
    if (st != FOUILLE_INDEX_OK) {
        if (!w->stats.paused)
            log_err("index commit failed (%s); indexing paused, queries go "
                    "on with the last committed revision; retrying",
                    fouille_index_last_error(w->idx));
        w->stats.paused = 1;
        snprintf(w->stats.last_error, sizeof w->stats.last_error, "%s",
                 fouille_index_last_error(w->idx));
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    if (w->stats.paused)
        log_notice("index commits work again; indexing resumed");
    w->stats.paused = 0;
    w->stats.last_commit = (double)time(NULL);
    atomic_fetch_add(&w->generation, 1);
    pthread_mutex_unlock(&w->mu);
    uv_async_send(&w->async);
    return 0;
}

static void *writer_main(void *arg)
{
    struct fouille__writer *w = arg;
    size_t uncommitted = 0, uncommitted_bytes = 0;
    double first_change = 0;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        struct op *op = w->head;
        if (op) {
            w->head = op->next;
            if (!w->head)
                w->tail = NULL;
            w->queued--;
            pthread_mutex_unlock(&w->mu);
            if (op->kind == OP_STORE)
                uncommitted_bytes += op->job->doc.text.len;
            fouille_index_status_t st = apply(w, op);
            const char *opath = op->job ? op->job->path : op->path;
            if (st != FOUILLE_INDEX_OK)
                log_err("index: %s: %s; it will be done again by the next "
                        "reconcile", opath, fouille_index_last_error(w->idx));
            pthread_mutex_lock(&w->mu);
            /* A refused store is forgotten and redone by the next
             * reconcile; a refused delete is redone at the next start,
             * whose reconcile compares the index itself with the folder. */
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
                w->stats.stored++;
            else
                w->stats.deleted++;
            /* Room in the queue: the loop may hand out more work. */
            if ((w->stats.stored + w->stats.deleted) % 16 == 0)
                uv_async_send(&w->async);
            pthread_mutex_unlock(&w->mu);
            free_op(op);
            if (uncommitted++ == 0)
                first_change = now_ms();
            pthread_mutex_lock(&w->mu);
            if (uncommitted < w->batch_size &&
                uncommitted_bytes < w->batch_bytes && !w->stopping &&
                (w->head || now_ms() - first_change < w->commit_ms))
                continue; /* keep filling the batch */
        }
        if (uncommitted) {
            /* Commit now unless more work is on its way and the batch is
             * young: then wait a little for it. */
            int more = w->busy && w->busy(w->ctx);
            double age = now_ms() - first_change;
            if (!w->stopping && !w->head && more && age < w->commit_ms &&
                uncommitted < w->batch_size &&
                uncommitted_bytes < w->batch_bytes) {
                struct timespec until;
                clock_gettime(CLOCK_REALTIME, &until);
                long wait_ms = (long)(w->commit_ms - age) + 1;
                until.tv_sec += wait_ms / 1000;
                until.tv_nsec += (wait_ms % 1000) * 1000000L;
                if (until.tv_nsec >= 1000000000L)
                    until.tv_sec++, until.tv_nsec -= 1000000000L;
                pthread_cond_timedwait(&w->cond, &w->mu, &until);
                continue;
            }
            pthread_mutex_unlock(&w->mu);
            int rc = try_commit(w);
            pthread_mutex_lock(&w->mu);
            if (rc == 0)
                uncommitted = uncommitted_bytes = 0;
            else if (!w->stopping) {
                /* Disk full or I/O error: retry in a few seconds. */
                struct timespec until;
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_sec += 5;
                pthread_cond_timedwait(&w->cond, &w->mu, &until);
                continue;
            }
        }
        if (w->stopping && !w->head)
            break;
        if (!w->head)
            pthread_cond_wait(&w->cond, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return (void *)(intptr_t)(uncommitted ? -1 : 0);
}

static void on_async_closed(uv_handle_t *h) { free(h->data); }

static void on_async(uv_async_t *a)
{
    struct fouille__writer *w = a->data;
    if (w->committed)
        w->committed(w->ctx);
}

int fouille__writer_start(uv_loop_t *loop, fouille_index_t *idx,
                          unsigned batch_size, size_t batch_bytes,
                          unsigned commit_ms,
                          int (*busy)(void *ctx),
                          void (*committed)(void *ctx), void *ctx,
                          struct fouille__writer **out)
{
    struct fouille__writer *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return -1;
    w->idx = idx;
    w->batch_size = batch_size ? batch_size : 1;
    w->batch_bytes = batch_bytes ? batch_bytes : 1;
    w->commit_ms = commit_ms;
    w->busy = busy;
    w->committed = committed;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cond, NULL);
    uv_async_init(loop, &w->async, on_async);
    w->async.data = w;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        uv_close((uv_handle_t *)&w->async, on_async_closed);
        return -1;
    }
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
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, &ret);
    fouille_index_close(w->idx);
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
    w->committed = NULL;
    uv_close((uv_handle_t *)&w->async, on_async_closed);
    return ret ? -1 : 0;
}
