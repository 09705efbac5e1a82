/* shard.h -- which documents belong to shard I of N: a stable hash of the
 * relative path (FNV-1a, 64 bits), so that N daemons watching the same
 * folder split it without talking to each other, and a path never changes
 * shard. */
#ifndef FOUILLE_SHARD_H
#define FOUILLE_SHARD_H

#include <stddef.h>

struct fouille__shard {
    unsigned index; /* 1-based; 0 when not sharded */
    unsigned count;
};

/* Parse "I/N" (or "" for no sharding). Returns 0 or -1 with err. */
int fouille__shard_parse(struct fouille__shard *s, const char *spec,
                         char *err, size_t errlen);
/* Whether relpath belongs to this shard (always, when not sharded). */
int fouille__shard_mine(const struct fouille__shard *s, const char *relpath);

#endif
