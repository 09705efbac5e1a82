/* frame.h -- the framing between the daemon (or CLI) and a fouille-extract
 * worker, over a Unix socketpair.
 *
 * Request (parent -> worker): one frame whose payload is the relative path
 * of the file (for its extension and for log lines), sent with sendmsg()
 * carrying the open file descriptor as SCM_RIGHTS ancillary data. Its kind
 * is REQUEST, or REQUEST_OCR for the OCR pass (plugins may recognise
 * pages, under the OCR limits), or REQUEST_OCR_PAGES for an OCR pass of
 * the listed pages only, the parent keeping the first pass: the payload
 * is then the path, a NUL byte and the page list ("1-3,6", at most
 * FOUILLE__FRAME_MAX_PAGE_LIST bytes).
 *
 * Response (worker -> parent): one frame whose payload is a list of
 * records: type (1 byte), length (4 bytes, little endian), value.
 *
 * Registry (worker -> parent, once, before any request is answered): the
 * plugins the worker loaded, as records in the same format: for each
 * plugin its name (which starts the entry), version, file, ABI version,
 * whether init() succeeded, its MIME types and extensions. The parent
 * chooses plugins from this table (registry.h) and never loads one.
 *
 * Frame header: magic "FXF1" (4 bytes; the digit is the protocol version),
 * kind (4 bytes: request or response), payload length (4 bytes, little
 * endian). Both sides check the magic, the kind and the length against a
 * maximum before reading the payload; a short, oversized or malformed frame
 * is an error, never undefined behaviour. */
#ifndef FOUILLE_FRAME_H
#define FOUILLE_FRAME_H

#include "buf.h"
#include "doc.h"

#include <stddef.h>
#include <stdint.h>

#define FOUILLE__FRAME_MAGIC "FXF1"
#define FOUILLE__FRAME_HEADER 12
#define FOUILLE__FRAME_REQUEST 1u
#define FOUILLE__FRAME_RESPONSE 2u
#define FOUILLE__FRAME_REQUEST_OCR 3u
#define FOUILLE__FRAME_REGISTRY 4u
#define FOUILLE__FRAME_REQUEST_OCR_PAGES 5u
#define FOUILLE__FRAME_MAX_PATH 4096
#define FOUILLE__FRAME_MAX_PAGE_LIST 4096
#define FOUILLE__FRAME_MAX_REGISTRY (1u << 20)

/* What a response carries besides the document. */
struct fouille__response_meta {
    char mime[128];
    char plugin[96];
};

/* Encode a frame header into out. */
void fouille__frame_header(uint32_t kind, uint32_t payload_len,
                           unsigned char out[FOUILLE__FRAME_HEADER]);

/* Decode a header: returns 0 and the payload length, or -1 when the magic
 * or kind is wrong or the length exceeds max. */
int fouille__frame_parse_header(const unsigned char *h, uint32_t kind,
                                uint32_t max, uint32_t *payload_len);

/* Serialise a response (header included) into out. Returns 0 or -1. */
int fouille__frame_encode_response(struct fouille__buf *out,
                                   const struct fouille__doc *doc,
                                   const struct fouille__response_meta *meta);

/* Decode a response payload into doc (initialised by the caller) and meta.
 * Strings are repaired to valid UTF-8. Returns 0, or -1 when the payload is
 * malformed (doc may then hold part of it: clear it). */
int fouille__frame_decode_response(const unsigned char *p, size_t len,
                                   struct fouille__doc *doc,
                                   struct fouille__response_meta *meta);

struct fouille__registry;

/* Serialise the table of loaded plugins (header included) into out.
 * Returns 0 or -1. */
int fouille__frame_encode_registry(struct fouille__buf *out,
                                   const struct fouille__registry *reg);

/* Decode a registry payload into reg (empty, owned by the caller: free it
 * with fouille__registry_free even on failure). Returns 0, or -1 when the
 * payload is malformed or exceeds the registry's limits. */
int fouille__frame_decode_registry(const unsigned char *p, size_t len,
                                   struct fouille__registry *reg);

#endif
