/* unit.h -- small named test cases for src/, in the manner of libuv's
 * test runner: each case runs in a child process of its own, under a
 * timeout, so that a crash or a hang fails that case alone and the others
 * still run. Prints TAP, one line per case.
 *
 *   static void registry_choice(void) { UNIT_CHECK(x == 1); ... }
 *   static const struct unit_case cases[] = {
 *       {"registry_choice", registry_choice, 5}, ...};
 *   int main(void) { return unit_run(cases, UNIT_COUNT(cases)); }
 *
 * A check that fails prints a diagnostic and marks the case failed; the
 * case goes on (later checks may say more). */
#ifndef FOUILLE_UNIT_H
#define FOUILLE_UNIT_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct unit_case {
    const char *name;
    void (*run)(void);
    unsigned timeout_s;
};

#define UNIT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int unit_failed_;

#define UNIT_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            fflush(stdout);                                                   \
            unit_failed_ = 1;                                                 \
        }                                                                     \
    } while (0)

#define UNIT_CHECK_STR(got, want)                                             \
    do {                                                                      \
        const char *g_ = (got), *w_ = (want);                                 \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                              \
            printf("# %s:%d: got '%s', want '%s'\n", __FILE__, __LINE__,      \
                   g_ ? g_ : "(null)", w_ ? w_ : "(null)");                   \
            fflush(stdout);                                                   \
            unit_failed_ = 1;                                                 \
        }                                                                     \
    } while (0)

/* Run every case; returns the exit status for main. */
static inline int unit_run(const struct unit_case *cases, size_t n)
{
    int failed = 0;
    printf("1..%zu\n", n);
    fflush(stdout);
    for (size_t i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(cases[i].timeout_s); /* SIGALRM ends a hung case */
            cases[i].run();
            /* exit, not _exit: a sanitizer build checks for leaks then. */
            exit(unit_failed_ ? 1 : 0);
        }
        int status = 0;
        const char *why = "";
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
            why = " (could not run)";
        else if (WIFSIGNALED(status))
            why = WTERMSIG(status) == SIGALRM ? " (timed out)"
                                              : " (killed by a signal)";
        int ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        printf("%sok %zu - %s%s\n", ok ? "" : "not ", i + 1, cases[i].name,
               why);
        fflush(stdout);
        failed |= !ok;
    }
    return failed;
}

#endif
