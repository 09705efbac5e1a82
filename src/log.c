/* log.c -- see log.h. One write(2) per message so that lines from several
 * processes (daemon and workers share stderr) never interleave. */
#include "config.h"

#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_level = FOUILLE__LOG_INFO;
static const char *log_ident = "fouille";

static const char *const level_names[] = {
    [FOUILLE__LOG_ERR] = "error",     [FOUILLE__LOG_WARNING] = "warning",
    [FOUILLE__LOG_NOTICE] = "notice", [FOUILLE__LOG_INFO] = "info",
    [FOUILLE__LOG_DEBUG] = "debug",
};

void fouille__log_set_level(int level) { log_level = level; }
int fouille__log_get_level(void) { return log_level; }
int fouille__log_level_from_name(const char *name)
{
    for (int l = FOUILLE__LOG_ERR; l <= FOUILLE__LOG_DEBUG; l++)
        if (strcmp(name, level_names[l]) == 0)
            return l;
    return -1;
}

int fouille__log_set_level_name(const char *name)
{
    int l = fouille__log_level_from_name(name);
    if (l < 0)
        return -1;
    log_level = l;
    return 0;
}

void fouille__log_set_ident(const char *ident) { log_ident = ident; }

void fouille__vlog(int level, const char *fmt, va_list ap)
{
    char line[2048];
    int n;

    if (level > log_level)
        return;
    if (level < FOUILLE__LOG_ERR || level > FOUILLE__LOG_DEBUG)
        level = FOUILLE__LOG_ERR;
    if (isatty(STDERR_FILENO))
        n = snprintf(line, sizeof line, "%s: %s: ", log_ident,
                     level_names[level]);
    else
        n = snprintf(line, sizeof line, "<%d>", level);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    if (m < 0)
        return;
    size_t len = (size_t)n + (size_t)m;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    /* A message is one line: control characters (a file name may hold a
     * newline) are shown as '?'. */
    for (size_t i = (size_t)n; i < len; i++)
        if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
            line[i] = '?';
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void fouille__log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fouille__vlog(level, fmt, ap);
    va_end(ap);
}
