/* A test plugin that allocates and touches memory without bound (.alloc
 * files), never checking for failure. */
#include <fouille/plugin.h>
#include <stdlib.h>
#include <string.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    (void)fd, (void)mime, (void)sink;
    for (;;) {
        char *p = malloc(16u << 20);
        memset(p, 0x5a, 16u << 20); /* crashes when malloc gives up */
    }
    return FOUILLE_OK;
}

static const char *const mimes[] = {"application/x-fouille-test-alloc", NULL};
static const char *const exts[] = {"alloc", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-alloc", "1", mimes, exts, NULL, NULL, extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
