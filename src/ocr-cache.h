/* ocr-cache.h -- recognised text kept by the content of the file.
 *
 * One file per content hash and OCR settings ("<sha256>-<languages>-<dpi>-
 * <confidence>") in a folder beside the index, holding the extracted
 * document as a worker's response frame: a scan renamed, touched or
 * reindexed is taken from there instead of being recognised again. Only
 * complete results are kept (not one cut by a limit). The folder is
 * created with its first entry. Past max_bytes, the least recently used
 * entries (by modification time, renewed on each hit) are removed until
 * it holds 90% of that. The files are small and read or written by the
 * caller's thread. */
#ifndef FOUILLE_OCR_CACHE_H
#define FOUILLE_OCR_CACHE_H

#include "doc.h"
#include "frame.h"

#include <stddef.h>
#include <stdint.h>

struct fouille__ocr_cache;

/* A cache in folder path for these OCR settings; entries larger than
 * max_entry bytes are neither kept nor read. NULL when memory runs out. */
struct fouille__ocr_cache *
fouille__ocr_cache_new(const char *path, const char *languages, unsigned dpi,
                       unsigned min_confidence, uint64_t max_bytes,
                       size_t max_entry);
void fouille__ocr_cache_free(struct fouille__ocr_cache *c);

/* Replace *doc (which carries the file's content hash) with the document
 * recognised before. Returns 0 on a hit, -1 otherwise (doc untouched). */
int fouille__ocr_cache_load(struct fouille__ocr_cache *c,
                            struct fouille__doc *doc);

/* Keep a complete recognised document (others are ignored). */
void fouille__ocr_cache_store(struct fouille__ocr_cache *c,
                              const struct fouille__doc *doc,
                              const struct fouille__response_meta *meta);

/* Bytes the cache holds, as far as this process knows (for tests). */
uint64_t fouille__ocr_cache_size(const struct fouille__ocr_cache *c);

#endif
