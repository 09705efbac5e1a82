/* analytics.h -- what the public searches for, private by design.
 *
 * Per day (UTC): the searches counted, those that found nothing, the
 * results opened (their rank), and the most frequent queries and
 * zero-result queries in two Space-Saving sketches of at most K entries
 * each (Metwally, Agrawal, El Abbadi 2005): a query seen more than
 * searches/K times that day is always in its sketch, and the count given
 * for a query is at most `error` above the true one. A query is kept as
 * its key (fouille_index_query_key: folded, stop words out), never as
 * typed; nothing about who searched is received or kept (no address, no
 * user agent, no cookie), and a query id handed out for the click beacon
 * names one search, not one visitor, and is forgotten after
 * FOUILLE__ANALYTICS_RECENT further searches (it is never written down).
 *
 * Memory: days_kept days of two sketches of K entries (a key is at most
 * FOUILLE__ANALYTICS_KEY_MAX bytes), allocated as days begin. The days
 * are written to one JSON file (save: a temporary file renamed over it,
 * so a crash leaves the old or the new one); a file that cannot be read
 * as ours is logged, moved aside to "<file>.bad" and not used.
 *
 * Thread-safety: every function takes the store's mutex; recording is a
 * hash lookup and a heap step, the file is written outside the lock. */
#ifndef FOUILLE_ANALYTICS_H
#define FOUILLE_ANALYTICS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Longest query key kept (bytes, NUL excluded): longer ones are cut at a
 * word boundary. */
#define FOUILLE__ANALYTICS_KEY_MAX 120
/* How many recent searches a click can still be attributed to. */
#define FOUILLE__ANALYTICS_RECENT 4096
/* Highest rank a click may report (1-based, across pages). */
#define FOUILLE__ANALYTICS_RANK_MAX 10000

struct fouille__analytics;

/* A store keeping days_kept days of sketches of k entries, read from and
 * written to path (NULL: memory only). A missing file is an empty store;
 * a bad one is reported (log) and moved aside. Returns NULL only when
 * memory runs out. */
struct fouille__analytics *fouille__analytics_open(const char *path,
                                                   unsigned k,
                                                   unsigned days_kept);
/* Save (if anything changed) and free. Accepts NULL. */
void fouille__analytics_close(struct fouille__analytics *a);

/* Write the file now if anything changed since the last save. Returns 0,
 * or -1 with err (the store is kept, and saved again next time). */
int fouille__analytics_save(struct fouille__analytics *a, char *err,
                            size_t errlen);

/* Count a search of query key (fouille_index_query_key's output; "" for
 * a search without words, which is counted but not ranked) that found
 * total results, at time now (seconds since the epoch). Returns the
 * search's id for the click beacon (never 0). */
uint64_t fouille__analytics_search(struct fouille__analytics *a,
                                   const char *key, uint64_t total,
                                   double now);
/* A query id handed out without counting its search (a page after the
 * first, an as-you-type search): its clicks are counted, it does not
 * weigh in the click-through rate. */
uint64_t fouille__analytics_query_id(struct fouille__analytics *a);

/* Count the opening of the result at rank (1-based) of the search id.
 * Returns 1 if counted, 0 if the id is unknown or too old. */
int fouille__analytics_click(struct fouille__analytics *a, uint64_t id,
                             unsigned rank, double now);

/* The report of the last ndays days (today included) at time now, with
 * the top `top` queries and zero-result queries:
 *   { "days": ndays, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
 *     "searches", "zero_results", "zero_result_rate", "clicks",
 *     "searches_clicked", "click_through_rate", "mean_click_rank",
 *     "per_day": [ {"day", "searches", "zero_results", "clicks"} ],
 *     "top": [ {"query", "count", "error"} ], "top_zero": [...],
 *     "sketch_size": K }
 * "error" bounds how far "count" may be above the true count (0: exact).
 * Returns a new reference, or NULL (out of memory). */
json_t *fouille__analytics_report(struct fouille__analytics *a,
                                  unsigned ndays, unsigned top, double now);

/* Totals since the store was opened plus what the file held, for
 * /metrics. */
void fouille__analytics_totals(struct fouille__analytics *a,
                               uint64_t *searches, uint64_t *zero,
                               uint64_t *clicks);

/* Parse a query id as sent back by a client (16 lowercase hex digits).
 * Returns 0 or -1. */
int fouille__analytics_parse_id(const char *s, uint64_t *id);
/* Format id into out (at least 17 bytes). */
void fouille__analytics_format_id(uint64_t id, char *out);

#endif
