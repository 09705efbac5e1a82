/* httpreq.c -- see httpreq.h. */
#include "config.h"

#include "httpreq.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int refuse(struct fouille__httpreq *r, int status, const char *msg)
{
    r->error_status = status;
    r->error_msg = msg;
    return 1; /* stops the parser */
}

static int on_message_begin(http_parser *p)
{
    struct fouille__httpreq *r = p->data;
    fouille__buf_reset(&r->url);
    fouille__buf_reset(&r->field);
    fouille__buf_reset(&r->value);
    fouille__buf_reset(&r->body);
    r->origin[0] = '\0';
    r->authorization[0] = '\0';
    r->header_bytes = 0;
    r->in_value = 0;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    struct fouille__httpreq *r = p->data;
    if (r->url.len + len > r->max_url)
        return refuse(r, 414, "URL too long");
    r->header_bytes += len;
    return fouille__buf_append(&r->url, at, len) < 0;
}

static void header_done(struct fouille__httpreq *r)
{
    if (r->field.data && strcasecmp(r->field.data, "Origin") == 0 &&
        r->value.data)
        snprintf(r->origin, sizeof r->origin, "%s", r->value.data);
    if (r->field.data && strcasecmp(r->field.data, "Authorization") == 0 &&
        r->value.data)
        snprintf(r->authorization, sizeof r->authorization, "%s",
                 r->value.data);
    fouille__buf_reset(&r->field);
    fouille__buf_reset(&r->value);
}

static int count_header(struct fouille__httpreq *r, size_t len)
{
    r->header_bytes += len;
    if (r->header_bytes > r->max_header_bytes)
        return refuse(r, 431, "request headers too large");
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    struct fouille__httpreq *r = p->data;
    if (count_header(r, len))
        return 1;
    if (r->in_value) {
        header_done(r);
        r->in_value = 0;
    }
    if (r->field.len + len > 256)
        return 0; /* a name we do not read is only counted */
    return fouille__buf_append(&r->field, at, len) < 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    struct fouille__httpreq *r = p->data;
    if (count_header(r, len))
        return 1;
    r->in_value = 1;
    if (r->value.len + len > 1024)
        return 0; /* long values we do not read are only counted */
    return fouille__buf_append(&r->value, at, len) < 0;
}

static int on_headers_complete(http_parser *p)
{
    struct fouille__httpreq *r = p->data;
    if (r->in_value)
        header_done(r);
    /* HTTP/1.0 and 1.1 only: the parser takes any digits. */
    if (p->http_major != 1 || p->http_minor > 1)
        return refuse(r, 505, "HTTP version not supported (1.0 or 1.1)");
    /* Only a POST carries a body, of at most max_body bytes, with its
     * length announced (the click beacon's). */
    int has_body = (p->flags & F_CHUNKED) ||
                   (p->content_length > 0 && p->content_length != ULLONG_MAX);
    if (has_body && (p->method != HTTP_POST || r->max_body == 0))
        return refuse(r, 413, "request bodies are not accepted");
    if (has_body && ((p->flags & F_CHUNKED) || p->content_length > r->max_body))
        return refuse(r, 413, "request body too large");
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    struct fouille__httpreq *r = p->data;
    if (r->body.len + len > r->max_body)
        return refuse(r, 413, "request body too large");
    return fouille__buf_append(&r->body, at, len) < 0;
}

static int on_message_complete(http_parser *p)
{
    struct fouille__httpreq *r = p->data;
    r->complete = 1;
    r->started = 0;
    r->keep_alive = http_should_keep_alive(p);
    r->method = (int)p->method;
    http_parser_pause(p, 1); /* one request at a time */
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void fouille__httpreq_init(struct fouille__httpreq *r, size_t max_url,
                           size_t max_header_bytes)
{
    memset(r, 0, sizeof *r);
    r->max_url = max_url;
    r->max_header_bytes = max_header_bytes;
    http_parser_init(&r->parser, HTTP_REQUEST);
    r->parser.data = r;
}

void fouille__httpreq_free(struct fouille__httpreq *r)
{
    fouille__buf_free(&r->url);
    fouille__buf_free(&r->field);
    fouille__buf_free(&r->value);
    fouille__buf_free(&r->body);
}

size_t fouille__httpreq_feed(struct fouille__httpreq *r, const char *data,
                             size_t len)
{
    if (r->complete || r->error_status || len == 0)
        return 0;
    r->started = 1;
    if (HTTP_PARSER_ERRNO(&r->parser) == HPE_PAUSED)
        http_parser_pause(&r->parser, 0);
    size_t n = http_parser_execute(&r->parser, &settings, data, len);
    enum http_errno e = HTTP_PARSER_ERRNO(&r->parser);
    if (e != HPE_OK && e != HPE_PAUSED && !r->error_status) {
        /* An unknown method and a garbage request line look the same to
         * the parser: both are bad requests. */
        r->error_status = e == HPE_HEADER_OVERFLOW ? 431 : 400;
        r->error_msg = e == HPE_INVALID_METHOD
                           ? "malformed request line or unknown method"
                           : http_errno_description(e);
    }
    if (r->error_status)
        r->keep_alive = 0;
    return n;
}

void fouille__httpreq_next(struct fouille__httpreq *r) { r->complete = 0; }

int fouille__httpreq_target(const struct fouille__httpreq *r, char *path,
                            size_t pathlen, const char **qs, size_t *qslen)
{
    struct http_parser_url u;
    http_parser_url_init(&u);
    if (!r->url.data ||
        http_parser_parse_url(r->url.data, r->url.len, 0, &u) != 0 ||
        !(u.field_set & (1 << UF_PATH)))
        return 400;
    size_t plen = u.field_data[UF_PATH].len;
    if (plen >= pathlen)
        return 414;
    memcpy(path, r->url.data + u.field_data[UF_PATH].off, plen);
    path[plen] = '\0';
    *qs = "";
    *qslen = 0;
    if (u.field_set & (1 << UF_QUERY)) {
        *qs = r->url.data + u.field_data[UF_QUERY].off;
        *qslen = u.field_data[UF_QUERY].len;
    }
    return 0;
}

static int hex_value(char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    h = (char)(h | 32);
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    return -1;
}

int fouille__percent_decode(char *s, int plus_is_space)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '%') {
            int hi = hex_value(p[1]);
            int lo = hi >= 0 ? hex_value(p[2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *o++ = (char)(hi * 16 + lo);
            p += 2;
        } else if (*p == '+' && plus_is_space)
            *o++ = ' ';
        else
            *o++ = *p;
    }
    *o = '\0';
    return 0;
}

int fouille__params_parse(struct fouille__params *p, const char *qs,
                          size_t len)
{
    memset(p, 0, sizeof *p);
    if (!(p->buf = strndup(qs, len)))
        return -1;
    for (char *s = p->buf; s && *s;) {
        char *amp = strchr(s, '&');
        if (amp)
            *amp = '\0';
        if (*s) {
            char *eq = strchr(s, '=');
            if (eq)
                *eq = '\0';
            if (fouille__percent_decode(s, 1) < 0 ||
                (eq && fouille__percent_decode(eq + 1, 1) < 0))
                return -1;
            if (p->n == FOUILLE__MAX_PARAMS)
                return -1;
            p->key[p->n] = s;
            p->val[p->n++] = eq ? eq + 1 : "";
        }
        s = amp ? amp + 1 : NULL;
    }
    return 0;
}

void fouille__params_free(struct fouille__params *p)
{
    free(p->buf);
    p->buf = NULL;
    p->n = 0;
}

const char *fouille__param(const struct fouille__params *p, const char *key)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->key[i], key) == 0)
            return p->val[i];
    return NULL;
}
