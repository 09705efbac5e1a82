/* analytics.c -- see analytics.h. */
#include "config.h"

#include "analytics.h"

#include "log.h"
#include "strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* The file's format name and version: another file is not ours. */
#define FORMAT_NAME "fouille-analytics"
#define FORMAT_VERSION 1
/* A file larger than this is not one we wrote (2 sketches x K entries x
 * days at most, but K and days are bounded by the settings). */
#define FILE_MAX_BYTES (256u << 20)

/* ---- Space-Saving sketch --------------------------------------------------
 * At most k entries; a min-heap on count finds the entry a new query
 * replaces, a map finds a query's entry. */

struct entry {
    char *key;     /* owned */
    uint64_t count;
    uint64_t error; /* count may exceed the true count by this much */
    size_t pos;    /* in heap[] */
};

struct sketch {
    struct entry *e;    /* k slots, n used */
    struct entry **heap;
    size_t n, k;
    struct fouille__strmap map; /* key -> entry */
};

static int sketch_init(struct sketch *s, size_t k)
{
    memset(s, 0, sizeof *s);
    s->e = calloc(k, sizeof *s->e);
    s->heap = calloc(k, sizeof *s->heap);
    s->k = k;
    if (!s->e || !s->heap) {
        free(s->e);
        free(s->heap);
        return -1;
    }
    return 0;
}

static void sketch_free(struct sketch *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].key);
    free(s->e);
    free(s->heap);
    fouille__strmap_free(&s->map);
    memset(s, 0, sizeof *s);
}

static void heap_swap(struct sketch *s, size_t i, size_t j)
{
    struct entry *t = s->heap[i];
    s->heap[i] = s->heap[j];
    s->heap[j] = t;
    s->heap[i]->pos = i;
    s->heap[j]->pos = j;
}

static void sift_down(struct sketch *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n && s->heap[l]->count < s->heap[m]->count)
            m = l;
        if (r < s->n && s->heap[r]->count < s->heap[m]->count)
            m = r;
        if (m == i)
            return;
        heap_swap(s, i, m);
        i = m;
    }
}

static void sift_up(struct sketch *s, size_t i)
{
    while (i > 0 && s->heap[(i - 1) / 2]->count > s->heap[i]->count) {
        heap_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

/* Add inc to key with a known error (loading a file) or count one more
 * (error 0, inc 1). Returns 0 or -1 (out of memory: the sketch is
 * unchanged). */
static int sketch_add(struct sketch *s, const char *key, uint64_t inc,
                      uint64_t error)
{
    struct entry *e = fouille__strmap_get(&s->map, key);
    if (e) {
        e->count += inc;
        e->error += error;
        sift_down(s, e->pos);
        return 0;
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    if (s->n < s->k) {
        e = &s->e[s->n];
        if (fouille__strmap_put(&s->map, copy, e, NULL) < 0) {
            free(copy);
            return -1;
        }
        e->key = copy;
        e->count = inc;
        e->error = error;
        e->pos = s->n;
        s->heap[s->n++] = e;
        sift_up(s, e->pos);
        return 0;
    }
    /* Full: the least counted entry becomes key, which may have been seen
     * up to that many times before. */
    e = s->heap[0];
    if (fouille__strmap_put(&s->map, copy, e, NULL) < 0) {
        free(copy);
        return -1;
    }
    fouille__strmap_del(&s->map, e->key);
    free(e->key);
    e->key = copy;
    e->error = e->count + error;
    e->count += inc;
    sift_down(s, 0);
    return 0;
}

/* The least count, when the sketch is full (a query not in it may have
 * been seen up to that many times); 0 otherwise. */
static uint64_t sketch_floor(const struct sketch *s)
{
    return s->n == s->k && s->n ? s->heap[0]->count : 0;
}

/* ---- Days and the store -------------------------------------------------- */

struct day {
    int64_t day; /* days since 1970-01-01 (UTC); -1: unused slot */
    uint64_t searches, zero, clicks, clicked, rank_sum;
    struct sketch top, top_zero;
};

struct recent {
    uint64_t id;
    int64_t day;
    int counted; /* a counted search (the click-through rate's) */
    int clicked;
};

struct fouille__analytics {
    pthread_mutex_t mu;
    char *path;
    unsigned k, days_kept;
    struct day *days; /* days_kept slots, by day % days_kept */
    struct recent recent[FOUILLE__ANALYTICS_RECENT];
    size_t recent_next;
    uint64_t id_seq, id_key;
    uint64_t total_searches, total_zero, total_clicks;
    int dirty;
};

static int64_t day_of(double now) { return (int64_t)(now / 86400.0); }

static void day_name(int64_t day, char out[11])
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int parse_day(const char *s, int64_t *day)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    if (!end || *end || strlen(s) != 10)
        return -1;
    time_t t = timegm(&tm);
    if (t < 0)
        return -1;
    *day = (int64_t)t / 86400;
    return 0;
}

static void day_clear(struct day *d)
{
    if (d->top.e)
        sketch_free(&d->top);
    if (d->top_zero.e)
        sketch_free(&d->top_zero);
    memset(d, 0, sizeof *d);
    d->day = -1;
}

/* The slot of day, emptied if it held an older day; NULL if day is too
 * old to keep or memory runs out. */
static struct day *day_slot(struct fouille__analytics *a, int64_t day)
{
    struct day *d = &a->days[(uint64_t)day % a->days_kept];
    if (d->day == day)
        return d;
    if (d->day > day)
        return NULL; /* older than what is kept */
    day_clear(d);
    if (sketch_init(&d->top, a->k) < 0 ||
        sketch_init(&d->top_zero, a->k) < 0) {
        day_clear(d);
        return NULL;
    }
    d->day = day;
    return d;
}

/* splitmix64: a bijection, so ids from distinct sequence numbers differ,
 * and keyed with a random value so they do not count searches. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static uint64_t next_id(struct fouille__analytics *a, int64_t day,
                        int counted)
{
    uint64_t id;
    do
        id = mix(++a->id_seq ^ a->id_key);
    while (id == 0);
    struct recent *r = &a->recent[a->recent_next];
    a->recent_next = (a->recent_next + 1) % FOUILLE__ANALYTICS_RECENT;
    r->id = id;
    r->day = day;
    r->counted = counted;
    r->clicked = 0;
    return id;
}

uint64_t fouille__analytics_search(struct fouille__analytics *a,
                                   const char *key, uint64_t total,
                                   double now)
{
    int64_t day = day_of(now);
    pthread_mutex_lock(&a->mu);
    struct day *d = day_slot(a, day);
    if (d) {
        d->searches++;
        a->total_searches++;
        if (total == 0) {
            d->zero++;
            a->total_zero++;
        }
        /* Out of memory loses one query's rank, not the search's count. */
        if (key[0]) {
            (void)sketch_add(&d->top, key, 1, 0);
            if (total == 0)
                (void)sketch_add(&d->top_zero, key, 1, 0);
        }
        a->dirty = 1;
    }
    uint64_t id = next_id(a, day, d != NULL);
    pthread_mutex_unlock(&a->mu);
    return id;
}

uint64_t fouille__analytics_query_id(struct fouille__analytics *a)
{
    pthread_mutex_lock(&a->mu);
    uint64_t id = next_id(a, day_of((double)time(NULL)), 0);
    pthread_mutex_unlock(&a->mu);
    return id;
}

int fouille__analytics_click(struct fouille__analytics *a, uint64_t id,
                             unsigned rank, double now)
{
    int counted = 0;
    pthread_mutex_lock(&a->mu);
    for (size_t i = 0; i < FOUILLE__ANALYTICS_RECENT && id; i++) {
        struct recent *r = &a->recent[i];
        if (r->id != id)
            continue;
        /* The click belongs to the day of its search. */
        struct day *d = day_slot(a, r->day);
        if (d) {
            d->clicks++;
            d->rank_sum += rank;
            if (r->counted && !r->clicked)
                d->clicked++;
            a->total_clicks++;
            a->dirty = 1;
        }
        r->clicked = 1;
        counted = 1;
        break;
    }
    (void)now;
    pthread_mutex_unlock(&a->mu);
    return counted;
}

void fouille__analytics_totals(struct fouille__analytics *a,
                               uint64_t *searches, uint64_t *zero,
                               uint64_t *clicks)
{
    pthread_mutex_lock(&a->mu);
    *searches = a->total_searches;
    *zero = a->total_zero;
    *clicks = a->total_clicks;
    pthread_mutex_unlock(&a->mu);
}

int fouille__analytics_parse_id(const char *s, uint64_t *id)
{
    if (!s || strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
        return -1;
    *id = strtoull(s, NULL, 16);
    return *id ? 0 : -1;
}

void fouille__analytics_format_id(uint64_t id, char *out)
{
    snprintf(out, 17, "%016" PRIx64, id);
}

/* ---- Report -------------------------------------------------------------- */

struct merged {
    uint64_t count, error;
};

struct merge_ctx {
    struct fouille__strmap *map;
    int failed;
};

/* Sum one day's sketch into m. */
static void merge_sketch(struct fouille__strmap *m, const struct sketch *s,
                         int *failed)
{
    for (size_t i = 0; i < s->n; i++) {
        struct merged *x = fouille__strmap_get(m, s->e[i].key);
        if (!x) {
            x = calloc(1, sizeof *x);
            if (!x || fouille__strmap_put(m, s->e[i].key, x, NULL) < 0) {
                free(x);
                *failed = 1;
                continue;
            }
        }
        x->count += s->e[i].count;
        x->error += s->e[i].error;
    }
}

struct ranked {
    const char *key;
    struct merged *m;
};

struct collect_ctx {
    struct ranked *v;
    size_t n;
};

static void collect(const char *key, void *value, void *ctx)
{
    struct collect_ctx *c = ctx;
    c->v[c->n].key = key;
    c->v[c->n].m = value;
    c->n++;
}

static int by_count(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    if (a->m->count != b->m->count)
        return a->m->count > b->m->count ? -1 : 1;
    return strcmp(a->key, b->key);
}

static void free_value(const char *key, void *value, void *ctx) { free(value); }

/* The top entries of the days [first, last] of one kind of sketch. A
 * query missing from a full day's sketch may have been seen up to that
 * sketch's floor times that day: added to its error. */
static json_t *top_of(struct fouille__analytics *a, int64_t first,
                      int64_t last, int zero, unsigned top)
{
    struct fouille__strmap m = {0};
    int failed = 0;
    for (unsigned i = 0; i < a->days_kept; i++) {
        struct day *d = &a->days[i];
        if (d->day >= first && d->day <= last)
            merge_sketch(&m, zero ? &d->top_zero : &d->top, &failed);
    }
    size_t n = fouille__strmap_size(&m);
    struct collect_ctx c = {n ? calloc(n, sizeof *c.v) : NULL, 0};
    json_t *out = json_array();
    if ((n && !c.v) || failed || !out) {
        free(c.v);
        fouille__strmap_each(&m, free_value, NULL);
        fouille__strmap_free(&m);
        json_decref(out);
        return NULL;
    }
    fouille__strmap_each(&m, collect, &c);
    for (size_t j = 0; j < c.n; j++)
        for (unsigned i = 0; i < a->days_kept; i++) {
            struct day *d = &a->days[i];
            const struct sketch *s = zero ? &d->top_zero : &d->top;
            if (d->day >= first && d->day <= last &&
                !fouille__strmap_get(&s->map, c.v[j].key))
                c.v[j].m->error += sketch_floor(s);
        }
    if (c.n) /* qsort must not be given NULL, even for nothing */
        qsort(c.v, c.n, sizeof *c.v, by_count);
    for (size_t j = 0; j < c.n && j < top; j++)
        json_array_append_new(
            out, json_pack("{s:s,s:I,s:I}", "query", c.v[j].key, "count",
                           (json_int_t)c.v[j].m->count, "error",
                           (json_int_t)c.v[j].m->error));
    free(c.v);
    fouille__strmap_each(&m, free_value, NULL);
    fouille__strmap_free(&m);
    return out;
}

json_t *fouille__analytics_report(struct fouille__analytics *a,
                                  unsigned ndays, unsigned top, double now)
{
    if (ndays == 0)
        ndays = 1;
    if (ndays > a->days_kept)
        ndays = a->days_kept;
    int64_t last = day_of(now), first = last - (int64_t)ndays + 1;
    char from[11], to[11];
    day_name(first, from);
    day_name(last, to);
    pthread_mutex_lock(&a->mu);
    uint64_t searches = 0, zero = 0, clicks = 0, clicked = 0, rank_sum = 0;
    json_t *per_day = json_array();
    for (int64_t day = first; day <= last; day++) {
        struct day *d = &a->days[(uint64_t)day % a->days_kept];
        if (d->day != day)
            continue;
        char name[11];
        day_name(day, name);
        json_array_append_new(
            per_day, json_pack("{s:s,s:I,s:I,s:I}", "day", name, "searches",
                               (json_int_t)d->searches, "zero_results",
                               (json_int_t)d->zero, "clicks",
                               (json_int_t)d->clicks));
        searches += d->searches;
        zero += d->zero;
        clicks += d->clicks;
        clicked += d->clicked;
        rank_sum += d->rank_sum;
    }
    json_t *t = top_of(a, first, last, 0, top);
    json_t *tz = top_of(a, first, last, 1, top);
    unsigned k = a->k;
    pthread_mutex_unlock(&a->mu);
    if (!per_day || !t || !tz) {
        json_decref(per_day);
        json_decref(t);
        json_decref(tz);
        return NULL;
    }
    return json_pack(
        "{s:I,s:s,s:s,s:I,s:I,s:f,s:I,s:I,s:f,s:f,s:o,s:o,s:o,s:I}", "days",
        (json_int_t)ndays, "from", from, "to", to, "searches",
        (json_int_t)searches, "zero_results", (json_int_t)zero,
        "zero_result_rate", searches ? (double)zero / (double)searches : 0.0,
        "clicks", (json_int_t)clicks, "searches_clicked", (json_int_t)clicked,
        "click_through_rate",
        searches ? (double)clicked / (double)searches : 0.0, "mean_click_rank",
        clicks ? (double)rank_sum / (double)clicks : 0.0, "per_day", per_day,
        "top", t, "top_zero", tz, "sketch_size", (json_int_t)k);
}

/* ---- The file ------------------------------------------------------------ */

static json_t *sketch_json(const struct sketch *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < s->n; i++)
        if (json_array_append_new(arr, json_pack("[s,I,I]", s->e[i].key,
                                                 (json_int_t)s->e[i].count,
                                                 (json_int_t)s->e[i].error)) < 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* The store as the file's JSON (under the lock). */
static json_t *store_json(struct fouille__analytics *a)
{
    json_t *days = json_array();
    for (unsigned i = 0; days && i < a->days_kept; i++) {
        struct day *d = &a->days[i];
        if (d->day < 0)
            continue;
        char name[11];
        day_name(d->day, name);
        json_t *j = json_pack(
            "{s:s,s:I,s:I,s:I,s:I,s:I,s:o*,s:o*}", "day", name, "searches",
            (json_int_t)d->searches, "zero_results", (json_int_t)d->zero,
            "clicks", (json_int_t)d->clicks, "searches_clicked",
            (json_int_t)d->clicked, "rank_sum", (json_int_t)d->rank_sum,
            "top", sketch_json(&d->top), "top_zero", sketch_json(&d->top_zero));
        if (!j || !json_object_get(j, "top") ||
            !json_object_get(j, "top_zero") ||
            json_array_append_new(days, j) < 0) {
            json_decref(j);
            json_decref(days);
            return NULL;
        }
    }
    if (!days)
        return NULL;
    return json_pack("{s:s,s:i,s:o}", "format", FORMAT_NAME, "version",
                     FORMAT_VERSION, "days", days);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fouille__analytics_save(struct fouille__analytics *a, char *err,
                            size_t errlen)
{
    if (!a || !a->path)
        return 0;
    pthread_mutex_lock(&a->mu);
    if (!a->dirty) {
        pthread_mutex_unlock(&a->mu);
        return 0;
    }
    json_t *j = store_json(a);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (text)
        a->dirty = 0; /* set again if the write fails */
    pthread_mutex_unlock(&a->mu);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t plen = strlen(a->path) + sizeof ".tmp";
    char *tmp = malloc(plen);
    int fd = -1, ok = 0;
    if (tmp) {
        snprintf(tmp, plen, "%s.tmp", a->path);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    }
    if (fd >= 0 && write_all(fd, text, strlen(text)) == 0 &&
        write_all(fd, "\n", 1) == 0 && fsync(fd) == 0) {
        ok = close(fd) == 0;
        fd = -1;
        ok = ok && rename(tmp, a->path) == 0;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: %s", tmp ? tmp : a->path,
                 strerror(errno ? errno : ENOMEM));
        if (fd >= 0)
            close(fd);
        if (tmp)
            unlink(tmp);
        pthread_mutex_lock(&a->mu);
        a->dirty = 1;
        pthread_mutex_unlock(&a->mu);
    }
    free(tmp);
    free(text);
    return ok ? 0 : -1;
}

/* Read one sketch's entries from arr into s. Returns 0 or -1 with err. */
static int load_sketch(struct sketch *s, const json_t *arr, char *err,
                       size_t errlen)
{
    if (!json_is_array(arr)) {
        snprintf(err, errlen, "a day's sketch is not a list");
        return -1;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        json_t *key = json_array_get(v, 0), *count = json_array_get(v, 1),
               *error = json_array_get(v, 2);
        if (!json_is_array(v) || json_array_size(v) != 3 ||
            !json_is_string(key) || !json_is_integer(count) ||
            !json_is_integer(error) || json_integer_value(count) < 1 ||
            json_integer_value(error) < 0 ||
            json_integer_value(error) > json_integer_value(count) ||
            json_string_length(key) > FOUILLE__ANALYTICS_KEY_MAX ||
            strlen(json_string_value(key)) != json_string_length(key)) {
            snprintf(err, errlen, "a sketch entry is malformed");
            return -1;
        }
        /* A smaller K than when written: the heaviest entries stay, their
         * errors grow as Space-Saving's do. */
        if (sketch_add(s, json_string_value(key),
                       (uint64_t)json_integer_value(count),
                       (uint64_t)json_integer_value(error)) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int get_count(const json_t *day, const char *name, uint64_t *out)
{
    json_t *v = json_object_get(day, name);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

/* Read the file into a (empty). Returns 1 loaded, 0 no file, -1 with err
 * (the store is left empty). */
static int load(struct fouille__analytics *a, char *err, size_t errlen)
{
    int fd = open(a->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0 || (uint64_t)size > FILE_MAX_BYTES ||
        lseek(fd, 0, SEEK_SET) < 0) {
        close(fd);
        snprintf(err, errlen, "unreadable or larger than %u bytes",
                 FILE_MAX_BYTES);
        return -1;
    }
    json_error_t jerr;
    json_t *j = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
    close(fd);
    if (!j) {
        snprintf(err, errlen, "not JSON (line %d: %s)", jerr.line, jerr.text);
        return -1;
    }
    json_t *days = json_object_get(j, "days");
    if (!json_is_string(json_object_get(j, "format")) ||
        strcmp(json_string_value(json_object_get(j, "format")), FORMAT_NAME) ||
        json_integer_value(json_object_get(j, "version")) != FORMAT_VERSION ||
        !json_is_array(days)) {
        json_decref(j);
        snprintf(err, errlen, "not a %s file of version %d", FORMAT_NAME,
                 FORMAT_VERSION);
        return -1;
    }
    int64_t today = day_of((double)time(NULL));
    size_t i;
    json_t *v;
    int rc = 1;
    json_array_foreach(days, i, v) {
        int64_t day;
        uint64_t searches, zero, clicks, clicked, rank_sum;
        if (parse_day(json_string_value(json_object_get(v, "day")), &day) < 0 ||
            get_count(v, "searches", &searches) < 0 ||
            get_count(v, "zero_results", &zero) < 0 ||
            get_count(v, "clicks", &clicks) < 0 ||
            get_count(v, "searches_clicked", &clicked) < 0 ||
            get_count(v, "rank_sum", &rank_sum) < 0 || zero > searches ||
            clicked > searches) {
            snprintf(err, errlen, "day %zu is malformed", i + 1);
            rc = -1;
            break;
        }
        if (day > today + 1 || day <= today - (int64_t)a->days_kept)
            continue; /* from the future (a clock set back), or expired */
        struct day *d = day_slot(a, day);
        if (!d || d->searches) {
            snprintf(err, errlen, d ? "day %zu is there twice"
                                    : "out of memory", i + 1);
            rc = -1;
            break;
        }
        d->searches = searches;
        d->zero = zero;
        d->clicks = clicks;
        d->clicked = clicked;
        d->rank_sum = rank_sum;
        if (load_sketch(&d->top, json_object_get(v, "top"), err, errlen) < 0 ||
            load_sketch(&d->top_zero, json_object_get(v, "top_zero"), err,
                        errlen) < 0) {
            rc = -1;
            break;
        }
    }
    json_decref(j);
    if (rc < 0)
        for (unsigned n = 0; n < a->days_kept; n++)
            day_clear(&a->days[n]);
    return rc;
}

struct fouille__analytics *fouille__analytics_open(const char *path,
                                                   unsigned k,
                                                   unsigned days_kept)
{
    struct fouille__analytics *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->k = k ? k : 1;
    a->days_kept = days_kept ? days_kept : 1;
    a->days = calloc(a->days_kept, sizeof *a->days);
    a->path = path ? strdup(path) : NULL;
    if (!a->days || (path && !a->path)) {
        free(a->days);
        free(a->path);
        free(a);
        return NULL;
    }
    for (unsigned i = 0; i < a->days_kept; i++)
        a->days[i].day = -1;
    pthread_mutex_init(&a->mu, NULL);
    if (getrandom(&a->id_key, sizeof a->id_key, GRND_NONBLOCK) !=
        (ssize_t)sizeof a->id_key)
        a->id_key = mix((uint64_t)time(NULL) ^ (uint64_t)getpid());
    char err[256];
    if (a->path && load(a, err, sizeof err) < 0) {
        size_t blen = strlen(a->path) + sizeof ".bad";
        char *bad = malloc(blen);
        if (bad)
            snprintf(bad, blen, "%s.bad", a->path);
        int moved = bad && rename(a->path, bad) == 0;
        log_warn("search analytics %s: %s; starting empty%s%s", a->path, err,
                 moved ? ", the file is kept as " : "", moved ? bad : "");
        free(bad);
    }
    return a;
}

void fouille__analytics_close(struct fouille__analytics *a)
{
    if (!a)
        return;
    char err[512];
    if (fouille__analytics_save(a, err, sizeof err) < 0)
        log_err("search analytics not saved: %s", err);
    for (unsigned i = 0; i < a->days_kept; i++)
        day_clear(&a->days[i]);
    pthread_mutex_destroy(&a->mu);
    free(a->days);
    free(a->path);
    free(a);
}
