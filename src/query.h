/* query.h -- searches run on the libuv thread pool, so that a slow query
 * never stalls the loop or other clients. Each pool thread keeps its own
 * read handle on the index and reopens it when the writer has committed
 * since (the generation it last saw differs). */
#ifndef FOUILLE_QUERY_H
#define FOUILLE_QUERY_H

#include "daemon.h"
#include "search.h"

#include <jansson.h>
#include <uv.h>

struct fouille__query {
    uv_work_t req;
    struct fouille__daemon *d;
    struct fouille__search_req sreq;
    struct fouille__search_limits lim;
    char *base, *prefer;              /* owned copies behind lim */
    json_t *result;                   /* on success */
    char *body;                       /* result as one JSON line, '\n'
                                       * included: written on the thread
                                       * pool, not on the loop thread */
    size_t body_len;
    fouille_index_status_t status;
    char err[512];
    uint64_t generation;              /* the commit the reader saw */
    double started_ms, took_ms;
    void (*done)(struct fouille__query *q);
    void *data;
};

/* The HTTP status that fits a failed query's status. */
int fouille__query_http_status(fouille_index_status_t st);

/* Copies the request's strings, then runs it on the thread pool; done runs
 * on the loop thread. Returns 0, or -1 (done will not run). */
int fouille__query_submit(struct fouille__daemon *d, struct fouille__query *q,
                          const struct fouille__search_req *req);

/* Free what submit copied and the result. */
void fouille__query_release(struct fouille__query *q);

/* The result as one JSON line, now the caller's to free (NULL if it could
 * not be written: dump q->result then). */
char *fouille__query_take_body(struct fouille__query *q, size_t *len);

/* j as one compact JSON line ending in '\n' (malloc'd), or NULL. The one
 * rendering of both doors' answers. */
char *fouille__json_line(const json_t *j, size_t *len);

/* The result cache (loop thread only). A search whose parameters were
 * answered since the last commit gets the same document again without
 * touching the index: popular queries of a public search box cost a hash
 * lookup. Returns a new reference, or NULL. */
json_t *fouille__query_cache_get(struct fouille__daemon *d,
                                 const struct fouille__search_req *req);
/* Keep result (a reference is taken) for req, if it was computed on the
 * current commit: a search that ran while a commit landed must not be
 * served again as the answer of the newer index. */
void fouille__query_cache_put(struct fouille__daemon *d,
                              const struct fouille__search_req *req,
                              uint64_t generation, json_t *result);
/* Drop everything (at stop). */
void fouille__query_cache_clear(struct fouille__daemon *d);

/* Read the file of the synonyms setting (none when it is empty) into
 * d->synonyms, and drop the cached results. Returns 0, or -1 with a
 * message in err (the previous synonyms stay). */
int fouille__synonyms_reload(struct fouille__daemon *d, char *err,
                             size_t errlen);

#endif
