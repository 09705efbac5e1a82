/* sockserver.c -- the Unix socket of fouilled, for staff tools and
 * administration: one JSON object per line in, one per line out.
 *
 *   {"op":"search","q":"foncier","type":"fiche","page":1,"per_page":10,
 *    "sort":"relevance","prefix":false}      -> the /search document
 *   {"op":"stats"}   {"op":"status"}   {"op":"health"}
 *   {"op":"failures"}                         -> {"failures":[...]}
 *   {"op":"reindex","path":"fiches/x.pdf"}    (or "" for everything)
 *   {"op":"queries","days":30,"top":20}       -> the search analytics
 *
 * At most socket_max_connections at once (the next one gets a 503 line and
 * is closed); a connection that sends nothing for socket_idle_timeout_ms
 * while no answer is being prepared is closed.
 *
 * Errors are {"error": "...", "status": N}; the connection stays usable
 * after a malformed or oversized line. Administrative operations exist only
 * here, never on HTTP. Requests on one connection are answered in order. */
#include "config.h"

#include "analytics.h"
#include "buf.h"
#include "log.h"
#include "query.h"
#include "server.h"
#include "sockproto.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct fouille__sockserver {
    struct fouille__daemon *d;
    uv_pipe_t listener;
    char path[108];
    struct sconn *conns;
    unsigned nconns;
};

struct sconn {
    struct fouille__sockserver *srv;
    struct sconn *prev, *next;
    uv_pipe_t pipe;
    uv_timer_t idle;  /* closes a connection that sends nothing */
    struct fouille__buf in;
    int discarding;  /* skipping the rest of an oversized line */
    int busy;        /* a request is being answered */
    int closing;
    int refs;
};

struct sock_query {
    struct fouille__query q;
    struct sconn *c;
    int stats;             /* answer with the stats (types from the result) */
};

static void sconn_unref(struct sconn *c)
{
    if (--c->refs > 0)
        return;
    fouille__buf_free(&c->in);
    free(c);
}

static void on_closed(uv_handle_t *h) { sconn_unref(h->data); }

static void sconn_close(struct sconn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    if (c->prev)
        c->prev->next = c->next;
    else if (c->srv)
        c->srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->srv)
        c->srv->nconns--;
    uv_close((uv_handle_t *)&c->idle, on_closed);
    uv_close((uv_handle_t *)&c->pipe, on_closed);
}

struct swrite {
    uv_write_t req;
    struct sconn *c;
    char *data;
};

static void process_lines(struct sconn *c);

static void on_written(uv_write_t *req, int status)
{
    struct swrite *w = (struct swrite *)req;
    struct sconn *c = w->c;
    free(w->data);
    free(w);
    if (status < 0)
        sconn_close(c);
    else if (!c->closing) {
        c->busy = 0;
        process_lines(c);
    }
    sconn_unref(c);
}

/* Send one line ending in '\n' (line, malloc'd, is consumed; NULL closes
 * the connection: there was no memory to answer). */
static void reply_line(struct sconn *c, char *line, size_t len)
{
    struct swrite *w = line ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        free(line);
        sconn_close(c);
        return;
    }
    w->c = c;
    w->data = line;
    c->refs++;
    uv_buf_t b = uv_buf_init(line, (unsigned)len);
    if (c->closing ||
        uv_write(&w->req, (uv_stream_t *)&c->pipe, &b, 1, on_written) < 0) {
        free(line);
        free(w);
        sconn_unref(c);
        sconn_close(c);
    }
}

/* Send one JSON line (j is consumed). */
static void reply(struct sconn *c, json_t *j)
{
    size_t len = 0;
    char *line = fouille__json_line(j, &len);
    json_decref(j);
    reply_line(c, line, len);
}

static void reply_error(struct sconn *c, int status, const char *msg)
{
    reply(c, json_pack("{s:s,s:i}", "error", msg, "status", status));
}

/* ---- operations --------------------------------------------------------- */

/* The stats snapshot (stats.h), with the documents by type taken from the
 * stats query's result, as /stats renders it. */
static void reply_stats(struct sconn *c, const json_t *result)
{
    struct fouille__stats *st = malloc(sizeof *st);
    json_t *j = NULL;
    if (st) {
        fouille__stats_collect(c->srv->d, st);
        fouille__stats_add_types(st, result);
        j = fouille__stats_to_json(st);
        free(st);
    }
    if (j)
        reply(c, j);
    else
        reply_error(c, 500, "out of memory");
}

static void on_query_done(struct fouille__query *fq)
{
    struct sock_query *sq = (struct sock_query *)fq;
    struct sconn *c = sq->c;
    if (!c->closing) {
        size_t len;
        char *body = NULL;
        if (sq->stats)
            reply_stats(c, fq->result);
        else if (fq->result && (body = fouille__query_take_body(fq, &len)))
            reply_line(c, body, len);
        else if (fq->result)
            reply(c, json_incref(fq->result));
        else
            reply_error(c, fouille__query_http_status(fq->status), fq->err);
    }
    fouille__query_release(fq);
    free(sq);
    sconn_unref(c);
}

static void op_search(struct sconn *c, json_t *req)
{
    struct fouille__daemon *d = c->srv->d;
    struct fouille__search_limits lim = fouille__search_limits_of(&d->cfg, 1);
    struct fouille__search_req sreq;
    char err[256];
    if (fouille__sockproto_search(req, &lim, &sreq, err, sizeof err) < 0) {
        reply_error(c, 400, err);
        return;
    }
    sreq.staff = 1; /* the socket is a staff door */
    json_t *cached = fouille__query_cache_get(d, &sreq);
    if (cached) {
        reply(c, cached);
        return;
    }
    struct sock_query *sq = calloc(1, sizeof *sq);
    if (!sq) {
        reply_error(c, 503, "out of memory");
        return;
    }
    sq->c = c;
    sq->q.done = on_query_done;
    c->refs++;
    if (fouille__query_submit(d, &sq->q, &sreq) < 0) {
        free(sq);
        sconn_unref(c);
        reply_error(c, 503, "cannot queue the search");
    }
}

static void op_stats(struct sconn *c, json_t *req)
{
    struct fouille__search_req sreq = fouille__stats_query();
    sreq.staff = 1; /* the socket is a staff door */
    struct sock_query *sq = calloc(1, sizeof *sq);
    if (!sq) {
        reply_error(c, 503, "out of memory");
        return;
    }
    sq->c = c;
    sq->stats = 1;
    sq->q.done = on_query_done;
    c->refs++;
    if (fouille__query_submit(c->srv->d, &sq->q, &sreq) < 0) {
        free(sq);
        sconn_unref(c);
        reply_error(c, 503, "cannot queue the search");
    }
}

static void op_status(struct sconn *c, json_t *req)
{
    struct fouille__daemon *d = c->srv->d;
    int healthy;
    json_t *j = fouille__health_json(d, &healthy);
    struct fouille__stats *snap = malloc(sizeof *snap);
    json_t *st = NULL;
    if (snap) {
        fouille__stats_collect(d, snap);
        st = fouille__stats_to_json(snap);
        free(snap);
    }
    json_object_set(j, "documents", json_object_get(st, "documents"));
    json_object_set(j, "failed", json_object_get(st, "failed"));
    json_object_set(j, "queue", json_object_get(st, "queue"));
    json_object_set(j, "index", json_object_get(st, "index"));
    json_object_set(j, "watch", json_object_get(st, "watch"));
    json_object_set(j, "ocr", json_object_get(st, "ocr"));
    json_object_set(j, "extracted_since_start",
                    json_object_get(st, "extracted_since_start"));
    json_object_set_new(j, "docs", json_string(d->cfg.docs));
    json_object_set_new(j, "db", json_string(d->cfg.db));
    json_decref(st);
    reply(c, j);
}

static void op_health(struct sconn *c, json_t *req)
{
    int healthy;
    reply(c, fouille__health_json(c->srv->d, &healthy));
}

static void op_failures(struct sconn *c, json_t *req)
{
    reply(c, json_pack("{s:o}", "failures",
                       fouille__failures_json(c->srv->d)));
}

static void op_reindex(struct sconn *c, json_t *req)
{
    json_t *p = json_object_get(req, "path");
    if (p && !json_is_string(p)) {
        reply_error(c, 400, "path must be a string");
        return;
    }
    const char *path = p ? json_string_value(p) : "";
    char *canonical = NULL;
    const char *why = NULL;
    long n = fouille__daemon_reindex(c->srv->d, path, &canonical, &why);
    if (n < 0) {
        reply_error(c, 404, why);
        return;
    }
    reply(c, json_pack("{s:b,s:s}", "ok", 1, "path", canonical));
    free(canonical);
}

/* {"op":"queries","days":N,"top":N}: the search analytics report. */
static void op_queries(struct sconn *c, json_t *req)
{
    struct fouille__analytics *a = c->srv->d->analytics;
    json_t *days = json_object_get(req, "days"), *top = json_object_get(req, "top");
    if (!a) {
        reply_error(c, 404, "search analytics are off (analytics = no)");
        return;
    }
    if ((days && (!json_is_integer(days) || json_integer_value(days) < 1 ||
                  json_integer_value(days) > 3660)) ||
        (top && (!json_is_integer(top) || json_integer_value(top) < 1 ||
                 json_integer_value(top) > 1000))) {
        reply_error(c, 400, "days must be from 1 to 3660, top from 1 to 1000");
        return;
    }
    json_t *r = fouille__analytics_report(
        a, days ? (unsigned)json_integer_value(days) : 30,
        top ? (unsigned)json_integer_value(top) : 20, (double)time(NULL));
    if (r)
        reply(c, r);
    else
        reply_error(c, 503, "out of memory");
}

static const struct {
    const char *name;
    void (*handler)(struct sconn *c, json_t *req);
} commands[] = {
    {"search", op_search},   {"stats", op_stats},     {"status", op_status},
    {"health", op_health},   {"failures", op_failures},
    {"reindex", op_reindex}, {"queries", op_queries},
};

/* Stands, in the input buffer, for a line that was too long and dropped,
 * so that its error is answered in order. Not valid JSON, so no request
 * can look like it. */
#define TOO_LONG_MARK '\x01'

static void handle_line(struct sconn *c, const char *line, size_t len)
{
    if (len == 1 && line[0] == TOO_LONG_MARK) {
        char msg[96];
        snprintf(msg, sizeof msg, "request line longer than %ld bytes",
                 c->srv->d->cfg.socket_max_line);
        reply_error(c, 413, msg);
        return;
    }
    char err[256];
    const char *op;
    json_t *req = fouille__sockproto_decode(line, len, &op, err, sizeof err);
    if (!req) {
        reply_error(c, 400, err);
        return;
    }
    for (size_t i = 0; op && i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(op, commands[i].name) == 0) {
            commands[i].handler(c, req);
            json_decref(req);
            return;
        }
    json_decref(req);
    reply_error(c, 400, "unknown op (search, stats, status, health, "
                        "failures, reindex)");
}

/* Answer complete lines, one at a time. */
static void process_lines(struct sconn *c)
{
    while (!c->busy && !c->closing && c->in.len) {
        char *nl = memchr(c->in.data, '\n', c->in.len);
        if (!nl)
            return;
        size_t len = (size_t)(nl - c->in.data);
        c->busy = 1;
        if (len > (size_t)c->srv->d->cfg.socket_max_line) {
            char mark = TOO_LONG_MARK;
            handle_line(c, &mark, 1);
        } else if (len > 0 && !(len == 1 && c->in.data[0] == '\r'))
            handle_line(c, c->in.data, len);
        else
            c->busy = 0; /* blank line: nothing to answer */
        memmove(c->in.data, nl + 1, c->in.len - len - 1);
        c->in.len -= len + 1;
        c->in.data[c->in.len] = '\0';
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct sconn *c = h->data;
    if (fouille__buf_reserve(&c->in, 65536) < 0) {
        buf->base = NULL;
        buf->len = 0;
        return;
    }
    buf->base = c->in.data + c->in.len;
    buf->len = c->in.cap - c->in.len - 1;
}

/* socket_idle_timeout_ms without a byte from the client, while no answer
 * is being prepared: the connection is closed. */
static void on_idle(uv_timer_t *t)
{
    struct sconn *c = t->data;
    if (c->closing || !c->srv)
        return;
    if (c->busy)
        uv_timer_again(t); /* a long search is not the client's idleness */
    else
        sconn_close(c);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct sconn *c = s->data;
    size_t max = (size_t)c->srv->d->cfg.socket_max_line;
    if (n < 0) {
        sconn_close(c);
        return;
    }
    uv_timer_again(&c->idle);
    size_t start = c->in.len;
    c->in.len += (size_t)n;
    c->in.data[c->in.len] = '\0';
    if (c->discarding) {
        /* Drop bytes up to the end of the oversized line. */
        char *nl = memchr(c->in.data + start, '\n', c->in.len - start);
        if (!nl) {
            c->in.len = start;
            c->in.data[start] = '\0';
            return;
        }
        size_t skip = (size_t)(nl - c->in.data) + 1;
        memmove(c->in.data + start, c->in.data + skip, c->in.len - skip);
        c->in.len = start + (c->in.len - skip);
        c->in.data[c->in.len] = '\0';
        c->discarding = 0;
    }
    /* The pending (last, incomplete) line may not exceed the limit. */
    char *last_nl = NULL;
    for (size_t i = c->in.len; i > 0; i--)
        if (c->in.data[i - 1] == '\n') {
            last_nl = c->in.data + i - 1;
            break;
        }
    size_t tail = last_nl ? c->in.len - (size_t)(last_nl - c->in.data) - 1
                          : c->in.len;
    if (tail > max) {
        c->in.len -= tail;
        c->in.data[c->in.len] = '\0';
        c->discarding = 1;
        /* Answered in order, after what precedes it. */
        char mark[2] = {TOO_LONG_MARK, '\n'};
        if (fouille__buf_append(&c->in, mark, 2) < 0)
            sconn_close(c);
    }
    process_lines(c);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct fouille__sockserver *srv = server->data;
    if (status < 0)
        return;
    struct sconn *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->srv = srv;
    c->refs = 2; /* the pipe and the idle timer */
    uv_pipe_init(srv->d->loop, &c->pipe, 0);
    uv_timer_init(srv->d->loop, &c->idle);
    c->pipe.data = c->idle.data = c;
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0) {
        sconn_close(c);
        return;
    }
    if (srv->nconns > (unsigned)srv->d->cfg.socket_max_connections) {
        /* One line, written now if the socket takes it, then closed. */
        static const char busy[] =
            "{\"error\":\"too many connections\",\"status\":503}\n";
        uv_buf_t b = uv_buf_init((char *)busy, sizeof busy - 1);
        uv_try_write((uv_stream_t *)&c->pipe, &b, 1);
        sconn_close(c);
        return;
    }
    uint64_t idle = (uint64_t)srv->d->cfg.socket_idle_timeout_ms;
    uv_timer_start(&c->idle, on_idle, idle, idle);
    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
}

/* A socket file left by a daemon that died is replaced; one that a
 * running daemon answers on is not. */
static int socket_in_use(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (!S_ISSOCK(st.st_mode))
        return -1; /* never unlink something that is not a socket */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int in_use = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    if (!in_use)
        unlink(path);
    return in_use;
}

int fouille__sock_start(struct fouille__daemon *d, char *err, size_t errlen)
{
    char path[4096];
    fouille__socket_path(d->cfg.socket, d->cfg.db, path, sizeof path);
    if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        snprintf(err, errlen, "socket path too long: %s", path);
        return -1;
    }
    int used = socket_in_use(path);
    if (used) {
        snprintf(err, errlen, used > 0
                 ? "socket %s: another fouilled is running there"
                 : "socket %s: exists and is not a socket", path);
        return -1;
    }
    struct fouille__sockserver *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    srv->d = d;
    snprintf(srv->path, sizeof srv->path, "%s", path);
    uv_pipe_init(d->loop, &srv->listener, 0);
    srv->listener.data = srv;
    d->sock = srv;
    /* Create it with no permission for others, then open it up to the
     * configured mode: no window where anybody can connect. */
    mode_t old = umask(0177);
    int rc = uv_pipe_bind(&srv->listener, path);
    umask(old);
    if (rc == 0 && chmod(path, (mode_t)d->cfg.socket_mode) < 0)
        rc = uv_translate_sys_error(errno);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&srv->listener, 64, on_connection);
    if (rc < 0) {
        snprintf(err, errlen, "socket %s: %s", path, uv_strerror(rc));
        return -1;
    }
    log_info("socket %s", path);
    return 0;
}

static void on_listener_closed(uv_handle_t *h)
{
    struct fouille__sockserver *srv = h->data;
    free(srv);
}

void fouille__sock_stop(struct fouille__daemon *d)
{
    struct fouille__sockserver *srv = d->sock;
    if (!srv)
        return;
    d->sock = NULL;
    while (srv->conns) {
        struct sconn *c = srv->conns;
        sconn_close(c);
        c->srv = NULL;
    }
    unlink(srv->path);
    uv_close((uv_handle_t *)&srv->listener, on_listener_closed);
}
