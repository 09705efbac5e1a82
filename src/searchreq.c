/* searchreq.c -- see search.h: validating a search request, whichever
 * door it came through. No index access (the fuzz targets link it
 * alone). */
#include "config.h"

#include "buf.h"
#include "search.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "1"/"true" or "0"/"false" into *out; absent or empty keeps *out.
 * Returns -1 for anything else. */
static int parse_flag(const char *s, int *out)
{
    if (!s || !*s)
        return 0;
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int valid_filter(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 && fouille__utf8_valid(s, n);
}

int fouille__search_req_parse(struct fouille__search_req *req,
                              const struct fouille__search_limits *lim,
                              const char *q, const char *type,
                              const char *year, const char *page,
                              const char *per_page, const char *sort,
                              const char *prefix, const char *group,
                              char *err, size_t errlen)
{
    memset(req, 0, sizeof *req);
    req->page = 1;
    req->per_page = 10 < lim->per_page_max ? 10 : lim->per_page_max;
    req->sort = FOUILLE_SORT_RELEVANCE;
    if (q) {
        size_t n = strlen(q);
        if (n > lim->query_max_len) {
            snprintf(err, errlen, "query too long (%zu bytes, at most %zu)",
                     n, lim->query_max_len);
            return -1;
        }
        if (!fouille__utf8_valid(q, n)) {
            snprintf(err, errlen, "query is not valid UTF-8");
            return -1;
        }
        req->q = q;
    }
    if (type && *type) {
        if (!valid_filter(type)) {
            snprintf(err, errlen, "invalid type filter");
            return -1;
        }
        req->type = type;
    }
    if (year && *year) {
        unsigned y;
        if (parse_uint(year, 1000, 9999, &y) < 0 || strlen(year) != 4) {
            snprintf(err, errlen, "year must be four digits");
            return -1;
        }
        req->year = year;
    }
    if (page && *page && parse_uint(page, 1, 100000, &req->page) < 0) {
        snprintf(err, errlen, "page must be a number from 1 to 100000");
        return -1;
    }
    if (per_page && *per_page &&
        parse_uint(per_page, 1, lim->per_page_max, &req->per_page) < 0) {
        snprintf(err, errlen, "per_page must be a number from 1 to %u",
                 lim->per_page_max);
        return -1;
    }
    if (sort && *sort) {
        if (strcmp(sort, "relevance") == 0)
            req->sort = FOUILLE_SORT_RELEVANCE;
        else if (strcmp(sort, "date") == 0)
            req->sort = FOUILLE_SORT_DATE;
        else {
            snprintf(err, errlen, "sort must be relevance or date");
            return -1;
        }
    }
    int grouped = 1;
    if (parse_flag(prefix, &req->prefix_last) < 0) {
        snprintf(err, errlen, "prefix must be 0 or 1");
        return -1;
    }
    if (parse_flag(group, &grouped) < 0) {
        snprintf(err, errlen, "group must be 0 or 1");
        return -1;
    }
    req->no_group = !grouped;
    return 0;
}

