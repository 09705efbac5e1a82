/* search.h -- one search request, validated the same way whichever door it
 * came through (CLI, Unix socket, HTTP), run on an index handle and turned
 * into the JSON document every interface returns:
 *
 *   { "query", "total", "took_ms", "page", "per_page",
 *     "hits": [ { "path", "title", "type", "date", "mime", "score",
 *                 "snippet", "page"?, "url"?, "missing"?: [word],
 *                 "stale"?: true, "private"?: true,
 *                 "variants"?: [ { "path", "mime", "url"? } ] } ],
 *     "facets": { "type": {value: count}, "year": {value: count} },
 *     "relaxed"?: true, "corrected"?: {typed: used}, "suggestion"? }
 */
#ifndef FOUILLE_SEARCH_H
#define FOUILLE_SEARCH_H

#include "fouille-index.h"

#include <jansson.h>
#include <stddef.h>

struct fouille__search_req {
    const char *q;        /* may be NULL or "" (list by date) */
    const char *type;     /* NULL: any */
    const char *year;     /* NULL: any */
    unsigned page;        /* 1-based */
    unsigned per_page;
    fouille_sort_t sort;
    int prefix_last;      /* search-as-you-type */
    int no_group;         /* every format of a publication is a hit */
    int staff;            /* 1: sees private documents (Unix socket, CLI,
                           * staff listener); 0, the default: the public
                           * view (view.h) */
};

struct fouille__search_limits {
    size_t query_max_len;
    unsigned per_page_max;
    unsigned snippet_chars;
    const char *public_base_url; /* "" or NULL: no "url" in hits */
    const char *prefer_formats;  /* which format of a publication leads */
    const fouille_synonyms_t *synonyms; /* NULL: none */
};

/* Parse textual parameters into req (strings are borrowed, must outlive
 * req). Any NULL argument keeps the default (page 1, per_page 10,
 * relevance). Returns 0, or -1 with a message fit for the user in err. */
int fouille__search_req_parse(struct fouille__search_req *req,
                              const struct fouille__search_limits *lim,
                              const char *q, const char *type,
                              const char *year, const char *page,
                              const char *per_page, const char *sort,
                              const char *prefix, const char *group,
                              char *err, size_t errlen);

/* Run req on idx. Returns the JSON document (new reference), or NULL with
 * *st set and a message fit for the user in err (index internals are not
 * exposed beyond the status message and QueryParser's explanation). */
json_t *fouille__search_run(fouille_index_t *idx,
                            const struct fouille__search_req *req,
                            const struct fouille__search_limits *lim,
                            fouille_index_status_t *st, char *err,
                            size_t errlen);

/* Append the percent-encoded relative path to base ("a b/é.pdf" ->
 * "a%20b/%C3%A9.pdf"); the caller frees. */
char *fouille__url_join(const char *base, const char *relpath);

#endif
