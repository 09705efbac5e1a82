/* strmap.h -- a hash map from strings (copied) to pointers, with open
 * addressing and tombstones. Not thread-safe. */
#ifndef FOUILLE_STRMAP_H
#define FOUILLE_STRMAP_H

#include <stddef.h>

struct fouille__strmap {
    struct fouille__strmap_slot *slots;
    size_t cap, used, tombstones;
};

/* Returns the value for key, or NULL. */
void *fouille__strmap_get(const struct fouille__strmap *m, const char *key);
/* Sets key to value (value must not be NULL). If a value was there, it is
 * returned through *old (may be NULL) and replaced. Returns 0, or -1 when
 * memory runs out. */
int fouille__strmap_put(struct fouille__strmap *m, const char *key,
                        void *value, void **old);
/* Removes key; returns its value or NULL. */
void *fouille__strmap_del(struct fouille__strmap *m, const char *key);
size_t fouille__strmap_size(const struct fouille__strmap *m);
/* Calls fn for each entry (fn must not modify the map). */
void fouille__strmap_each(const struct fouille__strmap *m,
                          void (*fn)(const char *key, void *value, void *ctx),
                          void *ctx);
/* Frees the keys and the table (not the values). */
void fouille__strmap_free(struct fouille__strmap *m);

#endif
