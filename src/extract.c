/* extract.c -- see extract.h. */
#include "config.h"

#include "extract.h"

#include "charset.h"
#include "frame.h"
#include "log.h"
#include "zipread.h"

#include <errno.h>
#include <magic.h>
#include <sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct fouille__extractor {
    magic_t magic;
    const struct fouille__registry *reg;
};

struct fouille__extractor *
fouille__extractor_new(const struct fouille__registry *reg)
{
    struct fouille__extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    ex->reg = reg;
    /* MAGIC_NO_CHECK_COMPRESS: a compressed file is not unpacked to sniff
     * what is inside (that is a plugin's job, under limits). */
    ex->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
                           MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
    if (!ex->magic || magic_load(ex->magic, NULL) != 0) {
        log_err("libmagic: cannot load its database: %s",
                ex->magic ? magic_error(ex->magic) : "out of memory");
        fouille__extractor_free(ex);
        return NULL;
    }
    return ex;
}

void fouille__extractor_free(struct fouille__extractor *ex)
{
    if (!ex)
        return;
    if (ex->magic)
        magic_close(ex->magic);
    free(ex);
}

int fouille__extractor_sniff(struct fouille__extractor *ex, int fd,
                             char *mime, size_t len)
{
    /* libmagic reads from the descriptor's offset and leaves it moved:
     * rewind before and after, so the plugin reads from the start. */
    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    const char *m = magic_descriptor(ex->magic, fd);
    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    snprintf(mime, len, "%s", m ? m : "application/octet-stream");
    return 0;
}

/* ---- the sink: limits and UTF-8 repair on everything a plugin says ---- */

struct sink_state {
    struct fouille__doc *doc;
    const struct fouille__limits *lim;
    const char *plugin;
    const char *path;
    unsigned page;      /* current page */
    unsigned ocr_page;  /* last page with recognised text, + 1 */
    int needed_dropped; /* the list of pages to recognise was given up */
    unsigned logged;    /* log lines from this document */
    int stopped;
};

static int sink_field(void *host, enum fouille_field field, const char *value,
                      size_t len)
{
    struct sink_state *st = host;
    if ((unsigned)field >= FOUILLE_FIELD_COUNT_ || !value)
        return 0;
    if (len > 4096) /* a field is metadata, not a second body */
        len = 4096;
    char *v = fouille__utf8_dup(value, len);
    if (!v)
        return -1;
    /* Trim blanks; an empty field is an absent field. */
    char *s = v;
    while (*s == ' ' || *s == '\n' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
        s[--n] = '\0';
    free(st->doc->fields[field]);
    st->doc->fields[field] = NULL;
    if (n)
        st->doc->fields[field] = s == v ? v : strdup(s);
    if (s != v)
        free(v);
    return 0;
}

/* Append text of page to the document, within the text limit. */
static int add_text(struct sink_state *st, const char *utf8, size_t len,
                    unsigned page)
{
    struct fouille__doc *doc = st->doc;
    if (st->stopped)
        return 1;
    if (!utf8)
        return 0;
    if (page > st->page) {
        /* One '\f' per page boundary so that page N starts after N-1
         * form feeds, even for pages without text. */
        unsigned first = st->page ? st->page : 1;
        for (unsigned p = first; p < page && doc->text.len < st->lim->text_max;
             p++)
            if (fouille__buf_appendc(&doc->text, '\f') < 0)
                return st->stopped = 1;
        st->page = page;
        if (page > doc->pages)
            doc->pages = page;
    }
    size_t room = st->lim->text_max > doc->text.len
                      ? st->lim->text_max - doc->text.len : 0;
    if (len > room) {
        /* Cut on a character boundary. */
        while (room > 0 && ((unsigned char)utf8[room] & 0xC0) == 0x80)
            room--;
        len = room;
        doc->flags |= FOUILLE__DOC_TRUNCATED;
        st->stopped = 1;
    }
    if (fouille__buf_append_utf8(&doc->text, utf8, len, 0) < 0)
        return st->stopped = 1;
    return st->stopped;
}

static int sink_text(void *host, const char *utf8, size_t len, unsigned page)
{
    struct sink_state *st = host;
    if (st->lim->ocr_only_pages)
        return 0; /* the first pass's text is kept */
    return add_text(st, utf8, len, page);
}

static int sink_ocr_text(void *host, const char *utf8, size_t len,
                         unsigned page)
{
    struct sink_state *st = host;
    struct fouille__doc *doc = st->doc;
    doc->flags |= FOUILLE__DOC_OCR;
    if (page + 1 != st->ocr_page) {
        if (fouille__page_list_add(&doc->ocr_page_list, page) < 0)
            return st->stopped = 1;
        doc->ocr_pages++;
        st->ocr_page = page + 1;
    }
    return add_text(st, utf8, len, page);
}

static int sink_ocr_wanted(void *host, unsigned page)
{
    struct sink_state *st = host;
    const char *list = st->lim->ocr_only_pages;
    return !list || fouille__page_list_has(list, strlen(list), page);
}

static void sink_ocr_needed(void *host, unsigned page)
{
    struct sink_state *st = host;
    st->doc->flags |= FOUILLE__DOC_NEEDS_OCR;
    /* Pages come in increasing order. Without a list (too long for a
     * frame, or no memory) the OCR pass extracts the whole document: a
     * list must name every page or none. */
    struct fouille__buf *list = &st->doc->ocr_needed_list;
    if (st->needed_dropped)
        return;
    if (page == 0 || /* the whole document */
        fouille__page_list_add(list, page) < 0 ||
        list->len > FOUILLE__FRAME_MAX_PAGE_LIST) {
        fouille__buf_free(list);
        st->needed_dropped = 1;
    }
}

void fouille__extract_ocr_environment(const char *languages)
{
    setenv("FOUILLE_OCR_LANGUAGES", languages ? languages : "", 1);
    /* libgomp reads it when Tesseract is loaded: one thread per worker, as
     * the pool decides how many documents are extracted at once. */
    setenv("OMP_THREAD_LIMIT", "1", 1);
}

static void sink_log(void *host, enum fouille_log_level level,
                     const char *fmt, ...)
{
    struct sink_state *st = host;
    char msg[512];
    va_list ap;
    if (++st->logged > 20) /* a plugin cannot flood the log */
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fouille__log((int)level, "%s: %s: %s", st->plugin, st->path, msg);
}

static size_t sink_budget(void *host)
{
    struct sink_state *st = host;
    return st->lim->text_max > st->doc->text.len
               ? st->lim->text_max - st->doc->text.len : 0;
}

static enum fouille__reason reason_of_status(int status)
{
    switch (status) {
    case FOUILLE_OK:
    case FOUILLE_E_STOPPED:
        return FOUILLE__REASON_NONE;
    case FOUILLE_E_UNSUPPORTED:
        return FOUILLE__REASON_UNSUPPORTED;
    case FOUILLE_E_MALFORMED:
        return FOUILLE__REASON_MALFORMED;
    case FOUILLE_E_ENCRYPTED:
        return FOUILLE__REASON_ENCRYPTED;
    case FOUILLE_E_LIMIT:
        return FOUILLE__REASON_LIMIT;
    case FOUILLE_E_NOMEM:
        return FOUILLE__REASON_NOMEM;
    case FOUILLE_E_IO:
        return FOUILLE__REASON_IO;
    default:
        return FOUILLE__REASON_FAILED;
    }
}

/* SHA-256 of the file at fd into hex (65 bytes), or "" when it cannot be
 * read. */
static void content_hash(int fd, char *hex)
{
    static unsigned char buf[1 << 16];
    SHA2_CTX ctx;
    off_t off = 0;
    SHA256Init(&ctx);
    for (;;) {
        ssize_t n = pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            hex[0] = '\0';
            return;
        }
        if (n == 0)
            break;
        SHA256Update(&ctx, buf, (size_t)n);
        off += n;
    }
    SHA256End(&ctx, hex);
}

void fouille__extract(struct fouille__extractor *ex, int fd, const char *path,
                      const struct fouille__limits *lim,
                      struct fouille__doc *doc, char *mime, size_t mime_len,
                      char *plugin_tag, size_t tag_len)
{
    struct stat st;
    plugin_tag[0] = '\0';
    if (fstat(fd, &st) < 0 || fouille__extractor_sniff(ex, fd, mime,
                                                       mime_len) < 0) {
        snprintf(mime, mime_len, "application/octet-stream");
        doc->reason = FOUILLE__REASON_UNREADABLE;
        return;
    }
    if (st.st_size == 0) {
        doc->reason = FOUILLE__REASON_EMPTY;
        return;
    }
    const struct fouille__plugin_slot *slot =
        fouille__registry_choose(ex->reg, mime, path);
    if (!slot) {
        doc->reason = FOUILLE__REASON_UNSUPPORTED;
        snprintf(doc->detail, sizeof doc->detail, "%s", mime);
        return;
    }
    snprintf(plugin_tag, tag_len, "%s", slot->tag);
    /* Chosen by extension over a generic guess (Markdown is text/plain to
     * libmagic): the document is of the plugin's own type. */
    int claimed = 0;
    for (char **m = slot->mime_types; *m && !claimed; m++)
        claimed = strcasecmp(*m, mime) == 0;
    if (!claimed && strcmp(slot->mime_types[0], "text/plain") != 0)
        snprintf(mime, mime_len, "%s", slot->mime_types[0]);
    if (!slot->initialised || !slot->plugin) {
        doc->reason = FOUILLE__REASON_FAILED;
        snprintf(doc->detail, sizeof doc->detail, "plugin %s disabled",
                 slot->tag);
        return;
    }

    struct sink_state state = {.doc = doc, .lim = lim, .plugin = slot->tag,
                               .path = path};
    struct fouille_sink sink = {
        .abi_version = FOUILLE_PLUGIN_ABI_VERSION,
        .struct_size = sizeof sink,
        .host = &state,
        .field = sink_field,
        .text = sink_text,
        .log = sink_log,
        .text_budget = sink_budget,
        .max_pages = lim->max_pages,
        .max_inflated_bytes = lim->max_inflated,
        .ocr_pages = lim->ocr_pages,
        .ocr_time_ms = lim->ocr_time_ms,
        .ocr_dpi = lim->ocr_dpi,
        .ocr_min_confidence = lim->ocr_min_confidence,
        .ocr_text = sink_ocr_text,
        .ocr_needed = sink_ocr_needed,
        .ocr_only = lim->ocr_only_pages != NULL,
        .ocr_wanted = sink_ocr_wanted,
    };
    fouille__zip_services(&sink);
    fouille__charset_services(&sink);
    int status = slot->plugin->extract(fd, mime, &sink);
    doc->reason = reason_of_status(status);
    if (status == FOUILLE_E_STOPPED && !(doc->flags & FOUILLE__DOC_TRUNCATED))
        doc->flags |= FOUILLE__DOC_TRUNCATED; /* stopped by a limit */
    if (doc->reason == FOUILLE__REASON_LIMIT && lim->ocr_pages)
        snprintf(doc->detail, sizeof doc->detail,
                 "OCR: more than %u pages or %u s", lim->ocr_pages,
                 (lim->ocr_time_ms + 999) / 1000);
    /* Recognised text is kept by the file's content (pool.h): a document
     * with pages to recognise, or recognised, carries its hash. */
    if (doc->flags & (FOUILLE__DOC_NEEDS_OCR | FOUILLE__DOC_OCR))
        content_hash(fd, doc->content_hash);
    if (doc->reason == FOUILLE__REASON_NONE) {
        int has_text = 0;
        for (size_t i = 0; i < doc->text.len && !has_text; i++) {
            char c = doc->text.data[i];
            has_text = c != ' ' && c != '\n' && c != '\t' && c != '\f';
        }
        if (!has_text)
            doc->flags |= FOUILLE__DOC_NO_TEXT;
    }
}
