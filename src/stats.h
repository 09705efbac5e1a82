/* stats.h -- the daemon's state as JSON (/stats, /health, the socket's
 * stats and status) and as Prometheus text (/metrics). Loop thread only. */
#ifndef FOUILLE_STATS_H
#define FOUILLE_STATS_H

#include "daemon.h"

#include <jansson.h>

/* Health: {"status": "ok"|"starting"|"unavailable", "index_open",
 * "reconciled", ...}. *healthy is 1 when the index is open. */
json_t *fouille__health_json(struct fouille__daemon *d, int *healthy);

/* Everything: documents by format, queue, failures by reason, writer and
 * watch state, last commit. */
json_t *fouille__stats_json(struct fouille__daemon *d);

/* The list of failed files: [{path, reason, mime, plugin}]. */
json_t *fouille__failures_json(struct fouille__daemon *d);

#endif
