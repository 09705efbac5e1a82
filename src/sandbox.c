/* sandbox.c -- see sandbox.h. */
#include "config.h"

#include "sandbox.h"

#include "doc.h"
#include "frame.h"

#include <errno.h>
#include <iconv.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Calls that kill the worker (SIGSYS, reported first). */
static const char *const forbidden[] = {
    "open", "openat", "openat2", "creat", "open_by_handle_at",
    "name_to_handle_at", "link", "linkat", "symlink", "symlinkat", "unlink",
    "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
    "rmdir", "truncate", "chmod", "fchmod", "fchmodat", "chown", "fchown",
    "fchownat", "lchown", "mknod", "mknodat", "socket", "socketpair",
    "connect", "bind", "listen", "accept", "accept4", "execve", "execveat",
    "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev",
    "kill", "setuid", "setgid", "setreuid", "setregid", "setresuid",
    "setresgid", "setgroups", "setfsuid", "setfsgid", "capset", "mount",
    "umount2", "pivot_root", "chroot", "unshare", "setns", "init_module",
    "finit_module", "delete_module", "kexec_load", "reboot", "bpf",
    "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup",
    "userfaultfd", "personality", "acct", "swapon", "swapoff",
    "sethostname", "setdomainname", "iopl", "ioperm",
};
#define N_FORBIDDEN (sizeof forbidden / sizeof forbidden[0])

static int forbidden_nr[N_FORBIDDEN];
static int report_fd = -1;

static size_t memory_limit;

/* Write a response frame holding only a reason and a detail. Used from
 * signal handlers: async-signal-safe calls only, static buffer. */
static void report(uint32_t reason, const char *detail)
{
    static unsigned char frame[320];
    size_t nlen = strlen(detail);
    if (nlen > 255)
        nlen = 255;
    /* records: REASON (6), DETAIL (7); see frame.c */
    unsigned char *p = frame + FOUILLE__FRAME_HEADER;
    *p++ = 6;
    *p++ = 4, *p++ = 0, *p++ = 0, *p++ = 0;
    for (int i = 0; i < 4; i++)
        *p++ = (unsigned char)(reason >> (8 * i));
    *p++ = 7;
    *p++ = (unsigned char)nlen, *p++ = 0, *p++ = 0, *p++ = 0;
    memcpy(p, detail, nlen);
    p += nlen;
    fouille__frame_header(FOUILLE__FRAME_RESPONSE,
                          (uint32_t)(p - frame - FOUILLE__FRAME_HEADER), frame);
    if (report_fd >= 0) {
        ssize_t w = write(report_fd, frame, (size_t)(p - frame));
        (void)w;
    }
}

/* A forbidden system call: tell the parent which (and, for open and
 * openat, which file: that is what a plugin author needs to know), then
 * die. */
static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
    char detail[128];
    const char *name = "?";
    const char *path = NULL;
    for (size_t i = 0; i < N_FORBIDDEN; i++)
        if (forbidden_nr[i] == si->si_syscall)
            name = forbidden[i];
#if defined(__x86_64__)
    ucontext_t *uc = ucv;
    if (strcmp(name, "openat") == 0)
        path = (const char *)uc->uc_mcontext.gregs[REG_RSI];
    else if (strcmp(name, "open") == 0)
        path = (const char *)uc->uc_mcontext.gregs[REG_RDI];
#endif
    size_t n = 0;
    for (const char *s = name; *s && n < 16; s++)
        detail[n++] = *s;
    if (path) {
        detail[n++] = ' ';
        for (const char *s = path; *s && n < sizeof detail - 1; s++)
            detail[n++] = (unsigned char)*s < 0x20 ? '?' : *s;
    }
    detail[n] = '\0';
    report(FOUILLE__REASON_FORBIDDEN, detail);
    _exit(128 + SIGSYS);
}

static void on_fatal(int sig, siginfo_t *si, void *uc)
{
    struct rusage ru;
    if (sig == SIGXCPU)
        report(FOUILLE__REASON_CPU, "");
    else if (memory_limit && getrusage(RUSAGE_SELF, &ru) == 0 &&
             (size_t)ru.ru_maxrss * 1024 >= memory_limit / 4 * 3)
        report(FOUILLE__REASON_NOMEM, "");
    else {
        const char *name = sigabbrev_np(sig);
        char detail[16] = "SIG";
        strncat(detail, name ? name : "?", sizeof detail - 4);
        report(FOUILLE__REASON_CRASHED, detail);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void fouille__sandbox_crash_reporter(int fd, size_t limit)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL,
                               SIGXCPU};
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    report_fd = fd;
    memory_limit = limit;
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

void fouille__sandbox_prewarm(void)
{
    /* glibc reads /etc/localtime again whenever mktime() runs (PDF dates):
     * a time zone given as a POSIX rule needs no file. Dates are kept as
     * the document states them, so UTC loses nothing. */
    setenv("TZ", "UTC0", 1);
    tzset();
    /* glibc loads iconv modules with open() on first use, and keeps them
     * loaded while a descriptor is open: keep these for the life of the
     * worker. */
    static const char *const from[] = {"ISO-8859-1", "WINDOWS-1252",
                                       "ISO-8859-15", "UTF-16LE", "UTF-16BE",
                                       "MACINTOSH", "CP850"};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
        iconv_t cd = iconv_open("UTF-8", from[i]);
        (void)cd; /* deliberately never closed */
        cd = iconv_open(from[i], "UTF-8");
        (void)cd;
    }
}

void fouille__sandbox_cpu_budget(unsigned seconds)
{
    struct rusage ru;
    struct rlimit rl;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return;
    rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
    rl.rlim_cur = used + seconds;
    rl.rlim_max = rl.rlim_cur + 5; /* then SIGKILL */
    setrlimit(RLIMIT_CPU, &rl);
}

static int set_limit(int res, rlim_t v)
{
    struct rlimit rl = {v, v};
    return setrlimit(res, &rl);
}

int fouille__sandbox_enter(const struct fouille__sandbox_opts *opts,
                           char *err, size_t errlen)
{
    report_fd = opts->report_fd;
#ifndef UNDER_ASAN
    /* AddressSanitizer reserves terabytes of address space for its shadow
     * memory: an address-space limit cannot apply to a sanitizer build. */
    if (opts->address_space && set_limit(RLIMIT_AS, opts->address_space) < 0) {
        snprintf(err, errlen, "setrlimit(RLIMIT_AS): %s", strerror(errno));
        return -1;
    }
#endif
    /* No RLIMIT_FSIZE: it would also kill a worker logging to a stderr
     * redirected to a file; opening files is refused by the filter. */
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_NOFILE, 64);

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        snprintf(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s",
                 strerror(errno));
        return -1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);

    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) {
        snprintf(err, errlen, "seccomp_init failed");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < N_FORBIDDEN; i++) {
        int nr = seccomp_syscall_resolve_name(forbidden[i]);
        forbidden_nr[i] = nr;
        if (nr == __NR_SCMP_ERROR)
            continue; /* not on this architecture */
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, nr, 0);
        if (rc < 0 && rc != -EOPNOTSUPP && rc != -EDOM)
            break;
        rc = 0;
    }
    /* Threads yes, processes no. clone3 hides its flags in memory that a
     * filter cannot read: refuse it with ENOSYS so that libc falls back to
     * clone, whose flags the filter can check. */
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    if (rc == 0) {
        int nr = seccomp_syscall_resolve_name("clone3");
        if (nr != __NR_SCMP_ERROR)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
    }
    if (rc == 0)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc < 0) {
        snprintf(err, errlen, "seccomp: %s", strerror(-rc));
        return -1;
    }
    return 0;
}
