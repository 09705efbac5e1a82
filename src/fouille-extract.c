/* fouille-extract.c -- the extraction worker.
 *
 * Started by the daemon or the CLI with a Unix socket on descriptor 3 (see
 * frame.h); loads the plugins once, reports them to the parent (which
 * chooses from that table and never loads a plugin itself), confines
 * itself (sandbox.h), then answers one request at a time: an open file descriptor in, a framed
 * document out. It exits when the parent closes the socket. Not meant to be
 * run by hand. */
#include "config.h"

#include "extract.h"
#include "frame.h"
#include "log.h"
#include "registry.h"
#include "charset.h"
#include "sandbox.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHANNEL_FD 3

struct worker_opts {
    const char *plugin_dir;
    struct fouille__limits lim;
    unsigned cpu_s;
    unsigned ocr_cpu_s;
    unsigned ocr_pages;       /* for OCR requests; 0: OCR off */
    const char *ocr_languages;
    size_t memory;
    int sandbox;
    int nice;                 /* scheduling priority to lower to */
};

static int parse_opts(struct worker_opts *o, int argc, char **argv)
{
    o->plugin_dir = PKGLIBDIR "/plugins";
    o->lim.text_max = 8u << 20;
    o->lim.max_pages = 2000;
    o->lim.max_inflated = 256u << 20;
    o->cpu_s = 30;
    o->ocr_cpu_s = 600;
    o->ocr_pages = 0;
    o->ocr_languages = "";
    o->lim.ocr_time_ms = 600000;
    o->lim.ocr_dpi = 300;
    o->lim.ocr_min_confidence = 40;
    o->memory = (size_t)1024 << 20;
    o->sandbox = 1;
    o->nice = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = strchr(a, '=');
        unsigned long long n = v ? strtoull(v + 1, NULL, 10) : 0;
        if (strncmp(a, "--plugin-dir=", 13) == 0)
            o->plugin_dir = v + 1;
        else if (strncmp(a, "--text-max-kb=", 14) == 0 && n)
            o->lim.text_max = (size_t)n * 1024;
        else if (strncmp(a, "--max-pages=", 12) == 0 && n)
            o->lim.max_pages = (unsigned)n;
        else if (strncmp(a, "--max-inflated-mb=", 18) == 0 && n)
            o->lim.max_inflated = (uint64_t)n << 20;
        else if (strncmp(a, "--cpu-s=", 8) == 0 && n)
            o->cpu_s = (unsigned)n;
        else if (strncmp(a, "--memory-mb=", 12) == 0 && n)
            o->memory = (size_t)n << 20;
        else if (strncmp(a, "--nice=", 7) == 0 && n <= 19)
            o->nice = (int)n;
        else if (strncmp(a, "--ocr-languages=", 16) == 0)
            o->ocr_languages = v + 1;
        else if (strncmp(a, "--ocr-pages=", 12) == 0)
            o->ocr_pages = (unsigned)n;
        else if (strncmp(a, "--ocr-time-ms=", 14) == 0 && n)
            o->lim.ocr_time_ms = (unsigned)n;
        else if (strncmp(a, "--ocr-cpu-s=", 12) == 0 && n)
            o->ocr_cpu_s = (unsigned)n;
        else if (strncmp(a, "--ocr-dpi=", 10) == 0 && n)
            o->lim.ocr_dpi = (unsigned)n;
        else if (strncmp(a, "--ocr-min-confidence=", 21) == 0)
            o->lim.ocr_min_confidence = (unsigned)n;
        else if (strcmp(a, "--no-sandbox") == 0)
            o->sandbox = 0;
        else {
            log_err("unknown argument %s", a);
            return -1;
        }
    }
    return 0;
}

/* Read exactly len bytes, collecting at most one passed descriptor.
 * Returns len, 0 on EOF before any byte, -1 on error or short read. */
static ssize_t recv_exact(int sock, void *buf, size_t len, int *fd)
{
    size_t got = 0;
    while (got < len) {
        union {
            struct cmsghdr h;
            char space[CMSG_SPACE(sizeof(int) * 4)];
        } ctl;
        struct iovec iov = {(char *)buf + got, len - got};
        struct msghdr msg = {0};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ctl.space;
        msg.msg_controllen = sizeof ctl.space;
        ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c;
             c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int *fds = (int *)CMSG_DATA(c);
            for (size_t k = 0; k < nfd; k++) {
                if (*fd < 0)
                    *fd = fds[k];
                else
                    close(fds[k]); /* one descriptor per request */
            }
        }
        if (n == 0)
            return got == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return (ssize_t)len;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct worker_opts o;
    char err[256];
    fouille__log_set_ident("fouille-extract");
    if (parse_opts(&o, argc, argv) < 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    /* An OCR worker yields the CPU to the first extractions. */
    if (o.nice > 0 && setpriority(PRIO_PROCESS, 0, o.nice) < 0)
        log_warn("cannot lower the worker's priority: %s", strerror(errno));

    fouille__extract_ocr_environment(o.ocr_pages ? o.ocr_languages : "");
    if (o.ocr_pages) {
        /* A page image and Tesseract's copies of it are tens of MiB,
         * allocated and freed page after page: kept in the heap instead of
         * being mapped, zero-filled and unmapped each time, recognition
         * took 15% less CPU (tests/plugin-run on a three-page scan, with
         * the same settings through MALLOC_*_ variables). Text extraction gains nothing from it. */
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_TOP_PAD, 16 << 20);
    }
    struct fouille__registry reg = {0};
    fouille__registry_load(&reg, o.plugin_dir);
    fouille__registry_init_plugins(&reg);
    struct fouille__extractor *ex = fouille__extractor_new(&reg);
    if (!ex)
        return 1;
    struct fouille__buf out = {0};
    if (fouille__frame_encode_registry(&out, &reg) < 0 ||
        write_all(CHANNEL_FD, out.data, out.len) < 0) {
        log_err("cannot report the plugins to the parent");
        return 4;
    }
    fouille__sandbox_prewarm();
    fouille__charset_preload();
    fouille__sandbox_crash_reporter(CHANNEL_FD, o.memory);
    if (o.sandbox) {
        struct fouille__sandbox_opts so = {o.memory, CHANNEL_FD};
        if (fouille__sandbox_enter(&so, err, sizeof err) < 0) {
            log_err("cannot confine the worker: %s", err);
            return 1;
        }
    }

    /* path, or path NUL page-list for REQUEST_OCR_PAGES */
    char path[FOUILLE__FRAME_MAX_PATH + 1 + FOUILLE__FRAME_MAX_PAGE_LIST + 1];
    for (;;) {
        unsigned char h[FOUILLE__FRAME_HEADER];
        int fd = -1;
        uint32_t len;
        ssize_t n = recv_exact(CHANNEL_FD, h, sizeof h, &fd);
        if (n == 0)
            break; /* the parent is done with us */
        int ocr = 0, only = 0;
        if (n > 0 && fouille__frame_parse_header(h, FOUILLE__FRAME_REQUEST,
                                                 FOUILLE__FRAME_MAX_PATH,
                                                 &len) == 0)
            ;
        else if (n > 0 && fouille__frame_parse_header(
                              h, FOUILLE__FRAME_REQUEST_OCR,
                              FOUILLE__FRAME_MAX_PATH, &len) == 0)
            ocr = 1;
        else if (n > 0 && fouille__frame_parse_header(
                              h, FOUILLE__FRAME_REQUEST_OCR_PAGES,
                              sizeof path - 1, &len) == 0)
            ocr = only = 1;
        else
            n = -1;
        if (n < 0 ||
            recv_exact(CHANNEL_FD, path, len, &fd) != (ssize_t)len ||
            fd < 0) {
            log_err("malformed request from the parent; exiting");
            return 3;
        }
        path[len] = '\0';
        const char *pages = NULL;
        if (only) {
            size_t plen = strlen(path);
            pages = path + plen + 1;
            if (plen == len || plen > FOUILLE__FRAME_MAX_PATH ||
                !fouille__page_list_valid(pages, len - plen - 1)) {
                log_err("malformed request from the parent; exiting");
                return 3;
            }
        }

        struct fouille__doc doc;
        struct fouille__response_meta meta;
        fouille__doc_init(&doc);
        /* The OCR pass has its own limits (and the first pass none). */
        struct fouille__limits lim = o.lim;
        lim.ocr_pages = ocr ? o.ocr_pages : 0;
        lim.ocr_only_pages = pages;
        if (o.sandbox)
            fouille__sandbox_cpu_budget(ocr ? o.ocr_cpu_s : o.cpu_s);
        fouille__extract(ex, fd, path, &lim, &doc, meta.mime,
                         sizeof meta.mime, meta.plugin, sizeof meta.plugin);
        close(fd);
        if (fouille__frame_encode_response(&out, &doc, &meta) < 0 ||
            write_all(CHANNEL_FD, out.data, out.len) < 0) {
            fouille__doc_clear(&doc);
            return 4;
        }
        fouille__doc_clear(&doc);
        /* Give memory of a large document back rather than keep the peak. */
        if (out.cap > (1u << 20))
            fouille__buf_free(&out);
    }
    fouille__buf_free(&out);
    fouille__extractor_free(ex);
    fouille__registry_free(&reg);
    return 0;
}
