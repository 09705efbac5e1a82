/* extract.h -- turn one open file into a struct fouille__doc: sniff its type
 * with libmagic, choose the plugin, run it through a sink that enforces the
 * limits. Runs inside a fouille-extract worker (or in the CLI process
 * with `fouille index --in-process`, for debugging); never touches the
 * index. */
#ifndef FOUILLE_EXTRACT_H
#define FOUILLE_EXTRACT_H

#include "doc.h"
#include "registry.h"

#include <stdint.h>

struct fouille__limits {
    size_t text_max;       /* bytes of text kept */
    unsigned max_pages;
    uint64_t max_inflated; /* bytes a plugin may decompress */
    /* OCR (see fouille/plugin.h): pages a plugin may recognise (0: this
     * is a first pass, plugins only say which pages need it), total time,
     * rendering resolution, confidence threshold. */
    unsigned ocr_pages;
    unsigned ocr_time_ms;
    unsigned ocr_dpi;
    unsigned ocr_min_confidence;
    /* The OCR pass of a document whose first pass is kept: the pages to
     * recognise ("1-3,6", from its ocr_needed_list). The plugin is told
     * it need not extract anything else, and whatever else it emits
     * (fields, text layer) is dropped; the pool joins the two passes
     * (fouille__doc_merge_ocr). NULL: a whole extraction. */
    const char *ocr_only_pages;
};

/* Set the environment the OCR plugins read in init() (fouille/plugin.h):
 * the languages ("" when OCR is off) and one OpenMP thread. Call before
 * the plugins are loaded. */
void fouille__extract_ocr_environment(const char *languages);

struct fouille__extractor; /* libmagic cookie + registry */

/* Create an extractor over a loaded registry (not owned). Loads libmagic's
 * database; NULL (with a log line) if that fails. */
struct fouille__extractor *
fouille__extractor_new(const struct fouille__registry *reg);
void fouille__extractor_free(struct fouille__extractor *ex);

/* The MIME type of the open file fd (content first), into mime. Leaves the
 * file offset at 0. Returns 0, or -1 when the file cannot be read. */
int fouille__extractor_sniff(struct fouille__extractor *ex, int fd,
                             char *mime, size_t len);

/* Extract the document at fd. path (relative) is used for the extension
 * fallback and log lines only. mime/plugin_tag receive what was used
 * (plugin_tag is "" when no plugin handles the type: doc->reason is then
 * UNSUPPORTED). Always fills doc (doc->reason says whether it failed). */
void fouille__extract(struct fouille__extractor *ex, int fd, const char *path,
                      const struct fouille__limits *lim,
                      struct fouille__doc *doc, char *mime, size_t mime_len,
                      char *plugin_tag, size_t tag_len);

#endif
