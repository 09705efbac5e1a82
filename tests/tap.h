/* tap.h -- a minimal TAP producer for fouille's C tests.
 * Each test program calls tap_plan(n) (or tap_done() at the end), then
 * tap_ok(cond, fmt, ...) per assertion. */
#ifndef FOUILLE_TAP_H
#define FOUILLE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count_;
static int tap_failed_;

static inline void tap_plan(int n) { printf("1..%d\n", n); fflush(stdout); }

static inline int tap_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_count_++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count_);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!cond)
        tap_failed_++;
    return cond;
}

static inline void tap_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static inline void tap_skip_all(const char *why)
{
    printf("1..0 # SKIP %s\n", why);
    fflush(stdout);
}

#define tap_is_str(got, want, ...)                                            \
    tap_ok((got) && (want) && strcmp((got), (want)) == 0, __VA_ARGS__) ||     \
        (tap_diag("got '%s', want '%s'", (got) ? (got) : "(null)",            \
                  (want) ? (want) : "(null)"), 0)

#define tap_is_int(got, want, ...)                                            \
    tap_ok((long long)(got) == (long long)(want), __VA_ARGS__) ||             \
        (tap_diag("got %lld, want %lld", (long long)(got),                    \
                  (long long)(want)), 0)

/* Exit status for a test program with a plan given up front. */
static inline int tap_exit(void) { return tap_failed_ ? 1 : 0; }

/* Plan at the end, for tests whose count depends on data. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_count_);
    return tap_exit();
}

#endif
