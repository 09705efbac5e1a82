/* fuzz-frame.c -- the worker's response frames and plugin report, as the
 * parent decodes them (frame.c): a worker running a hostile plugin may
 * write anything. */
#include "config.h"

#include "frame.h"
#include "registry.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t len;
    struct fouille__doc doc;
    struct fouille__response_meta meta;
    if (size >= FOUILLE__FRAME_HEADER &&
        fouille__frame_parse_header(data, FOUILLE__FRAME_RESPONSE, 1u << 24,
                                    &len) == 0 &&
        len <= size - FOUILLE__FRAME_HEADER) {
        fouille__doc_init(&doc);
        fouille__frame_decode_response(data + FOUILLE__FRAME_HEADER, len,
                                       &doc, &meta);
        fouille__doc_clear(&doc);
    }
    /* The payload decoder alone, on everything. */
    fouille__doc_init(&doc);
    fouille__frame_decode_response(data, size, &doc, &meta);
    fouille__doc_clear(&doc);
    /* The plugin report the parent chooses plugins from. */
    struct fouille__registry reg = {0};
    fouille__frame_decode_registry(data, size, &reg);
    fouille__registry_free(&reg);
    return 0;
}
