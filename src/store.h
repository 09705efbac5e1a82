/* store.h -- write what extraction produced into the index: a document
 * (with its derived type, year and normalised date) or a failure record. */
#ifndef FOUILLE_STORE_H
#define FOUILLE_STORE_H

#include "doc.h"
#include "fouille-index.h"

#include <stdint.h>

struct fouille__extracted {
    const char *path;      /* relative */
    const char *signature;
    uint64_t size;
    const char *mime;
    const char *plugin;    /* "name/version", "" when none */
    struct fouille__doc *doc;
    int private_doc;       /* staff only (view.h) */
};

/* Store one extraction result. A failure keeps the document previously
 * indexed at that path (a damaged new version does not erase the last
 * good one: its hits say "stale") but records the reason and signature;
 * an emptied file has no text left to keep, and only its failure record
 * stays. Returns the index status. */
fouille_index_status_t fouille__store(fouille_index_t *idx,
                                      const struct fouille__extracted *x);

/* The analysis of fouille__store(), on any thread (fouille_index_prepare):
 * NULL for a failure record (nothing to analyse) or when out of memory,
 * and fouille__store_prepared() then does it all. */
fouille_index_prepared_t *fouille__store_prepare(
    const struct fouille__extracted *x);

/* fouille__store() with the analysis done by fouille__store_prepare()
 * (prep may be NULL). prep is spent: free it after. */
fouille_index_status_t fouille__store_prepared(
    fouille_index_t *idx, const struct fouille__extracted *x,
    fouille_index_prepared_t *prep);

#endif
