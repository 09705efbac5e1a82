/* registry.c -- see registry.h. */
#include "config.h"

#include "registry.h"

#include "log.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The size of struct fouille_plugin in ABI version 1: every field up to
 * and including extract. A plugin built against a later header is larger. */
#define PLUGIN_V1_SIZE                                                        \
    (offsetof(struct fouille_plugin, extract) +                               \
     sizeof(((struct fouille_plugin *)0)->extract))

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}

/* Checks what a plugin declares; logs why it is refused. */
static int plugin_acceptable(const char *file, const struct fouille_plugin *p)
{
    if (!p) {
        log_err("plugin %s: %s() returned NULL", file,
                FOUILLE_PLUGIN_ENTRY_SYMBOL);
        return 0;
    }
    if (p->abi_version != FOUILLE_PLUGIN_ABI_VERSION) {
        log_err("plugin %s: ABI version %u, but this fouille speaks version "
                "%u: rebuild the plugin against this fouille's "
                "<fouille/plugin.h>", file, p->abi_version,
                FOUILLE_PLUGIN_ABI_VERSION);
        return 0;
    }
    if (p->struct_size < PLUGIN_V1_SIZE) {
        log_err("plugin %s: struct fouille_plugin is %u bytes, version %u "
                "needs at least %zu", file, p->struct_size,
                FOUILLE_PLUGIN_ABI_VERSION, (size_t)PLUGIN_V1_SIZE);
        return 0;
    }
    if (!valid_name(p->name) || !p->version || !*p->version ||
        strlen(p->version) > 40) {
        log_err("plugin %s: missing or invalid name/version", file);
        return 0;
    }
    if (!p->mime_types || !p->mime_types[0] || !p->extract) {
        log_err("plugin %s (%s): declares no MIME type or no extract()",
                file, p->name);
        return 0;
    }
    return 1;
}

static void free_list(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

/* A NULL-terminated copy of a NULL-terminated list (NULL: empty). */
static char **copy_list(const char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    char **c = calloc(n + 1, sizeof *c);
    for (size_t i = 0; c && i < n; i++)
        if (!(c[i] = strdup(v[i]))) {
            free_list(c);
            return NULL;
        }
    return c;
}

struct fouille__plugin_slot *
fouille__registry_add(struct fouille__registry *reg, const char *file,
                      const char *name, const char *version, unsigned abi,
                      const char *const *mime_types,
                      const char *const *extensions)
{
    if (!valid_name(name) || !version || !*version || strlen(version) > 40 ||
        !mime_types || !mime_types[0])
        return NULL;
    struct fouille__plugin_slot *s =
        realloc(reg->slots, (reg->n + 1) * sizeof *reg->slots);
    if (!s)
        return NULL;
    reg->slots = s;
    s = &reg->slots[reg->n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->version, sizeof s->version, "%s", version);
    snprintf(s->tag, sizeof s->tag, "%s/%s", name, version);
    s->abi_version = abi;
    s->file = strdup(file ? file : "");
    s->mime_types = copy_list(mime_types);
    s->extensions = copy_list(extensions);
    if (!s->file || !s->mime_types || !s->extensions) {
        free(s->file);
        free_list(s->mime_types);
        free_list(s->extensions);
        return NULL;
    }
    reg->n++;
    return s;
}

/* Log the claims of the newest slot that an earlier plugin already holds. */
static void log_overlaps(const struct fouille__registry *reg)
{
    const struct fouille__plugin_slot *p = &reg->slots[reg->n - 1];
    for (size_t i = 0; i + 1 < reg->n; i++) {
        const struct fouille__plugin_slot *q = &reg->slots[i];
        if (strcmp(q->name, p->name) == 0)
            log_warn("plugin %s: name '%s' already used by %s", p->file,
                     p->name, q->file);
        for (char **m = p->mime_types; *m; m++)
            for (char **n = q->mime_types; *n; n++)
                if (strcasecmp(*m, *n) == 0)
                    log_notice("plugin %s: %s is already handled by %s; "
                               "keeping %s", p->file, *m, q->file, q->file);
    }
}

static void add_loaded(struct fouille__registry *reg, const char *file,
                       void *handle, const struct fouille_plugin *p)
{
    struct fouille__plugin_slot *s = fouille__registry_add(
        reg, file, p->name, p->version, p->abi_version, p->mime_types,
        p->extensions);
    if (!s) {
        log_err("plugin %s: out of memory", file);
        dlclose(handle);
        return;
    }
    s->plugin = p;
    s->handle = handle;
    log_overlaps(reg);
}

int fouille__registry_load(struct fouille__registry *reg, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        log_err("plugin folder %s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 ||
            e->d_name[0] == '.')
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *names);
        if (!nn)
            break;
        names = nn;
        if ((names[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);

    int loaded = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        /* RTLD_LOCAL: plugins cannot see each other's symbols. */
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            log_err("plugin %s: cannot load: %s", names[i], dlerror());
            continue;
        }
        const struct fouille_plugin *(*entry)(void);
        *(void **)&entry = dlsym(h, FOUILLE_PLUGIN_ENTRY_SYMBOL);
        if (!entry) {
            log_err("plugin %s: no %s symbol: not a fouille plugin",
                    names[i], FOUILLE_PLUGIN_ENTRY_SYMBOL);
            dlclose(h);
            continue;
        }
        const struct fouille_plugin *p = entry();
        if (!plugin_acceptable(names[i], p)) {
            dlclose(h);
            continue;
        }
        add_loaded(reg, names[i], h, p);
        log_debug("plugin %s: %s/%s loaded", names[i], p->name, p->version);
        loaded++;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return loaded;
}

void fouille__registry_init_plugins(struct fouille__registry *reg)
{
    for (size_t i = 0; i < reg->n; i++) {
        struct fouille__plugin_slot *s = &reg->slots[i];
        if (!s->plugin)
            continue; /* a reported table holds no code */
        if (s->plugin->init && s->plugin->init() != 0) {
            log_err("plugin %s (%s): init failed; plugin disabled", s->file,
                    s->tag);
            continue;
        }
        s->initialised = 1;
    }
}

void fouille__registry_free(struct fouille__registry *reg)
{
    for (size_t i = 0; i < reg->n; i++) {
        struct fouille__plugin_slot *s = &reg->slots[i];
        if (s->plugin && s->initialised && s->plugin->fini)
            s->plugin->fini();
        /* A plugin that extracted (init ran) may have left its libraries'
         * atexit handlers and thread-local destructors behind: it stays
         * mapped until the process ends. One only read for its declarations
         * is unloaded, so that reloading sees an upgraded file. */
        if (!s->initialised && s->handle)
            dlclose(s->handle);
        free(s->file);
        free_list(s->mime_types);
        free_list(s->extensions);
    }
    free(reg->slots);
    reg->slots = NULL;
    reg->n = 0;
}

static int is_generic_mime(const char *mime)
{
    return strcmp(mime, "text/plain") == 0 ||
           strcmp(mime, "application/octet-stream") == 0 ||
           strcmp(mime, "application/zip") == 0 ||
           strcmp(mime, "text/xml") == 0 ||
           strcmp(mime, "application/xml") == 0 ||
           strncmp(mime, "text/x-", 7) == 0;
}

static int claims(const struct fouille__plugin_slot *s, const char *mime)
{
    for (char **m = s->mime_types; *m; m++)
        if (strcasecmp(*m, mime) == 0)
            return 1;
    return 0;
}

static const struct fouille__plugin_slot *
by_mime(const struct fouille__registry *reg, const char *mime)
{
    for (size_t i = 0; i < reg->n; i++)
        if (claims(&reg->slots[i], mime))
            return &reg->slots[i];
    return NULL;
}

static const struct fouille__plugin_slot *
by_extension(const struct fouille__registry *reg, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base || !dot[1])
        return NULL;
    for (size_t i = 0; i < reg->n; i++) {
        for (char **ext = reg->slots[i].extensions; *ext; ext++)
            if (strcasecmp(*ext, dot + 1) == 0)
                return &reg->slots[i];
    }
    return NULL;
}

const struct fouille__plugin_slot *
fouille__registry_choose(const struct fouille__registry *reg, const char *mime,
                         const char *path)
{
    const struct fouille__plugin_slot *s = NULL;
    if (!mime)
        mime = "application/octet-stream";
    if (is_generic_mime(mime) && (s = by_extension(reg, path)))
        return s;
    /* libmagic's text types are guesses from a few bytes: Markdown that
     * starts with HTML looks like HTML. A specific text format named by the
     * extension wins; a .txt holding an HTML page stays HTML. */
    if (strncmp(mime, "text/", 5) == 0 && (s = by_extension(reg, path)) &&
        !claims(s, "text/plain"))
        return s;
    if ((s = by_mime(reg, mime)))
        return s;
    if (strncmp(mime, "text/", 5) == 0)
        return by_mime(reg, "text/plain");
    return NULL;
}

const struct fouille__plugin_slot *
fouille__registry_find(const struct fouille__registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->slots[i].name, name) == 0)
            return &reg->slots[i];
    return NULL;
}

int fouille__registry_may_be_scanned(const struct fouille__registry *reg,
                                     const char *path)
{
    const struct fouille__plugin_slot *s = by_extension(reg, path);
    if (!s)
        return 0;
    for (char **m = s->mime_types; *m; m++)
        if (strncasecmp(*m, "image/", 6) == 0 ||
            strcasecmp(*m, "application/pdf") == 0)
            return 1;
    return 0;
}
