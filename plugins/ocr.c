/* ocr.c -- the image plugin: text of scanned or photographed pages (PNG,
 * JPEG, TIFF including multi-page TIFF) recognised by Tesseract.
 *
 * Images are decoded by Leptonica from memory (the worker cannot open
 * files) and recognised one page at a time; each TIFF page is reported as
 * its page number, a single image as page 1. Words below the confidence
 * threshold are dropped (ocr-engine.c).
 *
 * In the host's first, fast pass (sink->ocr_pages == 0) nothing is decoded:
 * the plugin only asks for the OCR pass with ocr_needed(1), and the host
 * queues the image in its OCR lane. Limits: the file is read whole up to
 * sink->max_inflated_bytes; an image larger than MAX_PIXELS is refused as
 * FOUILLE_E_LIMIT (Tesseract's memory grows with it); pages past
 * sink->max_pages or the OCR budget are not read.
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include "ocr-engine.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>

/* 100 megapixels: an A3 page at 600 dpi is 35. */
#define MAX_PIXELS (100LL * 1000 * 1000)

static int ocr_init(void)
{
    char err[256];
    setMsgSeverity(L_SEVERITY_NONE); /* Leptonica would write to stderr */
    /* Without languages (OCR off) the plugin still runs: it asks for a
     * recognition the host will not do, and the image is recorded as
     * having no text. */
    return ocr_engine_init(err, sizeof err) < 0 ? -1 : 0;
}

static void ocr_fini(void) { ocr_engine_fini(); }

/* The whole file, or NULL (status in *status). Free with free(). */
static unsigned char *read_all(int fd, const struct fouille_sink *sink,
                               size_t *len, int *status)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        *status = FOUILLE_E_IO;
        return NULL;
    }
    if (sink->max_inflated_bytes &&
        (uint64_t)st.st_size > sink->max_inflated_bytes) {
        sink->log(sink->host, FOUILLE_LOG_INFO, "image larger than %llu bytes",
                  (unsigned long long)sink->max_inflated_bytes);
        *status = FOUILLE_E_LIMIT;
        return NULL;
    }
    size_t n = (size_t)st.st_size, have = 0;
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf) {
        *status = FOUILLE_E_NOMEM;
        return NULL;
    }
    while (have < n) {
        ssize_t r = pread(fd, buf + have, n - have, (off_t)have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    if (have != n) {
        free(buf);
        *status = FOUILLE_E_IO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* Recognise one decoded page. */
static int recognise(struct ocr_budget *b, PIX *pix,
                     const struct fouille_sink *sink, unsigned page)
{
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    if ((long long)w * h > MAX_PIXELS) {
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "page %u: %dx%d pixels is too large", page, (int)w, (int)h);
        return FOUILLE_E_LIMIT;
    }
    return ocr_engine_page(b, NULL, 0, 0, 0, pix, pixGetXRes(pix), sink,
                           page);
}

static int ocr_extract(int fd, const char *mime,
                       const struct fouille_sink *sink)
{
    (void)mime;
    if (!FOUILLE_SINK_HAS(sink, ocr_needed))
        return FOUILLE_OK; /* a host without OCR: no text */
    if (sink->ocr_pages == 0 || !ocr_engine_ready()) {
        sink->ocr_needed(sink->host, 1);
        return FOUILLE_OK;
    }
    int status = FOUILLE_OK;
    size_t len = 0;
    unsigned char *data = read_all(fd, sink, &len, &status);
    if (!data)
        return status;
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp, &cmap)) {
        free(data);
        return FOUILLE_E_MALFORMED;
    }
    struct ocr_budget b;
    ocr_budget_start(&b, sink);
    if (format == IFF_TIFF || format == IFF_TIFF_G4 ||
        format == IFF_TIFF_G3 || format == IFF_TIFF_LZW ||
        format == IFF_TIFF_ZIP || format == IFF_TIFF_PACKBITS ||
        format == IFF_TIFF_RLE || format == IFF_TIFF_JPEG) {
        size_t offset = 0;
        unsigned page = 0;
        do {
            if (sink->max_pages && page >= sink->max_pages) {
                status = FOUILLE_E_STOPPED;
                break;
            }
            if (!ocr_budget_allows(&b)) {
                status = b.pages_done ? FOUILLE_E_STOPPED : FOUILLE_E_LIMIT;
                break;
            }
            PIX *pix = pixReadMemFromMultipageTiff(data, len, &offset);
            if (!pix) {
                status = page ? FOUILLE_OK : FOUILLE_E_MALFORMED;
                break;
            }
            status = recognise(&b, pix, sink, ++page);
            pixDestroy(&pix);
            if (status == FOUILLE_E_LIMIT && b.pages_done)
                status = FOUILLE_E_STOPPED;
        } while (status == FOUILLE_OK && offset != 0);
    } else {
        PIX *pix = pixReadMem(data, len);
        if (!pix)
            status = FOUILLE_E_MALFORMED;
        else {
            status = recognise(&b, pix, sink, 1);
            pixDestroy(&pix);
        }
    }
    if (status == FOUILLE_E_LIMIT)
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "OCR limit reached (pages or time)");
    free(data);
    return status;
}

static const char *const ocr_mime_types[] = {"image/png", "image/jpeg",
                                             "image/tiff", NULL};
static const char *const ocr_extensions[] = {"png", "jpg", "jpeg", "tif",
                                             "tiff", NULL};

static const struct fouille_plugin ocr_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "ocr",
    .version = "1.0",
    .mime_types = ocr_mime_types,
    .extensions = ocr_extensions,
    .init = ocr_init,
    .fini = ocr_fini,
    .extract = ocr_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &ocr_plugin;
}
