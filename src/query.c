/* query.c -- see query.h. */
#include "config.h"

#include "query.h"

#include "buf.h"

#include "log.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static _Thread_local fouille_index_t *reader;
static _Thread_local uint64_t reader_generation;
static _Thread_local uint64_t reader_layout;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int fouille__query_http_status(fouille_index_status_t st)
{
    switch (st) {
    case FOUILLE_INDEX_OK:
        return 200;
    case FOUILLE_INDEX_BAD_QUERY:
    case FOUILLE_INDEX_INVALID_ARGUMENT:
        return 400;
    case FOUILLE_INDEX_NETWORK:
        return 502;
    case FOUILLE_INDEX_NOT_FOUND:
    case FOUILLE_INDEX_LOCKED:
    case FOUILLE_INDEX_MODIFIED:
        return 503;
    default:
        return 500;
    }
}

static void open_reader(struct fouille__query *q, uint64_t gen,
                        uint64_t layout)
{
    char err[512] = "";
    fouille_index_open_opts_t o = fouille__daemon_read_opts(q->d);
    fouille_index_status_t st = fouille_index_open_ex(
        q->d->cfg.db, FOUILLE_INDEX_READ, &o, &reader, err, sizeof err);
    if (st != FOUILLE_INDEX_OK) {
        q->status = st;
        log_err("index %s: %s", q->d->cfg.db, err);
        snprintf(q->err, sizeof q->err, "the index is not available");
        reader = NULL;
        return;
    }
    reader_generation = gen;
    reader_layout = layout;
}

/* The thread's reader, current with the last commit. After a compaction
 * (a new layout) it is opened again; while one runs, a reader that has
 * the index open goes on with it. */
static fouille_index_t *current_reader(struct fouille__query *q)
{
    struct fouille__writer *w = fouille__daemon_writer(q->d);
    uint64_t gen = fouille__daemon_generation(q->d);
    uint64_t layout = w ? fouille__writer_layout(w) : 0;
    if (reader && gen == reader_generation && layout == reader_layout)
        return reader;
    if (w && fouille__writer_read_lock(w, !reader) < 0)
        return reader;
    /* Under the lock: what the writer did last is settled. */
    gen = fouille__daemon_generation(q->d);
    layout = w ? fouille__writer_layout(w) : 0;
    if (reader && layout != reader_layout) {
        fouille_index_close(reader);
        reader = NULL;
    }
    if (!reader)
        open_reader(q, gen, layout);
    else if (gen != reader_generation &&
             fouille_index_reopen(reader) == FOUILLE_INDEX_OK)
        reader_generation = gen;
    if (w)
        fouille__writer_read_unlock(w);
    /* Here rather than at the open, so that a reload applies from the
     * next search on. */
    if (reader)
        fouille_index_set_record_memo(
            reader, (size_t)q->d->cfg.record_memo_mb << 20);
    return reader;
}

static void work(uv_work_t *req)
{
    struct fouille__query *q = req->data;
    fouille_index_t *idx = current_reader(q);
    if (!idx)
        return;
    /* A reader that failed to reopen is older than the daemon's
     * generation; its answer is then not cached (see cache_put). */
    q->generation = reader_generation;
    q->result = fouille__search_run(idx, &q->sreq, &q->lim, &q->status,
                                    q->err, sizeof q->err);
    /* Serialised here: a page of snippets is a few kilobytes of escaping
     * that would otherwise hold the loop thread, which all connections
     * share. */
    if (q->result)
        q->body = fouille__json_line(q->result, &q->body_len);
    json_t *missing = q->result ? json_object_get(q->result, "shards_missing")
                                : NULL;
    if (missing)
        log_warn("search answered without %lld shard(s) that did not "
                 "answer within %ld ms: %s",
                 (long long)json_integer_value(missing),
                 q->d->cfg.remote_timeout_ms, fouille_index_last_error(idx));
    if (!q->result && q->status != FOUILLE_INDEX_BAD_QUERY &&
        q->status != FOUILLE_INDEX_INVALID_ARGUMENT) {
        /* Do not show index internals: log them, answer in general terms. */
        log_err("search failed: %s", fouille_index_last_error(idx));
        if (q->status == FOUILLE_INDEX_NETWORK)
            snprintf(q->err, sizeof q->err, "a shard of the index did not "
                                            "answer");
        else
            snprintf(q->err, sizeof q->err, "the search failed");
        /* A broken handle is dropped; the next query opens a new one. */
        fouille_index_close(reader);
        reader = NULL;
    }
}

static void after(uv_work_t *req, int status)
{
    struct fouille__query *q = req->data;
    struct fouille__daemon *d = q->d;
    q->took_ms = now_ms() - q->started_ms;
    if (q->result && !json_object_get(q->result, "partial"))
        fouille__query_cache_put(q->d, &q->sreq, q->generation, q->result);
    if (status < 0 && !q->result) {
        q->status = FOUILLE_INDEX_ERROR;
        snprintf(q->err, sizeof q->err, "cancelled");
    }
    q->done(q);
    fouille__daemon_release(d);
}

static char *dup_opt(const char *s) { return s ? strdup(s) : NULL; }

int fouille__query_submit(struct fouille__daemon *d, struct fouille__query *q,
                          const struct fouille__search_req *req)
{
    q->d = d;
    q->req.data = q;
    fouille__search_req_copy(&q->sreq, req);
    q->lim = fouille__search_limits_of(&d->cfg, 1);
    /* The staff may open the documents elsewhere than the public (a file
     * share, an intranet). */
    if (req->staff && d->cfg.staff_base_url[0])
        q->lim.public_base_url = d->cfg.staff_base_url;
    /* The configuration may be reloaded while the query runs. */
    q->base = dup_opt(q->lim.public_base_url);
    q->lim.public_base_url = q->base;
    q->prefer = dup_opt(q->lim.prefer_formats);
    q->lim.prefer_formats = q->prefer;
    q->lim.synonyms = fouille_synonyms_ref(d->synonyms);
    q->result = NULL;
    q->body = NULL;
    q->body_len = 0;
    q->status = FOUILLE_INDEX_OK;
    q->err[0] = '\0';
    q->started_ms = now_ms();
    if (uv_queue_work(d->loop, &q->req, work, after) < 0) {
        fouille__query_release(q);
        return -1;
    }
    fouille__daemon_hold(d);
    return 0;
}

void fouille__query_release(struct fouille__query *q)
{
    free(q->base);
    free(q->prefer);
    q->base = q->prefer = NULL;
    fouille_synonyms_unref((fouille_synonyms_t *)q->lim.synonyms);
    q->lim.synonyms = NULL;
    json_decref(q->result);
    q->result = NULL;
    free(q->body);
    q->body = NULL;
}

char *fouille__query_take_body(struct fouille__query *q, size_t *len)
{
    char *b = q->body;
    *len = q->body_len;
    q->body = NULL;
    return b;
}

char *fouille__json_line(const json_t *j, size_t *len)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
    size_t n = s ? strlen(s) : 0;
    char *line = s ? realloc(s, n + 2) : NULL;
    if (!line) {
        free(s);
        return NULL;
    }
    line[n++] = '\n';
    line[n] = '\0';
    *len = n;
    return line;
}

int fouille__synonyms_reload(struct fouille__daemon *d, char *err,
                             size_t errlen)
{
    fouille_synonyms_t *fresh = NULL;
    if (d->cfg.synonyms[0]) {
        fouille_index_status_t st =
            fouille_synonyms_load(d->cfg.synonyms, &fresh, err, errlen);
        if (st != FOUILLE_INDEX_OK)
            return -1;
        log_info("%zu synonym rules from %s", fouille_synonyms_count(fresh),
                 d->cfg.synonyms);
    }
    fouille_synonyms_unref(d->synonyms);
    d->synonyms = fresh;
    fouille__query_cache_clear(d);
    return 0;
}

/* ---- result cache -------------------------------------------------------- */

static void drop_entry(const char *key, void *value, void *ctx)
{
    json_decref(value);
}

void fouille__query_cache_clear(struct fouille__daemon *d)
{
    fouille__strmap_each(&d->cache, drop_entry, NULL);
    fouille__strmap_free(&d->cache);
}

/* Entries made before the last commit are stale. */
static void cache_check_generation(struct fouille__daemon *d)
{
    uint64_t gen = fouille__daemon_generation(d);
    if (gen != d->cache_generation) {
        fouille__query_cache_clear(d);
        d->cache_generation = gen;
    }
}

json_t *fouille__query_cache_get(struct fouille__daemon *d,
                                 const struct fouille__search_req *req)
{
    if (d->cfg.query_cache_entries <= 0 || d->search_only)
        return NULL; /* remote shards change without telling us */
    cache_check_generation(d);
    char *key = fouille__search_req_key(req);
    json_t *j = key ? fouille__strmap_get(&d->cache, key) : NULL;
    free(key);
    if (j) {
        /* A shallow copy: the top level says it came from the cache, the
         * hits are shared (nothing modifies them). */
        json_t *copy = json_copy(j);
        if (!copy)
            return NULL;
        json_object_set_new(copy, "took_ms", json_real(0.0));
        json_object_set_new(copy, "cached", json_true());
        d->cache_hits++;
        return copy;
    }
    d->cache_misses++;
    return NULL;
}

void fouille__query_cache_put(struct fouille__daemon *d,
                              const struct fouille__search_req *req,
                              uint64_t generation, json_t *result)
{
    if (d->cfg.query_cache_entries <= 0 || d->search_only || !result)
        return;
    cache_check_generation(d);
    if (generation != d->cache_generation)
        return; /* computed before the last commit */
    if (fouille__strmap_size(&d->cache) >= (size_t)d->cfg.query_cache_entries)
        fouille__query_cache_clear(d); /* simple and bounded */
    char *key = fouille__search_req_key(req);
    void *old = NULL;
    if (!key ||
        fouille__strmap_put(&d->cache, key, json_incref(result), &old) < 0)
        json_decref(result);
    else
        json_decref(old);
    free(key);
}
