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

/* "fiche,guide": each value of a list separated by commas, to check. */
static int each_listed(const char *v, int (*check)(const char *s, size_t n),
                       struct fouille__search_values *vals,
                       struct fouille__search_req *req, const char *name,
                       const char *invalid, char *err, size_t errlen)
{
    for (;;) {
        size_t n = strcspn(v, ",");
        if (n > 0) {
            if (!check(v, n))
                return fail(err, errlen, "%s", invalid);
            if (add_value(vals, req, name, v, n, err, errlen) < 0)
                return -1;
        }
        if (!v[n])
            return 0;
        v += n + 1;
    }
}

static int valid_type(const char *s, size_t n)
{
    return n <= 64 && fouille__utf8_valid(s, n);
}

static int valid_year(const char *s, size_t n)
{
    return n == 4 && strspn(s, "0123456789") >= 4 && s[0] != '0';
}

static int set_type(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    return each_listed(v, valid_type, &req->type, req, "type",
                       "invalid type filter", err, errlen);
}

static int set_year(struct fouille__search_req *req,
                    const struct fouille__search_limits *lim, const char *v,
                    char *err, size_t errlen)
{
    return each_listed(v, valid_year, &req->year, req, "year",
                       "year must be four digits", err, errlen);
}

static int set_folder(struct fouille__search_req *req,
                      const struct fouille__search_limits *lim,
                      const char *v, char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n > 200 || !fouille__utf8_valid(v, n) || strspn(v, "/") == n)
        return fail(err, errlen, "invalid folder filter");
    return add_value(&req->folder, req, "folder", v, n, err, errlen);
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
static int valid_date(const char *s)
{
    size_t n = strlen(s);
    unsigned y, m = 1, d = 1;
    char tail;
    int got = sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail);
    if (strspn(s, "0123456789-") != n || (n != 4 && n != 7 && n != 10) ||
        got != (n == 4 ? 1 : n == 7 ? 2 : 3) || (n > 4 && s[4] != '-') ||
        (n > 7 && s[7] != '-'))
        return 0;
    return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int set_date(const char **out, struct fouille__search_req *req,
                    const char *name, const char *v, char *err, size_t errlen)
{
    if (!valid_date(v))
        return fail(err, errlen, "%s must be a date: YYYY, YYYY-MM or "
                                 "YYYY-MM-DD", name);
    if (!(*out = keep(req, v, strlen(v))))
        return fail(err, errlen, "search parameters too long");
    return 0;
}

static int set_date_from(struct fouille__search_req *req,
                         const struct fouille__search_limits *lim,
                         const char *v, char *err, size_t errlen)
{
    return set_date(&req->date_from, req, "date_from", v, err, errlen);
}

static int set_date_to(struct fouille__search_req *req,
                       const struct fouille__search_limits *lim,
                       const char *v, char *err, size_t errlen)
{
    return set_date(&req->date_to, req, "date_to", v, err, errlen);
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
    else if (strcmp(v, "date") == 0 || strcmp(v, "date:desc") == 0)
        req->sort = FOUILLE_SORT_DATE;
    else if (strcmp(v, "date:asc") == 0)
        req->sort = FOUILLE_SORT_DATE_ASC;
    else
        return fail(err, errlen,
                    "sort must be relevance, date:desc (or date) or date:asc");
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

static int set_strict(struct fouille__search_req *req,
                      const struct fouille__search_limits *lim, const char *v,
                      char *err, size_t errlen)
{
    if (parse_flag(v, &req->strict) < 0)
        return fail(err, errlen, "strict must be 0 or 1");
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
    {"folder", set_folder, 1},
    {"date_from", set_date_from, 0},
    {"date_to", set_date_to, 0},
    {"page", set_page, 0},
    {"per_page", set_per_page, 0},
    {"sort", set_sort, 0},
    {"prefix", set_prefix, 0},
    {"group", set_group, 0},
    {"strict", set_strict, 0},
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
    req->strict = 1;
}

/* Remember the first unknown parameter's name, as printable ASCII. */
static void note_unknown(struct fouille__search_req *req, const char *name)
{
    if (req->unknown[0])
        return;
    size_t i = 0;
    for (; name[i] && i < sizeof req->unknown - 1; i++)
        req->unknown[i] = name[i] > ' ' && name[i] < 127 ? name[i] : '?';
    req->unknown[i] = '\0';
    if (!i)
        snprintf(req->unknown, sizeof req->unknown, "(empty)");
}

int fouille__search_req_set(struct fouille__search_req *req,
                            const struct fouille__search_limits *lim,
                            const char *name, const char *value, char *err,
                            size_t errlen)
{
    size_t i;
    const struct param *p = param_find(name, &i);
    if (!p) {
        note_unknown(req, name);
        return 0;
    }
    /* An empty value is no value: "type=" means any type. */
    if (!value || (!*value && strcmp(name, "q") != 0))
        return 0;
    if (!p->many) {
        if (req->seen & (1u << i))
            return 0;
        req->seen |= 1u << i;
    }
    return p->set(req, lim, value, err, errlen);
}

/* The filter prefixes of a query, in French and English. */
static const struct {
    const char *prefix;
    setter *set;
} query_prefixes[] = {
    {"type:", set_type},      {"year:", set_year},
    {"année:", set_year},     {"annee:", set_year},
    {"folder:", set_folder},  {"dossier:", set_folder},
};

static int starts_with_ascii_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
        if (a != *prefix)
            return 0;
    }
    return 1;
}

/* Take the filter prefixes out of q into the filters ("type:fiche",
 * "dossier:\"rapports annuels\""), and write "titre:" as the index's
 * "title:". The words left go to req->words. */
static int take_prefixes(struct fouille__search_req *req,
                         const struct fouille__search_limits *lim, char *err,
                         size_t errlen)
{
    const char *q = req->q;
    char words[FOUILLE_SEARCH_TEXT_MAX];
    size_t n = 0, len = strlen(q);
    if (len >= sizeof words)
        return fail(err, errlen, "query too long (%zu bytes)", len);
    for (size_t i = 0; i < len;) {
        int at_word = i == 0 || q[i - 1] == ' ' || q[i - 1] == '\t' ||
                      q[i - 1] == '(';
        size_t k = 0, plen = 0;
        for (; at_word && k < sizeof query_prefixes / sizeof *query_prefixes;
             k++)
            if (starts_with_ascii_ci(q + i, query_prefixes[k].prefix)) {
                plen = strlen(query_prefixes[k].prefix);
                break;
            }
        const char *v = q + i + plen;
        if (!plen || !*v || *v == ' ' || *v == '\t') {
            if (at_word && starts_with_ascii_ci(q + i, "titre:")) {
                memcpy(words + n, "title:", 6);
                n += 6;
                i += 6;
            } else
                words[n++] = q[i++];
            continue;
        }
        /* The value: "quoted" (spaces allowed), or up to a space. */
        size_t vlen;
        if (*v == '"') {
            const char *end = strchr(v + 1, '"');
            vlen = end ? (size_t)(end - v) + 1 : strlen(v);
        } else
            vlen = strcspn(v, " \t");
        char value[256];
        size_t inner = *v == '"' ? vlen - 1 - (v[vlen - 1] == '"' && vlen > 1)
                                 : vlen;
        if (inner >= sizeof value)
            return fail(err, errlen, "a filter in the query is too long");
        memcpy(value, *v == '"' ? v + 1 : v, inner);
        value[inner] = '\0';
        if (inner && query_prefixes[k].set(req, lim, value, err, errlen) < 0)
            return -1;
        i += plen + vlen;
    }
    words[n] = '\0';
    if (!(req->words = keep(req, words, n)))
        return fail(err, errlen, "query too long (%zu bytes)", n);
    return 0;
}

int fouille__search_req_finish(struct fouille__search_req *req,
                               const struct fouille__search_limits *lim,
                               char *err, size_t errlen)
{
    if (req->strict && req->unknown[0]) {
        fail(err, errlen, "unknown parameter \"%s\" (known:", req->unknown);
        for (size_t i = 0; i < N_PARAMS; i++) {
            size_t at = strlen(err);
            snprintf(err + at, errlen - at, " %s", params[i].name);
        }
        size_t at = strlen(err);
        snprintf(err + at, errlen - at, "; strict=0 ignores unknown ones)");
        return -1;
    }
    if (req->q && take_prefixes(req, lim, err, errlen) < 0)
        return -1;
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
    rebase(&dst->words, src, dst);
    rebase(&dst->date_from, src, dst);
    rebase(&dst->date_to, src, dst);
    for (unsigned i = 0; i < dst->type.n; i++)
        rebase(&dst->type.v[i], src, dst);
    for (unsigned i = 0; i < dst->year.n; i++)
        rebase(&dst->year.v[i], src, dst);
    for (unsigned i = 0; i < dst->folder.n; i++)
        rebase(&dst->folder.v[i], src, dst);
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
    key_values(&b, &r->folder);
    key_string(&b, r->date_from);
    key_string(&b, r->date_to);
    fouille__buf_appendf(&b, "%u;%u;%d;%d;%d;%d", r->page, r->per_page,
                         (int)r->sort, r->prefix_last, r->no_group, r->staff);
    if (!b.data)
        return NULL;
    return fouille__buf_steal(&b);
}
