/* http-routes.c -- HTTP handlers that need only an answer: /metrics
 * (Prometheus text) and /doc/PATH (documents, when serve_documents). */
#include "config.h"

#include "analytics.h"
#include "http-internal.h"
#include "reconcile.h"
#include "relpath.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
    /* When some documents are private, the index's figures (how many
     * documents, failures, extractions) are staff information: the public
     * listener gives its own requests only. */
    if (!srv->staff && d->view.n) {
        fouille__buf_appendf(
            &b,
            "# HELP fouille_http_connections Open HTTP connections.\n"
            "# TYPE fouille_http_connections gauge\nfouille_http_connections %u\n"
            "# HELP fouille_searches_total Searches answered over HTTP.\n"
            "# TYPE fouille_searches_total counter\nfouille_searches_total %llu\n"
            "# HELP fouille_searches_zero_results_total Searches over HTTP "
            "that found nothing.\n"
            "# TYPE fouille_searches_zero_results_total counter\n"
            "fouille_searches_zero_results_total %llu\n",
            srv->nconns, (unsigned long long)srv->searches,
            (unsigned long long)srv->searches_zero);
        size_t len = b.len;
        fouille__http_respond(c, ROUTE_METRICS, 200,
                              "text/plain; version=0.0.4; charset=utf-8",
                              fouille__buf_steal(&b), len,
                              "Cache-Control: no-store\r\n");
        return;
    }
    struct fouille__stats *st = malloc(sizeof *st);
    if (st) {
        fouille__stats_collect(d, st);
        fouille__stats_to_prometheus(st, &b);
        free(st);
    }
    fouille__buf_appendf(
        &b,
        "# HELP fouille_http_connections Open HTTP connections.\n"
        "# TYPE fouille_http_connections gauge\nfouille_http_connections %u\n"
        "# HELP fouille_http_rejected_connections_total Connections refused "
        "over the limit.\n"
        "# TYPE fouille_http_rejected_connections_total counter\n"
        "fouille_http_rejected_connections_total %llu\n"
        "# HELP fouille_searches_total Searches answered over HTTP.\n"
        "# TYPE fouille_searches_total counter\nfouille_searches_total %llu\n"
        "# HELP fouille_searches_zero_results_total Searches over HTTP that "
        "found nothing.\n"
        "# TYPE fouille_searches_zero_results_total counter\n"
        "fouille_searches_zero_results_total %llu\n",
        srv->nconns, (unsigned long long)srv->rejected_connections,
        (unsigned long long)srv->searches,
        (unsigned long long)srv->searches_zero);
    if (d->analytics) {
        uint64_t searches, zero, clicks;
        fouille__analytics_totals(d->analytics, &searches, &zero, &clicks);
        fouille__buf_appendf(
            &b,
            "# HELP fouille_analytics_searches_total Public searches counted "
            "by the search analytics (first pages, typed queries).\n"
            "# TYPE fouille_analytics_searches_total counter\n"
            "fouille_analytics_searches_total %llu\n"
            "# HELP fouille_analytics_zero_results_total Of those, the "
            "searches that found nothing.\n"
            "# TYPE fouille_analytics_zero_results_total counter\n"
            "fouille_analytics_zero_results_total %llu\n"
            "# HELP fouille_analytics_result_opens_total Results opened "
            "(click beacons).\n"
            "# TYPE fouille_analytics_result_opens_total counter\n"
            "fouille_analytics_result_opens_total %llu\n",
            (unsigned long long)searches, (unsigned long long)zero,
            (unsigned long long)clicks);
    }
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

struct doc_open {
    uv_work_t req;
    struct conn *c;
    struct fouille__daemon *d; /* the connection may outlive its server */
    int rootfd;
    char *path;
    int fd;
    uint64_t len;
    int status;
    uint64_t max;
};

/* On the thread pool: open without blocking (a FIFO or a device opened
 * with O_NONBLOCK returns at once) and look at what was opened before
 * reading a byte of it. */
static void doc_open_work(uv_work_t *req)
{
    struct doc_open *r = req->data;
    struct stat st;
    r->status = 404;
    r->fd = fouille__open_beneath(r->rootfd, r->path,
                                  O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (r->fd < 0)
        return;
    if (fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(r->fd);
        r->fd = -1;
        return;
    }
    if ((uint64_t)st.st_size > r->max) {
        close(r->fd);
        r->fd = -1;
        r->status = 413;
        return;
    }
    r->len = (uint64_t)st.st_size;
    r->status = 200;
}

static void doc_open_done(uv_work_t *req, int status)
{
    struct doc_open *r = req->data;
    struct conn *c = r->c;
    struct fouille__daemon *d = r->d;
    if (c->closing || r->status != 200) {
        if (r->fd >= 0)
            close(r->fd);
        if (!c->closing)
            fouille__http_respond_error(c, ROUTE_DOC, r->status,
                          r->status == 413 ? "document too large to serve"
                                           : "no such document", NULL);
    } else {
        /* The document is the organisation's, not the API's: it may not
         * run script on this origin (sandbox), be sniffed into another
         * type, or, for HTML, open in the page unless configured. */
        const char *type = content_type_of(r->path);
        int html = strncmp(type, "text/html", 9) == 0;
        char headers[256];
        snprintf(headers, sizeof headers,
                 "Cache-Control: public, max-age=300\r\n"
                 "Content-Security-Policy: sandbox\r\n%s",
                 html && !d->cfg.serve_html_inline
                     ? "Content-Disposition: attachment\r\n"
                     : "");
        fouille__http_respond_file(c, ROUTE_DOC, r->fd, r->len, type,
                                   headers);
    }
    free(r->path);
    free(r);
    fouille__http_conn_unref(c);
    fouille__daemon_release(d);
}

/* /doc/PATH: only a document the index holds, by its exact name after the
 * one path rule (relpath.h): not a hidden, ignored or unindexed file, not
 * through a link, not outside the documents folder, and on the public
 * listener not a private one. */
void fouille__http_handle_document(struct conn *c, const char *encoded)
{
    struct fouille__daemon *d = c->srv->d;
    char *decoded = strdup(encoded);
    if (!decoded || fouille__percent_decode(decoded, 0) < 0 ||
        !decoded[0] || decoded[0] == '/') {
        free(decoded);
        fouille__http_respond_error(c, ROUTE_DOC, 400, "invalid document path",
                                    NULL);
        return;
    }
    char *rel = NULL;
    enum fouille__relpath_status rs =
        fouille__relpath_clean(decoded, &d->ig, &rel);
    free(decoded);
    const struct fouille__known *k =
        rs == FOUILLE__RELPATH_OK ? fouille__pipeline_known(d->pipeline, rel)
                                  : NULL;
    /* A private document is as absent as one never indexed: the public
     * learns not even that it exists. */
    int hidden = k && !c->srv->staff &&
                 (k->private_doc || fouille__view_private(&d->view, rel));
    if (!k || k->reason || hidden || d->rootfd < 0) {
        free(rel);
        fouille__http_respond_error(c, ROUTE_DOC, 404, "no such document",
                                    NULL);
        return;
    }
    struct doc_open *r = calloc(1, sizeof *r);
    if (!r) {
        free(rel);
        fouille__http_respond_error(c, ROUTE_DOC, 503, "busy", NULL);
        return;
    }
    r->path = rel;
    r->fd = -1;
    r->c = c;
    r->d = d;
    r->rootfd = d->rootfd;
    r->max = (uint64_t)d->cfg.file_max_mb << 20;
    r->req.data = r;
    c->refs++;
    if (uv_queue_work(d->loop, &r->req, doc_open_work, doc_open_done) < 0) {
        free(r->path);
        free(r);
        fouille__http_conn_unref(c);
        fouille__http_respond_error(c, ROUTE_DOC, 503, "busy", NULL);
        return;
    }
    fouille__daemon_hold(d);
}
