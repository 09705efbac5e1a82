/* http-analytics.c -- search analytics over HTTP: counting the public
 * listener's searches, the click beacon (POST /click), the report
 * (GET /analytics) and its page (/stats.html).
 *
 * Only the public listener's searches are counted: the staff's searches
 * see private documents and are not what the public looks for. Nothing
 * of the request but the query and the number of results reaches the
 * store (analytics.h). The report is the staff's: the staff listener
 * serves it, the public listener only with analytics_http = on. */
#include "config.h"

#include "analytics.h"
#include "assets.h"
#include "fouille-index.h"
#include "http-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t fouille__http_record_search(struct fouille__http *srv,
                                     const struct fouille__search_req *req,
                                     const json_t *result)
{
    struct fouille__analytics *a = srv->d->analytics;
    if (!a || srv->staff)
        return 0;
    /* A page after the first is the same search; a search typed in
     * progress (prefix) or without text (browsing) is not a query. Their
     * results can still be opened. */
    if (req->page != 1 || req->prefix_last || !req->q || !req->q[0])
        return fouille__analytics_query_id(a);
    char key[FOUILLE__ANALYTICS_KEY_MAX + 1];
    if (fouille_index_query_key(req->words ? req->words : "", key,
                                sizeof key) != FOUILLE_INDEX_OK)
        key[0] = '\0';
    json_int_t total = json_integer_value(json_object_get(result, "total"));
    return fouille__analytics_search(a, key, total > 0 ? (uint64_t)total : 0,
                                     now_s());
}

char *fouille__http_with_query_id(char *body, size_t *len, uint64_t id)
{
    /* The body is one JSON object and a newline: the id goes before its
     * closing brace. */
    size_t n = *len;
    while (n && (body[n - 1] == '\n' || body[n - 1] == ' '))
        n--;
    if (!id || n < 2 || body[0] != '{' || body[n - 1] != '}')
        return body;
    char member[64];
    char hex[17];
    fouille__analytics_format_id(id, hex);
    int m = snprintf(member, sizeof member, "%s\"query_id\":\"%s\"}\n",
                     n > 2 ? "," : "", hex);
    char *grown = realloc(body, n - 1 + (size_t)m + 1);
    if (!grown)
        return body;
    memcpy(grown + n - 1, member, (size_t)m + 1);
    *len = n - 1 + (size_t)m;
    return grown;
}

static int allowed(const struct fouille__http *srv)
{
    return srv->d->analytics && (srv->staff || srv->d->cfg.analytics_http);
}

/* POST /click, body {"query_id": "<16 hex>", "rank": N}: the result at
 * rank N of that search was opened. Strict: any other member, type or
 * value is a 400; an id the daemon does not know (any more) is a 404. */
void fouille__http_handle_click(struct conn *c)
{
    struct fouille__analytics *a = c->srv->d->analytics;
    if (!a || c->srv->staff) {
        fouille__http_respond_error(c, ROUTE_CLICK, 404,
                                    "search analytics are off here", NULL);
        return;
    }
    const struct fouille__buf *b = &c->req.body;
    json_error_t jerr;
    json_t *j = b->len ? json_loadb(b->data, b->len,
                                    JSON_REJECT_DUPLICATES, &jerr)
                       : NULL;
    json_t *qid = json_object_get(j, "query_id");
    json_t *rank = json_object_get(j, "rank");
    uint64_t id;
    const char *why = NULL;
    if (!json_is_object(j))
        why = "the body must be a JSON object {\"query_id\": ..., \"rank\": "
              "N}";
    else if (json_object_size(j) != 2 || !qid || !rank)
        why = "the body must hold query_id and rank, and nothing else";
    else if (!json_is_string(qid) ||
             fouille__analytics_parse_id(json_string_value(qid), &id) < 0)
        why = "query_id must be the 16 hexadecimal digits of a search's "
              "query_id";
    else if (!json_is_integer(rank) || json_integer_value(rank) < 1 ||
             json_integer_value(rank) > FOUILLE__ANALYTICS_RANK_MAX)
        why = "rank must be an integer from 1 (the first result)";
    if (why) {
        json_decref(j);
        fouille__http_respond_error(c, ROUTE_CLICK, 400, why, NULL);
        return;
    }
    int known = fouille__analytics_click(a, id,
                                         (unsigned)json_integer_value(rank),
                                         now_s());
    json_decref(j);
    if (known)
        fouille__http_respond(c, ROUTE_CLICK, 204, NULL, NULL, 0,
                              "Cache-Control: no-store\r\n");
    else
        fouille__http_respond_error(c, ROUTE_CLICK, 404,
                                    "unknown or expired query_id", NULL);
}

/* A whole number from 1 to max, or 0. */
static unsigned number(const char *s, unsigned max)
{
    char *end;
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 6)
        return 0;
    unsigned long v = strtoul(s, &end, 10);
    return v >= 1 && v <= max ? (unsigned)v : 0;
}

/* GET /analytics?days=N&top=N: fouille__analytics_report's document. */
void fouille__http_handle_analytics(struct conn *c, const char *qs,
                                    size_t qslen)
{
    if (!allowed(c->srv)) {
        fouille__http_respond_error(c, ROUTE_ANALYTICS, 404, "not found",
                                    NULL);
        return;
    }
    struct fouille__params p;
    unsigned days = 30, top = 20;
    const char *why = NULL;
    if (fouille__params_parse(&p, qs, qslen) < 0)
        why = "malformed query string";
    for (int i = 0; !why && i < p.n; i++) {
        if (strcmp(p.key[i], "days") == 0 &&
            (days = number(p.val[i], 3660)) == 0)
            why = "days must be a whole number from 1 to 3660";
        else if (strcmp(p.key[i], "top") == 0 &&
                 (top = number(p.val[i], 1000)) == 0)
            why = "top must be a whole number from 1 to 1000";
        else if (strcmp(p.key[i], "days") && strcmp(p.key[i], "top"))
            why = "unknown parameter (known: days, top)";
    }
    fouille__params_free(&p);
    if (why) {
        fouille__http_respond_error(c, ROUTE_ANALYTICS, 400, why, NULL);
        return;
    }
    json_t *r = fouille__analytics_report(c->srv->d->analytics, days, top,
                                          now_s());
    if (r)
        fouille__http_respond_json(c, ROUTE_ANALYTICS, 200, r,
                                   "Cache-Control: no-store\r\n");
    else
        fouille__http_respond_error(c, ROUTE_ANALYTICS, 503, "out of memory",
                                    NULL);
}

/* The report page and its script: where the report is served. */
void fouille__http_handle_report_page(struct conn *c, const char *path)
{
    const struct fouille__asset *a = fouille__asset_find(path);
    if (!allowed(c->srv) || !a) {
        fouille__http_respond_error(c, ROUTE_ANALYTICS, 404, "not found",
                                    NULL);
        return;
    }
    char *body = malloc(a->len + 1);
    if (body)
        memcpy(body, a->data, a->len);
    fouille__http_respond(c, ROUTE_ANALYTICS, 200, a->type, body,
                          body ? a->len : 0, a->headers);
}
