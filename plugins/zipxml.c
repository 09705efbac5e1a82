/* zipxml.c -- see zipxml.h. */
#include "zipxml.h"

#include <libxml/xmlerror.h>

struct walk {
    const struct fouille_sink *sink;
    struct fouille_zip_part *part;
};

/* libxml2 pulls inflated bytes here; the host's reader enforces the
 * limits. */
static int part_read(void *ctx, char *buf, int len)
{
    struct walk *w = ctx;
    if (len <= 0)
        return 0;
    int64_t r = w->sink->zip_part_read(w->part, buf, (size_t)len);
    return r < 0 ? -1 : (int)r;
}

static void silent(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

void zipxml_quiet(int on)
{
    xmlSetStructuredErrorFunc(NULL, on ? silent : NULL);
}

int zipxml_walk(const struct fouille_sink *sink, struct fouille_zip *zip,
                int64_t idx, const char *name, uint64_t size_cap,
                zipxml_node_fn node, void *ctx)
{
    struct walk w = {sink, NULL};
    int rc;
    w.part = sink->zip_part_open(zip, idx, size_cap, &rc);
    if (!w.part)
        return rc;
    xmlTextReaderPtr r = xmlReaderForIO(
        part_read, NULL, &w, NULL, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        sink->zip_part_close(w.part);
        return FOUILLE_E_NOMEM;
    }
    xmlTextReaderSetStructuredErrorHandler(r, silent, NULL);
    int ret = 0, stopped = 0;
    while (!stopped && (ret = xmlTextReaderRead(r)) == 1)
        stopped = node(ctx, r);
    xmlFreeTextReader(r);
    rc = sink->zip_part_close(w.part); /* the host logged a failure */
    if (rc == FOUILLE_E_LIMIT)
        return rc;
    if (stopped)
        return FOUILLE_E_STOPPED;
    if (rc == FOUILLE_OK && ret < 0)
        sink->log(sink->host, FOUILLE_LOG_WARNING, "%s: malformed XML", name);
    return rc == FOUILLE_OK && ret >= 0 ? FOUILLE_OK : FOUILLE_E_MALFORMED;
}
