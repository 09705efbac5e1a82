/* view.h -- which documents are private: staff only.
 *
 * The `private` setting lists globs relative to the documents folder. A
 * glob holding a '/' is matched against the relative path component by
 * component, where a component "**" stands for any number of folders (so
 * "rh" followed by a "**" component covers everything under the top
 * folder rh); a glob that matches a folder covers everything in it. A
 * trailing '/' is dropped. A glob without
 * '/' is matched against every component, as in .gitignore: "*.draft.md"
 * is such a file in any folder, "confidentiel" such a folder anywhere.
 * The index marks a private document when it stores it
 * (FOUILLE_DOC_PRIVATE), and the daemon marks again those whose state
 * differs from the globs when it starts or reloads its settings. */
#ifndef FOUILLE_VIEW_H
#define FOUILLE_VIEW_H

#include <stddef.h>

struct fouille__view {
    char **globs;
    size_t n;
};

/* Parse the comma-separated globs. Returns 0, or -1 with err (out of
 * memory, an absolute glob or one with a ".." component). */
int fouille__view_init(struct fouille__view *v, const char *globs, char *err,
                       size_t errlen);
void fouille__view_free(struct fouille__view *v);

/* Whether the canonical relative path relpath is private. */
int fouille__view_private(const struct fouille__view *v, const char *relpath);

#endif
