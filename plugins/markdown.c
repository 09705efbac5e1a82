/* markdown.c -- the Markdown extractor plugin (md4c).
 *
 * The body is parsed by md4c with the GitHub dialect (tables, strikethrough,
 * task lists, permissive autolinks); the plugin emits the text without the
 * markup: normal text, code spans and blocks, decoded entities; raw HTML
 * (blocks and inline) has its tags removed and keeps its text; every block
 * ends with a newline, soft line breaks become spaces, runs of white space
 * collapse to one, no-break spaces become spaces and soft hyphens vanish.
 *
 * YAML front matter (a first line "---", up to a line "---" or "...") is read
 * here, without a YAML library: "key: value" lines at column 0, values
 * plain, 'single' or "double" quoted, inline lists [a, b], block lists
 * ("- item" lines below the key) and block scalars (| or >). Keys used:
 * title; author/authors; date (normalised to ISO 8601, French and English
 * month names understood: "11 mai 2022" -> 2022-05-11); tags/keywords/
 * categories -> KEYWORDS; type -> TYPE; description/summary/abstract ->
 * DESCRIPTION; lang/language -> LANGUAGE. Without a front matter title, the
 * plain text of the first heading (any level) is the title.
 *
 * Encoding: UTF-8 (a BOM is skipped). UTF-16, with a byte order mark or
 * laid out as Latin text without one (textsniff.h), is converted by the
 * host (sink->decode_charset); binary data is refused (UNSUPPORTED). A
 * file that is not valid UTF-8 is repaired before parsing: when most
 * non-ASCII bytes do not form UTF-8 the whole file is read as
 * Windows-1252, otherwise each stray byte is, so "Mobilit\xe9" still gives
 * "Mobilité" and emitted text is always valid.
 *
 * Limits: md4c needs the document in memory, so at most READ_CAP_MIN..
 * READ_CAP_MAX bytes (4 x the text budget in between) are read; a longer
 * file is cut at a line end, parsed, and FOUILLE_E_STOPPED is returned with a
 * log line. Text stops when the sink says so (FOUILLE_E_STOPPED).
 */
#define _POSIX_C_SOURCE 200809L

#include <fouille/plugin.h>

#include "textsniff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <md4c.h>

#define READ_CAP_MIN ((size_t)1 << 20)
#define READ_CAP_MAX ((size_t)64 << 20)
#define OUT_CHUNK 16384
#define FIELD_MAX 2048

/* ---- UTF-8 repair ---- */

static const unsigned short cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static size_t put_cp(char *o, unsigned long cp)
{
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

static unsigned long cp1252(unsigned char b)
{
    return b >= 0x80 && b < 0xA0 ? cp1252_c1[b - 0x80] : b;
}

/* Length of the valid UTF-8 sequence at p, or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    size_t len;
    unsigned long c, min;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, c = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, c = b & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return len;
}

/* Make buf[0..*len) valid UTF-8. Returns buf itself when it already is, a
 * new buffer otherwise (NULL when out of memory). */
static char *repair_utf8(char *buf, size_t *len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t n = *len, valid = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(p + i, n - i);
        if (k == 0) {
            invalid++;
            i++;
        } else {
            valid += k > 1;
            i += k;
        }
    }
    if (!invalid)
        return buf;
    /* Mostly UTF-8 (at least one valid multi-byte character per four
     * invalid bytes): repair byte by byte; else the file is Windows-1252. */
    int all_cp1252 = valid == 0 || valid * 4 < invalid;
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = all_cp1252 ? 0 : utf8_len(p + i, n - i);
        if (k == 0 && p[i] >= 0x80) {
            o += put_cp(out + o, cp1252(p[i]));
            i++;
        } else {
            k = k ? k : 1;
            memcpy(out + o, p + i, k);
            o += k, i += k;
        }
    }
    *len = o;
    return out;
}

/* ---- entities ---- */

static const struct {
    const char *name;
    unsigned short cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},     {"nbsp", ' '},
    {"laquo", 0xAB},    {"raquo", 0xBB},    {"copy", 0xA9},
    {"reg", 0xAE},      {"deg", 0xB0},      {"middot", 0xB7},
    {"agrave", 0xE0},   {"aacute", 0xE1},   {"acirc", 0xE2},
    {"auml", 0xE4},     {"ccedil", 0xE7},   {"egrave", 0xE8},
    {"eacute", 0xE9},   {"ecirc", 0xEA},    {"euml", 0xEB},
    {"icirc", 0xEE},    {"iuml", 0xEF},     {"ocirc", 0xF4},
    {"ouml", 0xF6},     {"ugrave", 0xF9},   {"ucirc", 0xFB},
    {"uuml", 0xFC},     {"yuml", 0xFF},     {"Agrave", 0xC0},
    {"Acirc", 0xC2},    {"Ccedil", 0xC7},   {"Egrave", 0xC8},
    {"Eacute", 0xC9},   {"Ecirc", 0xCA},    {"Icirc", 0xCE},
    {"Ocirc", 0xD4},    {"Ucirc", 0xDB},    {"oelig", 0x153},
    {"OElig", 0x152},   {"euro", 0x20AC},   {"ndash", 0x2013},
    {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"hellip", 0x2026},
    {"thinsp", 0x2009}, {"shy", 0xAD},      {NULL, 0}};

/* Decode the entity s[0..n) ("&...;") into out; returns the bytes written,
 * 0 when unknown. */
static size_t decode_entity(const char *s, size_t n, char *out)
{
    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return 0;
    if (s[1] == '#') {
        unsigned long cp = 0;
        int hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
        for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
            char c = s[i];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (d < 0 || cp > 0x10FFFF)
                return 0;
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        if (cp < 0x20 || cp == 0x7F)
            cp = ' ';
        return put_cp(out, cp);
    }
    for (size_t i = 0; entities[i].name; i++)
        if (strlen(entities[i].name) == n - 2 &&
            !memcmp(entities[i].name, s + 1, n - 2))
            return entities[i].cp == 0xAD ? 0 : put_cp(out, entities[i].cp);
    return 0;
}

/* ---- fields ---- */

struct field_buf {
    char s[FIELD_MAX];
    size_t len;
};

static void field_add(struct field_buf *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && f->len + 1 < FIELD_MAX; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (f->len && f->s[f->len - 1] != ' ')
                f->s[f->len++] = ' ';
        } else {
            f->s[f->len++] = c;
        }
    }
    /* Never end inside a UTF-8 character. */
    if (f->len + 1 >= FIELD_MAX)
        while (f->len && ((unsigned char)f->s[f->len - 1] & 0xC0) == 0x80)
            f->len--;
}

/* ---- the renderer ---- */

struct md {
    const struct fouille_sink *sink;
    int stopped;
    char out[OUT_CHUNK + 16];
    size_t out_len;
    int pending, any_text;
    int title_done;    /* a title was reported (front matter or heading) */
    int in_heading;    /* capturing the first heading */
    int heading_seen;
    struct field_buf heading;
    int html_tag;      /* inside an HTML tag in raw HTML text */
    char html_quote;   /* quote character inside a tag attribute */
    char tag[16];      /* name of the tag being read */
    size_t tag_len;
    int tag_closing;
    int html_skip;     /* inside <script>/<style> in raw HTML */
};

static int flush(struct md *m)
{
    if (m->out_len && !m->stopped &&
        m->sink->text(m->sink->host, m->out, m->out_len, 0))
        m->stopped = 1;
    m->out_len = 0;
    return m->stopped;
}

static int report(struct md *m, enum fouille_field f, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n && !m->stopped && m->sink->field(m->sink->host, f, s, n))
        m->stopped = 1;
    return m->stopped;
}

/* Text to the body (and to the heading being captured). */
static void out_text(struct md *m, const char *s, size_t n)
{
    if (m->in_heading)
        field_add(&m->heading, s, n);
    for (size_t i = 0; i < n && !m->stopped; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+00A0 no-break space is a space; U+00AD soft hyphen vanishes. */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAD) {
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            i++;
            c = ' ';
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v') {
            if (m->pending < 1)
                m->pending = 1;
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            continue;
        if (m->pending && m->any_text)
            m->out[m->out_len++] = m->pending == 2 ? '\n' : ' ';
        m->pending = 0;
        m->any_text = 1;
        m->out[m->out_len++] = (char)c;
        if (m->out_len >= OUT_CHUNK &&
            (i + 1 >= n || ((unsigned char)s[i + 1] & 0xC0) != 0x80))
            flush(m);
    }
}

static void newline(struct md *m)
{
    m->pending = 2;
}

static int is_block_tag(const char *t)
{
    static const char *const blocks[] = {
        "address", "article", "aside", "blockquote", "br", "dd", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "table", "td", "th", "tr", "ul", NULL};
    for (const char *const *b = blocks; *b; b++)
        if (!strcmp(*b, t))
            return 1;
    return 0;
}

/* Raw HTML: drop the tags, keep the text between them (entities decoded),
 * turn block tags into line breaks, skip script and style contents. */
static void html_text(struct md *m, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (m->html_tag) {
            if (m->html_quote) {
                if (c == m->html_quote)
                    m->html_quote = 0;
            } else if (c == '"' || c == '\'') {
                if (m->html_tag == 2)
                    m->html_quote = c;
            } else if (c == '>') {
                m->tag[m->tag_len] = '\0';
                if (!strcmp(m->tag, "script") || !strcmp(m->tag, "style"))
                    m->html_skip = !m->tag_closing;
                else if (is_block_tag(m->tag))
                    newline(m);
                m->html_tag = 0;
                start = i + 1;
            } else if (m->html_tag == 1) {
                /* Reading the tag name. */
                if (c == '/' && m->tag_len == 0 && !m->tag_closing)
                    m->tag_closing = 1;
                else if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9')) &&
                         m->tag_len + 1 < sizeof m->tag)
                    m->tag[m->tag_len++] =
                        (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                else
                    m->html_tag = 2; /* attributes */
            }
            continue;
        }
        int opens = c == '<' && i + 1 < n &&
                    ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                     (s[i + 1] >= 'A' && s[i + 1] <= 'Z') || s[i + 1] == '/' ||
                     s[i + 1] == '!' || s[i + 1] == '?');
        if (opens) {
            if (i > start && !m->html_skip)
                out_text(m, s + start, i - start);
            m->html_tag = 1;
            m->html_quote = 0;
            m->tag_len = 0;
            m->tag_closing = 0;
            if (s[i + 1] == '!' || s[i + 1] == '?')
                m->html_tag = 2;
        } else if (c == '&' && !m->html_skip) {
            const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
            char buf[8];
            size_t k = semi ? decode_entity(s + i, (size_t)(semi - s) - i + 1,
                                            buf)
                            : 0;
            if (k) {
                if (i > start)
                    out_text(m, s + start, i - start);
                out_text(m, buf, k);
                i = (size_t)(semi - s);
                start = i + 1;
            }
        }
    }
    if (!m->html_tag && n > start && !m->html_skip)
        out_text(m, s + start, n - start);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md *m = ud;
    (void)detail;
    if (type == MD_BLOCK_H && !m->heading_seen) {
        m->heading_seen = 1;
        m->in_heading = 1;
    }
    if (type != MD_BLOCK_DOC)
        newline(m);
    return m->stopped;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md *m = ud;
    (void)detail;
    if (type == MD_BLOCK_H && m->in_heading) {
        m->in_heading = 0;
        if (!m->title_done) {
            m->title_done = 1;
            report(m, FOUILLE_FIELD_TITLE, m->heading.s, m->heading.len);
        }
    }
    if (type == MD_BLOCK_HTML) {
        m->html_tag = 0;
        m->html_skip = 0;
    }
    newline(m);
    return m->stopped;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)type, (void)detail;
    return ((struct md *)ud)->stopped;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
    struct md *m = ud;
    char buf[8];
    size_t k;
    switch (type) {
    case MD_TEXT_NULLCHAR:
        out_text(m, "\xEF\xBF\xBD", 3);
        break;
    case MD_TEXT_BR:
        newline(m);
        break;
    case MD_TEXT_SOFTBR:
        out_text(m, " ", 1);
        break;
    case MD_TEXT_ENTITY:
        k = decode_entity(s, n, buf);
        if (k)
            out_text(m, buf, k);
        else if (!(n == 5 && !memcmp(s, "&shy;", 5)))
            out_text(m, s, n);
        break;
    case MD_TEXT_HTML:
        html_text(m, s, n);
        break;
    default: /* normal text, code, LaTeX math */
        out_text(m, s, n);
        break;
    }
    return m->stopped;
}

/* ---- front matter ---- */

struct fm {
    struct field_buf title, author, date, keywords, type, description, lang;
    int have_description_key; /* "description" beats summary/abstract */
};

/* The value s[0..n) without quotes, with YAML escapes of double quotes. */
static size_t unquote(const char *s, size_t n, char *out)
{
    size_t o = 0;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        for (size_t i = 1; i + 1 < n; i++) {
            out[o++] = s[i];
            if (s[i] == '\'' && i + 2 < n && s[i + 1] == '\'')
                i++;
        }
        return o;
    }
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\\' && i + 2 < n) {
                char e = s[++i];
                out[o++] = e == 'n' ? '\n' : e == 't' ? '\t' : e;
            } else {
                out[o++] = s[i];
            }
        }
        return o;
    }
    /* Plain scalar: a " #" starts a comment. */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
            break;
        out[o++] = s[i];
    }
    while (o && (out[o - 1] == ' ' || out[o - 1] == '\t'))
        o--;
    return o;
}

/* Add an item to a comma-separated list field. */
static void list_add(struct field_buf *f, const char *s, size_t n)
{
    char tmp[FIELD_MAX];
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    n = unquote(s, n, tmp);
    if (!n)
        return;
    if (f->len)
        field_add(f, ", ", 2);
    field_add(f, tmp, n);
}

/* Split an inline list "[a, 'b, c', d]" (brackets removed) into items. */
static void inline_list(struct field_buf *f, const char *s, size_t n)
{
    size_t start = 0;
    char q = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && q) {
            if (s[i] == q)
                q = 0;
        } else if (i < n && (s[i] == '"' || s[i] == '\'')) {
            q = s[i];
        } else if (i == n || s[i] == ',') {
            list_add(f, s + start, i - start);
            start = i + 1;
        }
    }
}

static const struct {
    const char *name;
    int month;
} months[] = {
    {"janvier", 1},   {"january", 1},  {"jan", 1},      {"février", 2},
    {"fevrier", 2},   {"february", 2}, {"feb", 2},      {"fév", 2},
    {"mars", 3},      {"march", 3},    {"mar", 3},      {"avril", 4},
    {"april", 4},     {"apr", 4},      {"avr", 4},      {"mai", 5},
    {"may", 5},       {"juin", 6},     {"june", 6},     {"jun", 6},
    {"juillet", 7},   {"july", 7},     {"jul", 7},      {"juil", 7},
    {"août", 8},      {"aout", 8},     {"august", 8},   {"aug", 8},
    {"septembre", 9}, {"september", 9}, {"sep", 9},     {"sept", 9},
    {"octobre", 10},  {"october", 10}, {"oct", 10},     {"novembre", 11},
    {"november", 11}, {"nov", 11},     {"décembre", 12}, {"decembre", 12},
    {"december", 12}, {"dec", 12},     {"déc", 12},     {NULL, 0}};

static int month_of(const char *w, size_t n)
{
    char low[16];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    low[n] = '\0';
    /* "Février", "Décembre", "Août": lower-case the accented capitals. */
    if (n >= 2 && (unsigned char)low[0] == 0xC3 &&
        (unsigned char)low[1] >= 0x80 && (unsigned char)low[1] <= 0x9E)
        low[1] = (char)((unsigned char)low[1] + 0x20);
    for (size_t i = 0; months[i].name; i++)
        if (!strcmp(months[i].name, low))
            return months[i].month;
    return 0;
}

/* Normalise a date to YYYY[-MM[-DD]] into out; 0 if none is recognised. */
static size_t normalise_date(const char *s, size_t n, char *out)
{
    int nums[3], nn = 0, month = 0, year = 0, day = 0;
    const char *p = s, *e = s + n;
    if (n >= 4 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
        s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9') {
        /* Already ISO-like: keep YYYY, YYYY-MM or YYYY-MM-DD. */
        size_t k = 4;
        if (n >= 7 && s[4] == '-' && s[5] >= '0' && s[5] <= '9' &&
            s[6] >= '0' && s[6] <= '9') {
            k = 7;
            if (n >= 10 && s[7] == '-' && s[8] >= '0' && s[8] <= '9' &&
                s[9] >= '0' && s[9] <= '9')
                k = 10;
        }
        memcpy(out, s, k);
        return k;
    }
    while (p < e) {
        if (*p >= '0' && *p <= '9') {
            int v = 0, d = 0;
            while (p < e && *p >= '0' && *p <= '9' && d < 5)
                v = v * 10 + (*p++ - '0'), d++;
            if (nn < 3)
                nums[nn++] = v;
            if (d == 4)
                year = v;
        } else if ((unsigned char)*p >= 'A') {
            const char *w = p;
            while (p < e && ((unsigned char)*p >= 0x80 ||
                             (*p >= 'a' && *p <= 'z') ||
                             (*p >= 'A' && *p <= 'Z')))
                p++;
            if (!month)
                month = month_of(w, (size_t)(p - w));
            if (p == w)
                p++;
        } else {
            p++;
        }
    }
    if (!month && nn == 3 && nums[2] >= 1000 && nums[1] >= 1 &&
        nums[1] <= 12 && nums[0] >= 1 && nums[0] <= 31) {
        /* DD/MM/YYYY, the French order. */
        day = nums[0], month = nums[1], year = nums[2];
    } else if (month && nn >= 2 && nums[0] >= 1 && nums[0] <= 31 &&
               nums[0] != year) {
        day = nums[0];
    }
    if (year < 1000 || year > 2999)
        return 0;
    if (month && day)
        return (size_t)sprintf(out, "%04d-%02d-%02d", year, month, day);
    if (month)
        return (size_t)sprintf(out, "%04d-%02d", year, month);
    return (size_t)sprintf(out, "%04d", year);
}

static struct field_buf *fm_field(struct fm *f, const char *key, size_t n,
                                  int *is_list)
{
#define KEY(s) (n == sizeof(s) - 1 && !strncasecmp(key, s, n))
    *is_list = 0;
    if (KEY("title"))
        return &f->title;
    if (KEY("author") || KEY("authors") || KEY("auteur") || KEY("auteurs")) {
        *is_list = 1;
        return &f->author;
    }
    if (KEY("date"))
        return &f->date;
    if (KEY("tags") || KEY("keywords") || KEY("categories") ||
        KEY("mots-cles")) {
        *is_list = 1;
        return &f->keywords;
    }
    if (KEY("type"))
        return &f->type;
    if (KEY("description")) {
        f->have_description_key = 1;
        f->description.len = 0;
        return &f->description;
    }
    if ((KEY("summary") || KEY("abstract") || KEY("resume")) &&
        !f->have_description_key)
        return &f->description;
    if (KEY("lang") || KEY("language") || KEY("langue"))
        return &f->lang;
    return NULL;
#undef KEY
}

/* Parse the front matter in s[0..n) (between the --- lines). */
static void parse_front_matter(const char *s, size_t n, struct fm *f)
{
    const char *p = s, *e = s + n;
    while (p < e) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        if (!eol)
            eol = e;
        const char *line = p;
        p = eol < e ? eol + 1 : e;
        /* A key starts at column 0. */
        if (line == eol || *line == ' ' || *line == '\t' || *line == '#' ||
            *line == '-')
            continue;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon)
            continue;
        int is_list;
        struct field_buf *fb = fm_field(f, line, (size_t)(colon - line),
                                        &is_list);
        const char *v = colon + 1, *ve = eol;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        /* The lines indented below the key belong to it. */
        const char *sub = p, *sub_end = p;
        while (sub_end < e && (*sub_end == ' ' || *sub_end == '\t' ||
                               *sub_end == '\n' || *sub_end == '\r' ||
                               (*sub_end == '-' && sub_end + 1 < e &&
                                (sub_end[1] == ' ' || sub_end[1] == '\n')))) {
            const char *x = memchr(sub_end, '\n', (size_t)(e - sub_end));
            sub_end = x ? x + 1 : e;
        }
        p = sub_end;
        if (!fb)
            continue;
        if (v < ve && *v == '[') {
            const char *close = ve - 1;
            if (*close == ']')
                inline_list(fb, v + 1, (size_t)(close - v - 1));
            continue;
        }
        if (v < ve && *v != '|' && *v != '>') {
            if (is_list)
                list_add(fb, v, (size_t)(ve - v));
            else {
                char tmp[FIELD_MAX];
                size_t k = (size_t)(ve - v) < sizeof tmp ? (size_t)(ve - v)
                                                        : sizeof tmp - 1;
                k = unquote(v, k, tmp);
                fb->len = 0;
                field_add(fb, tmp, k);
                /* A plain scalar may go on over indented lines. */
                if (*v != '"' && *v != '\'' && sub < sub_end)
                    field_add(fb, sub, (size_t)(sub_end - sub));
            }
            continue;
        }
        /* Block list or block scalar. */
        fb->len = 0;
        for (const char *q = sub; q < sub_end;) {
            const char *x = memchr(q, '\n', (size_t)(sub_end - q));
            const char *le = x ? x : sub_end;
            const char *t = q;
            q = x ? x + 1 : sub_end;
            while (t < le && (*t == ' ' || *t == '\t'))
                t++;
            const char *te = le;
            while (te > t && (te[-1] == '\r' || te[-1] == ' '))
                te--;
            if (t == te)
                continue;
            if (*t == '-' && (t + 1 == te || t[1] == ' '))
                list_add(fb, t + 1, (size_t)(te - t - 1));
            else if (fb->len)
                field_add(fb, " ", 1), field_add(fb, t, (size_t)(te - t));
            else
                field_add(fb, t, (size_t)(te - t));
        }
    }
}

/* The length of the front matter block at the start of s (0 if none);
 * *body_start receives where the Markdown starts. */
static size_t front_matter(const char *s, size_t n, size_t *inner_start,
                           size_t *inner_len)
{
    if (n < 4 || memcmp(s, "---", 3))
        return 0;
    size_t i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '\r')
        i++;
    if (i >= n || s[i] != '\n')
        return 0;
    i++;
    *inner_start = i;
    while (i < n) {
        const char *eol = memchr(s + i, '\n', n - i);
        size_t le = eol ? (size_t)(eol - s) : n;
        size_t k = le;
        while (k > i && (s[k - 1] == '\r' || s[k - 1] == ' '))
            k--;
        if (k - i == 3 && (!memcmp(s + i, "---", 3) ||
                           !memcmp(s + i, "...", 3))) {
            *inner_len = i - *inner_start;
            return eol ? le + 1 : n;
        }
        i = eol ? le + 1 : n;
    }
    return 0; /* no closing line: not a front matter */
}

/* ---- extract ---- */

static int read_all(int fd, size_t cap, char **out, size_t *len, int *cut)
{
    struct stat st;
    size_t size = 0, want;
    *cut = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0)
        size = (size_t)st.st_size;
    want = size && size < cap ? size : cap;
    char *buf = malloc(want + 1);
    if (!buf)
        return FOUILLE_E_NOMEM;
    size_t have = 0;
    while (have < want) {
        ssize_t r = pread(fd, buf + have, want - have, (off_t)have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return FOUILLE_E_IO;
        }
        if (r == 0)
            break;
        have += (size_t)r;
    }
    if (have == cap) {
        char probe;
        if (pread(fd, &probe, 1, (off_t)have) == 1)
            *cut = 1;
    }
    buf[have] = '\0';
    *out = buf;
    *len = have;
    return FOUILLE_OK;
}

/* Look at the start of the file read into *raw: binary data is refused;
 * UTF-16 (a byte order mark, or its layout) is replaced by its UTF-8, when
 * the host can convert it. */
static int utf16_to_utf8(const struct fouille_sink *sink, char **raw,
                         size_t *len)
{
    const unsigned char *p = (const unsigned char *)*raw;
    size_t n = *len, bom = 0;
    const char *charset = NULL;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        charset = "utf-16le", bom = 2;
    else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        charset = "utf-16be", bom = 2;
    else if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        bom = 3;
    if (!charset) {
        enum textsniff t = textsniff(p + bom, n - bom);
        if (t == TEXTSNIFF_BINARY) {
            sink->log(sink->host, FOUILLE_LOG_INFO,
                      "binary data, not Markdown");
            return FOUILLE_E_UNSUPPORTED;
        }
        if (bom == 0 && t == TEXTSNIFF_UTF16LE)
            charset = "utf-16le";
        else if (bom == 0 && t == TEXTSNIFF_UTF16BE)
            charset = "utf-16be";
    }
    if (!charset || !FOUILLE_SINK_HAS(sink, decode_charset))
        return FOUILLE_OK;
    /* A code unit gives at most 3 bytes of UTF-8, a pair 4. */
    size_t outsz = (n - bom) / 2 * 3 + 8;
    char *out = malloc(outsz + 1);
    if (!out)
        return FOUILLE_E_NOMEM;
    size_t used = 0;
    int64_t k = sink->decode_charset(sink, charset, *raw + bom, n - bom, 1,
                                     out, outsz, &used);
    if (k < 0) {
        free(out);
        return FOUILLE_OK; /* guessed as UTF-8 or Windows-1252 below */
    }
    out[k] = '\0';
    free(*raw);
    *raw = out;
    *len = (size_t)k;
    return FOUILLE_OK;
}

static int markdown_extract(int fd, const char *mime,
                            const struct fouille_sink *sink)
{
    (void)mime; /* the content decides */
    size_t budget = sink->text_budget(sink->host);
    size_t cap = budget < READ_CAP_MAX / 4 ? budget * 4 : READ_CAP_MAX;
    char *raw = NULL, *doc;
    size_t len;
    int cut;
    if (cap < READ_CAP_MIN)
        cap = READ_CAP_MIN;
    int status = read_all(fd, cap, &raw, &len, &cut);
    if (status == FOUILLE_E_IO)
        sink->log(sink->host, FOUILLE_LOG_ERR, "read: %s", strerror(errno));
    if (status != FOUILLE_OK)
        return status;
    status = utf16_to_utf8(sink, &raw, &len);
    if (status != FOUILLE_OK) {
        free(raw);
        return status;
    }
    if (cut) {
        /* Cut at the last line end so no line is parsed half: in the text
         * as converted, where a UTF-16 line end is one byte. */
        size_t keep = len;
        while (keep > 0 && raw[keep - 1] != '\n')
            keep--;
        if (keep > 0)
            raw[len = keep] = '\0';
    }
    doc = repair_utf8(raw, &len);
    if (!doc) {
        free(raw);
        return FOUILLE_E_NOMEM;
    }
    struct md *m = calloc(1, sizeof *m);
    struct fm *f = calloc(1, sizeof *f);
    if (!m || !f) {
        status = FOUILLE_E_NOMEM;
        goto out;
    }
    m->sink = sink;

    const char *body = doc;
    size_t body_len = len;
    if (body_len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
        body += 3, body_len -= 3;
    size_t in_start = 0, in_len = 0;
    size_t fm_len = front_matter(body, body_len, &in_start, &in_len);
    if (fm_len) {
        parse_front_matter(body + in_start, in_len, f);
        body += fm_len, body_len -= fm_len;
        if (f->title.len) {
            m->title_done = 1;
            report(m, FOUILLE_FIELD_TITLE, f->title.s, f->title.len);
        }
        report(m, FOUILLE_FIELD_AUTHOR, f->author.s, f->author.len);
        if (f->date.len) {
            char d[16];
            size_t k = normalise_date(f->date.s, f->date.len, d);
            if (k)
                report(m, FOUILLE_FIELD_DATE, d, k);
        }
        report(m, FOUILLE_FIELD_KEYWORDS, f->keywords.s, f->keywords.len);
        report(m, FOUILLE_FIELD_TYPE, f->type.s, f->type.len);
        report(m, FOUILLE_FIELD_DESCRIPTION, f->description.s,
               f->description.len);
        report(m, FOUILLE_FIELD_LANGUAGE, f->lang.s, f->lang.len);
    }
    if (!m->stopped) {
        MD_PARSER parser;
        memset(&parser, 0, sizeof parser);
        parser.flags = MD_DIALECT_GITHUB;
        parser.enter_block = enter_block;
        parser.leave_block = leave_block;
        parser.enter_span = enter_span;
        parser.leave_span = enter_span;
        parser.text = on_text;
        int rc = md_parse(body, (MD_SIZE)body_len, &parser, m);
        if (rc < 0 && !m->stopped) {
            sink->log(sink->host, FOUILLE_LOG_ERR, "md4c failed");
            status = FOUILLE_E_NOMEM; /* md4c fails only on allocation */
        }
        flush(m);
    }
    if (status == FOUILLE_OK && m->stopped) {
        status = FOUILLE_E_STOPPED;
    } else if (status == FOUILLE_OK && cut) {
        sink->log(sink->host, FOUILLE_LOG_WARNING,
                  "document cut after %zu bytes", len);
        status = FOUILLE_E_STOPPED;
    }
out:
    free(m);
    free(f);
    if (doc != raw)
        free(doc);
    free(raw);
    return status;
}

static const char *const markdown_mime_types[] = {"text/markdown",
                                                  "text/x-markdown", NULL};
static const char *const markdown_extensions[] = {"md", "markdown", "mdown",
                                                  "mkd", NULL};

static const struct fouille_plugin markdown_plugin = {
    FOUILLE_PLUGIN_HEADER,
    .name = "markdown",
    .version = "1.0",
    .mime_types = markdown_mime_types,
    .extensions = markdown_extensions,
    .init = NULL,
    .fini = NULL,
    .extract = markdown_extract,
};

const struct fouille_plugin *fouille_plugin_entry(void)
{
    return &markdown_plugin;
}
