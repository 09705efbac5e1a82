/* charset.h -- charset decoding offered to plugins through the sink
 * (struct fouille_sink's decode_charset; fouille-plugin.h documents it).
 *
 * Converters are iconv's. glibc loads each from a module file on first
 * use, which the worker's sandbox forbids: fouille__charset_preload() opens
 * every converter of the table before the sandbox is entered, and the
 * decoder only ever uses those. A label outside the table is unknown. */
#ifndef FOUILLE_CHARSET_H
#define FOUILLE_CHARSET_H

#include "fouille-plugin.h"

/* Open the converters of the table (once; later calls do nothing).
 * Decoding calls it too, for hosts without a sandbox. */
void fouille__charset_preload(void);

/* Set sink->decode_charset to the host's decoder. */
void fouille__charset_services(struct fouille_sink *sink);

/* The decoder itself (sink may be NULL): see fouille-plugin.h. */
int64_t fouille__charset_decode(const struct fouille_sink *sink,
                                const char *charset, const char *in,
                                size_t len, int last, char *out,
                                size_t outsz, size_t *used);

#endif
