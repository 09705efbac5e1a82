/* test-pool.c -- the plugin table the workers report (frame.c, registry.c)
 * and the worker pool's callback rules (pool.c), linked against
 * libfouille-common. The pool cases start real fouille-extract workers
 * with the build tree's plugins. */
#include "config.h"

#include "frame.h"
#include "log.h"
#include "pool.h"
#include "registry.h"
#include "unit.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

/* ---- the table ---------------------------------------------------------- */

static void add(struct fouille__registry *reg, const char *name,
                const char *const *mimes, const char *const *exts)
{
    UNIT_CHECK(fouille__registry_add(reg, "x.so", name, "1.0", 1, mimes,
                                     exts) != NULL);
}

/* The plugins fouille ships, as a worker would report them. */
static void shipped(struct fouille__registry *reg)
{
    add(reg, "text", (const char *const[]){"text/plain", NULL},
        (const char *const[]){"txt", "csv", NULL});
    add(reg, "html", (const char *const[]){"text/html", NULL},
        (const char *const[]){"html", "htm", NULL});
    add(reg, "markdown", (const char *const[]){"text/markdown", NULL},
        (const char *const[]){"md", NULL});
    add(reg, "docx",
        (const char *const[]){"application/vnd.openxmlformats-"
                              "officedocument.wordprocessingml.document",
                              NULL},
        (const char *const[]){"docx", NULL});
    add(reg, "pdf", (const char *const[]){"application/pdf", NULL}, NULL);
}

static const char *chosen(const struct fouille__registry *reg,
                          const char *mime, const char *path)
{
    const struct fouille__plugin_slot *s =
        fouille__registry_choose(reg, mime, path);
    return s ? s->name : "(none)";
}

static void registry_choice(void)
{
    struct fouille__registry reg = {0};
    shipped(&reg);
    UNIT_CHECK_STR(chosen(&reg, "application/pdf", "a/x.pdf"), "pdf");
    /* A generic guess gives way to the extension. */
    UNIT_CHECK_STR(chosen(&reg, "text/plain", "notes.md"), "markdown");
    UNIT_CHECK_STR(chosen(&reg, "application/zip", "r.DOCX"), "docx");
    /* Markdown that starts with HTML stays Markdown... */
    UNIT_CHECK_STR(chosen(&reg, "text/html", "notes.md"), "markdown");
    /* ...but a .txt holding an HTML page is HTML. */
    UNIT_CHECK_STR(chosen(&reg, "text/html", "page.txt"), "html");
    /* A text type nobody claims goes to the text plugin. */
    UNIT_CHECK_STR(chosen(&reg, "text/x-c", "main.c"), "text");
    UNIT_CHECK_STR(chosen(&reg, "text/troff", "x.1"), "text");
    UNIT_CHECK_STR(chosen(&reg, "application/zip", "a.zip"), "(none)");
    UNIT_CHECK_STR(chosen(&reg, NULL, "a.bin"), "(none)");
    UNIT_CHECK_STR(chosen(&reg, "application/octet-stream", ".md"),
                   "(none)");
    /* The first plugin to claim a type keeps it. */
    add(&reg, "pdf2", (const char *const[]){"application/pdf", NULL}, NULL);
    UNIT_CHECK_STR(chosen(&reg, "application/pdf", "x.pdf"), "pdf");
    /* Invalid declarations are refused. */
    UNIT_CHECK(!fouille__registry_add(&reg, "y.so", "Bad Name", "1", 1,
                                      (const char *const[]){"a/b", NULL},
                                      NULL));
    UNIT_CHECK(!fouille__registry_add(&reg, "y.so", "nomime", "1", 1,
                                      (const char *const[]){NULL}, NULL));
    fouille__registry_free(&reg);
}

static void registry_report_roundtrip(void)
{
    struct fouille__registry reg = {0}, back = {0};
    struct fouille__buf out = {0};
    shipped(&reg);
    reg.slots[1].initialised = 1;
    UNIT_CHECK(fouille__frame_encode_registry(&out, &reg) == 0);
    uint32_t len = 0;
    UNIT_CHECK(fouille__frame_parse_header((unsigned char *)out.data,
                                           FOUILLE__FRAME_REGISTRY,
                                           FOUILLE__FRAME_MAX_REGISTRY,
                                           &len) == 0);
    UNIT_CHECK(len == out.len - FOUILLE__FRAME_HEADER);
    UNIT_CHECK(fouille__frame_decode_registry(
                   (unsigned char *)out.data + FOUILLE__FRAME_HEADER, len,
                   &back) == 0);
    UNIT_CHECK(back.n == reg.n);
    for (size_t i = 0; i < back.n && i < reg.n; i++) {
        UNIT_CHECK_STR(back.slots[i].tag, reg.slots[i].tag);
        UNIT_CHECK_STR(back.slots[i].file, "x.so");
        UNIT_CHECK(back.slots[i].plugin == NULL);
        UNIT_CHECK(back.slots[i].abi_version == 1);
        UNIT_CHECK(back.slots[i].initialised == reg.slots[i].initialised);
        UNIT_CHECK_STR(back.slots[i].mime_types[0],
                       reg.slots[i].mime_types[0]);
    }
    UNIT_CHECK_STR(back.slots[0].extensions[1], "csv");
    UNIT_CHECK(back.slots[4].extensions[0] == NULL);
    /* The parent chooses from the report as the worker would. */
    UNIT_CHECK_STR(chosen(&back, "text/html", "notes.md"), "markdown");
    fouille__registry_free(&back);

    /* Every cut of the payload but the whole and the one between two
     * entries is refused, and never read past. */
    const unsigned char *p = (unsigned char *)out.data + FOUILLE__FRAME_HEADER;
    size_t refused = 0, cuts = 0;
    for (size_t cut = 1; cut < len; cut++) {
        unsigned char *copy = malloc(cut); /* exact size for ASan */
        memcpy(copy, p, cut);
        struct fouille__registry r = {0};
        refused += fouille__frame_decode_registry(copy, cut, &r) < 0;
        cuts++;
        fouille__registry_free(&r);
        free(copy);
    }
    UNIT_CHECK(refused > cuts / 2);
    fouille__buf_free(&out);
    fouille__registry_free(&reg);
}

static int decode(const unsigned char *p, size_t len)
{
    struct fouille__registry r = {0};
    int rc = fouille__frame_decode_registry(p, len, &r);
    fouille__registry_free(&r);
    return rc;
}

static void registry_report_malformed(void)
{
    /* A MIME type before any name. */
    static const unsigned char orphan[] = {6, 3, 0, 0, 0, 'a', '/', 'b'};
    UNIT_CHECK(decode(orphan, sizeof orphan) < 0);
    /* A name with no MIME type. */
    static const unsigned char bare[] = {1, 1, 0, 0, 0, 'x', 2, 1, 0, 0, 0,
                                         '1'};
    UNIT_CHECK(decode(bare, sizeof bare) < 0);
    /* A length beyond the payload. */
    static const unsigned char lying[] = {1, 0xff, 0xff, 0xff, 0x7f, 'x'};
    UNIT_CHECK(decode(lying, sizeof lying) < 0);
    /* An unknown record type. */
    static const unsigned char unknown[] = {1, 1, 0, 0, 0, 'x', 99, 0, 0, 0,
                                            0};
    UNIT_CHECK(decode(unknown, sizeof unknown) < 0);
    /* An ABI record of the wrong size. */
    static const unsigned char abi[] = {1, 1, 0, 0, 0, 'x', 4, 1, 0, 0, 0,
                                        1};
    UNIT_CHECK(decode(abi, sizeof abi) < 0);
    /* An empty report: no plugins, which is allowed. */
    UNIT_CHECK(decode((const unsigned char *)"", 0) == 0);
}

/* ---- the pool ------------------------------------------------------------ */

struct harness {
    uv_loop_t loop;
    struct fouille__pool *pool;
    int ready, done, closed, rootfd;
    int submitting;      /* inside fouille__pool_submit */
    int reentered;       /* done ran inside it */
    enum fouille__reason reason;
    int cancelled;
};

static void on_ready(struct fouille__pool *pool, void *ctx)
{
    struct harness *h = ctx;
    (void)pool;
    h->ready++;
}

static void on_done(struct fouille__job *job, void *ctx)
{
    struct harness *h = ctx;
    h->done++;
    h->reentered |= h->submitting;
    h->reason = job->doc.reason;
    h->cancelled = job->cancelled;
    fouille__job_free(job);
}

static void on_closed(void *ctx) { ((struct harness *)ctx)->closed = 1; }

/* Start a pool of one worker over an empty folder. */
static void start(struct harness *h, const char *worker)
{
    const char *build = getenv("FOUILLE_BUILDDIR");
    const char *plugins = getenv("FOUILLE_PLUGIN_DIR");
    static char path[4096];
    char err[256] = "";
    memset(h, 0, sizeof *h);
    if (!worker) {
        snprintf(path, sizeof path, "%s/src/fouille-extract",
                 build ? build : ".");
        worker = path;
    }
    char dir[] = "/tmp/fouille-unit.XXXXXX";
    UNIT_CHECK(mkdtemp(dir) != NULL);
    h->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rmdir(dir); /* the descriptor keeps it; nothing is left behind */
    struct fouille__pool_opts po = {
        .worker = worker,
        .plugin_dir = plugins ? plugins : ".",
        .workers = 1,
        .sandbox = 1,
        .timeout_ms = 10000,
        .cpu_s = 10,
        .memory_mb = 1024,
        .text_max_kb = 1024,
        .max_pages = 100,
        .max_inflated_mb = 64,
        .file_max = 1 << 20,
        .rootfd = h->rootfd,
        .ready = on_ready,
    };
    UNIT_CHECK(uv_loop_init(&h->loop) == 0);
    UNIT_CHECK(fouille__pool_new(&h->loop, &po, on_done, h, &h->pool, err,
                                 sizeof err) == 0);
    if (err[0])
        printf("# %s\n", err);
    /* Not before a loop turn: the table comes from the worker. */
    UNIT_CHECK(fouille__pool_registry(h->pool) == NULL);
    UNIT_CHECK(h->ready == 0);
    while (!h->ready && uv_run(&h->loop, UV_RUN_ONCE))
        ;
    UNIT_CHECK(h->ready == 1);
}

static void submit(struct harness *h, const char *path)
{
    struct fouille__job *job = fouille__job_new(path, "", 0);
    h->submitting = 1;
    fouille__pool_submit(h->pool, job);
    h->submitting = 0;
}

/* Close the pool; the loop must then close with no handle left. */
static void finish(struct harness *h)
{
    if (h->pool)
        fouille__pool_close(h->pool, on_closed, h);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    UNIT_CHECK(h->closed);
    UNIT_CHECK(uv_loop_close(&h->loop) == 0);
    close(h->rootfd);
}

static void pool_reports_plugins(void)
{
    struct harness h;
    start(&h, NULL);
    const struct fouille__registry *reg = fouille__pool_registry(h.pool);
    UNIT_CHECK(reg != NULL);
    if (reg) {
        const struct fouille__plugin_slot *text =
            fouille__registry_choose(reg, "text/plain", "a.txt");
        UNIT_CHECK(text != NULL);
        if (text) {
            UNIT_CHECK_STR(text->name, "text");
            UNIT_CHECK(text->plugin == NULL); /* no code in the parent */
            UNIT_CHECK(text->initialised);
            UNIT_CHECK(strchr(text->tag, '/') != NULL);
        }
    }
    finish(&h);
}

static void pool_submit_failure_later_turn(void)
{
    struct harness h;
    start(&h, NULL);
    /* The file does not exist: the pool knows it at once, but says so on
     * a later loop turn. */
    submit(&h, "missing.txt");
    UNIT_CHECK(h.done == 0);
    UNIT_CHECK(fouille__pool_pending(h.pool) == 1);
    uv_run(&h.loop, UV_RUN_NOWAIT);
    UNIT_CHECK(h.done == 1);
    UNIT_CHECK(!h.reentered);
    UNIT_CHECK(h.reason == FOUILLE__REASON_UNREADABLE);
    UNIT_CHECK(fouille__pool_pending(h.pool) == 0);
    finish(&h);
    UNIT_CHECK(h.done == 1);
}

static void pool_submit_while_closing(void)
{
    struct harness h;
    start(&h, NULL);
    fouille__pool_close(h.pool, on_closed, &h);
    submit(&h, "late.txt");
    UNIT_CHECK(h.done == 0);
    h.pool = NULL;
    finish(&h);
    UNIT_CHECK(h.done == 1);
    UNIT_CHECK(h.cancelled);
    UNIT_CHECK(!h.reentered);
}

static void pool_no_worker_starts(void)
{
    struct harness h;
    /* A "worker" that exits at once, before any report. */
    start(&h, "/bin/false");
    UNIT_CHECK(fouille__pool_registry(h.pool) == NULL);
    submit(&h, "a.txt");
    UNIT_CHECK(h.done == 0);
    uv_run(&h.loop, UV_RUN_NOWAIT);
    UNIT_CHECK(h.done == 1);
    UNIT_CHECK(h.reason == FOUILLE__REASON_FAILED);
    finish(&h);
}

static const struct unit_case cases[] = {
    {"registry_choice", registry_choice, 5},
    {"registry_report_roundtrip", registry_report_roundtrip, 10},
    {"registry_report_malformed", registry_report_malformed, 5},
    {"pool_reports_plugins", pool_reports_plugins, 30},
    {"pool_submit_failure_later_turn", pool_submit_failure_later_turn, 30},
    {"pool_submit_while_closing", pool_submit_while_closing, 30},
    {"pool_no_worker_starts", pool_no_worker_starts, 30},
};

int main(void)
{
    fouille__log_set_level(FOUILLE__LOG_ERR - 1); /* quiet: errors expected */
    return unit_run(cases, UNIT_COUNT(cases));
}
