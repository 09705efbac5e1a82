/* cmdline.h -- the command line of fouille and fouilled, on getopt_long,
 * built from the settings table: every setting is a long option
 * (--per-page-max=N or --per-page-max N; underscores accepted too), a
 * boolean is a flag (--serve-documents, --no-serve-documents, and still
 * --serve-documents=yes|no), plus -h/--help, -V/--version, --config FILE
 * and the command's own options. */
#ifndef FOUILLE_CMDLINE_H
#define FOUILLE_CMDLINE_H

#include "settings.h"

/* A command's own option: a flag without value (set, to 1) or an option
 * taking one (value); name uses dashes. Tables end with a NULL name. */
struct fouille__option {
    const char *name;
    int *set;
    const char **value;
};

enum fouille__cmdline_result {
    FOUILLE__CMDLINE_ERROR = -1, /* a usage error, already printed */
    FOUILLE__CMDLINE_OK = 0,
    FOUILLE__CMDLINE_HELP,    /* -h or --help: the caller prints its help */
    FOUILLE__CMDLINE_VERSION, /* -V or --version */
};

/* Parse argv[1..argc-1] (argv[0] is the command's name, used in messages
 * after prog) over cfg. The config file is read first so that options
 * override it: --config FILE, else default_config if it is not NULL and
 * exists. "--" ends the options. Positional arguments go, in order, to
 * positional (room for argc), or are an error when it is NULL. The
 * settings are validated at the end. *config_file (may be NULL) receives
 * the file read, or NULL. argv may be reordered. */
enum fouille__cmdline_result
fouille__cmdline_parse(struct fouille__config *cfg, const char *prog, int argc,
                       char **argv, const struct fouille__option *own,
                       char **positional, int *npositional,
                       const char *default_config, const char **config_file);

#endif
