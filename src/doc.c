/* doc.c -- see doc.h. */
#include "config.h"

#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fouille__reason_str(enum fouille__reason r)
{
    static const char *const names[] = {
#define FOUILLE__REASON_STR_(name, str) str,
        FOUILLE__REASON_MAP(FOUILLE__REASON_STR_)
#undef FOUILLE__REASON_STR_
    };
    if ((unsigned)r >= FOUILLE__REASON_COUNT_)
        return "unknown";
    return names[r];
}

void fouille__doc_init(struct fouille__doc *d) { memset(d, 0, sizeof *d); }

void fouille__doc_clear(struct fouille__doc *d)
{
    for (int i = 0; i < FOUILLE_FIELD_COUNT_; i++)
        free(d->fields[i]);
    fouille__buf_free(&d->text);
    fouille__buf_free(&d->ocr_page_list);
    fouille__doc_init(d);
}

int fouille__doc_is_failure(const struct fouille__doc *d)
{
    return d->reason != FOUILLE__REASON_NONE ||
           (d->flags & FOUILLE__DOC_NO_TEXT);
}

void fouille__doc_reason(const struct fouille__doc *d, char *out, size_t len)
{
    if (d->reason == FOUILLE__REASON_NONE && (d->flags & FOUILLE__DOC_NO_TEXT))
        snprintf(out, len, "no text%s",
                 d->flags & FOUILLE__DOC_NEEDS_OCR ? ": scanned, OCR off"
                 : d->flags & FOUILLE__DOC_OCR    ? ": nothing recognised"
                                                  : "");
    else if (d->detail[0])
        snprintf(out, len, "%s: %s", fouille__reason_str(d->reason),
                 d->detail);
    else
        snprintf(out, len, "%s", fouille__reason_str(d->reason));
}
