/* log.c -- see log.h. One write(2) per message so that lines from several
 * processes (daemon and workers share stderr) never interleave. */
#include "config.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int log_level = FOUILLE__LOG_INFO;
static const char *log_ident = "fouille";
static int to_journal = -1; /* unknown until the first message */

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

/* systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it
 * connected to stderr; a stderr redirected elsewhere (2>file, a pipe to
 * another program) no longer matches and gets plain lines. */
static int stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    char extra;
    struct stat st;
    if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &extra) != 2)
        return 0;
    if (fstat(STDERR_FILENO, &st) < 0)
        return 0;
    return (unsigned long long)st.st_dev == dev &&
           (unsigned long long)st.st_ino == ino;
}

void fouille__log_set_ident(const char *ident)
{
    log_ident = ident;
    to_journal = stderr_is_journal();
}

void fouille__vlog(int level, const char *fmt, va_list ap)
{
    char line[2048];
    int n;

    if (level > log_level)
        return;
    if (level < FOUILLE__LOG_ERR || level > FOUILLE__LOG_DEBUG)
        level = FOUILLE__LOG_ERR;
    if (to_journal < 0)
        to_journal = stderr_is_journal();
    if (to_journal)
        /* journald adds the time, the program and its pid. */
        n = snprintf(line, sizeof line, "<%d>", level);
    else {
        /* UTC: the workers run with TZ=UTC0 (sandbox.c), and a time
         * with its zone cannot be misread. */
        struct timespec ts;
        struct tm tm;
        char when[32] = "";
        clock_gettime(CLOCK_REALTIME, &ts);
        if (gmtime_r(&ts.tv_sec, &tm))
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        n = snprintf(line, sizeof line, "%s %s[%ld]: %s: ", when, log_ident,
                     (long)getpid(), level_names[level]);
    }
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
