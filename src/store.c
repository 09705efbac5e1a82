/* store.c -- see store.h. */
#include "config.h"

#include "store.h"

#include "doctype.h"

#include <stdio.h>
#include <string.h>

/* The index's view of a successful extraction. The strings of d point
 * into x and into type and date, which the caller provides. */
static void fill_doc(const struct fouille__extracted *x,
                     fouille_index_doc_t *d, char type[64], char date[11])
{
    struct fouille__doc *doc = x->doc;
    char year[5] = "";
    date[0] = '\0';
    fouille__doctype(x->path, doc->fields[FOUILLE_FIELD_TYPE], type, 64);
    if (fouille__date_normalise(doc->fields[FOUILLE_FIELD_DATE], date) == 0)
        memcpy(year, date, 4), year[4] = '\0';
    else if (fouille__path_year(x->path, year) == 0)
        snprintf(date, 11, "%s", year);

    *d = (fouille_index_doc_t){
        .path = x->path,
        .signature = x->signature,
        .plugin = x->plugin && x->plugin[0] ? x->plugin : NULL,
        .mime = x->mime,
        .type = type,
        .title = doc->fields[FOUILLE_FIELD_TITLE],
        .author = doc->fields[FOUILLE_FIELD_AUTHOR],
        .date = date[0] ? date : NULL,
        .language = doc->fields[FOUILLE_FIELD_LANGUAGE],
        .description = doc->fields[FOUILLE_FIELD_DESCRIPTION],
        .keywords = doc->fields[FOUILLE_FIELD_KEYWORDS],
        .size = x->size,
        .pages = doc->pages,
        .flags = (doc->flags & ~FOUILLE__DOC_NEEDS_OCR) |
                 (x->private_doc ? FOUILLE_DOC_PRIVATE : 0),
        .text = doc->text.data ? doc->text.data : "",
        .text_len = doc->text.len,
        .ocr_pages = doc->ocr_page_list.len ? doc->ocr_page_list.data : NULL,
    };
}

fouille_index_prepared_t *fouille__store_prepare(
    const struct fouille__extracted *x)
{
    if (x->doc->reason != FOUILLE__REASON_NONE)
        return NULL;
    fouille_index_doc_t d;
    char type[64], date[11];
    fill_doc(x, &d, type, date);
    return fouille_index_prepare(&d);
}

fouille_index_status_t fouille__store(fouille_index_t *idx,
                                      const struct fouille__extracted *x)
{
    return fouille__store_prepared(idx, x, NULL);
}

fouille_index_status_t fouille__store_prepared(
    fouille_index_t *idx, const struct fouille__extracted *x,
    fouille_index_prepared_t *prep)
{
    struct fouille__doc *doc = x->doc;
    const char *plugin = x->plugin && x->plugin[0] ? x->plugin : NULL;

    if (doc->reason != FOUILLE__REASON_NONE) {
        char reason[256];
        fouille__doc_reason(doc, reason, sizeof reason);
        /* An emptied file's text is gone: searching its old words would
         * find what no longer exists. */
        int replace = doc->reason == FOUILLE__REASON_EMPTY;
        return fouille_index_put_failure(idx, x->path, x->signature, x->mime,
                                         plugin, reason, replace);
    }

    fouille_index_status_t st;
    if (prep) {
        st = fouille_index_put_prepared(idx, prep);
    } else {
        fouille_index_doc_t d;
        char type[64], date[11];
        fill_doc(x, &d, type, date);
        st = fouille_index_put(idx, &d);
    }
    if (st == FOUILLE_INDEX_OK && fouille__doc_is_failure(doc)) {
        /* Indexed by its metadata, and listed with the failures ("no
         * text") until the file changes: nothing is indexed silently. */
        char reason[256];
        fouille__doc_reason(doc, reason, sizeof reason);
        st = fouille_index_put_failure(idx, x->path, x->signature, x->mime,
                                       plugin, reason, 0);
    }
    return st;
}
