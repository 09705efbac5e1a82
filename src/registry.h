/* registry.h -- the extractor plugins loaded from the plugin folder, and
 * the choice of a plugin for a file.
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
    const struct fouille_plugin *plugin;
    void *handle;    /* dlopen handle, NULL for a built-in */
    char *file;      /* file name the plugin came from */
    char tag[96];    /* "name/version" */
    int initialised; /* init() was called and succeeded */
};

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

/* fini() of initialised plugins, dlclose, free. Accepts an empty registry. */
void fouille__registry_free(struct fouille__registry *reg);

/* The plugin for a file, or NULL. path is used only for its extension. */
const struct fouille__plugin_slot *
fouille__registry_choose(const struct fouille__registry *reg, const char *mime,
                         const char *path);

/* The slot of the plugin named name, or NULL. */
const struct fouille__plugin_slot *
fouille__registry_find(const struct fouille__registry *reg, const char *name);

#endif
