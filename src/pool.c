/* pool.c -- see pool.h. */
#include "config.h"

#include "pool.h"

#include "log.h"
#include "ocr-cache.h"
#include "relpath.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* Consecutive worker deaths without a completed document after which the
 * pool stops respawning (a plugin that crashes in init would otherwise
 * spin). */
#define MAX_FAST_DEATHS 10

/* The worker's command line: program, plugin folder, limits, OCR. */
#define MAX_ARGS 20

/* An idle OCR worker exits after this long without a scan to recognise
 * (Tesseract holds some 100 MB per worker). */
#define OCR_IDLE_MS 10000

/* What a worker process is for. */
enum worker_kind {
    WORKER_FIRST, /* first extractions, in order */
    WORKER_QUICK, /* small files, while every first worker is held by a slow
                   * document */
    WORKER_OCR,   /* the OCR lane; started when a scan waits, with Tesseract
                   * (the others never load it) */
};

struct worker {
    struct fouille__pool *pool;
    unsigned id;
    enum worker_kind kind;
    uv_process_t proc;
    uv_pipe_t chan;
    uv_timer_t timer;
    struct fouille__job *job;  /* in flight, or NULL */
    struct fouille__buf rbuf;  /* bytes of the response so far */
    int running;               /* process started and not yet reaped */
    int chan_open;             /* channel handle initialised, not closed */
    int eof;                   /* channel reached end of file */
    int exited;                /* exit callback ran */
    int killed;                /* we sent SIGKILL */
    int dying;                 /* it reported a fatal signal: no new job */
    int reported;              /* its registry report was read */
    int retiring;              /* told to exit (idle OCR worker) */
    enum fouille__reason kill_reason; /* why, if we did */
    int64_t exit_status;
    int term_signal;
    int pending_closes;        /* proc and chan closes not yet called back */
};

struct fouille__pool {
    uv_loop_t *loop;
    struct fouille__pool_opts opts;
    char *argv_store[MAX_ARGS];
    char *args[MAX_ARGS];      /* first and quick workers: no OCR */
    char *ocr_args[MAX_ARGS];  /* OCR workers */
    char **env;
    struct worker *w;
    unsigned n_workers;        /* first, then quick, then OCR workers */
    struct fouille__job *head, *tail;
    struct fouille__job *ocr_head, *ocr_tail; /* the OCR lane */
    /* Jobs whose failure was known without a worker (file gone, too
     * large, pool closing): completed on the next loop turn, so that the
     * done callback never runs inside fouille__pool_submit (libuv's
     * rule; a caller that submits from done would recurse). */
    struct fouille__job *settled_head, *settled_tail;
    size_t settled;
    uv_idle_t settle;
    size_t queued;
    size_t in_flight;
    size_t ocr_queued, ocr_in_flight;
    struct fouille__ocr_cache *cache; /* or NULL */
    char *languages;           /* opts.ocr_languages, owned */
    fouille__job_done_cb done;
    void *ctx;
    int closing;
    unsigned fast_deaths;
    int gave_up;
    int timers_open;
    int timers_closing;
    void (*closed)(void *);
    void *closed_ctx;
    struct fouille__pool_stats stats;
    struct fouille__registry reg; /* the first worker's report */
    int have_reg;
    int ready_called;
    int reports_differ;           /* logged once */
};

static void dispatch(struct fouille__pool *pool);
static int spawn_worker(struct worker *w);
static void maybe_finish_close(struct fouille__pool *pool);

struct fouille__job *fouille__job_new(const char *path, const char *sig,
                                      uint64_t size)
{
    struct fouille__job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return NULL;
    }
    snprintf(j->sig, sizeof j->sig, "%s", sig ? sig : "");
    j->size = size;
    fouille__doc_init(&j->doc);
    return j;
}

void fouille__job_free(struct fouille__job *job)
{
    if (!job)
        return;
    fouille__doc_clear(&job->doc);
    if (job->first)
        fouille__doc_clear(job->first);
    free(job->first);
    free(job->path);
    free(job);
}

/* An OCR pass of the listed pages only: join it to the first pass kept
 * (a failed pass stands alone, as the document's failure). */
static void join_first_pass(struct fouille__pool *pool, struct fouille__job *job)
{
    struct fouille__doc *first = job->first;
    job->first = NULL;
    if (job->doc.reason == FOUILLE__REASON_NONE &&
        fouille__doc_merge_ocr(first, &job->doc,
                               (size_t)pool->opts.text_max_kb * 1024) == 0) {
        fouille__doc_clear(&job->doc);
        job->doc = *first;
    } else {
        if (job->doc.reason == FOUILLE__REASON_NONE) {
            job->doc.reason = FOUILLE__REASON_NOMEM;
            snprintf(job->doc.detail, sizeof job->doc.detail,
                     "joining the OCR text");
        }
        fouille__doc_clear(first);
    }
    free(first);
}

static void complete(struct fouille__pool *pool, struct fouille__job *job)
{
    if (job->first)
        join_first_pass(pool, job);
    if (job->ocr_cached)
        pool->stats.ocr_cached++;
    else if (job->ocr) {
        fouille__ocr_cache_store(pool->cache, &job->doc, &job->meta);
        if (job->doc.reason == FOUILLE__REASON_NONE) {
            pool->stats.ocr_done++;
            pool->stats.ocr_pages += job->doc.ocr_pages;
        } else if (!job->cancelled)
            pool->stats.ocr_failed++;
        if (job->started_ms) {
            job->ocr_ms = uv_now(pool->loop) - job->started_ms;
            pool->stats.ocr_ms += job->ocr_ms;
        }
    }
    pool->done(job, pool->ctx);
}

/* Append job to a lane. */
static void enqueue(struct fouille__job **head, struct fouille__job **tail,
                    struct fouille__job *job)
{
    job->next = NULL;
    if (*tail)
        (*tail)->next = job;
    else
        *head = job;
    *tail = job;
}

/* Whether a first-pass result only says that its pages need recognising:
 * then it goes to the OCR lane instead of completing. */
static int to_ocr_lane(struct fouille__pool *pool, struct fouille__job *job)
{
    if (job->ocr || !pool->opts.ocr || job->doc.reason != FOUILLE__REASON_NONE ||
        !(job->doc.flags & FOUILLE__DOC_NEEDS_OCR))
        return 0;
    if (fouille__ocr_cache_load(pool->cache, &job->doc) == 0) {
        job->ocr_cached = 1;
        return 0; /* complete now, with the text recognised before */
    }
    /* The first pass is kept when it says which pages to recognise: the
     * OCR pass then reads nothing else (fouille/plugin.h, ocr_only). */
    struct fouille__doc *first = NULL;
    if (job->doc.ocr_needed_list.len &&
        job->doc.ocr_needed_list.len <= FOUILLE__FRAME_MAX_PAGE_LIST &&
        (first = malloc(sizeof *first)))
        *first = job->doc;
    else
        fouille__doc_clear(&job->doc);
    job->first = first;
    job->ocr_pages_only = first != NULL;
    if (first)
        pool->stats.ocr_page_passes++;
    fouille__doc_init(&job->doc);
    job->ocr = 1;
    job->started_ms = 0;
    enqueue(&pool->ocr_head, &pool->ocr_tail, job);
    pool->ocr_queued++;
    return 1;
}

/* The job in flight on w is over (answered or not). */
static void end_flight(struct fouille__pool *pool, struct fouille__job *job)
{
    pool->in_flight--;
    if (job->ocr)
        pool->ocr_in_flight--;
}

static void fail_job(struct fouille__pool *pool, struct fouille__job *job,
                     enum fouille__reason reason, const char *detail)
{
    job->doc.reason = reason;
    snprintf(job->doc.detail, sizeof job->doc.detail, "%s",
             detail ? detail : "");
    complete(pool, job);
}

/* Complete the settled jobs: on the loop turn after they settled, or at
 * close. */
static void complete_settled(struct fouille__pool *pool)
{
    struct fouille__job *job;
    uv_idle_stop(&pool->settle);
    while ((job = pool->settled_head)) {
        pool->settled_head = job->next;
        if (!pool->settled_head)
            pool->settled_tail = NULL;
        job->next = NULL;
        pool->settled--;
        complete(pool, job);
    }
}

static void on_settle(uv_idle_t *h) { complete_settled(h->data); }

/* Complete job on a later loop turn (see settled_head). Once the pool's
 * handles are closing, no later turn comes: it completes now. */
static void settle_job(struct fouille__pool *pool, struct fouille__job *job,
                       enum fouille__reason reason, const char *detail)
{
    job->doc.reason = reason;
    snprintf(job->doc.detail, sizeof job->doc.detail, "%s",
             detail ? detail : "");
    if (pool->timers_closing) {
        complete(pool, job);
        return;
    }
    enqueue(&pool->settled_head, &pool->settled_tail, job);
    pool->settled++;
    uv_idle_start(&pool->settle, on_settle);
}

/* ---- the worker's channel --------------------------------------------- */

static void kill_worker(struct worker *w, enum fouille__reason why)
{
    if (!w->running || w->killed)
        return;
    w->killed = 1;
    w->kill_reason = why;
    uv_process_kill(&w->proc, SIGKILL);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct worker *w = h->data;
    /* Read straight into the response buffer. */
    if (fouille__buf_reserve(&w->rbuf, 65536) < 0) {
        buf->base = NULL; /* libuv reports UV_ENOBUFS */
        buf->len = 0;
        return;
    }
    buf->base = w->rbuf.data + w->rbuf.len;
    buf->len = w->rbuf.cap - w->rbuf.len - 1;
}

/* A frame of kind is complete when the buffer holds the header and the
 * whole payload. Returns 1 when complete, 0 when more is needed, -1 when
 * the bytes cannot be a valid frame. */
static int frame_state(struct worker *w, uint32_t kind, uint32_t max,
                       uint32_t *payload)
{
    if (w->rbuf.len < FOUILLE__FRAME_HEADER)
        return 0;
    if (fouille__frame_parse_header((unsigned char *)w->rbuf.data, kind, max,
                                    payload) < 0)
        return -1;
    size_t need = FOUILLE__FRAME_HEADER + (size_t)*payload;
    if (w->rbuf.len < need)
        return 0;
    if (w->rbuf.len > need)
        return -1; /* nothing may follow a frame the parent waits for */
    return 1;
}

static int response_state(struct worker *w, uint32_t *payload)
{
    uint32_t max = (uint32_t)w->pool->opts.text_max_kb * 1024 + (1u << 20);
    return frame_state(w, FOUILLE__FRAME_RESPONSE, max, payload);
}

/* Tell the owner, once, that the table is known (or never will be). */
static void notify_ready(struct fouille__pool *pool)
{
    if (pool->ready_called || pool->closing)
        return;
    pool->ready_called = 1;
    if (pool->opts.ready)
        pool->opts.ready(pool, pool->ctx);
}

static int same_plugins(const struct fouille__registry *a,
                        const struct fouille__registry *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->slots[i].tag, b->slots[i].tag) != 0 ||
            a->slots[i].initialised != b->slots[i].initialised)
            return 0;
    return 1;
}

static void kill_worker(struct worker *w, enum fouille__reason why);

/* A worker's first frame: the plugins it loaded. The first report becomes
 * the pool's table; the others are checked against it. */
static void take_report(struct worker *w)
{
    struct fouille__pool *pool = w->pool;
    uint32_t payload;
    int st = frame_state(w, FOUILLE__FRAME_REGISTRY,
                         FOUILLE__FRAME_MAX_REGISTRY, &payload);
    if (st == 0)
        return;
    struct fouille__registry reg = {0};
    if (st < 0 || fouille__frame_decode_registry(
                      (unsigned char *)w->rbuf.data + FOUILLE__FRAME_HEADER,
                      payload, &reg) < 0) {
        fouille__registry_free(&reg);
        pool->stats.protocol_errors++;
        fouille__buf_reset(&w->rbuf);
        log_err("extraction worker %u: malformed plugin report", w->id);
        kill_worker(w, FOUILLE__REASON_PROTOCOL);
        return;
    }
    fouille__buf_reset(&w->rbuf);
    uv_timer_stop(&w->timer);
    w->reported = 1;
    if (!pool->have_reg) {
        pool->reg = reg;
        pool->have_reg = 1;
        log_info("extraction workers: %zu plugin%s", reg.n,
                 reg.n == 1 ? "" : "s");
        if (reg.n == 0)
            log_warn("no extractor plugins in %s: files will be recorded "
                     "as unsupported", pool->opts.plugin_dir);
        notify_ready(pool);
    } else {
        if (!same_plugins(&pool->reg, &reg) && !pool->reports_differ) {
            pool->reports_differ = 1;
            log_warn("extraction worker %u loaded other plugins than the "
                     "first one: the plugin folder changed; reload (SIGHUP) "
                     "to use them", w->id);
        }
        fouille__registry_free(&reg);
    }
    dispatch(pool);
}

static void finish_response(struct worker *w, uint32_t payload)
{
    struct fouille__pool *pool = w->pool;
    struct fouille__job *job = w->job;
    w->job = NULL;
    end_flight(pool, job);
    uv_timer_stop(&w->timer);
    if (fouille__frame_decode_response(
            (unsigned char *)w->rbuf.data + FOUILLE__FRAME_HEADER, payload,
            &job->doc, &job->meta) < 0) {
        fouille__doc_clear(&job->doc);
        fouille__doc_init(&job->doc);
        pool->stats.protocol_errors++;
        kill_worker(w, FOUILLE__REASON_PROTOCOL);
        fail_job(pool, job, FOUILLE__REASON_PROTOCOL, "malformed response");
    } else {
        /* The crash reporter's frames come from a worker about to die. */
        enum fouille__reason r = job->doc.reason;
        if (r == FOUILLE__REASON_FORBIDDEN || r == FOUILLE__REASON_CRASHED ||
            r == FOUILLE__REASON_NOMEM || r == FOUILLE__REASON_CPU) {
            w->dying = 1;
            pool->stats.crashed++;
        }
        pool->fast_deaths = 0;
        if (!to_ocr_lane(pool, job))
            complete(pool, job);
    }
    fouille__buf_reset(&w->rbuf);
}

static void worker_gone(struct worker *w);

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct worker *w = s->data;
    struct fouille__pool *pool = w->pool;
    if (n == UV_ENOBUFS) {
        kill_worker(w, FOUILLE__REASON_NOMEM);
        return;
    }
    if (n < 0) {
        /* EOF or error: the worker is gone or going. */
        uv_read_stop(s);
        w->eof = 1;
        if (w->exited)
            worker_gone(w);
        else
            kill_worker(w, FOUILLE__REASON_CRASHED);
        return;
    }
    if (n == 0)
        return;
    w->rbuf.len += (size_t)n;
    w->rbuf.data[w->rbuf.len] = '\0';
    if (!w->reported) {
        take_report(w);
        return;
    }
    if (!w->job) {
        /* Bytes nobody asked for. */
        pool->stats.protocol_errors++;
        fouille__buf_reset(&w->rbuf);
        kill_worker(w, FOUILLE__REASON_PROTOCOL);
        return;
    }
    uint32_t payload;
    int st = response_state(w, &payload);
    if (st < 0) {
        pool->stats.protocol_errors++;
        fouille__buf_reset(&w->rbuf);
        kill_worker(w, FOUILLE__REASON_PROTOCOL);
        return;
    }
    if (st == 1) {
        finish_response(w, payload);
        dispatch(pool);
    }
}

/* The worker's timer: its document's time limit, or, idle, the time to
 * look at the lanes again (the quick worker waiting for the first workers
 * to be held; an OCR worker with nothing to recognise). */
static void on_timeout(uv_timer_t *t)
{
    struct worker *w = t->data;
    struct fouille__pool *pool = w->pool;
    if (w->job) {
        pool->stats.timeouts++;
        kill_worker(w, FOUILLE__REASON_TIMEOUT);
    } else if (w->running && !w->reported) {
        log_err("extraction worker %u did not report its plugins within "
                "%u ms", w->id, w->pool->opts.timeout_ms);
        kill_worker(w, FOUILLE__REASON_TIMEOUT);
    } else if (w->kind == WORKER_OCR && !pool->ocr_head && w->running &&
               !w->killed && !w->retiring && w->chan_open) {
        /* End of file on its socket: it exits by itself. */
        int sock;
        w->retiring = 1;
        if (uv_fileno((uv_handle_t *)&w->chan, &sock) == 0)
            shutdown(sock, SHUT_WR);
    } else
        dispatch(pool);
}

/* ---- process lifecycle ------------------------------------------------ */

static void on_handle_closed(uv_handle_t *h)
{
    struct worker *w = h->data;
    struct fouille__pool *pool = w->pool;
    if (--w->pending_closes > 0)
        return;
    fouille__buf_reset(&w->rbuf);
    if (pool->closing) {
        maybe_finish_close(pool);
        return;
    }
    if (pool->fast_deaths >= MAX_FAST_DEATHS) {
        if (!pool->gave_up)
            log_err("extraction workers keep dying before finishing a "
                    "document; not restarting them (check the plugins)");
        pool->gave_up = 1;
        notify_ready(pool); /* if no worker ever reported */
        dispatch(pool); /* fails what is queued if no worker is left */
        return;
    }
    /* An OCR worker comes back when a scan waits (dispatch starts it). */
    if (w->kind != WORKER_OCR && spawn_worker(w) < 0)
        pool->fast_deaths++;
    dispatch(pool);
}

/* Both the exit and the end of the channel have been seen: settle the job
 * in flight, close the handles, respawn from the close callback. */
static void worker_gone(struct worker *w)
{
    struct fouille__pool *pool = w->pool;
    uv_timer_stop(&w->timer);
    if (w->job) {
        struct fouille__job *job = w->job;
        uint32_t payload;
        w->job = NULL;
        end_flight(pool, job);
        if (response_state(w, &payload) == 1 &&
            fouille__frame_decode_response(
                (unsigned char *)w->rbuf.data + FOUILLE__FRAME_HEADER,
                payload, &job->doc, &job->meta) == 0 &&
            job->doc.reason != FOUILLE__REASON_NONE) {
            /* The worker said why before dying (crash reporter). */
            pool->stats.crashed++;
            complete(pool, job);
        } else {
            fouille__doc_clear(&job->doc);
            fouille__doc_init(&job->doc);
            char detail[32] = "";
            enum fouille__reason r = FOUILLE__REASON_CRASHED;
            if (w->killed && w->kill_reason != FOUILLE__REASON_CRASHED)
                r = w->kill_reason;
            else if (w->term_signal == SIGXCPU ||
                     (w->term_signal == SIGKILL && !w->killed))
                r = FOUILLE__REASON_CPU;
            else if (w->term_signal) {
                const char *name = sigabbrev_np(w->term_signal);
                snprintf(detail, sizeof detail, "SIG%s", name ? name : "?");
            } else
                snprintf(detail, sizeof detail, "exit %lld",
                         (long long)w->exit_status);
            if (r == FOUILLE__REASON_CRASHED)
                pool->stats.crashed++;
            if (pool->closing)
                job->cancelled = 1;
            fail_job(pool, job, r, detail);
        }
        pool->fast_deaths = 0; /* it died on a document, not at start */
    } else if (!pool->closing &&
               (!w->reported || (!w->killed && !w->dying && !w->retiring))) {
        pool->fast_deaths++;
        log_warn("extraction worker %u exited %s (status %lld, signal %d)",
                 w->id, w->reported ? "unexpectedly"
                                    : "before reporting its plugins",
                 (long long)w->exit_status, w->term_signal);
    }
    w->pending_closes = 2;
    uv_close((uv_handle_t *)&w->proc, on_handle_closed);
    uv_close((uv_handle_t *)&w->chan, on_handle_closed);
    w->chan_open = 0;
}

static void on_worker_exit(uv_process_t *p, int64_t status, int sig)
{
    struct worker *w = p->data;
    w->running = 0;
    w->exited = 1;
    w->exit_status = status;
    w->term_signal = sig;
    if (w->eof)
        worker_gone(w);
    /* else: the channel's EOF follows and calls worker_gone. */
}

static int spawn_worker(struct worker *w)
{
    struct fouille__pool *pool = w->pool;
    int sv[2];
    w->job = NULL;
    w->eof = w->exited = w->killed = w->dying = w->reported = 0;
    w->retiring = 0;
    w->kill_reason = FOUILLE__REASON_NONE;
    w->exit_status = 0;
    w->term_signal = 0;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        log_err("socketpair: %s", strerror(errno));
        return -1;
    }
    uv_stdio_container_t stdio[4] = {
        {.flags = UV_IGNORE},
        {.flags = UV_IGNORE}, /* a plugin that prints cannot pollute stdout */
        {.flags = UV_INHERIT_FD, .data.fd = STDERR_FILENO},
        {.flags = UV_INHERIT_FD, .data.fd = sv[1]},
    };
    uv_process_options_t po = {
        .exit_cb = on_worker_exit,
        .file = pool->args[0],
        .args = w->kind == WORKER_OCR ? pool->ocr_args : pool->args,
        .env = pool->env,
        .stdio_count = 4,
        .stdio = stdio,
    };
    w->proc.data = w;
    int rc = uv_spawn(pool->loop, &w->proc, &po);
    close(sv[1]);
    if (rc < 0) {
        log_err("cannot start %s: %s", pool->args[0], uv_strerror(rc));
        close(sv[0]);
        /* uv_spawn failures still need the handle closed. */
        w->pending_closes = 1;
        w->chan_open = 0;
        uv_close((uv_handle_t *)&w->proc, on_handle_closed);
        return -1;
    }
    w->running = 1;
    pool->stats.spawned++;
    /* Its plugin report is due within the time of an extraction. */
    uv_timer_start(&w->timer, on_timeout, pool->opts.timeout_ms, 0);
    uv_pipe_init(pool->loop, &w->chan, 0);
    w->chan.data = w;
    w->chan_open = 1;
    if ((rc = uv_pipe_open(&w->chan, sv[0])) < 0 ||
        (rc = uv_read_start((uv_stream_t *)&w->chan, on_alloc, on_read)) < 0) {
        log_err("worker channel: %s", uv_strerror(rc));
        kill_worker(w, FOUILLE__REASON_CRASHED);
    }
    return 0;
}

/* ---- dispatch --------------------------------------------------------- */

static struct fouille__job *dequeue(struct fouille__pool *pool)
{
    struct fouille__job *j = pool->head;
    if (j) {
        pool->head = j->next;
        if (!pool->head)
            pool->tail = NULL;
        j->next = NULL;
        pool->queued--;
    }
    return j;
}

static struct fouille__job *dequeue_ocr(struct fouille__pool *pool)
{
    struct fouille__job *j = pool->ocr_head;
    if (j) {
        pool->ocr_head = j->next;
        if (!pool->ocr_head)
            pool->ocr_tail = NULL;
        j->next = NULL;
        pool->ocr_queued--;
    }
    return j;
}

/* OCR workers: as many as first workers but one (at least one); they run
 * beside the first workers, at a lower priority. */
static unsigned ocr_slots(const struct fouille__pool *pool)
{
    return pool->opts.workers > 1 ? pool->opts.workers - 1 : 1;
}

/* Open the job's file and hand it to w. Returns 0 when sent, or completes
 * the job itself (file gone, too large, ...) and returns 1. Returns -1 when
 * the worker cannot take it (the job is requeued). */
static int send_job(struct worker *w, struct fouille__job *job)
{
    struct fouille__pool *pool = w->pool;
    int fd = fouille__open_beneath(pool->opts.rootfd, job->path,
                                   O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        job->retry = fouille__transient_errno(errno);
        snprintf(job->meta.mime, sizeof job->meta.mime,
                 "application/octet-stream");
        settle_job(pool, job, FOUILLE__REASON_UNREADABLE, strerror(errno));
        return 1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(job->meta.mime, sizeof job->meta.mime,
                 "application/octet-stream");
        settle_job(pool, job, FOUILLE__REASON_UNREADABLE,
                 "not a regular file");
        return 1;
    }
    job->size = (uint64_t)st.st_size;
    if ((uint64_t)st.st_size > pool->opts.file_max) {
        close(fd);
        snprintf(job->meta.mime, sizeof job->meta.mime,
                 "application/octet-stream");
        settle_job(pool, job, FOUILLE__REASON_TOO_LARGE, NULL);
        return 1;
    }
    size_t plen = strlen(job->path);
    if (plen > FOUILLE__FRAME_MAX_PATH) {
        close(fd);
        settle_job(pool, job, FOUILLE__REASON_UNREADABLE, "path too long");
        return 1;
    }
    unsigned char h[FOUILLE__FRAME_HEADER];
    /* An OCR pass of the listed pages: path, NUL, the list (frame.h). */
    const struct fouille__buf *pages =
        job->first ? &job->first->ocr_needed_list : NULL;
    fouille__frame_header(pages ? FOUILLE__FRAME_REQUEST_OCR_PAGES
                          : job->ocr ? FOUILLE__FRAME_REQUEST_OCR
                                     : FOUILLE__FRAME_REQUEST,
                          (uint32_t)(plen + (pages ? 1 + pages->len : 0)), h);
    struct iovec iov[4] = {{h, sizeof h},
                           {job->path, plen},
                           {(void *)"", 1},
                           {pages ? pages->data : NULL, pages ? pages->len : 0}};
    union {
        struct cmsghdr c;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr msg = {0};
    msg.msg_iov = iov;
    msg.msg_iovlen = pages ? 4 : 2;
    msg.msg_control = ctl.space;
    msg.msg_controllen = sizeof ctl.space;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    /* An idle worker's socket buffer is empty: a request (8 KiB at most)
     * is written whole without blocking. */
    int sock;
    ssize_t n = -1;
    if (uv_fileno((uv_handle_t *)&w->chan, &sock) == 0)
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    close(fd);
    if (n != (ssize_t)(sizeof h + plen + (pages ? 1 + pages->len : 0))) {
        kill_worker(w, FOUILLE__REASON_CRASHED);
        return -1;
    }
    w->job = job;
    pool->in_flight++;
    job->started_ms = uv_now(pool->loop);
    if (job->ocr)
        pool->ocr_in_flight++;
    /* The OCR pass gets its recognition time on top of the usual one, so
     * that the plugin's own deadline (a clean "limit exceeded") comes
     * before the kill. */
    uv_timer_start(&w->timer, on_timeout,
                   job->ocr ? (uint64_t)pool->opts.ocr_timeout_ms +
                                  pool->opts.timeout_ms
                            : pool->opts.timeout_ms, 0);
    return 0;
}

/* Whether w can take a job now. */
static int worker_idle(const struct worker *w)
{
    return w->running && w->reported && !w->killed && !w->dying &&
           !w->retiring && !w->job;
}

/* How long, from now, until every first worker is held by a document it
 * has been extracting for slow_ms or more (0: they are; a worker being
 * replaced counts as held). */
static uint64_t until_first_held(const struct fouille__pool *pool)
{
    uint64_t now = uv_now(pool->loop), wait = 0;
    for (unsigned i = 0; i < pool->opts.workers; i++) {
        const struct worker *w = &pool->w[i];
        if (worker_idle(w))
            return UINT64_MAX;
        if (!w->job || w->killed || w->dying)
            continue;
        uint64_t held_at = w->job->started_ms + pool->opts.slow_ms;
        if (held_at > now && held_at - now > wait)
            wait = held_at - now;
    }
    return wait;
}

/* Take the first job of the first lane small enough for the quick
 * worker. */
static struct fouille__job *dequeue_small(struct fouille__pool *pool)
{
    struct fouille__job *prev = NULL;
    for (struct fouille__job *j = pool->head; j; prev = j, j = j->next) {
        if (j->size > pool->opts.quick_max)
            continue;
        if (prev)
            prev->next = j->next;
        else
            pool->head = j->next;
        if (pool->tail == j)
            pool->tail = prev;
        j->next = NULL;
        pool->queued--;
        return j;
    }
    return NULL;
}

/* Put a job the worker could not take back at the head of its lane. */
static void requeue_front(struct fouille__pool *pool, struct fouille__job *job)
{
    struct fouille__job **head = job->ocr ? &pool->ocr_head : &pool->head;
    struct fouille__job **tail = job->ocr ? &pool->ocr_tail : &pool->tail;
    job->next = *head;
    *head = job;
    if (!*tail)
        *tail = job;
    if (job->ocr)
        pool->ocr_queued++;
    else
        pool->queued++;
}

/* The next job for w, or NULL. The first workers take the first lane in
 * order; the quick worker, small files of it once the first workers are all
 * held by slow documents; the OCR workers, the OCR lane. */
static struct fouille__job *next_job(struct fouille__pool *pool,
                                     struct worker *w)
{
    switch (w->kind) {
    case WORKER_FIRST:
        return dequeue(pool);
    case WORKER_OCR:
        return dequeue_ocr(pool);
    case WORKER_QUICK:
        break;
    }
    if (!pool->head)
        return NULL;
    uint64_t wait = until_first_held(pool);
    if (wait == UINT64_MAX)
        return NULL; /* a first worker is free: it takes the head */
    if (wait > 0) {
        uv_timer_start(&w->timer, on_timeout, wait, 0);
        return NULL;
    }
    return dequeue_small(pool);
}

static void dispatch(struct fouille__pool *pool)
{
    if (pool->closing)
        return;
    if (pool->gave_up) {
        struct fouille__job *job;
        while ((job = dequeue(pool)) || (job = dequeue_ocr(pool)))
            settle_job(pool, job, FOUILLE__REASON_FAILED,
                       "no extraction worker could start");
        return;
    }
    for (unsigned i = 0; i < pool->n_workers; i++) {
        struct worker *w = &pool->w[i];
        if (w->kind == WORKER_OCR && !w->running && !w->chan_open &&
            w->pending_closes == 0 && pool->ocr_head &&
            spawn_worker(w) < 0)
            pool->fast_deaths++;
        while (worker_idle(w)) {
            struct fouille__job *job = next_job(pool, w);
            if (!job) {
                if (w->kind == WORKER_OCR)
                    uv_timer_start(&w->timer, on_timeout, OCR_IDLE_MS, 0);
                break;
            }
            int rc = send_job(w, job);
            if (rc < 0) {
                /* The worker is being replaced. */
                requeue_front(pool, job);
                break;
            }
        }
    }
}

struct fouille__pool_opts fouille__pool_opts_from(const struct fouille__config *cfg,
                                                  int rootfd)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    struct fouille__pool_opts po = {
        .worker = cfg->extract_worker,
        .plugin_dir = cfg->plugin_dir,
        .workers = cfg->workers ? (unsigned)cfg->workers
                                : (unsigned)(ncpu > 0 ? ncpu : 1),
        .sandbox = cfg->sandbox,
        .timeout_ms = (unsigned)cfg->extract_timeout_ms,
        .cpu_s = (unsigned)cfg->extract_cpu_s,
        .memory_mb = (unsigned)cfg->extract_memory_mb,
        .text_max_kb = (unsigned)cfg->extract_text_max_kb,
        .max_pages = (unsigned)cfg->extract_max_pages,
        .max_inflated_mb = (unsigned)cfg->extract_max_inflated_mb,
        .file_max = (uint64_t)cfg->file_max_mb << 20,
        .quick_max = (uint64_t)cfg->extract_quick_max_kb << 10,
        .slow_ms = (unsigned)cfg->extract_slow_ms,
        .ocr_cache_max = (uint64_t)cfg->ocr_cache_kb << 10,
        .ocr_nice = 10,
        .rootfd = rootfd,
        .ocr = cfg->ocr,
        .ocr_languages = cfg->ocr_languages,
        .ocr_max_pages = (unsigned)cfg->ocr_max_pages,
        .ocr_timeout_ms = (unsigned)cfg->ocr_timeout_ms,
        .ocr_cpu_s = (unsigned)cfg->ocr_cpu_s,
        .ocr_dpi = (unsigned)cfg->ocr_dpi,
        .ocr_min_confidence = (unsigned)cfg->ocr_min_confidence,
    };
    size_t n = cfg->db ? strlen(cfg->db) : 0;
    while (n > 1 && cfg->db[n - 1] == '/')
        n--;
    if (n && n < sizeof po.ocr_cache - 16)
        snprintf(po.ocr_cache, sizeof po.ocr_cache, "%.*s.ocr-cache", (int)n,
                 cfg->db);
    return po;
}

void fouille__pool_submit(struct fouille__pool *pool, struct fouille__job *job)
{
    job->next = NULL;
    if (pool->closing) {
        job->cancelled = 1;
        settle_job(pool, job, FOUILLE__REASON_NONE, NULL);
        return;
    }
    job->ocr = 0;
    enqueue(&pool->head, &pool->tail, job);
    pool->queued++;
    dispatch(pool);
}

const struct fouille__registry *
fouille__pool_registry(const struct fouille__pool *pool)
{
    return pool && pool->have_reg ? &pool->reg : NULL;
}

size_t fouille__pool_pending(const struct fouille__pool *pool)
{
    return pool->queued + pool->ocr_queued + pool->in_flight + pool->settled;
}

size_t fouille__pool_pending_first(const struct fouille__pool *pool)
{
    if (pool->opts.quick_max == 0 || until_first_held(pool) != 0)
        return pool->queued + pool->in_flight - pool->ocr_in_flight +
               pool->settled;
    /* Every first worker is held by a slow document: what waits for them
     * is not about to complete, only the small files the quick worker
     * takes are. */
    size_t n = 0;
    for (const struct fouille__job *j = pool->head; j; j = j->next)
        n += j->size <= pool->opts.quick_max;
    for (unsigned i = 0; i < pool->n_workers; i++)
        n += pool->w[i].kind == WORKER_QUICK && pool->w[i].job;
    return n + pool->settled;
}

void fouille__pool_get_stats(const struct fouille__pool *pool,
                             struct fouille__pool_stats *st)
{
    *st = pool->stats;
    st->workers = pool->opts.workers;
    st->busy = (unsigned)pool->in_flight;
    st->ocr_pending = pool->ocr_queued + pool->ocr_in_flight;
}

/* ---- setup and teardown ----------------------------------------------- */

/* The workers' environment: ours, plus options for a sanitizer build
 * (ignored otherwise): no leak check at exit (a confined worker cannot read
 * /proc for it), and, since an address-space limit cannot apply under
 * AddressSanitizer, a resident-size limit that makes allocations fail
 * instead. */
static char **worker_env(unsigned memory_mb)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    char extra[256];
    /* The worker's own crash reporter, not the sanitizer's (which would
     * open /proc files the sandbox refuses), handles fatal signals. */
    snprintf(extra, sizeof extra,
             "detect_leaks=0:allocator_may_return_null=1:"
             "soft_rss_limit_mb=%u:handle_segv=0:handle_sigbus=0:"
             "handle_sigfpe=0:handle_abort=0:handle_sigill=0:"
             "allow_user_segv_handler=1", memory_mb);
    size_t j = 0;
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], "ASAN_OPTIONS=", 13) == 0) {
            size_t len = strlen(environ[i]) + strlen(extra) + 2;
            if (!(env[j] = malloc(len)))
                continue;
            snprintf(env[j++], len, "%s:%s", environ[i], extra);
            seen = 1;
        } else if ((env[j] = strdup(environ[i])))
            j++;
    }
    if (!seen) {
        size_t len = strlen(extra) + 16;
        if ((env[j] = malloc(len)))
            snprintf(env[j++], len, "ASAN_OPTIONS=%s", extra);
    }
    env[j] = NULL;
    return env;
}

int fouille__pool_new(uv_loop_t *loop, const struct fouille__pool_opts *opts,
                      fouille__job_done_cb done, void *ctx,
                      struct fouille__pool **out, char *err, size_t errlen)
{
    *out = NULL;
    if (opts->workers < 1 || access(opts->worker, X_OK) < 0) {
        snprintf(err, errlen, "extraction worker %s: %s", opts->worker,
                 opts->workers < 1 ? "no workers" : strerror(errno));
        return -1;
    }
    /* Tesseract language names: letters, digits, '_' and '-', joined by
     * '+'. */
    for (const char *c = opts->ocr ? opts->ocr_languages : NULL; c && *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' ||
              *c == '+')) {
            snprintf(err, errlen,
                     "ocr_languages: '%s' is not a list of Tesseract "
                     "languages such as fra+eng", opts->ocr_languages);
            return -1;
        }
    struct fouille__pool *pool = calloc(1, sizeof *pool);
    if (!pool) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pool->loop = loop;
    pool->opts = *opts;
    if (opts->ocr && opts->ocr_cache[0] && opts->ocr_cache_max)
        pool->cache = fouille__ocr_cache_new(
            opts->ocr_cache, opts->ocr_languages ? opts->ocr_languages : "",
            opts->ocr_dpi, opts->ocr_min_confidence, opts->ocr_cache_max,
            (size_t)opts->text_max_kb * 1024 + (1u << 20));
    /* The caller's strings are not kept. */
    pool->languages = strdup(opts->ocr_languages ? opts->ocr_languages : "");
    pool->opts.ocr_languages = pool->languages;
    pool->done = done;
    pool->ctx = ctx;
    char num[13][96];
    int a = 0;
    pool->argv_store[a++] = strdup(opts->worker);
    size_t pl = strlen(opts->plugin_dir) + 16;
    pool->argv_store[a] = malloc(pl);
    if (pool->argv_store[a])
        snprintf(pool->argv_store[a], pl, "--plugin-dir=%s", opts->plugin_dir);
    a++;
    snprintf(num[0], sizeof num[0], "--text-max-kb=%u", opts->text_max_kb);
    snprintf(num[1], sizeof num[1], "--max-pages=%u", opts->max_pages);
    snprintf(num[2], sizeof num[2], "--max-inflated-mb=%u",
             opts->max_inflated_mb);
    snprintf(num[3], sizeof num[3], "--cpu-s=%u", opts->cpu_s);
    snprintf(num[4], sizeof num[4], "--memory-mb=%u", opts->memory_mb);
    int nnum = 5;
    for (int k = 0; k < nnum; k++)
        pool->argv_store[a++] = strdup(num[k]);
    if (!opts->sandbox)
        pool->argv_store[a++] = strdup("--no-sandbox");
    int common = a;
    /* Only the OCR workers get the OCR options, and with them Tesseract. */
    nnum = 0;
    if (opts->ocr) {
        snprintf(num[nnum++], sizeof num[0], "--ocr-pages=%u",
                 opts->ocr_max_pages);
        snprintf(num[nnum++], sizeof num[0], "--ocr-time-ms=%u",
                 opts->ocr_timeout_ms);
        snprintf(num[nnum++], sizeof num[0], "--ocr-cpu-s=%u", opts->ocr_cpu_s);
        snprintf(num[nnum++], sizeof num[0], "--ocr-dpi=%u", opts->ocr_dpi);
        snprintf(num[nnum++], sizeof num[0], "--ocr-min-confidence=%u",
                 opts->ocr_min_confidence);
        snprintf(num[nnum++], sizeof num[0], "--ocr-languages=%s",
                 opts->ocr_languages ? opts->ocr_languages : "");
        if (opts->ocr_nice > 0)
            snprintf(num[nnum++], sizeof num[0], "--nice=%u", opts->ocr_nice);
    }
    for (int k = 0; k < nnum; k++)
        pool->argv_store[a++] = strdup(num[k]);
    for (int k = 0; k < a; k++) {
        if (!pool->argv_store[k]) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        if (k < common)
            pool->args[k] = pool->argv_store[k];
        pool->ocr_args[k] = pool->argv_store[k];
    }
    pool->args[common] = NULL;
    pool->ocr_args[a] = NULL;
    unsigned quick = opts->quick_max > 0 ? 1 : 0;
    unsigned ocr = opts->ocr ? ocr_slots(pool) : 0;
    pool->n_workers = opts->workers + quick + ocr;
    if (!(pool->env = worker_env(opts->memory_mb)) ||
        !(pool->w = calloc(pool->n_workers, sizeof *pool->w))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    uv_idle_init(loop, &pool->settle);
    pool->settle.data = pool;
    pool->timers_open++;
    for (unsigned i = 0; i < pool->n_workers; i++) {
        struct worker *w = &pool->w[i];
        w->pool = pool;
        w->id = i + 1;
        w->kind = i < opts->workers          ? WORKER_FIRST
                  : i < opts->workers + quick ? WORKER_QUICK
                                              : WORKER_OCR;
        uv_timer_init(loop, &w->timer);
        w->timer.data = w;
        pool->timers_open++;
        /* OCR workers start when a scan waits for one. */
        if (w->kind != WORKER_OCR && spawn_worker(w) < 0)
            pool->fast_deaths++;
    }
    *out = pool;
    return 0;
fail:
    for (int k = 0; k < MAX_ARGS; k++)
        free(pool->argv_store[k]);
    fouille__ocr_cache_free(pool->cache);
    free(pool->languages);
    free(pool);
    return -1;
}

static void free_pool(struct fouille__pool *pool)
{
    fouille__registry_free(&pool->reg);
    fouille__ocr_cache_free(pool->cache);
    free(pool->languages);
    for (int k = 0; k < MAX_ARGS; k++)
        free(pool->argv_store[k]);
    for (char **e = pool->env; e && *e; e++)
        free(*e);
    free(pool->env);
    for (unsigned i = 0; i < pool->n_workers; i++)
        fouille__buf_free(&pool->w[i].rbuf);
    free(pool->w);
    void (*closed)(void *) = pool->closed;
    void *ctx = pool->closed_ctx;
    free(pool);
    if (closed)
        closed(ctx);
}

static void on_timer_closed(uv_handle_t *h)
{
    struct worker *w = h->data;
    struct fouille__pool *pool = w->pool;
    if (--pool->timers_open == 0)
        free_pool(pool);
}

static void on_settle_closed(uv_handle_t *h)
{
    struct fouille__pool *pool = h->data;
    if (--pool->timers_open == 0)
        free_pool(pool);
}

/* Once every worker is reaped and its handles closed, close the timers;
 * the last timer's close callback frees the pool. */
static void maybe_finish_close(struct fouille__pool *pool)
{
    if (pool->timers_closing)
        return;
    for (unsigned i = 0; i < pool->n_workers; i++) {
        struct worker *w = &pool->w[i];
        if (w->running || w->chan_open || w->pending_closes > 0)
            return;
    }
    complete_settled(pool);
    pool->timers_closing = 1;
    uv_close((uv_handle_t *)&pool->settle, on_settle_closed);
    for (unsigned i = 0; i < pool->n_workers; i++)
        uv_close((uv_handle_t *)&pool->w[i].timer, on_timer_closed);
}

void fouille__pool_close(struct fouille__pool *pool,
                         void (*closed)(void *ctx), void *ctx)
{
    if (!pool) {
        if (closed)
            closed(ctx);
        return;
    }
    pool->closing = 1;
    pool->closed = closed;
    pool->closed_ctx = ctx;
    struct fouille__job *job;
    while ((job = dequeue(pool)) || (job = dequeue_ocr(pool))) {
        job->cancelled = 1;
        complete(pool, job);
    }
    for (unsigned i = 0; i < pool->n_workers; i++) {
        struct worker *w = &pool->w[i];
        uv_timer_stop(&w->timer);
        if (!w->running)
            continue;
        if (w->job)
            kill_worker(w, FOUILLE__REASON_CRASHED);
        else if (w->chan_open) {
            /* End of file on its socket: the worker exits by itself, and
             * our read side then sees its end of file. */
            int sock;
            if (uv_fileno((uv_handle_t *)&w->chan, &sock) == 0)
                shutdown(sock, SHUT_WR);
        }
    }
    maybe_finish_close(pool);
}
