/* ocr-engine.c -- see ocr-engine.h. */
#define _POSIX_C_SOURCE 200809L

#include "ocr-engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

static TessBaseAPI *api;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Tesseract writes its messages ("Empty page!!", resolution warnings)
 * with tprintf(), which opens its debug_file on first use: point it at
 * /dev/null and have it opened now, by recognising a blank page, while
 * the worker may still open files. The recognition also sets up whatever
 * Tesseract prepares on its first page. */
static void warm_up(void)
{
    enum { W = 64, H = 32 };
    static unsigned char blank[W * H];
    memset(blank, 0xFF, sizeof blank);
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    TessBaseAPISetImage(api, blank, W, H, 1, W);
    TessBaseAPISetSourceResolution(api, 300);
    if (TessBaseAPIRecognize(api, NULL) == 0)
        TessDeleteText(TessBaseAPIGetUTF8Text(api));
    TessBaseAPIClear(api);
}

int ocr_engine_init(char *err, size_t errlen)
{
    const char *langs = getenv("FOUILLE_OCR_LANGUAGES");
    if (!langs || !*langs)
        return 1;
    api = TessBaseAPICreate();
    if (!api) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* The LSTM engine alone: the legacy one is slower, needs more data,
     * and is not in every traineddata file. */
    if (TessBaseAPIInit2(api, NULL, langs, OEM_LSTM_ONLY) != 0) {
        snprintf(err, errlen,
                 "Tesseract cannot load the languages '%s' (install "
                 "tesseract-ocr-LANG, or set ocr_languages)", langs);
        TessBaseAPIDelete(api);
        api = NULL;
        return -1;
    }
    TessBaseAPISetPageSegMode(api, PSM_AUTO);
    warm_up();
    return 0;
}

void ocr_engine_fini(void)
{
    if (api) {
        TessBaseAPIEnd(api);
        TessBaseAPIDelete(api);
    }
    api = NULL;
}

int ocr_engine_ready(void) { return api != NULL; }

void ocr_budget_start(struct ocr_budget *b, const struct fouille_sink *sink)
{
    memset(b, 0, sizeof *b);
    if (!FOUILLE_SINK_HAS(sink, ocr_needed))
        return;
    b->pages_left = sink->ocr_pages;
    b->deadline_ms = sink->ocr_time_ms ? now_ms() + sink->ocr_time_ms : 0;
    b->min_confidence = sink->ocr_min_confidence;
}

int ocr_budget_allows(const struct ocr_budget *b)
{
    return api && b->pages_left > 0 &&
           (!b->deadline_ms || now_ms() < b->deadline_ms);
}

/* A growing byte buffer (no GLib here: the image plugin does not use it). */
struct text {
    char *p;
    size_t len, cap;
};

static int text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *np = realloc(t->p, cap);
        if (!np)
            return -1;
        t->p = np;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return 0;
}

/* Whether s starts with a lower-case letter (ASCII, Latin-1 or œ). */
static int lower_start(const unsigned char *s)
{
    return (s[0] >= 'a' && s[0] <= 'z') ||
           (s[0] == 0xC3 && s[1] >= 0x9F && s[1] <= 0xBF) ||
           (s[0] == 0xC5 && s[1] == 0x93);
}

/* The words of the last recognition with a confidence of at least min, a
 * space between words, a newline after each line and a blank line after
 * each paragraph; a word hyphenated at a line end is joined to the next
 * when that starts in lower case. */
static int collect_words(unsigned min, struct text *out)
{
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (!ri)
        return 0; /* nothing recognised */
    TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
    int rc = 0, hyphen = 0;
    do {
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_PARA) && out->len &&
            !hyphen)
            rc |= text_add(out, "\n", 1);
        char *w = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!w)
            continue;
        float conf = TessResultIteratorConfidence(ri, RIL_WORD);
        size_t n = strlen(w);
        int end_of_line =
            TessPageIteratorIsAtFinalElement(pi, RIL_TEXTLINE, RIL_WORD);
        if (n && conf >= (float)min) {
            if (hyphen && !lower_start((const unsigned char *)w))
                rc |= text_add(out, "-\n", 2);
            hyphen = end_of_line && n > 1 && w[n - 1] == '-';
            rc |= text_add(out, w, hyphen ? n - 1 : n);
            if (!hyphen)
                rc |= text_add(out, end_of_line ? "\n" : " ", 1);
        } else if (end_of_line && out->len && out->p[out->len - 1] == ' ') {
            out->p[out->len - 1] = '\n';
        }
        TessDeleteText(w);
    } while (rc == 0 && TessResultIteratorNext(ri, RIL_WORD));
    if (hyphen)
        rc |= text_add(out, "-\n", 2);
    TessResultIteratorDelete(ri);
    return rc;
}

int ocr_engine_page(struct ocr_budget *b, const unsigned char *grey,
                    int width, int height, int stride, struct Pix *pix,
                    int dpi, const struct fouille_sink *sink, unsigned page)
{
    if (!ocr_budget_allows(b))
        return FOUILLE_E_LIMIT;
    if (pix)
        TessBaseAPISetImage2(api, pix);
    else
        TessBaseAPISetImage(api, grey, width, height, 1, stride);
    /* A scan that does not state its resolution is taken as 300 dpi (the
     * usual one); Tesseract would otherwise guess and warn. */
    TessBaseAPISetSourceResolution(api, dpi > 0 ? dpi : 300);
    ETEXT_DESC *monitor = TessMonitorCreate();
    if (monitor && b->deadline_ms) {
        int64_t left = b->deadline_ms - now_ms();
        TessMonitorSetDeadlineMSecs(monitor, left > 1 ? (int)left : 1);
    }
    int rc = TessBaseAPIRecognize(api, monitor);
    int late = b->deadline_ms && now_ms() >= b->deadline_ms;
    if (monitor)
        TessMonitorDelete(monitor);
    b->pages_left--;
    if (late) {
        TessBaseAPIClear(api);
        return FOUILLE_E_LIMIT;
    }
    if (rc != 0) {
        TessBaseAPIClear(api);
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "page %u: recognition failed", page);
        return FOUILLE_E_FAILED;
    }
    struct text t = {0};
    int status = FOUILLE_OK;
    if (collect_words(b->min_confidence, &t) < 0)
        status = FOUILLE_E_NOMEM;
    TessBaseAPIClear(api);
    b->pages_done++;
    if (status == FOUILLE_OK &&
        sink->ocr_text(sink->host, t.len ? t.p : "\n", t.len ? t.len : 1,
                       page))
        status = FOUILLE_E_STOPPED;
    free(t.p);
    return status;
}
