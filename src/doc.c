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
    fouille__buf_free(&d->ocr_needed_list);
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

/* The last item of a page list: its first page and where it starts. */
static unsigned last_item(const struct fouille__buf *list, size_t *at)
{
    size_t i = list->len;
    while (i && list->data[i - 1] != ',')
        i--;
    *at = i;
    return (unsigned)strtoul(list->data + i, NULL, 10);
}

int fouille__page_list_add(struct fouille__buf *list, unsigned page)
{
    char item[32];
    if (list->len) {
        size_t at;
        unsigned first = last_item(list, &at);
        const char *dash = memchr(list->data + at, '-', list->len - at);
        unsigned last = dash ? (unsigned)strtoul(dash + 1, NULL, 10) : first;
        if (page <= last)
            return 0;
        if (page == last + 1) {
            list->len = at;
            snprintf(item, sizeof item, "%u-%u", first, page);
            return fouille__buf_append(list, item, strlen(item));
        }
        snprintf(item, sizeof item, ",%u", page);
    } else
        snprintf(item, sizeof item, "%u", page);
    return fouille__buf_append(list, item, strlen(item));
}

int fouille__page_list_has(const char *list, size_t len, unsigned page)
{
    const char *p = list, *end = list + len;
    while (p < end) {
        unsigned long a = 0, b;
        while (p < end && *p >= '0' && *p <= '9')
            a = a * 10 + (unsigned long)(*p++ - '0');
        b = a;
        if (p < end && *p == '-') {
            b = 0;
            for (p++; p < end && *p >= '0' && *p <= '9'; p++)
                b = b * 10 + (unsigned long)(*p - '0');
        }
        if (page >= a && page <= b)
            return 1;
        while (p < end && *p != ',')
            p++;
        p += p < end;
    }
    return 0;
}

int fouille__page_list_valid(const char *list, size_t len)
{
    /* digits, with single separators between numbers */
    int digits = 0;
    for (size_t i = 0; i < len; i++) {
        char c = list[i];
        if (c >= '0' && c <= '9') {
            if (++digits > 9)
                return 0;
        } else if ((c == ',' || c == '-') && digits) {
            digits = 0;
        } else
            return 0;
    }
    return len == 0 || digits > 0;
}

/* The text of page p (1-based) of text, pages separated by '\f'. */
static const char *page_text(const struct fouille__buf *text, unsigned p,
                             size_t *len)
{
    const char *s = text->data, *end = s + text->len;
    for (unsigned i = 1; i < p && s < end; i++) {
        const char *ff = memchr(s, '\f', (size_t)(end - s));
        s = ff ? ff + 1 : end;
    }
    const char *ff = s < end ? memchr(s, '\f', (size_t)(end - s)) : NULL;
    *len = (size_t)((ff ? ff : end) - s);
    return s;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int fouille__doc_merge_ocr(struct fouille__doc *first,
                           const struct fouille__doc *ocr, size_t text_max)
{
    struct fouille__buf out = {0};
    unsigned pages = first->pages > ocr->pages ? first->pages : ocr->pages;
    if (pages == 0)
        pages = 1;
    int truncated = 0;
    for (unsigned p = 1; p <= pages && !truncated; p++) {
        size_t a, b;
        const char *ta = page_text(&first->text, p, &a);
        const char *tb = page_text(&ocr->text, p, &b);
        if (blank(tb, b))
            b = 0;
        else
            a = 0; /* the recognised words replace the page's scraps */
        size_t need = (p > 1) + a + b;
        if (out.len + need > text_max) {
            truncated = 1;
            break;
        }
        if ((p > 1 && fouille__buf_appendc(&out, '\f') < 0) ||
            fouille__buf_append(&out, ta, a) < 0 ||
            fouille__buf_append(&out, tb, b) < 0) {
            fouille__buf_free(&out);
            return -1;
        }
    }
    struct fouille__buf list = {0};
    if (fouille__buf_append(&list, ocr->ocr_page_list.data,
                            ocr->ocr_page_list.len) < 0) {
        fouille__buf_free(&out);
        return -1;
    }
    fouille__buf_free(&first->text);
    first->text = out;
    fouille__buf_free(&first->ocr_page_list);
    first->ocr_page_list = list;
    fouille__buf_free(&first->ocr_needed_list);
    first->pages = pages;
    first->ocr_pages = ocr->ocr_pages;
    memcpy(first->content_hash, ocr->content_hash, sizeof first->content_hash);
    first->flags = (first->flags & ~(FOUILLE__DOC_NEEDS_OCR |
                                     FOUILLE__DOC_NO_TEXT)) |
                   (ocr->flags & (FOUILLE__DOC_OCR | FOUILLE__DOC_TRUNCATED));
    if (truncated)
        first->flags |= FOUILLE__DOC_TRUNCATED;
    int any = 0; /* text other than blanks and form feeds */
    for (size_t i = 0; i < first->text.len && !any; i++)
        any = first->text.data[i] != '\f' && !blank(first->text.data + i, 1);
    if (!any)
        first->flags |= FOUILLE__DOC_NO_TEXT;
    return 0;
}
