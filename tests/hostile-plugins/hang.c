/* A test plugin that never returns (.hang files): a busy loop, so that
 * either the wall-clock timeout or the CPU limit must stop it. */
#include <fouille/plugin.h>
#include <stddef.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    volatile unsigned long n = 0;
    (void)fd, (void)mime, (void)sink;
    for (;;)
        n++;
    return FOUILLE_OK;
}

static const char *const mimes[] = {"application/x-fouille-test-hang", NULL};
static const char *const exts[] = {"hang", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-hang", "1", mimes, exts, NULL, NULL, extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
