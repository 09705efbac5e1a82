/* frame.c -- see frame.h. */
#include "config.h"

#include "frame.h"

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

int fouille__frame_encode_response(struct fouille__buf *out,
                                   const struct fouille__doc *doc,
                                   const struct fouille__response_meta *meta)
{
    unsigned char h[FOUILLE__FRAME_HEADER] = {0};
    fouille__buf_reset(out);
    if (fouille__buf_append(out, h, sizeof h) < 0)
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
    fouille__frame_header(FOUILLE__FRAME_RESPONSE,
                          (uint32_t)(out->len - FOUILLE__FRAME_HEADER),
                          (unsigned char *)out->data);
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
