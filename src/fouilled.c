/* fouilled.c -- the fouille daemon: keeps an index equal to a documents
 * folder and answers queries over a Unix socket and HTTP.
 *
 * Runs in the foreground and logs to stderr (systemd style). SIGTERM and
 * SIGINT stop it in order (stop accepting, cancel extraction, commit,
 * close); SIGHUP reloads the config file and the plugins, then rescans. */
#include "config.h"

#include "daemon.h"
#include "log.h"
#include "server.h"
#include "settings.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("Usage: fouilled --docs DIR --db DIR [--config FILE] "
          "[--socket PATH] [--http ADDR:PORT] [--KEY=VALUE ...]\n"
          "\n"
          "Keeps the index DIR equal to the documents folder and answers "
          "queries.\n"
          "Every setting can be given in the config file (KEY = VALUE) or "
          "as a flag:\n\n",
          out);
    fouille__config_print_help(out, 0);
    fputs("\n  --no-sandbox                     same as --sandbox=no "
          "(debugging only)\n"
          "  --print-config                   print an example config file\n"
          "  --help, --version\n",
          out);
}

/* Flags over the config file over the defaults. Returns 0, 1 (exit 0:
 * help/version printed) or -1 (error printed). */
static int parse_command_line(struct fouille__config *cfg,
                              const char **config_file, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("fouilled %s\n", PACKAGE_VERSION);
            return 1;
        }
        if (strcmp(argv[i], "--print-config") == 0) {
            fputs("# fouilled configuration: every key with its default.\n"
                  "# Keys may also be given as --key=value flags.\n\n",
                  stdout);
            fouille__config_print_help(stdout, 1);
            return 1;
        }
    }
    return fouille__config_parse_args(cfg, "fouilled", argc - 1, argv + 1,
                                      NULL, NULL, NULL, config_file);
}

struct app {
    struct fouille__daemon d;
    uv_signal_t sig_term, sig_int, sig_hup;
    char **argv;
    int argc;
    const char *config_file;
};

static void on_stop_signal(uv_signal_t *h, int signum)
{
    struct app *app = h->data;
    log_info("received %s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
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
    if (fouille__config_init(&fresh) < 0 ||
        parse_command_line(&fresh, &config_file, app->argc, app->argv) != 0) {
        log_err("configuration not reloaded: keeping the current one");
        fouille__config_free(&fresh);
        return;
    }
    fouille__daemon_reload(&app->d, &fresh);
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

    uv_run(loop, UV_RUN_DEFAULT);
    rc = uv_loop_close(loop);
    if (rc != 0)
        log_warn("event loop closed with handles still open");
    fouille__config_free(&app.d.cfg);
    return 0;
}
