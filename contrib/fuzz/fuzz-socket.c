/* fuzz-socket.c -- the Unix socket protocol, fed arbitrary lines: JSON
 * decoding, the op, and the search parameters (sockproto.c), exactly as
 * sockserver.c chains them. */
#include "config.h"

#include "sockproto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *end = p + size;
    struct fouille__search_limits lim = {.query_max_len = 1024,
                                         .per_page_max = 100,
                                         .snippet_chars = 200,
                                         .public_base_url = ""};
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char err[256];
        const char *op;
        json_t *req = fouille__sockproto_decode(p, len, &op, err, sizeof err);
        if (req && strcmp(op, "search") == 0) {
            static struct fouille__search_req sreq;
            fouille__sockproto_search(req, &lim, &sreq, err, sizeof err);
        }
        json_decref(req);
        p += len + (nl ? 1 : 0);
    }
    return 0;
}
