/* fouille.c -- the command-line tool: one-shot indexing, searching, and
 * (through the daemon's Unix socket) status and administration. */
#include "config.h"

#include "client.h"
#include "cmdline.h"
#include "indexer.h"
#include "log.h"
#include "render.h"
#include "search.h"
#include "settings.h"
#include "sockproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs(
        "Usage: fouille COMMAND [OPTION...] [ARG...]\n"
        "\n"
        "Commands:\n"
        "  index DIR --db DB         index DIR into DB once (incremental)\n"
        "  search [--db DB] QUERY    search (the daemon, or DB directly)\n"
        "  status                    the daemon's state\n"
        "  reindex [PATH]            re-extract PATH (file or folder, "
        "relative\n"
        "                            to the documents folder; all if none)\n"
        "  failures [--db DB]        files that could not be indexed, and "
        "why\n"
        "  stats --queries [--days N] what the public searches for\n"
        "\n"
        "fouille COMMAND --help describes a command and its options.\n"
        "  -h, --help                this help\n"
        "  -V, --version             the version\n"
        "\n"
        "Exit status: 0 success, 1 failure (the daemon not running, an "
        "index that\n"
        "cannot be read...), 2 usage error, 3 fouille index: some files "
        "could not be\n"
        "indexed (fouille failures lists them).\n",
        out);
}

/* Options every command takes, after its own. */
static const char common_help[] =
    "\n"
    "Common options:\n"
    "  --json                    machine-readable output\n"
    "  --socket=PATH             the daemon's socket (default: $FOUILLE_SOCKET,\n"
    "                            else the socket key of " FOUILLE_CONFIG_FILE
    ",\n"
    "                            else " SOCKET_DEFAULT ")\n"
    "  --config=FILE             read settings from FILE\n"
    "  --KEY=VALUE               any setting (fouilled --help lists them)\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage error";

struct cli {
    struct fouille__config cfg;
    int json, verbose, prefix, in_process, no_group, queries;
    const char *days, *top;
    const char *type, *year, *folder, *date_from, *date_to, *page, *per_page,
        *sort;
    const char *config_file;
    char **args; /* positional arguments */
    int nargs;
};

/* Parse argv (argv[0]: the command). Returns fouille__cmdline_parse's
 * result. */
static enum fouille__cmdline_result parse_args(struct cli *c, const char *prog,
                                               int argc, char **argv)
{
    const struct fouille__option own[] = {
        {"json", &c->json, NULL},
        {"verbose", &c->verbose, NULL},
        {"prefix", &c->prefix, NULL},
        {"no-group", &c->no_group, NULL},
        {"in-process", &c->in_process, NULL},
        {"type", NULL, &c->type},
        {"year", NULL, &c->year},
        {"folder", NULL, &c->folder},
        {"date-from", NULL, &c->date_from},
        {"date-to", NULL, &c->date_to},
        {"page", NULL, &c->page},
        {"per-page", NULL, &c->per_page},
        {"sort", NULL, &c->sort},
        {"queries", &c->queries, NULL},
        {"days", NULL, &c->days},
        {"top", NULL, &c->top},
        {NULL, NULL, NULL},
    };
    c->args = calloc((size_t)argc + 1, sizeof *c->args);
    if (!c->args) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return FOUILLE__CMDLINE_ERROR;
    }
    return fouille__cmdline_parse(&c->cfg, prog, argc, argv, own, c->args,
                                  &c->nargs, NULL, &c->config_file);
}

/* Colours on a terminal, unless NO_COLOR is set (no-color.org). */
static int use_color(void)
{
    const char *no = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no && *no);
}

static int cmd_index(struct cli *c)
{
    char err[1024];
    if (c->nargs != 1 && !c->cfg.docs[0]) {
        fprintf(stderr, "fouille index: expected one folder: fouille index "
                        "DIR --db DB\n");
        return 2;
    }
    if (c->nargs > 1) {
        fprintf(stderr, "fouille index: expected one folder, got %d\n",
                c->nargs);
        return 2;
    }
    if (c->nargs == 1 &&
        fouille__config_set(&c->cfg, "docs", c->args[0], err, sizeof err) < 0)
        return 2;
    if (!c->cfg.db[0]) {
        fprintf(stderr, "fouille index: --db DB is required (the index "
                        "folder, created if missing)\n");
        return 2;
    }
    struct fouille__indexer_opts opts = {
        .cfg = &c->cfg,
        .progress = !c->json && isatty(STDERR_FILENO),
        .verbose = c->verbose,
        .in_process = c->in_process,
    };
    struct fouille__tally tally;
    double seconds;
    if (fouille__index_folder(&opts, &tally, &seconds, err, sizeof err) < 0) {
        fprintf(stderr, "fouille index: %s\n", err);
        return 1;
    }
    if (c->json) {
        json_t *j = fouille__tally_json(&tally, seconds);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
        fputc('\n', stdout);
        json_decref(j);
    } else
        fouille__render_tally(stdout, &tally, seconds);
    return tally.failed > 0 ? 3 : 0;
}


/* Join the positional arguments into one query string. */
static char *join_args(struct cli *c)
{
    size_t n = 1;
    for (int i = 0; i < c->nargs; i++)
        n += strlen(c->args[i]) + 1;
    char *q = malloc(n);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < c->nargs; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, c->args[i]);
    }
    return q;
}

/* The daemon's socket: --socket (or the socket key of --config's file),
 * else $FOUILLE_SOCKET, else the socket key of the daemon's config file
 * when this user can read it, else the default. */
static void daemon_socket(struct cli *c, char *path, size_t len)
{
    const char *env = getenv("FOUILLE_SOCKET");
    if (!c->cfg.socket[0] && !(env && *env) &&
        access(FOUILLE_CONFIG_FILE, R_OK) == 0) {
        struct fouille__config daemon;
        char err[512];
        if (fouille__config_init(&daemon) == 0 &&
            fouille__config_load(&daemon, FOUILLE_CONFIG_FILE, err,
                                 sizeof err) == 0 &&
            daemon.socket[0]) {
            snprintf(path, len, "%s", daemon.socket);
            fouille__config_free(&daemon);
            return;
        }
        fouille__config_free(&daemon);
    }
    fouille__socket_path(c->cfg.socket, NULL, path, len);
}

/* One request to the daemon. Returns the answer, or NULL after printing
 * why (exit status in *rc). An error answer is printed and returned as
 * NULL too. */
static json_t *call_daemon(struct cli *c, const char *what, json_t *req,
                           int *rc)
{
    char path[4096], err[1024];
    daemon_socket(c, path, sizeof path);
    json_t *res = fouille__client_call(path, req, 60000, err, sizeof err);
    json_decref(req);
    if (!res) {
        fprintf(stderr, "fouille %s: %s\n", what, err);
        *rc = 1;
        return NULL;
    }
    const char *e = json_string_value(json_object_get(res, "error"));
    if (e) {
        json_int_t st = json_integer_value(json_object_get(res, "status"));
        fprintf(stderr, "fouille %s: %s\n", what, e);
        *rc = st >= 400 && st < 500 ? 2 : 1;
        json_decref(res);
        return NULL;
    }
    *rc = 0;
    return res;
}

static void print_json(const json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    fputc('\n', stdout);
}

/* The search's parameters as the socket takes them: the daemon, or this
 * process with the socket's decoder, reads them. */
static json_t *search_params(const struct cli *c, const char *q)
{
    return json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:b,"
                     "s:b}",
                     "op", "search", "q", q, "type", c->type, "year", c->year,
                     "folder", c->folder, "date_from", c->date_from,
                     "date_to", c->date_to, "page", c->page, "per_page",
                     c->per_page, "sort", c->sort, "prefix", c->prefix,
                     "group", !c->no_group);
}

static int cmd_search(struct cli *c)
{
    char err[1024];
    if (!c->cfg.db[0]) {
        char *q = join_args(c);
        int rc;
        json_t *req = search_params(c, q ? q : "");
        free(q);
        json_t *res = call_daemon(c, "search", req, &rc);
        if (res) {
            if (c->json) {
                json_dumpf(res, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
                fputc('\n', stdout);
            } else
                fouille__render_results(stdout, res, use_color());
            json_decref(res);
        }
        return rc;
    }
    char *q = join_args(c);
    struct fouille__search_limits lim = fouille__search_limits_of(&c->cfg, 0);
    struct fouille__search_req req;
    json_t *params = q ? search_params(c, q) : NULL;
    int bad = !params || fouille__sockproto_search(params, &lim, &req, err,
                                                   sizeof err) < 0;
    json_decref(params);
    if (bad) {
        fprintf(stderr, "fouille search: %s\n", params ? err : "out of memory");
        free(q);
        return 2;
    }
    req.staff = 1; /* reading the index directly: everything */
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    /* --db may name a stub listing shards: their timeout applies. */
    fouille_index_open_opts_t o = {
        .remote_timeout_ms = (unsigned)c->cfg.remote_timeout_ms,
        .partial_ok = c->cfg.remote_partial,
    };
    fouille_index_status_t st = fouille_index_open_ex(
        c->cfg.db, FOUILLE_INDEX_READ, &o, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK) {
        fprintf(stderr, "fouille search: index %s: %s\n", c->cfg.db,
                ierr[0] ? ierr : fouille_index_status_str(st));
        free(q);
        return 1;
    }
    fouille_synonyms_t *syn = NULL;
    if (c->cfg.synonyms[0]) {
        st = fouille_synonyms_load(c->cfg.synonyms, &syn, ierr, sizeof ierr);
        if (st != FOUILLE_INDEX_OK) {
            fprintf(stderr, "fouille search: synonyms: %s\n", ierr);
            fouille_index_close(idx);
            free(q);
            return 1;
        }
        lim.synonyms = syn;
    }
    json_t *res = fouille__search_run(idx, &req, &lim, &st, err, sizeof err);
    fouille_synonyms_unref(syn);
    int rc = 0;
    if (!res) {
        fprintf(stderr, "fouille search: %s\n", err);
        rc = st == FOUILLE_INDEX_BAD_QUERY ||
                     st == FOUILLE_INDEX_INVALID_ARGUMENT ? 2 : 1;
    } else if (c->json) {
        json_dumpf(res, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
        fputc('\n', stdout);
    } else
        fouille__render_results(stdout, res, use_color());
    json_decref(res);
    fouille_index_close(idx);
    free(q);
    return rc;
}

struct failures_ctx {
    json_t *list;
};

static int collect_failure(const fouille_index_entry_t *e, void *ctx)
{
    struct failures_ctx *f = ctx;
    if (e->reason)
        json_array_append_new(f->list,
                              json_pack("{s:s?,s:s?,s:s?,s:s?}", "path",
                                        e->path, "reason", e->reason, "mime",
                                        e->mime, "plugin", e->plugin));
    return 0;
}

static void print_failures(const json_t *list)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *p = json_string_value(json_object_get(v, "path"));
        for (; p && *p; p++)
            putchar((unsigned char)*p < 0x20 ? '?' : *p);
        printf("\t%s\n", json_string_value(json_object_get(v, "reason")));
    }
}

static int cmd_status(struct cli *c)
{
    int rc;
    json_t *res = call_daemon(c, "status", json_pack("{s:s}", "op", "status"),
                              &rc);
    if (!res)
        return rc;
    if (c->json)
        print_json(res);
    else {
        json_t *q = json_object_get(res, "queue");
        json_t *idx = json_object_get(res, "index");
        json_t *w = json_object_get(res, "watch");
        printf("fouilled: %s\n",
               json_string_value(json_object_get(res, "status")));
        printf("  documents folder: %s\n  index: %s\n",
               json_string_value(json_object_get(res, "docs")),
               json_string_value(json_object_get(res, "db")));
        printf("  documents: %lld indexed, %lld failed (fouille failures)\n",
               (long long)json_integer_value(json_object_get(res, "documents")),
               (long long)json_integer_value(json_object_get(res, "failed")));
        printf("  queue: %lld waiting, %lld extracting, %lld to write\n",
               (long long)(json_integer_value(json_object_get(q, "debounce")) +
                           json_integer_value(json_object_get(q, "waiting"))),
               (long long)json_integer_value(json_object_get(q, "extracting")),
               (long long)json_integer_value(json_object_get(q, "to_write")));
        const char *lc = json_string_value(json_object_get(idx, "last_commit"));
        printf("  last commit: %s%s\n", lc ? lc : "none",
               json_is_true(json_object_get(idx, "paused"))
                   ? " (commits failing: indexing paused)" : "");
        printf("  watched folders: %lld (%lld left to the periodic "
               "reconcile)\n",
               (long long)json_integer_value(json_object_get(w, "folders")),
               (long long)json_integer_value(json_object_get(w, "unwatched")));
        json_t *ocr = json_object_get(res, "ocr");
        if (json_is_true(json_object_get(ocr, "enabled")))
            printf("  OCR: %lld pending, %lld done, %lld failed, %lld pages "
                   "(%.2f pages/s)\n",
                   (long long)json_integer_value(json_object_get(ocr, "pending")),
                   (long long)json_integer_value(json_object_get(ocr, "done")),
                   (long long)json_integer_value(json_object_get(ocr, "failed")),
                   (long long)json_integer_value(json_object_get(ocr, "pages")),
                   json_real_value(json_object_get(ocr, "pages_per_s")));
        else if (ocr)
            printf("  OCR: off\n");
        printf("  initial reconcile: %s\n",
               json_is_true(json_object_get(res, "reconciled")) ? "done"
                                                                : "running");
    }
    json_decref(res);
    return 0;
}

static int cmd_reindex(struct cli *c)
{
    int rc;
    if (c->nargs > 1) {
        fprintf(stderr, "fouille reindex: at most one path\n");
        return 2;
    }
    json_t *res = call_daemon(
        c, "reindex",
        json_pack("{s:s,s:s}", "op", "reindex", "path",
                  c->nargs ? c->args[0] : ""),
        &rc);
    if (!res)
        return rc;
    if (c->json)
        print_json(res);
    else
        printf("reindexing %s\n", c->nargs ? c->args[0] : "everything");
    json_decref(res);
    return 0;
}

static int cmd_failures(struct cli *c)
{
    if (!c->cfg.db[0]) {
        int rc;
        json_t *res = call_daemon(c, "failures",
                                  json_pack("{s:s}", "op", "failures"), &rc);
        if (!res)
            return rc;
        json_t *list = json_object_get(res, "failures");
        if (c->json)
            print_json(list);
        else
            print_failures(list);
        json_decref(res);
        return 0;
    }
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    fouille_index_status_t st = fouille_index_open(
        c->cfg.db, FOUILLE_INDEX_READ, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK) {
        fprintf(stderr, "fouille failures: index %s: %s\n", c->cfg.db,
                ierr[0] ? ierr : fouille_index_status_str(st));
        return 1;
    }
    struct failures_ctx f = {json_array()};
    st = fouille_index_foreach(idx, collect_failure, &f, NULL);
    if (st != FOUILLE_INDEX_OK) {
        fprintf(stderr, "fouille failures: %s\n", fouille_index_last_error(idx));
        json_decref(f.list);
        fouille_index_close(idx);
        return 1;
    }
    if (c->json)
        print_json(f.list);
    else
        print_failures(f.list);
    json_decref(f.list);
    fouille_index_close(idx);
    return 0;
}

/* A whole number from 1 to max given as option name, or -1 after
 * saying why. */
static long count_option(const char *name, const char *v, long max)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : -1;
    if (!v || !*v || *end || n < 1 || n > max) {
        fprintf(stderr, "fouille stats: --%s must be a whole number from 1 "
                        "to %ld\n", name, max);
        return -1;
    }
    return n;
}

static void print_top(const char *title, const json_t *list)
{
    size_t i;
    json_t *v;
    printf("\n%s\n", title);
    if (!json_array_size(list))
        printf("  (none)\n");
    json_array_foreach(list, i, v) {
        json_int_t err = json_integer_value(json_object_get(v, "error"));
        const char *q = json_string_value(json_object_get(v, "query"));
        printf("  %6lld%s  %s\n",
               (long long)json_integer_value(json_object_get(v, "count")),
               err ? "~" : " ", q && *q ? q : "(no words)");
    }
}

static int cmd_stats(struct cli *c)
{
    long days = c->days ? count_option("days", c->days, 3660) : 30;
    long top = c->top ? count_option("top", c->top, 1000) : 20;
    if (days < 0 || top < 0)
        return 2;
    if (!c->queries) {
        fprintf(stderr, "fouille stats: say which statistics: --queries\n");
        return 2;
    }
    int rc;
    json_t *res = call_daemon(c, "stats",
                              json_pack("{s:s,s:I,s:I}", "op", "queries",
                                        "days", (json_int_t)days, "top",
                                        (json_int_t)top),
                              &rc);
    if (!res)
        return rc;
    if (c->json) {
        print_json(res);
        json_decref(res);
        return 0;
    }
    printf("Searches from %s to %s: %lld, %lld without results (%.1f%%)\n",
           json_string_value(json_object_get(res, "from")),
           json_string_value(json_object_get(res, "to")),
           (long long)json_integer_value(json_object_get(res, "searches")),
           (long long)json_integer_value(json_object_get(res, "zero_results")),
           100 * json_real_value(json_object_get(res, "zero_result_rate")));
    printf("Results opened: %lld; click-through rate %.1f%%; mean rank "
           "%.2f\n",
           (long long)json_integer_value(json_object_get(res, "clicks")),
           100 * json_real_value(json_object_get(res, "click_through_rate")),
           json_real_value(json_object_get(res, "mean_click_rank")));
    print_top("Top queries:", json_object_get(res, "top"));
    print_top("Top queries without results:", json_object_get(res, "top_zero"));
    printf("\n(~: an estimate, at most the report's \"error\" above the true "
           "count)\n");
    json_decref(res);
    return 0;
}

static const struct command {
    const char *name;
    int (*run)(struct cli *);
    const char *help;
    const char *exit_help; /* appended to "Exit status: ..." */
} commands[] = {
    {"index", cmd_index,
     "Usage: fouille index DIR --db DB [OPTION...]\n"
     "\n"
     "Indexes the folder DIR into the index DB (created if missing), once,\n"
     "without the daemon; a later run extracts only what changed, and drops\n"
     "what was deleted. Prints a summary.\n"
     "\n"
     "  --db=DB                   the index folder (required)\n"
     "  --verbose                 log what is done, not only failures\n"
     "  --no-sandbox              extract in unconfined workers\n"
     "  --in-process              extract in this process (debugging)\n"
     "  --plugin-dir=DIR, --extract-worker=PROGRAM, --workers=N, ...\n",
     ", 3 some files could not\n"
     "be indexed (fouille failures lists them)"},
    {"search", cmd_search,
     "Usage: fouille search [--db DB] [OPTION...] QUERY...\n"
     "\n"
     "Searches through the running daemon, or the index DB directly.\n"
     "Words (every inflection, accents optional), \"phrases\", AND, OR, NOT,\n"
     "fonc* (prefix); a word starting with '-' goes after \"--\".\n"
     "\n"
     "  --db=DB                   search this index instead of the daemon\n"
     "  --type=T,...  --year=YYYY,...  these publication types, or years\n"
     "  --folder=F                only below the folder F (\"presse/2017\")\n"
     "  --date-from=D --date-to=D dated from, to D (YYYY[-MM[-DD]])\n"
     "  --page=N  --per-page=N    the page of results, and its size\n"
     "  --sort=relevance|date:desc|date:asc\n"
     "Prefixes in QUERY filter too: type:fiche, year:2017 (annee:),\n"
     "folder:presse (dossier:), and title:mot (titre:) searches titles.\n"
     "  --prefix                  the last word is a prefix (as you type)\n"
     "  --no-group                every format of a publication is a hit\n"
     "  --synonyms=FILE           expand the synonym groups of FILE\n",
     NULL},
    {"status", cmd_status,
     "Usage: fouille status [OPTION...]\n"
     "\n"
     "The running daemon's state: folder, index, documents, queue, last\n"
     "commit, watched folders, whether the initial reconcile is done.\n",
     NULL},
    {"reindex", cmd_reindex,
     "Usage: fouille reindex [OPTION...] [PATH]\n"
     "\n"
     "Asks the running daemon to extract PATH again (a file or folder,\n"
     "relative to the documents folder; everything if none).\n",
     NULL},
    {"stats", cmd_stats,
     "Usage: fouille stats --queries [--days N] [--top N] [OPTION...]\n"
     "\n"
     "What the public searched for through the HTTP port over the last N\n"
     "days (30 by default, today included): the number of searches, those\n"
     "that found nothing, the results opened (click-through rate, mean\n"
     "rank), the most frequent queries and the most frequent zero-result\n"
     "queries (the top N, 20 by default). Queries are counted folded, stop\n"
     "words out; nothing about who searched is kept.\n"
     "\n"
     "  --queries                 the search analytics\n"
     "  --days=N                  the last N days (1 to 3660)\n"
     "  --top=N                   how many queries to list (1 to 1000)\n",
     NULL},
    {"failures", cmd_failures,
     "Usage: fouille failures [--db DB] [OPTION...]\n"
     "\n"
     "The files that could not be indexed, and why: from the running\n"
     "daemon, or the index DB directly.\n"
     "\n"
     "  --db=DB                   read this index instead of asking the "
     "daemon\n",
     NULL},
};

int main(int argc, char **argv)
{
    fouille__log_set_ident("fouille");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("fouille %s\n", PACKAGE_VERSION);
        return 0;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "fouille: unknown command '%s' (fouille --help)\n",
                argv[1]);
        return 2;
    }
    char prog[64];
    snprintf(prog, sizeof prog, "fouille %s", cmd->name);
    struct cli c = {0};
    if (fouille__config_init(&c.cfg) < 0) {
        fprintf(stderr, "fouille: out of memory\n");
        return 1;
    }
    int rc = 2;
    switch (parse_args(&c, prog, argc - 1, argv + 1)) {
    case FOUILLE__CMDLINE_HELP:
        printf("%s%s%s.\n", cmd->help, common_help,
               cmd->exit_help ? cmd->exit_help : "");
        rc = 0;
        break;
    case FOUILLE__CMDLINE_VERSION:
        printf("fouille %s\n", PACKAGE_VERSION);
        rc = 0;
        break;
    case FOUILLE__CMDLINE_ERROR:
        break;
    case FOUILLE__CMDLINE_OK:
        if (strcmp(c.cfg.log_level, "debug") == 0)
            fouille__log_set_level(FOUILLE__LOG_DEBUG);
        else if (strcmp(c.cfg.log_level, "warning") == 0 ||
                 strcmp(c.cfg.log_level, "error") == 0)
            fouille__log_set_level(FOUILLE__LOG_WARNING);
        else
            fouille__log_set_level(c.verbose ? FOUILLE__LOG_INFO
                                             : FOUILLE__LOG_WARNING);
        rc = cmd->run(&c);
        break;
    }
    free(c.args);
    fouille__config_free(&c.cfg);
    return rc;
}
