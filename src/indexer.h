/* indexer.h -- one-shot indexing of a folder (`fouille index DIR --db DB`):
 * reconcile the index with the folder, extract what is new or changed,
 * delete what is gone, commit in batches. */
#ifndef FOUILLE_INDEXER_H
#define FOUILLE_INDEXER_H

#include "settings.h"
#include "tally.h"

#include <stddef.h>

struct fouille__indexer_opts {
    const struct fouille__config *cfg;
    int progress; /* draw a progress line on stderr (a terminal) */
    int verbose;  /* log at info level too (failures are warnings) */
    int in_process; /* extract in this process, without workers */
};

/* Returns 0, or -1 with a message in err (folder or index unusable).
 * Per-file failures are not errors: they are counted in tally. */
int fouille__index_folder(const struct fouille__indexer_opts *opts,
                          struct fouille__tally *tally, double *seconds,
                          char *err, size_t errlen);

#endif
