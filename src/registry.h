/* registry.h -- the extractor plugins loaded from the plugin folder, and
 * the choice of a plugin for a file.
 *
 * Only a fouille-extract worker (or `fouille index --in-process`) loads
 * plugins. It reports what it loaded to its parent at start (frame.h);
 * the parent (fouilled, `fouille index`) keeps that report as a table
 * without code (slot->plugin is NULL) and chooses from it with the same
 * rules, so plugin code never runs with the daemon's privileges.
 *
 * Loading: every *.so of the folder, in file-name order, is dlopen'ed; its
 * fouille_plugin_entry() must return a struct whose abi_version equals
 * FOUILLE_PLUGIN_ABI_VERSION and whose struct_size covers the version-1
 * fields, or the plugin is refused with a log line naming the file and both
 * versions.
 *
 * Duplicate policy: when two plugins claim the same MIME type or extension,
 * the one whose file name sorts first keeps it and the other's claim is
 * logged and ignored (rename a plugin file, e.g. 00-mypdf.so, to make it
 * win).
 *
 * Choice for a file: the plugin registered for the MIME type libmagic
 * detected from the content; when that type is generic (text/plain,
 * application/octet-stream, application/zip, text/xml, text/x-...), a plugin
 * registered for the file's extension wins; for any other text/... type, an
 * extension claimed by a plugin for a specific text format (Markdown
 * starting with HTML) wins too, but not one of the text/plain plugin (a
 * .txt holding an HTML page is HTML); a text/... type nobody claims goes to
 * the plugin of text/plain. */
#ifndef FOUILLE_REGISTRY_H
#define FOUILLE_REGISTRY_H

#include "fouille-plugin.h"

#include <stddef.h>

struct fouille__plugin_slot {
    const struct fouille_plugin *plugin; /* NULL in a reported table */
    void *handle;    /* dlopen handle, or NULL */
    char *file;      /* file name the plugin came from */
    char tag[96];    /* "name/version" */
    char name[48];
    char version[48];
    unsigned abi_version;
    char **mime_types; /* NULL-terminated, at least one */
    char **extensions; /* NULL-terminated, maybe empty */
    int initialised; /* init() was called and succeeded (in the worker
                      * that reported the table: the plugin is enabled) */
};

/* What a worker may report at most (frame.c checks it). */
#define FOUILLE__REGISTRY_MAX_PLUGINS 256
#define FOUILLE__REGISTRY_MAX_TYPES 64 /* MIME types, or extensions */
#define FOUILLE__REGISTRY_MAX_STRING 255

struct fouille__registry {
    struct fouille__plugin_slot *slots;
    size_t n;
};

/* Load every plugin of dir. Returns the number loaded (0 is not an error:
 * files are then recorded as unsupported), or -1 when dir cannot be read. */
int fouille__registry_load(struct fouille__registry *reg, const char *dir);

/* Call init() of every plugin once (in a process that will extract).
 * A plugin whose init fails is disabled with a log line. */
void fouille__registry_init_plugins(struct fouille__registry *reg);

/* Append an entry from its declarations (all copied); the way a reported
 * table is rebuilt. Returns the slot, or NULL when a declaration is
 * invalid (name, version, no MIME type) or memory runs out. */
struct fouille__plugin_slot *
fouille__registry_add(struct fouille__registry *reg, const char *file,
                      const char *name, const char *version, unsigned abi,
                      const char *const *mime_types,
                      const char *const *extensions);

/* fini() of initialised plugins, dlclose, free. Accepts an empty registry. */
void fouille__registry_free(struct fouille__registry *reg);

/* The plugin for a file, or NULL. path is used only for its extension. */
const struct fouille__plugin_slot *
fouille__registry_choose(const struct fouille__registry *reg, const char *mime,
                         const char *path);

/* Whether the plugin claiming path's extension reads images or PDF, whose
 * pages may be scans: such a file may need recognition after its first
 * pass, the longest work there is (pipeline.c starts those first). */
int fouille__registry_may_be_scanned(const struct fouille__registry *reg,
                                     const char *path);

/* The slot of the plugin named name, or NULL. */
const struct fouille__plugin_slot *
fouille__registry_find(const struct fouille__registry *reg, const char *name);

#endif
