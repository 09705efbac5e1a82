/* reconcile.h -- compare the index with the folder: which files are new,
 * changed, unchanged, to retry (their plugin appeared or changed), and
 * which indexed paths no longer exist. Unchanged files cost a stat, never
 * an extraction. */
#ifndef FOUILLE_RECONCILE_H
#define FOUILLE_RECONCILE_H

#include "fouille-index.h"
#include "registry.h"

#include <stddef.h>

struct fouille__known {
    char *path;
    char *signature;
    char *mime;
    char *plugin;  /* NULL when no plugin handled it */
    char *reason;  /* NULL for an indexed document */
    int seen;      /* set when the scan meets the path */
    int private_doc; /* the index marks it private (view.h) */
};

/* A snapshot of what the index records, sorted by path. */
struct fouille__snapshot {
    struct fouille__known *v;
    size_t n;
};

fouille_index_status_t fouille__snapshot_load(struct fouille__snapshot *s,
                                              fouille_index_t *idx);
void fouille__snapshot_free(struct fouille__snapshot *s);

enum fouille__verdict {
    FOUILLE__UNCHANGED,
    FOUILLE__NEW,
    FOUILLE__CHANGED,
    FOUILLE__RETRY, /* same file, but the plugin for its type changed
                     * (added, upgraded, removed) */
};

/* What to do with a file whose current signature is sig. k may be NULL
 * (not in the index). Marks k as seen. */
enum fouille__verdict fouille__reconcile_file(struct fouille__known *k,
                                              const char *sig,
                                              const struct fouille__registry *reg,
                                              const char *path);

#endif
