/* tally.c -- see tally.h. */
#include "config.h"

#include "tally.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void fouille__count_add(struct fouille__count *v, const char *key,
                        uint64_t n)
{
    size_t i;
    for (i = 0; i < FOUILLE__TALLY_KEYS - 1 && v[i].key[0]; i++)
        if (strcmp(v[i].key, key) == 0) {
            v[i].n += n;
            return;
        }
    if (i == FOUILLE__TALLY_KEYS - 1)
        key = "other";
    snprintf(v[i].key, sizeof v[i].key, "%s", key);
    v[i].n += n;
}

void fouille__format_name(const char *mime, const char *path, char *out,
                          size_t len)
{
    static const struct {
        const char *mime, *name;
    } names[] = {
        {"application/pdf", "pdf"},
        {"text/html", "html"},
        {"application/xhtml+xml", "html"},
        {"text/markdown", "markdown"},
        {"text/x-markdown", "markdown"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml."
         "document", "docx"},
        {"application/vnd.oasis.opendocument.text", "odt"},
        {"text/plain", "text"},
        {"application/x-empty", "empty"},
    };
    const char *ext = strrchr(path, '.');
    if (ext && strchr(ext, '/'))
        ext = NULL;
    /* Markdown is plain text to libmagic: name it by its extension. */
    if (ext && (strcasecmp(ext, ".md") == 0 ||
                strcasecmp(ext, ".markdown") == 0) &&
        mime && strncmp(mime, "text/", 5) == 0) {
        snprintf(out, len, "markdown");
        return;
    }
    /* XHTML pages are XML to libmagic. */
    if (ext && mime && (strcmp(mime, "text/xml") == 0 ||
                        strcmp(mime, "application/xml") == 0) &&
        (strcasecmp(ext, ".html") == 0 || strcasecmp(ext, ".htm") == 0 ||
         strcasecmp(ext, ".xhtml") == 0)) {
        snprintf(out, len, "html");
        return;
    }
    for (size_t i = 0; mime && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].mime, mime) == 0) {
            snprintf(out, len, "%s", names[i].name);
            return;
        }
    /* Unknown content (the worker died before saying): the extension. */
    if ((!mime || !*mime || strcmp(mime, "application/octet-stream") == 0) &&
        ext && ext[1] && strlen(ext) < 12) {
        size_t i;
        for (i = 0; ext[i + 1] && i + 1 < len; i++)
            out[i] = (char)((ext[i + 1] >= 'A' && ext[i + 1] <= 'Z')
                                ? ext[i + 1] + 32 : ext[i + 1]);
        out[i] = '\0';
        return;
    }
    const char *slash = mime ? strchr(mime, '/') : NULL;
    snprintf(out, len, "%s", slash ? slash + 1 : "unknown");
}
