/* strmap.c -- see strmap.h. */
#include "config.h"

#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fouille__strmap_slot {
    char *key;   /* NULL: empty; TOMBSTONE: deleted */
    void *value;
    uint64_t hash;
};

static char tombstone_;
#define TOMBSTONE (&tombstone_)

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

static struct fouille__strmap_slot *find(const struct fouille__strmap *m,
                                         const char *key, uint64_t h,
                                         struct fouille__strmap_slot **free_slot)
{
    *free_slot = NULL;
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct fouille__strmap_slot *s = &m->slots[i];
        if (!s->key) {
            if (!*free_slot)
                *free_slot = s;
            return NULL;
        }
        if (s->key == TOMBSTONE) {
            if (!*free_slot)
                *free_slot = s;
            continue;
        }
        if (s->hash == h && strcmp(s->key, key) == 0)
            return s;
    }
}

static int grow(struct fouille__strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    /* Rehash in place of tombstones when they are most of the load. */
    if (m->cap && m->used * 2 < m->cap)
        cap = m->cap;
    struct fouille__strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        struct fouille__strmap_slot *s = &m->slots[i];
        if (!s->key || s->key == TOMBSTONE)
            continue;
        size_t j = s->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    m->tombstones = 0;
    return 0;
}

void *fouille__strmap_get(const struct fouille__strmap *m, const char *key)
{
    struct fouille__strmap_slot *fs;
    struct fouille__strmap_slot *s = find(m, key, hash_str(key), &fs);
    return s ? s->value : NULL;
}

int fouille__strmap_put(struct fouille__strmap *m, const char *key,
                        void *value, void **old)
{
    uint64_t h = hash_str(key);
    struct fouille__strmap_slot *fs;
    if (old)
        *old = NULL;
    struct fouille__strmap_slot *s = find(m, key, h, &fs);
    if (s) {
        if (old)
            *old = s->value;
        s->value = value;
        return 0;
    }
    if ((m->used + m->tombstones + 1) * 4 > m->cap * 3) {
        if (grow(m) < 0)
            return -1;
        find(m, key, h, &fs);
    }
    char *k = strdup(key);
    if (!k)
        return -1;
    if (fs->key == TOMBSTONE)
        m->tombstones--;
    fs->key = k;
    fs->value = value;
    fs->hash = h;
    m->used++;
    return 0;
}

void *fouille__strmap_del(struct fouille__strmap *m, const char *key)
{
    struct fouille__strmap_slot *fs;
    struct fouille__strmap_slot *s = find(m, key, hash_str(key), &fs);
    if (!s)
        return NULL;
    void *v = s->value;
    free(s->key);
    s->key = TOMBSTONE;
    s->value = NULL;
    m->used--;
    m->tombstones++;
    return v;
}

size_t fouille__strmap_size(const struct fouille__strmap *m) { return m->used; }

void fouille__strmap_each(const struct fouille__strmap *m,
                          void (*fn)(const char *key, void *value, void *ctx),
                          void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        struct fouille__strmap_slot *s = &m->slots[i];
        if (s->key && s->key != TOMBSTONE)
            fn(s->key, s->value, ctx);
    }
}

void fouille__strmap_free(struct fouille__strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
