/* watch.c -- see watch.h. */
#include "config.h"

#include "watch.h"

#include "log.h"
#include "relpath.h"
#include "strmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_MASK                                                            \
    (IN_CREATE | IN_CLOSE_WRITE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM |     \
     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB | IN_ONLYDIR |   \
     IN_DONT_FOLLOW | IN_EXCL_UNLINK)

struct fouille__watch {
    uv_loop_t *loop;
    uv_poll_t poll;
    int fd;
    char *root;
    int rootfd;
    const struct fouille__ignore *ig;
    fouille__watch_cb cb;
    void *ctx;
    struct fouille__strmap by_wd;   /* "wd" -> relative folder path */
    struct fouille__strmap by_path; /* relative folder path -> wd (as ptr) */
    struct fouille__strmap unwatched; /* folders refused by ENOSPC */
    unsigned long overflows;
    unsigned long limit;
    int warned_limit;
    void (*closed)(void *);
    void *closed_ctx;
};

static unsigned long read_watch_limit(void)
{
    unsigned long v = 0;
    FILE *f = fopen("/proc/sys/fs/inotify/max_user_watches", "r");
    if (f) {
        if (fscanf(f, "%lu", &v) != 1)
            v = 0;
        fclose(f);
    }
    return v;
}

static void wd_key(int wd, char key[16]) { snprintf(key, 16, "%d", wd); }

static void forget_wd(struct fouille__watch *w, int wd)
{
    char key[16];
    wd_key(wd, key);
    char *path = fouille__strmap_del(&w->by_wd, key);
    if (path) {
        void *cur = fouille__strmap_get(&w->by_path, path);
        if (cur == (void *)(intptr_t)wd)
            fouille__strmap_del(&w->by_path, path);
        free(path);
    }
}

/* Add an inotify watch on the folder open as dfd. Through its descriptor
 * (/proc/self/fd/N), not its path: a path may be longer than PATH_MAX or
 * change on the way; the descriptor is the folder that was checked. */
static int watch_fd(struct fouille__watch *w, int dfd, const char *relpath)
{
    char magic[64];
    snprintf(magic, sizeof magic, "/proc/self/fd/%d", dfd);
    int wd = inotify_add_watch(w->fd, magic, WATCH_MASK & ~IN_DONT_FOLLOW);
    if (wd < 0 && errno == ENOENT && access("/proc/self/fd", F_OK) != 0) {
        /* No /proc: the path itself, when it fits. */
        size_t rlen = strlen(w->root), plen = strlen(relpath);
        char *full = rlen + 1 + plen < PATH_MAX ? malloc(rlen + plen + 2)
                                                : NULL;
        if (!full) {
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(full, w->root, rlen);
        full[rlen] = '/';
        memcpy(full + rlen + 1, relpath, plen + 1);
        wd = inotify_add_watch(w->fd, full, WATCH_MASK);
        free(full);
    }
    return wd;
}

/* Watch one folder (open as dfd, or -1 to open it here). Returns 0, or -1
 * (logged). */
static int add_one(struct fouille__watch *w, const char *relpath, int dfd)
{
    int own = -1;
    if (dfd < 0 && (dfd = own = fouille__open_beneath(
                        w->rootfd, relpath, O_RDONLY | O_DIRECTORY)) < 0)
        return -1; /* gone, or no longer a folder */
    int wd = watch_fd(w, dfd, relpath);
    int err = errno;
    if (own >= 0)
        close(own);
    errno = err;
    if (wd < 0) {
        if (fouille__transient_errno(errno) &&
            !fouille__strmap_get(&w->unwatched, relpath))
            /* Retried by the periodic reconcile (watch_retry). */
            fouille__strmap_put(&w->unwatched, relpath, (void *)1, NULL);
        if (errno == ENOSPC) {
            if (!w->warned_limit) {
                w->warned_limit = 1;
                w->limit = read_watch_limit();
                log_warn("inotify watch limit reached "
                         "(fs.inotify.max_user_watches = %lu): folders beyond "
                         "it are not watched live and are covered by the "
                         "periodic reconcile instead; raise the limit with "
                         "'sysctl fs.inotify.max_user_watches=%lu'",
                         w->limit, w->limit ? w->limit * 4 : 524288);
            }
        } else if (errno != ENOENT && errno != ENOTDIR)
            log_warn("%.200s: cannot watch: %s", relpath[0] ? relpath : ".",
                     strerror(errno));
        return -1;
    }
    fouille__strmap_del(&w->unwatched, relpath);
    char key[16];
    wd_key(wd, key);
    char *copy = strdup(relpath);
    void *old = NULL;
    if (!copy || fouille__strmap_put(&w->by_wd, key, copy, &old) < 0) {
        free(copy);
        return -1;
    }
    free(old); /* the same folder watched again under the same wd */
    fouille__strmap_put(&w->by_path, relpath, (void *)(intptr_t)wd, NULL);
    return 0;
}

void fouille__watch_add_tree(struct fouille__watch *w, const char *relpath)
{
    /* Depth first over a stack of folder paths, one folder open at a time
     * (opened from the root, no link followed): memory follows the number
     * of folders, descriptors stay at one. A path over the limit is left
     * to the reconcile, which records it. */
    size_t n = 0, cap = 16;
    char **stack = malloc(cap * sizeof *stack);
    if (!stack)
        return;
    stack[n++] = strdup(relpath);
    while (n > 0) {
        char *dir = stack[--n];
        if (!dir)
            continue;
        int fd = fouille__open_beneath(w->rootfd, dir,
                                       O_RDONLY | O_DIRECTORY);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
            if (fouille__transient_errno(errno) &&
                !fouille__strmap_get(&w->unwatched, dir))
                fouille__strmap_put(&w->unwatched, dir, (void *)1, NULL);
            if (fd >= 0)
                close(fd);
            free(dir);
            continue;
        }
        add_one(w, dir, fd);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
                fouille__ignored(w->ig, e->d_name))
                continue;
            int is_dir = e->d_type == DT_DIR;
            if (e->d_type == DT_UNKNOWN) {
                struct stat st;
                is_dir = fstatat(dirfd(d), e->d_name, &st,
                                 AT_SYMLINK_NOFOLLOW) == 0 &&
                         S_ISDIR(st.st_mode);
            }
            if (!is_dir)
                continue;
            char *child = fouille__relpath_join(dir, e->d_name);
            if (!child)
                continue; /* too long: the reconcile records it */
            if (n == cap) {
                char **ns = realloc(stack, 2 * cap * sizeof *ns);
                if (!ns) {
                    free(child);
                    continue;
                }
                stack = ns;
                cap *= 2;
            }
            stack[n++] = child;
        }
        closedir(d);
        free(dir);
    }
    free(stack);
}

struct prefix_ctx {
    const char *prefix;
    size_t len;
    int *wds;
    size_t n, cap;
};

static void collect_prefix(const char *path, void *value, void *ctx)
{
    struct prefix_ctx *p = ctx;
    if (strncmp(path, p->prefix, p->len) != 0 ||
        (path[p->len] != '\0' && path[p->len] != '/'))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        int *nw = realloc(p->wds, cap * sizeof *nw);
        if (!nw)
            return;
        p->wds = nw;
        p->cap = cap;
    }
    p->wds[p->n++] = (int)(intptr_t)value;
}

/* Stop watching relpath and everything below it (moved out or deleted). */
static void remove_tree(struct fouille__watch *w, const char *relpath)
{
    struct prefix_ctx p = {relpath, strlen(relpath), NULL, 0, 0};
    fouille__strmap_each(&w->by_path, collect_prefix, &p);
    for (size_t i = 0; i < p.n; i++) {
        inotify_rm_watch(w->fd, p.wds[i]);
        forget_wd(w, p.wds[i]);
    }
    free(p.wds);
}

static void handle_path_event(struct fouille__watch *w,
                              const struct inotify_event *ev,
                              const char *path);

static void handle_event(struct fouille__watch *w,
                         const struct inotify_event *ev)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        w->overflows++;
        log_warn("inotify queue overflow: events were lost; rescanning the "
                 "whole folder");
        w->cb(FOUILLE__CHANGE_OVERFLOW, "", w->ctx);
        return;
    }
    char key[16];
    wd_key(ev->wd, key);
    const char *dir = fouille__strmap_get(&w->by_wd, key);
    if (ev->mask & IN_IGNORED) {
        forget_wd(w, ev->wd);
        return;
    }
    if (!dir)
        return; /* a watch we already dropped */
    if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        if (dir[0] == '\0')
            log_err("the documents folder itself was deleted or moved; "
                    "watching stops until it is back (restart or SIGHUP)");
        return; /* the parent's event reports it, IN_IGNORED cleans up */
    }
    if (!ev->len || fouille__ignored(w->ig, ev->name))
        return;
    char *path = fouille__relpath_join(dir, ev->name);
    if (!path)
        return; /* too long: the reconcile records it */
    handle_path_event(w, ev, path);
    free(path);
}

static void handle_path_event(struct fouille__watch *w,
                              const struct inotify_event *ev,
                              const char *path)
{
    if (ev->mask & IN_ISDIR) {
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
            fouille__watch_add_tree(w, path);
            w->cb(FOUILLE__CHANGE_DIR_ADDED, path, w->ctx);
        } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
            remove_tree(w, path);
            w->cb(FOUILLE__CHANGE_DIR_REMOVED, path, w->ctx);
        }
        return;
    }
    if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
        w->cb(FOUILLE__CHANGE_REMOVED, path, w->ctx);
    else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
        w->cb(FOUILLE__CHANGE_DONE, path, w->ctx);
    else if (ev->mask & (IN_CREATE | IN_MODIFY | IN_ATTRIB))
        w->cb(FOUILLE__CHANGE_WRITING, path, w->ctx);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
    struct fouille__watch *w = h->data;
    char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
    if (status < 0)
        return;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            break; /* EAGAIN: drained */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            handle_event(w, ev);
            p += sizeof *ev + ev->len;
        }
    }
}

int fouille__watch_start(uv_loop_t *loop, const char *root,
                         const struct fouille__ignore *ig,
                         fouille__watch_cb cb, void *ctx,
                         struct fouille__watch **out, char *err,
                         size_t errlen)
{
    *out = NULL;
    struct fouille__watch *w = calloc(1, sizeof *w);
    if (!w || !(w->root = strdup(root))) {
        free(w);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    w->loop = loop;
    w->ig = ig;
    w->cb = cb;
    w->ctx = ctx;
    w->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w->rootfd < 0) {
        snprintf(err, errlen, "%s: %s", root, strerror(errno));
        free(w->root);
        free(w);
        return -1;
    }
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        snprintf(err, errlen, "inotify: %s", strerror(errno));
        close(w->rootfd);
        free(w->root);
        free(w);
        return -1;
    }
    w->limit = read_watch_limit();
    uv_poll_init(loop, &w->poll, w->fd);
    w->poll.data = w;
    uv_poll_start(&w->poll, UV_READABLE, on_readable);
    fouille__watch_add_tree(w, "");
    *out = w;
    return 0;
}

void fouille__watch_get_stats(const struct fouille__watch *w,
                              struct fouille__watch_stats *st)
{
    st->watches = fouille__strmap_size(&w->by_wd);
    st->unwatched = fouille__strmap_size(&w->unwatched);
    st->limit = w->limit;
    st->overflows = w->overflows;
}

struct retry_ctx {
    char **paths;
    size_t n, cap;
};

static void collect_key(const char *key, void *value, void *ctx)
{
    struct retry_ctx *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **np = realloc(r->paths, cap * sizeof *np);
        if (!np)
            return;
        r->paths = np;
        r->cap = cap;
    }
    if ((r->paths[r->n] = strdup(key)))
        r->n++;
}

unsigned long fouille__watch_retry(struct fouille__watch *w)
{
    struct retry_ctx r = {0};
    fouille__strmap_each(&w->unwatched, collect_key, &r);
    for (size_t i = 0; i < r.n; i++) {
        if (add_one(w, r.paths[i], -1) == 0)
            fouille__strmap_del(&w->unwatched, r.paths[i]);
        free(r.paths[i]);
    }
    free(r.paths);
    return fouille__strmap_size(&w->unwatched);
}

static void free_value(const char *key, void *value, void *ctx)
{
    (void)key, (void)ctx;
    free(value);
}

static void on_poll_closed(uv_handle_t *h)
{
    struct fouille__watch *w = h->data;
    void (*closed)(void *) = w->closed;
    void *ctx = w->closed_ctx;
    close(w->fd);
    close(w->rootfd);
    fouille__strmap_each(&w->by_wd, free_value, NULL);
    fouille__strmap_free(&w->by_wd);
    fouille__strmap_free(&w->by_path);
    fouille__strmap_free(&w->unwatched);
    free(w->root);
    free(w);
    if (closed)
        closed(ctx);
}

void fouille__watch_close(struct fouille__watch *w, void (*closed)(void *),
                          void *ctx)
{
    if (!w) {
        if (closed)
            closed(ctx);
        return;
    }
    w->closed = closed;
    w->closed_ctx = ctx;
    uv_close((uv_handle_t *)&w->poll, on_poll_closed);
}
