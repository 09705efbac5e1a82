/* zipxml.h -- an XML member of a zip container, parsed by libxml2's
 * streaming xmlTextReader as the host's zip reader inflates it (so memory
 * does not depend on the member's size). Shared by the docx and odt
 * plugins, compiled into each as ocr-engine.c is into pdf and ocr; like
 * them it sees only <fouille/plugin.h>. */
#ifndef FOUILLE_ZIPXML_H
#define FOUILLE_ZIPXML_H

#include <fouille/plugin.h>

#include <libxml/xmlreader.h>

/* Called on each node; a non-zero return ends the walk (the sink asked to
 * stop). */
typedef int (*zipxml_node_fn)(void *ctx, xmlTextReaderPtr r);

/* Parse member idx of zip, refused beforehand when it would inflate past
 * size_cap (0: only the host's limit), calling node on each node. Returns
 * FOUILLE_OK, FOUILLE_E_STOPPED when node ended the walk, or the failure:
 * FOUILLE_E_LIMIT, FOUILLE_E_ENCRYPTED, FOUILLE_E_NOMEM, or
 * FOUILLE_E_MALFORMED (damaged data or XML; logged with name). */
int zipxml_walk(const struct fouille_sink *sink, struct fouille_zip *zip,
                int64_t idx, const char *name, uint64_t size_cap,
                zipxml_node_fn node, void *ctx);

/* Keep libxml2 quiet during extract() (it reports some errors outside any
 * parser), and restore its default after. */
void zipxml_quiet(int on);

#endif
