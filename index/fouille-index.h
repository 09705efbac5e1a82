/* fouille-index.h -- the C API over fouille's Xapian index.
 *
 * This header is the reference manual of the index. It is the only way C
 * code reaches Xapian: the implementation (the .cc files of index/)
 * catches every C++ exception at the boundary and turns it into a status
 * code, keeping the message for fouille_index_last_error().
 *
 * Conventions (as notmuch's library):
 *  - Every function returns a fouille_index_status_t and hands results out
 *    through out-parameters, which are set to NULL (or 0) on failure.
 *  - Handles are opaque. Every _open/_search has a _close/_destroy that
 *    accepts NULL.
 *  - A handle is used by one thread at a time. Open one read handle per
 *    query thread; one write handle per database (Xapian allows one writer).
 *  - Strings in and out are UTF-8, NUL-terminated.
 *
 * Document model: one Xapian document per file, identified by its path
 * relative to the documents root. Besides indexed documents the index also
 * records files that failed (with the reason) or that no plugin handles, so
 * that they are retried only when the file, or the plugin for its type,
 * changes. Such records never appear in search results.
 *
 * French analysis: body, title and file-name words are indexed as
 * lowercase, accent-free surface forms (with positions, for phrases and
 * wildcards) and as stem keys computed both from the accented word and from
 * its accent-free form; when the two keys differ the index records that
 * they are linked. A query word is expanded into the keys that exist in the
 * index (OP_SYNONYM), so "foncier", "foncière", "FONCIÈRES" and "fonciere"
 * find the same documents. Elisions (l', d', qu'..., straight or typographic
 * apostrophe) are dropped; hyphenated compounds ("co-construction") are
 * indexed as their parts and as the joined word ("coconstruction").
 */
#ifndef FOUILLE_INDEX_H
#define FOUILLE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define FOUILLE_INDEX_API __attribute__((visibility("default")))
#else
#define FOUILLE_INDEX_API
#endif

/* X(NAME, message): the status table, one source for the enum and
 * fouille_index_status_str(). */
#define FOUILLE_INDEX_STATUS_MAP(X)                                           \
    X(OK, "success")                                                          \
    X(NO_MEMORY, "out of memory")                                             \
    X(INVALID_ARGUMENT, "invalid argument")                                   \
    X(NOT_FOUND, "no index at this path")                                     \
    X(LOCKED, "the index is locked by another writer")                        \
    X(CORRUPT, "the index is corrupt")                                        \
    X(MODIFIED, "the index changed under the reader; reopen and retry")       \
    X(VERSION, "the index was written by an incompatible version")            \
    X(BAD_QUERY, "the query could not be understood")                         \
    X(READ_ONLY, "the index was opened read-only")                            \
    X(IO, "input/output error (disk full, permissions or unreachable shard)") \
    X(NETWORK, "a remote shard did not answer")                               \
    X(ERROR, "unexpected index error")

typedef enum {
#define FOUILLE_INDEX_STATUS_ENUM_(name, msg) FOUILLE_INDEX_##name,
    FOUILLE_INDEX_STATUS_MAP(FOUILLE_INDEX_STATUS_ENUM_)
#undef FOUILLE_INDEX_STATUS_ENUM_
    FOUILLE_INDEX_STATUS_COUNT_
} fouille_index_status_t;

/* A short English message for a status. Never NULL. */
FOUILLE_INDEX_API const char *fouille_index_status_str(fouille_index_status_t st);

typedef struct fouille_index fouille_index_t;
typedef struct fouille_results fouille_results_t;
typedef struct fouille_synonyms fouille_synonyms_t;

typedef enum {
    FOUILLE_INDEX_READ = 0,  /* read-only; the path may also be a stub
                              * database listing local or remote shards */
    FOUILLE_INDEX_WRITE = 1, /* read-write; creates the index if missing */
} fouille_index_mode_t;

/* Open the index at path.
 * Returns OK, NOT_FOUND (read mode, nothing there, or a file that is not
 * an index), LOCKED (write mode, another writer), CORRUPT, VERSION (an
 * index of a newer schema, or a Xapian database fouille did not write),
 * IO, NETWORK, NO_MEMORY, ERROR, INVALID_ARGUMENT (NULL path or out; or,
 * in write mode, an existing directory holding files that are not an
 * index: fouille refuses to create an index among other files).
 * An index of an older schema (an older analysis) is read as it is, and
 * emptied when opened for writing, so that its files are indexed again. 
 * On failure other than NO_MEMORY, *out is still NULL and the message is
 * copied into errbuf (if not NULL, NUL-terminated, truncated to errlen). */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_open(const char *path, fouille_index_mode_t mode,
                   fouille_index_t **out, char *errbuf, size_t errlen);

/* Options of fouille_index_open_ex(). Zero-initialise, then set what you
 * need; a zero field means its default. */
typedef struct {
    /* Remote shards (read mode on a stub database listing "remote tcp
     * HOST PORT" lines): connection and per-operation timeout in
     * milliseconds (0: 5000). */
    unsigned remote_timeout_ms;
    /* Non-zero: a search goes on with the shards that answer when some do
     * not, and its results say how many were missing
     * (fouille_results_shards_missing). Zero: a shard that does not answer
     * fails the open or the search with NETWORK. */
    int partial_ok;
} fouille_index_open_opts_t;

/* fouille_index_open() with options (opts may be NULL: defaults). */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_open_ex(const char *path, fouille_index_mode_t mode,
                      const fouille_index_open_opts_t *opts,
                      fouille_index_t **out, char *errbuf, size_t errlen);

/* Commit pending changes (write mode) and close. Accepts NULL. Errors of
 * the final commit are lost; call fouille_index_commit() first to see
 * them. */
FOUILLE_INDEX_API void fouille_index_close(fouille_index_t *idx);

/* Writer: drop every change since the last commit, so that a following
 * fouille_index_close() commits nothing. Call it after a failed write or
 * commit: committing after a write error (a disk full in the middle of a
 * block) would make a revision out of a half-written block. Returns OK,
 * READ_ONLY, IO, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_discard(fouille_index_t *idx);

/* The message of the last failed call on this handle ("" if none). Valid
 * until the next call on the handle. */
FOUILLE_INDEX_API const char *fouille_index_last_error(const fouille_index_t *idx);

/* Reader: bring the handle to the latest committed revision.
 * Returns OK, IO, CORRUPT, NETWORK, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t fouille_index_reopen(fouille_index_t *idx);

/* Reader on one local index: the bytes of stored fields and text of the
 * documents its searches showed that the handle keeps for the searches
 * that follow, until the index changes (a page of results reads them
 * from the B-tree otherwise, a system call per block). Default 4 MiB; 0
 * keeps none. Ignored by other handles. Accepts NULL. */
FOUILLE_INDEX_API void fouille_index_set_record_memo(fouille_index_t *idx,
                                                     size_t bytes);

/* Writer: make every change since the last commit durable and visible to
 * readers (atomically: a crash leaves the previous revision intact).
 * Returns OK, READ_ONLY, IO (e.g. disk full), ERROR. After a failed
 * commit the pending changes may be damaged: drop them with
 * fouille_index_discard(), reopen, and write them again (retrying the
 * commit can write a corrupt revision). */
FOUILLE_INDEX_API fouille_index_status_t fouille_index_commit(fouille_index_t *idx);

/* Writer: commit, then rewrite the index with its B-trees full (Xapian's
 * compaction), in place: the files of an index written in many commits
 * are about twice the size they need to be. Readers that have it open
 * must reopen. The handle stays open for writing. Returns OK, READ_ONLY,
 * IO (the index is left as it was, committed), ERROR. */
FOUILLE_INDEX_API fouille_index_status_t fouille_index_compact(fouille_index_t *idx);

/* Number of indexed documents (failure records not counted). */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_count(fouille_index_t *idx, uint64_t *out);

/* ---- Writing ---------------------------------------------------------- */

/* Flags of a document. */
#define FOUILLE_DOC_TRUNCATED 0x1u /* text was cut at the text limit */
#define FOUILLE_DOC_NO_TEXT 0x2u   /* nothing but metadata (e.g. a scan) */
#define FOUILLE_DOC_OCR 0x4u       /* text recognised from images (OCR) */
/* Private (staff only): searches with fouille_query_t.public_only never
 * see it, and its words stay out of the spelling data, so that no "did
 * you mean" can reveal them. */
#define FOUILLE_DOC_PRIVATE 0x10u
/* In hits only: the file changed and its new version could not be
 * extracted; the text searched and shown is the last good version's. */
#define FOUILLE_DOC_STALE 0x20u

/* A document to store. Every string may be NULL (absent) except path.
 * The index copies what it needs; the caller keeps ownership. */
typedef struct {
    const char *path;        /* relative to the documents root, '/'-separated */
    const char *signature;   /* the file's stat signature, opaque to the index */
    const char *plugin;      /* "name/version" of the plugin that extracted it */
    const char *mime;        /* detected MIME type */
    const char *type;        /* publication type ("fiche", "rapport", ...) */
    const char *title;
    const char *author;
    const char *date;        /* "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
    const char *language;
    const char *description;
    const char *keywords;
    uint64_t size;           /* file size in bytes */
    unsigned pages;          /* page count, 0 for formats without pages */
    unsigned flags;          /* FOUILLE_DOC_* */
    const char *text;        /* body text, UTF-8; pages separated by '\f' */
    size_t text_len;
    /* Appended in 0.2. */
    const char *ocr_pages;   /* with FOUILLE_DOC_OCR: the pages recognised,
                              * as "1-3,5"; NULL: all of them */
} fouille_index_doc_t;

/* Add or replace the document at doc->path. Also replaces a failure record
 * of that path, and forgets a failure remembered by put_failure().
 * path must be relative (no leading '/'), at most 4096 bytes. Every
 * string field must be valid UTF-8; the text need not be: invalid bytes
 * are stored as U+FFFD (a stray byte in extracted text does not lose the
 * document). Changes are visible to readers after fouille_index_commit().
 * Returns OK, INVALID_ARGUMENT (no path, absolute path, invalid UTF-8 in
 * a field), READ_ONLY, IO, NO_MEMORY, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_put(fouille_index_t *idx, const fouille_index_doc_t *doc);

/* ---- Analysing on other threads (appended in 0.3) ----
 * fouille_index_put() does two things: the analysis of the document (its
 * words, their stem keys and positions, its text chunks, compressed),
 * which needs no index, and the writing, which needs the index's only
 * writer. A program that writes from one thread can analyse on others,
 * so that one index keeps up with several extraction workers. */
typedef struct fouille_index_prepared fouille_index_prepared_t;

/* Analyse doc for fouille_index_put_prepared(). Needs no index handle:
 * any number of threads may call it at once, also while another writes.
 * The object holds its own copies; the caller keeps doc. A document
 * put() would refuse still gives an object, whose put_prepared() returns
 * that status and message. NULL: out of memory. */
FOUILLE_INDEX_API fouille_index_prepared_t *
fouille_index_prepare(const fouille_index_doc_t *doc);

/* What fouille_index_put() of the prepared document does and returns.
 * A prepared document is put once (the index adds what it finds, such as
 * the publication's group, to it): after a failed batch, prepare it
 * again; a second put returns INVALID_ARGUMENT. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_put_prepared(fouille_index_t *idx,
                           fouille_index_prepared_t *prep);

/* Free a prepared document (NULL is fine). */
FOUILLE_INDEX_API void
fouille_index_prepared_free(fouille_index_prepared_t *prep);

/* Record that path could not be indexed: reason is a short word or phrase
 * ("encrypted", "timeout", "crashed: SIGSEGV", "unsupported"; NULL or ""
 * is recorded as "failed"), plugin is "name/version" or NULL when no
 * plugin handles mime.
 *  - No document at path, or replace_document non-zero: path gets a
 *    failure record (signature, mime, plugin, reason), which is never
 *    searchable and replaces whatever was there.
 *  - A document is indexed at path and replace_document is 0 (what a
 *    failed re-extraction should normally do): the document stays
 *    searchable, unchanged, and the index remembers the failure:
 *    foreach() and lookup() then report this call's signature and reason
 *    (and its mime and plugin when not NULL) with the document's title,
 *    so the caller does not retry until the file (or plugin) changes. A
 *    later put() of the path forgets the failure.
 * Returns OK, INVALID_ARGUMENT, READ_ONLY, IO, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_put_failure(fouille_index_t *idx, const char *path,
                          const char *signature, const char *mime,
                          const char *plugin, const char *reason,
                          int replace_document);

/* Mark the document at path private (FOUILLE_DOC_PRIVATE) or public,
 * without extracting it again: for a change of the private setting. Its
 * words already in the spelling data stay there (a search with
 * public_only checks every correction against public documents); a
 * document made public feeds the spelling data at its next put(). A path
 * with no document (nothing, or a failure record) is left alone. Returns
 * OK, INVALID_ARGUMENT, READ_ONLY, IO, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_set_private(fouille_index_t *idx, const char *path,
                          int private_doc);

/* Remove whatever is recorded for path (document or failure). Removing a
 * path that is not there is OK. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_delete(fouille_index_t *idx, const char *path);

/* ---- Enumerating (for reconciling with the folder) --------------------- */

/* What the index holds for one path. Pointers are valid during the
 * callback only. reason is NULL for an indexed document whose last
 * extraction succeeded; it is set for a failure record and for a document
 * kept after a failed re-extraction (see put_failure: then signature,
 * mime and plugin are the failed attempt's). title may be NULL. */
typedef struct {
    const char *path;
    const char *signature;
    const char *mime;
    const char *plugin;
    const char *reason;
    const char *title;
    /* Appended in 0.3. */
    int private_doc; /* an indexed document marked FOUILLE_DOC_PRIVATE */
} fouille_index_entry_t;

/* Call cb for every path recorded in the index (documents and failures),
 * in no particular order; on a write handle, uncommitted changes
 * included. It reads one value stream, not the documents: fast enough to
 * reconcile a large folder at every scan. cb must not modify the index
 * through this handle during the walk (collect paths, then act). A
 * non-zero return from cb stops the walk and is returned in *cb_result
 * (may be NULL). Returns OK, MODIFIED (a reader outran by a commit:
 * reopen and walk again), CORRUPT, IO, NETWORK, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_foreach(fouille_index_t *idx,
                      int (*cb)(const fouille_index_entry_t *entry, void *ctx),
                      void *ctx, int *cb_result);

/* Look up one path. *found is set to 0 or 1; when 1 and cb is not NULL,
 * cb is called once with the entry (as for foreach; its return value is
 * ignored). Returns OK (found or not), INVALID_ARGUMENT, CORRUPT, IO,
 * NETWORK, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_lookup(fouille_index_t *idx, const char *path,
                     int (*cb)(const fouille_index_entry_t *entry, void *ctx),
                     void *ctx, int *found);

/* ---- Searching -------------------------------------------------------- */

typedef enum {
    FOUILLE_SORT_RELEVANCE = 0,
    FOUILLE_SORT_DATE = 1,     /* newest first */
    FOUILLE_SORT_DATE_ASC = 2, /* oldest first (0.3); undated last */
} fouille_sort_t;

/* A query. Zero-initialise, then set what you need.
 *
 * q is parsed by Xapian's QueryParser after folding: words match in any
 * case and with or without accents (see the French analysis above);
 * several words must all match; "quoted words" match as a phrase; AND,
 * OR, NOT, XOR and NEAR (in capitals), parentheses, +word and -word work
 * as in Xapian; word* matches the words starting with word (at most 200
 * of them); title:word searches titles only. A query with no words lists
 * every document, newest first unless sort is FOUILLE_SORT_DATE_ASC.
 *
 * Filters: a document matches a field when it holds any of the field's
 * values (type and types together, year and years...), and must match
 * every field given. */
typedef struct {
    const char *q;          /* user query; NULL or "" lists by date */
    const char *type;       /* filter by publication type, or NULL */
    const char *year;       /* filter by year "YYYY", or NULL */
    const char *mime;       /* filter by MIME type, or NULL */
    unsigned offset;        /* first hit, 0-based */
    unsigned limit;         /* number of hits wanted (0: 10) */
    fouille_sort_t sort;
    int prefix_last;        /* treat the last word as a prefix, when q
                             * ends right after it (search as you type) */
    unsigned snippet_chars; /* approximate snippet length (0: 200) */
    /* Appended in 0.2. */
    int no_group;           /* 1: every format of a publication is a hit of
                             * its own (default: one hit per publication,
                             * the others in its variants) */
    const char *prefer;     /* the format that leads a publication's hit:
                             * file extensions in order of preference,
                             * separated by commas or spaces ("pdf,html");
                             * NULL: the best-ranked format leads */
    const fouille_synonyms_t *synonyms; /* expanded at query time, or NULL */
    /* Appended in 0.3. */
    int public_only;        /* 1: as if FOUILLE_DOC_PRIVATE documents did
                             * not exist: not in hits, totals, facets,
                             * variants, relaxed results, corrections or
                             * suggestions */
    const char *const *types;   /* more publication types (any of them) */
    size_t type_count;
    const char *const *years;   /* more years "YYYY" */
    size_t year_count;
    const char *const *folders; /* folders ("presse", "presse/2017"): the
                                 * documents anywhere below one of them */
    size_t folder_count;
    const char *date_from;      /* "YYYY", "YYYY-MM" or "YYYY-MM-DD": only
                                 * documents dated on or after it; NULL:
                                 * no bound. A date without its month or
                                 * day counts as the period's first day. */
    const char *date_to;        /* on or before it ("2017": to the end of
                                 * 2017); undated documents match neither
                                 * bound */
} fouille_query_t;

/* Another format of a hit's publication. */
typedef struct {
    const char *path;
    const char *mime;
} fouille_variant_t;

/* One hit. Strings are valid until fouille_results_destroy(); absent fields
 * are NULL. */
typedef struct {
    const char *path;
    const char *title;
    const char *type;
    const char *date;
    const char *mime;
    const char *author;
    double score;          /* relevance percentage, 0-100 */
    const char *snippet;   /* HTML-escaped, matches wrapped in <mark></mark>,
                            * "…" where the text was cut; the start of the
                            * text when the query has no words; "" for a
                            * document without text. Never NULL. */
    unsigned page;         /* 1-based page of the snippet (1 + number of
                            * '\f' before it); 0 if no pages */
    unsigned pages;
    uint64_t size;
    unsigned flags;        /* FOUILLE_DOC_*; FOUILLE_DOC_OCR when the
                            * snippet's page holds recognised text */
    /* Appended in 0.2. */
    const char *const *missing; /* relaxed results: the query's words this
                                 * hit lacks, as typed */
    size_t missing_count;
    const fouille_variant_t *variants; /* the publication's other formats */
    size_t variant_count;
} fouille_hit_t;

/* One facet value with its count. */
typedef struct {
    const char *value;
    uint64_t count;
} fouille_facet_t;

/* Hard limits of a search (the daemon's configured limits may be lower):
 * a longer query is refused with INVALID_ARGUMENT; a larger limit or
 * snippet_chars is lowered to these. */
#define FOUILLE_INDEX_QUERY_MAX 1024   /* bytes of fouille_query_t.q */
#define FOUILLE_INDEX_LIMIT_MAX 1000   /* hits per page */
#define FOUILLE_INDEX_SNIPPET_MAX 2000 /* characters of a snippet */

/* Run a query. On success *out holds the results (free with
 * fouille_results_destroy). Returns OK, BAD_QUERY (the message, fit for a
 * user, is in fouille_index_last_error), INVALID_ARGUMENT (invalid UTF-8,
 * query too long, a filter value too long or a malformed date, date_from
 * after date_to; the message is in fouille_index_last_error), MODIFIED (reopen and retry; the shim already retried
 * once), IO, NETWORK, NO_MEMORY, ERROR. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_search(fouille_index_t *idx, const fouille_query_t *query,
                     fouille_results_t **out);

FOUILLE_INDEX_API void fouille_results_destroy(fouille_results_t *res);

/* Estimated total number of matching documents. */
FOUILLE_INDEX_API uint64_t fouille_results_total(const fouille_results_t *res);

/* Number of hits in this page, and the i-th (NULL if out of range). */
FOUILLE_INDEX_API size_t fouille_results_count(const fouille_results_t *res);
FOUILLE_INDEX_API const fouille_hit_t *
fouille_results_hit(const fouille_results_t *res, size_t i);

/* Facets over all matching documents: name is "type", "year" or "folder"
 * (the top-level folders and the folders one level down, "presse" and
 * "presse/2017", each counting the documents anywhere below it). Values
 * sorted by decreasing count. *n is the number of values. Returns NULL
 * with *n = 0 for an unknown name. */
FOUILLE_INDEX_API const fouille_facet_t *
fouille_results_facets(const fouille_results_t *res, const char *name,
                       size_t *n);

/* How many shards did not answer this search (0 for a local index, and
 * always 0 unless opened with partial_ok): the results cover the others
 * only. */
FOUILLE_INDEX_API unsigned
fouille_results_shards_missing(const fouille_results_t *res);

/* ---- Synonyms ------------------------------------------------------------
 *
 * A synonyms file holds one group a line: members separated by commas,
 * each one or more words ("ESS, économie sociale et solidaire"); a line
 * "a => b, c" goes one way (a query holding a also searches b and c, not
 * the reverse); '#' starts a comment. Members match the query's words by
 * stem key (inflections and accents do not matter). At query time, a
 * query holding a member also searches, with a lower weight, the same
 * query with that member replaced by each other member (a phrase when it
 * has several words): no reindexing. Limits: 1 MiB, 20,000 rules, 12
 * words a member, 32 members a group. */

/* Read a synonyms file. On success *out holds it, with one reference.
 * Returns OK, NOT_FOUND, IO, INVALID_ARGUMENT (a malformed line: errbuf
 * says which, "file:line: why"), NO_MEMORY. */
FOUILLE_INDEX_API fouille_index_status_t
fouille_synonyms_load(const char *path, fouille_synonyms_t **out,
                      char *errbuf, size_t errlen);

/* Take and drop a reference (thread-safe; synonyms are read-only once
 * loaded, so searches on several threads may share them). NULL is
 * accepted. The last unref frees them. */
FOUILLE_INDEX_API fouille_synonyms_t *
fouille_synonyms_ref(fouille_synonyms_t *syn);
FOUILLE_INDEX_API void fouille_synonyms_unref(fouille_synonyms_t *syn);

/* The number of one-way rules (a group of n members makes n). */
FOUILLE_INDEX_API size_t fouille_synonyms_count(const fouille_synonyms_t *syn);

/* Whether the results are relaxed: too few documents held every word of
 * the query, so those that hold most of them follow, ranked first by how
 * many they hold (fouille_hit_t.missing names the others). Only a query
 * of several words and no operator, quotes or +/- is relaxed. */
FOUILLE_INDEX_API int fouille_results_relaxed(const fouille_results_t *res);

/* A word of the query the index does not know, and the index word that
 * was searched with it (a typo: "fonsier" -> "foncier"). */
typedef struct {
    const char *typed;
    const char *used;
} fouille_correction_t;

/* The corrections a search used; *n is their number (NULL when none). */
FOUILLE_INDEX_API const fouille_correction_t *
fouille_results_corrections(const fouille_results_t *res, size_t *n);

/* A spelling suggestion for the query, or NULL: the user's query with
 * each word the index does not know replaced by the closest word it
 * knows ("fonceir" -> "foncier"). Spelling data comes from local shards
 * only: Xapian 1.4 serves none from a remote shard. */
FOUILLE_INDEX_API const char *
fouille_results_suggestion(const fouille_results_t *res);

/* ---- Query keys (search analytics) ------------------------------------- */

/* The words of a query as they are searched, for counting queries: each
 * word folded to its plain form (case and accents gone, elisions
 * dropped), French stop words and operators left out, joined by one
 * space, in the order typed: "Le Foncier agricole" and "foncier AGRICOLE"
 * both give "foncier agricole". out (outlen bytes) receives it, cut at a
 * word boundary when too long, "" when no word is left. q must be valid
 * UTF-8. Returns OK, INVALID_ARGUMENT (a NULL argument, outlen 0) or
 * NO_MEMORY (out is then ""). */
FOUILLE_INDEX_API fouille_index_status_t
fouille_index_query_key(const char *q, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif

#endif /* FOUILLE_INDEX_H */
