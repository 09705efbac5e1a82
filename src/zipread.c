/* zipread.c -- see zipread.h. */
#include "config.h"

#include "zipread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

struct fouille_zip {
    const struct fouille_sink *sink;
    zip_t *zip;
    uint64_t inflated; /* bytes inflated from all members so far */
};

struct fouille_zip_part {
    struct fouille_zip *z;
    zip_file_t *file;
    const char *name;
    uint64_t cap;      /* the plugin's cap on this member, 0: none */
    uint64_t inflated; /* bytes inflated from this member */
    int status;        /* FOUILLE_E_LIMIT or _MALFORMED once it failed */
};

#define LOG(z, level, ...) \
    (z)->sink->log((z)->sink->host, (level), __VA_ARGS__)

static struct fouille_zip *zip_open_fd(const struct fouille_sink *sink,
                                       int fd, int *status)
{
    struct fouille_zip *z = calloc(1, sizeof *z);
    int zerr = 0;
    if (!z) {
        *status = FOUILLE_E_NOMEM;
        return NULL;
    }
    z->sink = sink;
    /* libzip owns (and closes) what it opens: give it a duplicate, so the
     * plugin's descriptor stays open. */
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) {
        LOG(z, FOUILLE_LOG_ERR, "dup: %s", strerror(errno));
        free(z);
        *status = FOUILLE_E_IO;
        return NULL;
    }
    if (lseek(own, 0, SEEK_SET) < 0 ||
        !(z->zip = zip_fdopen(own, ZIP_RDONLY, &zerr))) {
        close(own); /* zip_fdopen() owns it on success only */
        switch (zerr) {
        case ZIP_ER_NOZIP:
            *status = FOUILLE_E_UNSUPPORTED;
            break;
        case ZIP_ER_MEMORY:
            *status = FOUILLE_E_NOMEM;
            break;
        case 0: /* lseek failed */
        case ZIP_ER_READ:
        case ZIP_ER_SEEK:
            *status = FOUILLE_E_IO;
            break;
        default: {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            LOG(z, FOUILLE_LOG_INFO, "zip: %s", zip_error_strerror(&ze));
            zip_error_fini(&ze);
            *status = FOUILLE_E_MALFORMED;
        }
        }
        free(z);
        return NULL;
    }
    *status = FOUILLE_OK;
    return z;
}

static int64_t zip_locate_name(struct fouille_zip *z, const char *name,
                               unsigned flags)
{
    zip_flags_t f = ZIP_FL_ENC_RAW;
    if (flags & FOUILLE_ZIP_NOCASE)
        f |= ZIP_FL_NOCASE;
    return zip_name_locate(z->zip, name, f);
}

static int64_t zip_count_members(struct fouille_zip *z)
{
    return zip_get_num_entries(z->zip, 0);
}

static const char *zip_member_name(struct fouille_zip *z, int64_t i)
{
    if (i < 0)
        return NULL;
    return zip_get_name(z->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
}

/* The declared sizes, checked before anything is inflated. Returns
 * FOUILLE_OK or the status that refuses the member. */
static int check_member(struct fouille_zip *z, const zip_stat_t *st,
                        const char *name, uint64_t cap)
{
    uint64_t max = z->sink->max_inflated_bytes;
    if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE))
        return FOUILLE_E_MALFORMED;
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st->encryption_method != ZIP_EM_NONE)
        return FOUILLE_E_ENCRYPTED;
    if (max && st->size > max - (z->inflated < max ? z->inflated : max)) {
        LOG(z, FOUILLE_LOG_WARNING,
            "%s inflates to %llu bytes, over the %llu-byte limit", name,
            (unsigned long long)st->size, (unsigned long long)max);
        return FOUILLE_E_LIMIT;
    }
    if (cap && st->size > cap) {
        LOG(z, FOUILLE_LOG_WARNING, "%s: %llu bytes, over the %llu expected",
            name, (unsigned long long)st->size, (unsigned long long)cap);
        return FOUILLE_E_LIMIT;
    }
    if (st->size > FOUILLE__ZIP_RATIO_MIN_SIZE &&
        (st->comp_size == 0 ||
         st->size / st->comp_size > FOUILLE__ZIP_MAX_RATIO)) {
        LOG(z, FOUILLE_LOG_WARNING,
            "%s: compression ratio over %d:1 (%llu bytes from %llu), "
            "refused as a zip bomb",
            name, FOUILLE__ZIP_MAX_RATIO, (unsigned long long)st->size,
            (unsigned long long)st->comp_size);
        return FOUILLE_E_LIMIT;
    }
    return FOUILLE_OK;
}

static struct fouille_zip_part *part_open(struct fouille_zip *z, int64_t i,
                                          uint64_t cap, int *status)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (i < 0 || zip_stat_index(z->zip, (zip_uint64_t)i, 0, &st) < 0) {
        *status = FOUILLE_E_MALFORMED;
        return NULL;
    }
    const char *name = st.valid & ZIP_STAT_NAME ? st.name : "(member)";
    *status = check_member(z, &st, name, cap);
    if (*status != FOUILLE_OK)
        return NULL;
    struct fouille_zip_part *p = calloc(1, sizeof *p);
    if (!p) {
        *status = FOUILLE_E_NOMEM;
        return NULL;
    }
    p->file = zip_fopen_index(z->zip, (zip_uint64_t)i, 0);
    if (!p->file) {
        int code = zip_error_code_zip(zip_get_error(z->zip));
        free(p);
        if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD ||
            code == ZIP_ER_ENCRNOTSUPP) {
            *status = FOUILLE_E_ENCRYPTED;
        } else if (code == ZIP_ER_MEMORY) {
            *status = FOUILLE_E_NOMEM;
        } else {
            LOG(z, FOUILLE_LOG_WARNING, "%s: %s", name, zip_strerror(z->zip));
            *status = FOUILLE_E_MALFORMED;
        }
        return NULL;
    }
    p->z = z;
    p->name = name; /* zip_stat's name lives as long as the archive */
    p->cap = cap;
    return p;
}

/* Fail the member: log once, and keep the reason for part_close(). */
static int64_t part_fail(struct fouille_zip_part *p, int status)
{
    struct fouille_zip *z = p->z;
    if (status == FOUILLE_E_LIMIT)
        LOG(z, FOUILLE_LOG_WARNING, "%s: inflated more than %llu bytes, "
            "stopped", p->name,
            (unsigned long long)(p->cap && p->inflated >= p->cap
                                     ? p->cap
                                     : z->sink->max_inflated_bytes));
    else
        LOG(z, FOUILLE_LOG_WARNING,
            "%s: damaged compressed data after %llu bytes", p->name,
            (unsigned long long)p->inflated);
    p->status = status;
    return -1;
}

static int64_t part_read(struct fouille_zip_part *p, void *buf, size_t len)
{
    struct fouille_zip *z = p->z;
    uint64_t max = z->sink->max_inflated_bytes;
    if (p->status)
        return -1;
    /* What may still be inflated: the archive's and the member's room. */
    uint64_t room = UINT64_MAX;
    if (max)
        room = z->inflated < max ? max - z->inflated : 0;
    if (p->cap && p->cap - p->inflated < room)
        room = p->cap - p->inflated;
    if (len == 0)
        return 0;
    if (room == 0) {
        /* At the limit: fine if the member ends exactly here. */
        char probe;
        zip_int64_t r = zip_fread(p->file, &probe, 1);
        if (r == 0)
            return 0;
        return part_fail(p, r < 0 ? FOUILLE_E_MALFORMED : FOUILLE_E_LIMIT);
    }
    if (len > room)
        len = (size_t)room;
    zip_int64_t r = zip_fread(p->file, buf, len);
    if (r < 0)
        return part_fail(p, FOUILLE_E_MALFORMED);
    z->inflated += (uint64_t)r;
    p->inflated += (uint64_t)r;
    return r;
}

static int part_close(struct fouille_zip_part *p)
{
    if (!p)
        return FOUILLE_OK;
    int status = p->status;
    zip_fclose(p->file);
    free(p);
    return status;
}

static void zip_close_archive(struct fouille_zip *z)
{
    if (!z)
        return;
    zip_discard(z->zip); /* read-only: nothing to write back */
    free(z);
}

void fouille__zip_services(struct fouille_sink *sink)
{
    sink->zip_open = zip_open_fd;
    sink->zip_locate = zip_locate_name;
    sink->zip_count = zip_count_members;
    sink->zip_name = zip_member_name;
    sink->zip_part_open = part_open;
    sink->zip_part_read = part_read;
    sink->zip_part_close = part_close;
    sink->zip_close = zip_close_archive;
}
