/* fuzz-http.c -- the daemon's HTTP request reading, fed arbitrary bytes:
 * the parser and its limits (httpreq.c), the request target, the query
 * string, and the search parameters (searchreq.c), exactly as http.c
 * chains them. */
#include "config.h"

#include "httpreq.h"
#include "search.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fouille__httpreq r;
    struct fouille__search_limits lim = {.query_max_len = 1024,
                                         .per_page_max = 100,
                                         .snippet_chars = 200,
                                         .public_base_url = ""};
    fouille__httpreq_init(&r, 4096, 8192);
    const char *p = (const char *)data;
    size_t left = size;
    for (int guard = 0; guard < 64 && left > 0; guard++) {
        fouille__httpreq_next(&r);
        size_t n = fouille__httpreq_feed(&r, p, left);
        p += n;
        left -= n;
        if (r.error_status)
            break;
        if (!r.complete) {
            if (n == 0)
                break;
            continue;
        }
        char path[1024];
        const char *qs;
        size_t qslen;
        if (fouille__httpreq_target(&r, path, sizeof path, &qs, &qslen) != 0)
            break;
        struct fouille__params params;
        if (fouille__params_parse(&params, qs, qslen) == 0) {
            static struct fouille__search_req req;
            char err[256];
            int bad = 0;
            fouille__search_req_init(&req, &lim);
            for (int i = 0; i < params.n && !bad; i++)
                bad = fouille__search_req_set(&req, &lim, params.key[i],
                                              params.val[i], err,
                                              sizeof err) < 0;
            if (!bad)
                fouille__search_req_finish(&req, &lim, err, sizeof err);
        }
        fouille__params_free(&params);
    }
    fouille__httpreq_free(&r);
    return 0;
}
