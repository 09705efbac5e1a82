/* search.c -- see search.h. */
#include "config.h"

#include "search.h"

#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *fouille__url_join(const char *base, const char *relpath)
{
    static const char hex[] = "0123456789ABCDEF";
    struct fouille__buf b = {0};
    size_t bl = strlen(base);
    fouille__buf_append(&b, base, bl);
    if (bl && base[bl - 1] != '/')
        fouille__buf_appendc(&b, '/');
    for (const unsigned char *p = (const unsigned char *)relpath; *p; p++) {
        unsigned c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
            c == '~' || c == '/')
            fouille__buf_appendc(&b, (char)c);
        else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            fouille__buf_append(&b, enc, 3);
        }
    }
    return fouille__buf_steal(&b);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A JSON string from bytes that should be UTF-8 but may not be (a file
 * name in Latin-1): invalid sequences are shown as U+FFFD. */
static json_t *safe_string(const char *s)
{
    size_t n = strlen(s);
    if (fouille__utf8_valid(s, n)) /* checked: jansson need not again */
        return json_stringn_nocheck(s, n);
    char *fixed = fouille__utf8_dup(s, n);
    json_t *j = fixed ? json_string(fixed) : json_null();
    free(fixed);
    return j;
}

/* The title shown for a document without one: its file name. */
static json_t *title_or_name(const fouille_hit_t *h)
{
    if (h->title && *h->title)
        return safe_string(h->title);
    const char *base = strrchr(h->path, '/');
    return safe_string(base ? base + 1 : h->path);
}

static json_t *opt_string(const char *s)
{
    return s && *s ? safe_string(s) : json_null();
}

static json_t *facet_object(const fouille_results_t *res, const char *name)
{
    size_t n = 0;
    const fouille_facet_t *f = fouille_results_facets(res, name, &n);
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, f[i].value, json_integer((json_int_t)f[i].count));
    return o;
}

json_t *fouille__search_run(fouille_index_t *idx,
                            const struct fouille__search_req *req,
                            const struct fouille__search_limits *lim,
                            fouille_index_status_t *st, char *err,
                            size_t errlen)
{
    double t0 = now_ms();
    fouille_results_t *res = NULL;
    fouille_query_t q = {
        .q = req->words ? req->words : req->q,
        .types = req->type.v,
        .type_count = req->type.n,
        .years = req->year.v,
        .year_count = req->year.n,
        .folders = req->folder.v,
        .folder_count = req->folder.n,
        .date_from = req->date_from,
        .date_to = req->date_to,
        .offset = (req->page - 1) * req->per_page,
        .limit = req->per_page,
        .sort = req->sort,
        .prefix_last = req->prefix_last,
        .snippet_chars = lim->snippet_chars,
        .no_group = req->no_group,
        .prefer = lim->prefer_formats,
        .synonyms = lim->synonyms,
        .public_only = !req->staff,
    };
    *st = fouille_index_search(idx, &q, &res);
    if (*st != FOUILLE_INDEX_OK) {
        if (*st == FOUILLE_INDEX_BAD_QUERY ||
            *st == FOUILLE_INDEX_INVALID_ARGUMENT)
            snprintf(err, errlen, "%s", fouille_index_last_error(idx));
        else
            snprintf(err, errlen, "%s", fouille_index_status_str(*st));
        return NULL;
    }
    json_t *hits = json_array();
    for (size_t i = 0; i < fouille_results_count(res); i++) {
        const fouille_hit_t *h = fouille_results_hit(res, i);
        json_t *o = json_object();
        json_object_set_new(o, "path", safe_string(h->path));
        json_object_set_new(o, "title", title_or_name(h));
        json_object_set_new(o, "type", opt_string(h->type));
        json_object_set_new(o, "date", opt_string(h->date));
        json_object_set_new(o, "mime", opt_string(h->mime));
        json_object_set_new(o, "score", json_real(h->score));
        json_object_set_new(o, "snippet", safe_string(h->snippet ? h->snippet : ""));
        if (h->pages)
            json_object_set_new(o, "page", json_integer(h->page ? h->page : 1));
        if (h->flags & FOUILLE_DOC_OCR) /* text recognised from a scan */
            json_object_set_new(o, "ocr", json_true());
        /* The file changed and its new version could not be read: this
         * is the last good text (fouille failures says why). */
        if (h->flags & FOUILLE_DOC_STALE)
            json_object_set_new(o, "stale", json_true());
        if (h->flags & FOUILLE_DOC_PRIVATE) /* staff views only */
            json_object_set_new(o, "private", json_true());
        if (lim->public_base_url && *lim->public_base_url) {
            char *url = fouille__url_join(lim->public_base_url, h->path);
            if (url && h->pages) {
                size_t n = strlen(url);
                char *u2 = realloc(url, n + 24);
                if (u2) {
                    snprintf(u2 + n, 24, "#page=%u", h->page ? h->page : 1);
                    url = u2;
                }
            }
            json_object_set_new(o, "url", url ? safe_string(url) : json_null());
            free(url);
        }
        if (h->missing_count) {
            json_t *m = json_array();
            for (size_t k = 0; k < h->missing_count; k++)
                json_array_append_new(m, safe_string(h->missing[k]));
            json_object_set_new(o, "missing", m);
        }
        if (h->variant_count) {
            json_t *vs = json_array();
            for (size_t k = 0; k < h->variant_count; k++) {
                const fouille_variant_t *v = &h->variants[k];
                json_t *vo = json_object();
                json_object_set_new(vo, "path", safe_string(v->path));
                json_object_set_new(vo, "mime", opt_string(v->mime));
                if (lim->public_base_url && *lim->public_base_url) {
                    char *url = fouille__url_join(lim->public_base_url, v->path);
                    json_object_set_new(vo, "url",
                                        url ? safe_string(url) : json_null());
                    free(url);
                }
                json_array_append_new(vs, vo);
            }
            json_object_set_new(o, "variants", vs);
        }
        json_array_append_new(hits, o);
    }
    json_t *facets = json_object();
    json_object_set_new(facets, "type", facet_object(res, "type"));
    json_object_set_new(facets, "year", facet_object(res, "year"));
    json_object_set_new(facets, "folder", facet_object(res, "folder"));

    json_t *out = json_object();
    json_object_set_new(out, "query", json_string(req->q ? req->q : ""));
    json_object_set_new(out, "total",
                        json_integer((json_int_t)fouille_results_total(res)));
    json_object_set_new(out, "took_ms",
                        json_real((double)(long)((now_ms() - t0) * 100) / 100));
    json_object_set_new(out, "page", json_integer(req->page));
    json_object_set_new(out, "per_page", json_integer(req->per_page));
    json_object_set_new(out, "hits", hits);
    json_object_set_new(out, "facets", facets);
    unsigned missing = fouille_results_shards_missing(res);
    if (missing) {
        json_object_set_new(out, "partial", json_true());
        json_object_set_new(out, "shards_missing", json_integer(missing));
    }
    if (fouille_results_relaxed(res))
        json_object_set_new(out, "relaxed", json_true());
    size_t ncorr = 0;
    const fouille_correction_t *corr = fouille_results_corrections(res, &ncorr);
    if (ncorr) {
        json_t *co = json_object();
        for (size_t k = 0; k < ncorr; k++)
            json_object_set_new(co, corr[k].typed, safe_string(corr[k].used));
        json_object_set_new(out, "corrected", co);
    }
    const char *sugg = fouille_results_suggestion(res);
    if (sugg && *sugg)
        json_object_set_new(out, "suggestion", json_string(sugg));
    fouille_results_destroy(res);
    return out;
}
