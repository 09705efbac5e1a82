/* A test plugin that writes garbage on the worker's channel to its parent
 * (descriptor 3) and on its standard output (.garbage files). */
#include <fouille/plugin.h>
#include <unistd.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    static const char junk[] = "FXF1\x02\0\0\0\xff\xff\xff\x7fgarbage!garbage!";
    (void)fd, (void)mime, (void)sink;
    ssize_t w = write(3, junk, sizeof junk);
    w = write(1, junk, sizeof junk);
    (void)w;
    return FOUILLE_OK;
}

static const char *const mimes[] = {"application/x-fouille-test-garbage",
                                    NULL};
static const char *const exts[] = {"garbage", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-garbage", "1", mimes, exts, NULL, NULL,
    extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
