/* fouilled.c -- the fouille daemon: keeps an index equal to a documents
 * folder and answers queries over a Unix socket and HTTP.
 *
 * Runs in the foreground and logs to stderr (systemd style; log.c), tells
 * systemd when it is ready and how far it got (sd_notify). SIGTERM and
 * SIGINT stop it in order (stop accepting, cancel extraction, commit,
 * close); SIGHUP reloads the config file and the plugins, then rescans. */
#include "config.h"

#include "cmdline.h"
#include "daemon.h"
#include "log.h"
#include "server.h"
#include "settings.h"

#include <errno.h>
#include <signal.h>
#include <systemd/sd-daemon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("Usage: fouilled [--config FILE] [--docs DIR] [--db DIR] "
          "[OPTION...]\n"
          "\n"
          "Keeps the index DIR equal to the documents folder and answers "
          "queries.\n"
          "Without --config, reads " FOUILLE_CONFIG_FILE " if it exists.\n"
          "Every setting can be given in the config file (KEY = VALUE) or "
          "as an option:\n\n",
          out);
    fouille__config_print_help(out, 0);
    fputs("\n  --config=FILE                    read settings from FILE "
          "first\n"
          "  --print-config                   print an example config file\n"
          "  -h, --help                       this help\n"
          "  -V, --version                    the version\n"
          "\n"
          "Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start or "
          "failed,\n"
          "2 usage or configuration error.\n",
          out);
}

/* Options over the config file over the defaults. Returns 0, 1 (exit 0:
 * help, version or config printed) or -1 (error printed). */
static int parse_command_line(struct fouille__config *cfg,
                              const char **config_file, int argc, char **argv)
{
    int print_config = 0;
    const struct fouille__option own[] = {
        {"print-config", &print_config, NULL},
        {NULL, NULL, NULL},
    };
    switch (fouille__cmdline_parse(cfg, "fouilled", argc, argv, own, NULL,
                                   NULL, FOUILLE_CONFIG_FILE, config_file)) {
    case FOUILLE__CMDLINE_HELP:
        usage(stdout);
        return 1;
    case FOUILLE__CMDLINE_VERSION:
        printf("fouilled %s\n", PACKAGE_VERSION);
        return 1;
    case FOUILLE__CMDLINE_ERROR:
        return -1;
    case FOUILLE__CMDLINE_OK:
        break;
    }
    if (print_config) {
        fputs("# fouilled configuration: every key with its default.\n"
              "# Keys may also be given as --key=value options.\n\n",
              stdout);
        fouille__config_print_help(stdout, 1);
        return 1;
    }
    /* A db that is a file lists shards: searching only, no folder. */
    struct stat st;
    int stub = cfg->db[0] && stat(cfg->db, &st) == 0 && S_ISREG(st.st_mode);
    if (!cfg->db[0] || (!cfg->docs[0] && !stub)) {
        fprintf(stderr, "fouilled: the documents folder and the index are "
                        "required: --docs DIR --db DIR, or docs = and db = "
                        "in %s\n",
                *config_file ? *config_file : FOUILLE_CONFIG_FILE);
        return -1;
    }
    return 0;
}

struct app {
    struct fouille__daemon d;
    uv_signal_t sig_term, sig_int, sig_hup;
    uv_timer_t status_timer;
    char status[256]; /* the last STATUS= sent to systemd */
    char **argv;
    int argc;
    const char *config_file;
};

/* systemd's status line (systemctl status): the initial reconcile's
 * progress, then the documents indexed. Sent only when it changes; a
 * no-op without $NOTIFY_SOCKET. */
static void on_status_timer(uv_timer_t *t)
{
    struct app *app = t->data;
    const struct fouille__daemon *d = &app->d;
    char status[sizeof app->status];
    if (d->search_only)
        snprintf(status, sizeof status, "searching %s", d->cfg.db);
    else {
        struct fouille__pipeline_stats ps;
        fouille__pipeline_get_stats(d->pipeline, &ps);
        snprintf(status, sizeof status,
                 "%s: %llu documents extracted, %llu failed, %zu waiting",
                 d->ready ? "watching" : "initial reconcile",
                 (unsigned long long)ps.extracted,
                 (unsigned long long)ps.failed, ps.waiting + ps.extracting);
    }
    if (strcmp(status, app->status) != 0) {
        snprintf(app->status, sizeof app->status, "%s", status);
        sd_notifyf(0, "STATUS=%s", status);
    }
}

static void on_stop_signal(uv_signal_t *h, int signum)
{
    struct app *app = h->data;
    log_info("received %s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    sd_notify(0, "STOPPING=1\nSTATUS=stopping: committing the last batch");
    uv_close((uv_handle_t *)&app->status_timer, NULL);
    uv_close((uv_handle_t *)&app->sig_term, NULL);
    uv_close((uv_handle_t *)&app->sig_int, NULL);
    uv_close((uv_handle_t *)&app->sig_hup, NULL);
    fouille__server_stop(&app->d);
    fouille__daemon_stop(&app->d);
}

static void on_hup(uv_signal_t *h, int signum)
{
    struct app *app = h->data;
    struct fouille__config fresh;
    const char *config_file = NULL;
    (void)signum;
    log_info("received SIGHUP: reloading the configuration and plugins");
    sd_notify(0, "RELOADING=1");
    if (fouille__config_init(&fresh) < 0 ||
        parse_command_line(&fresh, &config_file, app->argc, app->argv) != 0) {
        log_err("configuration not reloaded: keeping the current one");
        fouille__config_free(&fresh);
        sd_notify(0, "READY=1");
        return;
    }
    fouille__daemon_reload(&app->d, &fresh);
    sd_notify(0, "READY=1");
}

int main(int argc, char **argv)
{
    static struct app app;
    char err[1024];
    fouille__log_set_ident("fouilled");
    signal(SIGPIPE, SIG_IGN);
    if (fouille__config_init(&app.d.cfg) < 0)
        return 1;
    app.argc = argc;
    app.argv = argv;
    int rc = parse_command_line(&app.d.cfg, &app.config_file, argc, argv);
    if (rc != 0) {
        fouille__config_free(&app.d.cfg);
        return rc > 0 ? 0 : 2;
    }
    fouille__log_set_level_name(app.d.cfg.log_level);

    uv_loop_t *loop = uv_default_loop();
    if (fouille__daemon_start(&app.d, loop, err, sizeof err) < 0 ||
        fouille__server_start(&app.d, err, sizeof err) < 0) {
        fprintf(stderr, "fouilled: %s\n", err);
        /* Close what was opened, then leave. */
        fouille__server_stop(&app.d);
        fouille__daemon_stop(&app.d);
        uv_run(loop, UV_RUN_DEFAULT);
        fouille__config_free(&app.d.cfg);
        return 1;
    }
    uv_signal_init(loop, &app.sig_term);
    uv_signal_init(loop, &app.sig_int);
    uv_signal_init(loop, &app.sig_hup);
    app.sig_term.data = app.sig_int.data = app.sig_hup.data = &app;
    uv_signal_start(&app.sig_term, on_stop_signal, SIGTERM);
    uv_signal_start(&app.sig_int, on_stop_signal, SIGINT);
    uv_signal_start(&app.sig_hup, on_hup, SIGHUP);
    log_info("watching %s, index %s", app.d.cfg.docs, app.d.cfg.db);
    /* The index is open, the socket and the HTTP port listen: ready. */
    uv_timer_init(loop, &app.status_timer);
    app.status_timer.data = &app;
    on_status_timer(&app.status_timer);
    sd_notify(0, "READY=1");
    uv_timer_start(&app.status_timer, on_status_timer, 1000, 1000);

    uv_run(loop, UV_RUN_DEFAULT);
    /* Every handle is closed by now (libuv's check): one left open is a
     * bug, and the exit status says so, so that the tests catch it. */
    rc = uv_loop_close(loop);
    if (rc != 0)
        log_err("event loop closed with handles still open: %s",
                uv_strerror(rc));
    fouille__config_free(&app.d.cfg);
    return rc != 0 ? 70 : 0;
}
