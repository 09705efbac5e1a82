/* searchreq.c -- see search.h: validating a search request, whichever
 * door it came through. The parameters are one table: their names, what
 * they accept and where they go. No index access (the fuzz targets link
 * it alone). */
#include "config.h"

#include "buf.h"
#include "search.h"
#include "settings.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fouille__search_limits
fouille__search_limits_of(const struct fouille__config *cfg, int served)
{
    struct fouille__search_limits lim = {
        .query_max_len = (size_t)cfg->query_max_len,
        .per_page_max = (unsigned)cfg->per_page_max,
        .snippet_chars = (unsigned)cfg->snippet_chars,
        .prefer_formats = cfg->prefer_formats,
        /* Without a public address, documents served by the daemon itself
         * are linked relative to it. */
        .public_base_url = cfg->public_base_url[0] ? cfg->public_base_url
                           : served && cfg->serve_documents ? "/doc"
                                                            : "",
    };
    return lim;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A copy of s[0..n) in req's own text, or NULL when it is full. */
static const char *keep(struct fouille__search_req *req, const char *s,
                        size_t n)
{
    if (n >= sizeof req->text - req->text_len)
        return NULL;
    char *p = req->text + req->text_len;
    memcpy(p, s, n);
    p[n] = '\0';
    req->text_len += n + 1;
    return p;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* "1"/"true" or "0"/"false" into *out; -1 for anything else. */
static int parse_flag(const char *s, int *out)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

/* ---- one setter per parameter ------------------------------------------ */

typedef int setter(struct fouille__search_req *req,
                   const struct fouille__search_limits *lim, const char *v,
                   char *err, size_t errlen);

static int set_q(struct fouille__search_req *req,
                 const struct fouille__search_limits *lim, const char *v,
                 char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n > lim->query_max_len)
        return fail(err, errlen, "query too long (%zu bytes, at most %zu)", n,
                    lim->query_max_len);
    if (!fouille__utf8_valid(v, n))
        return fail(err, errlen, "query is not valid UTF-8");
    if (!(req->q = keep(req, v, n)))
        return fail(err, errlen, "query too long (%zu bytes)", n);
    return 0;
}

static int add_value(struct fouille__search_values *vals,
                     struct fouille__search_req *req, const char *name,
                     const char *v, size_t n, char *err, size_t errlen)
{
    if (vals->n == FOUILLE_SEARCH_VALUES_MAX)
        return fail(err, errlen, "at most %d values of %s",
                    FOUILLE_SEARCH_VALUES_MAX, name);
    if (!(vals->v[vals->n] = keep(req, v, n)))
        return fail(err, errlen, "search parameters too long");
    vals->n++;
    return 0;
}

static int set_type(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n > 64 || !fouille__utf8_valid(v, n))
        return fail(err, errlen, "invalid type filter");
    return add_value(&req->type, req, "type", v, n, err, errlen);
}

static int set_year(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    unsigned y;
    if (parse_uint(v, 1000, 9999, &y) < 0 || strlen(v) != 4)
        return fail(err, errlen, "year must be four digits");
    return add_value(&req->year, req, "year", v, 4, err, errlen);
}

static int set_page(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    if (parse_uint(v, 1, 100000, &req->page) < 0)
        return fail(err, errlen, "page must be a number from 1 to 100000");
    return 0;
}

static int set_per_page(struct fouille__search_req *req,
                        const struct fouille__search_limits *lim,
                        const char *v, char *err, size_t errlen)
{
    if (parse_uint(v, 1, lim->per_page_max, &req->per_page) < 0)
        return fail(err, errlen, "per_page must be a number from 1 to %u",
                    lim->per_page_max);
    return 0;
}

static int set_sort(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    if (strcmp(v, "relevance") == 0)
        req->sort = FOUILLE_SORT_RELEVANCE;
    else if (strcmp(v, "date") == 0)
        req->sort = FOUILLE_SORT_DATE;
    else
        return fail(err, errlen, "sort must be relevance or date");
    return 0;
}

static int set_prefix(struct fouille__search_req *req,
                      const struct fouille__search_limits *lim, const char *v,
                      char *err, size_t errlen)
{
    if (parse_flag(v, &req->prefix_last) < 0)
        return fail(err, errlen, "prefix must be 0 or 1");
    return 0;
}

static int set_group(struct fouille__search_req *req,
                     const struct fouille__search_limits *lim, const char *v,
                     char *err, size_t errlen)
{
    int grouped;
    if (parse_flag(v, &grouped) < 0)
        return fail(err, errlen, "group must be 0 or 1");
    req->no_group = !grouped;
    return 0;
}

/* The parameters. A scalar keeps its first value; a filter takes each. */
static const struct param {
    const char *name;
    setter *set;
    int many;
} params[] = {
    {"q", set_q, 0},
    {"type", set_type, 1},
    {"year", set_year, 1},
    {"page", set_page, 0},
    {"per_page", set_per_page, 0},
    {"sort", set_sort, 0},
    {"prefix", set_prefix, 0},
    {"group", set_group, 0},
};
#define N_PARAMS (sizeof params / sizeof params[0])

static const struct param *param_find(const char *name, size_t *index)
{
    for (size_t i = 0; i < N_PARAMS; i++)
        if (strcmp(params[i].name, name) == 0) {
            *index = i;
            return &params[i];
        }
    return NULL;
}

int fouille__search_param_known(const char *name)
{
    size_t i;
    return param_find(name, &i) != NULL;
}

/* ---- the request ---------------------------------------------------------- */

void fouille__search_req_init(struct fouille__search_req *req,
                              const struct fouille__search_limits *lim)
{
    memset(req, 0, offsetof(struct fouille__search_req, text));
    req->text[0] = '\0';
    req->page = 1;
    req->per_page = 10 < lim->per_page_max ? 10 : lim->per_page_max;
    req->sort = FOUILLE_SORT_RELEVANCE;
}

int fouille__search_req_set(struct fouille__search_req *req,
                            const struct fouille__search_limits *lim,
                            const char *name, const char *value, char *err,
                            size_t errlen)
{
    size_t i;
    const struct param *p = param_find(name, &i);
    /* An empty value is no value: "type=" means any type. */
    if (!p || !value || (!*value && strcmp(name, "q") != 0))
        return 0;
    if (!p->many) {
        if (req->seen & (1u << i))
            return 0;
        req->seen |= 1u << i;
    }
    return p->set(req, lim, value, err, errlen);
}

int fouille__search_req_finish(struct fouille__search_req *req,
                               const struct fouille__search_limits *lim,
                               char *err, size_t errlen)
{
    return 0;
}

static void rebase(const char **s, const struct fouille__search_req *src,
                   struct fouille__search_req *dst)
{
    if (*s && *s >= src->text && *s < src->text + sizeof src->text)
        *s = dst->text + (*s - src->text);
}

void fouille__search_req_copy(struct fouille__search_req *dst,
                              const struct fouille__search_req *src)
{
    memcpy(dst, src, offsetof(struct fouille__search_req, text));
    memcpy(dst->text, src->text, src->text_len);
    rebase(&dst->q, src, dst);
    for (unsigned i = 0; i < dst->type.n; i++)
        rebase(&dst->type.v[i], src, dst);
    for (unsigned i = 0; i < dst->year.n; i++)
        rebase(&dst->year.v[i], src, dst);
}

static void key_string(struct fouille__buf *b, const char *s)
{
    s = s ? s : "";
    fouille__buf_appendf(b, "%zu:%s;", strlen(s), s);
}

static void key_values(struct fouille__buf *b,
                       const struct fouille__search_values *v)
{
    fouille__buf_appendf(b, "%u[", v->n);
    for (unsigned i = 0; i < v->n; i++)
        key_string(b, v->v[i]);
}

char *fouille__search_req_key(const struct fouille__search_req *r)
{
    struct fouille__buf b = {0};
    key_string(&b, r->q);
    key_values(&b, &r->type);
    key_values(&b, &r->year);
    fouille__buf_appendf(&b, "%u;%u;%d;%d;%d", r->page, r->per_page,
                         (int)r->sort, r->prefix_last, r->no_group);
    if (!b.data)
        return NULL;
    return fouille__buf_steal(&b);
}
