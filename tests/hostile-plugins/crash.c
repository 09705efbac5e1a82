/* A test plugin that dereferences NULL on every document (.crash files). */
#include <fouille/plugin.h>
#include <stddef.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    volatile int *p = NULL;
    (void)fd, (void)mime, (void)sink;
    return *p;
}

static const char *const mimes[] = {"application/x-fouille-test-crash", NULL};
static const char *const exts[] = {"crash", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-crash", "1", mimes, exts, NULL, NULL, extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
