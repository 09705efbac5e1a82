/* settings.c -- see settings.h. The INI syntax is inih's. */
#include "config.h"

#include "settings.h"

#include "log.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum setting_type { SETTING_STR, SETTING_INT, SETTING_BOOL };

struct setting {
    const char *name;
    enum setting_type type;
    const char *def_str;
    long def_int, lo, hi;
    const char *help;
    size_t offset;
};

static const struct setting settings[] = {
#define S_(n, def, h) {#n, SETTING_STR, def, 0, 0, 0, h, offsetof(struct fouille__config, n)},
#define I_(n, def, l, u, h) {#n, SETTING_INT, NULL, def, l, u, h, offsetof(struct fouille__config, n)},
#define B_(n, def, h) {#n, SETTING_BOOL, NULL, def, 0, 1, h, offsetof(struct fouille__config, n)},
    FOUILLE__CONFIG_MAP(S_, I_, B_)
#undef S_
#undef I_
#undef B_
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

static const struct setting *setting_find(const char *key)
{
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strcmp(settings[i].name, key) == 0)
            return &settings[i];
    return NULL;
}

int fouille__config_has(const char *key) { return setting_find(key) != NULL; }

unsigned fouille__analysis_threads(const struct fouille__config *cfg)
{
    if (cfg->analysis_threads > 0)
        return (unsigned)cfg->analysis_threads;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return ncpu > 2 ? (unsigned)ncpu - 1 : 1;
}

const char *fouille__config_key(size_t i, int *is_bool)
{
    if (i >= N_SETTINGS)
        return NULL;
    if (is_bool)
        *is_bool = settings[i].type == SETTING_BOOL;
    return settings[i].name;
}

int fouille__config_init(struct fouille__config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const struct setting *s = &settings[i];
        char *field = (char *)cfg + s->offset;
        switch (s->type) {
        case SETTING_STR:
            if (!(*(char **)field = strdup(s->def_str))) {
                fouille__config_free(cfg);
                return -1;
            }
            break;
        case SETTING_INT:
            *(long *)field = s->def_int;
            break;
        case SETTING_BOOL:
            *(int *)field = (int)s->def_int;
            break;
        }
    }
    return 0;
}

void fouille__config_free(struct fouille__config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (settings[i].type == SETTING_STR) {
            char **p = (char **)((char *)cfg + settings[i].offset);
            free(*p);
            *p = NULL;
        }
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "on"};
    static const char *const no[] = {"0", "no", "false", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

int fouille__config_set(struct fouille__config *cfg, const char *key,
                        const char *value, char *err, size_t errlen)
{
    const struct setting *s = setting_find(key);
    if (!s) {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -1;
    }
    char *field = (char *)cfg + s->offset;
    switch (s->type) {
    case SETTING_STR: {
        char *copy = strdup(value);
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        free(*(char **)field);
        *(char **)field = copy;
        return 0;
    }
    case SETTING_INT: {
        char *end;
        errno = 0;
        /* Octal for modes ("0660"), decimal otherwise. */
        long v = strtol(value, &end, strcmp(key, "socket_mode") == 0 ? 8 : 10);
        if (errno || end == value || *end) {
            snprintf(err, errlen, "%s: '%s' is not a whole number", key,
                     value);
            return -1;
        }
        if (v < s->lo || v > s->hi) {
            snprintf(err, errlen, "%s: %ld is out of range [%ld, %ld]", key,
                     v, s->lo, s->hi);
            return -1;
        }
        *(long *)field = v;
        return 0;
    }
    case SETTING_BOOL:
        if (parse_bool(value, (int *)field) < 0) {
            snprintf(err, errlen, "%s: '%s' is not yes or no", key, value);
            return -1;
        }
        return 0;
    }
    return -1;
}

struct load_ctx {
    struct fouille__config *cfg;
    char *err;
    size_t errlen;
    const char *path;
    int failed;
    char msg[256];
};

/* inih reports the line of the first handler error as its return value,
 * so the message is kept here and prefixed with file:line afterwards. */
static int load_handler(void *user, const char *section, const char *name,
                        const char *value)
{
    struct load_ctx *ctx = user;
    if (ctx->failed)
        return 0;
    if (section[0] && strcmp(section, "fouille") != 0) {
        snprintf(ctx->msg, sizeof ctx->msg, "unknown section [%s]", section);
        ctx->failed = 1;
        return 0;
    }
    if (fouille__config_set(ctx->cfg, name, value, ctx->msg,
                            sizeof ctx->msg) < 0) {
        ctx->failed = 1;
        return 0;
    }
    return 1;
}

int fouille__config_load(struct fouille__config *cfg, const char *path,
                         char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct load_ctx ctx = {cfg, err, errlen, path, 0, ""};
    int rc = ini_parse_file(f, load_handler, &ctx);
    fclose(f);
    if (ctx.failed) {
        snprintf(err, errlen, "%s:%d: %s", path, rc, ctx.msg);
        return -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s:%d: syntax error", path, rc);
        return -1;
    }
    return 0;
}

void fouille__config_print_help(FILE *out, int as_ini)
{
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const struct setting *s = &settings[i];
        char def[256];
        switch (s->type) {
        case SETTING_STR:
            snprintf(def, sizeof def, "%s", s->def_str);
            break;
        case SETTING_INT:
            snprintf(def, sizeof def,
                     strcmp(s->name, "socket_mode") == 0 ? "0%lo" : "%ld",
                     s->def_int);
            break;
        case SETTING_BOOL:
            snprintf(def, sizeof def, "%s", s->def_int ? "yes" : "no");
            break;
        }
        if (as_ini)
            fprintf(out, "# %s\n#%s = %s\n\n", s->help, s->name, def);
        else {
            char flag[64], dashed[48];
            snprintf(dashed, sizeof dashed, "%s", s->name);
            for (char *p = dashed; *p; p++)
                if (*p == '_')
                    *p = '-';
            if (s->type == SETTING_BOOL)
                snprintf(flag, sizeof flag, "--[no-]%s", dashed);
            else
                snprintf(flag, sizeof flag, "--%s=%s", dashed,
                         s->type == SETTING_INT ? "N" : "VALUE");
            fprintf(out, "  %-32s %s (default: %s)\n", flag, s->help,
                    def[0] ? def : "none");
        }
    }
}

int fouille__config_validate(const struct fouille__config *cfg, char *err,
                             size_t errlen)
{
    if (cfg->shard[0]) {
        unsigned i, n;
        char extra;
        if (sscanf(cfg->shard, "%u/%u%c", &i, &n, &extra) != 2 || n < 1 ||
            i < 1 || i > n || n > 1024) {
            snprintf(err, errlen,
                     "shard: '%s' must be I/N with 1 <= I <= N <= 1024",
                     cfg->shard);
            return -1;
        }
    }
    if (fouille__log_level_from_name(cfg->log_level) < 0) {
        snprintf(err, errlen,
                 "log_level: '%s' is not error, warning, notice, info or "
                 "debug", cfg->log_level);
        return -1;
    }
    return 0;
}

void fouille__socket_path(const char *socket, const char *db, char *out,
                          size_t len)
{
    const char *env = getenv("FOUILLE_SOCKET");
    (void)db;
    if (socket && *socket)
        snprintf(out, len, "%s", socket);
    else if (env && *env)
        snprintf(out, len, "%s", env);
    else
        snprintf(out, len, "%s", SOCKET_DEFAULT);
}
