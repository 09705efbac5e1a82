/* cmdline.c -- see cmdline.h. */
#include "config.h"

#include "cmdline.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_SETTING, K_NEGATE, K_OWN, K_CONFIG, K_HELP, K_VERSION };

/* What a long option stands for; getopt_long returns OPT_BASE + index. */
struct target {
    enum kind kind;
    const char *key; /* K_SETTING, K_NEGATE: the setting's name */
    const struct fouille__option *own;
};

#define OPT_BASE 256

struct table {
    struct option *opts;
    struct target *targets;
    char **names; /* owned copies, freed with the table */
    size_t n, cap;
};

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->opts);
    free(t->targets);
}

/* Add "--prefix" + name with '_' turned to sep. Returns 0 or -1. */
static int table_add(struct table *t, const char *prefix, const char *name,
                     char sep, int has_arg, struct target target)
{
    size_t len = strlen(prefix) + strlen(name) + 1;
    char *copy = malloc(len);
    if (!copy)
        return -1;
    snprintf(copy, len, "%s%s", prefix, name);
    for (char *p = copy; *p; p++)
        if (*p == '_' || *p == '-')
            *p = sep;
    /* One spelling only when there is nothing to turn. */
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->names[i], copy) == 0) {
            free(copy);
            return 0;
        }
    t->names[t->n] = copy;
    t->opts[t->n] = (struct option){copy, has_arg, NULL, OPT_BASE + (int)t->n};
    t->targets[t->n] = target;
    t->n++;
    return 0;
}

/* Both spellings: dashes (documented) and underscores (the config key). */
static int table_add2(struct table *t, const char *prefix, const char *name,
                      int has_arg, struct target target)
{
    if (table_add(t, prefix, name, '-', has_arg, target) < 0 ||
        table_add(t, prefix, name, '_', has_arg, target) < 0)
        return -1;
    return 0;
}

static int table_build(struct table *t, const struct fouille__option *own)
{
    size_t nown = 0, nkeys = 0;
    while (own && own[nown].name)
        nown++;
    while (fouille__config_key(nkeys, NULL))
        nkeys++;
    t->cap = 4 * nkeys + 2 * nown + 4;
    t->n = 0;
    t->opts = calloc(t->cap + 1, sizeof *t->opts); /* zero-terminated */
    t->targets = calloc(t->cap, sizeof *t->targets);
    t->names = calloc(t->cap, sizeof *t->names);
    if (!t->opts || !t->targets || !t->names)
        return -1;
    /* The command's own options first: they win over a setting's name. */
    for (size_t i = 0; i < nown; i++)
        if (table_add2(t, "", own[i].name,
                       own[i].value ? required_argument : no_argument,
                       (struct target){K_OWN, NULL, &own[i]}) < 0)
            return -1;
    for (size_t i = 0; i < nkeys; i++) {
        int is_bool;
        const char *key = fouille__config_key(i, &is_bool);
        if (table_add2(t, "", key,
                       is_bool ? optional_argument : required_argument,
                       (struct target){K_SETTING, key, NULL}) < 0)
            return -1;
        if (is_bool && table_add2(t, "no-", key, no_argument,
                                  (struct target){K_NEGATE, key, NULL}) < 0)
            return -1;
    }
    if (table_add(t, "", "config", '-', required_argument,
                  (struct target){K_CONFIG, NULL, NULL}) < 0 ||
        table_add(t, "", "help", '-', no_argument,
                  (struct target){K_HELP, NULL, NULL}) < 0 ||
        table_add(t, "", "version", '-', no_argument,
                  (struct target){K_VERSION, NULL, NULL}) < 0)
        return -1;
    return 0;
}

/* The config file to read first: --config's, else the default if it
 * exists. Only "--config FILE" and "--config=FILE" are looked for here. */
static const char *config_to_read(int argc, char **argv,
                                  const char *default_config)
{
    const char *file = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            file = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            file = argv[i] + 9;
    if (!file && default_config && access(default_config, F_OK) == 0)
        file = default_config;
    return file;
}

static void unknown_option(const char *prog, int argc, char **argv)
{
    const char *bad = optind - 1 < argc ? argv[optind - 1] : "";
    if (optopt > 0 && optopt < OPT_BASE)
        fprintf(stderr, "%s: unknown option -%c (%s --help)\n", prog, optopt,
                prog);
    else if (strchr(bad, '='))
        fprintf(stderr,
                "%s: '%s': unknown option, or one that takes no value "
                "(%s --help)\n", prog, bad, prog);
    else
        fprintf(stderr, "%s: unknown or ambiguous option '%s' (%s --help)\n",
                prog, bad, prog);
}

enum fouille__cmdline_result
fouille__cmdline_parse(struct fouille__config *cfg, const char *prog, int argc,
                       char **argv, const struct fouille__option *own,
                       char **positional, int *npositional,
                       const char *default_config, const char **config_file)
{
    char err[512];
    enum fouille__cmdline_result rc = FOUILLE__CMDLINE_OK;
    const char *file = config_to_read(argc, argv, default_config);
    if (config_file)
        *config_file = file;
    if (file && fouille__config_load(cfg, file, err, sizeof err) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return FOUILLE__CMDLINE_ERROR;
    }
    struct table t = {0};
    if (table_build(&t, own) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        table_free(&t);
        return FOUILLE__CMDLINE_ERROR;
    }
    /* "-": positional arguments come back in order, as option 1; ":":
     * a missing value is ':', not '?'. */
    optind = 0;
    opterr = 0;
    int c;
    while (rc == FOUILLE__CMDLINE_OK &&
           (c = getopt_long(argc, argv, "-:hV", t.opts, NULL)) != -1) {
        if (c == 1) {
            if (!positional) {
                fprintf(stderr, "%s: unexpected argument '%s' (%s --help)\n",
                        prog, optarg, prog);
                rc = FOUILLE__CMDLINE_ERROR;
            } else
                positional[(*npositional)++] = optarg;
            continue;
        }
        if (c == 'h' || c == 'V') {
            rc = c == 'h' ? FOUILLE__CMDLINE_HELP : FOUILLE__CMDLINE_VERSION;
            continue;
        }
        if (c == ':') {
            fprintf(stderr, "%s: %s needs a value\n", prog, argv[optind - 1]);
            rc = FOUILLE__CMDLINE_ERROR;
            continue;
        }
        if (c < OPT_BASE || (size_t)(c - OPT_BASE) >= t.n) {
            unknown_option(prog, argc, argv);
            rc = FOUILLE__CMDLINE_ERROR;
            continue;
        }
        const struct target *tg = &t.targets[c - OPT_BASE];
        switch (tg->kind) {
        case K_OWN:
            if (tg->own->set)
                *tg->own->set = 1;
            else
                *tg->own->value = optarg;
            break;
        case K_SETTING:
        case K_NEGATE: {
            const char *value = tg->kind == K_NEGATE ? "no"
                                : optarg             ? optarg
                                                     : "yes";
            if (fouille__config_set(cfg, tg->key, value, err, sizeof err) <
                0) {
                fprintf(stderr, "%s: %s\n", prog, err);
                rc = FOUILLE__CMDLINE_ERROR;
            }
            break;
        }
        case K_CONFIG:
            break; /* read first */
        case K_HELP:
            rc = FOUILLE__CMDLINE_HELP;
            break;
        case K_VERSION:
            rc = FOUILLE__CMDLINE_VERSION;
            break;
        }
    }
    /* After "--": the rest is positional. */
    for (int i = optind; rc == FOUILLE__CMDLINE_OK && i < argc; i++) {
        if (!positional) {
            fprintf(stderr, "%s: unexpected argument '%s' (%s --help)\n",
                    prog, argv[i], prog);
            rc = FOUILLE__CMDLINE_ERROR;
        } else
            positional[(*npositional)++] = argv[i];
    }
    table_free(&t);
    if (rc == FOUILLE__CMDLINE_OK &&
        fouille__config_validate(cfg, err, sizeof err) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        rc = FOUILLE__CMDLINE_ERROR;
    }
    return rc;
}
