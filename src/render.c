/* render.c -- see render.h. */
#include "config.h"

#include "render.h"

#include <string.h>

/* Print s (a path or title) with control characters made visible, so a
 * file name holding a newline cannot forge output lines. */
static void put_safe(FILE *out, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 ? '?' : *s, out);
}

/* Snippets are HTML: turn <mark> into emphasis and entities into text. */
static void put_snippet(FILE *out, const char *s, int color)
{
    static const struct {
        const char *from, *to;
    } ents[] = {{"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},
                {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
    while (s && *s) {
        if (strncmp(s, "<mark>", 6) == 0) {
            if (color)
                fputs("\033[1;33m", out);
            s += 6;
            continue;
        }
        if (strncmp(s, "</mark>", 7) == 0) {
            if (color)
                fputs("\033[0m", out);
            s += 7;
            continue;
        }
        if (*s == '&') {
            size_t i;
            for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
                if (strncmp(s, ents[i].from, strlen(ents[i].from)) == 0)
                    break;
            if (i < sizeof ents / sizeof ents[0]) {
                fputs(ents[i].to, out);
                s += strlen(ents[i].from);
                continue;
            }
        }
        fputc(*s == '\n' || *s == '\f' || *s == '\t' ? ' ' : *s, out);
        s++;
    }
}

static void put_facet(FILE *out, const char *name, const json_t *obj)
{
    const char *k;
    json_t *v;
    int first = 1;
    if (!obj || json_object_size(obj) == 0)
        return;
    fprintf(out, "  %s:", name);
    json_object_foreach((json_t *)obj, k, v) {
        fprintf(out, "%s %s (%lld)", first ? "" : ",", k,
                (long long)json_integer_value(v));
        first = 0;
    }
    fputc('\n', out);
}

void fouille__render_results(FILE *out, const json_t *res, int color)
{
    json_int_t total = json_integer_value(json_object_get(res, "total"));
    const char *q = json_string_value(json_object_get(res, "query"));
    double took = json_number_value(json_object_get(res, "took_ms"));
    const json_t *hits = json_object_get(res, "hits");
    json_int_t page = json_integer_value(json_object_get(res, "page"));
    json_int_t per = json_integer_value(json_object_get(res, "per_page"));

    fprintf(out, "%lld result%s for \"", (long long)total,
            total == 1 ? "" : "s");
    put_safe(out, q);
    fprintf(out, "\" (%.1f ms)\n", took);
    json_int_t missing =
        json_integer_value(json_object_get(res, "shards_missing"));
    if (missing)
        fprintf(out, "Partial results: %lld shard%s did not answer.\n",
                (long long)missing, missing == 1 ? "" : "s");
    const char *sugg = json_string_value(json_object_get(res, "suggestion"));
    if (sugg) {
        fputs("Did you mean: ", out);
        put_safe(out, sugg);
        fputs("?\n", out);
    }
    size_t i;
    json_t *h;
    json_array_foreach((json_t *)hits, i, h) {
        const char *date = json_string_value(json_object_get(h, "date"));
        const char *type = json_string_value(json_object_get(h, "type"));
        json_t *pg = json_object_get(h, "page");
        fprintf(out, "\n%3lld. %s", (long long)((page - 1) * per + (json_int_t)i + 1),
                color ? "\033[1m" : "");
        put_safe(out, json_string_value(json_object_get(h, "title")));
        fprintf(out, "%s\n     ", color ? "\033[0m" : "");
        put_safe(out, json_string_value(json_object_get(h, "path")));
        if (type)
            fprintf(out, " · %s", type);
        if (date)
            fprintf(out, " · %s", date);
        if (pg)
            fprintf(out, " · page %lld", (long long)json_integer_value(pg));
        if (json_is_true(json_object_get(h, "private")))
            fputs(" · private", out);
        if (json_is_true(json_object_get(h, "stale")))
            fputs(" · stale (its new version could not be read: see "
                  "fouille failures)", out);
        fputs("\n     ", out);
        put_snippet(out, json_string_value(json_object_get(h, "snippet")),
                    color);
        fputc('\n', out);
    }
    const json_t *facets = json_object_get(res, "facets");
    if (total > 0) {
        fputc('\n', out);
        put_facet(out, "type", json_object_get(facets, "type"));
        put_facet(out, "year", json_object_get(facets, "year"));
    }
    if (total > (json_int_t)(page * per))
        fprintf(out, "Page %lld of %lld (--page N for more).\n",
                (long long)page, (long long)((total + per - 1) / per));
}

static void put_counts(FILE *out, const char *title,
                       const struct fouille__count *v)
{
    if (!v[0].key[0])
        return;
    fprintf(out, "  %s:\n", title);
    for (size_t i = 0; i < FOUILLE__TALLY_KEYS && v[i].key[0]; i++)
        fprintf(out, "    %-40s %8llu\n", v[i].key, (unsigned long long)v[i].n);
}

void fouille__render_tally(FILE *out, const struct fouille__tally *t,
                           double seconds)
{
    fprintf(out,
            "%llu files seen: %llu indexed, %llu unchanged, %llu failed, "
            "%llu removed from the index\n",
            (unsigned long long)t->seen, (unsigned long long)t->indexed,
            (unsigned long long)t->unchanged, (unsigned long long)t->failed,
            (unsigned long long)t->deleted);
    if (t->truncated || t->no_text)
        fprintf(out, "  %llu truncated at the text limit, %llu without text "
                "(metadata and file name only)\n",
                (unsigned long long)t->truncated,
                (unsigned long long)t->no_text);
    if (t->ocr_documents || t->ocr_cached)
        fprintf(out, "  OCR: %llu documents, %llu pages recognised in %.1f s "
                "(%.2f pages/s), %llu from the cache\n",
                (unsigned long long)t->ocr_documents,
                (unsigned long long)t->ocr_pages, t->ocr_seconds,
                t->ocr_seconds > 0 ? (double)t->ocr_pages / t->ocr_seconds
                                   : 0.0,
                (unsigned long long)t->ocr_cached);
    put_counts(out, "indexed by format", t->formats_ok);
    put_counts(out, "failed by format", t->formats_failed);
    put_counts(out, "failed by reason", t->reasons);
    double rate = seconds > 0 ? (double)t->indexed / seconds : 0;
    fprintf(out, "time %.2f s, %.1f documents/s, %.1f MB/s\n", seconds, rate,
            seconds > 0 ? (double)t->bytes / 1e6 / seconds : 0.0);
}

static json_t *counts_json(const struct fouille__count *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < FOUILLE__TALLY_KEYS && v[i].key[0]; i++)
        json_object_set_new(o, v[i].key, json_integer((json_int_t)v[i].n));
    return o;
}

json_t *fouille__tally_json(const struct fouille__tally *t, double seconds)
{
    json_t *j = json_pack("{sIsIsIsIsIsIsIsIsfsososo}",
                     "seen", (json_int_t)t->seen,
                     "indexed", (json_int_t)t->indexed,
                     "unchanged", (json_int_t)t->unchanged,
                     "failed", (json_int_t)t->failed,
                     "deleted", (json_int_t)t->deleted,
                     "truncated", (json_int_t)t->truncated,
                     "no_text", (json_int_t)t->no_text,
                     "bytes", (json_int_t)t->bytes,
                     "seconds", seconds,
                     "indexed_by_format", counts_json(t->formats_ok),
                     "failed_by_format", counts_json(t->formats_failed),
                     "failed_by_reason", counts_json(t->reasons));
    if (j)
        json_object_set_new(
            j, "ocr",
            json_pack("{sIsIsIsIsf}", "documents", (json_int_t)t->ocr_documents,
                      "pages", (json_int_t)t->ocr_pages, "cached",
                      (json_int_t)t->ocr_cached, "page_passes",
                      (json_int_t)t->ocr_page_passes, "seconds", t->ocr_seconds));
    return j;
}
