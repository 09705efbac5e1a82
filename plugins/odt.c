/* odt.c -- the OpenDocument text (ODT) extractor plugin.
 *
 * Same approach as docx.c (the host's zip reader, libxml2's streaming
 * xmlTextReader fed by it, through zipxml.c), and like it self-contained:
 * only <fouille/plugin.h>, zipxml.h, system and library headers.
 *
 * Parts read: mimetype (anything but an OpenDocument type is
 * FOUILLE_E_UNSUPPORTED), META-INF/manifest.xml (a document with
 * encryption data is FOUILLE_E_ENCRYPTED), meta.xml (fields), content.xml
 * (text).
 *
 * Text: the content of text:p and text:h elements (spans, links, text
 * boxes, lists and table cells included), white space collapsed as ODF
 * says; text:s -> spaces (text:c of them), text:tab -> tab,
 * text:line-break -> newline, a newline after each paragraph and heading.
 * Not text: tracked deletions (text:tracked-changes), comments
 * (office:annotation), note citations (the footnote number; the note
 * body is kept), the titles and descriptions of images (svg:title,
 * svg:desc).
 *
 * Fields from meta.xml: dc:title, meta:initial-creator (else dc:creator),
 * meta:creation-date (else dc:date) -> DATE, dc:description (else
 * dc:subject), meta:keyword elements joined with ", ", dc:language.
 * Without dc:title, the first heading of outline level 1 (or paragraph
 * styled Title) is the title.
 *
 * Limits as in docx.c, enforced by the host's zip reader: a part that
 * would inflate past sink->max_inflated_bytes, or compressed like a zip
 * bomb, is refused before inflating, and one that lies about its size is
 * stopped (FOUILLE_E_LIMIT).
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "zipxml.h"

#define SMALL_PART_MAX ((uint64_t)1 << 20) /* mimetype, manifest, meta */
#define OUT_CHUNK 16384
#define FIELD_MAX 2048

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

struct odt {
    const struct fouille_sink *sink;
    struct fouille_zip *zip; /* the host's zip reader */
    int status;
    int stopped;
    size_t text_bytes;
    char out[OUT_CHUNK + 8];
    size_t out_len;
    int space; /* a collapsed white space is owed */
    int any;   /* text was written since the last line break */
};

static void flush(struct odt *d)
{
    if (d->out_len && !d->stopped) {
        if (d->sink->text(d->sink->host, d->out, d->out_len, 0))
            d->stopped = 1;
        d->text_bytes += d->out_len;
    }
    d->out_len = 0;
}

static void put(struct odt *d, char c)
{
    d->out[d->out_len++] = c;
    /* Flush between characters only, never inside one. */
    if (d->out_len >= OUT_CHUNK && ((unsigned char)c & 0xC0) != 0xC0)
        flush(d);
}

/* Paragraph text: white space collapses to one space; controls vanish. */
static void emit_text(struct odt *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !d->stopped; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            d->space = d->any;
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            continue;
        if (d->space)
            put(d, ' ');
        d->space = 0;
        d->any = 1;
        put(d, (char)c);
    }
}

/* A separator the document states (text:s, text:tab, line ends). */
static void emit_raw(struct odt *d, char c)
{
    if (d->stopped)
        return;
    d->space = 0;
    d->any = c != '\n';
    put(d, c);
}

static int report(struct odt *d, enum fouille_field f, const char *s,
                  size_t n)
{
    while (n && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
                 s[n - 1] == '\r'))
        n--;
    if (n > FIELD_MAX)
        n = FIELD_MAX;
    if (n && !d->stopped && d->sink->field(d->sink->host, f, s, n))
        d->stopped = 1;
    return d->stopped;
}

static void fail(struct odt *d, int status)
{
    if (d->status == FOUILLE_OK)
        d->status = status;
}

/* ---- reading a part ---- */

typedef int (*walk_fn)(struct odt *d, xmlTextReaderPtr r, void *ctx);

struct walk {
    struct odt *d;
    walk_fn fn;
    void *ctx;
};

static int walk_node(void *ctx, xmlTextReaderPtr r)
{
    struct walk *w = ctx;
    return w->fn(w->d, r, w->ctx) || w->d->stopped;
}

/* Run fn on each node of the part called name (refused when it would
 * inflate past size_cap). Returns FOUILLE_OK, -1 when the part is absent,
 * or the status the part ended with. */
static int walk_part(struct odt *d, const char *name, uint64_t size_cap,
                     walk_fn fn, void *ctx)
{
    int64_t idx = d->sink->zip_locate(d->zip, name, 0);
    if (idx < 0)
        return -1;
    struct walk w = {d, fn, ctx};
    return zipxml_walk(d->sink, d->zip, idx, name, size_cap, walk_node, &w);
}

static int is(xmlTextReaderPtr r, const char *ns, const char *local)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    return u && l && !strcmp((const char *)u, ns) &&
           !strcmp((const char *)l, local);
}

/* ---- META-INF/manifest.xml: is anything encrypted? ---- */

static int walk_manifest(struct odt *d, xmlTextReaderPtr r, void *ctx)
{
    (void)d;
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && l &&
        !strcmp((const char *)l, "encryption-data"))
        *(int *)ctx = 1;
    return 0;
}

/* ---- meta.xml ---- */

struct meta {
    char keywords[FIELD_MAX];
    size_t kw_len;
    char creator[FIELD_MAX], date[32], subject[FIELD_MAX];
    size_t creator_len, date_len, subject_len;
    int have_title, have_author, have_date, have_description;
};

static size_t keep(char *dst, size_t dstsz, const char *s)
{
    size_t n = strlen(s);
    if (n >= dstsz)
        n = dstsz - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}

static int walk_meta(struct odt *d, xmlTextReaderPtr r, void *ctx)
{
    struct meta *m = ctx;
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
        xmlTextReaderDepth(r) != 2)
        return 0;
    int which = is(r, NS_DC, "title")               ? 1
                : is(r, NS_META, "initial-creator") ? 2
                : is(r, NS_DC, "creator")           ? 3
                : is(r, NS_META, "creation-date")   ? 4
                : is(r, NS_DC, "date")              ? 5
                : is(r, NS_DC, "description")       ? 6
                : is(r, NS_DC, "subject")           ? 7
                : is(r, NS_META, "keyword")         ? 8
                : is(r, NS_DC, "language")          ? 9
                                                    : 0;
    if (!which)
        return 0;
    xmlChar *v = xmlTextReaderReadString(r);
    if (!v)
        return 0;
    const char *s = (const char *)v;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    if (*s) {
        switch (which) {
        case 1:
            m->have_title = 1;
            report(d, FOUILLE_FIELD_TITLE, s, strlen(s));
            break;
        case 2:
            m->have_author = 1;
            report(d, FOUILLE_FIELD_AUTHOR, s, strlen(s));
            break;
        case 3:
            m->creator_len = keep(m->creator, sizeof m->creator, s);
            break;
        case 4:
            m->have_date = 1;
            report(d, FOUILLE_FIELD_DATE, s, strlen(s) > 10 ? 10 : strlen(s));
            break;
        case 5:
            m->date_len = keep(m->date, 11, s);
            break;
        case 6:
            m->have_description = 1;
            report(d, FOUILLE_FIELD_DESCRIPTION, s, strlen(s));
            break;
        case 7:
            m->subject_len = keep(m->subject, sizeof m->subject, s);
            break;
        case 8:
            if (m->kw_len + strlen(s) + 3 < sizeof m->keywords) {
                if (m->kw_len)
                    memcpy(m->keywords + m->kw_len, ", ", 2), m->kw_len += 2;
                m->kw_len += keep(m->keywords + m->kw_len,
                                  sizeof m->keywords - m->kw_len, s);
            }
            break;
        case 9:
            report(d, FOUILLE_FIELD_LANGUAGE, s, strlen(s));
            break;
        }
    }
    xmlFree(v);
    return d->stopped;
}

/* ---- content.xml ---- */

struct body {
    int para;       /* depth of open text:p / text:h */
    int skip_depth; /* depth of a skipped subtree, or -1 */
    int want_title;
    int title_depth; /* depth of the heading captured as title, or -1 */
    char title[FIELD_MAX];
    size_t title_len;
    int title_found;
};

static void title_add(struct body *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && b->title_len + 1 < FIELD_MAX; i++) {
        char c = s[i];
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && (b->title_len == 0 || b->title[b->title_len - 1] == ' '))
            continue;
        b->title[b->title_len++] = c;
    }
    if (b->title_len + 1 >= FIELD_MAX)
        while (b->title_len &&
               ((unsigned char)b->title[b->title_len - 1] & 0xC0) == 0x80)
            b->title_len--;
}

static int is_title_start(xmlTextReaderPtr r)
{
    int yes = 0;
    if (is(r, NS_TEXT, "h")) {
        xmlChar *lvl = xmlTextReaderGetAttributeNs(r, BAD_CAST "outline-level",
                                                   BAD_CAST NS_TEXT);
        yes = !lvl || !strcmp((const char *)lvl, "1");
        xmlFree(lvl);
    } else if (is(r, NS_TEXT, "p")) {
        xmlChar *st = xmlTextReaderGetAttributeNs(r, BAD_CAST "style-name",
                                                  BAD_CAST NS_TEXT);
        yes = st && !strcmp((const char *)st, "Title");
        xmlFree(st);
    }
    return yes;
}

static int walk_body(struct odt *d, xmlTextReaderPtr r, void *ctx)
{
    struct body *b = ctx;
    int type = xmlTextReaderNodeType(r);
    int depth = xmlTextReaderDepth(r);
    if (b->skip_depth >= 0) {
        if (type == XML_READER_TYPE_END_ELEMENT && depth == b->skip_depth)
            b->skip_depth = -1;
        return 0;
    }
    switch (type) {
    case XML_READER_TYPE_ELEMENT: {
        int empty = xmlTextReaderIsEmptyElement(r);
        if (is(r, NS_TEXT, "tracked-changes") ||
            is(r, NS_OFFICE, "annotation") ||
            is(r, NS_TEXT, "note-citation") || is(r, NS_SVG, "title") ||
            is(r, NS_SVG, "desc")) {
            if (!empty)
                b->skip_depth = depth;
        } else if (is(r, NS_TEXT, "p") || is(r, NS_TEXT, "h")) {
            if (b->want_title && b->title_depth < 0 && is_title_start(r)) {
                b->title_depth = depth;
                b->title_len = 0;
            }
            /* A paragraph inside a paragraph (a note, a text box) starts
             * on a line of its own. */
            if (empty || d->any)
                emit_raw(d, '\n');
            if (!empty)
                b->para++;
            if (empty && b->title_depth == depth)
                b->title_depth = -1;
        } else if (b->para && is(r, NS_TEXT, "s")) {
            xmlChar *c = xmlTextReaderGetAttributeNs(r, BAD_CAST "c",
                                                     BAD_CAST NS_TEXT);
            long n = c ? strtol((const char *)c, NULL, 10) : 1;
            xmlFree(c);
            for (long k = 0; k < (n < 1 ? 1 : n > 64 ? 64 : n); k++)
                emit_raw(d, ' ');
        } else if (b->para && is(r, NS_TEXT, "tab")) {
            emit_raw(d, '\t');
        } else if (b->para && is(r, NS_TEXT, "line-break")) {
            emit_raw(d, '\n');
        }
        return 0;
    }
    case XML_READER_TYPE_END_ELEMENT:
        if (is(r, NS_TEXT, "p") || is(r, NS_TEXT, "h")) {
            if (b->para > 0)
                b->para--;
            emit_raw(d, '\n');
            if (b->title_depth == depth) {
                b->title_depth = -1;
                if (b->title_len) {
                    b->title_found = 1;
                    b->want_title = 0;
                }
            }
        }
        return 0;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (b->para) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v) {
                size_t n = strlen((const char *)v);
                emit_text(d, (const char *)v, n);
                if (b->title_depth >= 0)
                    title_add(b, (const char *)v, n);
            }
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- the archive ---- */

static int odt_init(void)
{
    xmlInitParser();
    return 0;
}

/* The archive's mimetype member, into buf; 0 when absent or unreadable. */
static int read_mimetype(struct odt *d, char *buf, size_t bufsz)
{
    const struct fouille_sink *sink = d->sink;
    int64_t idx = sink->zip_locate(d->zip, "mimetype", 0);
    int rc;
    if (idx < 0)
        return 0;
    struct fouille_zip_part *part =
        sink->zip_part_open(d->zip, idx, bufsz - 1, &rc);
    if (!part)
        return 0;
    int64_t n = sink->zip_part_read(part, buf, bufsz - 1);
    rc = sink->zip_part_close(part);
    if (n <= 0 || rc != FOUILLE_OK)
        return 0;
    buf[n] = '\0';
    return 1;
}

static int odt_extract(int fd, const char *mime,
                       const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    struct odt *d = calloc(1, sizeof *d);
    struct body *b = NULL;
    struct meta *m = NULL;
    if (!d)
        return FOUILLE_E_NOMEM;
    d->sink = sink;
    if (!FOUILLE_SINK_HAS(sink, zip_close)) {
        sink->log(sink->host, FOUILLE_LOG_ERR,
                  "the host has no zip reader: fouille is older than this "
                  "plugin");
        free(d);
        return FOUILLE_E_FAILED;
    }
    int rc;
    d->zip = sink->zip_open(sink, fd, &rc);
    if (!d->zip) {
        free(d);
        return rc;
    }
    zipxml_quiet(1);

    char type[128];
    if (read_mimetype(d, type, sizeof type) &&
        strncmp(type, "application/vnd.oasis.opendocument.", 35)) {
        sink->log(sink->host, FOUILLE_LOG_INFO, "not OpenDocument: %s", type);
        fail(d, FOUILLE_E_UNSUPPORTED);
    }
    int encrypted = 0;
    if (d->status == FOUILLE_OK) {
        rc = walk_part(d, "META-INF/manifest.xml", SMALL_PART_MAX,
                           walk_manifest, &encrypted);
        if (encrypted)
            fail(d, FOUILLE_E_ENCRYPTED);
        else if (rc == FOUILLE_E_LIMIT)
            fail(d, rc);
    }
    m = calloc(1, sizeof *m);
    b = calloc(1, sizeof *b);
    if (!m || !b)
        fail(d, FOUILLE_E_NOMEM);
    if (d->status == FOUILLE_OK) {
        rc = walk_part(d, "meta.xml", SMALL_PART_MAX, walk_meta, m);
        if (rc == FOUILLE_E_LIMIT || rc == FOUILLE_E_ENCRYPTED ||
            rc == FOUILLE_E_STOPPED)
            fail(d, rc);
        if (!m->have_author && m->creator_len)
            report(d, FOUILLE_FIELD_AUTHOR, m->creator, m->creator_len);
        if (!m->have_date && m->date_len)
            report(d, FOUILLE_FIELD_DATE, m->date, m->date_len);
        if (!m->have_description && m->subject_len)
            report(d, FOUILLE_FIELD_DESCRIPTION, m->subject, m->subject_len);
        if (m->kw_len)
            report(d, FOUILLE_FIELD_KEYWORDS, m->keywords, m->kw_len);
    }
    if (d->status == FOUILLE_OK) {
        b->skip_depth = b->title_depth = -1;
        b->want_title = !m->have_title;
        rc = walk_part(d, "content.xml", 0, walk_body, b);
        flush(d);
        if (rc < 0) {
            sink->log(sink->host, FOUILLE_LOG_INFO, "no content.xml");
            rc = FOUILLE_E_MALFORMED;
        } else if (rc == FOUILLE_E_MALFORMED && d->text_bytes > 0) {
            rc = FOUILLE_OK; /* keep what was read; logged already */
        }
        fail(d, rc);
        if (b->title_found)
            report(d, FOUILLE_FIELD_TITLE, b->title, b->title_len);
    }
    flush(d);
    if (d->stopped && d->status == FOUILLE_OK)
        d->status = FOUILLE_E_STOPPED;
    zipxml_quiet(0);
    sink->zip_close(d->zip);
    int status = d->status;
    free(m);
    free(b);
    free(d);
    return status;
}

static const char *const odt_mime_types[] = {
    "application/vnd.oasis.opendocument.text", NULL};
static const char *const odt_extensions[] = {"odt", NULL};

static const struct fouille_plugin odt_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "odt",
    .version = "1.0",
    .mime_types = odt_mime_types,
    .extensions = odt_extensions,
    .init = odt_init,
    .fini = NULL,
    .extract = odt_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &odt_plugin;
}
