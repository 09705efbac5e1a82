/* search.h -- one search request, validated the same way whichever door it
 * came through (CLI, Unix socket, HTTP), run on an index handle and turned
 * into the JSON document every interface returns:
 *
 *   { "query", "total", "took_ms", "page", "per_page",
 *     "hits": [ { "path", "title", "type", "date", "mime", "score",
 *                 "snippet", "page"?, "url"?, "missing"?: [word],
 *                 "stale"?: true, "private"?: true,
 *                 "variants"?: [ { "path", "mime", "url"? } ] } ],
 *     "facets": { "type": {value: count}, "year": {value: count},
 *                 "folder": {value: count} },
 *     "relaxed"?: true, "corrected"?: {typed: used}, "suggestion"? }
 */
#ifndef FOUILLE_SEARCH_H
#define FOUILLE_SEARCH_H

#include "fouille-index.h"

#include <jansson.h>
#include <stddef.h>

/* How many values one filter takes, and how many bytes all the strings
 * of one request take together (the query is at most
 * FOUILLE_INDEX_QUERY_MAX of them). */
#define FOUILLE_SEARCH_VALUES_MAX 16
#define FOUILLE_SEARCH_TEXT_MAX 4096

/* The values of a filter: a document matches any of them. */
struct fouille__search_values {
    const char *v[FOUILLE_SEARCH_VALUES_MAX];
    unsigned n;
};

/* One search, whichever door it came through. Its strings point into its
 * own text[]: copy it with fouille__search_req_copy, never by assignment. */
struct fouille__search_req {
    const char *q;                      /* as typed: NULL or "" (list) */
    const char *words;                  /* q without its filter prefixes:
                                         * what the index searches */
    struct fouille__search_values type; /* none: any */
    struct fouille__search_values year; /* "YYYY" */
    struct fouille__search_values folder; /* "presse/2017": anything below */
    const char *date_from, *date_to;    /* "YYYY[-MM[-DD]]", or NULL */
    unsigned page;                      /* 1-based */
    unsigned per_page;
    fouille_sort_t sort;
    int prefix_last;                    /* search-as-you-type */
    int no_group;   /* every format of a publication is a hit */
    int staff;      /* 1: sees private documents (Unix socket, CLI, staff
                     * listener); 0, the default: the public view (view.h) */
    int strict;     /* an unknown parameter is an error (default) */
    char unknown[32]; /* the first unknown parameter, cut; "" if none */
    unsigned seen;  /* the scalar parameters given (the first one wins) */
    size_t text_len;
    char text[FOUILLE_SEARCH_TEXT_MAX];
};

struct fouille__search_limits {
    size_t query_max_len;
    unsigned per_page_max;
    unsigned snippet_chars;
    const char *public_base_url; /* "" or NULL: no "url" in hits */
    const char *prefer_formats;  /* which format of a publication leads */
    const fouille_synonyms_t *synonyms; /* NULL: none */
};

struct fouille__config;
/* The limits of a configuration. served: documents are served by the
 * daemon itself (/doc), which links them when no public address is set. */
struct fouille__search_limits
fouille__search_limits_of(const struct fouille__config *cfg, int served);

/* Building a request: _init, then _set for each parameter (by its name in
 * the HTTP query string, the socket's JSON and, with dashes, the CLI),
 * then _finish, which takes the filter prefixes out of q ("type:fiche",
 * "année:2017", "dossier:presse"; "titre:" becomes "title:") and refuses
 * an unknown parameter unless strict=0 was given. Each returns 0, or -1
 * with a message fit for the user in err. The values are copied. */
void fouille__search_req_init(struct fouille__search_req *req,
                              const struct fouille__search_limits *lim);
int fouille__search_req_set(struct fouille__search_req *req,
                            const struct fouille__search_limits *lim,
                            const char *name, const char *value, char *err,
                            size_t errlen);
int fouille__search_req_finish(struct fouille__search_req *req,
                               const struct fouille__search_limits *lim,
                               char *err, size_t errlen);

/* Whether name is a search parameter. */
int fouille__search_param_known(const char *name);

/* Copy src into dst, its strings with it. */
void fouille__search_req_copy(struct fouille__search_req *dst,
                              const struct fouille__search_req *src);

/* The result cache's key: every field with its length before it, so that
 * no two different searches share a key whatever bytes they hold. The
 * caller frees; NULL when out of memory. */
char *fouille__search_req_key(const struct fouille__search_req *req);

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
