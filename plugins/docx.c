/* docx.c -- the DOCX (Office Open XML word processing) extractor plugin.
 *
 * Written as any outside developer would write a fouille plugin: it includes
 * only <fouille/plugin.h>, system and library headers, and zipxml.h (the
 * XML-part reader it shares with odt.c), and builds out of tree with
 *
 *   cc -shared -fPIC -o docx.so docx.c zipxml.c $(pkg-config --cflags
 *      --libs fouille-plugin libxml-2.0)
 *
 * The archive is read through the host's zip reader (sink->zip_open...):
 * each XML part is inflated on demand and parsed by libxml2's streaming
 * xmlTextReader, so memory does not depend on the size of the document.
 *
 * Parts read: docProps/core.xml (fields), the main document (from
 * _rels/.rels, normally word/document.xml), then headers, footers, footnotes
 * and endnotes. Text: w:t runs; w:tab -> tab, w:br/w:cr -> newline,
 * w:noBreakHyphen -> '-', a newline after each paragraph and table row, so
 * table cells (which hold paragraphs) are separated too. The legacy VML copy
 * of text boxes (mc:Fallback) is skipped, deleted text (w:delText) and field
 * codes (w:instrText) are not text.
 *
 * Fields from core.xml: dc:title, dc:creator, dcterms:created (DATE),
 * dc:description (else dc:subject) -> DESCRIPTION, cp:keywords,
 * dc:language. Without dc:title, the first paragraph styled Title or
 * Heading 1 (style ids Title, Heading1, Titre, Titre1) is the title.
 *
 * Statuses: not a zip -> FOUILLE_E_UNSUPPORTED (or FOUILLE_E_ENCRYPTED for a
 * password-protected document, which Word stores as an OLE container with an
 * EncryptedPackage stream); a zip without the main document ->
 * FOUILLE_E_MALFORMED, after the core.xml fields were reported (a zip that
 * is not OOXML at all: FOUILLE_E_UNSUPPORTED); encrypted zip entries ->
 * FOUILLE_E_ENCRYPTED. A document damaged midway keeps the text read so far
 * (FOUILLE_OK with a warning) unless nothing was read (FOUILLE_E_MALFORMED).
 *
 * Limits: the host's zip reader refuses a part that would inflate past
 * sink->max_inflated_bytes, or compressed like a zip bomb, before inflating
 * it (in microseconds), and stops one that lies about its size:
 * FOUILLE_E_LIMIT. core.xml and .rels are capped at SMALL_PART_MAX.
 * Text stops when the host's budget is spent (FOUILLE_E_STOPPED).
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "zipxml.h"

#define SMALL_PART_MAX ((uint64_t)1 << 20) /* core.xml, .rels */
#define OUT_CHUNK 16384
#define FIELD_MAX 2048

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CP                                                                 \
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

struct docx {
    const struct fouille_sink *sink;
    struct fouille_zip *zip; /* the host's zip reader */
    int status;        /* first failure, FOUILLE_OK while all is well */
    int stopped;       /* the sink asked to stop */
    size_t text_bytes; /* text emitted */

    char out[OUT_CHUNK + 8];
    size_t out_len;
    char last; /* the last character emitted */

    /* title fallback: the first paragraph styled as a title */
    int title_reported;
    char title[FIELD_MAX];
    size_t title_len;
    int title_found;
};

/* ---- output ---- */

static void flush(struct docx *d)
{
    if (d->out_len && !d->stopped) {
        if (d->sink->text(d->sink->host, d->out, d->out_len, 0))
            d->stopped = 1;
        d->text_bytes += d->out_len;
    }
    d->out_len = 0;
}

static void emit(struct docx *d, const char *s, size_t n)
{
    while (n && !d->stopped) {
        size_t room = OUT_CHUNK - d->out_len, k = n < room ? n : room;
        /* Never split a UTF-8 character between two sink calls. */
        if (k < n)
            while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
        if (k == 0 && d->out_len == 0)
            k = n < room ? n : room; /* not UTF-8 anyway: let the host fix */
        for (size_t i = 0; i < k; i++) {
            unsigned char c = (unsigned char)s[i];
            /* No control characters (a form feed means a page break to
             * the host). */
            d->out[d->out_len++] =
                (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F ? ' '
                                                                  : (char)c;
        }
        if (k)
            d->last = s[k - 1];
        s += k, n -= k;
        if (d->out_len >= OUT_CHUNK || (k == 0 && n))
            flush(d);
    }
}

static int report(struct docx *d, enum fouille_field f, const char *s,
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

static void fail(struct docx *d, int status)
{
    if (d->status == FOUILLE_OK)
        d->status = status;
}

/* ---- reading a part ---- */

typedef int (*walk_fn)(struct docx *d, xmlTextReaderPtr r, void *ctx);

struct walk {
    struct docx *d;
    walk_fn fn;
    void *ctx;
};

static int walk_node(void *ctx, xmlTextReaderPtr r)
{
    struct walk *w = ctx;
    return w->fn(w->d, r, w->ctx) || w->d->stopped;
}

/* Run fn on each node of part idx (refused when it would inflate past
 * size_cap). Returns FOUILLE_OK, or the status the part ended with. */
static int walk_part(struct docx *d, int64_t idx, const char *name,
                     uint64_t size_cap, walk_fn fn, void *ctx)
{
    struct walk w = {d, fn, ctx};
    return zipxml_walk(d->sink, d->zip, idx, name, size_cap, walk_node, &w);
}

static int ns_is(xmlTextReaderPtr r, const char *ns)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    return u && !strcmp((const char *)u, ns);
}

static int is_w(xmlTextReaderPtr r)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
    return u && (!strcmp((const char *)u, NS_W) ||
                 !strcmp((const char *)u, NS_W_STRICT));
}

static int name_is(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *l = xmlTextReaderConstLocalName(r);
    return l && !strcmp((const char *)l, local);
}

/* ---- _rels/.rels: where the main document and core properties are ---- */

struct rels {
    char document[512];
    char core[512];
};

static void rel_target(xmlTextReaderPtr r, char *out, size_t outsz)
{
    xmlChar *t = xmlTextReaderGetAttribute(r, BAD_CAST "Target");
    if (t) {
        const char *s = (const char *)t;
        while (*s == '/')
            s++;
        snprintf(out, outsz, "%s", s);
        xmlFree(t);
    }
}

static int walk_rels(struct docx *d, xmlTextReaderPtr r, void *ctx)
{
    struct rels *rels = ctx;
    (void)d;
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
        !name_is(r, "Relationship"))
        return 0;
    xmlChar *type = xmlTextReaderGetAttribute(r, BAD_CAST "Type");
    if (!type)
        return 0;
    size_t n = strlen((const char *)type);
    const char *t = (const char *)type;
    if (n >= 15 && !strcmp(t + n - 15, "/officeDocument") && !rels->document[0])
        rel_target(r, rels->document, sizeof rels->document);
    else if (n >= 16 && !strcmp(t + n - 16, "/core-properties") &&
             !rels->core[0])
        rel_target(r, rels->core, sizeof rels->core);
    xmlFree(type);
    return 0;
}

/* ---- docProps/core.xml ---- */

struct core {
    int have_title, have_description;
    char subject[FIELD_MAX];
    size_t subject_len;
};

static int walk_core(struct docx *d, xmlTextReaderPtr r, void *ctx)
{
    struct core *c = ctx;
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
        xmlTextReaderDepth(r) != 1)
        return 0;
    enum fouille_field f;
    int subject = 0;
    if (ns_is(r, NS_DC) && name_is(r, "title"))
        f = FOUILLE_FIELD_TITLE;
    else if (ns_is(r, NS_DC) && name_is(r, "creator"))
        f = FOUILLE_FIELD_AUTHOR;
    else if (ns_is(r, NS_DCTERMS) && name_is(r, "created"))
        f = FOUILLE_FIELD_DATE;
    else if (ns_is(r, NS_DC) && name_is(r, "description"))
        f = FOUILLE_FIELD_DESCRIPTION;
    else if (ns_is(r, NS_DC) && name_is(r, "subject"))
        f = FOUILLE_FIELD_DESCRIPTION, subject = 1;
    else if ((ns_is(r, NS_CP) || ns_is(r, NS_DC)) && name_is(r, "keywords"))
        f = FOUILLE_FIELD_KEYWORDS;
    else if (ns_is(r, NS_DC) && name_is(r, "language"))
        f = FOUILLE_FIELD_LANGUAGE;
    else
        return 0;
    xmlChar *v = xmlTextReaderReadString(r);
    if (!v)
        return 0;
    const char *s = (const char *)v;
    size_t n = strlen(s);
    while (n && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
        s++, n--;
    if (f == FOUILLE_FIELD_DATE && n > 10)
        n = 10; /* W3CDTF: keep YYYY-MM-DD */
    if (subject) {
        /* The subject describes only when there is no description. */
        if (n && n < sizeof c->subject) {
            memcpy(c->subject, s, n);
            c->subject_len = n;
        }
    } else if (n) {
        report(d, f, s, n);
        if (f == FOUILLE_FIELD_TITLE)
            c->have_title = 1;
        if (f == FOUILLE_FIELD_DESCRIPTION)
            c->have_description = 1;
    }
    xmlFree(v);
    return d->stopped;
}

/* ---- document, headers, footers, notes ---- */

#define P_STACK 16

struct body {
    int in_t;        /* inside w:t */
    int in_run;      /* depth of w:r nesting */
    int skip_depth;  /* depth of the skipped subtree, or -1 */
    int p_depth[P_STACK];
    int np;          /* open paragraphs (may exceed P_STACK) */
    int title_depth; /* depth of the paragraph captured as title, or -1 */
    int want_title;
};

static int title_style(const char *v)
{
    static const char *const styles[] = {"Title", "Heading1", "Titre",
                                         "Titre1", "heading1", "title",
                                         NULL};
    for (const char *const *s = styles; *s; s++)
        if (!strcmp(*s, v))
            return 1;
    return 0;
}

static void title_add(struct docx *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n && d->title_len + 1 < FIELD_MAX; i++) {
        char c = s[i];
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && (d->title_len == 0 || d->title[d->title_len - 1] == ' '))
            continue;
        d->title[d->title_len++] = c;
    }
    if (d->title_len + 1 >= FIELD_MAX)
        while (d->title_len &&
               ((unsigned char)d->title[d->title_len - 1] & 0xC0) == 0x80)
            d->title_len--;
}

static int walk_body(struct docx *d, xmlTextReaderPtr r, void *ctx)
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
        if (ns_is(r, NS_MC) && name_is(r, "Fallback")) {
            if (!empty)
                b->skip_depth = depth;
            return 0;
        }
        if (!is_w(r))
            return 0;
        if (name_is(r, "t")) {
            b->in_t = !empty;
        } else if (name_is(r, "r")) {
            if (!empty)
                b->in_run++;
        } else if (name_is(r, "p")) {
            if (empty) {
                emit(d, "\n", 1);
            } else {
                /* A paragraph inside a paragraph (a text box) starts on a
                 * line of its own. */
                if (d->last && d->last != '\n')
                    emit(d, "\n", 1);
                if (b->np < P_STACK)
                    b->p_depth[b->np] = depth;
                b->np++;
            }
        } else if (b->in_run && name_is(r, "tab")) {
            emit(d, "\t", 1);
        } else if (b->in_run && (name_is(r, "br") || name_is(r, "cr"))) {
            emit(d, "\n", 1);
        } else if (b->in_run && name_is(r, "noBreakHyphen")) {
            emit(d, "-", 1);
        } else if (name_is(r, "pStyle") && b->want_title &&
                   b->title_depth < 0 && b->np > 0 && b->np <= P_STACK) {
            xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST "val",
                                                     xmlTextReaderConstNamespaceUri(r));
            if (v && title_style((const char *)v)) {
                b->title_depth = b->p_depth[b->np - 1];
                d->title_len = 0;
            }
            xmlFree(v);
        }
        return 0;
    }
    case XML_READER_TYPE_END_ELEMENT:
        if (!is_w(r))
            return 0;
        if (name_is(r, "t")) {
            b->in_t = 0;
        } else if (name_is(r, "r")) {
            if (b->in_run > 0)
                b->in_run--;
        } else if (name_is(r, "p")) {
            if (b->np > 0)
                b->np--;
            emit(d, "\n", 1);
            if (b->title_depth == depth) {
                b->title_depth = -1;
                if (d->title_len) {
                    d->title_found = 1;
                    b->want_title = 0;
                }
            }
        } else if (name_is(r, "tr")) {
            emit(d, "\n", 1);
        }
        return 0;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (b->in_t) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v) {
                size_t n = strlen((const char *)v);
                emit(d, (const char *)v, n);
                if (b->title_depth >= 0)
                    title_add(d, (const char *)v, n);
            }
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- the archive ---- */

/* Whether the first bytes of fd are an OLE compound file holding an
 * EncryptedPackage stream: how Word stores a password-protected .docx. */
static int is_encrypted_ole(int fd)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                         0xA1, 0xB1, 0x1A, 0xE1};
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e";
    unsigned char *buf = malloc(1 << 20);
    int found = 0;
    if (!buf)
        return 0;
    ssize_t n = pread(fd, buf, 1 << 20, 0);
    if (n >= 512 && !memcmp(buf, ole, sizeof ole))
        for (ssize_t i = 0; i + (ssize_t)sizeof name - 1 <= n && !found; i++)
            found = !memcmp(buf + i, name, sizeof name - 1);
    free(buf);
    return found;
}

/* OPC part names are case-insensitive. */
static int64_t locate(struct docx *d, const char *name)
{
    return d->sink->zip_locate(d->zip, name, FOUILLE_ZIP_NOCASE);
}

static int docx_init(void)
{
    xmlInitParser();
    return 0;
}

static int docx_extract(int fd, const char *mime,
                        const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    struct docx *d = calloc(1, sizeof *d);
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
        if (rc == FOUILLE_E_UNSUPPORTED && is_encrypted_ole(fd))
            return FOUILLE_E_ENCRYPTED;
        return rc;
    }
    /* libxml2 would report some errors outside any parser context. */
    zipxml_quiet(1);

    struct rels rels = {"", ""};
    int64_t idx = locate(d, "_rels/.rels");
    if (idx >= 0)
        walk_part(d, idx, "_rels/.rels", SMALL_PART_MAX, walk_rels, &rels);
    int is_ooxml = idx >= 0 || locate(d, "[Content_Types].xml") >= 0;

    /* Fields first, so that they survive a damaged body. */
    struct core core = {0, 0, "", 0};
    const char *core_name = rels.core[0] ? rels.core : "docProps/core.xml";
    idx = locate(d, core_name);
    if (idx >= 0) {
        rc = walk_part(d, idx, core_name, SMALL_PART_MAX, walk_core,
                           &core);
        if (rc == FOUILLE_E_LIMIT || rc == FOUILLE_E_ENCRYPTED ||
            rc == FOUILLE_E_STOPPED)
            fail(d, rc);
        if (!core.have_description && core.subject_len)
            report(d, FOUILLE_FIELD_DESCRIPTION, core.subject,
                   core.subject_len);
        d->title_reported = core.have_title;
    }

    const char *doc_name = rels.document[0] ? rels.document
                                            : "word/document.xml";
    idx = d->status == FOUILLE_OK ? locate(d, doc_name) : -1;
    if (idx < 0 && d->status == FOUILLE_OK && rels.document[0])
        idx = locate(d, doc_name = "word/document.xml");
    if (d->status == FOUILLE_OK && idx < 0) {
        sink->log(sink->host, FOUILLE_LOG_INFO, "no %s in the archive",
                  doc_name);
        fail(d, is_ooxml ? FOUILLE_E_MALFORMED : FOUILLE_E_UNSUPPORTED);
    }
    if (d->status == FOUILLE_OK) {
        struct body b;
        memset(&b, 0, sizeof b);
        b.skip_depth = b.title_depth = -1;
        b.want_title = !d->title_reported;
        rc = walk_part(d, idx, doc_name, 0, walk_body, &b);
        flush(d);
        if (rc == FOUILLE_E_MALFORMED && d->text_bytes > 0)
            rc = FOUILLE_OK; /* keep what was read; logged already */
        fail(d, rc);
        if (!d->title_reported && d->title_found)
            report(d, FOUILLE_FIELD_TITLE, d->title, d->title_len);
    }
    /* Headers, footers and notes, in archive order, after the body. */
    int64_t n = sink->zip_count(d->zip);
    for (int64_t i = 0; i < n && d->status == FOUILLE_OK && !d->stopped; i++) {
        const char *name = sink->zip_name(d->zip, i);
        if (!name || strncmp(name, "word/", 5))
            continue;
        const char *base = name + 5;
        size_t bl = strlen(base);
        if (bl < 5 || strcmp(base + bl - 4, ".xml") || strchr(base, '/'))
            continue;
        if (strncmp(base, "header", 6) && strncmp(base, "footer", 6) &&
            strcmp(base, "footnotes.xml") && strcmp(base, "endnotes.xml"))
            continue;
        struct body b;
        memset(&b, 0, sizeof b);
        b.skip_depth = b.title_depth = -1;
        emit(d, "\n", 1);
        rc = walk_part(d, i, name, 0, walk_body, &b);
        flush(d);
        if (rc != FOUILLE_E_MALFORMED) /* a damaged header is not fatal */
            fail(d, rc);
    }
    flush(d);
    if (d->stopped && d->status == FOUILLE_OK)
        d->status = FOUILLE_E_STOPPED;
    zipxml_quiet(0);
    sink->zip_close(d->zip);
    int status = d->status;
    free(d);
    return status;
}

static const char *const docx_mime_types[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    NULL};
static const char *const docx_extensions[] = {"docx", NULL};

static const struct fouille_plugin docx_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "docx",
    .version = "1.0",
    .mime_types = docx_mime_types,
    .extensions = docx_extensions,
    .init = docx_init,
    .fini = NULL,
    .extract = docx_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &docx_plugin;
}
