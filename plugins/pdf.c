/* pdf.c -- the PDF extractor plugin (poppler-glib).
 *
 * A file of up to 32 MiB is read into memory and opened from there (poppler
 * reads a descriptor 256 bytes per system call); a larger one is opened from
 * a duplicate of the descriptor (poppler_document_new_from_fd() takes
 * ownership of the one it is given and reads it with pread(), so nothing is
 * loaded into memory up front; before poppler 21.12 the file is mapped
 * instead and opened as GBytes).
 *
 * Text is extracted page by page with poppler_page_get_text() and reported
 * with its 1-based page number, each page followed by a newline; every page
 * object is released before the next is loaded, so a long document costs one
 * page at a time. Two repairs make the words those of pdftotext: a space
 * where the layout shows a gap that the text lacks (columns, table cells),
 * and words hyphenated at a line end joined again.
 *
 * Fields: TITLE (a "Microsoft Word - " prefix is dropped), AUTHOR,
 * DESCRIPTION (the Subject), KEYWORDS and DATE (the creation date as
 * YYYY-MM-DD, in the time zone the PDF states) from the Info dictionary or
 * XMP, as poppler reports them.
 *
 * Scans: a page with (almost) no text but an image has no usable text
 * layer. In the host's first pass (sink->ocr_pages == 0) the plugin says so
 * with sink->ocr_needed() and goes on; in the OCR pass it renders such
 * pages with cairo at sink->ocr_dpi and recognises them (ocr-engine.c),
 * emitting their words with sink->ocr_text() under the same page number,
 * while pages with text keep their own; when the host kept the first
 * pass (sink->ocr_only), only the pages it names are loaded and
 * recognised, the text layer is not read again. Pages past the OCR budget (pages,
 * time) are left empty: FOUILLE_E_STOPPED when some text was kept,
 * FOUILLE_E_LIMIT when none.
 *
 * Statuses: a PDF without a text layer and without OCR is FOUILLE_OK with
 * empty pages (the host flags it); a PDF that needs a user password is
 * FOUILLE_E_ENCRYPTED (one with only an owner password opens and is
 * indexed); any other open failure is FOUILLE_E_MALFORMED, unless the
 * file was only cut before its end (see salvage()) and text survives, in
 * which case the pages before the cut are indexed.
 *
 * Limits: at most sink->max_pages pages are read. Reaching that limit is
 * treated like a spent text budget: the pages read are kept and
 * FOUILLE_E_STOPPED is returned (with a log line), so a 20,000-page PDF is
 * indexed by its first pages instead of being dropped. Text stops when the
 * budget is spent.
 *
 * poppler reports parse errors through GLib logging (domain "Poppler"): init()
 * installs handlers so that nothing reaches stderr; the first messages of a
 * document go to sink->log at debug level.
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <poppler.h>

#ifdef HAVE_OCR
#include <cairo.h>

#include "ocr-engine.h"
#endif

/* The sink of the document being extracted, for the GLib log handler. */
static _Thread_local const struct fouille_sink *current_sink;
static _Thread_local unsigned current_messages;

static void on_glib_log(const gchar *domain, GLogLevelFlags level,
                        const gchar *message, gpointer data)
{
    (void)data;
    (void)level;
    const struct fouille_sink *sink = current_sink;
    if (!sink || !message || current_messages++ >= 5)
        return;
    size_t n = strlen(message);
    /* poppler ends some messages with a newline, escaped as "<0a>". */
    for (;;) {
        if (n && (message[n - 1] == '\n' || message[n - 1] == ' '))
            n--;
        else if (n >= 4 && !memcmp(message + n - 4, "<0a>", 4))
            n -= 4;
        else
            break;
    }
    sink->log(sink->host, FOUILLE_LOG_DEBUG, "%s: %.*s",
              domain ? domain : "glib", (int)(n < 400 ? n : 400), message);
}

/* poppler reads its data files (name-to-Unicode tables, CMaps) when its
 * global parameters are created, and poppler-glib creates them with the
 * first open document and destroys them with the last one; a worker may no
 * longer open files when a document comes. A tiny PDF opened at init, and
 * kept open until fini, loads them while it still can and keeps them. */
static PopplerDocument *warm_doc;

static void warm_up(void)
{
    static const char tiny[] =
        "%PDF-1.4\n"
        "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 50]"
        "/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n"
        "4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica"
        "/Encoding/WinAnsiEncoding>>endobj\n"
        "5 0 obj<</Length 37>>stream\n"
        "BT /F1 12 Tf 10 20 Td (fouill\\351) Tj ET\n"
        "endstream endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n";
    GBytes *bytes = g_bytes_new_static(tiny, sizeof tiny - 1);
    warm_doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
    if (warm_doc) {
        PopplerPage *page = poppler_document_get_page(warm_doc, 0);
        if (page) {
            g_free(poppler_page_get_text(page));
            g_object_unref(page);
        }
    }
    g_bytes_unref(bytes);
}

#ifdef HAVE_OCR
static int recognise_page(PopplerPage *page, struct ocr_budget *b,
                          const struct fouille_sink *sink, unsigned number);

/* The OCR pass when the host kept the first pass (sink->ocr_only): only
 * the pages it wants are loaded, rendered and recognised; no text layer
 * is read again. */
static int recognise_wanted(PopplerDocument *doc, int last,
                            struct ocr_budget *budget,
                            const struct fouille_sink *sink)
{
    int short_pages = 0;
    for (int i = 0; i < last; i++) {
        if (!sink->ocr_wanted(sink->host, (unsigned)i + 1))
            continue;
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        int st = recognise_page(page, budget, sink, (unsigned)i + 1);
        g_object_unref(page);
        if (st == FOUILLE_E_LIMIT)
            short_pages++;
        else if (st == FOUILLE_E_STOPPED || st == FOUILLE_E_NOMEM)
            return st;
    }
    if (!short_pages)
        return FOUILLE_OK;
    sink->log(sink->host, FOUILLE_LOG_INFO,
              "%d page(s) not recognised: OCR limit (pages or time)",
              short_pages);
    return budget->pages_done ? FOUILLE_E_STOPPED : FOUILLE_E_LIMIT;
}

/* Render page at dpi (lowered so that the image stays under MAX_PIXELS)
 * into 8-bit grey and recognise it. */
#define MAX_PIXELS (100.0 * 1000 * 1000)
static int recognise_page(PopplerPage *page, struct ocr_budget *b,
                          const struct fouille_sink *sink, unsigned number)
{
    double wpt, hpt, dpi = sink->ocr_dpi ? sink->ocr_dpi : 300;
    poppler_page_get_size(page, &wpt, &hpt);
    if (wpt <= 0 || hpt <= 0)
        return FOUILLE_OK;
    double px = wpt * hpt * (dpi / 72) * (dpi / 72);
    if (px > MAX_PIXELS)
        dpi = dpi * sqrt(MAX_PIXELS / px);
    int w = (int)(wpt * dpi / 72 + 0.5), h = (int)(hpt * dpi / 72 + 0.5);
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return FOUILLE_E_NOMEM;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72, dpi / 72);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    int status = FOUILLE_E_NOMEM;
    unsigned char *grey = g_try_malloc((gsize)w * (gsize)h);
    if (grey) {
        const unsigned char *data = cairo_image_surface_get_data(surface);
        int stride = cairo_image_surface_get_stride(surface);
        for (int y = 0; y < h; y++) {
            const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
            for (int x = 0; x < w; x++) {
                uint32_t v = row[x];
                grey[(size_t)y * w + x] =
                    (unsigned char)((((v >> 16) & 0xFF) * 299 +
                                     ((v >> 8) & 0xFF) * 587 +
                                     (v & 0xFF) * 114) / 1000);
            }
        }
        status = ocr_engine_page(b, grey, w, h, w, NULL, (int)dpi, sink,
                                 number);
        g_free(grey);
    }
    cairo_surface_destroy(surface);
    return status;
}
#endif

/* Whether a page's text is too thin to be its content (a scan, perhaps
 * with a page number or a stamp) while the page shows an image. */
static int needs_ocr(PopplerPage *page, const char *text)
{
    unsigned visible = 0;
    for (const char *p = text; p && *p && visible < 16; p++)
        visible += *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' &&
                   *p != '\f';
    if (visible >= 16)
        return 0;
    GList *images = poppler_page_get_image_mapping(page);
    int any = images != NULL;
    poppler_page_free_image_mapping(images);
    return any;
}

static void pdf_fini(void)
{
#ifdef HAVE_OCR
    ocr_engine_fini();
#endif
    if (warm_doc)
        g_object_unref(warm_doc);
    warm_doc = NULL;
}

static int pdf_init(void)
{
    static const char *const domains[] = {"Poppler", "GLib", "GLib-GObject",
                                          "GLib-GIO", NULL};
    for (const char *const *d = domains; *d; d++)
        g_log_set_handler(*d,
                          G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                              G_LOG_FLAG_RECURSION,
                          on_glib_log, NULL);
    /* GLib reads charset.alias on the first charset conversion, and caches
     * the answer for the thread. */
    g_get_charset(NULL);
    warm_up();
#ifdef HAVE_OCR
    /* Without Tesseract's languages the plugin still reads text layers
     * (the ocr plugin, which fails to start then, says why). */
    char err[256];
    int rc = ocr_engine_init(err, sizeof err);
    if (rc == 0 && warm_doc) {
        /* Rendering loads fontconfig's configuration and a font. */
        PopplerPage *page = poppler_document_get_page(warm_doc, 0);
        if (page) {
            cairo_surface_t *s =
                cairo_image_surface_create(CAIRO_FORMAT_RGB24, 20, 20);
            cairo_t *cr = cairo_create(s);
            poppler_page_render_for_printing(page, cr);
            cairo_destroy(cr);
            cairo_surface_destroy(s);
            g_object_unref(page);
        }
    }
#endif
    return 0;
}

/* Make text safe to emit: control characters other than newline and tab
 * become spaces (a form feed would look like a page break to the host). */
static void clean_controls(char *s)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') ||
            *s == 0x7F)
            *s = *s == '\f' || *s == '\r' ? '\n' : ' ';
}

/* poppler_page_get_text() writes the words of one line side by side even
 * when they belong to different columns or table cells, with nothing between
 * them ("\fsaut" for the cells "\f" and "saut" of a man page). Its layout
 * has one rectangle per character of that text, in the same order: where two
 * characters of one line are further apart than a third of the font height
 * (or the second jumps back to the left), or where two characters that
 * follow each other are not on the same line (their boxes overlap by less
 * than half the smaller height: a superscript still does), insert a space.
 * Returns a new string, or NULL when the layout does not match the text. */
static char *separate_columns(const char *text, const PopplerRectangle *r,
                              guint nr)
{
    size_t len = strlen(text), nchars = 0;
    for (size_t i = 0; i < len; i++)
        nchars += ((unsigned char)text[i] & 0xC0) != 0x80;
    if (nchars != nr)
        return NULL;
    GString *out = g_string_sized_new(len + len / 8 + 16);
    const PopplerRectangle *prev = NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        unsigned char c = (unsigned char)text[i];
        size_t clen = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (clen > len - i)
            clen = len - i;
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        const PopplerRectangle *cur = &r[k];
        if (!space && prev) {
            double h1 = prev->y2 - prev->y1, h2 = cur->y2 - cur->y1;
            double h = h1 > h2 ? h1 : h2, hmin = h1 < h2 ? h1 : h2;
            double top = prev->y1 > cur->y1 ? prev->y1 : cur->y1;
            double bottom = prev->y2 < cur->y2 ? prev->y2 : cur->y2;
            int same_line = bottom - top > 0.5 * hmin;
            if (hmin > 0 &&
                (!same_line || cur->x1 - prev->x2 > 0.3 * h ||
                 cur->x2 < prev->x1 - 0.3 * h))
                g_string_append_c(out, ' ');
        }
        g_string_append_len(out, text + i, (gssize)clen);
        prev = space ? NULL : cur;
        i += clen;
    }
    return g_string_free(out, FALSE);
}

/* Whether p starts with a lower-case letter (ASCII, Latin-1 or œ). */
static int lower_start(const unsigned char *p)
{
    return (p[0] >= 'a' && p[0] <= 'z') ||
           (p[0] == 0xC3 && p[1] >= 0x9F && p[1] <= 0xBF) ||
           (p[0] == 0xC5 && p[1] == 0x93);
}

/* Join words hyphenated at a line end, as pdftotext does: "collec-\n
 * tivités" becomes "collectivités" when a letter precedes the hyphen and a
 * lower-case letter starts the next line, so that the word can be found.
 * In place. */
static void dehyphenate(char *s)
{
    unsigned char *r = (unsigned char *)s, *w = r;
    while (*r) {
        if (r[0] == '-' && r[1] == '\n' && w > (unsigned char *)s &&
            (((w[-1] | 0x20) >= 'a' && (w[-1] | 0x20) <= 'z') ||
             w[-1] >= 0x80) &&
            lower_start(r + 2)) {
            r += 2;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* Report a field from a g_malloc'ed string (freed here), trimmed. */
static int report(const struct fouille_sink *sink, enum fouille_field f,
                  gchar *v)
{
    int stop = 0;
    if (v) {
        const char *s = v;
        clean_controls(v);
        if (f == FOUILLE_FIELD_TITLE &&
            !strncmp(s, "Microsoft Word - ", 17))
            s += 17;
        while (*s == ' ' || *s == '\n' || *s == '\t')
            s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
            n--;
        if (n)
            stop = sink->field(sink->host, f, s, n);
        g_free(v);
    }
    return stop;
}

static int report_metadata(PopplerDocument *doc,
                           const struct fouille_sink *sink)
{
    if (report(sink, FOUILLE_FIELD_TITLE, poppler_document_get_title(doc)) ||
        report(sink, FOUILLE_FIELD_AUTHOR, poppler_document_get_author(doc)) ||
        report(sink, FOUILLE_FIELD_DESCRIPTION,
               poppler_document_get_subject(doc)) ||
        report(sink, FOUILLE_FIELD_KEYWORDS,
               poppler_document_get_keywords(doc)))
        return 1;
#if POPPLER_CHECK_VERSION(20, 9, 0)
    GDateTime *dt = poppler_document_get_creation_date_time(doc);
#else
    time_t t = poppler_document_get_creation_date(doc);
    GDateTime *dt = t > 0 ? g_date_time_new_from_unix_utc(t) : NULL;
#endif
    if (dt) {
        gchar *d = g_date_time_format(dt, "%Y-%m-%d");
        g_date_time_unref(dt);
        if (report(sink, FOUILLE_FIELD_DATE, d))
            return 1;
    }
    return 0;
}

/* The first occurrence of needle (length k) in h[0..n), or NULL (memmem()
 * is not POSIX). */
static const char *find_bytes(const char *h, size_t n, const char *needle,
                              size_t k)
{
    for (const char *p = h; k <= n && (size_t)(p - h) <= n - k; p++) {
        p = memchr(p, needle[0], n - k - (size_t)(p - h) + 1);
        if (!p)
            return NULL;
        if (!memcmp(p, needle, k))
            return p;
    }
    return NULL;
}

/* The object number and generation of the last object of buf[0..n) whose
 * dictionary holds key (e.g. "/Catalog"): "N G obj << ... key". Returns 0
 * when there is none. */
static int find_object(const char *buf, size_t n, const char *key,
                       unsigned long *num, unsigned long *gen)
{
    size_t kl = strlen(key);
    int found = 0;
    for (const char *p = buf;
         (p = find_bytes(p, n - (size_t)(p - buf), key, kl)); p += kl) {
        /* Back to the "obj" that opens this object, within 4 KB. */
        const char *lim = p - buf > 4096 ? p - 4096 : buf, *o = NULL;
        for (const char *q = p - 3; q >= lim; q--) {
            if (q + 6 <= p && !memcmp(q, "endobj", 6))
                break; /* key is outside any object */
            if (q + 3 <= p && !memcmp(q, "obj", 3) &&
                (q == lim || q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\r')) {
                o = q;
                break;
            }
        }
        if (!o)
            continue;
        /* "N G obj": two numbers before it. */
        const char *q = o;
        unsigned long v[2];
        int ok = 1;
        for (int k = 1; k >= 0 && ok; k--) {
            while (q > buf && (q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\r'))
                q--;
            const char *e = q;
            while (q > buf && q[-1] >= '0' && q[-1] <= '9' && e - q < 10)
                q--;
            ok = q < e;
            v[k] = ok ? strtoul(q, NULL, 10) : 0;
        }
        if (ok) {
            *num = v[0], *gen = v[1];
            found = 1;
        }
    }
    return found;
}

/* A PDF cut before its end has lost its cross-reference table and its
 * trailer, so poppler cannot find the document catalog even though every
 * page before the cut is intact. Salvage: read the file (when it is not too
 * big), append a trailer naming the last catalog object (and the document
 * information dictionary, when one is found) and let poppler rebuild the
 * cross-reference table by scanning the objects. NULL when that fails. */
#define SALVAGE_MAX ((off_t)64 << 20)
static PopplerDocument *salvage(int fd, const struct fouille_sink *sink)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 64 ||
        st.st_size > SALVAGE_MAX)
        return NULL;
    size_t n = (size_t)st.st_size, have = 0;
    char *buf = g_try_malloc(n + 160);
    if (!buf)
        return NULL;
    while (have < n) {
        ssize_t r = pread(fd, buf + have, n - have, (off_t)have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    unsigned long root, rgen, info, igen;
    if (have != n || memcmp(buf, "%PDF-", 5) ||
        !find_object(buf, n, "/Catalog", &root, &rgen)) {
        g_free(buf);
        return NULL;
    }
    int len;
    if (find_object(buf, n, "/Producer", &info, &igen) ||
        find_object(buf, n, "/CreationDate", &info, &igen))
        len = snprintf(buf + n, 160,
                       "\ntrailer\n<< /Root %lu %lu R /Info %lu %lu R >>\n"
                       "%%%%EOF\n",
                       root, rgen, info, igen);
    else
        len = snprintf(buf + n, 160,
                       "\ntrailer\n<< /Root %lu %lu R >>\n%%%%EOF\n", root,
                       rgen);
    GBytes *bytes = g_bytes_new_take(buf, n + (size_t)len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    g_clear_error(&err);
    if (doc && poppler_document_get_n_pages(doc) <= 0) {
        g_object_unref(doc);
        doc = NULL;
    }
    if (doc)
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "no usable trailer: rebuilt from the objects (catalog %lu)",
                  root);
    return doc;
}

/* A file up to this size is read into memory in one go: poppler reads a
 * descriptor 256 bytes at a time, one pread() each, and those system calls
 * were a tenth of a worker's time on text PDFs. A larger file is read
 * through the descriptor, on demand, so that its size never becomes the
 * worker's memory. */
#define READ_WHOLE_MAX (32u << 20)

/* The whole of a regular file of at most READ_WHOLE_MAX bytes, or NULL
 * (larger, not regular, unreadable, or changing size while read). */
static GBytes *read_whole(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > READ_WHOLE_MAX)
        return NULL;
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = g_try_malloc(size);
    if (!buf)
        return NULL;
    while (got < size) {
        ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_free(buf); /* truncated meanwhile, or an I/O error */
            return NULL;
        }
        got += (size_t)n;
    }
    return g_bytes_new_take(buf, size);
}

/* Open the document on fd: from memory when it is small enough, else
 * through the descriptor. */
static PopplerDocument *open_document(int fd, GError **err)
{
    GBytes *bytes = read_whole(fd);
    if (bytes) {
        PopplerDocument *doc =
            poppler_document_new_from_bytes(bytes, NULL, err);
        g_bytes_unref(bytes);
        return doc;
    }
#if POPPLER_CHECK_VERSION(21, 12, 0)
    /* poppler closes the descriptor it is given, so it gets a duplicate;
     * never fd 0, which it would take for stdin. */
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) {
        int e = errno;
        g_set_error(err, G_FILE_ERROR, g_file_error_from_errno(e), "dup: %s",
                    g_strerror(e));
        return NULL;
    }
    return poppler_document_new_from_fd(own, NULL, err);
#else
    /* Before poppler 21.12: map the file; the document keeps the mapping
     * alive through the GBytes. */
    GMappedFile *map = g_mapped_file_new_from_fd(fd, FALSE, err);
    if (!map)
        return NULL;
    bytes = g_mapped_file_get_bytes(map);
    g_mapped_file_unref(map);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, err);
    g_bytes_unref(bytes);
    return doc;
#endif
}

static int pdf_extract(int fd, const char *mime,
                       const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    GError *err = NULL;
    int status = FOUILLE_OK;
    current_sink = sink;
    current_messages = 0;
    int salvaged = 0;
    size_t emitted = 0;
    PopplerDocument *doc = open_document(fd, &err);
    if (!doc && err && err->domain == POPPLER_ERROR &&
        err->code != POPPLER_ERROR_ENCRYPTED) {
        PopplerDocument *saved = salvage(fd, sink);
        if (saved) {
            g_clear_error(&err);
            doc = saved;
            salvaged = 1;
        }
    }
    if (!doc) {
        if (err && err->domain == POPPLER_ERROR &&
            err->code == POPPLER_ERROR_ENCRYPTED) {
            status = FOUILLE_E_ENCRYPTED;
        } else if (err && err->domain == G_FILE_ERROR) {
            sink->log(sink->host, FOUILLE_LOG_ERR, "%s", err->message);
            status = FOUILLE_E_IO;
        } else {
            sink->log(sink->host, FOUILLE_LOG_INFO, "%s",
                      err ? err->message : "cannot open the document");
            status = FOUILLE_E_MALFORMED;
        }
        g_clear_error(&err);
        current_sink = NULL;
        return status;
    }

    if (report_metadata(doc, sink)) {
        status = FOUILLE_E_STOPPED;
        goto out;
    }
    int ocr_sink = FOUILLE_SINK_HAS(sink, ocr_needed);
#ifdef HAVE_OCR
    struct ocr_budget budget;
    ocr_budget_start(&budget, sink);
    int ocr_here = ocr_sink && sink->ocr_pages > 0 && ocr_engine_ready();
    int ocr_short = 0; /* pages left unrecognised by the budget */
#endif
    int n = poppler_document_get_n_pages(doc);
    int last = n;
    if (sink->max_pages && (unsigned)n > sink->max_pages)
        last = (int)sink->max_pages;
#ifdef HAVE_OCR
    if (ocr_here && FOUILLE_SINK_HAS(sink, ocr_wanted) && sink->ocr_only) {
        status = recognise_wanted(doc, last, &budget, sink);
        goto out;
    }
#endif
    for (int i = 0; i < last; i++) {
        if (sink->text_budget(sink->host) == 0) {
            status = FOUILLE_E_STOPPED;
            goto out;
        }
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *text = poppler_page_get_text(page);
        PopplerRectangle *rects = NULL;
        guint nrects = 0;
        if (text && *text &&
            poppler_page_get_text_layout(page, &rects, &nrects)) {
            char *sep = separate_columns(text, rects, nrects);
            if (sep) {
                g_free(text);
                text = sep;
            }
        }
        g_free(rects);
        int stop = 0;
        if (ocr_sink && needs_ocr(page, text)) {
#ifdef HAVE_OCR
            if (ocr_here) {
                int st = recognise_page(page, &budget, sink, (unsigned)i + 1);
                if (st == FOUILLE_E_LIMIT)
                    ocr_short++;
                else if (st == FOUILLE_E_STOPPED || st == FOUILLE_E_NOMEM) {
                    g_free(text);
                    g_object_unref(page);
                    status = st;
                    goto out;
                }
                g_free(text); /* the recognised words replace it */
                text = NULL;
            } else
#endif
                sink->ocr_needed(sink->host, (unsigned)i + 1);
        }
        g_object_unref(page);
        if (text) {
            clean_controls(text);
            dehyphenate(text);
            size_t len = strlen(text);
            if (len)
                stop = sink->text(sink->host, text, len, (unsigned)i + 1);
            emitted += len;
            g_free(text);
        }
        if (stop || sink->text(sink->host, "\n", 1, (unsigned)i + 1)) {
            status = FOUILLE_E_STOPPED;
            goto out;
        }
    }
#ifdef HAVE_OCR
    if (ocr_short) {
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "%d page(s) not recognised: OCR limit (pages or time)",
                  ocr_short);
        status = emitted || budget.pages_done ? FOUILLE_E_STOPPED
                                              : FOUILLE_E_LIMIT;
        goto out;
    }
#endif
    if (salvaged && emitted == 0) {
        /* Nothing survived the cut: it was damaged after all. */
        sink->log(sink->host, FOUILLE_LOG_INFO, "no text before the cut");
        status = FOUILLE_E_MALFORMED;
    } else if (last < n) {
        sink->log(sink->host, FOUILLE_LOG_INFO,
                  "read %d of %d pages (page limit)", last, n);
        status = FOUILLE_E_STOPPED;
    }
out:
    g_object_unref(doc);
    current_sink = NULL;
    return status;
}

static const char *const pdf_mime_types[] = {"application/pdf", NULL};
static const char *const pdf_extensions[] = {"pdf", NULL};

static const struct fouille_plugin pdf_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "pdf",
    .version = "1.0",
    .mime_types = pdf_mime_types,
    .extensions = pdf_extensions,
    .init = pdf_init,
    .fini = pdf_fini,
    .extract = pdf_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &pdf_plugin;
}
