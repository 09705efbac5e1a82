/* assets.h -- files served by the HTTP server from memory: the staff
 * search page and the widget it shares with the website. The contents are
 * generated at build time from src/page.html and contrib/widget/ (see
 * gen-assets.sh), so there is one front-end to keep. */
#ifndef FOUILLE_ASSETS_H
#define FOUILLE_ASSETS_H

#include <stddef.h>

struct fouille__asset {
    const char *path;    /* "/", "/widget.js", ... */
    const char *type;    /* Content-Type */
    const char *headers; /* extra header lines, CRLF-terminated */
    const unsigned char *data;
    size_t len;
    int route_is_page;
};

/* The asset served at path, or NULL. */
const struct fouille__asset *fouille__asset_find(const char *path);

#endif
