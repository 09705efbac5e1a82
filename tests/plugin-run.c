/* plugin-run.c -- a stand-alone host for one extractor plugin (collectd's
 * plugin_mock idea): load a plugin, check its ABI, run init/extract/fini on
 * one file through a mock sink, check what the plugin did, and print the
 * result as JSON, or compare it with a golden file and print TAP lines.
 *
 *   plugin-run [options] PLUGIN FILE
 *
 * PLUGIN is a .so path, a libtool .la path (its .libs/NAME.so is loaded), or a
 * bare name looked up in $FOUILLE_PLUGIN_DIR. The file is opened here and only
 * its descriptor reaches the plugin, as in the worker.
 *
 * Options:
 *   --mime TYPE          MIME type passed to extract() (default: the plugin's
 *                        first type)
 *   --budget BYTES       text budget (default 8 MiB, the daemon's default)
 *   --max-pages N        sink->max_pages (default 2000; 0: no limit)
 *   --max-inflated BYTES sink->max_inflated_bytes (default 256 MiB)
 *   --stop-after N       the sink's text callback asks to stop after N calls
 *   --text-bytes N       bytes of text shown in the JSON (default 400, -1: all)
 *   --text-out FILE      write all the text there, pages ended by \f (as
 *                        pdftotext does)
 *   --expect FILE|JSON   compare with expectations (a file, or inline JSON
 *                        starting with '{') and print unnumbered TAP lines;
 *                        the exit status is 1 when one of them fails
 *   --name NAME          name used in TAP lines (default: the file name)
 *   --ocr-languages L    set FOUILLE_OCR_LANGUAGES before init (e.g. fra)
 *   --ocr-pages N        sink->ocr_pages (default 0: a first pass, pages
 *                        are only marked with ocr_needed)
 *   --ocr-only P,Q,...   an OCR pass of these pages only (sink->ocr_only,
 *                        sink->ocr_wanted), as the host asks once it holds
 *                        the first pass
 *   --ocr-dpi N          sink->ocr_dpi (default 300)
 *   --ocr-min-confidence N  sink->ocr_min_confidence (default 40)
 *   --ocr-time-ms N      sink->ocr_time_ms (default 0: no limit)
 *   --sink-end MEMBER    play an older host: the sink ends after MEMBER
 *                        (ocr_needed: no zip reader nor charset decoder)
 *
 * Checks made on every run (reported under "checks", and asserted with
 * --expect): every string the plugin emits is valid UTF-8, pages never go
 * backwards, no text call after the sink asked to stop, no form feed in the
 * text (the host uses it to mark pages), nothing written to stdout/stderr,
 * the descriptor is still open afterwards.
 *
 * Expectations: an object, or {"cases": [object, ...]}, with any of
 *   "options": {"budget": N, "max_pages": N, "max_inflated": N,
 *               "stop_after": N, "mime": "..."}
 *   "status": "OK" or ["OK", "STOPPED"]   accepted status names
 *   "fields": {"title": "exact" | null}   null: the field must be absent
 *   "fields_prefix": {"title": "prefix"}
 *   "contains": ["substring", ...]        "absent": ["substring", ...]
 *   "words": ["word", ...]                "no_words": ["word", ...]
 *                                         (whole words, byte-exact)
 *   "on_page": {"word": N}                the word occurs on page N
 *   "pages": N    "pages_max": N    "words_min": N    "words_max": N
 *   "text_bytes_max": N                   "empty": true|false
 *   "max_rss_mb": N                       peak resident memory of the run
 *   "elapsed_ms_max": N                   time taken by extract()
 */
#define _GNU_SOURCE
#include "fouille-plugin.h"
#include "charset.h"
#include "zipread.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Under AddressSanitizer stderr is left alone, so that a report is seen
 * (and peak memory figures are not checked). */
#if defined(__SANITIZE_ADDRESS__)
#define CAPTURE_STDERR 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAPTURE_STDERR 0
#endif
#endif
#ifndef CAPTURE_STDERR
#define CAPTURE_STDERR 1
#endif

static const char *const status_names[] = {
    "OK",      "UNSUPPORTED", "MALFORMED", "ENCRYPTED", "LIMIT",
    "NOMEM",   "IO",          "STOPPED",   "FAILED"};
static const char *const field_names[FOUILLE_FIELD_COUNT_] = {
    "title", "author", "date", "language", "description", "keywords", "type"};

struct options {
    const char *mime;
    size_t budget;
    unsigned max_pages;
    uint64_t max_inflated;
    long stop_after; /* -1: never */
    unsigned ocr_pages, ocr_dpi, ocr_min_confidence, ocr_time_ms;
    uint32_t sink_size; /* struct_size the sink claims */
    const char *ocr_only; /* "P,Q,...": pages wanted, or NULL */
};

struct run {
    const struct options *opt;
    char *text; /* like the host: one \f per page boundary */
    size_t len, cap;
    unsigned page, pages;
    int stopped, truncated;
    long text_calls, field_calls;
    long ocr_calls;   /* ocr_text() calls */
    json_t *ocr_needed; /* pages passed to ocr_needed() */
    char *fields[FOUILLE_FIELD_COUNT_];
    size_t field_len[FOUILLE_FIELD_COUNT_];
    json_t *log;
    /* checks */
    long invalid_utf8, page_order, after_stop, formfeeds, bad_field,
        duplicate_field, null_text;
};

/* Length of the valid UTF-8 sequence at p, or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    size_t len;
    unsigned long c, min;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, c = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, c = b & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return len;
}

static int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(p + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* A JSON string of s[0..n), invalid bytes shown as U+FFFD. */
static json_t *json_text(const char *s, size_t n)
{
    if (utf8_valid(s, n))
        return json_stringn(s, n);
    char *o = malloc(n * 3 + 1);
    size_t j = 0;
    if (!o)
        return json_null();
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len((const unsigned char *)s + i, n - i);
        if (k) {
            memcpy(o + j, s + i, k);
            j += k, i += k;
        } else {
            memcpy(o + j, "\xEF\xBF\xBD", 3);
            j += 3, i++;
        }
    }
    json_t *r = json_stringn(o, j);
    free(o);
    return r;
}

static int append(struct run *r, const char *s, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *t = realloc(r->text, cap);
        if (!t)
            return -1;
        r->text = t, r->cap = cap;
    }
    memcpy(r->text + r->len, s, n);
    r->len += n;
    r->text[r->len] = '\0';
    return 0;
}

static int sink_field(void *host, enum fouille_field f, const char *v,
                      size_t n)
{
    struct run *r = host;
    r->field_calls++;
    if ((unsigned)f >= FOUILLE_FIELD_COUNT_ || !v) {
        r->bad_field++;
        return r->stopped;
    }
    if (!utf8_valid(v, n))
        r->invalid_utf8++;
    if (r->fields[f])
        r->duplicate_field++;
    free(r->fields[f]);
    r->fields[f] = malloc(n + 1);
    if (r->fields[f]) {
        memcpy(r->fields[f], v, n);
        r->fields[f][n] = '\0';
        r->field_len[f] = n;
    }
    return r->stopped;
}

static int sink_text(void *host, const char *s, size_t n, unsigned page)
{
    struct run *r = host;
    if (r->stopped) {
        r->after_stop++;
        return 1;
    }
    r->text_calls++;
    if (!s) {
        r->null_text++;
        return 0;
    }
    if (!utf8_valid(s, n))
        r->invalid_utf8++;
    if (memchr(s, '\f', n))
        r->formfeeds++;
    if (page < r->page)
        r->page_order++;
    if (page > r->page) {
        for (unsigned p = r->page ? r->page : 1; p < page; p++)
            if (r->len < r->opt->budget)
                append(r, "\f", 1);
        r->page = page;
        if (page > r->pages)
            r->pages = page;
    }
    size_t room = r->opt->budget > r->len ? r->opt->budget - r->len : 0;
    if (n > room) {
        while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
            room--;
        n = room;
        r->truncated = r->stopped = 1;
    }
    if (append(r, s, n) < 0)
        r->stopped = 1;
    if (r->opt->stop_after >= 0 && r->text_calls >= r->opt->stop_after)
        r->stopped = 1;
    return r->stopped;
}

static int sink_ocr_text(void *host, const char *s, size_t n, unsigned page)
{
    struct run *r = host;
    r->ocr_calls++;
    return sink_text(host, s, n, page);
}

static int sink_ocr_wanted(void *host, unsigned page)
{
    struct run *r = host;
    for (const char *p = r->opt->ocr_only; p && *p;) {
        char *end;
        if (strtoul(p, &end, 10) == page)
            return 1;
        p = *end == ',' ? end + 1 : "";
    }
    return r->opt->ocr_only == NULL;
}

static void sink_ocr_needed(void *host, unsigned page)
{
    struct run *r = host;
    json_array_append_new(r->ocr_needed, json_integer(page));
}

static void sink_log(void *host, enum fouille_log_level level,
                     const char *fmt, ...)
{
    struct run *r = host;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (json_array_size(r->log) < 50)
        json_array_append_new(
            r->log, json_pack("{s:i,s:o}", "level", (int)level, "message",
                              json_text(msg, strlen(msg))));
}

static size_t sink_budget(void *host)
{
    struct run *r = host;
    return r->opt->budget > r->len ? r->opt->budget - r->len : 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
           c == '\v';
}

static long count_words(const char *s, size_t n)
{
    long w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = is_space((unsigned char)s[i]);
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* A byte that belongs to a word: ASCII letters and digits, and every byte
 * of a multi-byte UTF-8 character (good enough for French words). */
static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* Whether the whole word w occurs in s[0..n). */
static int has_word(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (!wl)
        return 0;
    for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), w, wl));
         p++) {
        int left = p == s || !word_byte((unsigned char)p[-1]);
        int right = (size_t)(p - s) + wl >= n ||
                    !word_byte((unsigned char)p[wl]);
        if (left && right)
            return 1;
    }
    return 0;
}

/* Page n (1-based) of the text: between the (n-1)th and nth \f. */
static void page_span(const struct run *r, unsigned n, const char **start,
                      size_t *len)
{
    const char *p = r->text ? r->text : "", *end = p + r->len;
    for (unsigned i = 1; i < n && p < end; i++) {
        const char *f = memchr(p, '\f', (size_t)(end - p));
        p = f ? f + 1 : end;
    }
    const char *f = memchr(p, '\f', (size_t)(end - p));
    *start = p;
    *len = (size_t)((f ? f : end) - p);
}

struct loaded {
    void *dl;
    const struct fouille_plugin *p;
    char path[4096];
};

static int name_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return 0;
    return 1;
}

/* Load and check the ABI; on failure print a JSON error and return -1. */
static int load_plugin(const char *arg, struct loaded *L)
{
    const char *dir = getenv("FOUILLE_PLUGIN_DIR");
    size_t n = strlen(arg);
    char err[512] = "";
    if (!strchr(arg, '/') && dir)
        snprintf(L->path, sizeof L->path, "%s/%s%s", dir, arg,
                 n > 3 && !strcmp(arg + n - 3, ".so") ? "" : ".so");
    else if (n > 3 && !strcmp(arg + n - 3, ".la")) {
        const char *slash = strrchr(arg, '/');
        int dlen = slash ? (int)(slash - arg + 1) : 0;
        snprintf(L->path, sizeof L->path, "%.*s.libs/%.*s.so", dlen, arg,
                 (int)(n - 3 - (size_t)dlen), arg + dlen);
    } else
        snprintf(L->path, sizeof L->path, "%s", arg);

    setenv("OMP_THREAD_LIMIT", "1", 0); /* as the host does: extract.c */
    L->dl = dlopen(L->path, RTLD_NOW | RTLD_LOCAL);
    if (!L->dl) {
        snprintf(err, sizeof err, "dlopen: %s", dlerror());
        goto fail;
    }
    const struct fouille_plugin *(*entry)(void);
    *(void **)&entry = dlsym(L->dl, FOUILLE_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        snprintf(err, sizeof err, "no %s symbol", FOUILLE_PLUGIN_ENTRY_SYMBOL);
        goto fail;
    }
    L->p = entry();
    if (!L->p) {
        snprintf(err, sizeof err, "entry returned NULL");
        goto fail;
    }
    if (L->p->abi_version != FOUILLE_PLUGIN_ABI_VERSION) {
        snprintf(err, sizeof err, "ABI version %u, host has %u",
                 (unsigned)L->p->abi_version, FOUILLE_PLUGIN_ABI_VERSION);
        goto fail;
    }
    if (L->p->struct_size < sizeof(struct fouille_plugin)) {
        snprintf(err, sizeof err, "struct_size %u < %zu",
                 (unsigned)L->p->struct_size, sizeof(struct fouille_plugin));
        goto fail;
    }
    if (!name_ok(L->p->name) || !L->p->version || !L->p->mime_types ||
        !L->p->mime_types[0] || !L->p->extract) {
        snprintf(err, sizeof err, "bad declaration (name, version, "
                                  "mime_types or extract)");
        goto fail;
    }
    for (const char *const *e = L->p->extensions; e && *e; e++)
        for (const char *c = *e; *c; c++)
            if (*c == '.' || (*c >= 'A' && *c <= 'Z')) {
                snprintf(err, sizeof err, "extension '%s' not lowercase "
                                          "without a dot", *e);
                goto fail;
            }
    return 0;
fail:;
    json_t *j = json_pack("{s:s,s:s}", "error", err, "plugin", L->path);
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
    return -1;
}

/* Redirection of stdout/stderr into a temporary file while plugin code
 * runs, to catch a plugin that prints. */
struct capture {
    FILE *tmp;
    int saved[2];
};

static void capture_start(struct capture *c)
{
    fflush(stdout);
    fflush(stderr);
    c->tmp = tmpfile();
    c->saved[0] = c->saved[1] = -1;
    if (!c->tmp)
        return;
    c->saved[0] = dup(1);
    dup2(fileno(c->tmp), 1);
    if (CAPTURE_STDERR) {
        c->saved[1] = dup(2);
        dup2(fileno(c->tmp), 2);
    }
}

/* Returns the number of bytes written meanwhile; copies the first ones to
 * head. */
static long capture_stop(struct capture *c, char *head, size_t headsz)
{
    long n = 0;
    head[0] = '\0';
    if (!c->tmp)
        return 0;
    fflush(stdout);
    fflush(stderr);
    dup2(c->saved[0], 1);
    close(c->saved[0]);
    if (c->saved[1] >= 0) {
        dup2(c->saved[1], 2);
        close(c->saved[1]);
    }
    struct stat st;
    if (fstat(fileno(c->tmp), &st) == 0)
        n = (long)st.st_size;
    if (n > 0) {
        ssize_t k = pread(fileno(c->tmp), head, headsz - 1, 0);
        head[k > 0 ? k : 0] = '\0';
    }
    fclose(c->tmp);
    return n;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct result {
    struct run r;
    int status;
    long stray;
    char stray_head[256];
    int fd_closed;
    double ms;
    long rss_kb;
};

static int run_once(const struct loaded *L, const char *file,
                    const struct options *opt, struct result *res)
{
    memset(res, 0, sizeof *res);
    res->r.opt = opt;
    res->r.log = json_array();
    res->r.ocr_needed = json_array();
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "plugin-run: %s: %s\n", file, strerror(errno));
        return -1;
    }
    struct fouille_sink sink = {
        .abi_version = FOUILLE_PLUGIN_ABI_VERSION,
        .struct_size = sizeof sink,
        .host = &res->r,
        .field = sink_field,
        .text = sink_text,
        .log = sink_log,
        .text_budget = sink_budget,
        .max_pages = opt->max_pages,
        .max_inflated_bytes = opt->max_inflated,
        .ocr_pages = opt->ocr_pages,
        .ocr_time_ms = opt->ocr_time_ms,
        .ocr_dpi = opt->ocr_dpi,
        .ocr_min_confidence = opt->ocr_min_confidence,
        .ocr_text = sink_ocr_text,
        .ocr_needed = sink_ocr_needed,
        .ocr_only = opt->ocr_only != NULL,
        .ocr_wanted = sink_ocr_wanted,
    };
    /* The worker's own zip reader and charset decoder. */
    fouille__zip_services(&sink);
    fouille__charset_services(&sink);
    if (opt->sink_size)
        sink.struct_size = opt->sink_size;
    const char *mime = opt->mime ? opt->mime : L->p->mime_types[0];
    struct capture cap;
    capture_start(&cap);
    double t0 = now_ms();
    res->status = L->p->extract(fd, mime, &sink);
    res->ms = now_ms() - t0;
    res->stray = capture_stop(&cap, res->stray_head, sizeof res->stray_head);
    res->fd_closed = fcntl(fd, F_GETFD) < 0;
    if (!res->fd_closed)
        close(fd);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        res->rss_kb = ru.ru_maxrss;
    return 0;
}

static void result_free(struct result *res)
{
    free(res->r.text);
    for (int i = 0; i < FOUILLE_FIELD_COUNT_; i++)
        free(res->r.fields[i]);
    json_decref(res->r.log);
    json_decref(res->r.ocr_needed);
}

static const char *status_name(int s)
{
    return s >= 0 && s <= FOUILLE_E_FAILED ? status_names[s] : "INVALID";
}

static json_t *result_json(const struct loaded *L, const char *file,
                           const struct result *res, long text_bytes)
{
    const struct run *r = &res->r;
    json_t *fields = json_object();
    for (int i = 0; i < FOUILLE_FIELD_COUNT_; i++)
        if (r->fields[i])
            json_object_set_new(fields, field_names[i],
                                json_text(r->fields[i], r->field_len[i]));
    size_t show = r->len;
    if (text_bytes >= 0 && (size_t)text_bytes < show) {
        show = (size_t)text_bytes;
        while (show > 0 && ((unsigned char)r->text[show] & 0xC0) == 0x80)
            show--;
    }
    const char *slash = strrchr(file, '/');
    json_t *out = json_pack(
        "{s:{s:s,s:s},s:s,s:s,s:i,s:o,s:i,s:I,s:I,s:b,s:o,s:o,"
        "s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:b},s:f,s:I}",
        "plugin", "name", L->p->name, "version", L->p->version, "file",
        slash ? slash + 1 : file, "status", status_name(res->status),
        "status_code", res->status, "fields", fields, "pages", (int)r->pages,
        "text_bytes", (json_int_t)r->len, "words",
        (json_int_t)count_words(r->text ? r->text : "", r->len), "truncated",
        r->truncated, "text", json_text(r->text ? r->text : "", show), "log",
        json_deep_copy(r->log), "checks", "invalid_utf8",
        (json_int_t)r->invalid_utf8, "page_order_errors",
        (json_int_t)r->page_order, "text_calls_after_stop",
        (json_int_t)r->after_stop, "formfeeds", (json_int_t)r->formfeeds,
        "bad_fields", (json_int_t)(r->bad_field + r->null_text),
        "stray_output_bytes", (json_int_t)res->stray, "text_calls",
        (json_int_t)r->text_calls, "stray_output", res->stray_head,
        "fd_closed", res->fd_closed, "elapsed_ms", res->ms,
        "max_rss_kb", (json_int_t)res->rss_kb);
    if (out) {
        json_object_set_new(out, "ocr_needed", json_deep_copy(r->ocr_needed));
        json_object_set_new(out, "ocr_text_calls",
                            json_integer((json_int_t)r->ocr_calls));
    }
    return out;
}

/* --- expectations --- */

static int failures;

static void tap(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void tap(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;
    printf("%sok - %s: ", ok ? "" : "not ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if (!ok)
        failures++;
}

static void diag_text(const struct run *r)
{
    size_t n = r->len < 300 ? r->len : 300;
    printf("# text (%zu bytes): ", r->len);
    for (size_t i = 0; i < n; i++)
        putchar(r->text[i] == '\n' ? ' ' : r->text[i]);
    putchar('\n');
}

static void check_case(const char *name, json_t *exp, const struct result *res)
{
    const struct run *r = &res->r;
    const char *text = r->text ? r->text : "";
    json_t *v, *item;
    const char *key;
    size_t i;

    /* The contract, always. */
    tap(r->invalid_utf8 == 0, name, "emitted strings are valid UTF-8");
    tap(r->page_order == 0, name, "pages in increasing order");
    tap(r->after_stop == 0, name, "no text call after the sink said stop");
    tap(r->formfeeds == 0 && r->bad_field == 0 && r->null_text == 0, name,
        "no form feed, no bad field, no NULL text");
    tap(res->stray == 0, name, "nothing printed (%ld bytes: %s)", res->stray,
        res->stray_head);
    tap(!res->fd_closed, name, "descriptor left open");

    if ((v = json_object_get(exp, "status"))) {
        int ok = 0;
        const char *got = status_name(res->status);
        if (json_is_string(v))
            ok = !strcmp(json_string_value(v), got);
        json_array_foreach(v, i, item) ok |=
            json_is_string(item) && !strcmp(json_string_value(item), got);
        char *want = json_dumps(v, JSON_ENCODE_ANY);
        tap(ok, name, "status %s (want %s)", got, want);
        free(want);
        if (!ok) {
            printf("# log: ");
            json_dumpf(r->log, stdout, 0);
            putchar('\n');
        }
    }
    json_object_foreach(json_object_get(exp, "fields"), key, v)
    {
        int f = -1;
        for (int k = 0; k < FOUILLE_FIELD_COUNT_; k++)
            if (!strcmp(field_names[k], key))
                f = k;
        const char *got = f >= 0 ? r->fields[f] : NULL;
        if (json_is_null(v))
            tap(f >= 0 && !got, name, "no %s (got '%s')", key,
                got ? got : "");
        else
            tap(got && !strcmp(got, json_string_value(v)), name,
                "%s is '%s' (got '%s')", key, json_string_value(v),
                got ? got : "(none)");
    }
    json_object_foreach(json_object_get(exp, "fields_prefix"), key, v)
    {
        const char *got = NULL, *want = json_string_value(v);
        for (int k = 0; k < FOUILLE_FIELD_COUNT_; k++)
            if (!strcmp(field_names[k], key))
                got = r->fields[k];
        tap(got && want && !strncmp(got, want, strlen(want)), name,
            "%s starts with '%s' (got '%s')", key, want ? want : "",
            got ? got : "(none)");
    }
    int text_ok = 1;
    json_array_foreach(json_object_get(exp, "contains"), i, v)
    {
        int ok = json_is_string(v) && strstr(text, json_string_value(v));
        tap(ok, name, "text contains '%s'", json_string_value(v));
        text_ok &= ok;
    }
    json_array_foreach(json_object_get(exp, "absent"), i, v)
    {
        int ok = json_is_string(v) && !strstr(text, json_string_value(v));
        tap(ok, name, "text lacks '%s'", json_string_value(v));
        text_ok &= ok;
    }
    json_array_foreach(json_object_get(exp, "words"), i, v)
    {
        int ok = has_word(text, r->len, json_string_value(v));
        tap(ok, name, "word '%s' present", json_string_value(v));
        text_ok &= ok;
    }
    json_array_foreach(json_object_get(exp, "no_words"), i, v)
    {
        int ok = !has_word(text, r->len, json_string_value(v));
        tap(ok, name, "word '%s' absent", json_string_value(v));
        text_ok &= ok;
    }
    json_object_foreach(json_object_get(exp, "on_page"), key, v)
    {
        const char *ps;
        size_t pl;
        unsigned p = (unsigned)json_integer_value(v);
        page_span(r, p, &ps, &pl);
        int ok = has_word(ps, pl, key);
        tap(ok, name, "'%s' on page %u", key, p);
        text_ok &= ok;
    }
    if ((v = json_object_get(exp, "pages")))
        tap(r->pages == json_integer_value(v), name, "%u pages (want %lld)",
            r->pages, (long long)json_integer_value(v));
    if ((v = json_object_get(exp, "pages_max")))
        tap(r->pages <= json_integer_value(v), name, "%u pages <= %lld",
            r->pages, (long long)json_integer_value(v));
    long words = count_words(text, r->len);
    if ((v = json_object_get(exp, "words_min")))
        tap(words >= json_integer_value(v), name, "%ld words >= %lld", words,
            (long long)json_integer_value(v));
    if ((v = json_object_get(exp, "words_max")))
        tap(words <= json_integer_value(v), name, "%ld words <= %lld", words,
            (long long)json_integer_value(v));
    if ((v = json_object_get(exp, "text_bytes_max")))
        tap(r->len <= (size_t)json_integer_value(v), name,
            "%zu text bytes <= %lld", r->len,
            (long long)json_integer_value(v));
    if ((v = json_object_get(exp, "empty")))
        tap((words == 0) == json_is_true(v), name, "text %s (%ld words)",
            json_is_true(v) ? "empty" : "not empty", words);
    if ((v = json_object_get(exp, "elapsed_ms_max")))
        tap(res->ms <= (double)json_integer_value(v), name,
            "took %.0f ms <= %lld", res->ms, (long long)json_integer_value(v));
    if ((v = json_object_get(exp, "max_rss_mb")) && !CAPTURE_STDERR)
        /* AddressSanitizer's shadow memory and quarantine swamp the
         * figure. */
        tap(1, name, "peak RSS %ld MB # SKIP not meaningful under "
                     "AddressSanitizer", res->rss_kb / 1024);
    else if (v)
        tap(res->rss_kb / 1024 <= json_integer_value(v), name,
            "peak RSS %ld MB <= %lld", res->rss_kb / 1024,
            (long long)json_integer_value(v));
    if (!text_ok)
        diag_text(r);
}

/* The struct_size of a host whose sink ends with member m; 0 if unknown. */
static uint32_t sink_size_upto(const char *m)
{
#define UPTO(f) offsetof(struct fouille_sink, f) + sizeof(((struct fouille_sink *)0)->f)
    if (m && !strcmp(m, "max_inflated_bytes"))
        return UPTO(max_inflated_bytes);
    if (m && !strcmp(m, "ocr_needed"))
        return UPTO(ocr_needed);
    if (m && !strcmp(m, "zip_close"))
        return UPTO(zip_close);
    if (m && !strcmp(m, "decode_charset"))
        return UPTO(decode_charset);
    return 0;
#undef UPTO
}

static void apply_options(json_t *o, struct options *opt)
{
    json_t *v;
    if ((v = json_object_get(o, "budget")))
        opt->budget = (size_t)json_integer_value(v);
    if ((v = json_object_get(o, "max_pages")))
        opt->max_pages = (unsigned)json_integer_value(v);
    if ((v = json_object_get(o, "max_inflated")))
        opt->max_inflated = (uint64_t)json_integer_value(v);
    if ((v = json_object_get(o, "stop_after")))
        opt->stop_after = (long)json_integer_value(v);
    if ((v = json_object_get(o, "mime")))
        opt->mime = json_string_value(v);
    if ((v = json_object_get(o, "sink_end")))
        opt->sink_size = sink_size_upto(json_string_value(v));
}

static int write_text(const char *path, const struct run *r)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (r->len)
        fwrite(r->text, 1, r->len, f);
    fputc('\f', f);
    return fclose(f);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: plugin-run [--mime TYPE] [--budget BYTES] [--max-pages N]"
            " [--max-inflated BYTES]\n"
            "                  [--stop-after N] [--text-bytes N] "
            "[--text-out FILE]\n"
            "                  [--expect FILE|JSON] [--name NAME] "
            "PLUGIN FILE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct options opt = {NULL, 8u << 20, 2000, 256u << 20, -1, 0, 300, 40, 0,
                          0, NULL};
    long text_bytes = 400;
    const char *text_out = NULL, *expect = NULL, *name = NULL;
    int i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        const char *o = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *a = argv[++i];
        if (!strcmp(o, "--mime"))
            opt.mime = a;
        else if (!strcmp(o, "--budget"))
            opt.budget = strtoull(a, NULL, 0);
        else if (!strcmp(o, "--max-pages"))
            opt.max_pages = (unsigned)strtoul(a, NULL, 0);
        else if (!strcmp(o, "--max-inflated"))
            opt.max_inflated = strtoull(a, NULL, 0);
        else if (!strcmp(o, "--stop-after"))
            opt.stop_after = strtol(a, NULL, 0);
        else if (!strcmp(o, "--text-bytes"))
            text_bytes = strtol(a, NULL, 0);
        else if (!strcmp(o, "--text-out"))
            text_out = a;
        else if (!strcmp(o, "--expect"))
            expect = a;
        else if (!strcmp(o, "--name"))
            name = a;
        else if (!strcmp(o, "--ocr-languages"))
            setenv("FOUILLE_OCR_LANGUAGES", a, 1);
        else if (!strcmp(o, "--ocr-pages"))
            opt.ocr_pages = (unsigned)strtoul(a, NULL, 0);
        else if (!strcmp(o, "--ocr-only"))
            opt.ocr_only = a;
        else if (!strcmp(o, "--ocr-dpi"))
            opt.ocr_dpi = (unsigned)strtoul(a, NULL, 0);
        else if (!strcmp(o, "--ocr-min-confidence"))
            opt.ocr_min_confidence = (unsigned)strtoul(a, NULL, 0);
        else if (!strcmp(o, "--ocr-time-ms"))
            opt.ocr_time_ms = (unsigned)strtoul(a, NULL, 0);
        else if (!strcmp(o, "--sink-end")) {
            opt.sink_size = sink_size_upto(a);
            if (!opt.sink_size)
                usage();
        } else
            usage();
    }
    if (argc - i != 2)
        usage();
    const char *file = argv[i + 1];
    if (!name) {
        const char *s = strrchr(file, '/');
        name = s ? s + 1 : file;
    }

    json_t *exp = NULL;
    if (expect) {
        json_error_t je;
        exp = expect[0] == '{' ? json_loads(expect, 0, &je)
                               : json_load_file(expect, 0, &je);
        if (!exp) {
            printf("not ok - %s: expectations parse (%s: %s)\n", name,
                   expect[0] == '{' ? "inline" : expect, je.text);
            return 1;
        }
    }

    struct loaded L;
    memset(&L, 0, sizeof L);
    if (load_plugin(argv[i], &L) < 0) {
        if (exp)
            printf("not ok - %s: plugin %s loads\n", name, argv[i]);
        return 2;
    }
    if (L.p->init) {
        struct capture cap;
        char head[256];
        capture_start(&cap);
        int rc = L.p->init();
        long stray = capture_stop(&cap, head, sizeof head);
        if (rc != 0 || stray) {
            printf("{\"error\": \"init failed (%d) or printed %ld bytes\"}\n",
                   rc, stray);
            if (exp)
                printf("not ok - %s: init\n", name);
            return 2;
        }
    }

    int rc = 0;
    if (!exp) {
        struct result res;
        if (run_once(&L, file, &opt, &res) < 0)
            return 2;
        json_t *j = result_json(&L, file, &res, text_bytes);
        json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(j);
        if (text_out && write_text(text_out, &res.r) < 0) {
            fprintf(stderr, "plugin-run: %s: %s\n", text_out, strerror(errno));
            rc = 2;
        }
        result_free(&res);
    } else {
        json_t *cases = json_object_get(exp, "cases"), *one = NULL;
        if (!cases) {
            cases = one = json_array();
            json_array_append(one, exp);
        }
        size_t k;
        json_t *c;
        json_array_foreach(cases, k, c)
        {
            struct options o = opt;
            struct result res;
            char cname[512];
            apply_options(json_object_get(c, "options"), &o);
            if (json_array_size(cases) > 1)
                snprintf(cname, sizeof cname, "%s [%zu]", name, k + 1);
            else
                snprintf(cname, sizeof cname, "%s", name);
            if (run_once(&L, file, &o, &res) < 0) {
                printf("not ok - %s: open the file\n", cname);
                failures++;
                continue;
            }
            check_case(cname, c, &res);
            if (text_out && k == 0)
                write_text(text_out, &res.r);
            result_free(&res);
        }
        json_decref(one);
        rc = failures ? 1 : 0;
    }
    if (L.p->fini) {
        struct capture cap;
        char head[256];
        capture_start(&cap);
        L.p->fini();
        if (capture_stop(&cap, head, sizeof head)) {
            printf("not ok - %s: fini printed: %s\n", name, head);
            rc = 1;
        } else if (exp) {
            printf("ok - %s: fini\n", name);
        }
    }
    /* dlclose only when asked: unloading hides the plugin's symbols from
     * LeakSanitizer reports. */
    if (getenv("PLUGIN_RUN_DLCLOSE"))
        dlclose(L.dl);
    json_decref(exp);
    return rc;
}
