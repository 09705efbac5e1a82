/* render.h -- the readable (non-JSON) rendering of search results and
 * indexing summaries for the fouille CLI. */
#ifndef FOUILLE_RENDER_H
#define FOUILLE_RENDER_H

#include "tally.h"

#include <jansson.h>
#include <stdio.h>

/* Print a search result document (as built by fouille__search_run).
 * color: emphasise matches with terminal attributes. */
void fouille__render_results(FILE *out, const json_t *res, int color);

/* Print the summary of an indexing run. */
void fouille__render_tally(FILE *out, const struct fouille__tally *t,
                           double seconds);

/* The same summary as JSON (new reference). */
json_t *fouille__tally_json(const struct fouille__tally *t, double seconds);

#endif
