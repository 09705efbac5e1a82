/* test-units.c -- small named cases for the rules of src/ that the
 * integration tests only reach through a running daemon: the reconcile
 * verdicts, the public URL of a hit, the settings. Linked against
 * libfouille-common (tests/unit.h). */
#include "config.h"

#include "doc.h"
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

static const struct unit_case cases[] = {
    {"page_lists", page_lists, 5},
    {"merge_ocr", merge_ocr, 5},
    {"reconcile_verdicts", reconcile_verdicts, 5},
    {"url_join", url_join, 5},
    {"settings_values", settings_values, 5},
    {"settings_file", settings_file, 5},
};

int main(void) { return unit_run(cases, UNIT_COUNT(cases)); }
