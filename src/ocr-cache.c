/* ocr-cache.c -- see ocr-cache.h. */
#include "config.h"

#include "ocr-cache.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fouille__ocr_cache {
    char *path;        /* the folder; NULL once it proved unusable */
    char *settings;    /* "-<languages>-<dpi>-<confidence>" */
    int fd;            /* the folder, or -1 until needed */
    uint64_t max_bytes;
    size_t max_entry;
    uint64_t bytes;    /* what the folder holds, counted at open */
};

struct fouille__ocr_cache *
fouille__ocr_cache_new(const char *path, const char *languages, unsigned dpi,
                       unsigned min_confidence, uint64_t max_bytes,
                       size_t max_entry)
{
    struct fouille__ocr_cache *c = calloc(1, sizeof *c);
    char settings[160];
    if (!c)
        return NULL;
    snprintf(settings, sizeof settings, "-%s-%u-%u", languages, dpi,
             min_confidence);
    c->path = strdup(path);
    c->settings = strdup(settings);
    c->fd = -1;
    c->max_bytes = max_bytes;
    c->max_entry = max_entry;
    if (!c->path || !c->settings) {
        fouille__ocr_cache_free(c);
        return NULL;
    }
    return c;
}

void fouille__ocr_cache_free(struct fouille__ocr_cache *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c->path);
    free(c->settings);
    free(c);
}

uint64_t fouille__ocr_cache_size(const struct fouille__ocr_cache *c)
{
    return c ? c->bytes : 0;
}

/* Whether name is one of our entries (a hash, a dash, settings). */
static int is_entry(const char *name)
{
    return strspn(name, "0123456789abcdef") == 64 && name[64] == '-' &&
           !strstr(name, ".tmp");
}

/* Open the folder, creating it if asked, and count what it holds. Returns
 * 0 when open. */
static int cache_open(struct fouille__ocr_cache *c, int create)
{
    if (c->fd >= 0)
        return 0;
    if (!c->path)
        return -1;
    if (create && mkdir(c->path, 0750) < 0 && errno != EEXIST) {
        log_warn("OCR cache %s: %s; scans will be recognised again on "
                 "every change", c->path, strerror(errno));
        free(c->path);
        c->path = NULL; /* say it once */
        return -1;
    }
    c->fd = open(c->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (c->fd < 0)
        return -1;
    int dfd = dup(c->fd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    rewinddir(d); /* the duplicate shares the folder's offset */
    struct dirent *e;
    struct stat st;
    c->bytes = 0;
    while ((e = readdir(d)))
        if (is_entry(e->d_name) &&
            fstatat(c->fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode))
            c->bytes += (uint64_t)st.st_size;
    closedir(d);
    return 0;
}

static void entry_name(const struct fouille__ocr_cache *c, const char *hash,
                       char *name, size_t cap)
{
    snprintf(name, cap, "%s%s", hash, c->settings);
}

int fouille__ocr_cache_load(struct fouille__ocr_cache *c,
                            struct fouille__doc *doc)
{
    char name[256];
    if (!c || !doc->content_hash[0] || cache_open(c, 0) < 0)
        return -1;
    entry_name(c, doc->content_hash, name, sizeof name);
    int fd = openat(c->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    struct stat st;
    struct fouille__buf b = {0};
    int rc = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (size_t)st.st_size >= FOUILLE__FRAME_HEADER &&
        (size_t)st.st_size <= c->max_entry &&
        fouille__buf_reserve(&b, (size_t)st.st_size) == 0) {
        ssize_t n = pread(fd, b.data, (size_t)st.st_size, 0);
        uint32_t payload;
        struct fouille__doc got;
        struct fouille__response_meta meta;
        fouille__doc_init(&got);
        if (n == st.st_size &&
            fouille__frame_parse_header((unsigned char *)b.data,
                                        FOUILLE__FRAME_RESPONSE,
                                        (uint32_t)c->max_entry,
                                        &payload) == 0 &&
            (size_t)payload + FOUILLE__FRAME_HEADER == (size_t)n &&
            fouille__frame_decode_response(
                (unsigned char *)b.data + FOUILLE__FRAME_HEADER, payload,
                &got, &meta) == 0 &&
            got.reason == FOUILLE__REASON_NONE) {
            fouille__doc_clear(doc);
            *doc = got;
            futimens(fd, NULL); /* used: the last to be evicted */
            rc = 0;
        } else {
            fouille__doc_clear(&got);
            log_warn("OCR cache: %s is damaged; recognising again", name);
        }
    }
    fouille__buf_free(&b);
    close(fd);
    return rc;
}

struct entry {
    char name[256];
    uint64_t size;
    struct timespec mtime;
};

static int older(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Remove the least recently used entries until the cache holds 90% of its
 * bound. */
static void evict(struct fouille__ocr_cache *c)
{
    int dfd = dup(c->fd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return;
    }
    rewinddir(d); /* the duplicate shares the folder's offset */
    struct entry *v = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    struct dirent *e;
    struct stat st;
    while ((e = readdir(d))) {
        if (!is_entry(e->d_name) || strlen(e->d_name) >= sizeof v->name ||
            fstatat(c->fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct entry *nv = realloc(v, ncap * sizeof *v);
            if (!nv)
                break;
            v = nv;
            cap = ncap;
        }
        snprintf(v[n].name, sizeof v[n].name, "%s", e->d_name);
        v[n].size = (uint64_t)st.st_size;
        v[n].mtime = st.st_mtim;
        total += v[n].size;
        n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, older);
    uint64_t target = c->max_bytes / 10 * 9;
    size_t removed = 0;
    for (size_t i = 0; i < n && total > target; i++)
        if (unlinkat(c->fd, v[i].name, 0) == 0) {
            total -= v[i].size;
            removed++;
        }
    c->bytes = total;
    free(v);
    log_info("OCR cache: %zu least recently used entries removed (bound "
             "%llu bytes)", removed, (unsigned long long)c->max_bytes);
}

void fouille__ocr_cache_store(struct fouille__ocr_cache *c,
                              const struct fouille__doc *doc,
                              const struct fouille__response_meta *meta)
{
    char name[256], tmp[270];
    if (!c || !doc->content_hash[0] || doc->reason != FOUILLE__REASON_NONE ||
        (doc->flags & FOUILLE__DOC_TRUNCATED) || cache_open(c, 1) < 0)
        return;
    entry_name(c, doc->content_hash, name, sizeof name);
    snprintf(tmp, sizeof tmp, "%s.tmp", name);
    struct fouille__buf out = {0};
    if (fouille__frame_encode_response(&out, doc, meta) < 0 ||
        out.len > c->max_entry || out.len > c->max_bytes) {
        fouille__buf_free(&out);
        return;
    }
    struct stat old;
    uint64_t replaced = fstatat(c->fd, name, &old, AT_SYMLINK_NOFOLLOW) == 0
                            ? (uint64_t)old.st_size
                            : 0;
    int fd = openat(c->fd, tmp,
                    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                    0640);
    int ok = fd >= 0;
    for (size_t done = 0; ok && done < out.len;) {
        ssize_t n = write(fd, out.data + done, out.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    if (fd >= 0 && close(fd) < 0)
        ok = 0;
    if (!ok || renameat(c->fd, tmp, c->fd, name) < 0) {
        log_warn("OCR cache: cannot write %s: %s", name, strerror(errno));
        unlinkat(c->fd, tmp, 0);
    } else {
        c->bytes += out.len;
        c->bytes -= replaced < c->bytes ? replaced : c->bytes;
        if (c->bytes > c->max_bytes)
            evict(c);
    }
    fouille__buf_free(&out);
}
