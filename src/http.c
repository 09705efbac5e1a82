/* http.c -- the HTTP/1.1 server of fouilled, for the website.
 *
 * Parsing is libhttp-parser's. One request is handled at a time per
 * connection: when a request is complete the parser is paused and the
 * bytes that follow (pipelined requests) wait until the response is
 * written, so responses always leave in request order. Searches run on the
 * thread pool (query.c). Every limit has a config key; violations get a
 * JSON error with 400, 405, 408, 413, 414, 429, 431, 503 or 505. */
#include "config.h"

#include "analytics.h"
#include "assets.h"
#include "buf.h"
#include "errors.h"
#include "http-internal.h"
#include "httpreq.h"
#include "log.h"
#include "query.h"
#include "server.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


struct write_req {
    uv_write_t req;
    struct conn *c;
    char *head;
    char *body;
    int close_after;
};

struct http_query {
    struct fouille__query q;
    struct conn *c;
    enum route route;
};

const char *const fouille__http_route_names[N_ROUTES] = {
#define ROUTE_NAME_(n, s) s,
    ROUTES(ROUTE_NAME_)
#undef ROUTE_NAME_
};
const int fouille__http_statuses[N_STATUSES] = {
#define STATUS_CODE_(num, name, string) num,
    HTTP_STATUS_MAP(STATUS_CODE_)
#undef STATUS_CODE_
};
const double fouille__http_latency_buckets[N_BUCKETS] = {
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};

static void count_request(struct fouille__http *srv, enum route r, int status)
{
    switch (status) {
#define STATUS_COUNT_(num, name, string)                                      \
    case num:                                                                 \
        srv->requests[r][STATUS_##name]++;                                    \
        break;
        HTTP_STATUS_MAP(STATUS_COUNT_)
#undef STATUS_COUNT_
    }
}

/* ---- connection lifetime ------------------------------------------------ */

void fouille__http_conn_unref(struct conn *c)
{
    if (--c->refs > 0)
        return;
    fouille__httpreq_free(&c->req);
    fouille__buf_free(&c->pending);
    free(c);
}

static void on_conn_handle_closed(uv_handle_t *h) { fouille__http_conn_unref(h->data); }

static void conn_close(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    struct fouille__http *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    srv->nconns--;
    uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
}

/* ---- responses ----------------------------------------------------------- */

static int origin_allowed(const struct fouille__daemon *d, const char *origin)
{
    const char *list = d->cfg.cors_origins;
    size_t olen = strlen(origin);
    if (!origin[0] || !list[0])
        return 0;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        while (n && p[n - 1] == ' ')
            n--;
        if ((n == 1 && p[0] == '*') || (n == olen && strncmp(p, origin, n) == 0))
            return 1;
        p = e;
    }
    return 0;
}

static void on_written(uv_write_t *req, int status);
static void feed(struct conn *c);

/* Send a response. body (may be NULL) is taken over. extra_headers are
 * complete header lines, each ending in CRLF. */
/* A response's status line and headers (NULL: no memory); counts it. */
static char *response_head(struct conn *c, enum route route, int status,
                           const char *content_type, uint64_t body_len,
                           const char *extra_headers, int *close_after_out)
{
    struct fouille__http *srv = c->srv;
    struct fouille__daemon *d = srv->d;
    struct fouille__buf h = {0};
    int close_after = !c->req.keep_alive || c->req.error_status ||
                      srv->stopping;
    count_request(srv, route, status);
    fouille__buf_appendf(&h, "HTTP/1.1 %d %s\r\n", status,
                         http_status_str((enum http_status)status));
    fouille__buf_appendf(&h, "Server: fouille/%s\r\n", PACKAGE_VERSION);
    if (content_type)
        fouille__buf_appendf(&h, "Content-Type: %s\r\n", content_type);
    fouille__buf_appendf(&h, "Content-Length: %llu\r\n",
                         (unsigned long long)body_len);
    fouille__buf_appendf(&h, "X-Content-Type-Options: nosniff\r\n");
    if (c->req.origin[0] && origin_allowed(d, c->req.origin)) {
        int any = strcmp(d->cfg.cors_origins, "*") == 0;
        fouille__buf_appendf(&h, "Access-Control-Allow-Origin: %s\r\n",
                             any ? "*" : c->req.origin);
        if (!any)
            fouille__buf_appendf(&h, "Vary: Origin\r\n");
    }
    if (extra_headers)
        fouille__buf_append(&h, extra_headers, strlen(extra_headers));
    fouille__buf_appendf(&h, "Connection: %s\r\n\r\n",
                         close_after ? "close" : "keep-alive");
    *close_after_out = close_after;
    if (!h.data)
        fouille__buf_free(&h);
    return h.data ? fouille__buf_steal(&h) : NULL;
}

/* A client that does not read what it asked for holds a connection and
 * its answer's memory: each write has this long to complete. */
static void on_write_timeout(uv_timer_t *t) { conn_close(t->data); }

static void start_write_timer(struct conn *c)
{
    uv_timer_stop(&c->timer);
    uv_timer_start(&c->timer, on_write_timeout,
                   (uint64_t)c->srv->d->cfg.http_write_timeout_ms, 0);
}

void fouille__http_respond(struct conn *c, enum route route, int status,
                    const char *content_type, char *body, size_t body_len,
                    const char *extra_headers)
{
    int close_after = 0;
    char *head = response_head(c, route, status, content_type, body_len,
                               extra_headers, &close_after);
    struct write_req *w = head ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        free(head);
        free(body);
        conn_close(c);
        return;
    }
    w->c = c;
    w->head = head;
    w->body = body;
    w->close_after = close_after;
    uv_buf_t bufs[2] = {uv_buf_init(w->head, (unsigned)strlen(w->head)),
                        uv_buf_init(body ? body : "", (unsigned)body_len)};
    c->refs++;
    int nbufs = body && !c->head ? 2 : 1;
    if (c->closing ||
        uv_write(&w->req, (uv_stream_t *)&c->tcp, bufs, (unsigned)nbufs,
                 on_written) < 0) {
        free(w->head);
        free(w->body);
        free(w);
        fouille__http_conn_unref(c);
        conn_close(c);
        return;
    }
    start_write_timer(c);
}

/* ---- a file, in chunks --------------------------------------------------- */

/* One chunk in memory per connection, whatever the file's size. */
#define FILE_CHUNK (64 * 1024)

struct file_send {
    uv_write_t wr;
    uv_fs_t fs;
    struct conn *c;
    int fd;
    uint64_t off, left;
    int close_after;
    char *head;
    char chunk[FILE_CHUNK];
};

static void after_response(struct conn *c, int status, int close_after);
static void on_file_written(uv_write_t *req, int status);

static void file_send_end(struct file_send *f, int status)
{
    struct conn *c = f->c;
    close(f->fd);
    free(f->head);
    int close_after = f->close_after;
    free(f);
    after_response(c, status, close_after);
    fouille__http_conn_unref(c);
}

static void on_file_read(uv_fs_t *req)
{
    struct file_send *f = req->data;
    struct conn *c = f->c;
    ssize_t n = (ssize_t)req->result;
    uv_fs_req_cleanup(req);
    if (c->closing || n <= 0) {
        file_send_end(f, -1); /* truncated under us: the length is wrong */
        return;
    }
    f->off += (uint64_t)n;
    f->left -= (uint64_t)n;
    uv_buf_t b = uv_buf_init(f->chunk, (unsigned)n);
    if (uv_write(&f->wr, (uv_stream_t *)&c->tcp, &b, 1, on_file_written) < 0) {
        file_send_end(f, -1);
        return;
    }
    start_write_timer(c);
}

static void on_file_written(uv_write_t *req, int status)
{
    struct file_send *f = (struct file_send *)req;
    struct conn *c = f->c;
    if (status < 0 || c->closing || f->left == 0 || c->head) {
        file_send_end(f, status < 0 || c->closing ? -1 : 0);
        return;
    }
    size_t want = f->left < FILE_CHUNK ? (size_t)f->left : FILE_CHUNK;
    uv_buf_t b = uv_buf_init(f->chunk, (unsigned)want);
    f->fs.data = f;
    uv_timer_stop(&c->timer);
    if (uv_fs_read(c->srv->d->loop, &f->fs, f->fd, &b, 1, (int64_t)f->off,
                   on_file_read) < 0)
        file_send_end(f, -1);
}

void fouille__http_respond_file(struct conn *c, enum route route, int fd,
                                uint64_t len, const char *content_type,
                                const char *extra_headers)
{
    struct file_send *f = calloc(1, sizeof *f);
    int close_after = 0;
    char *head = f ? response_head(c, route, 200, content_type, len,
                                   extra_headers, &close_after)
                   : NULL;
    if (!head) {
        free(f);
        close(fd);
        conn_close(c);
        return;
    }
    f->c = c;
    f->fd = fd;
    f->left = len;
    f->head = head;
    f->close_after = close_after;
    c->refs++;
    uv_buf_t b = uv_buf_init(head, (unsigned)strlen(head));
    if (c->closing || uv_write(&f->wr, (uv_stream_t *)&c->tcp, &b, 1,
                               on_file_written) < 0) {
        file_send_end(f, -1);
        return;
    }
    start_write_timer(c);
}

void fouille__http_respond_json(struct conn *c, enum route route, int status,
                         json_t *j, const char *extra_headers)
{
    /* A JSON document ends with a newline, for curl users. */
    size_t len = 0;
    char *body = j ? fouille__json_line(j, &len) : NULL;
    json_decref(j);
    if (!body) {
        body = strdup("{\"error\":\"out of memory\",\"status\":500}\n");
        len = body ? strlen(body) : 0;
        status = 500;
    }
    fouille__http_respond(c, route, status, "application/json; charset=utf-8", body, len,
            extra_headers);
}

void fouille__http_respond_error(struct conn *c, enum route route, int status,
                          const char *msg, const char *extra_headers)
{
    const char *code, *message;
    fouille__error_describe(status, msg, &code, &message);
    fouille__http_respond_json(c, route, status,
                 json_pack("{s:s,s:i,s:s,s:s}", "error", msg, "status", status,
                           "code", code, "message", message),
                 extra_headers);
}

static void on_drain_timeout(uv_timer_t *t) { conn_close(t->data); }

static void on_shutdown(uv_shutdown_t *req, int status)
{
    struct conn *c = req->data;
    free(req);
    fouille__http_conn_unref(c);
}

/* Closing right after an error while the client is still sending would
 * make the kernel reset the connection and lose our answer: stop writing,
 * read and discard for a moment, then close (lingering close). */
static void linger_close(struct conn *c)
{
    uv_shutdown_t *req = malloc(sizeof *req);
    c->draining = 1;
    c->pending.len = 0;
    uv_timer_stop(&c->timer);
    uv_timer_start(&c->timer, on_drain_timeout, 1000, 0);
    if (!req) {
        conn_close(c);
        return;
    }
    req->data = c;
    c->refs++;
    if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) < 0) {
        free(req);
        fouille__http_conn_unref(c);
        conn_close(c);
    }
}

static void on_written(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;
    struct conn *c = w->c;
    int close_after = w->close_after;
    free(w->head);
    free(w->body);
    free(w);
    after_response(c, status, close_after);
    fouille__http_conn_unref(c);
}

/* A response was written (status 0) or could not be: what next. */
static void after_response(struct conn *c, int status, int close_after)
{
    if (!c->closing)
        uv_timer_stop(&c->timer);
    if (!c->closing) {
        if (status < 0)
            conn_close(c);
        else if (close_after && c->req.error_status)
            linger_close(c);
        else if (close_after)
            conn_close(c);
        else {
            c->busy = 0;
            feed(c); /* a pipelined request may be waiting */
        }
    }
}

/* ---- request handling -------------------------------------------------- */

static int route_timed(enum route route);

/* Count an answered search, and whether it found nothing. */
static void count_search(struct fouille__http *srv, const json_t *result)
{
    srv->searches++;
    if (json_integer_value(json_object_get(result, "total")) == 0)
        srv->searches_zero++;
}

/* The click beacon's query id on an answer (none when id is 0). */
static void set_query_id(json_t *answer, uint64_t id)
{
    char hex[17];
    if (!answer || !id)
        return;
    fouille__analytics_format_id(id, hex);
    json_object_set_new(answer, "query_id", json_string(hex));
}

static void on_query_done(struct fouille__query *fq)
{
    struct http_query *hq = (struct http_query *)fq;
    struct conn *c = hq->c;
    /* A closed connection may have outlived its server: touch neither. */
    if (!c->closing) {
        struct fouille__http *srv = c->srv;
        if (route_timed(hq->route)) {
            size_t b = 0;
            while (b < N_BUCKETS && fq->took_ms > fouille__http_latency_buckets[b])
                b++;
            srv->latency_count[b]++;
            srv->latency_sum += fq->took_ms;
            srv->latency_n++;
        }
        if (hq->route == ROUTE_STATS && !srv->staff && srv->d->view.n) {
            /* Some documents are private: the public gets the figures of
             * its own view only (see fouille__http_handle_metrics). */
            json_t *types = fq->result
                ? json_object_get(json_object_get(fq->result, "facets"), "type")
                : NULL;
            json_t *total = fq->result ? json_object_get(fq->result, "total")
                                       : NULL;
            json_t *stats = json_pack(
                "{s:s,s:b,s:I,s:O}", "version", PACKAGE_VERSION, "reconciled",
                srv->d->ready, "documents",
                (json_int_t)(total ? json_integer_value(total) : 0),
                "documents_by_type", types ? types : json_object());
            fouille__http_respond_json(c, ROUTE_STATS, 200, stats,
                         "Cache-Control: no-store\r\n");
        } else if (hq->route == ROUTE_STATS) {
            struct fouille__stats *st = malloc(sizeof *st);
            json_t *stats = NULL;
            if (st) {
                fouille__stats_collect(srv->d, st);
                fouille__stats_add_types(st, fq->result);
                stats = fouille__stats_to_json(st);
                free(st);
            }
            if (stats)
                fouille__http_respond_json(c, ROUTE_STATS, 200, stats,
                                           "Cache-Control: no-store\r\n");
            else
                fouille__http_respond_error(c, ROUTE_STATS, 503,
                                            "out of memory", NULL);
        } else if (fq->result) {
            count_search(srv, fq->result);
            uint64_t id = fouille__http_record_search(srv, &fq->sreq,
                                                      fq->result);
            size_t len;
            char *body = fouille__query_take_body(fq, &len);
            if (body) {
                body = fouille__http_with_query_id(body, &len, id);
                fouille__http_respond(c, ROUTE_SEARCH, 200,
                                      "application/json; charset=utf-8", body,
                                      len, "Cache-Control: no-store\r\n");
            } else {
                /* A copy: the result may be the cache's. */
                json_t *copy = json_copy(fq->result);
                set_query_id(copy, id);
                fouille__http_respond_json(c, ROUTE_SEARCH, 200,
                                           copy ? copy : json_incref(fq->result),
                                           "Cache-Control: no-store\r\n");
            }
        } else {
            int st = fouille__query_http_status(fq->status);
            fouille__http_respond_error(c, ROUTE_SEARCH, st, fq->err, NULL);
        }
    }
    fouille__query_release(fq);
    free(hq);
    fouille__http_conn_unref(c);
}

static void start_query(struct conn *c, enum route route,
                        const struct fouille__search_req *req)
{
    struct http_query *hq = calloc(1, sizeof *hq);
    if (!hq) {
        fouille__http_respond_error(c, route, 503, "out of memory", NULL);
        return;
    }
    hq->c = c;
    hq->route = route;
    hq->q.done = on_query_done;
    c->refs++;
    if (fouille__query_submit(c->srv->d, &hq->q, req) < 0) {
        free(hq);
        fouille__http_conn_unref(c);
        fouille__http_respond_error(c, route, 503, "the search queue is full", NULL);
    }
}

/* Each handler gets what follows the route's path (for a prefix route)
 * and the raw query string. */
typedef void route_handler(struct conn *c, const char *rest, const char *qs,
                           size_t qslen);

static void handle_search(struct conn *c, const char *rest, const char *qs,
                          size_t qslen)
{
    struct fouille__daemon *d = c->srv->d;
    struct fouille__search_limits lim = fouille__search_limits_of(&d->cfg, 1);
    struct fouille__search_req req;
    struct fouille__params p;
    char err[256];
    if (fouille__params_parse(&p, qs, qslen) < 0) {
        fouille__params_free(&p);
        fouille__http_respond_error(c, ROUTE_SEARCH, 400,
                                    "malformed query string (bad "
                                    "percent-encoding or too many parameters)",
                                    NULL);
        return;
    }
    int bad = 0;
    fouille__search_req_init(&req, &lim);
    for (int i = 0; i < p.n && !bad; i++)
        bad = fouille__search_req_set(&req, &lim, p.key[i], p.val[i], err,
                                      sizeof err) < 0;
    if (!bad)
        bad = fouille__search_req_finish(&req, &lim, err, sizeof err) < 0;
    fouille__params_free(&p);
    if (bad) {
        int st = strstr(err, "too long") ? 414 : 400;
        fouille__http_respond_error(c, ROUTE_SEARCH, st, err, NULL);
        return;
    }
    req.staff = c->srv->staff;
    json_t *cached = fouille__query_cache_get(c->srv->d, &req);
    if (cached) {
        count_search(c->srv, cached);
        /* cached is the caller's copy (query.h). */
        set_query_id(cached, fouille__http_record_search(c->srv, &req, cached));
        fouille__http_respond_json(c, ROUTE_SEARCH, 200, cached,
                                   "Cache-Control: no-store\r\n");
        return;
    }
    start_query(c, ROUTE_SEARCH, &req);
}

static void handle_health(struct conn *c, const char *rest, const char *qs,
                          size_t qslen)
{
    int healthy;
    json_t *j = fouille__health_json(c->srv->d, &healthy);
    fouille__http_respond_json(c, ROUTE_HEALTH, healthy ? 200 : 503, j,
                               "Cache-Control: no-store\r\n");
}

static void handle_stats(struct conn *c, const char *rest, const char *qs,
                         size_t qslen)
{
    /* The facets of a search for everything count documents by type. */
    struct fouille__search_limits lim =
        fouille__search_limits_of(&c->srv->d->cfg, 1);
    struct fouille__search_req req;
    fouille__search_req_init(&req, &lim);
    req.per_page = 1;
    req.staff = c->srv->staff;
    /* With private documents, the public total counts documents. */
    req.no_group = !c->srv->staff && c->srv->d->view.n;
    start_query(c, ROUTE_STATS, &req);
}

static void handle_metrics(struct conn *c, const char *rest, const char *qs,
                           size_t qslen)
{
    fouille__http_handle_metrics(c);
}

static void handle_document(struct conn *c, const char *rest, const char *qs,
                            size_t qslen)
{
    fouille__http_handle_document(c, rest);
}

static void handle_click(struct conn *c, const char *rest, const char *qs,
                         size_t qslen)
{
    fouille__http_handle_click(c);
}

static void handle_analytics(struct conn *c, const char *rest, const char *qs,
                             size_t qslen)
{
    fouille__http_handle_analytics(c, qs, qslen);
}

static void handle_report_page(struct conn *c, const char *rest,
                               const char *qs, size_t qslen)
{
    fouille__http_handle_report_page(c, "/stats.html");
}

static void handle_report_script(struct conn *c, const char *rest,
                                 const char *qs, size_t qslen)
{
    fouille__http_handle_report_page(c, "/stats.js");
}

/* ---- dispatch ------------------------------------------------------------ */

#define METHOD(m) (1u << (m))
#define GET_HEAD (METHOD(HTTP_GET) | METHOD(HTTP_HEAD))

enum route_flag {
    ROUTE_F_PREFIX = 1,          /* path is a prefix: "/doc/" + the rest */
    ROUTE_F_NEEDS_DOCUMENTS = 2, /* exists only with serve_documents */
    ROUTE_F_TIMED = 4,           /* its latency goes to the histogram */
};

/* The routes. A path not here is a built-in asset (the page, the widget)
 * or a 404. */
static const struct route_def {
    unsigned methods; /* METHOD() bits */
    const char *path;
    enum route route; /* for metrics */
    route_handler *handler;
    unsigned flags;   /* ROUTE_F_* */
} route_table[] = {
    {GET_HEAD, "/search", ROUTE_SEARCH, handle_search, ROUTE_F_TIMED},
    {GET_HEAD, "/health", ROUTE_HEALTH, handle_health, 0},
    {GET_HEAD, "/stats", ROUTE_STATS, handle_stats, 0},
    {GET_HEAD, "/metrics", ROUTE_METRICS, handle_metrics, 0},
    {GET_HEAD, "/doc/", ROUTE_DOC, handle_document,
     ROUTE_F_PREFIX | ROUTE_F_NEEDS_DOCUMENTS},
    {METHOD(HTTP_POST), "/click", ROUTE_CLICK, handle_click, 0},
    {GET_HEAD, "/analytics", ROUTE_ANALYTICS, handle_analytics, 0},
    {GET_HEAD, "/stats.html", ROUTE_ANALYTICS, handle_report_page, 0},
    {GET_HEAD, "/stats.js", ROUTE_ANALYTICS, handle_report_script, 0},
};

static const struct route_def *route_find(const struct fouille__daemon *d,
                                          const char *path)
{
    for (size_t i = 0; i < sizeof route_table / sizeof route_table[0]; i++) {
        const struct route_def *r = &route_table[i];
        if ((r->flags & ROUTE_F_NEEDS_DOCUMENTS) && !d->cfg.serve_documents)
            continue;
        if (r->flags & ROUTE_F_PREFIX
                ? strncmp(path, r->path, strlen(r->path)) == 0
                : strcmp(path, r->path) == 0)
            return r;
    }
    return NULL;
}

static int route_timed(enum route route)
{
    for (size_t i = 0; i < sizeof route_table / sizeof route_table[0]; i++)
        if (route_table[i].route == route)
            return (route_table[i].flags & ROUTE_F_TIMED) != 0;
    return 0;
}

static void handle_request(struct conn *c)
{
    struct fouille__http *srv = c->srv;
    struct fouille__daemon *d = srv->d;
    enum http_method m = (enum http_method)c->req.method;
    char path[1024];
    const char *qs;
    size_t qslen;
    c->head = m == HTTP_HEAD;
    int bad = fouille__httpreq_target(&c->req, path, sizeof path, &qs, &qslen);
    if (bad) {
        c->req.error_status = bad;
        fouille__http_respond_error(c, ROUTE_OTHER, bad, bad == 414 ? "path too long"
                                                      : "malformed request target",
                      NULL);
        return;
    }

    if (srv->staff && !fouille__staff_auth_ok(srv, c->req.authorization)) {
        fouille__http_respond_error(
            c, ROUTE_OTHER, 401, "the staff listener needs the staff password",
            "WWW-Authenticate: Basic realm=\"fouille staff\", charset=\"UTF-8\"\r\n");
        return;
    }
    if (m == HTTP_OPTIONS) {
        /* CORS preflight: only GET and HEAD are ever allowed. */
        fouille__http_respond(c, ROUTE_OTHER, 204, NULL, NULL, 0,
                "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
                "Access-Control-Allow-Headers: Content-Type\r\n"
                "Access-Control-Max-Age: 86400\r\n"
                "Allow: GET, HEAD, OPTIONS\r\n");
        return;
    }
    const struct route_def *r = route_find(d, path);
    unsigned allowed = r ? r->methods : GET_HEAD;
    if (m >= 32 || !(allowed & METHOD(m))) {
        if (allowed == METHOD(HTTP_POST))
            fouille__http_respond_error(c, ROUTE_OTHER, 405, "only POST",
                                        "Allow: POST\r\n");
        else
            fouille__http_respond_error(c, ROUTE_OTHER, 405,
                                        "only GET, HEAD and OPTIONS",
                                        "Allow: GET, HEAD, OPTIONS\r\n");
        return;
    }
    if (r) {
        r->handler(c, path + strlen(r->path), qs, qslen);
        return;
    }
    const struct fouille__asset *a = fouille__asset_find(path);
    /* The search page is the staff's: with a staff listener it is served
     * there only; the widget is served on both. */
    if (a && a->route_is_page && !srv->staff && d->staff_http)
        a = NULL;
    if (a) {
        char *body = malloc(a->len + 1);
        if (body)
            memcpy(body, a->data, a->len);
        fouille__http_respond(c, a->route_is_page ? ROUTE_PAGE : ROUTE_ASSET, 200,
                a->type, body, body ? a->len : 0, a->headers);
    } else
        fouille__http_respond_error(c, ROUTE_OTHER, 404, "not found", NULL);
}

/* ---- reading ----------------------------------------------------------- */

static void on_timer(uv_timer_t *t)
{
    struct conn *c = t->data;
    if (c->busy || c->closing)
        return;
    if (c->req.started) {
        /* Headers too slow (slowloris): say so, then close. */
        c->busy = 1;
        c->req.error_status = 408;
        c->req.keep_alive = 0;
        fouille__http_respond_error(c, ROUTE_OTHER, 408, "request timeout", NULL);
    } else
        conn_close(c); /* idle keep-alive connection */
}

/* Parse what is pending until a request completes or the data runs out. */
static void feed(struct conn *c)
{
    struct fouille__daemon *d = c->srv->d;
    while (!c->busy && !c->closing && c->pending.len > 0) {
        if (!c->req.started)
            uv_timer_start(&c->timer, on_timer,
                           (uint64_t)d->cfg.http_header_timeout_ms, 0);
        fouille__httpreq_next(&c->req);
        size_t n = fouille__httpreq_feed(&c->req, c->pending.data,
                                         c->pending.len);
        /* Keep what belongs to the next request. */
        memmove(c->pending.data, c->pending.data + n, c->pending.len - n);
        c->pending.len -= n;
        c->pending.data[c->pending.len] = '\0';
        if (c->req.error_status) {
            c->busy = 1;
            c->pending.len = 0;
            uv_timer_stop(&c->timer);
            fouille__http_respond_error(c, ROUTE_OTHER, c->req.error_status,
                          c->req.error_msg, NULL);
            return;
        }
        if (c->req.complete) {
            c->busy = 1;
            uv_timer_stop(&c->timer);
            handle_request(c);
        }
    }
    if (!c->busy && !c->closing && !c->req.started)
        uv_timer_start(&c->timer, on_timer,
                       (uint64_t)d->cfg.http_idle_timeout_ms, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct conn *c = h->data;
    if (fouille__buf_reserve(&c->pending, 16384) < 0) {
        buf->base = NULL;
        buf->len = 0;
        return;
    }
    buf->base = c->pending.data + c->pending.len;
    buf->len = c->pending.cap - c->pending.len - 1;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    struct fouille__daemon *d = c->srv->d;
    if (n < 0) {
        conn_close(c);
        return;
    }
    if (c->draining || (c->busy && c->req.error_status))
        return; /* the request was refused: its remaining bytes are dropped */
    c->pending.len += (size_t)n;
    c->pending.data[c->pending.len] = '\0';
    /* A client that keeps sending while its request is handled cannot make
     * us buffer without bound. */
    if (c->pending.len > (size_t)d->cfg.http_max_header_bytes * 4 + 65536) {
        conn_close(c);
        return;
    }
    feed(c);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct fouille__http *srv = server->data;
    struct fouille__daemon *d = srv->d;
    if (status < 0)
        return;
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->srv = srv;
    c->refs = 2; /* tcp + timer handles */
    uv_tcp_init(d->loop, &c->tcp);
    uv_timer_init(d->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    fouille__httpreq_init(&c->req, (size_t)d->cfg.http_max_url,
                          (size_t)d->cfg.http_max_header_bytes);
    c->req.max_body = FOUILLE__CLICK_BODY_MAX;
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) {
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    if (srv->nconns > (unsigned)d->cfg.http_max_connections) {
        srv->rejected_connections++;
        c->req.keep_alive = 0;
        c->busy = 1;
        fouille__http_respond_error(c, ROUTE_OTHER, 503, "too many connections",
                      "Retry-After: 1\r\n");
        return;
    }
    uv_timer_start(&c->timer, on_timer,
                   (uint64_t)d->cfg.http_header_timeout_ms, 0);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---- start and stop ----------------------------------------------------- */

/* "127.0.0.1:8750", "[::1]:8750", ":8750" (loopback) into addr. */
static int parse_listen(const char *spec, struct sockaddr_storage *addr)
{
    char host[256];
    const char *colon;
    int port;
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof host)
            return -1;
        memcpy(host, spec + 1, (size_t)(end - spec - 1));
        host[end - spec - 1] = '\0';
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            return -1;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        if (!host[0])
            snprintf(host, sizeof host, "127.0.0.1");
    }
    char *end;
    port = (int)strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || end == colon + 1)
        return -1;
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)addr) == 0)
        return 0;
    if (uv_ip6_addr(host, port, (struct sockaddr_in6 *)addr) == 0)
        return 0;
    return -1;
}

/* Whether addr is a loopback address (127.0.0.0/8, ::1). */
static int is_loopback(const struct sockaddr_storage *addr)
{
    if (addr->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr) >>
                24) == 127;
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
    return IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
}

/* Listen on spec; *out is set first, so that a failure is cleaned up by
 * fouille__http_stop. */
static int listen_on(struct fouille__daemon *d, const char *spec, int staff,
                     struct fouille__http **out, char *err, size_t errlen)
{
    const char *key = staff ? "staff_http" : "http";
    struct sockaddr_storage addr;
    if (parse_listen(spec, &addr) < 0) {
        snprintf(err, errlen, "%s: '%s' is not ADDRESS:PORT", key, spec);
        return -1;
    }
    if (staff && !d->cfg.staff_token_file[0] && !is_loopback(&addr)) {
        snprintf(err, errlen,
                 "staff_http: %s is not a loopback address: set "
                 "staff_token_file (the staff password) to listen there",
                 spec);
        return -1;
    }
    struct fouille__http *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    srv->d = d;
    srv->staff = staff;
    *out = srv;
    uv_tcp_init(d->loop, &srv->listener);
    srv->listener.data = srv;
    srv->listening = 1;
    if (staff && d->cfg.staff_token_file[0] &&
        fouille__staff_auth_load(srv, d->cfg.staff_token_file, err, errlen) < 0)
        return -1;
    int rc = uv_tcp_bind(&srv->listener, (struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&srv->listener, 511, on_connection);
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot listen on %s: %s", key, spec,
                 uv_strerror(rc));
        return -1;
    }
    char name[128] = "";
    struct sockaddr_storage bound;
    int blen = sizeof bound;
    if (uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&bound,
                           &blen) == 0) {
        char ip[64] = "";
        int port;
        if (bound.ss_family == AF_INET6) {
            uv_ip6_name((struct sockaddr_in6 *)&bound, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
            snprintf(name, sizeof name, "[%s]:%d", ip, port);
        } else {
            uv_ip4_name((struct sockaddr_in *)&bound, ip, sizeof ip);
            port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
            snprintf(name, sizeof name, "%s:%d", ip, port);
        }
    }
    if (staff)
        log_info("staff listener, private documents included, on "
                 "http://%s/%s", name,
                 srv->basic_auth ? " (password required)" : "");
    else
        log_info("HTTP on http://%s/", name);
    return 0;
}

int fouille__http_start(struct fouille__daemon *d, char *err, size_t errlen)
{
    if (d->cfg.staff_http[0] &&
        listen_on(d, d->cfg.staff_http, 1, &d->staff_http, err, errlen) < 0)
        return -1;
    if (d->cfg.http[0] &&
        listen_on(d, d->cfg.http, 0, &d->http, err, errlen) < 0)
        return -1;
    return 0;
}

static void on_listener_closed(uv_handle_t *h)
{
    struct fouille__http *srv = h->data;
    free(srv->basic_auth);
    free(srv->bearer_auth);
    free(srv);
}

static void stop_one(struct fouille__http *srv)
{
    if (!srv)
        return;
    srv->stopping = 1;
    while (srv->conns)
        conn_close(srv->conns);
    if (srv->listening)
        uv_close((uv_handle_t *)&srv->listener, on_listener_closed);
    else
        on_listener_closed((uv_handle_t *)&srv->listener);
}

void fouille__http_stop(struct fouille__daemon *d)
{
    struct fouille__http *pub = d->http, *staff = d->staff_http;
    d->http = d->staff_http = NULL;
    stop_one(pub);
    stop_one(staff);
}

unsigned fouille__http_port(const struct fouille__daemon *d)
{
    struct sockaddr_storage bound;
    int blen = sizeof bound;
    if (!d->http || uv_tcp_getsockname(&d->http->listener,
                                       (struct sockaddr *)&bound, &blen) != 0)
        return 0;
    if (bound.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
    return ntohs(((struct sockaddr_in *)&bound)->sin_port);
}
