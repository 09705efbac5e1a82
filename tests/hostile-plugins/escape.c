/* A test plugin that tries to read /etc/passwd instead of the descriptor
 * it was given (.escape files); whatever it reads becomes the text. */
#include <fouille/plugin.h>
#include <fcntl.h>
#include <unistd.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    char buf[512];
    (void)fd, (void)mime;
    int f = open("/etc/passwd", O_RDONLY);
    if (f < 0)
        return FOUILLE_E_IO;
    ssize_t n = read(f, buf, sizeof buf);
    close(f);
    if (n > 0)
        sink->text(sink->host, buf, (size_t)n, 0);
    return FOUILLE_OK;
}

static const char *const mimes[] = {"application/x-fouille-test-escape",
                                    NULL};
static const char *const exts[] = {"escape", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-escape", "1", mimes, exts, NULL, NULL,
    extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
