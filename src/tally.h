/* tally.h -- counters of an indexing run, by outcome, reason and format,
 * printed by `fouille index` and reported by the daemon's /stats. */
#ifndef FOUILLE_TALLY_H
#define FOUILLE_TALLY_H

#include <stdint.h>
#include <stdio.h>

#define FOUILLE__TALLY_KEYS 64

struct fouille__count {
    char key[80];
    uint64_t n;
};

struct fouille__tally {
    uint64_t seen, indexed, unchanged, failed, deleted, truncated, no_text;
    uint64_t bytes; /* bytes of files extracted */
    /* OCR: documents recognised, pages recognised, documents whose
     * recognised text came from the cache, OCR passes that read only the
     * pages their first pass listed, seconds of recognition. */
    uint64_t ocr_documents, ocr_pages, ocr_cached, ocr_page_passes;
    double ocr_seconds;
    struct fouille__count reasons[FOUILLE__TALLY_KEYS];
    struct fouille__count formats_ok[FOUILLE__TALLY_KEYS];
    struct fouille__count formats_failed[FOUILLE__TALLY_KEYS];
};

/* Add n under key (the last slot collects overflow as "other"). */
void fouille__count_add(struct fouille__count *v, const char *key,
                        uint64_t n);

/* The short format name of a MIME type ("pdf", "html", "markdown",
 * "docx", "text", else the subtype). */
void fouille__format_name(const char *mime, const char *path, char *out,
                          size_t len);

#endif
