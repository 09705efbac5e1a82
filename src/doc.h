/* doc.h -- a document as extracted by a plugin, before it is indexed.
 * Also the unit the worker sends back to the parent (see frame.h). */
#ifndef FOUILLE_DOC_H
#define FOUILLE_DOC_H

#include "buf.h"
#include "fouille-plugin.h"

#include <stdint.h>

/* Failure reasons, as recorded in the index and shown to users. */
#define FOUILLE__REASON_MAP(X)                                                \
    X(NONE, "")                                                               \
    X(UNSUPPORTED, "unsupported")                                             \
    X(EMPTY, "empty file")                                                    \
    X(TOO_LARGE, "file too large")                                            \
    X(MALFORMED, "malformed")                                                 \
    X(ENCRYPTED, "encrypted")                                                 \
    X(LIMIT, "limit exceeded")                                                \
    X(NOMEM, "memory limit")                                                  \
    X(IO, "read error")                                                       \
    X(FAILED, "extraction failed")                                            \
    X(TIMEOUT, "timeout")                                                     \
    X(CPU, "cpu limit")                                                       \
    X(CRASHED, "crashed")                                                     \
    X(PROTOCOL, "worker protocol error")                                      \
    X(TOO_MUCH_TEXT, "too much text")                                         \
    X(UNREADABLE, "unreadable")                                               \
    X(FORBIDDEN, "sandbox violation")

enum fouille__reason {
#define FOUILLE__REASON_ENUM_(name, str) FOUILLE__REASON_##name,
    FOUILLE__REASON_MAP(FOUILLE__REASON_ENUM_)
#undef FOUILLE__REASON_ENUM_
    FOUILLE__REASON_COUNT_
};

const char *fouille__reason_str(enum fouille__reason r);

/* Flags (same bits as the index's FOUILLE_DOC_*). */
#define FOUILLE__DOC_TRUNCATED 0x1u
#define FOUILLE__DOC_NO_TEXT 0x2u
#define FOUILLE__DOC_OCR 0x4u       /* holds recognised text */
#define FOUILLE__DOC_NEEDS_OCR 0x8u /* pages left for the OCR pass; never
                                     * stored in the index */

struct fouille__doc {
    char *fields[FOUILLE_FIELD_COUNT_]; /* valid UTF-8 or NULL */
    struct fouille__buf text;           /* pages separated by '\f' */
    unsigned pages;                     /* last page number seen */
    unsigned flags;
    unsigned ocr_pages;                 /* pages recognised */
    struct fouille__buf ocr_page_list;  /* which: "1-3,5" */
    struct fouille__buf ocr_needed_list; /* pages the plugin asked to have
                                          * recognised (first pass) */
    char content_hash[65];              /* SHA-256 (hex) of a file with
                                         * pages to recognise, or "" */
    enum fouille__reason reason;        /* NONE when extraction succeeded */
    char detail[160];                   /* e.g. "SIGSEGV" for CRASHED */
};

void fouille__doc_init(struct fouille__doc *d);

/* Page lists ("1-3,5": pages in increasing order, consecutive ones as a
 * range). Add page (greater than or equal to the last one; an equal one
 * is not added twice); -1 when memory runs out. */
int fouille__page_list_add(struct fouille__buf *list, unsigned page);
/* Whether list (len bytes, not necessarily NUL-terminated) holds page. */
int fouille__page_list_has(const char *list, size_t len, unsigned page);
/* Whether list is a well-formed page list (what a frame may carry). */
int fouille__page_list_valid(const char *list, size_t len);

/* Join the OCR pass of a document to its first pass (whose text layer
 * the OCR pass did not extract again): a page with recognised words takes
 * them in place of its own scraps of text, as in a whole extraction with
 * OCR; first keeps its fields and the other pages, takes the OCR pass's flags,
 * counts and content hash, and its text stops at text_max bytes
 * (flagged truncated). -1 when memory runs out (first unchanged). */
int fouille__doc_merge_ocr(struct fouille__doc *first,
                           const struct fouille__doc *ocr, size_t text_max);
/* Whether the document is to be listed with the failures: it failed, or
 * it was indexed with no text at all (a scan without OCR). */
int fouille__doc_is_failure(const struct fouille__doc *d);
void fouille__doc_clear(struct fouille__doc *d);
/* "crashed: SIGSEGV", "encrypted", ... into out; for a document indexed
 * without any text, "no text" (it is listed with the failures). */
void fouille__doc_reason(const struct fouille__doc *d, char *out, size_t len);

#endif
