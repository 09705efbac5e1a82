/* http-routes.c -- HTTP handlers that need only an answer: /metrics
 * (Prometheus text) and /doc/PATH (documents, when serve_documents). */
#include "config.h"

#include "http-internal.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

void fouille__http_handle_metrics(struct conn *c)
{
    struct fouille__http *srv = c->srv;
    struct fouille__daemon *d = srv->d;
    struct fouille__buf b = {0};
    fouille__buf_appendf(&b, "# HELP fouille_http_requests_total HTTP "
                             "requests by route and status.\n"
                             "# TYPE fouille_http_requests_total counter\n");
    for (int r = 0; r < N_ROUTES; r++)
        for (size_t s = 0; s < N_STATUSES; s++)
            if (srv->requests[r][s])
                fouille__buf_appendf(
                    &b, "fouille_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                    fouille__http_route_names[r], fouille__http_statuses[s],
                    (unsigned long long)srv->requests[r][s]);
    fouille__buf_appendf(&b, "# HELP fouille_query_duration_seconds Search "
                             "latency, from request to result.\n"
                             "# TYPE fouille_query_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t i = 0; i <= N_BUCKETS; i++) {
        cum += srv->latency_count[i];
        if (i < N_BUCKETS)
            fouille__buf_appendf(&b, "fouille_query_duration_seconds_bucket{le=\"%g\"} %llu\n",
                                 fouille__http_latency_buckets[i] / 1000,
                                 (unsigned long long)cum);
        else
            fouille__buf_appendf(&b, "fouille_query_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                                 (unsigned long long)cum);
    }
    fouille__buf_appendf(&b, "fouille_query_duration_seconds_sum %.6f\n"
                             "fouille_query_duration_seconds_count %llu\n",
                         srv->latency_sum / 1000,
                         (unsigned long long)srv->latency_n);
    json_t *st = fouille__stats_json(d);
    json_int_t docs = json_integer_value(json_object_get(st, "documents"));
    json_int_t failed = json_integer_value(json_object_get(st, "failed"));
    json_t *q = json_object_get(st, "queue");
    json_int_t queue = json_integer_value(json_object_get(q, "debounce")) +
                       json_integer_value(json_object_get(q, "waiting")) +
                       json_integer_value(json_object_get(q, "to_write"));
    json_t *idx = json_object_get(st, "index");
    fouille__buf_appendf(
        &b,
        "# HELP fouille_documents Documents in the index.\n"
        "# TYPE fouille_documents gauge\nfouille_documents %lld\n"
        "# HELP fouille_documents_failed Files that could not be indexed.\n"
        "# TYPE fouille_documents_failed gauge\nfouille_documents_failed %lld\n"
        "# HELP fouille_extracted_total Documents extracted since start.\n"
        "# TYPE fouille_extracted_total counter\nfouille_extracted_total %llu\n"
        "# HELP fouille_extraction_failures_total Extraction failures since start.\n"
        "# TYPE fouille_extraction_failures_total counter\n"
        "fouille_extraction_failures_total %llu\n"
        "# HELP fouille_queue_length Files waiting to be indexed.\n"
        "# TYPE fouille_queue_length gauge\nfouille_queue_length %lld\n"
        "# HELP fouille_commits_total Index commits since start.\n"
        "# TYPE fouille_commits_total counter\nfouille_commits_total %lld\n"
        "# HELP fouille_http_connections Open HTTP connections.\n"
        "# TYPE fouille_http_connections gauge\nfouille_http_connections %u\n"
        "# HELP fouille_http_rejected_connections_total Connections refused "
        "over the limit.\n"
        "# TYPE fouille_http_rejected_connections_total counter\n"
        "fouille_http_rejected_connections_total %llu\n",
        (long long)docs, (long long)failed,
        (unsigned long long)d->docs_extracted,
        (unsigned long long)d->docs_failed, (long long)queue,
        (long long)json_integer_value(json_object_get(idx, "commits")),
        srv->nconns, (unsigned long long)srv->rejected_connections);
    json_decref(st);
    size_t len = b.len;
    fouille__http_respond(c, ROUTE_METRICS, 200, "text/plain; version=0.0.4; charset=utf-8",
            fouille__buf_steal(&b), len, "Cache-Control: no-store\r\n");
}

/* ---- documents (only with serve_documents) ------------------------------ */

static const char *content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".pdf", "application/pdf"},
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".md", "text/markdown; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"},
        {".docx", "application/vnd.openxmlformats-officedocument."
                  "wordprocessingml.document"},
        {".odt", "application/vnd.oasis.opendocument.text"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Open relpath inside the documents root without leaving it: no "..", no
 * symbolic link anywhere on the way. */
static int open_beneath(int rootfd, const char *relpath)
{
#ifdef SYS_openat2
    struct open_how how = {
        .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                   RESOLVE_NO_MAGICLINKS,
    };
    long got = syscall(SYS_openat2, rootfd, relpath, &how, sizeof how);
    if (got >= 0 || errno != ENOSYS)
        return (int)got;
#endif
    /* Older kernels: walk the components with O_NOFOLLOW. */
    char *copy = strdup(relpath);
    if (!copy)
        return -1;
    int dir = dup(rootfd);
    char *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part && dir >= 0;) {
        char *next = strtok_r(NULL, "/", &save);
        if (strcmp(part, "..") == 0 || strcmp(part, ".") == 0) {
            close(dir);
            dir = -1;
            errno = EACCES;
            break;
        }
        int fd = openat(dir, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                                       (next ? O_DIRECTORY : 0));
        close(dir);
        dir = fd;
        part = next;
    }
    free(copy);
    return dir;
}

struct doc_read {
    uv_work_t req;
    struct conn *c;
    int rootfd;
    char *path;
    char *data;
    size_t len;
    int status;
    size_t max;
};

static void doc_read_work(uv_work_t *req)
{
    struct doc_read *r = req->data;
    int fd = open_beneath(r->rootfd, r->path);
    struct stat st;
    r->status = 404;
    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return;
    }
    if ((uint64_t)st.st_size > r->max) {
        close(fd);
        r->status = 413;
        return;
    }
    r->data = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (r->data && got < (size_t)st.st_size) {
        ssize_t n = pread(fd, r->data + got, (size_t)st.st_size - got,
                          (off_t)got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    r->len = got;
    r->status = r->data ? 200 : 500;
}

static void doc_read_done(uv_work_t *req, int status)
{
    struct doc_read *r = req->data;
    struct conn *c = r->c;
    if (!c->closing) {
        if (r->status == 200)
            fouille__http_respond(c, ROUTE_DOC, 200, content_type_of(r->path), r->data,
                    r->len, "Cache-Control: public, max-age=300\r\n");
        else {
            free(r->data);
            fouille__http_respond_error(c, ROUTE_DOC, r->status,
                          r->status == 413 ? "document too large to serve"
                                           : "no such document", NULL);
        }
    } else
        free(r->data);
    free(r->path);
    free(r);
    fouille__http_conn_unref(c);
}

void fouille__http_handle_document(struct conn *c, const char *encoded)
{
    struct fouille__daemon *d = c->srv->d;
    struct doc_read *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(encoded)) ||
        fouille__percent_decode(r->path, 0) < 0 ||
        !r->path[0] || r->path[0] == '/') {
        if (r)
            free(r->path);
        free(r);
        fouille__http_respond_error(c, ROUTE_DOC, 400, "invalid document path", NULL);
        return;
    }
    r->c = c;
    r->rootfd = d->rootfd;
    r->max = (size_t)d->cfg.file_max_mb << 20;
    r->req.data = r;
    c->refs++;
    if (uv_queue_work(d->loop, &r->req, doc_read_work, doc_read_done) < 0) {
        free(r->path);
        free(r);
        fouille__http_conn_unref(c);
        fouille__http_respond_error(c, ROUTE_DOC, 503, "busy", NULL);
    }
}

