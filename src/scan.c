/* scan.c -- see scan.h. */
#include "config.h"

#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fouille__ignore_init(struct fouille__ignore *ig, const char *globs,
                         int index_hidden)
{
    memset(ig, 0, sizeof *ig);
    ig->hidden_too = index_hidden;
    const char *p = globs ? globs : "";
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        size_t len = (size_t)(end - p);
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            char **np = realloc(ig->patterns, (ig->n + 1) * sizeof *np);
            if (!np)
                return -1;
            ig->patterns = np;
            if (!(ig->patterns[ig->n] = strndup(p, len)))
                return -1;
            ig->n++;
        }
        p = end;
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

void fouille__signature(const struct stat *st, char out[FOUILLE__SIG_MAX])
{
    snprintf(out, FOUILLE__SIG_MAX, "%llx:%llx.%lx:%llx",
             (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec,
             (unsigned long)st->st_mtim.tv_nsec,
             (unsigned long long)st->st_ino);
}

struct frame {
    DIR *dir;
    size_t path_len; /* length of the relative path of this folder */
};

int fouille__scan(const char *root, const char *sub,
                  const struct fouille__ignore *ig, fouille__scan_cb cb,
                  fouille__scan_err_cb err_cb, void *ctx)
{
    char path[4096];
    struct frame *stack = NULL;
    size_t depth = 0, cap = 0;
    int rc = 0;

    int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return -1;
    snprintf(path, sizeof path, "%s", sub ? sub : "");
    int fd = path[0] ? openat(rootfd, path, O_RDONLY | O_DIRECTORY |
                                                O_NOFOLLOW | O_CLOEXEC)
                     : dup(rootfd);
    if (fd < 0) {
        int e = errno;
        close(rootfd);
        errno = e;
        return -1;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        close(rootfd);
        return -1;
    }
    cap = 16;
    stack = malloc(cap * sizeof *stack);
    if (!stack) {
        closedir(d);
        close(rootfd);
        errno = ENOMEM;
        return -1;
    }
    stack[depth++] = (struct frame){d, strlen(path)};

    while (depth > 0 && rc == 0) {
        struct frame *top = &stack[depth - 1];
        struct dirent *e;
        errno = 0;
        if (!(e = readdir(top->dir))) {
            closedir(top->dir);
            depth--;
            continue;
        }
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            fouille__ignored(ig, name))
            continue;
        size_t base = top->path_len;
        size_t nlen = strlen(name);
        if (base + 1 + nlen + 1 > sizeof path)
            continue; /* a path longer than PATH_MAX cannot be opened */
        path[base] = '\0';
        char *p = path + base;
        if (base)
            *p++ = '/';
        memcpy(p, name, nlen + 1);

        struct stat st;
        if (fstatat(dirfd(top->dir), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue; /* vanished since readdir */
        if (S_ISREG(st.st_mode)) {
            rc = cb(path, &st, ctx);
        } else if (S_ISDIR(st.st_mode)) {
            int cfd = openat(dirfd(top->dir), name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            DIR *cd = cfd >= 0 ? fdopendir(cfd) : NULL;
            if (!cd) {
                if (err_cb)
                    err_cb(path, errno, ctx);
                if (cfd >= 0)
                    close(cfd);
                continue;
            }
            if (depth == cap) {
                struct frame *ns = realloc(stack, 2 * cap * sizeof *ns);
                if (!ns) {
                    closedir(cd);
                    continue;
                }
                stack = ns;
                cap *= 2;
            }
            stack[depth++] = (struct frame){cd, strlen(path)};
        }
    }
    while (depth > 0)
        closedir(stack[--depth].dir);
    free(stack);
    close(rootfd);
    return rc;
}
