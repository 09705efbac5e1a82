/* buf.h -- a growable byte buffer. */
#ifndef FOUILLE_BUF_H
#define FOUILLE_BUF_H

#include <stddef.h>

struct fouille__buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
};

/* Append len bytes; returns 0, or -1 when memory runs out. */
int fouille__buf_append(struct fouille__buf *b, const void *p, size_t len);
int fouille__buf_appendc(struct fouille__buf *b, char c);
int fouille__buf_appendf(struct fouille__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Make room for extra more bytes (plus the NUL). Returns 0 or -1. */
int fouille__buf_reserve(struct fouille__buf *b, size_t extra);
void fouille__buf_reset(struct fouille__buf *b);
void fouille__buf_free(struct fouille__buf *b);
/* Hand the data over to the caller (who frees it); the buffer is emptied.
 * Never NULL unless memory runs out. */
char *fouille__buf_steal(struct fouille__buf *b);

/* Append src to b as valid UTF-8: invalid sequences become U+FFFD, NUL and
 * C0 controls other than tab, newline and form feed become spaces; when
 * keep_formfeed is 0, form feeds become newlines too. */
int fouille__buf_append_utf8(struct fouille__buf *b, const char *src,
                             size_t len, int keep_formfeed);

/* A malloc'ed, NUL-terminated, valid UTF-8 copy of src[0..len). */
char *fouille__utf8_dup(const char *src, size_t len);

/* Returns 1 when s[0..len) is valid UTF-8 without NUL. */
int fouille__utf8_valid(const char *s, size_t len);

#endif
