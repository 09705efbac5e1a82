/* sandbox.h -- confinement of a fouille-extract worker (Linux).
 *
 * What a confined worker cannot do:
 *  - open, create, rename, link or delete files (open, openat, openat2,
 *    creat, *link*, rename*, mkdir*, rmdir, truncate, chmod*, chown*, mknod*);
 *    it reads only the descriptors the parent passes it;
 *  - use the network or make new sockets (socket, socketpair, connect, bind,
 *    listen, accept*);
 *  - run programs or create processes (execve, execveat, fork, vfork, and
 *    clone without CLONE_THREAD; threads are allowed);
 *  - trace or signal other processes, or change its credentials, namespaces,
 *    mounts, kernel modules, keyrings, BPF, perf or io_uring;
 *  - gain privileges (PR_SET_NO_NEW_PRIVS);
 *  - exceed its rlimits: address space (extract_memory_mb), CPU time per
 *    document (extract_cpu_s), no core dumps, a few descriptors
 *    (RLIMIT_NOFILE).
 * A forbidden system call kills the worker with SIGSYS after it has told
 * the parent which call it was ("sandbox violation: openat"); the document
 * is recorded as failed and a fresh worker takes over. */
#ifndef FOUILLE_SANDBOX_H
#define FOUILLE_SANDBOX_H

#include <stddef.h>

struct fouille__sandbox_opts {
    size_t address_space;  /* bytes; 0: no limit */
    int report_fd;         /* where to write the violation frame */
};

/* Apply rlimits (except CPU), no_new_privs and the seccomp filter. Call
 * once, after loading plugins, libmagic's database and any other file the
 * worker needs. Returns 0, or -1 with a message in err. */
int fouille__sandbox_enter(const struct fouille__sandbox_opts *opts,
                           char *err, size_t errlen);

/* Set the CPU limit for the next document: seconds more than used so far.
 * Exceeding it raises SIGXCPU. */
void fouille__sandbox_cpu_budget(unsigned seconds);

/* Install handlers that, when extraction dies of a signal (SIGSEGV, SIGBUS,
 * SIGABRT, SIGFPE, SIGILL, SIGXCPU), first tell the parent on report_fd
 * why: "memory limit" when the peak resident size reached 3/4 of
 * memory_limit (allocations failed), "cpu limit" for SIGXCPU, otherwise
 * "crashed: SIGSEGV" and so on. Runs on an alternate stack, so a stack
 * overflow is reported too. */
void fouille__sandbox_crash_reporter(int report_fd, size_t memory_limit);

/* Load what libraries would otherwise open lazily during extraction
 * (iconv converters for common legacy charsets), so that they work under
 * the filter. */
void fouille__sandbox_prewarm(void);

#endif
