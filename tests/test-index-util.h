/* test-index-util.h -- helpers shared by the index tests: a scratch
 * directory per test, and search results as comparable strings. */
#ifndef FOUILLE_TEST_INDEX_UTIL_H
#define FOUILLE_TEST_INDEX_UTIL_H

#include "fouille-index.h"
#include "tap.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh directory under $TMPDIR (or /tmp); the caller frees it. */
static inline char *tidx_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir;
    if (!tmp || !*tmp)
        tmp = "/tmp";
    dir = malloc(strlen(tmp) + 32);
    if (!dir)
        return NULL;
    sprintf(dir, "%s/fouille-test-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        free(dir);
        return NULL;
    }
    return dir;
}

static inline int tidx_rm_one(const char *path, const struct stat *sb, int type,
                              struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static inline void tidx_rm_rf(const char *dir)
{
    if (dir)
        nftw(dir, tidx_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Join a and b with a '/' into a static buffer. */
static inline const char *tidx_path(const char *a, const char *b)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", a, b);
    return buf;
}

static inline int tidx_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted, space-separated paths of the hits of q (up to 1000) that
 * hold every word (not those a relaxed query adds, which lack some), or a
 * string starting with "ERROR" (static buffer). */
static inline const char *tidx_paths(fouille_index_t *idx,
                                     const fouille_query_t *q)
{
    static char buf[65536];
    fouille_results_t *res = NULL;
    fouille_index_status_t st = fouille_index_search(idx, q, &res);
    const char *paths[1000];
    size_t n, i;
    if (st != FOUILLE_INDEX_OK) {
        snprintf(buf, sizeof buf, "ERROR %s: %s", fouille_index_status_str(st),
                 fouille_index_last_error(idx));
        return buf;
    }
    n = 0;
    for (i = 0; i < fouille_results_count(res) && n < 1000; i++)
        if (fouille_results_hit(res, i)->missing_count == 0)
            paths[n++] = fouille_results_hit(res, i)->path;
    qsort(paths, n, sizeof paths[0], tidx_cmp);
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i)
            strncat(buf, " ", sizeof buf - strlen(buf) - 1);
        strncat(buf, paths[i], sizeof buf - strlen(buf) - 1);
    }
    fouille_results_destroy(res);
    return buf;
}

/* Same, for a plain query string. */
static inline const char *tidx_find(fouille_index_t *idx, const char *qs)
{
    fouille_query_t q;
    memset(&q, 0, sizeof q);
    q.q = qs;
    q.limit = 1000;
    return tidx_paths(idx, &q);
}

/* tap_is_str for any strings (arrays included, NULL shown as "(null)"). */
static inline int tidx_is(const char *got, const char *want, const char *what)
{
    if (!got)
        got = "(null)";
    if (!want)
        want = "(null)";
    return tap_is_str(got, want, "%s", what);
}

#endif
