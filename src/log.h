/* log.h -- logging to stderr: with systemd's <N> priority prefixes when
 * stderr is the journal ($JOURNAL_STREAM names its device and inode),
 * otherwise "TIME PROGRAM[PID]: LEVEL: message" (cron, 2>file, a
 * terminal). */
#ifndef FOUILLE_LOG_H
#define FOUILLE_LOG_H

#include <stdarg.h>

enum fouille__log_level {
    FOUILLE__LOG_ERR = 3,
    FOUILLE__LOG_WARNING = 4,
    FOUILLE__LOG_NOTICE = 5,
    FOUILLE__LOG_INFO = 6,
    FOUILLE__LOG_DEBUG = 7,
};

/* Messages above this level are dropped (default: INFO). */
void fouille__log_set_level(int level);
int fouille__log_get_level(void);
/* The level named "error", "warning", "notice", "info" or "debug", or
 * -1 for another name. */
int fouille__log_level_from_name(const char *name);
/* Set the level from its name. Returns 0, or -1 (level unchanged) for
 * another name. */
int fouille__log_set_level_name(const char *name);
/* Name printed before messages ("fouille", "fouilled"); also looks at
 * $JOURNAL_STREAM, so call it first thing in main. */
void fouille__log_set_ident(const char *ident);

void fouille__log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fouille__vlog(int level, const char *fmt, va_list ap);

#define log_err(...) fouille__log(FOUILLE__LOG_ERR, __VA_ARGS__)
#define log_warn(...) fouille__log(FOUILLE__LOG_WARNING, __VA_ARGS__)
#define log_notice(...) fouille__log(FOUILLE__LOG_NOTICE, __VA_ARGS__)
#define log_info(...) fouille__log(FOUILLE__LOG_INFO, __VA_ARGS__)
#define log_debug(...) fouille__log(FOUILLE__LOG_DEBUG, __VA_ARGS__)

#endif
