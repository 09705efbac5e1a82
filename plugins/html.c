/* html.c -- the HTML extractor plugin (libxml2's HTML parser, SAX mode).
 *
 * The document is parsed by libxml2's error-tolerant HTML parser in SAX mode
 * (HTML_PARSE_RECOVER | NOERROR | NOWARNING | NONET, never HUGE): no tree is
 * built, so memory does not grow with the document and 100,000 nested <div>
 * elements cost a counter, not a stack frame each. libxml2 pulls its input
 * through a read callback that decodes the file to UTF-8 on the fly.
 *
 * Character set, decided before parsing and then imposed on libxml2
 * (HTML_PARSE_IGNORE_ENC, so a later <meta> cannot switch it mid-stream):
 *  1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE), or the layout of
 *     UTF-16 without one (textsniff.h; binary data there is refused as
 *     not HTML);
 *  2. <meta charset>, <meta http-equiv="Content-Type" content="...;
 *     charset=..."> or an XML declaration's encoding, found by a prescan of
 *     the first PRESCAN bytes; as in browsers (WHATWG Encoding Standard),
 *     the labels iso-8859-1, latin1 and us-ascii mean Windows-1252; other
 *     charsets are decoded by the host (sink->decode_charset), and one the
 *     host does not know is ignored (step 3);
 *  3. otherwise UTF-8 if the bytes read as UTF-8 (see utf8_likely()), else
 *     Windows-1252.
 * Stray bytes that are not valid UTF-8 in a UTF-8 document are decoded as
 * Windows-1252, and the parser never sees an invalid sequence.
 *
 * What is extracted: the text of the body without script, style, template,
 * noscript, the head and comments; block elements (p, div, li, h1-h6, br,
 * tr, td, ...) separate their text by a newline, runs of white space collapse
 * to one space (kept as line breaks inside <pre>), no-break spaces become
 * spaces and soft hyphens disappear. Fields: TITLE from <title> (else the
 * first <h1>, else og:title / dc.title), DESCRIPTION, KEYWORDS, AUTHOR from
 * <meta name=...>, LANGUAGE from <html lang> (else Content-Language), DATE
 * from <meta name="date" | "dcterms.date" | "dc.date" ...> or
 * article:published_time.
 *
 * Limits: text stops when the host's budget is spent (FOUILLE_E_STOPPED);
 * input is read up to the larger of INPUT_CAP and 4 x the text budget
 * (beyond that the document is cut, FOUILLE_E_STOPPED with a log line).
 * Work is linear in the input: text reaches the sink in chunks as the parser
 * goes, whatever the line length.
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include "textsniff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#define CHUNK (64 * 1024)
#define PRESCAN 16384                       /* bytes searched for a charset */
#define INPUT_CAP ((off_t)64 * 1024 * 1024) /* bytes of HTML read at most */
#define OUT_CHUNK 16384                     /* text handed to the sink */
#define FIELD_MAX 2048                      /* bytes kept per field */

/* ---- character sets ---- */

enum decoder_kind { DEC_UTF8, DEC_CP1252, DEC_UTF16LE, DEC_UTF16BE, DEC_HOST };

/* Windows-1252 0x80–0x9F; the five undefined bytes map to U+FFFD. */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static unsigned long cp1252(unsigned char b)
{
    return b >= 0x80 && b < 0xA0 ? cp1252_c1[b - 0x80] : b;
}

/* Append code point cp as UTF-8; control characters the parser would choke
 * on (NUL, C0 other than tab/newline/CR/FF, DEL) become spaces. */
static size_t put_cp(char *o, unsigned long cp)
{
    if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' &&
                    cp != '\f') || cp == 0x7F)
        cp = ' ';
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the valid UTF-8 sequence at p (n bytes available): > 0 when
 * valid (*cp set), 0 when cut by the end of the buffer, -1 when invalid. */
static int utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
    unsigned char b = p[0];
    int len;
    unsigned long c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return 0;
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (p[i] & 0x3F);
        if (i == 1 && ((len == 3 && c < (min >> 6)) ||
                       (len == 4 && (c < (min >> 12) || c > 0x10F))))
            return -1;
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return len;
}

struct decoder {
    enum decoder_kind kind;
    const struct fouille_sink *sink; /* DEC_HOST: the host's decoder */
    char label[64];                  /* DEC_HOST: the declared charset */
};

/* Decode in[0..n) to UTF-8 at out (room for 4 * n + 16 bytes). Returns the
 * bytes consumed (a sequence cut by the end is kept for the next call unless
 * last); *olen receives the bytes written. */
static size_t decode(struct decoder *d, const unsigned char *in, size_t n,
                     int last, char *out, size_t *olen)
{
    size_t i = 0, o = 0;
    unsigned long cp;
    switch (d->kind) {
    case DEC_UTF8:
        while (i < n) {
            int k = utf8_seq(in + i, n - i, &cp);
            if (k == 0 && !last)
                break;
            if (k <= 0) {
                o += put_cp(out + o, cp1252(in[i]));
                i++;
            } else {
                o += put_cp(out + o, cp);
                i += (size_t)k;
            }
        }
        break;
    case DEC_CP1252:
        for (; i < n; i++)
            o += put_cp(out + o, cp1252(in[i]));
        break;
    case DEC_UTF16LE:
    case DEC_UTF16BE:
        while (n - i >= 2) {
            int le = d->kind == DEC_UTF16LE;
            unsigned long u = le ? (unsigned long)in[i] | (in[i + 1] << 8)
                                 : (unsigned long)in[i + 1] | (in[i] << 8);
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (n - i < 4 && !last)
                    break;
                unsigned long v = 0;
                if (n - i >= 4)
                    v = le ? (unsigned long)in[i + 2] | (in[i + 3] << 8)
                           : (unsigned long)in[i + 3] | (in[i + 2] << 8);
                if (v >= 0xDC00 && v <= 0xDFFF) {
                    o += put_cp(out + o,
                                0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                    i += 4;
                    continue;
                }
                u = 0xFFFD;
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
                u = 0xFFFD;
            }
            o += put_cp(out + o, u);
            i += 2;
        }
        if (last && i < n) {
            o += put_cp(out + o, 0xFFFD);
            i = n;
        }
        break;
    case DEC_HOST: {
        /* Room for 4 bytes per input byte: all is consumed but a cut
         * sequence. */
        int64_t r = d->sink->decode_charset(d->sink, d->label,
                                            (const char *)in, n, last, out,
                                            4 * n + 16, &i);
        o = r > 0 ? (size_t)r : 0;
        if (r < 0)
            i = n; /* cannot happen: the label was tried before */
        break;
    }
    }
    *olen = o;
    return i;
}

/* Count valid multi-byte UTF-8 sequences and invalid bytes in p[0..n);
 * *used receives the bytes examined (a sequence cut by the end is left when
 * more follows). A page reads as UTF-8 when it has no invalid byte, or at
 * least one valid multi-byte character per four invalid bytes (a UTF-8 page
 * with some stray Latin-1 bytes). */
static void utf8_count(const unsigned char *p, size_t n, int more,
                       size_t *used, size_t *valid, size_t *invalid)
{
    size_t i = 0;
    unsigned long cp;
    while (i < n) {
        int k = utf8_seq(p + i, n - i, &cp);
        if (k == 0 && more)
            break;
        if (k <= 0) {
            (*invalid)++;
            i++;
        } else {
            *valid += k > 1;
            i += (size_t)k;
        }
    }
    *used = i;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive search of needle (lowercase) in h[0..n). */
static const char *find_ci(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && ascii_lower((unsigned char)h[i + j]) == needle[j])
            j++;
        if (j == k)
            return h + i;
    }
    return NULL;
}

/* Parse the attributes of a tag starting after its name at p (end e): calls
 * back with each name/value. Stops at '>'. */
struct attr {
    const char *name, *value;
    size_t nlen, vlen;
};

static const char *next_attr(const char *p, const char *e, struct attr *a)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
                     *p == '\f' || *p == '/'))
        p++;
    if (p >= e || *p == '>')
        return NULL;
    a->name = p;
    while (p < e && *p != '=' && *p != '>' && *p != ' ' && *p != '\t' &&
           *p != '\n' && *p != '\r' && *p != '/')
        p++;
    a->nlen = (size_t)(p - a->name);
    a->value = p, a->vlen = 0;
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (p < e && *p == '=') {
        p++;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        if (p < e && (*p == '"' || *p == '\'')) {
            char q = *p++;
            a->value = p;
            while (p < e && *p != q)
                p++;
            a->vlen = (size_t)(p - a->value);
            if (p < e)
                p++;
        } else {
            a->value = p;
            while (p < e && *p != '>' && *p != ' ' && *p != '\t' &&
                   *p != '\n' && *p != '\r')
                p++;
            a->vlen = (size_t)(p - a->value);
        }
    }
    return p;
}

static int attr_is(const struct attr *a, const char *name)
{
    return a->nlen == strlen(name) && !strncasecmp(a->name, name, a->nlen);
}

/* The charset named after "charset=" in s[0..n), copied to out. */
static int charset_from_content(const char *s, size_t n, char *out,
                                size_t outsz)
{
    const char *c = find_ci(s, n, "charset");
    if (!c)
        return 0;
    c += 7;
    const char *e = s + n;
    while (c < e && (*c == ' ' || *c == '='))
        c++;
    if (c < e && (*c == '"' || *c == '\''))
        c++;
    size_t k = 0;
    while (c + k < e && k + 1 < outsz && c[k] != ';' && c[k] != '"' &&
           c[k] != '\'' && c[k] != ' ')
        k++;
    memcpy(out, c, k);
    out[k] = '\0';
    return k > 0;
}

/* The charset a document declares in its first bytes (<meta> or XML
 * declaration), or 0. */
static int prescan_charset(const char *s, size_t n, char *out, size_t outsz)
{
    if (n >= 5 && !memcmp(s, "<?xml", 5)) {
        const char *end = memchr(s, '>', n);
        const char *enc = end ? find_ci(s, (size_t)(end - s), "encoding")
                              : NULL;
        if (enc) {
            struct attr a;
            if (next_attr(enc, end, &a) && a.vlen && a.vlen < outsz) {
                memcpy(out, a.value, a.vlen);
                out[a.vlen] = '\0';
                return 1;
            }
        }
    }
    const char *p = s, *e = s + n;
    while ((p = find_ci(p, (size_t)(e - p), "<meta"))) {
        p += 5;
        const char *end = memchr(p, '>', (size_t)(e - p));
        if (!end)
            break;
        struct attr a;
        const char *q = p;
        int http_ct = 0;
        char content[256] = "";
        while ((q = next_attr(q, end, &a))) {
            if (attr_is(&a, "charset") && a.vlen && a.vlen < outsz) {
                memcpy(out, a.value, a.vlen);
                out[a.vlen] = '\0';
                return 1;
            }
            if (attr_is(&a, "http-equiv") && a.vlen == 12 &&
                !strncasecmp(a.value, "content-type", 12))
                http_ct = 1;
            if (attr_is(&a, "content") && a.vlen < sizeof content) {
                memcpy(content, a.value, a.vlen);
                content[a.vlen] = '\0';
            }
        }
        if (http_ct && charset_from_content(content, strlen(content), out,
                                            outsz))
            return 1;
        p = end;
    }
    return 0;
}

/* Set up the decoder for a declared label; 0 if the label is unknown. */
static int decoder_for_label(struct decoder *d, const char *label)
{
    static const char *const cp1252_labels[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",
        "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252",
        "iso-ir-100", "cp819", "ibm819", "csisolatin1", NULL};
    static const char *const utf8_labels[] = {
        "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8",
        /* A page that can declare its charset in ASCII is not UTF-16. */
        "utf-16", "utf-16le", "utf-16be", NULL};
    for (const char *const *l = cp1252_labels; *l; l++)
        if (!strcasecmp(label, *l)) {
            d->kind = DEC_CP1252;
            return 1;
        }
    for (const char *const *l = utf8_labels; *l; l++)
        if (!strcasecmp(label, *l)) {
            d->kind = DEC_UTF8;
            return 1;
        }
    /* Other charsets: the host's decoder, when it knows the label (a
     * plugin cannot load converters in the sandbox). */
    const struct fouille_sink *sink = d->sink;
    char probe[4];
    size_t used;
    if (!FOUILLE_SINK_HAS(sink, decode_charset) ||
        strlen(label) >= sizeof d->label ||
        sink->decode_charset(sink, label, "", 0, 1, probe, sizeof probe,
                             &used) < 0)
        return 0;
    d->kind = DEC_HOST;
    strcpy(d->label, label);
    return 1;
}

/* ---- the SAX handler ---- */

struct field_buf {
    char s[FIELD_MAX];
    size_t len;
    int set;
};

struct html {
    const struct fouille_sink *sink;
    xmlParserCtxtPtr ctxt;
    int fd;
    off_t off, cap;
    int eof, stopped, cut, io_error;
    struct decoder dec;
    unsigned char *raw;
    size_t raw_len;
    char *dec_buf;
    size_t dec_len, dec_pos;

    /* text */
    char out[OUT_CHUNK + 8];
    size_t out_len;
    int pending; /* separator owed before the next text: 0, 1 ' ', 2 '\n' */
    int any_text;
    int skip;    /* depth inside skipped elements */
    int pre;     /* depth inside <pre> */
    int in_title, in_h1, body_seen, head_fields_sent, title_sent;
    int html_seen;

    struct field_buf title, h1, alt_title, description, keywords, author,
        date, language, http_language;
};

/* Append s[0..n) to a field buffer, collapsing white space. */
static void field_add(struct field_buf *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && f->len + 1 < FIELD_MAX; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            if (f->len && f->s[f->len - 1] != ' ')
                f->s[f->len++] = ' ';
        } else {
            f->s[f->len++] = c;
        }
    }
}

static void field_set(struct field_buf *f, const char *s)
{
    if (f->set || !s)
        return;
    f->len = 0;
    field_add(f, s, strlen(s));
    /* Do not cut a UTF-8 character at FIELD_MAX. */
    while (f->len && ((unsigned char)f->s[f->len - 1] & 0xC0) == 0x80 &&
           f->len + 1 >= FIELD_MAX)
        f->len--;
    f->set = f->len > 0;
}

static void stop(struct html *h)
{
    if (!h->stopped) {
        h->stopped = 1;
        if (h->ctxt) /* not once parsing is over */
            xmlStopParser(h->ctxt);
    }
}

static void flush(struct html *h)
{
    if (h->out_len && !h->stopped &&
        h->sink->text(h->sink->host, h->out, h->out_len, 0))
        stop(h);
    h->out_len = 0;
}

static void emit_field(struct html *h, enum fouille_field f,
                       struct field_buf *b)
{
    size_t n = b->len;
    while (n && b->s[n - 1] == ' ')
        n--;
    const char *s = b->s;
    while (n && *s == ' ')
        s++, n--;
    if (n && !h->stopped && h->sink->field(h->sink->host, f, s, n))
        stop(h);
}

static int is_date(const struct field_buf *b)
{
    return b->len >= 4 && b->s[0] >= '0' && b->s[0] <= '9' &&
           b->s[1] >= '0' && b->s[1] <= '9' && b->s[2] >= '0' &&
           b->s[2] <= '9' && b->s[3] >= '0' && b->s[3] <= '9';
}

/* The fields known from the head, reported once the body starts. */
static void send_head_fields(struct html *h)
{
    if (h->head_fields_sent)
        return;
    h->head_fields_sent = 1;
    if (h->title.len) {
        emit_field(h, FOUILLE_FIELD_TITLE, &h->title);
        h->title_sent = 1;
    }
    emit_field(h, FOUILLE_FIELD_DESCRIPTION, &h->description);
    emit_field(h, FOUILLE_FIELD_KEYWORDS, &h->keywords);
    emit_field(h, FOUILLE_FIELD_AUTHOR, &h->author);
    if (is_date(&h->date))
        emit_field(h, FOUILLE_FIELD_DATE, &h->date);
    emit_field(h, FOUILLE_FIELD_LANGUAGE,
               h->language.len ? &h->language : &h->http_language);
}

static void text_out(struct html *h, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !h->stopped; i++) {
        unsigned char c = (unsigned char)s[i];
        int sp = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        /* U+00A0 no-break space is a space; U+00AD soft hyphen vanishes. */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            sp = 1;
            i++;
        } else if (c == 0xC2 && i + 1 < n &&
                   (unsigned char)s[i + 1] == 0xAD) {
            i++;
            continue;
        }
        if (sp) {
            int want = h->pre && c == '\n' ? 2 : 1;
            if (h->pending < want)
                h->pending = want;
            continue;
        }
        if (!h->head_fields_sent) {
            /* The first character of the body: the head is over. */
            send_head_fields(h);
            if (h->stopped)
                return;
        }
        if (h->pending && h->any_text)
            h->out[h->out_len++] = h->pending == 2 ? '\n' : ' ';
        h->pending = 0;
        h->any_text = 1;
        h->out[h->out_len++] = (char)c;
        /* Flush between characters only, never inside one. */
        if (h->out_len >= OUT_CHUNK &&
            (i + 1 >= n || ((unsigned char)s[i + 1] & 0xC0) != 0x80))
            flush(h);
    }
}

static const char *const skipped[] = {"script", "style", "template",
                                      "noscript", "head", "title",
                                      "iframe", "object", NULL};
static const char *const blocks[] = {
    "address", "article", "aside", "blockquote", "body", "br", "caption",
    "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "legend", "main", "menu", "nav",
    "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", NULL};

static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

static struct html *state_of(void *ctx)
{
    return ((xmlParserCtxtPtr)ctx)->_private;
}

static void on_meta(struct html *h, const xmlChar **atts)
{
    const char *name = NULL, *content = NULL, *http = NULL;
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *k = (const char *)atts[i], *v = (const char *)atts[i + 1];
        if (!v)
            continue;
        if (!strcasecmp(k, "name") || !strcasecmp(k, "property") ||
            !strcasecmp(k, "itemprop"))
            name = v;
        else if (!strcasecmp(k, "content"))
            content = v;
        else if (!strcasecmp(k, "http-equiv"))
            http = v;
    }
    if (http && content && !strcasecmp(http, "content-language"))
        field_set(&h->http_language, content);
    if (!name || !content)
        return;
    if (!strcasecmp(name, "description") ||
        !strcasecmp(name, "dc.description") ||
        !strcasecmp(name, "dcterms.description"))
        field_set(&h->description, content);
    else if (!strcasecmp(name, "keywords") || !strcasecmp(name, "dc.subject"))
        field_set(&h->keywords, content);
    else if (!strcasecmp(name, "author") || !strcasecmp(name, "dc.creator") ||
             !strcasecmp(name, "dcterms.creator"))
        field_set(&h->author, content);
    else if (!strcasecmp(name, "date") || !strcasecmp(name, "dc.date") ||
             !strcasecmp(name, "dcterms.date") ||
             !strcasecmp(name, "dc.date.issued") ||
             !strcasecmp(name, "dcterms.issued") ||
             !strcasecmp(name, "dcterms.created") ||
             !strcasecmp(name, "article:published_time") ||
             !strcasecmp(name, "datepublished") ||
             !strcasecmp(name, "pubdate"))
        field_set(&h->date, content);
    else if (!strcasecmp(name, "og:title") || !strcasecmp(name, "dc.title") ||
             !strcasecmp(name, "dcterms.title"))
        field_set(&h->alt_title, content);
    else if (!strcasecmp(name, "language") ||
             !strcasecmp(name, "dc.language") ||
             !strcasecmp(name, "dcterms.language"))
        field_set(&h->http_language, content);
}

static void on_start(void *ctx, const xmlChar *tag, const xmlChar **atts)
{
    struct html *h = state_of(ctx);
    const char *name = (const char *)tag;
    if (h->stopped || !name)
        return;
    if (!strcmp(name, "html") && !h->html_seen) {
        h->html_seen = 1;
        for (size_t i = 0; atts && atts[i]; i += 2)
            if (atts[i + 1] && (!strcasecmp((const char *)atts[i], "lang") ||
                                !strcasecmp((const char *)atts[i],
                                            "xml:lang")))
                field_set(&h->language, (const char *)atts[i + 1]);
    } else if (!strcmp(name, "meta")) {
        on_meta(h, atts);
    } else if (!strcmp(name, "body")) {
        h->body_seen = 1;
        send_head_fields(h);
    }
    if (!strcmp(name, "title") && !h->title.set)
        h->in_title = 1;
    if (in_list(skipped, name)) {
        h->skip++;
        return;
    }
    if (!strcmp(name, "h1") && !h->h1.set && !h->skip)
        h->in_h1 = 1;
    if (!strcmp(name, "pre"))
        h->pre++;
    if (in_list(blocks, name))
        h->pending = 2;
}

static void on_end(void *ctx, const xmlChar *tag)
{
    struct html *h = state_of(ctx);
    const char *name = (const char *)tag;
    if (h->stopped || !name)
        return;
    if (!strcmp(name, "title") && h->in_title) {
        h->in_title = 0;
        h->title.set = 1;
    }
    if (in_list(skipped, name)) {
        if (h->skip > 0)
            h->skip--;
        return;
    }
    if (!strcmp(name, "h1") && h->in_h1) {
        h->in_h1 = 0;
        h->h1.set = 1;
        if (!h->title.len && h->head_fields_sent && !h->title_sent) {
            emit_field(h, FOUILLE_FIELD_TITLE, &h->h1);
            h->title_sent = h->h1.len > 0;
        }
    }
    if (!strcmp(name, "pre") && h->pre > 0)
        h->pre--;
    if (in_list(blocks, name))
        h->pending = 2;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    struct html *h = state_of(ctx);
    if (h->stopped || len <= 0)
        return;
    if (h->in_title)
        field_add(&h->title, (const char *)ch, (size_t)len);
    if (h->skip)
        return;
    if (h->in_h1)
        field_add(&h->h1, (const char *)ch, (size_t)len);
    text_out(h, (const char *)ch, (size_t)len);
}

static void on_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

/* libxml2 pulls input here: read raw bytes, decode them to UTF-8. */
static int on_read(void *ctx, char *buf, int len)
{
    struct html *h = ctx;
    while (h->dec_pos >= h->dec_len) {
        if (h->eof || h->stopped)
            return 0;
        size_t want = CHUNK - h->raw_len;
        if (h->off + (off_t)want > h->cap)
            want = (size_t)(h->cap - h->off);
        ssize_t r = want ? pread(h->fd, h->raw + h->raw_len, want, h->off)
                         : 0;
        if (r < 0) {
            if (errno == EINTR)
                continue;
            h->io_error = errno;
            return -1;
        }
        if (r == 0 && want == 0 && h->off >= h->cap) {
            /* Input cap reached: is there more in the file? */
            char probe;
            if (pread(h->fd, &probe, 1, h->off) == 1)
                h->cut = 1;
        }
        h->off += r;
        h->raw_len += (size_t)r;
        int last = r == 0;
        size_t used = decode(&h->dec, h->raw, h->raw_len, last, h->dec_buf,
                             &h->dec_len);
        memmove(h->raw, h->raw + used, h->raw_len - used);
        h->raw_len -= used;
        h->dec_pos = 0;
        if (last)
            h->eof = 1;
    }
    size_t n = h->dec_len - h->dec_pos;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, h->dec_buf + h->dec_pos, n);
    h->dec_pos += n;
    return (int)n;
}

/* Choose the decoder: BOM, the layout of UTF-16 without one, declaration,
 * then a look at the bytes. Returns the number of bytes to skip (the BOM),
 * -1 on a read error, or -2 for binary data (textsniff.h). */
static int choose_charset(struct html *h)
{
    unsigned char *b = h->raw;
    ssize_t n = pread(h->fd, b, PRESCAN, 0);
    char label[64];
    if (n < 0)
        return -1;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        h->dec.kind = DEC_UTF16LE;
        return 2;
    }
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        h->dec.kind = DEC_UTF16BE;
        return 2;
    }
    int utf8_bom = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
    enum textsniff t = textsniff(b + 3 * utf8_bom, (size_t)n - 3 * utf8_bom);
    if (t == TEXTSNIFF_BINARY)
        return -2;
    if (utf8_bom) {
        h->dec.kind = DEC_UTF8;
        return 3;
    }
    if (t != TEXTSNIFF_TEXT) {
        h->dec.kind = t == TEXTSNIFF_UTF16LE ? DEC_UTF16LE : DEC_UTF16BE;
        return 0;
    }
    if (prescan_charset((const char *)b, (size_t)n, label, sizeof label)) {
        if (decoder_for_label(&h->dec, label))
            return 0;
        h->sink->log(h->sink->host, FOUILLE_LOG_INFO,
                     "unknown charset '%s', guessing", label);
    }
    /* Nothing declared: UTF-8 if the bytes (up to the input cap) read as
     * UTF-8, else Windows-1252. */
    size_t valid = 0, invalid = 0, have = 0;
    off_t off = 0;
    for (;;) {
        size_t want = CHUNK - have;
        if (off + (off_t)want > h->cap)
            want = (size_t)(h->cap - off);
        ssize_t r = want ? pread(h->fd, b + have, want, off) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        off += r;
        have += (size_t)r;
        size_t used;
        utf8_count(b, have, r > 0, &used, &valid, &invalid);
        memmove(b, b + used, have - used);
        have -= used;
        if (r == 0 || (invalid > 64 && valid * 4 < invalid))
            break;
    }
    h->dec.kind = invalid == 0 || (valid > 0 && valid * 4 >= invalid)
                      ? DEC_UTF8
                      : DEC_CP1252;
    return 0;
}

static int html_init(void)
{
    xmlInitParser();
    return 0;
}

static int html_extract(int fd, const char *mime,
                        const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    struct html *h = calloc(1, sizeof *h);
    int status = FOUILLE_OK;
    if (!h)
        return FOUILLE_E_NOMEM;
    h->sink = sink;
    h->fd = fd;
    h->dec.sink = sink;
    size_t budget = sink->text_budget(sink->host);
    h->cap = INPUT_CAP;
    if (budget < (size_t)INT64_MAX / 4 && (off_t)budget * 4 > h->cap)
        h->cap = (off_t)budget * 4;
    h->raw = malloc(CHUNK + 8);
    h->dec_buf = malloc(4 * CHUNK + 16);
    if (!h->raw || !h->dec_buf) {
        status = FOUILLE_E_NOMEM;
        goto out;
    }
    int bom = choose_charset(h);
    if (bom == -2) {
        sink->log(sink->host, FOUILLE_LOG_INFO, "binary data, not HTML");
        status = FOUILLE_E_UNSUPPORTED;
        goto out;
    }
    if (bom < 0) {
        sink->log(sink->host, FOUILLE_LOG_ERR, "read: %s", strerror(errno));
        status = FOUILLE_E_IO;
        goto out;
    }
    h->off = bom;

    /* Errors are routed to a no-op everywhere libxml2 might report them:
     * a plugin never prints. */
    xmlSetStructuredErrorFunc(NULL, on_error);
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) {
        status = FOUILLE_E_NOMEM;
        goto out;
    }
    h->ctxt = ctxt;
    htmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_text;
    sax->ignorableWhitespace = on_text;
    sax->serror = on_error;
    ctxt->_private = h;
    xmlDocPtr doc = htmlCtxtReadIO(
        ctxt, on_read, NULL, h, NULL, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
            HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
    if (doc)
        xmlFreeDoc(doc); /* not expected: no tree-building callbacks */
    htmlFreeParserCtxt(ctxt);
    h->ctxt = NULL;
    xmlSetStructuredErrorFunc(NULL, NULL);

    if (!h->stopped) {
        flush(h);
        send_head_fields(h);
        if (!h->title_sent && !h->stopped) {
            struct field_buf *t = h->h1.len ? &h->h1 : &h->alt_title;
            emit_field(h, FOUILLE_FIELD_TITLE, t);
        }
    }
    if (h->io_error) {
        sink->log(sink->host, FOUILLE_LOG_ERR, "read: %s",
                  strerror(h->io_error));
        status = FOUILLE_E_IO;
    } else if (h->stopped) {
        status = FOUILLE_E_STOPPED;
    } else if (h->cut) {
        sink->log(sink->host, FOUILLE_LOG_WARNING,
                  "document cut after %lld bytes of HTML",
                  (long long)h->cap);
        status = FOUILLE_E_STOPPED;
    }
out:
    free(h->raw);
    free(h->dec_buf);
    free(h);
    return status;
}

static const char *const html_mime_types[] = {"text/html",
                                              "application/xhtml+xml", NULL};
static const char *const html_extensions[] = {"html", "htm", "xhtml", NULL};

static const struct fouille_plugin html_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "html",
    .version = "1.0",
    .mime_types = html_mime_types,
    .extensions = html_extensions,
    .init = html_init,
    .fini = NULL,
    .extract = html_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &html_plugin;
}
