/* buf.c -- see buf.h. */
#include "config.h"

#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fouille__buf_reserve(struct fouille__buf *b, size_t extra)
{
    if (extra > (size_t)-1 / 2 - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int fouille__buf_append(struct fouille__buf *b, const void *p, size_t len)
{
    if (fouille__buf_reserve(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int fouille__buf_appendc(struct fouille__buf *b, char c)
{
    return fouille__buf_append(b, &c, 1);
}

int fouille__buf_appendf(struct fouille__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || fouille__buf_reserve(b, (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void fouille__buf_reset(struct fouille__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void fouille__buf_free(struct fouille__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *fouille__buf_steal(struct fouille__buf *b)
{
    if (!b->data && fouille__buf_append(b, "", 0) < 0)
        return NULL;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. Rejects
 * overlongs, surrogates and code points above U+10FFFF (RFC 3629). */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

int fouille__buf_append_utf8(struct fouille__buf *b, const char *src,
                             size_t len, int keep_formfeed)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, run = 0; /* run: start of the pending valid bytes */

    if (fouille__buf_reserve(b, len) < 0)
        return -1;
    while (i < len) {
        unsigned c = s[i];
        size_t n = utf8_seq_len(s + i, len - i);
        const char *repl = NULL;
        if (n == 0)
            repl = "\xEF\xBF\xBD", n = 1;
        else if (c < 0x20 && c != '\t' && c != '\n' &&
                 !(c == '\f' && keep_formfeed))
            repl = c == '\f' || c == '\r' ? "\n" : " ";
        else if (c == 0x7F)
            repl = " ";
        if (repl) {
            if (fouille__buf_append(b, s + run, i - run) < 0 ||
                fouille__buf_append(b, repl, strlen(repl)) < 0)
                return -1;
            i += n;
            run = i;
        } else
            i += n;
    }
    return fouille__buf_append(b, s + run, i - run);
}

char *fouille__utf8_dup(const char *src, size_t len)
{
    struct fouille__buf b = {0};
    if (fouille__buf_append_utf8(&b, src, len, 0) < 0) {
        fouille__buf_free(&b);
        return NULL;
    }
    return fouille__buf_steal(&b);
}

int fouille__utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(u + i, len - i);
        if (n == 0 || u[i] == 0)
            return 0;
        i += n;
    }
    return 1;
}
