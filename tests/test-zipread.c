/* test-zipread.c -- the host services plugins use for containers and
 * charsets (src/zipread.c, src/charset.c), through the sink as a plugin
 * sees them. The archives are built here, with libzip: a bomb, a ratio
 * bomb, parts over the limits, a damaged part, a missing part. */
#include "config.h"

#include "charset.h"
#include "unit.h"
#include "zipread.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <zip.h>

static char log_text[4096];

static void mock_log(void *host, enum fouille_log_level level,
                     const char *fmt, ...)
{
    va_list ap;
    size_t n = strlen(log_text);
    (void)host;
    (void)level;
    va_start(ap, fmt);
    vsnprintf(log_text + n, sizeof log_text - n, fmt, ap);
    va_end(ap);
    n = strlen(log_text);
    if (n + 1 < sizeof log_text)
        strcat(log_text, "\n");
}

static struct fouille_sink make_sink(uint64_t max_inflated)
{
    struct fouille_sink s;
    memset(&s, 0, sizeof s);
    s.abi_version = FOUILLE_PLUGIN_ABI_VERSION;
    s.struct_size = sizeof s;
    s.log = mock_log;
    s.max_inflated_bytes = max_inflated;
    fouille__zip_services(&s);
    fouille__charset_services(&s);
    return s;
}

/* n bytes of text that deflate poorly (about 2:1 at best). */
static char *noise(size_t n, unsigned seed)
{
    char *p = malloc(n);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)('a' + (seed >> 16) % 26);
    }
    return p;
}

struct member {
    const char *name;
    const char *data; /* NULL: size bytes of 'a' */
    size_t size;
};

/* A zip of the members, in a temporary file; returns its descriptor. */
static int make_zip(const struct member *m, size_t n)
{
    char path[] = "/tmp/test-zipread-XXXXXX";
    int fd = mkstemp(path);
    UNIT_CHECK(fd >= 0);
    int err;
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &err);
    UNIT_CHECK(z != NULL);
    for (size_t i = 0; i < n; i++) {
        void *buf = malloc(m[i].size ? m[i].size : 1);
        if (m[i].data)
            memcpy(buf, m[i].data, m[i].size);
        else
            memset(buf, 'a', m[i].size);
        zip_source_t *src = zip_source_buffer(z, buf, m[i].size, 1);
        UNIT_CHECK(src && zip_file_add(z, m[i].name, src, 0) >= 0);
    }
    UNIT_CHECK(zip_close(z) == 0);
    /* libzip wrote a new file in its place: open that one. */
    close(fd);
    fd = open(path, O_RDWR);
    UNIT_CHECK(fd >= 0);
    unlink(path); /* the descriptor keeps it */
    return fd;
}

/* Read member name to the end; returns the bytes read, *status the
 * status of the part (open or close). */
static uint64_t read_member(const struct fouille_sink *s,
                            struct fouille_zip *z, const char *name,
                            uint64_t cap, int *status)
{
    int64_t i = s->zip_locate(z, name, 0);
    struct fouille_zip_part *p = s->zip_part_open(z, i, cap, status);
    uint64_t total = 0;
    if (!p)
        return 0;
    char buf[4096];
    int64_t r;
    while ((r = s->zip_part_read(p, buf, sizeof buf)) > 0)
        total += (uint64_t)r;
    *status = s->zip_part_close(p);
    UNIT_CHECK(r == 0 || *status != FOUILLE_OK);
    return total;
}

static void reads_members(void)
{
    char *text = noise(300000, 1);
    struct member m[] = {{"mimetype", "application/x-test", 18},
                         {"Word/Document.xml", text, 300000}};
    int fd = make_zip(m, 2);
    struct fouille_sink s = make_sink(1 << 20);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(z && st == FOUILLE_OK);
    UNIT_CHECK(s.zip_count(z) == 2);
    UNIT_CHECK_STR(s.zip_name(z, 1), "Word/Document.xml");
    UNIT_CHECK(s.zip_name(z, 2) == NULL && s.zip_name(z, -1) == NULL);
    UNIT_CHECK(s.zip_locate(z, "word/document.xml", 0) == -1);
    UNIT_CHECK(s.zip_locate(z, "word/document.xml", FOUILLE_ZIP_NOCASE) == 1);
    UNIT_CHECK(read_member(&s, z, "Word/Document.xml", 0, &st) == 300000);
    UNIT_CHECK(st == FOUILLE_OK);
    s.zip_close(z);
    UNIT_CHECK(fcntl(fd, F_GETFD) >= 0); /* the plugin's descriptor */
    s.zip_close(NULL);
    close(fd);
    free(text);
}

/* 8 MiB of one letter, built here: refused by its ratio before inflating,
 * even with no size limit at all. */
static void refuses_bomb(void)
{
    struct member m[] = {{"word/document.xml", NULL, 8u << 20}};
    int fd = make_zip(m, 1);
    struct fouille_sink s = make_sink(0);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(z != NULL);
    struct fouille_zip_part *p = s.zip_part_open(z, 0, 0, &st);
    UNIT_CHECK(p == NULL && st == FOUILLE_E_LIMIT);
    UNIT_CHECK(strstr(log_text, "zip bomb") != NULL);
    s.zip_close(z);
    close(fd);
}

/* Under 1 MiB the ratio is not judged; the size limit still holds. */
static void ratio_small_members(void)
{
    struct member m[] = {{"small.xml", NULL, 900000}};
    int fd = make_zip(m, 1);
    struct fouille_sink s = make_sink(1 << 20);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(read_member(&s, z, "small.xml", 0, &st) == 900000);
    UNIT_CHECK(st == FOUILLE_OK);
    s.zip_close(z);
    close(fd);
}

/* The limit covers all members of the archive together, and the plugin's
 * own cap a single member. */
static void size_limits(void)
{
    char *a = noise(6000, 2), *b = noise(6000, 3);
    struct member m[] = {{"a", a, 6000}, {"b", b, 6000}, {"c", "x", 1}};
    int fd = make_zip(m, 3);
    struct fouille_sink s = make_sink(10000);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(read_member(&s, z, "a", 5999, &st) == 0);
    UNIT_CHECK(st == FOUILLE_E_LIMIT);
    UNIT_CHECK(read_member(&s, z, "a", 6000, &st) == 6000);
    UNIT_CHECK(st == FOUILLE_OK);
    UNIT_CHECK(read_member(&s, z, "b", 0, &st) == 0);
    UNIT_CHECK(st == FOUILLE_E_LIMIT);
    UNIT_CHECK(strstr(log_text, "over the 10000-byte limit") != NULL);
    UNIT_CHECK(read_member(&s, z, "c", 0, &st) == 1);
    UNIT_CHECK(st == FOUILLE_OK);
    s.zip_close(z);
    /* Exactly at the limit is fine. */
    s = make_sink(12001);
    z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(read_member(&s, z, "a", 0, &st) == 6000);
    UNIT_CHECK(read_member(&s, z, "b", 0, &st) == 6000);
    UNIT_CHECK(read_member(&s, z, "c", 0, &st) == 1 && st == FOUILLE_OK);
    s.zip_close(z);
    close(fd);
    free(a);
    free(b);
}

/* Offset of the n-th (0-based) occurrence of sig in buf, or -1. */
static long find_sig(const unsigned char *buf, long len, const char *sig,
                     int n)
{
    for (long i = 0; i + 4 <= len; i++)
        if (!memcmp(buf + i, sig, 4) && n-- == 0)
            return i;
    return -1;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A member whose headers claim 100 bytes but that inflates to 500 KB:
 * stopped at the limit, never read past it. */
static void lying_size(void)
{
    struct member m[] = {{"liar.xml", NULL, 500000}};
    int fd = make_zip(m, 1);
    unsigned char buf[8192];
    long len = pread(fd, buf, sizeof buf, 0);
    long local = find_sig(buf, len, "PK\x03\x04", 0);
    long central = find_sig(buf, len, "PK\x01\x02", 0);
    UNIT_CHECK(local >= 0 && central >= 0 && len < (long)sizeof buf);
    put32(buf + local + 22, 100);   /* uncompressed size, local header */
    put32(buf + central + 24, 100); /* and in the central directory */
    UNIT_CHECK(pwrite(fd, buf, (size_t)len, 0) == len);
    struct fouille_sink s = make_sink(50000);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(z != NULL);
    uint64_t n = read_member(&s, z, "liar.xml", 0, &st);
    UNIT_CHECK(n <= 50000);
    UNIT_CHECK(st != FOUILLE_OK);
    s.zip_close(z);
    close(fd);
}

/* Damaged compressed data in a part: MALFORMED at its end, with the
 * bytes read so far; a missing part is absent, and an index out of range
 * is refused. */
static void damaged_and_missing(void)
{
    char *text = noise(200000, 4);
    struct member m[] = {{"content.xml", text, 200000}};
    int fd = make_zip(m, 1);
    off_t size = lseek(fd, 0, SEEK_END);
    unsigned char junk[2048];
    memset(junk, 0xFF, sizeof junk);
    UNIT_CHECK(pwrite(fd, junk, sizeof junk, size / 2) == sizeof junk);
    struct fouille_sink s = make_sink(1 << 20);
    int st;
    struct fouille_zip *z = s.zip_open(&s, fd, &st);
    UNIT_CHECK(z != NULL);
    uint64_t n = read_member(&s, z, "content.xml", 0, &st);
    UNIT_CHECK(st == FOUILLE_E_MALFORMED);
    UNIT_CHECK(n < 200000);
    UNIT_CHECK(s.zip_locate(z, "meta.xml", 0) == -1);
    UNIT_CHECK(s.zip_part_open(z, -1, 0, &st) == NULL &&
               st == FOUILLE_E_MALFORMED);
    UNIT_CHECK(s.zip_part_open(z, 7, 0, &st) == NULL &&
               st == FOUILLE_E_MALFORMED);
    s.zip_close(z);
    close(fd);
    free(text);
}

/* A truncated archive (no central directory) and bytes that are no zip at
 * all are refused at open; the descriptor is left open. */
static void not_a_zip(void)
{
    char *text = noise(20000, 5);
    struct member m[] = {{"content.xml", text, 20000}};
    int fd = make_zip(m, 1);
    off_t size = lseek(fd, 0, SEEK_END);
    UNIT_CHECK(ftruncate(fd, size / 2) == 0);
    struct fouille_sink s = make_sink(1 << 20);
    int st = FOUILLE_OK;
    UNIT_CHECK(s.zip_open(&s, fd, &st) == NULL);
    UNIT_CHECK(st == FOUILLE_E_UNSUPPORTED || st == FOUILLE_E_MALFORMED);
    UNIT_CHECK(ftruncate(fd, 0) == 0);
    UNIT_CHECK(pwrite(fd, "plain text, not a zip\n", 22, 0) == 22);
    UNIT_CHECK(s.zip_open(&s, fd, &st) == NULL);
    UNIT_CHECK(st == FOUILLE_E_UNSUPPORTED);
    UNIT_CHECK(fcntl(fd, F_GETFD) >= 0);
    close(fd);
    free(text);
}

static int64_t decode(const char *cs, const char *in, size_t len, int last,
                      char *out, size_t outsz, size_t *used)
{
    struct fouille_sink s = make_sink(0);
    int64_t n = s.decode_charset(&s, cs, in, len, last, out, outsz, used);
    if (n >= 0 && (size_t)n < outsz)
        out[n] = '\0';
    return n;
}

static void charsets(void)
{
    char out[256];
    size_t used;
    /* Labels as documents write them. */
    UNIT_CHECK(decode("KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", 6, 1, out,
                      sizeof out, &used) == 12);
    UNIT_CHECK_STR(out, "Привет");
    UNIT_CHECK(decode("iso_8859-15", "\xa4 \xe9t\xe9", 5, 1, out, sizeof out,
                      &used) > 0);
    UNIT_CHECK_STR(out, "€ été");
    /* Latin-1 means Windows-1252, as in browsers. */
    decode("ISO-8859-1", "\x93oui\x94 \x80", 7, 1, out, sizeof out, &used);
    UNIT_CHECK_STR(out, "“oui” €");
    decode("Shift_JIS", "\x93\xfa\x96\x7b", 4, 1, out, sizeof out, &used);
    UNIT_CHECK_STR(out, "日本");
    /* Unknown labels are refused: the plugin guesses. */
    UNIT_CHECK(decode("x-unknown", "abc", 3, 1, out, sizeof out, &used) ==
               -1);
    UNIT_CHECK(decode("", "abc", 3, 1, out, sizeof out, &used) == -1);
    UNIT_CHECK(decode("iso-8859-1-and-a-very-long-label-indeed", "abc", 3, 1,
                      out, sizeof out, &used) == -1);
}

static void charset_edges(void)
{
    char out[64];
    size_t used;
    /* A sequence cut by the end waits for the rest, unless last. */
    UNIT_CHECK(decode("utf-8", "caf\xc3", 4, 0, out, sizeof out, &used) == 3);
    UNIT_CHECK(used == 3);
    UNIT_CHECK(decode("utf-8", "caf\xc3", 4, 1, out, sizeof out, &used) == 6);
    UNIT_CHECK(used == 4);
    UNIT_CHECK_STR(out, "caf\xEF\xBF\xBD");
    /* Invalid bytes become U+FFFD, controls spaces (a form feed too). */
    decode("utf-8", "a\xff" "b\x01\f\tc", 7, 1, out, sizeof out, &used);
    UNIT_CHECK_STR(out, "a\xEF\xBF\xBD" "b  \tc");
    /* The output is bounded by its size; used says where to go on. */
    UNIT_CHECK(decode("windows-1252", "\xe9\xe9\xe9\xe9", 4, 1, out, 5,
                      &used) == 4);
    UNIT_CHECK(used == 2);
    /* Each call starts afresh. */
    decode("utf-16le", "h\0i\0", 4, 1, out, sizeof out, &used);
    UNIT_CHECK_STR(out, "hi");
    UNIT_CHECK(used == 4);
}

static const struct unit_case cases[] = {
    {"reads_members", reads_members, 10},
    {"refuses_bomb", refuses_bomb, 10},
    {"ratio_small_members", ratio_small_members, 10},
    {"size_limits", size_limits, 10},
    {"lying_size", lying_size, 10},
    {"damaged_and_missing", damaged_and_missing, 10},
    {"not_a_zip", not_a_zip, 10},
    {"charsets", charsets, 10},
    {"charset_edges", charset_edges, 10},
};

int main(void)
{
    return unit_run(cases, UNIT_COUNT(cases));
}
