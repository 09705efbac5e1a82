/* http-internal.h -- what the HTTP server's files share: routes, the
 * server and connection structures, and how a handler answers. Not a
 * public interface: http.c owns connections, http-routes.c holds the
 * handlers that need no more than an answer. */
#ifndef FOUILLE_HTTP_INTERNAL_H
#define FOUILLE_HTTP_INTERNAL_H

#include "buf.h"
#include "daemon.h"
#include "httpreq.h"
#include "search.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Routes, for metrics. */
#define ROUTES(X)                                                             \
    X(SEARCH, "/search") X(HEALTH, "/health") X(STATS, "/stats")              \
    X(METRICS, "/metrics") X(PAGE, "/") X(ASSET, "asset") X(DOC, "/doc")      \
    X(CLICK, "/click") X(ANALYTICS, "/analytics") X(OTHER, "other")
enum route {
#define ROUTE_ENUM_(n, s) ROUTE_##n,
    ROUTES(ROUTE_ENUM_)
#undef ROUTE_ENUM_
    N_ROUTES
};
extern const char *const fouille__http_route_names[N_ROUTES];

/* Statuses, for metrics: http_parser's map, so that every status a route
 * can answer is counted and named the same way. */
enum http_status_index {
#define STATUS_INDEX_(num, name, string) STATUS_##name,
    HTTP_STATUS_MAP(STATUS_INDEX_)
#undef STATUS_INDEX_
    N_STATUSES
};
extern const int fouille__http_statuses[N_STATUSES]; /* by index */
#define N_BUCKETS 11
extern const double fouille__http_latency_buckets[N_BUCKETS]; /* ms */

struct fouille__http {
    struct fouille__daemon *d;
    uv_tcp_t listener;
    int listening;
    int staff;          /* the staff listener: sees private documents */
    char *basic_auth;   /* "Basic <base64 of staff:password>", or NULL */
    char *bearer_auth;  /* "Bearer <password>", or NULL */
    struct conn *conns;
    unsigned nconns;
    int stopping;
    /* metrics */
    uint64_t requests[N_ROUTES][N_STATUSES];
    uint64_t latency_count[N_BUCKETS + 1];
    double latency_sum;
    uint64_t latency_n;
    uint64_t rejected_connections;
    /* Searches answered, and those that found nothing: the zero-result
     * rate, per listener (the place to tell public from staff views). */
    uint64_t searches, searches_zero;
};

struct conn {
    struct fouille__http *srv;
    struct conn *prev, *next;
    uv_tcp_t tcp;
    uv_timer_t timer;
    struct fouille__httpreq req; /* the request being read */
    int busy;                    /* handling a request */
    int closing;
    int draining;                /* error sent: discard input, then close */
    int refs;                    /* the handles + queries in flight */
    int head;                    /* HEAD request: no body */
    struct fouille__buf pending; /* received, not yet parsed */
};

/* Send a response. body (may be NULL) is taken over. extra_headers are
 * complete header lines, each ending in CRLF. HEAD gets no body. */
void fouille__http_respond(struct conn *c, enum route route, int status,
                           const char *content_type, char *body,
                           size_t body_len, const char *extra_headers);
/* Send the len bytes of the regular file fd (taken over, closed when done)
 * in chunks of bounded size, each with http_write_timeout_ms to be
 * written, else the connection is closed. */
void fouille__http_respond_file(struct conn *c, enum route route, int fd,
                                uint64_t len, const char *content_type,
                                const char *extra_headers);
/* The same with a JSON body (j is consumed). */
void fouille__http_respond_json(struct conn *c, enum route route, int status,
                                json_t *j, const char *extra_headers);
/* {"error": msg, "status": status}. */
void fouille__http_respond_error(struct conn *c, enum route route, int status,
                                 const char *msg, const char *extra_headers);
/* A handler that answers later holds a reference (c->refs++) and drops it
 * with this once done; a closed connection is freed by the last one. */
void fouille__http_conn_unref(struct conn *c);

/* http-staff.c: the staff listener's password. Read the password file
 * (first line; the file must not be readable by others) into srv.
 * Returns 0, or -1 with err. */
int fouille__staff_auth_load(struct fouille__http *srv, const char *path,
                             char *err, size_t errlen);
/* Whether a request with this Authorization header ("" if none) may use
 * srv: always when srv has no password. */
int fouille__staff_auth_ok(const struct fouille__http *srv,
                           const char *authorization);

/* http-routes.c */
void fouille__http_handle_metrics(struct conn *c);
void fouille__http_handle_document(struct conn *c, const char *encoded);

/* http-analytics.c */
/* The largest body of a POST /click (bytes). */
#define FOUILLE__CLICK_BODY_MAX 512
/* Count a search answered on srv (public listener only) and return the
 * query id its answer carries, or 0 when none. */
uint64_t fouille__http_record_search(struct fouille__http *srv,
                                     const struct fouille__search_req *req,
                                     const json_t *result);
/* body (len bytes, one JSON object and a newline, malloc'd) with
 * "query_id" added; body itself when id is 0 or memory runs out. */
char *fouille__http_with_query_id(char *body, size_t *len, uint64_t id);
void fouille__http_handle_click(struct conn *c);
void fouille__http_handle_analytics(struct conn *c, const char *qs,
                                    size_t qslen);
void fouille__http_handle_report_page(struct conn *c, const char *path);

#endif
