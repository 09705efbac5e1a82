/* text.c -- the plain-text extractor plugin.
 *
 * Streams the file in chunks and emits it as UTF-8 text without pages.
 * Encoding, decided without reading the whole file:
 *  - a UTF-8 BOM is stripped and selects UTF-8; a UTF-16 BOM (LE or BE)
 *    selects UTF-16;
 *  - otherwise the text is ASCII until its first non-ASCII byte; the rest of
 *    the chunk that holds it is then checked: valid UTF-8 (or at least one
 *    valid multi-byte character per four invalid bytes) selects UTF-8, else
 *    Windows-1252 (a superset of the printable part of ISO-8859-1, which is
 *    what "Latin-1" files really hold);
 *  - in UTF-8 mode a stray invalid byte further on (a Latin-1 fragment pasted
 *    into a UTF-8 file) is decoded as Windows-1252 rather than dropped.
 *  - without a BOM, the layout of the first chunk's NUL bytes may say
 *    UTF-16LE or BE (textsniff.h);
 * Binary data is refused (FOUILLE_E_UNSUPPORTED), whatever the file is
 * named: see textsniff.h.
 * Line ends are normalised to \n (CRLF and lone CR). Form feeds and vertical
 * tabs become newlines (the host uses \f to mark page boundaries), other
 * control characters but tab become spaces (NUL too: it separates words in
 * lists written by programs), DEL is dropped.
 *
 * Limits: input is read only while the host's text budget lasts (a chunk at
 * a time), so memory stays at a few chunks whatever the file size. No title
 * is reported: the host uses the file name.
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include "textsniff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
/* Worst case: every input byte becomes 3 output bytes (Windows-1252 → BMP). */
#define OUT_MAX (CHUNK * 3 + 16)

enum encoding { ENC_ASCII, ENC_UTF8, ENC_CP1252, ENC_UTF16LE, ENC_UTF16BE };

/* Windows-1252 0x80–0x9F; the five undefined bytes map to U+FFFD. */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

struct state {
    enum encoding enc;
    int after_cr; /* the last character was a CR turned into \n */
    char *out;
    size_t len;
};

static void put_cp(struct state *st, unsigned long cp)
{
    char *o = st->out + st->len;
    if (cp == '\n' && st->after_cr) {
        st->after_cr = 0;
        return;
    }
    st->after_cr = cp == '\r';
    if (cp == '\r' || cp == '\f' || cp == '\v')
        cp = '\n';
    else if (cp == 0x7F)
        return;
    else if (cp < 0x20 && cp != '\t' && cp != '\n')
        cp = ' ';
    if (cp < 0x80) {
        o[0] = (char)cp;
        st->len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        st->len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        st->len += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        st->len += 4;
    }
}

static unsigned long cp1252(unsigned char b)
{
    return b >= 0x80 && b < 0xA0 ? cp1252_c1[b - 0x80] : b;
}

/* Length of the valid UTF-8 sequence at p (n bytes available): > 0 when
 * valid (*cp set), 0 when p holds the valid start of a sequence cut by the end
 * of the buffer, -1 when invalid. Overlong forms, surrogates and code points
 * above U+10FFFF are invalid. */
static int utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
    unsigned char b = p[0];
    int len;
    unsigned long c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return 0;
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (p[i] & 0x3F);
        /* Reject overlong and out-of-range forms as early as possible. */
        if (i == 1 && ((len == 3 && c < (min >> 6)) ||
                       (len == 4 && (c < (min >> 12) || c > 0x10F))))
            return -1;
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return len;
}

/* Whether p[0..n), the rest of the chunk from the first non-ASCII byte on,
 * reads as UTF-8: no invalid sequence, or at least one valid multi-byte
 * character per four invalid bytes (a UTF-8 file with some stray Latin-1
 * bytes). A sequence cut by the end of the chunk counts as valid when more
 * input follows. */
static int utf8_window_likely(const unsigned char *p, size_t n, int more)
{
    size_t i = 0, valid = 0, invalid = 0;
    unsigned long cp;
    while (i < n) {
        int k = utf8_seq(p + i, n - i, &cp);
        if (k == 0 && more)
            break;
        if (k <= 0) {
            invalid++;
            i++;
        } else {
            valid += k > 1;
            i += (size_t)k;
        }
    }
    return invalid == 0 || (valid > 0 && valid * 4 >= invalid);
}

/* Decode in[0..n) into st->out. Returns the number of bytes consumed: a
 * cut sequence at the end is left for the next chunk unless last is set. */
static size_t decode(struct state *st, const unsigned char *in, size_t n,
                     int last)
{
    size_t i = 0;
    unsigned long cp;
    while (i < n) {
        switch (st->enc) {
        case ENC_UTF16LE:
        case ENC_UTF16BE: {
            if (n - i < 2) {
                if (last) {
                    put_cp(st, 0xFFFD);
                    i = n;
                }
                return i;
            }
            unsigned long u = st->enc == ENC_UTF16LE
                                  ? (unsigned long)in[i] | (in[i + 1] << 8)
                                  : (unsigned long)in[i + 1] | (in[i] << 8);
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (n - i < 4 && !last)
                    return i;
                unsigned long v = 0;
                if (n - i >= 4)
                    v = st->enc == ENC_UTF16LE
                            ? (unsigned long)in[i + 2] | (in[i + 3] << 8)
                            : (unsigned long)in[i + 3] | (in[i + 2] << 8);
                if (v >= 0xDC00 && v <= 0xDFFF) {
                    put_cp(st, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                    i += 4;
                } else {
                    put_cp(st, 0xFFFD);
                    i += 2;
                }
            } else {
                put_cp(st, u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u);
                i += 2;
            }
            break;
        }
        case ENC_ASCII:
            if (in[i] < 0x80) {
                put_cp(st, in[i++]);
                break;
            }
            /* First non-ASCII byte: judge by the rest of this chunk. */
            st->enc = utf8_window_likely(in + i, n - i, !last) ? ENC_UTF8
                                                              : ENC_CP1252;
            break;
        case ENC_UTF8: {
            int k = utf8_seq(in + i, n - i, &cp);
            if (k == 0 && !last)
                return i;
            if (k <= 0) {
                put_cp(st, cp1252(in[i]));
                i++;
            } else {
                put_cp(st, cp);
                i += (size_t)k;
            }
            break;
        }
        case ENC_CP1252:
            put_cp(st, cp1252(in[i++]));
            break;
        }
    }
    return i;
}

static int text_extract(int fd, const char *mime,
                        const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    unsigned char *in = malloc(CHUNK + 8);
    struct state st = {ENC_ASCII, 0, malloc(OUT_MAX), 0};
    int status = FOUILLE_OK;
    off_t off = 0;
    size_t have = 0; /* bytes left over from the previous chunk */
    int first = 1;

    if (!in || !st.out) {
        status = FOUILLE_E_NOMEM;
        goto out;
    }
    for (;;) {
        size_t budget = sink->text_budget(sink->host);
        if (budget == 0) {
            status = FOUILLE_E_STOPPED;
            break;
        }
        /* Never read much more input than the host will take as text. */
        size_t want = CHUNK - have;
        if (want > budget + 8)
            want = budget + 8;
        ssize_t r = pread(fd, in + have, want, off);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            sink->log(sink->host, FOUILLE_LOG_ERR, "read: %s",
                      strerror(errno));
            status = FOUILLE_E_IO;
            break;
        }
        off += r;
        size_t n = have + (size_t)r;
        int last = r == 0;
        size_t start = 0;
        if (first && (n >= 3 || last)) {
            first = 0;
            if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
                st.enc = ENC_UTF8, start = 3;
            } else if (n >= 2 && in[0] == 0xFF && in[1] == 0xFE) {
                st.enc = ENC_UTF16LE, start = 2;
            } else if (n >= 2 && in[0] == 0xFE && in[1] == 0xFF) {
                st.enc = ENC_UTF16BE, start = 2;
            }
            if (st.enc == ENC_ASCII || st.enc == ENC_UTF8) {
                enum textsniff t = textsniff(in + start, n - start);
                if (t == TEXTSNIFF_BINARY) {
                    sink->log(sink->host, FOUILLE_LOG_INFO,
                              "binary data, not text");
                    status = FOUILLE_E_UNSUPPORTED;
                    break;
                }
                if (start == 0 && t != TEXTSNIFF_TEXT)
                    st.enc = t == TEXTSNIFF_UTF16LE ? ENC_UTF16LE : ENC_UTF16BE;
            }
        } else if (first) {
            have = n; /* too short to see a BOM yet */
            continue;
        }
        st.len = 0;
        size_t used = start + decode(&st, in + start, n - start, last);
        if (st.len && sink->text(sink->host, st.out, st.len, 0)) {
            status = FOUILLE_E_STOPPED;
            break;
        }
        if (last)
            break;
        have = n - used;
        memmove(in, in + used, have);
    }
out:
    free(in);
    free(st.out);
    return status;
}

static const char *const text_mime_types[] = {"text/plain", NULL};
static const char *const text_extensions[] = {"txt", "text", NULL};

static const struct fouille_plugin text_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "text",
    .version = "1.0",
    .mime_types = text_mime_types,
    .extensions = text_extensions,
    .init = NULL,
    .fini = NULL,
    .extract = text_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &text_plugin;
}
