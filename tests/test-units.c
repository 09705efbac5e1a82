/* test-units.c -- small named cases for the rules of src/ that the
 * integration tests only reach through a running daemon: the reconcile
 * verdicts, the public URL of a hit, the settings. Linked against
 * libfouille-common (tests/unit.h). */
#include "config.h"

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

static const struct unit_case cases[] = {
    {"reconcile_verdicts", reconcile_verdicts, 5},
    {"url_join", url_join, 5},
    {"settings_values", settings_values, 5},
    {"settings_file", settings_file, 5},
};

int main(void) { return unit_run(cases, UNIT_COUNT(cases)); }
