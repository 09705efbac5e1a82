/* A test plugin built for a future ABI version: the host must refuse it
 * with a log line naming both versions. */
#include <fouille/plugin.h>
#include <stddef.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    (void)fd, (void)mime, (void)sink;
    return FOUILLE_OK;
}

static const char *const mimes[] = {"text/plain", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_ABI_VERSION + 1, sizeof(struct fouille_plugin),
    "test-future", "1", mimes, NULL, NULL, NULL, extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
