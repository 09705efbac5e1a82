/* view.c -- see view.h. */
#include "config.h"

#include "view.h"

#include "scan.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fouille__view_init(struct fouille__view *v, const char *globs, char *err,
                       size_t errlen)
{
    memset(v, 0, sizeof *v);
    const char *rest = globs ? globs : "", *p;
    size_t len;
    while ((p = fouille__list_next(&rest, &len))) {
        while (len && (p[len - 1] == '/' || p[len - 1] == ' '))
            len--;
        if (len) {
            char *g = strndup(p, len);
            char **ng = g ? realloc(v->globs, (v->n + 1) * sizeof *ng) : NULL;
            if (!ng) {
                free(g);
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            v->globs = ng;
            v->globs[v->n++] = g;
            if (g[0] == '/' || strcmp(g, "..") == 0 ||
                strncmp(g, "../", 3) == 0 || strstr(g, "/../") ||
                (len >= 3 && strcmp(g + len - 3, "/..") == 0)) {
                snprintf(err, errlen,
                         "private: '%s' must be relative to the documents "
                         "folder, without '..'", g);
                goto fail;
            }
        }
    }
    return 0;
fail:
    fouille__view_free(v);
    return -1;
}

void fouille__view_free(struct fouille__view *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->globs[i]);
    free(v->globs);
    memset(v, 0, sizeof *v);
}

/* Match the components of glob g[0..glen) against those of path
 * p[0..plen), "**" standing for zero or more components. */
static int match_parts(const char *g, size_t glen, const char *p, size_t plen)
{
    while (glen) {
        const char *gs = memchr(g, '/', glen);
        size_t gl = gs ? (size_t)(gs - g) : glen;
        size_t grest = gs ? glen - gl - 1 : 0;
        if (gl == 2 && g[0] == '*' && g[1] == '*') {
            /* Zero components, or one more and try again. */
            if (match_parts(gs ? gs + 1 : g + gl, grest, p, plen))
                return 1;
            if (!grest && plen) /* a trailing "**": everything below */
                return 1;
            while (plen) {
                const char *ps = memchr(p, '/', plen);
                if (!ps)
                    return 0;
                plen -= (size_t)(ps - p) + 1;
                p = ps + 1;
                if (match_parts(gs ? gs + 1 : g + gl, grest, p, plen))
                    return 1;
            }
            return 0;
        }
        if (!plen)
            return 0;
        const char *ps = memchr(p, '/', plen);
        size_t pl = ps ? (size_t)(ps - p) : plen;
        char gbuf[256], pbuf[256];
        if (gl >= sizeof gbuf || pl >= sizeof pbuf)
            return 0;
        memcpy(gbuf, g, gl);
        gbuf[gl] = '\0';
        memcpy(pbuf, p, pl);
        pbuf[pl] = '\0';
        if (fnmatch(gbuf, pbuf, 0) != 0)
            return 0;
        g += gs ? gl + 1 : gl;
        glen = grest;
        p += ps ? pl + 1 : pl;
        plen = ps ? plen - pl - 1 : 0;
        if (!glen && plen) /* a glob naming a folder covers what is in it */
            return 1;
    }
    return plen == 0;
}

int fouille__view_private(const struct fouille__view *v, const char *relpath)
{
    for (size_t i = 0; i < v->n; i++) {
        const char *g = v->globs[i];
        if (!strchr(g, '/')) {
            for (const char *c = relpath; c;) {
                const char *slash = strchr(c, '/');
                size_t len = slash ? (size_t)(slash - c) : strlen(c);
                char name[256];
                if (len < sizeof name) {
                    memcpy(name, c, len);
                    name[len] = '\0';
                    if (fnmatch(g, name, 0) == 0)
                        return 1;
                }
                c = slash ? slash + 1 : NULL;
            }
        } else if (match_parts(g, strlen(g), relpath, strlen(relpath))) {
            return 1;
        }
    }
    return 0;
}
