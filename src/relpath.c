/* relpath.c -- see relpath.h. */
#include "config.h"

#include "relpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

enum fouille__relpath_status fouille__relpath_clean(
    const char *in, const struct fouille__ignore *ig, char **out)
{
    *out = NULL;
    if (in[0] == '/')
        return FOUILLE__RELPATH_OUTSIDE;
    size_t inlen = strlen(in);
    char *res = malloc(inlen + 1);
    if (!res)
        return FOUILLE__RELPATH_NO_MEMORY;
    size_t len = 0;
    enum fouille__relpath_status st = FOUILLE__RELPATH_OK;
    for (const char *s = in; *s && st == FOUILLE__RELPATH_OK;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.')
            st = FOUILLE__RELPATH_OUTSIDE;
        else if (n && !(n == 1 && s[0] == '.')) {
            if (len)
                res[len++] = '/';
            memcpy(res + len, s, n);
            res[len + n] = '\0';
            if (ig && fouille__ignored(ig, res + len))
                st = FOUILLE__RELPATH_IGNORED;
            len += n;
        }
        s += n;
        while (*s == '/')
            s++;
    }
    res[len] = '\0';
    if (st == FOUILLE__RELPATH_OK && len > FOUILLE__RELPATH_MAX)
        st = FOUILLE__RELPATH_TOO_LONG;
    if (st != FOUILLE__RELPATH_OK) {
        free(res);
        return st;
    }
    *out = res;
    return st;
}

const char *fouille__relpath_status_str(enum fouille__relpath_status st)
{
    switch (st) {
    case FOUILLE__RELPATH_OK:
        return "ok";
    case FOUILLE__RELPATH_OUTSIDE:
        return "the path leads outside the documents folder";
    case FOUILLE__RELPATH_IGNORED:
        return "the path is hidden or ignored";
    case FOUILLE__RELPATH_TOO_LONG:
        return "the path is too long";
    case FOUILLE__RELPATH_NO_MEMORY:
        return "out of memory";
    }
    return "invalid path";
}

int fouille__relpath_ignored(const struct fouille__ignore *ig,
                             const char *relpath)
{
    char *copy = NULL;
    enum fouille__relpath_status st = fouille__relpath_clean(relpath, ig, &copy);
    free(copy);
    return st == FOUILLE__RELPATH_IGNORED;
}

char *fouille__relpath_join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    size_t len = dlen + (dlen ? 1 : 0) + nlen;
    if (len > FOUILLE__RELPATH_MAX) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dlen);
    if (dlen)
        p[dlen++] = '/';
    memcpy(p + dlen, name, nlen + 1);
    return p;
}

int fouille__open_beneath(int rootfd, const char *relpath, int flags)
{
    flags |= O_CLOEXEC | O_NOFOLLOW;
    if (!relpath[0])
        return openat(rootfd, ".", flags);
#ifdef SYS_openat2
    struct open_how how = {
        .flags = (unsigned long long)flags,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                   RESOLVE_NO_MAGICLINKS,
    };
    long got = syscall(SYS_openat2, rootfd, relpath, &how, sizeof how);
    if (got >= 0 || errno != ENOSYS)
        return (int)got;
#endif
    /* Older kernels: walk the components with O_NOFOLLOW. */
    char *copy = strdup(relpath);
    if (!copy)
        return -1;
    int dir = dup(rootfd);
    char *save = NULL;
    for (char *part = strtok_r(copy, "/", &save); part && dir >= 0;) {
        char *next = strtok_r(NULL, "/", &save);
        if (strcmp(part, "..") == 0) {
            close(dir);
            dir = -1;
            errno = EXDEV;
            break;
        }
        int fd = next ? openat(dir, part, O_RDONLY | O_DIRECTORY |
                                              O_NOFOLLOW | O_CLOEXEC)
                      : openat(dir, part, flags);
        int e = errno;
        close(dir);
        errno = e;
        dir = fd;
        part = next;
    }
    free(copy);
    return dir;
}
