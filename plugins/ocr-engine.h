/* ocr-engine.h -- Tesseract for the plugins that recognise text (ocr.c for
 * images, pdf.c for pages without a text layer).
 *
 * Compiled into each of those modules (it is not part of the plugin ABI and
 * exports nothing: the modules export fouille_plugin_entry() alone). The
 * engine is created in the plugin's init(), while the worker may still open
 * files: Tesseract reads its language data there and never again. */
#ifndef FOUILLE_OCR_ENGINE_H
#define FOUILLE_OCR_ENGINE_H

#include <fouille/plugin.h>

#include <stdint.h>

struct Pix;

/* Create the engine for the languages named by FOUILLE_OCR_LANGUAGES (see
 * fouille/plugin.h). Returns 0 when ready, 1 when OCR is off (no
 * languages), -1 when Tesseract cannot start (message in err). */
int ocr_engine_init(char *err, size_t errlen);
void ocr_engine_fini(void);

/* Whether the engine is ready. */
int ocr_engine_ready(void);

/* One document's recognition budget, from the sink's ocr_* members. */
struct ocr_budget {
    unsigned pages_left;
    int64_t deadline_ms; /* monotonic, 0: none */
    unsigned min_confidence;
    unsigned pages_done;
};

/* Start a budget for the document the sink describes. */
void ocr_budget_start(struct ocr_budget *b, const struct fouille_sink *sink);

/* Whether another page may be recognised (pages and time left). */
int ocr_budget_allows(const struct ocr_budget *b);

/* Recognise one greyscale (8 bits per pixel) image, or a Leptonica Pix
 * when pix is not NULL, scanned at dpi (0: unknown), and emit its words
 * with sink->ocr_text() on page. Returns FOUILLE_OK, FOUILLE_E_STOPPED
 * (the sink wants no more text), FOUILLE_E_LIMIT (the time ran out during
 * the page: nothing of it is emitted) or FOUILLE_E_FAILED. */
int ocr_engine_page(struct ocr_budget *b, const unsigned char *grey,
                    int width, int height, int stride, struct Pix *pix,
                    int dpi, const struct fouille_sink *sink, unsigned page);

#endif
