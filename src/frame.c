/* frame.c -- see frame.h. */
#include "config.h"

#include "frame.h"

#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum record_type {
    REC_MIME = 1,
    REC_PLUGIN = 2,
    REC_TEXT = 3,
    REC_PAGES = 4,
    REC_FLAGS = 5,
    REC_REASON = 6,
    REC_DETAIL = 7,
    REC_OCR_PAGES = 8,
    REC_CONTENT_HASH = 9,
    REC_OCR_PAGE_LIST = 10,
    REC_OCR_NEEDED_LIST = 11,
    REC_FIELD0 = 16, /* + enum fouille_field */
};

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

void fouille__frame_header(uint32_t kind, uint32_t payload_len,
                           unsigned char out[FOUILLE__FRAME_HEADER])
{
    memcpy(out, FOUILLE__FRAME_MAGIC, 4);
    put_u32(out + 4, kind);
    put_u32(out + 8, payload_len);
}

int fouille__frame_parse_header(const unsigned char *h, uint32_t kind,
                                uint32_t max, uint32_t *payload_len)
{
    *payload_len = 0;
    if (memcmp(h, FOUILLE__FRAME_MAGIC, 4) != 0 || get_u32(h + 4) != kind)
        return -1;
    uint32_t len = get_u32(h + 8);
    if (len > max)
        return -1;
    *payload_len = len;
    return 0;
}

static int put_record(struct fouille__buf *out, unsigned type,
                      const void *v, size_t len)
{
    unsigned char h[5];
    if (len > UINT32_MAX)
        return -1;
    h[0] = (unsigned char)type;
    put_u32(h + 1, (uint32_t)len);
    if (fouille__buf_append(out, h, sizeof h) < 0 ||
        fouille__buf_append(out, v, len) < 0)
        return -1;
    return 0;
}

static int put_u32_record(struct fouille__buf *out, unsigned type, uint32_t v)
{
    unsigned char b[4];
    put_u32(b, v);
    return put_record(out, type, b, 4);
}

/* Start a frame in out: room for its header. Returns 0 or -1. */
static int frame_begin(struct fouille__buf *out)
{
    unsigned char h[FOUILLE__FRAME_HEADER] = {0};
    fouille__buf_reset(out);
    return fouille__buf_append(out, h, sizeof h);
}

/* Write the header of the frame in out once its payload is complete. */
static void frame_end(struct fouille__buf *out, uint32_t kind)
{
    fouille__frame_header(kind, (uint32_t)(out->len - FOUILLE__FRAME_HEADER),
                          (unsigned char *)out->data);
}

int fouille__frame_encode_response(struct fouille__buf *out,
                                   const struct fouille__doc *doc,
                                   const struct fouille__response_meta *meta)
{
    if (frame_begin(out) < 0)
        return -1;
    int rc = 0;
    rc |= put_record(out, REC_MIME, meta->mime, strlen(meta->mime));
    rc |= put_record(out, REC_PLUGIN, meta->plugin, strlen(meta->plugin));
    rc |= put_u32_record(out, REC_REASON, (uint32_t)doc->reason);
    rc |= put_u32_record(out, REC_FLAGS, doc->flags);
    rc |= put_u32_record(out, REC_PAGES, doc->pages);
    if (doc->ocr_pages)
        rc |= put_u32_record(out, REC_OCR_PAGES, doc->ocr_pages);
    if (doc->content_hash[0])
        rc |= put_record(out, REC_CONTENT_HASH, doc->content_hash,
                         strlen(doc->content_hash));
    if (doc->ocr_page_list.len)
        rc |= put_record(out, REC_OCR_PAGE_LIST, doc->ocr_page_list.data,
                         doc->ocr_page_list.len);
    if (doc->ocr_needed_list.len)
        rc |= put_record(out, REC_OCR_NEEDED_LIST, doc->ocr_needed_list.data,
                         doc->ocr_needed_list.len);
    if (doc->detail[0])
        rc |= put_record(out, REC_DETAIL, doc->detail, strlen(doc->detail));
    for (int f = 0; f < FOUILLE_FIELD_COUNT_; f++)
        if (doc->fields[f])
            rc |= put_record(out, REC_FIELD0 + (unsigned)f, doc->fields[f],
                             strlen(doc->fields[f]));
    if (doc->text.len)
        rc |= put_record(out, REC_TEXT, doc->text.data, doc->text.len);
    if (rc)
        return -1;
    frame_end(out, FOUILLE__FRAME_RESPONSE);
    return 0;
}

static void copy_string(char *dst, size_t cap, const unsigned char *v,
                        size_t len)
{
    char *s = fouille__utf8_dup((const char *)v, len);
    snprintf(dst, cap, "%s", s ? s : "");
    free(s);
}

int fouille__frame_decode_response(const unsigned char *p, size_t len,
                                   struct fouille__doc *doc,
                                   struct fouille__response_meta *meta)
{
    size_t i = 0;
    int have_reason = 0;
    memset(meta, 0, sizeof *meta);
    while (i < len) {
        if (len - i < 5)
            return -1;
        unsigned type = p[i];
        uint32_t n = get_u32(p + i + 1);
        i += 5;
        if (n > len - i)
            return -1;
        const unsigned char *v = p + i;
        i += n;
        switch (type) {
        case REC_MIME:
            copy_string(meta->mime, sizeof meta->mime, v, n);
            break;
        case REC_PLUGIN:
            copy_string(meta->plugin, sizeof meta->plugin, v, n);
            break;
        case REC_DETAIL:
            copy_string(doc->detail, sizeof doc->detail, v, n);
            break;
        case REC_CONTENT_HASH:
            /* 64 lower-case hexadecimal digits: it names a cache file. */
            if (n != 64)
                return -1;
            for (uint32_t k = 0; k < n; k++)
                if (!strchr("0123456789abcdef", v[k]) || !v[k])
                    return -1;
            memcpy(doc->content_hash, v, 64);
            doc->content_hash[64] = '\0';
            break;
        case REC_OCR_PAGE_LIST:
            /* Page numbers, ',' and '-' only (it is stored as it is). */
            for (uint32_t k = 0; k < n; k++)
                if (!strchr("0123456789,-", v[k]) || !v[k])
                    return -1;
            fouille__buf_reset(&doc->ocr_page_list);
            if (fouille__buf_append(&doc->ocr_page_list, (const char *)v, n) < 0)
                return -1;
            break;
        case REC_OCR_NEEDED_LIST:
            if (n > FOUILLE__FRAME_MAX_PAGE_LIST ||
                !fouille__page_list_valid((const char *)v, n))
                return -1;
            fouille__buf_reset(&doc->ocr_needed_list);
            if (fouille__buf_append(&doc->ocr_needed_list, (const char *)v,
                                    n) < 0)
                return -1;
            break;
        case REC_REASON:
        case REC_FLAGS:
        case REC_OCR_PAGES:
        case REC_PAGES: {
            if (n != 4)
                return -1;
            uint32_t x = get_u32(v);
            if (type == REC_REASON) {
                if (x >= FOUILLE__REASON_COUNT_)
                    return -1;
                doc->reason = (enum fouille__reason)x;
                have_reason = 1;
            } else if (type == REC_FLAGS)
                doc->flags = x & (FOUILLE__DOC_TRUNCATED | FOUILLE__DOC_NO_TEXT |
                                  FOUILLE__DOC_OCR | FOUILLE__DOC_NEEDS_OCR);
            else if (type == REC_OCR_PAGES)
                doc->ocr_pages = x;
            else
                doc->pages = x;
            break;
        }
        case REC_TEXT:
            fouille__buf_reset(&doc->text);
            if (fouille__buf_append_utf8(&doc->text, (const char *)v, n, 1) < 0)
                return -1;
            break;
        default:
            if (type < REC_FIELD0 || type >= REC_FIELD0 + FOUILLE_FIELD_COUNT_)
                return -1;
            free(doc->fields[type - REC_FIELD0]);
            if (!(doc->fields[type - REC_FIELD0] =
                      fouille__utf8_dup((const char *)v, n)))
                return -1;
        }
    }
    return have_reason ? 0 : -1;
}

/* ---- the registry report ------------------------------------------------ */

enum registry_record {
    REG_NAME = 1, /* starts an entry */
    REG_VERSION = 2,
    REG_FILE = 3,
    REG_ABI = 4,
    REG_ENABLED = 5,
    REG_MIME = 6,
    REG_EXTENSION = 7,
};

static int put_list(struct fouille__buf *out, unsigned type, char **v)
{
    int rc = 0;
    for (; *v; v++)
        rc |= put_record(out, type, *v, strlen(*v));
    return rc;
}

int fouille__frame_encode_registry(struct fouille__buf *out,
                                   const struct fouille__registry *reg)
{
    if (frame_begin(out) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < reg->n; i++) {
        const struct fouille__plugin_slot *s = &reg->slots[i];
        rc |= put_record(out, REG_NAME, s->name, strlen(s->name));
        rc |= put_record(out, REG_VERSION, s->version, strlen(s->version));
        rc |= put_record(out, REG_FILE, s->file, strlen(s->file));
        rc |= put_u32_record(out, REG_ABI, s->abi_version);
        rc |= put_u32_record(out, REG_ENABLED, (uint32_t)s->initialised);
        rc |= put_list(out, REG_MIME, s->mime_types);
        rc |= put_list(out, REG_EXTENSION, s->extensions);
    }
    if (rc || out->len - FOUILLE__FRAME_HEADER > FOUILLE__FRAME_MAX_REGISTRY)
        return -1;
    frame_end(out, FOUILLE__FRAME_REGISTRY);
    return 0;
}

/* One entry of the report while it is read. */
struct entry {
    char name[FOUILLE__REGISTRY_MAX_STRING + 1];
    char version[FOUILLE__REGISTRY_MAX_STRING + 1];
    char file[FOUILLE__REGISTRY_MAX_STRING + 1];
    unsigned abi;
    int enabled;
    char *mime[FOUILLE__REGISTRY_MAX_TYPES + 1];
    char *ext[FOUILLE__REGISTRY_MAX_TYPES + 1];
    size_t nmime, next;
};

static void entry_clear(struct entry *e)
{
    for (size_t i = 0; i < e->nmime; i++)
        free(e->mime[i]);
    for (size_t i = 0; i < e->next; i++)
        free(e->ext[i]);
    memset(e, 0, sizeof *e);
}

/* Add the entry read so far to reg (nothing when none was started). */
static int entry_flush(struct entry *e, struct fouille__registry *reg)
{
    if (!e->name[0])
        return 0;
    if (reg->n >= FOUILLE__REGISTRY_MAX_PLUGINS)
        return -1;
    e->mime[e->nmime] = NULL;
    e->ext[e->next] = NULL;
    struct fouille__plugin_slot *s = fouille__registry_add(
        reg, e->file, e->name, e->version, e->abi,
        (const char *const *)e->mime, (const char *const *)e->ext);
    if (s)
        s->initialised = e->enabled;
    entry_clear(e);
    return s ? 0 : -1;
}

static int entry_push(char **v, size_t *n, const unsigned char *s, uint32_t len)
{
    if (*n >= FOUILLE__REGISTRY_MAX_TYPES || len == 0 ||
        memchr(s, '\0', len) || !(v[*n] = fouille__utf8_dup((const char *)s,
                                                            len)))
        return -1;
    (*n)++;
    return 0;
}

int fouille__frame_decode_registry(const unsigned char *p, size_t len,
                                   struct fouille__registry *reg)
{
    struct entry *e = calloc(1, sizeof *e);
    size_t i = 0;
    int rc = e ? 0 : -1;
    while (rc == 0 && i < len) {
        if (len - i < 5 || get_u32(p + i + 1) > len - i - 5) {
            rc = -1;
            break;
        }
        unsigned type = p[i];
        uint32_t n = get_u32(p + i + 1);
        const unsigned char *v = p + i + 5;
        i += 5 + (size_t)n;
        if (type != REG_NAME && !e->name[0]) {
            rc = -1; /* every record belongs to an entry */
            break;
        }
        if (n > FOUILLE__REGISTRY_MAX_STRING) {
            rc = -1;
            break;
        }
        switch (type) {
        case REG_NAME:
            if ((rc = entry_flush(e, reg)) == 0)
                copy_string(e->name, sizeof e->name, v, n);
            rc |= e->name[0] ? 0 : -1;
            break;
        case REG_VERSION:
            copy_string(e->version, sizeof e->version, v, n);
            break;
        case REG_FILE:
            copy_string(e->file, sizeof e->file, v, n);
            break;
        case REG_ABI:
        case REG_ENABLED:
            if (n != 4)
                rc = -1;
            else if (type == REG_ABI)
                e->abi = get_u32(v);
            else
                e->enabled = get_u32(v) != 0;
            break;
        case REG_MIME:
            rc = entry_push(e->mime, &e->nmime, v, n);
            break;
        case REG_EXTENSION:
            rc = entry_push(e->ext, &e->next, v, n);
            break;
        default:
            rc = -1;
        }
    }
    if (rc == 0)
        rc = entry_flush(e, reg);
    if (e)
        entry_clear(e);
    free(e);
    return rc;
}
