/* store.c -- see store.h. */
#include "config.h"

#include "store.h"

#include "doctype.h"

#include <stdio.h>
#include <string.h>

fouille_index_status_t fouille__store(fouille_index_t *idx,
                                      const struct fouille__extracted *x)
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

    char type[64], date[11] = "", year[5] = "";
    fouille__doctype(x->path, doc->fields[FOUILLE_FIELD_TYPE], type,
                     sizeof type);
    if (fouille__date_normalise(doc->fields[FOUILLE_FIELD_DATE], date) == 0)
        memcpy(year, date, 4), year[4] = '\0';
    else if (fouille__path_year(x->path, year) == 0)
        snprintf(date, sizeof date, "%s", year);

    fouille_index_doc_t d = {
        .path = x->path,
        .signature = x->signature,
        .plugin = plugin,
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
    fouille_index_status_t st = fouille_index_put(idx, &d);
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
