/* stats.h -- the daemon's state as JSON (/stats, /health, the socket's
 * stats and status) and as Prometheus text (/metrics). Loop thread only.
 *
 * One typed snapshot (struct fouille__stats) is filled in one place,
 * fouille__stats_collect; /stats, the socket's stats and /metrics are
 * each rendered from it, so they agree by construction. */
#ifndef FOUILLE_STATS_H
#define FOUILLE_STATS_H

#include "buf.h"
#include "daemon.h"
#include "search.h"
#include "tally.h"

#include <jansson.h>

struct fouille__stats {
    double uptime_s;
    int reconciled;
    uint64_t documents, failed;               /* in the index now */
    struct fouille__count by_format[FOUILLE__TALLY_KEYS];
    struct fouille__count by_reason[FOUILLE__TALLY_KEYS];
    struct fouille__count by_type[FOUILLE__TALLY_KEYS]; /* from the index */
    struct {
        uint64_t debounce, extracting, waiting, to_write;
    } queue;
    struct fouille__pool_stats workers;
    struct fouille__writer_stats index;
    char last_commit[32];                     /* ISO 8601, "" if none */
    struct fouille__watch_stats watch;
    uint64_t extracted_since_start, failed_since_start, reconciles;
    struct {
        uint64_t entries, hits, misses;
    } query_cache;
    int ocr_enabled;
};

/* Fill s from the daemon's state. The documents by type come from the
 * index: a search (fouille__stats_query) gives them to
 * fouille__stats_add_types. */
void fouille__stats_collect(struct fouille__daemon *d,
                            struct fouille__stats *s);

/* The search whose type facet counts the documents by type. */
struct fouille__search_req fouille__stats_query(void);

/* Take the documents by type from that search's result (NULL: none). */
void fouille__stats_add_types(struct fouille__stats *s, const json_t *result);

/* The /stats and socket stats document. */
json_t *fouille__stats_to_json(const struct fouille__stats *s);

/* The daemon's gauges and counters in Prometheus text, appended to b. */
void fouille__stats_to_prometheus(const struct fouille__stats *s,
                                  struct fouille__buf *b);

/* Health: {"status": "ok"|"starting"|"unavailable", "index_open",
 * "reconciled", ...}. *healthy is 1 when the index is open. */
json_t *fouille__health_json(struct fouille__daemon *d, int *healthy);


/* The list of failed files: [{path, reason, mime, plugin}]. */
json_t *fouille__failures_json(struct fouille__daemon *d);

#endif
