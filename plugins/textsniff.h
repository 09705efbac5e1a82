/* textsniff.h -- what the first bytes of a file in a text format say
 * before it is decoded: UTF-16 laid out without a byte order mark, or
 * binary data that no text format holds. Shared by the text, HTML and
 * Markdown plugins, compiled into each as zipxml.c is into docx and odt. */
#ifndef FOUILLE_TEXTSNIFF_H
#define FOUILLE_TEXTSNIFF_H

#include <stddef.h>

/* How much of the start of a file the judgement needs. */
#define TEXTSNIFF_BYTES (64 * 1024)

enum textsniff {
    TEXTSNIFF_TEXT,    /* decode as the format says (UTF-8, a charset...) */
    TEXTSNIFF_UTF16LE, /* Latin text saved as "Unicode" without its mark */
    TEXTSNIFF_UTF16BE,
    TEXTSNIFF_BINARY   /* not text: refuse it (FOUILLE_E_UNSUPPORTED) */
};

/* Judge p[0..n), the start of a file after any byte order mark (n need
 * not exceed TEXTSNIFF_BYTES). UTF-16: a NUL is the high byte of nearly
 * every code unit of Latin text, and almost never the low one. Binary:
 * more than one byte in a hundred is a control character that text does
 * not hold (C0 but NUL, tab, line and page breaks and escape; and DEL),
 * such as random bytes, which decoded as Windows-1252 would index
 * garbage. A NUL alone does not make data binary: programs separate the
 * words of a list with it. */
enum textsniff textsniff(const unsigned char *p, size_t n);

#endif
