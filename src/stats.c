/* stats.c -- see stats.h. */
#include "config.h"

#include "stats.h"

#include "buf.h"
#include "reconcile.h"
#include "tally.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *fouille__health_json(struct fouille__daemon *d, int *healthy)
{
    int open = atomic_load(&d->index_open);
    struct fouille__writer_stats ws = {0};
    if (d->writer)
        fouille__writer_get_stats(d->writer, &ws);
    /* Commits failing: searches work on the last revision, but changes
     * are not saved; a monitor must see it (503). */
    *healthy = open && !d->stopping && !ws.paused;
    return json_pack("{s:s,s:b,s:b,s:b,s:s?,s:I}", "status",
                     !open || d->stopping ? "unavailable"
                     : ws.paused          ? "degraded"
                     : d->ready           ? "ok"
                                          : "starting",
                     "index_open", open, "reconciled", d->ready,
                     "degraded", ws.paused,
                     "last_error", ws.paused ? ws.last_error : NULL,
                     "uptime_s", (json_int_t)((double)time(NULL) - d->started));
}

struct count_ctx {
    struct fouille__count by_format[FOUILLE__TALLY_KEYS];
    struct fouille__count by_reason[FOUILLE__TALLY_KEYS];
    uint64_t documents, failed;
};

static void count_known(const char *path, void *v, void *ctx)
{
    struct count_ctx *c = ctx;
    struct fouille__known *k = v;
    char fmt[64];
    fouille__format_name(k->mime, path, fmt, sizeof fmt);
    if (k->reason) {
        c->failed++;
        /* Count by the reason's head ("crashed: SIGSEGV" -> as is). */
        fouille__count_add(c->by_reason, k->reason, 1);
    } else {
        c->documents++;
        fouille__count_add(c->by_format, fmt, 1);
    }
}

static json_t *counts(const struct fouille__count *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < FOUILLE__TALLY_KEYS && v[i].key[0]; i++)
        json_object_set_new(o, v[i].key, json_integer((json_int_t)v[i].n));
    return o;
}

json_t *fouille__stats_json(struct fouille__daemon *d)
{
    struct count_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    fouille__strmap_each(&d->known, count_known, c);
    struct fouille__writer_stats ws = {0};
    if (d->writer)
        fouille__writer_get_stats(d->writer, &ws);
    struct fouille__pool_stats ps = {0};
    if (d->pool)
        fouille__pool_get_stats(d->pool, &ps);
    struct fouille__watch_stats wst = {0};
    if (d->watch)
        fouille__watch_get_stats(d->watch, &wst);
    char last_commit[32] = "";
    if (ws.last_commit > 0) {
        time_t t = (time_t)ws.last_commit;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(last_commit, sizeof last_commit, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    json_t *j = json_pack(
        "{s:s,s:I,s:b,s:I,s:I,s:o,s:o,"
        "s:{s:I,s:I,s:I,s:I},"
        "s:{s:I,s:I,s:I,s:I,s:I,s:I},"
        "s:{s:I,s:I,s:I,s:I,s:s?,s:b,s:b,s:s?},"
        "s:{s:I,s:I,s:I,s:I},"
        "s:I,s:I,s:I,s:{s:I,s:I,s:I}}",
        "version", PACKAGE_VERSION,
        "uptime_s", (json_int_t)((double)time(NULL) - d->started),
        "reconciled", d->ready,
        "documents", (json_int_t)c->documents,
        "failed", (json_int_t)c->failed,
        "documents_by_format", counts(c->by_format),
        "failures_by_reason", counts(c->by_reason),
        "queue",
        "debounce", (json_int_t)fouille__strmap_size(&d->pending),
        "extracting", (json_int_t)(d->pool ? fouille__pool_pending(d->pool) : 0),
        "waiting", (json_int_t)d->backlog_len,
        "to_write", (json_int_t)ws.queued,
        "workers",
        "count", (json_int_t)ps.workers,
        "busy", (json_int_t)ps.busy,
        "started", (json_int_t)ps.spawned,
        "crashed", (json_int_t)ps.crashed,
        "timeouts", (json_int_t)ps.timeouts,
        "protocol_errors", (json_int_t)ps.protocol_errors,
        "index",
        "commits", (json_int_t)ws.generation,
        "writes", (json_int_t)(ws.stored + ws.deleted),
        "committed_since_start", (json_int_t)ws.committed,
        "failures", (json_int_t)ws.failures,
        "last_commit", last_commit[0] ? last_commit : NULL,
        "paused", ws.paused,
        "degraded", ws.paused,
        "last_error", ws.last_error[0] ? ws.last_error : NULL,
        "watch",
        "folders", (json_int_t)wst.watches,
        "unwatched", (json_int_t)wst.unwatched,
        "limit", (json_int_t)wst.limit,
        "overflows", (json_int_t)wst.overflows,
        "extracted_since_start", (json_int_t)d->docs_extracted,
        "failed_since_start", (json_int_t)d->docs_failed,
        "reconciles", (json_int_t)d->reconciles,
        "query_cache",
        "entries", (json_int_t)fouille__strmap_size(&d->cache),
        "hits", (json_int_t)d->cache_hits,
        "misses", (json_int_t)d->cache_misses);
    if (j)
        json_object_set_new(
            j, "ocr",
            json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:f}", "enabled", d->cfg.ocr,
                      "pending", (json_int_t)ps.ocr_pending,
                      "done", (json_int_t)ps.ocr_done,
                      "failed", (json_int_t)ps.ocr_failed,
                      "cached", (json_int_t)ps.ocr_cached,
                      "pages", (json_int_t)ps.ocr_pages,
                      "pages_per_s",
                      ps.ocr_ms ? (double)ps.ocr_pages * 1000.0 /
                                      (double)ps.ocr_ms
                                : 0.0));
    free(c);
    return j;
}

static void collect_failure(const char *path, void *v, void *ctx)
{
    struct fouille__known *k = v;
    if (!k->reason)
        return;
    char *safe = fouille__utf8_dup(path, strlen(path));
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s?,s:s?}", "path",
                                         safe ? safe : "", "reason",
                                         k->reason, "mime", k->mime,
                                         "plugin", k->plugin));
    free(safe);
}

static void collect_skipped(const char *path, void *v, void *ctx)
{
    char *safe = fouille__utf8_dup(path, strlen(path));
    json_array_append_new(ctx, json_pack("{s:s,s:s}", "path",
                                         safe ? safe : "", "reason",
                                         "path too long"));
    free(safe);
}

json_t *fouille__failures_json(struct fouille__daemon *d)
{
    json_t *a = json_array();
    fouille__strmap_each(&d->known, collect_failure, a);
    fouille__strmap_each(&d->skipped, collect_skipped, a);
    return a;
}
