/* httpreq.h -- reading HTTP/1.1 requests with libhttp-parser, under
 * limits, one at a time; and decoding their query strings. No I/O: bytes
 * in, a complete request (or a refusal with its status) out. The server
 * (http.c) and the fuzz target (contrib/fuzz) use the same code. */
#ifndef FOUILLE_HTTPREQ_H
#define FOUILLE_HTTPREQ_H

#include "buf.h"

#include <http_parser.h>
#include <stddef.h>

struct fouille__httpreq {
    http_parser parser;
    size_t max_url, max_header_bytes;
    /* the request being read */
    struct fouille__buf url;
    struct fouille__buf field;  /* header name being read */
    struct fouille__buf value;  /* header value being read */
    struct fouille__buf body;   /* a POST's body (at most max_body) */
    size_t max_body;            /* 0: no request may carry a body */
    char origin[256];           /* the Origin header, "" if none */
    char authorization[512];    /* the Authorization header, "" if none */
    size_t header_bytes;
    int in_value;
    /* outcome */
    int started;                /* bytes of a request were seen */
    int complete;               /* a whole request: handle it, then _next */
    int error_status;           /* refused: answer this and close */
    const char *error_msg;
    int keep_alive;
    int method;                 /* enum http_method */
};

void fouille__httpreq_init(struct fouille__httpreq *r, size_t max_url,
                           size_t max_header_bytes);
void fouille__httpreq_free(struct fouille__httpreq *r);

/* Feed bytes. Returns how many were consumed; stops after a complete
 * request (r->complete) or a refusal (r->error_status, with a message);
 * the rest belongs to the next request (pipelining). */
size_t fouille__httpreq_feed(struct fouille__httpreq *r, const char *data,
                             size_t len);

/* Ready the reader for the next request on the same connection. */
void fouille__httpreq_next(struct fouille__httpreq *r);

/* The path and the query string of a complete request's target, into
 * path (NUL-terminated) and *qs, *qslen (not terminated). Returns 0, or the
 * HTTP status to answer (400 malformed, 414 too long). */
int fouille__httpreq_target(const struct fouille__httpreq *r, char *path,
                            size_t pathlen, const char **qs, size_t *qslen);

/* Decode %XX (and '+' as a space when plus_is_space) in place. Returns 0,
 * or -1 for a malformed escape or an encoded NUL. */
int fouille__percent_decode(char *s, int plus_is_space);

#define FOUILLE__MAX_PARAMS 16
struct fouille__params {
    char *buf;
    const char *key[FOUILLE__MAX_PARAMS];
    const char *val[FOUILLE__MAX_PARAMS];
    int n;
};

/* Split and decode a query string. Returns 0 or -1 (malformed, or more
 * than FOUILLE__MAX_PARAMS parameters). Free with _params_free in any
 * case. */
int fouille__params_parse(struct fouille__params *p, const char *qs,
                          size_t len);
void fouille__params_free(struct fouille__params *p);
/* The first value of key, or NULL. */
const char *fouille__param(const struct fouille__params *p, const char *key);

#endif
