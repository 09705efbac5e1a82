/* docx.c -- the DOCX (Office Open XML word processing) extractor plugin.
 *
 * Written as any outside developer would write a fouille plugin: it includes
 * only <fouille/plugin.h> and system and library headers, and builds out of
 * tree with
 *
 *   cc -shared -fPIC -o docx.so docx.c $(pkg-config --cflags --libs
 *      fouille-plugin libzip libxml-2.0)
 *
 * The archive is opened with libzip on a duplicate of the descriptor; each
 * XML part is inflated on demand and parsed by libxml2's streaming
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
 * Limits, checked before inflating a part: a declared size over what remains
 * of sink->max_inflated_bytes, or a compression ratio above MAX_RATIO for a
 * part over RATIO_MIN_SIZE, is FOUILLE_E_LIMIT (a zip bomb is refused in
 * microseconds). While inflating, the bytes actually produced are counted
 * against max_inflated_bytes too (a lying size is caught): FOUILLE_E_LIMIT.
 * Text stops when the host's budget is spent (FOUILLE_E_STOPPED).
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define MAX_RATIO 200                     /* inflated:compressed */
#define RATIO_MIN_SIZE ((uint64_t)1 << 20) /* parts smaller are not judged */
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
    zip_t *zip;
    uint64_t inflated; /* bytes inflated so far, all parts */
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

struct part {
    struct docx *d;
    zip_file_t *zf;
    const char *name;
    int limit_hit;
    int read_error;
};

/* libxml2 pulls inflated bytes here; the count is checked against
 * max_inflated_bytes before anything is inflated past it. */
static int part_read(void *ctx, char *buf, int len)
{
    struct part *p = ctx;
    struct docx *d = p->d;
    uint64_t max = d->sink->max_inflated_bytes;
    if (d->stopped || len <= 0)
        return 0;
    if (max) {
        if (d->inflated >= max) {
            /* At the limit: fine if the part ends exactly here. */
            char probe;
            zip_int64_t r = zip_fread(p->zf, &probe, 1);
            if (r == 0)
                return 0;
            p->limit_hit = 1;
            return -1;
        }
        if ((uint64_t)len > max - d->inflated)
            len = (int)(max - d->inflated);
    }
    zip_int64_t r = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (r < 0) {
        p->read_error = 1;
        return -1;
    }
    d->inflated += (uint64_t)r;
    return (int)r;
}

static void silent(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

/* Check a part's declared size and ratio before inflating it. Returns 0 to
 * go on, or a status. */
static int check_part(struct docx *d, zip_int64_t idx, const char *name,
                      uint64_t *size)
{
    zip_stat_t st;
    uint64_t max = d->sink->max_inflated_bytes;
    if (zip_stat_index(d->zip, (zip_uint64_t)idx, 0, &st) < 0)
        return FOUILLE_E_MALFORMED;
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return FOUILLE_E_MALFORMED;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st.encryption_method != ZIP_EM_NONE)
        return FOUILLE_E_ENCRYPTED;
    *size = st.size;
    if (max && st.size > max - (d->inflated < max ? d->inflated : max)) {
        d->sink->log(d->sink->host, FOUILLE_LOG_WARNING,
                     "%s inflates to %llu bytes, over the %llu-byte limit",
                     name, (unsigned long long)st.size,
                     (unsigned long long)max);
        return FOUILLE_E_LIMIT;
    }
    if (st.size > RATIO_MIN_SIZE &&
        (st.comp_size == 0 || st.size / st.comp_size > MAX_RATIO)) {
        d->sink->log(d->sink->host, FOUILLE_LOG_WARNING,
                     "%s: compression ratio %llu:1 (%llu bytes from %llu), "
                     "refused as a zip bomb",
                     name,
                     (unsigned long long)(st.comp_size
                                              ? st.size / st.comp_size
                                              : st.size),
                     (unsigned long long)st.size,
                     (unsigned long long)st.comp_size);
        return FOUILLE_E_LIMIT;
    }
    return 0;
}

typedef int (*walk_fn)(struct docx *d, xmlTextReaderPtr r, void *ctx);

/* Open part idx and run fn on each node of its XML. Returns FOUILLE_OK, or
 * the status the part ended with. */
static int walk_part(struct docx *d, zip_int64_t idx, const char *name,
                     uint64_t size_cap, walk_fn fn, void *ctx)
{
    uint64_t size;
    int rc = check_part(d, idx, name, &size);
    if (rc)
        return rc;
    if (size_cap && size > size_cap)
        return FOUILLE_E_LIMIT;
    struct part p = {d, NULL, name, 0, 0};
    p.zf = zip_fopen_index(d->zip, (zip_uint64_t)idx, 0);
    if (!p.zf) {
        zip_error_t *ze = zip_get_error(d->zip);
        int code = zip_error_code_zip(ze);
        if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD ||
            code == ZIP_ER_ENCRNOTSUPP)
            return FOUILLE_E_ENCRYPTED;
        if (code == ZIP_ER_MEMORY)
            return FOUILLE_E_NOMEM;
        d->sink->log(d->sink->host, FOUILLE_LOG_WARNING, "%s: %s", name,
                     zip_strerror(d->zip));
        return FOUILLE_E_MALFORMED;
    }
    xmlTextReaderPtr r = xmlReaderForIO(
        part_read, NULL, &p, NULL, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        zip_fclose(p.zf);
        return FOUILLE_E_NOMEM;
    }
    xmlTextReaderSetStructuredErrorHandler(r, silent, NULL);
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1 && !d->stopped)
        if (fn(d, r, ctx))
            break;
    xmlFreeTextReader(r);
    zip_fclose(p.zf);
    if (p.limit_hit) {
        d->sink->log(d->sink->host, FOUILLE_LOG_WARNING,
                     "%s: inflated more than %llu bytes, stopped", name,
                     (unsigned long long)d->sink->max_inflated_bytes);
        return FOUILLE_E_LIMIT;
    }
    if (d->stopped)
        return FOUILLE_E_STOPPED;
    if (ret < 0) {
        d->sink->log(d->sink->host, FOUILLE_LOG_WARNING,
                     "%s: %s after %llu bytes", name,
                     p.read_error ? "damaged compressed data"
                                  : "malformed XML",
                     (unsigned long long)d->inflated);
        return FOUILLE_E_MALFORMED;
    }
    return FOUILLE_OK;
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

static zip_int64_t locate(zip_t *z, const char *name)
{
    return zip_name_locate(z, name, ZIP_FL_ENC_RAW | ZIP_FL_NOCASE);
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
    int zerr = 0;
    if (!d)
        return FOUILLE_E_NOMEM;
    d->sink = sink;
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) {
        sink->log(sink->host, FOUILLE_LOG_ERR, "dup: %s", strerror(errno));
        free(d);
        return FOUILLE_E_IO;
    }
    /* zip_fdopen() owns the descriptor on success only. */
    d->zip = zip_fdopen(own, ZIP_RDONLY, &zerr);
    if (!d->zip) {
        close(own);
        free(d);
        switch (zerr) {
        case ZIP_ER_NOZIP:
            return is_encrypted_ole(fd) ? FOUILLE_E_ENCRYPTED
                                        : FOUILLE_E_UNSUPPORTED;
        case ZIP_ER_MEMORY:
            return FOUILLE_E_NOMEM;
        case ZIP_ER_READ:
        case ZIP_ER_SEEK:
            return FOUILLE_E_IO;
        default: {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            sink->log(sink->host, FOUILLE_LOG_INFO, "zip: %s",
                      zip_error_strerror(&ze));
            zip_error_fini(&ze);
            return FOUILLE_E_MALFORMED;
        }
        }
    }
    /* libxml2 would report some errors outside any parser context. */
    xmlSetStructuredErrorFunc(NULL, silent);

    struct rels rels = {"", ""};
    zip_int64_t idx = locate(d->zip, "_rels/.rels");
    if (idx >= 0)
        walk_part(d, idx, "_rels/.rels", SMALL_PART_MAX, walk_rels, &rels);
    int is_ooxml = idx >= 0 || locate(d->zip, "[Content_Types].xml") >= 0;

    /* Fields first, so that they survive a damaged body. */
    struct core core = {0, 0, "", 0};
    const char *core_name = rels.core[0] ? rels.core : "docProps/core.xml";
    idx = locate(d->zip, core_name);
    if (idx >= 0) {
        int rc = walk_part(d, idx, core_name, SMALL_PART_MAX, walk_core,
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
    idx = d->status == FOUILLE_OK ? locate(d->zip, doc_name) : -1;
    if (idx < 0 && d->status == FOUILLE_OK && rels.document[0])
        idx = locate(d->zip, doc_name = "word/document.xml");
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
        int rc = walk_part(d, idx, doc_name, 0, walk_body, &b);
        flush(d);
        if (rc == FOUILLE_E_MALFORMED && d->text_bytes > 0)
            rc = FOUILLE_OK; /* keep what was read; logged already */
        fail(d, rc);
        if (!d->title_reported && d->title_found)
            report(d, FOUILLE_FIELD_TITLE, d->title, d->title_len);
    }
    /* Headers, footers and notes, in archive order, after the body. */
    zip_int64_t n = zip_get_num_entries(d->zip, 0);
    for (zip_int64_t i = 0; i < n && d->status == FOUILLE_OK && !d->stopped;
         i++) {
        const char *name = zip_get_name(d->zip, (zip_uint64_t)i,
                                        ZIP_FL_ENC_RAW);
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
        int rc = walk_part(d, i, name, 0, walk_body, &b);
        flush(d);
        if (rc != FOUILLE_E_MALFORMED) /* a damaged header is not fatal */
            fail(d, rc);
    }
    flush(d);
    if (d->stopped && d->status == FOUILLE_OK)
        d->status = FOUILLE_E_STOPPED;
    xmlSetStructuredErrorFunc(NULL, NULL);
    zip_discard(d->zip);
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
