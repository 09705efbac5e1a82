/* stats.c -- see stats.h. */
#include "config.h"

#include "stats.h"

#include "buf.h"
#include "reconcile.h"
#include "tally.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *fouille__health_json(struct fouille__daemon *d, int *healthy)
{
    int open = atomic_load(&d->index_open);
    struct fouille__pipeline_stats ps;
    fouille__pipeline_get_stats(d->pipeline, &ps);
    const struct fouille__writer_stats *ws = &ps.index;
    /* Commits failing: searches work on the last revision, but changes
     * are not saved; a monitor must see it (503). */
    *healthy = open && !d->stopping && !ws->paused;
    return json_pack("{s:s,s:b,s:b,s:b,s:s?,s:I}", "status",
                     !open || d->stopping ? "unavailable"
                     : ws->paused          ? "degraded"
                     : d->ready           ? "ok"
                                          : "starting",
                     "index_open", open, "reconciled", d->ready,
                     "degraded", ws->paused,
                     "last_error", ws->paused ? ws->last_error : NULL,
                     "uptime_s", (json_int_t)((double)time(NULL) - d->started));
}

static void count_known(const char *path, const struct fouille__known *k,
                        int skipped, void *ctx)
{
    struct fouille__stats *s = ctx;
    if (skipped)
        return;
    char fmt[64];
    fouille__format_name(k->mime, path, fmt, sizeof fmt);
    if (k->reason) {
        s->failed++;
        /* Count by the reason's head ("crashed: SIGSEGV" -> as is). */
        fouille__count_add(s->by_reason, k->reason, 1);
    } else {
        s->documents++;
        fouille__count_add(s->by_format, fmt, 1);
    }
}

void fouille__stats_collect(struct fouille__daemon *d,
                            struct fouille__stats *s)
{
    memset(s, 0, sizeof *s);
    s->uptime_s = (double)time(NULL) - d->started;
    s->reconciled = d->ready;
    fouille__pipeline_each(d->pipeline, count_known, s);
    struct fouille__pipeline_stats ps;
    fouille__pipeline_get_stats(d->pipeline, &ps);
    s->index = ps.index;
    s->workers = ps.workers;
    if (d->watch)
        fouille__watch_get_stats(d->watch, &s->watch);
    if (s->index.last_commit > 0) {
        time_t t = (time_t)s->index.last_commit;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(s->last_commit, sizeof s->last_commit,
                 "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    s->queue.debounce = ps.debounce;
    s->queue.extracting = ps.extracting;
    s->queue.waiting = ps.waiting;
    s->queue.to_write = s->index.queued;
    s->extracted_since_start = ps.extracted;
    s->failed_since_start = ps.failed;
    s->reconciles = ps.reconciles;
    s->query_cache.entries = fouille__strmap_size(&d->cache);
    s->query_cache.hits = d->cache_hits;
    s->query_cache.misses = d->cache_misses;
    s->ocr_enabled = d->cfg.ocr;
}

struct fouille__search_req fouille__stats_query(void)
{
    struct fouille__search_req req = {.page = 1, .per_page = 1};
    return req;
}

void fouille__stats_add_types(struct fouille__stats *s, const json_t *result)
{
    json_t *types = result ? json_object_get(json_object_get(result, "facets"),
                                             "type")
                           : NULL;
    const char *key;
    json_t *v;
    json_object_foreach(types, key, v)
        if (json_is_integer(v))
            fouille__count_add(s->by_type, key,
                               (uint64_t)json_integer_value(v));
}

static json_t *counts(const struct fouille__count *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < FOUILLE__TALLY_KEYS && v[i].key[0]; i++)
        json_object_set_new(o, v[i].key, json_integer((json_int_t)v[i].n));
    return o;
}

json_t *fouille__stats_to_json(const struct fouille__stats *s)
{
    const struct fouille__pool_stats *ps = &s->workers;
    const struct fouille__writer_stats *ws = &s->index;
    const struct fouille__watch_stats *wst = &s->watch;
    json_t *j = json_pack(
        "{s:s,s:I,s:b,s:I,s:I,s:o,s:o,s:o,"
        "s:{s:I,s:I,s:I,s:I},"
        "s:{s:I,s:I,s:I,s:I,s:I,s:I},"
        "s:{s:I,s:I,s:I,s:I,s:s?,s:b,s:b,s:s?},"
        "s:{s:I,s:I,s:I,s:I},"
        "s:I,s:I,s:I,s:{s:I,s:I,s:I}}",
        "version", PACKAGE_VERSION,
        "uptime_s", (json_int_t)s->uptime_s,
        "reconciled", s->reconciled,
        "documents", (json_int_t)s->documents,
        "failed", (json_int_t)s->failed,
        "documents_by_format", counts(s->by_format),
        "documents_by_type", counts(s->by_type),
        "failures_by_reason", counts(s->by_reason),
        "queue",
        "debounce", (json_int_t)s->queue.debounce,
        "extracting", (json_int_t)s->queue.extracting,
        "waiting", (json_int_t)s->queue.waiting,
        "to_write", (json_int_t)s->queue.to_write,
        "workers",
        "count", (json_int_t)ps->workers,
        "busy", (json_int_t)ps->busy,
        "started", (json_int_t)ps->spawned,
        "crashed", (json_int_t)ps->crashed,
        "timeouts", (json_int_t)ps->timeouts,
        "protocol_errors", (json_int_t)ps->protocol_errors,
        "index",
        "commits", (json_int_t)ws->generation,
        "writes", (json_int_t)(ws->stored + ws->deleted),
        "committed_since_start", (json_int_t)ws->committed,
        "failures", (json_int_t)ws->failures,
        "last_commit", s->last_commit[0] ? s->last_commit : NULL,
        "paused", ws->paused,
        "degraded", ws->paused,
        "last_error", ws->last_error[0] ? ws->last_error : NULL,
        "watch",
        "folders", (json_int_t)wst->watches,
        "unwatched", (json_int_t)wst->unwatched,
        "limit", (json_int_t)wst->limit,
        "overflows", (json_int_t)wst->overflows,
        "extracted_since_start", (json_int_t)s->extracted_since_start,
        "failed_since_start", (json_int_t)s->failed_since_start,
        "reconciles", (json_int_t)s->reconciles,
        "query_cache",
        "entries", (json_int_t)s->query_cache.entries,
        "hits", (json_int_t)s->query_cache.hits,
        "misses", (json_int_t)s->query_cache.misses);
    json_t *index = j ? json_object_get(j, "index") : NULL;
    if (index) {
        json_object_set_new(index, "compactions",
                            json_integer((json_int_t)ws->compactions));
        json_object_set_new(index, "compacting", json_boolean(ws->compacting));
        json_object_set_new(index, "compaction_pending",
                            json_boolean(ws->compaction_pending));
    }
    if (j)
        json_object_set_new(
            j, "ocr",
            json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "enabled",
                      s->ocr_enabled,
                      "pending", (json_int_t)ps->ocr_pending,
                      "done", (json_int_t)ps->ocr_done,
                      "failed", (json_int_t)ps->ocr_failed,
                      "cached", (json_int_t)ps->ocr_cached,
                      "page_passes", (json_int_t)ps->ocr_page_passes,
                      "pages", (json_int_t)ps->ocr_pages,
                      "pages_per_s",
                      ps->ocr_ms ? (double)ps->ocr_pages * 1000.0 /
                                       (double)ps->ocr_ms
                                 : 0.0));
    return j;
}

void fouille__stats_to_prometheus(const struct fouille__stats *s,
                                  struct fouille__buf *b)
{
    static const struct {
        const char *name, *type, *help;
        size_t offset;
    } metrics[] = {
#define M(name, type, field, help)                                            \
    {name, type, help, offsetof(struct fouille__stats, field)}
        M("fouille_documents", "gauge", documents, "Documents in the index."),
        M("fouille_documents_failed", "gauge", failed,
          "Files that could not be indexed."),
        M("fouille_extracted_total", "counter", extracted_since_start,
          "Documents extracted since start."),
        M("fouille_extraction_failures_total", "counter", failed_since_start,
          "Extraction failures since start."),
        M("fouille_commits_total", "counter", index.generation,
          "Index commits since start."),
        M("fouille_index_compactions_total", "counter", index.compactions,
          "Index compactions since start."),
        M("fouille_worker_crashes_total", "counter", workers.crashed,
          "Extraction workers that crashed."),
        M("fouille_worker_timeouts_total", "counter", workers.timeouts,
          "Extractions stopped by the time limit."),
        M("fouille_reconciles_total", "counter", reconciles,
          "Full reconciles of the folder since start."),
#undef M
    };
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        uint64_t v;
        memcpy(&v, (const char *)s + metrics[i].offset, sizeof v);
        fouille__buf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
                             metrics[i].name, metrics[i].help,
                             metrics[i].name, metrics[i].type,
                             metrics[i].name, (unsigned long long)v);
    }
    fouille__buf_appendf(b,
                         "# HELP fouille_queue_length Files waiting to be "
                         "indexed.\n# TYPE fouille_queue_length gauge\n"
                         "fouille_queue_length %llu\n",
                         (unsigned long long)(s->queue.debounce +
                                              s->queue.waiting +
                                              s->queue.to_write));
    fouille__buf_appendf(b, "# HELP fouille_documents_by_format Documents in "
                            "the index by format.\n"
                            "# TYPE fouille_documents_by_format gauge\n");
    for (size_t i = 0; i < FOUILLE__TALLY_KEYS && s->by_format[i].key[0]; i++)
        fouille__buf_appendf(b, "fouille_documents_by_format{format=\"%s\"} "
                                "%llu\n", s->by_format[i].key,
                             (unsigned long long)s->by_format[i].n);
}

static void collect_skipped(const char *path, void *ctx)
{
    char *safe = fouille__utf8_dup(path, strlen(path));
    json_array_append_new(ctx, json_pack("{s:s,s:s}", "path",
                                         safe ? safe : "", "reason",
                                         "path too long"));
    free(safe);
}

static void collect_failure(const char *path, const struct fouille__known *k,
                            int skipped, void *ctx)
{
    if (skipped) {
        collect_skipped(path, ctx);
        return;
    }
    if (!k->reason)
        return;
    char *safe = fouille__utf8_dup(path, strlen(path));
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s?,s:s?}", "path",
                                         safe ? safe : "", "reason",
                                         k->reason, "mime", k->mime,
                                         "plugin", k->plugin));
    free(safe);
}

json_t *fouille__failures_json(struct fouille__daemon *d)
{
    json_t *a = json_array();
    fouille__pipeline_each(d->pipeline, collect_failure, a);
    return a;
}
