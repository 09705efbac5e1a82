/* A test plugin that takes its time (.slow files): it sleeps as many
 * seconds as the file's first line says (at most 600), then emits the rest
 * of the file. A slow document that uses no CPU, to show that it does not
 * hold back small ones. */
#define _POSIX_C_SOURCE 200809L
#include <fouille/plugin.h>

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int extract(int fd, const char *mime, const struct fouille_sink *sink)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    (void)mime;
    if (n <= 0)
        return FOUILLE_E_IO;
    buf[n] = '\0';
    char *rest;
    unsigned long s = strtoul(buf, &rest, 10);
    struct timespec ts = {(time_t)(s > 600 ? 600 : s), 0};
    while (nanosleep(&ts, &ts) < 0)
        ;
    if (*rest && sink->text(sink->host, rest, (size_t)(buf + n - rest), 0))
        return FOUILLE_E_STOPPED;
    return FOUILLE_OK;
}

static const char *const mimes[] = {"application/x-fouille-test-slow", NULL};
static const char *const exts[] = {"slow", NULL};
static const struct fouille_plugin plugin = {
    FOUILLE_PLUGIN_HEADER, "test-slow", "1", mimes, exts, NULL, NULL, extract,
};
const struct fouille_plugin *fouille_plugin_entry(void) { return &plugin; }
