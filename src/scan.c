/* scan.c -- see scan.h. */
#include "config.h"

#include "scan.h"

#include "relpath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *fouille__list_next(const char **p, size_t *len)
{
    const char *s = *p;
    while (*s == ',' || *s == ' ')
        s++;
    if (!*s) {
        *p = s;
        return NULL;
    }
    const char *end = s;
    while (*end && *end != ',')
        end++;
    size_t n = (size_t)(end - s);
    while (n && s[n - 1] == ' ')
        n--;
    *len = n;
    *p = end;
    return s;
}

int fouille__ignore_init(struct fouille__ignore *ig, const char *globs,
                         int index_hidden)
{
    memset(ig, 0, sizeof *ig);
    ig->hidden_too = index_hidden;
    const char *rest = globs ? globs : "", *p;
    size_t len;
    while ((p = fouille__list_next(&rest, &len))) {
        if (len) {
            char **np = realloc(ig->patterns, (ig->n + 1) * sizeof *np);
            if (!np)
                return -1;
            ig->patterns = np;
            if (!(ig->patterns[ig->n] = strndup(p, len)))
                return -1;
            ig->n++;
        }
    }
    return 0;
}

void fouille__ignore_free(struct fouille__ignore *ig)
{
    for (size_t i = 0; i < ig->n; i++)
        free(ig->patterns[i]);
    free(ig->patterns);
    memset(ig, 0, sizeof *ig);
}

int fouille__ignored(const struct fouille__ignore *ig, const char *name)
{
    if (name[0] == '.' && !ig->hidden_too)
        return 1;
    for (size_t i = 0; i < ig->n; i++)
        if (fnmatch(ig->patterns[i], name, FNM_PERIOD) == 0)
            return 1;
    return 0;
}

int fouille__transient_errno(int err)
{
    return err == EMFILE || err == ENFILE || err == ENOMEM ||
           err == EAGAIN || err == ENOSPC;
}

void fouille__signature(const struct stat *st, char out[FOUILLE__SIG_MAX])
{
    snprintf(out, FOUILLE__SIG_MAX, "%llx:%llx.%lx:%llx",
             (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec,
             (unsigned long)st->st_mtim.tv_nsec,
             (unsigned long long)st->st_ino);
}

/* The walk goes depth first over a stack of folder paths, opening each
 * folder from the root with fouille__open_beneath: one directory descriptor
 * is open at a time whatever the depth, and the stack holds the folders
 * met but not yet read, so memory follows the number of folders, never the
 * depth times a buffer. */
struct walk {
    char **stack;
    size_t n, cap;
};

static int push(struct walk *w, char *path)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        char **ns = realloc(w->stack, cap * sizeof *ns);
        if (!ns)
            return -1;
        w->stack = ns;
        w->cap = cap;
    }
    w->stack[w->n++] = path;
    return 0;
}

/* Report a path over the limit by its beginning: the whole of it is too
 * long to be useful in a log line. */
static void report_too_long(const char *dir, const char *name,
                            fouille__scan_err_cb err_cb, void *ctx)
{
    if (!err_cb)
        return;
    char shown[256];
    snprintf(shown, sizeof shown, "%.200s%s%.20s", dir, dir[0] ? "/…/" : "",
             name);
    err_cb(shown, ENAMETOOLONG, ctx);
}

int fouille__scan(const char *root, const char *sub,
                  const struct fouille__ignore *ig, fouille__scan_cb cb,
                  fouille__scan_err_cb err_cb, void *ctx)
{
    struct walk w = {0};
    int rc = 0;

    int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return -1;
    char *first = strdup(sub ? sub : "");
    int fd = first ? fouille__open_beneath(rootfd, first,
                                           O_RDONLY | O_DIRECTORY)
                   : -1;
    if (fd < 0 || push(&w, first) < 0) {
        int e = first ? errno : ENOMEM;
        if (fd >= 0)
            close(fd);
        free(first);
        close(rootfd);
        errno = e;
        return -1;
    }
    close(fd); /* opened again below, like every other folder */

    while (w.n > 0 && rc == 0) {
        char *dir = w.stack[--w.n];
        int dfd = fouille__open_beneath(rootfd, dir, O_RDONLY | O_DIRECTORY);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
            if (err_cb)
                err_cb(dir, errno, ctx);
            if (dfd >= 0)
                close(dfd);
            free(dir);
            continue;
        }
        struct dirent *e;
        while (rc == 0 && (e = readdir(d))) {
            const char *name = e->d_name;
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
                fouille__ignored(ig, name))
                continue;
            struct stat st;
            if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue; /* vanished since readdir */
            if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
                continue;
            char *path = fouille__relpath_join(dir, name);
            if (!path) {
                if (errno == ENAMETOOLONG)
                    report_too_long(dir, name, err_cb, ctx);
                else
                    rc = -1;
                continue;
            }
            if (S_ISREG(st.st_mode)) {
                rc = cb(path, &st, ctx);
                free(path);
            } else if (push(&w, path) < 0) {
                free(path);
                rc = -1;
            }
        }
        closedir(d);
        free(dir);
    }
    while (w.n > 0)
        free(w.stack[--w.n]);
    free(w.stack);
    close(rootfd);
    if (rc < 0)
        errno = ENOMEM;
    return rc;
}
