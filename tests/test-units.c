/* test-units.c -- small named cases for the rules of src/ that the
 * integration tests only reach through a running daemon: the reconcile
 * verdicts, the pipeline's diff and debounce rules (on a fake clock), page
 * lists and the OCR pass joined to the first, the result cache's key, the
 * public URL of a hit, the settings. Linked against libfouille-common
 * (tests/unit.h). */
#include "config.h"

#include "doc.h"
#include "pipeline.h"
#include "reconcile.h"
#include "registry.h"
#include "search.h"
#include "settings.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reconcile ----------------------------------------------------------- */

static void table(struct fouille__registry *reg, const char *text_version)
{
    UNIT_CHECK(fouille__registry_add(
                   reg, "text.so", "text", text_version, 1,
                   (const char *const[]){"text/plain", NULL},
                   (const char *const[]){"txt", NULL}) != NULL);
    UNIT_CHECK(fouille__registry_add(
                   reg, "pdf.so", "pdf", "2.0", 1,
                   (const char *const[]){"application/pdf", NULL},
                   NULL) != NULL);
}

static void reconcile_verdicts(void)
{
    struct fouille__registry reg = {0};
    table(&reg, "1.0");
    struct fouille__known k = {.path = "a.txt", .signature = "s1",
                               .mime = "text/plain", .plugin = "text/1.0"};
    UNIT_CHECK(fouille__reconcile_file(NULL, "s1", &reg, "new.txt") ==
               FOUILLE__NEW);
    UNIT_CHECK(fouille__reconcile_file(&k, "s1", &reg, "a.txt") ==
               FOUILLE__UNCHANGED);
    UNIT_CHECK(k.seen);
    UNIT_CHECK(fouille__reconcile_file(&k, "s2", &reg, "a.txt") ==
               FOUILLE__CHANGED);
    /* Nobody handled it; now a plugin does: extract it again. */
    struct fouille__known none = {.path = "b.pdf", .signature = "s1",
                                  .mime = "application/pdf", .plugin = NULL,
                                  .reason = "unsupported"};
    UNIT_CHECK(fouille__reconcile_file(&none, "s1", &reg, "b.pdf") ==
               FOUILLE__RETRY);
    /* A type nobody handles, still nobody: unchanged, not retried. */
    struct fouille__known odd = {.path = "c.bin", .signature = "s1",
                                 .mime = "application/x-odd"};
    UNIT_CHECK(fouille__reconcile_file(&odd, "s1", &reg, "c.bin") ==
               FOUILLE__UNCHANGED);
    fouille__registry_free(&reg);

    /* The plugin was upgraded: the same file is extracted again. */
    table(&reg, "1.1");
    UNIT_CHECK(fouille__reconcile_file(&k, "s1", &reg, "a.txt") ==
               FOUILLE__RETRY);
    fouille__registry_free(&reg);

    /* The plugin was removed. */
    UNIT_CHECK(fouille__reconcile_file(&k, "s1", &reg, "a.txt") ==
               FOUILLE__RETRY);
}

/* ---- the pipeline's diff ------------------------------------------------- */

/* A file as a scan meets it: its signature follows size and mtime. */
static struct fouille__scanned file(const char *path, off_t size, time_t mtime)
{
    struct fouille__scanned f = {.path = (char *)path};
    f.st.st_mode = S_IFREG | 0644;
    f.st.st_size = size;
    f.st.st_mtim.tv_sec = mtime;
    f.st.st_ino = 42;
    return f;
}

/* Record path in the known map as the text plugin indexed it from f. */
static void know(struct fouille__strmap *known, const struct fouille__scanned *f)
{
    struct fouille__job *job = fouille__job_new(f->path, "", 0);
    UNIT_CHECK(job != NULL);
    fouille__signature(&f->st, job->sig);
    snprintf(job->meta.mime, sizeof job->meta.mime, "text/plain");
    snprintf(job->meta.plugin, sizeof job->meta.plugin, "text/1.0");
    fouille__known_record(known, job);
    fouille__job_free(job);
}

/* Whether word is one of the space-ended words of list. */
static int has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p; p = strchr(p, ' ') + 1)
        if (strncmp(p, word, n) == 0 && p[n] == ' ')
            return 1;
    return 0;
}

struct verdicts {
    char extracted[256], removed[256];
    const char *busy;
};

static void on_extract(const char *path, const struct stat *st, void *ctx)
{
    struct verdicts *v = ctx;
    (void)st;
    strcat(v->extracted, path);
    strcat(v->extracted, " ");
}

static void on_remove(const char *path, void *ctx)
{
    struct verdicts *v = ctx;
    strcat(v->removed, path);
    strcat(v->removed, " ");
}

static int on_busy(const char *path, void *ctx)
{
    struct verdicts *v = ctx;
    return v->busy && strcmp(path, v->busy) == 0;
}

static struct fouille__diff diff_of(struct fouille__strmap *known,
                                    const struct fouille__registry *reg,
                                    const struct fouille__shard *shard,
                                    struct verdicts *v)
{
    memset(v, 0, sizeof *v);
    struct fouille__diff df = {.known = known, .reg = reg, .shard = shard,
                               .under = "", .busy = on_busy,
                               .extract = on_extract, .remove = on_remove,
                               .ctx = v};
    return df;
}

static void pipeline_diff(void)
{
    struct fouille__registry reg = {0};
    struct fouille__shard all = {0};
    struct fouille__strmap known = {0};
    struct verdicts v;
    table(&reg, "1.0");
    struct fouille__scanned was[] = {file("same.txt", 10, 100),
                                     file("edited.txt", 10, 100),
                                     file("gone.txt", 10, 100),
                                     file("sub/gone.txt", 10, 100)};
    for (size_t i = 0; i < UNIT_COUNT(was); i++)
        know(&known, &was[i]);
    struct fouille__scanned now[] = {file("same.txt", 10, 100),
                                     file("edited.txt", 12, 200),
                                     file("new.txt", 5, 300)};

    struct fouille__diff df = diff_of(&known, &reg, &all, &v);
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.extracted, "edited.txt new.txt ");
    UNIT_CHECK(has(v.removed, "gone.txt") && has(v.removed, "sub/gone.txt"));
    UNIT_CHECK(df.mine == 3 && df.unchanged == 1 && df.extracted == 2 &&
               df.removed == 2);
    /* The diff decides; the map is the caller's to change. */
    UNIT_CHECK(fouille__strmap_size(&known) == 4);

    /* A scan of sub/ only: what is gone elsewhere is not its business. */
    df = diff_of(&known, &reg, &all, &v);
    df.under = "sub";
    UNIT_CHECK(fouille__diff_run(&df, NULL, 0) == 0);
    UNIT_CHECK_STR(v.removed, "sub/gone.txt ");
    UNIT_CHECK_STR(v.extracted, "");

    /* A folder could not be read: nothing is removed. */
    df = diff_of(&known, &reg, &all, &v);
    df.incomplete = 1;
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.removed, "");
    UNIT_CHECK_STR(v.extracted, "edited.txt new.txt ");

    /* Work already queued for a path: neither extracted nor removed. */
    df = diff_of(&known, &reg, &all, &v);
    v.busy = "edited.txt";
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.extracted, "new.txt ");
    df = diff_of(&known, &reg, &all, &v);
    v.busy = "gone.txt";
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.removed, "sub/gone.txt ");

    /* force: the unchanged file too (the largest first). */
    df = diff_of(&known, &reg, &all, &v);
    df.force = 1;
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.extracted, "edited.txt same.txt new.txt ");

    /* The text plugin was upgraded: the unchanged file is due again. */
    fouille__registry_free(&reg);
    table(&reg, "1.1");
    df = diff_of(&known, &reg, &all, &v);
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.extracted, "edited.txt same.txt new.txt ");

    fouille__known_clear(&known);
    fouille__registry_free(&reg);
}

/* The longest work first: files whose format may hold scans (PDF, images:
 * their recognition is found by the first pass), then the largest; the
 * scan's order between equals. */
static void pipeline_diff_order(void)
{
    struct fouille__registry reg = {0};
    struct fouille__shard all = {0};
    struct fouille__strmap known = {0};
    struct verdicts v;
    table(&reg, "1.0");
    UNIT_CHECK(fouille__registry_add(
                   &reg, "pdf2.so", "pdf2", "1.0", 1,
                   (const char *const[]){"application/pdf", NULL},
                   (const char *const[]){"pdf", NULL}) != NULL);
    UNIT_CHECK(fouille__registry_add(
                   &reg, "ocr.so", "ocr", "1.0", 1,
                   (const char *const[]){"image/png", "image/tiff", NULL},
                   (const char *const[]){"png", "tif", NULL}) != NULL);
    struct fouille__scanned now[] = {
        file("big.txt", 900, 1),    file("a.txt", 50, 1),
        file("scan.pdf", 40, 1),    file("b.txt", 50, 1),
        file("photo.png", 300, 1),  file("huge.bin", 5000, 1),
        file("manual.pdf", 800, 1), file("page.TIF", 40, 1)};
    struct fouille__diff df = diff_of(&known, &reg, &all, &v);
    UNIT_CHECK(fouille__diff_run(&df, now, UNIT_COUNT(now)) == 0);
    UNIT_CHECK_STR(v.extracted, "manual.pdf photo.png scan.pdf page.TIF "
                                "huge.bin big.txt a.txt b.txt ");
    UNIT_CHECK(df.extracted == UNIT_COUNT(now));
    /* Without a registry (none reported yet), the largest first. */
    df = diff_of(&known, NULL, &all, &v);
    UNIT_CHECK(fouille__diff_run(&df, now, 3) == 0);
    UNIT_CHECK_STR(v.extracted, "big.txt a.txt scan.pdf ");
    fouille__registry_free(&reg);
}

static void pipeline_diff_shard(void)
{
    struct fouille__registry reg = {0};
    struct fouille__shard two = {0};
    struct fouille__strmap known = {0};
    struct verdicts v;
    char err[128];
    table(&reg, "1.0");
    UNIT_CHECK(fouille__shard_parse(&two, "1/2", err, sizeof err) == 0);
    /* Two files, one in each shard. */
    struct fouille__scanned now[2];
    size_t mine = 0, other = 0;
    char names[64][16];
    for (int i = 0; i < 64 && (!mine || !other); i++) {
        snprintf(names[i], sizeof names[i], "f%d.txt", i);
        if (fouille__shard_mine(&two, names[i]) && !mine)
            now[0] = file(names[i], 1, 1), mine = 1;
        else if (!fouille__shard_mine(&two, names[i]) && !other)
            now[1] = file(names[i], 1, 1), other = 1;
    }
    UNIT_CHECK(mine && other);
    know(&known, &now[1]); /* indexed before the folder was sharded */

    struct fouille__diff df = diff_of(&known, &reg, &two, &v);
    UNIT_CHECK(fouille__diff_run(&df, now, 2) == 0);
    UNIT_CHECK(has(v.extracted, now[0].path) && df.extracted == 1);
    UNIT_CHECK(df.mine == 1);
    UNIT_CHECK_STR(v.removed, ""); /* the daemon leaves it */

    df = diff_of(&known, &reg, &two, &v);
    df.foreign_gone = 1; /* fouille index --shard drops it */
    UNIT_CHECK(fouille__diff_run(&df, now, 2) == 0);
    UNIT_CHECK(has(v.removed, now[1].path) && df.removed == 1);
    fouille__known_clear(&known);
    fouille__registry_free(&reg);
}

/* ---- the pipeline's debounce (a fake clock: times are arguments) ------- */

struct taken {
    char paths[256];
    int force;
    int keep;     /* answer "still extracting" */
    int again_ms; /* add the path again from take, this much later */
    struct fouille__debounce *db;
    double now;
};

static int on_take(const char *path, int force, void *ctx)
{
    struct taken *t = ctx;
    strcat(t->paths, path);
    strcat(t->paths, " ");
    t->force = force;
    if (t->again_ms)
        fouille__debounce_add(t->db, path, t->now, t->again_ms, force);
    return t->keep;
}

static void run_at(struct fouille__debounce *db, double now, struct taken *t)
{
    memset(t->paths, 0, sizeof t->paths);
    t->force = -1;
    t->db = db;
    t->now = now;
    fouille__debounce_run(db, now, on_take, t);
}

static void pipeline_debounce(void)
{
    struct fouille__debounce db = {.quiet_ms = 500};
    struct taken t = {0};

    /* Written at 0: looked at after the quiet period, not before. */
    UNIT_CHECK(fouille__debounce_add(&db, "a", 0, 500, 0) == 0);
    run_at(&db, 499, &t);
    UNIT_CHECK_STR(t.paths, "");
    run_at(&db, 500, &t);
    UNIT_CHECK_STR(t.paths, "a ");
    UNIT_CHECK(t.force == 0);
    UNIT_CHECK(fouille__debounce_size(&db) == 0);

    /* Written again at 300: the quiet period starts again. */
    fouille__debounce_add(&db, "a", 0, 500, 0);
    fouille__debounce_add(&db, "a", 300, 500, 0);
    run_at(&db, 500, &t);
    UNIT_CHECK_STR(t.paths, "");
    run_at(&db, 800, &t);
    UNIT_CHECK_STR(t.paths, "a ");

    /* Closed by its writer at 100: only a short settle from then. */
    fouille__debounce_add(&db, "b", 0, 500, 0);
    fouille__debounce_add(&db, "b", 100, 40, 0);
    run_at(&db, 139, &t);
    UNIT_CHECK_STR(t.paths, "");
    run_at(&db, 140, &t);
    UNIT_CHECK_STR(t.paths, "b ");

    /* A second close does not push a due path back. */
    fouille__debounce_add(&db, "c", 0, 40, 0);
    fouille__debounce_add(&db, "c", 30, 40, 0);
    run_at(&db, 40, &t);
    UNIT_CHECK_STR(t.paths, "c ");

    /* force sticks until the path is taken. */
    fouille__debounce_add(&db, "d", 0, 0, 1);
    fouille__debounce_add(&db, "d", 0, 40, 0);
    run_at(&db, 40, &t);
    UNIT_CHECK_STR(t.paths, "d ");
    UNIT_CHECK(t.force == 1);
    fouille__debounce_free(&db);
}

static void pipeline_debounce_busy(void)
{
    struct fouille__debounce db = {.quiet_ms = 500};
    struct taken t = {0};

    /* Its previous version is still being extracted: another quiet
     * period, with the same force. */
    fouille__debounce_add(&db, "a", 0, 40, 1);
    t.keep = 1;
    run_at(&db, 40, &t);
    UNIT_CHECK_STR(t.paths, "a ");
    UNIT_CHECK(fouille__debounce_size(&db) == 1);
    t.keep = 0;
    run_at(&db, 539, &t);
    UNIT_CHECK_STR(t.paths, "");
    run_at(&db, 540, &t);
    UNIT_CHECK_STR(t.paths, "a ");
    UNIT_CHECK(t.force == 1);
    UNIT_CHECK(fouille__debounce_size(&db) == 0);

    /* take may queue the path again (a transient error): it stays, due
     * when take said. */
    fouille__debounce_add(&db, "b", 0, 0, 0);
    t.again_ms = 1000;
    run_at(&db, 0, &t);
    UNIT_CHECK_STR(t.paths, "b ");
    UNIT_CHECK(fouille__debounce_size(&db) == 1);
    t.again_ms = 0;
    run_at(&db, 999, &t);
    UNIT_CHECK_STR(t.paths, "");
    run_at(&db, 1000, &t);
    UNIT_CHECK_STR(t.paths, "b ");
    fouille__debounce_free(&db);
}

/* ---- url_join ------------------------------------------------------------ */

static void url_join(void)
{
    char *u = fouille__url_join("https://x.org/docs/", "a b/é.pdf");
    UNIT_CHECK_STR(u, "https://x.org/docs/a%20b/%C3%A9.pdf");
    free(u);
    u = fouille__url_join("https://x.org/docs", "r.pdf");
    UNIT_CHECK_STR(u, "https://x.org/docs/r.pdf"); /* one '/' added */
    free(u);
    /* What would end or change a URL is encoded. */
    u = fouille__url_join("/", "q?x=1#frag%&.txt");
    UNIT_CHECK_STR(u, "/q%3Fx%3D1%23frag%25%26.txt");
    free(u);
    u = fouille__url_join("", "a-b_c~d.e");
    UNIT_CHECK_STR(u, "a-b_c~d.e");
    free(u);
}

/* ---- settings ------------------------------------------------------------ */

static void settings_values(void)
{
    struct fouille__config cfg;
    char err[256];
    UNIT_CHECK(fouille__config_init(&cfg) == 0);
    UNIT_CHECK(cfg.debounce_ms == 300);
    UNIT_CHECK(cfg.sandbox == 1);
    UNIT_CHECK(fouille__config_set(&cfg, "workers", "4", err, sizeof err) ==
               0);
    UNIT_CHECK(cfg.workers == 4);
    UNIT_CHECK(fouille__config_set(&cfg, "sandbox", "no", err, sizeof err) ==
               0);
    UNIT_CHECK(cfg.sandbox == 0);
    UNIT_CHECK(fouille__config_set(&cfg, "sandbox", "On", err, sizeof err) ==
               0);
    UNIT_CHECK(cfg.sandbox == 1);
    UNIT_CHECK(fouille__config_set(&cfg, "socket_mode", "0660", err,
                                   sizeof err) == 0);
    UNIT_CHECK(cfg.socket_mode == 0660); /* octal */
    /* Refusals name the key. */
    UNIT_CHECK(fouille__config_set(&cfg, "workers", "257", err, sizeof err) <
               0);
    UNIT_CHECK(strstr(err, "workers") != NULL);
    UNIT_CHECK(cfg.workers == 4); /* unchanged */
    UNIT_CHECK(fouille__config_set(&cfg, "workers", "4x", err, sizeof err) <
               0);
    UNIT_CHECK(fouille__config_set(&cfg, "sandbox", "maybe", err,
                                   sizeof err) < 0);
    UNIT_CHECK(fouille__config_set(&cfg, "no_such_key", "1", err,
                                   sizeof err) < 0);
    UNIT_CHECK(!fouille__config_has("no_such_key"));
    UNIT_CHECK(fouille__config_has("debounce_ms"));
    fouille__config_free(&cfg);
}

static void settings_file(void)
{
    struct fouille__config cfg;
    char err[512] = "";
    char path[] = "/tmp/fouille-unit-conf.XXXXXX";
    int fd = mkstemp(path);
    UNIT_CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# comment\n[fouille]\ndebounce_ms = 50\nignore = *.bak\n", f);
    fclose(f);
    UNIT_CHECK(fouille__config_init(&cfg) == 0);
    UNIT_CHECK(fouille__config_load(&cfg, path, err, sizeof err) == 0);
    UNIT_CHECK(cfg.debounce_ms == 50);
    UNIT_CHECK_STR(cfg.ignore, "*.bak");
    fouille__config_free(&cfg);

    /* A bad line: the error names the file and the line. */
    f = fopen(path, "w");
    fputs("debounce_ms = 50\nworkers = many\n", f);
    fclose(f);
    UNIT_CHECK(fouille__config_init(&cfg) == 0);
    UNIT_CHECK(fouille__config_load(&cfg, path, err, sizeof err) < 0);
    char want[64];
    snprintf(want, sizeof want, "%s:2", path);
    UNIT_CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want))
        printf("# error was: %s\n", err);
    fouille__config_free(&cfg);
    unlink(path);
}

/* ---- page lists and the OCR pass joined to the first ------------------- */

static void page_lists(void)
{
    struct fouille__buf l = {0};
    unsigned pages[] = {1, 2, 3, 3, 5, 7, 8, 12};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        UNIT_CHECK(fouille__page_list_add(&l, pages[i]) == 0);
    UNIT_CHECK(l.len == strlen("1-3,5,7-8,12") &&
               memcmp(l.data, "1-3,5,7-8,12", l.len) == 0);
    for (unsigned p = 0; p <= 13; p++)
        UNIT_CHECK(fouille__page_list_has(l.data, l.len, p) ==
                   (p == 1 || p == 2 || p == 3 || p == 5 || p == 7 ||
                    p == 8 || p == 12));
    UNIT_CHECK(fouille__page_list_valid(l.data, l.len));
    UNIT_CHECK(fouille__page_list_valid("", 0));
    UNIT_CHECK(!fouille__page_list_valid("1,,2", 4));
    UNIT_CHECK(!fouille__page_list_valid("-3", 2));
    UNIT_CHECK(!fouille__page_list_valid("3-", 2));
    UNIT_CHECK(!fouille__page_list_valid("1 2", 3));
    UNIT_CHECK(!fouille__page_list_valid("12345678901", 11));
    fouille__buf_free(&l);
}

static void set_text(struct fouille__doc *d, const char *s)
{
    fouille__buf_reset(&d->text);
    fouille__buf_append(&d->text, s, strlen(s));
}

/* The document's text as a C string. */
static const char *text_of(struct fouille__doc *d)
{
    if (fouille__buf_appendc(&d->text, '\0') < 0)
        return "";
    d->text.len--;
    return d->text.data;
}

static void merge_ocr(void)
{
    struct fouille__doc first, ocr;
    fouille__doc_init(&first);
    fouille__doc_init(&ocr);
    /* pages: text, a scan with a page number, text, a blank scan */
    set_text(&first, "un texte\n\f12\n\fencore\n\f\n");
    first.pages = 4;
    first.fields[FOUILLE_FIELD_TITLE] = strdup("Titre");
    first.flags = FOUILLE__DOC_NEEDS_OCR;
    fouille__page_list_add(&first.ocr_needed_list, 2);
    fouille__page_list_add(&first.ocr_needed_list, 4);
    set_text(&ocr, "\fmots reconnus\f\f  ");
    ocr.pages = 4;
    ocr.flags = FOUILLE__DOC_OCR;
    ocr.ocr_pages = 1;
    fouille__page_list_add(&ocr.ocr_page_list, 2);
    memset(ocr.content_hash, 'a', 64);
    UNIT_CHECK(fouille__doc_merge_ocr(&first, &ocr, 1 << 20) == 0);
    UNIT_CHECK_STR(text_of(&first), "un texte\n\fmots reconnus\fencore\n\f\n");
    UNIT_CHECK(first.flags == FOUILLE__DOC_OCR);
    UNIT_CHECK(first.ocr_pages == 1 && first.pages == 4);
    UNIT_CHECK(first.ocr_page_list.len == 1 && first.ocr_page_list.data[0] == '2');
    UNIT_CHECK(first.ocr_needed_list.len == 0);
    UNIT_CHECK(first.content_hash[0] == 'a' && first.content_hash[64] == 0);
    UNIT_CHECK_STR(first.fields[FOUILLE_FIELD_TITLE], "Titre");

    /* The text limit cuts between pages and says so. */
    set_text(&first, "aaaa\fbb");
    first.pages = 2;
    first.flags = FOUILLE__DOC_NEEDS_OCR;
    set_text(&ocr, "\fcccccccc");
    UNIT_CHECK(fouille__doc_merge_ocr(&first, &ocr, 8) == 0);
    UNIT_CHECK(first.text.len == 4 && memcmp(first.text.data, "aaaa", 4) == 0);
    UNIT_CHECK(first.flags & FOUILLE__DOC_TRUNCATED);

    /* Nothing recognised anywhere, no text of its own: "no text". */
    set_text(&first, "\f");
    first.pages = 2;
    first.flags = FOUILLE__DOC_NEEDS_OCR;
    set_text(&ocr, " \f ");
    ocr.flags = FOUILLE__DOC_OCR;
    UNIT_CHECK(fouille__doc_merge_ocr(&first, &ocr, 1 << 20) == 0);
    UNIT_CHECK(first.flags & FOUILLE__DOC_NO_TEXT);
    fouille__doc_clear(&first);
    fouille__doc_clear(&ocr);
}

/* ---- the result cache's key ---------------------------------------------- */

/* The key of a search given as name=value pairs (NULL-terminated). */
static char *key_of(int staff, const char *const *kv)
{
    struct fouille__search_limits lim = {.query_max_len = 1024,
                                         .per_page_max = 100,
                                         .snippet_chars = 200};
    struct fouille__search_req req;
    char err[256];
    fouille__search_req_init(&req, &lim);
    for (; kv[0]; kv += 2)
        UNIT_CHECK(fouille__search_req_set(&req, &lim, kv[0], kv[1], err,
                                           sizeof err) == 0);
    UNIT_CHECK(fouille__search_req_finish(&req, &lim, err, sizeof err) == 0);
    req.staff = staff;
    return fouille__search_req_key(&req);
}

static void search_key(void)
{
    char *a = key_of(0, (const char *const[]){"q", "foncier", "type", "fiche",
                                              "year", "2017", NULL});
    char *b = key_of(0, (const char *const[]){"year", "2017", "type", "fiche",
                                              "q", "foncier", NULL});
    char *staff = key_of(1, (const char *const[]){"q", "foncier", "type",
                                                  "fiche", "year", "2017",
                                                  NULL});
    /* values are delimited by their lengths: no two splits collide */
    char *ab_c = key_of(0, (const char *const[]){"q", "x", "type", "ab",
                                                 "type", "c", NULL});
    char *a_bc = key_of(0, (const char *const[]){"q", "x", "type", "a",
                                                 "type", "bc", NULL});
    char *page2 = key_of(0, (const char *const[]){"q", "foncier", "type",
                                                  "fiche", "year", "2017",
                                                  "page", "2", NULL});
    UNIT_CHECK(a && b && staff && ab_c && a_bc && page2);
    if (a && b && staff && ab_c && a_bc && page2) {
        UNIT_CHECK_STR(a, b); /* parameter order does not matter */
        UNIT_CHECK(strcmp(a, staff) != 0); /* the staff view: its own entries */
        UNIT_CHECK(strcmp(ab_c, a_bc) != 0);
        UNIT_CHECK(strcmp(a, page2) != 0);
    }
    free(a), free(b), free(staff), free(ab_c), free(a_bc), free(page2);
}

static const struct unit_case cases[] = {
    {"search_key", search_key, 5},
    {"page_lists", page_lists, 5},
    {"merge_ocr", merge_ocr, 5},
    {"reconcile_verdicts", reconcile_verdicts, 5},
    {"pipeline_diff", pipeline_diff, 5},
    {"pipeline_diff_order", pipeline_diff_order, 5},
    {"pipeline_diff_shard", pipeline_diff_shard, 5},
    {"pipeline_debounce", pipeline_debounce, 5},
    {"pipeline_debounce_busy", pipeline_debounce_busy, 5},
    {"url_join", url_join, 5},
    {"settings_values", settings_values, 5},
    {"settings_file", settings_file, 5},
};

int main(void) { return unit_run(cases, UNIT_COUNT(cases)); }
