/* shard.c -- see shard.h. */
#include "config.h"

#include "shard.h"

#include <stdint.h>
#include <stdio.h>

int fouille__shard_parse(struct fouille__shard *s, const char *spec,
                         char *err, size_t errlen)
{
    unsigned i, n;
    char extra;
    s->index = s->count = 0;
    if (!spec || !*spec)
        return 0;
    if (sscanf(spec, "%u/%u%c", &i, &n, &extra) != 2 || n < 1 || i < 1 ||
        i > n || n > 1024) {
        snprintf(err, errlen, "shard '%s': expected I/N with 1 <= I <= N",
                 spec);
        return -1;
    }
    s->index = i;
    s->count = n;
    return 0;
}

int fouille__shard_mine(const struct fouille__shard *s, const char *relpath)
{
    if (s->count <= 1)
        return 1;
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)relpath; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    return h % s->count == s->index - 1;
}
