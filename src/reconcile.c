/* reconcile.c -- see reconcile.h. */
#include "config.h"

#include "reconcile.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

struct loader {
    struct fouille__snapshot *s;
    size_t cap;
};

static int collect(const fouille_index_entry_t *e, void *ctx)
{
    struct loader *l = ctx;
    struct fouille__snapshot *s = l->s;
    if (s->n == l->cap) {
        size_t cap = l->cap;
        size_t ncap = cap ? cap * 2 : 1024;
        struct fouille__known *nv = realloc(s->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        s->v = nv;
        l->cap = ncap;
    }
    struct fouille__known *k = &s->v[s->n];
    memset(k, 0, sizeof *k);
    k->path = strdup(e->path);
    k->signature = strdup(e->signature ? e->signature : "");
    k->mime = strdup(e->mime ? e->mime : "");
    k->plugin = dup_or_null(e->plugin);
    k->reason = dup_or_null(e->reason);
    k->private_doc = e->private_doc;
    s->n++;
    if (!k->path || !k->signature || !k->mime)
        return -1;
    return 0;
}

static int known_cmp(const void *a, const void *b)
{
    return strcmp(((const struct fouille__known *)a)->path,
                  ((const struct fouille__known *)b)->path);
}

fouille_index_status_t fouille__snapshot_load(struct fouille__snapshot *s,
                                              fouille_index_t *idx)
{
    int cb_rc = 0;
    struct loader l = {s, 0};
    s->v = NULL;
    s->n = 0;
    fouille_index_status_t st = fouille_index_foreach(idx, collect, &l, &cb_rc);
    if (st == FOUILLE_INDEX_OK && cb_rc)
        st = FOUILLE_INDEX_NO_MEMORY;
    if (st != FOUILLE_INDEX_OK) {
        fouille__snapshot_free(s);
        return st;
    }
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, known_cmp);
    return FOUILLE_INDEX_OK;
}

void fouille__snapshot_free(struct fouille__snapshot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].signature);
        free(s->v[i].mime);
        free(s->v[i].plugin);
        free(s->v[i].reason);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

enum fouille__verdict fouille__reconcile_file(struct fouille__known *k,
                                              const char *sig,
                                              const struct fouille__registry *reg,
                                              const char *path)
{
    if (!k)
        return FOUILLE__NEW;
    k->seen = 1;
    if (strcmp(k->signature, sig) != 0)
        return FOUILLE__CHANGED;
    /* A file is extracted again when the plugin that would now handle it
     * is not the one (name and version) that last did, or failed: a plugin
     * was added, upgraded or removed. So files nobody handled become
     * searchable when a plugin for their type appears, and a better
     * extractor replaces a fallback (text for CSV). The stored MIME type
     * stands in for the content: no byte of the file is read to decide. */
    const struct fouille__plugin_slot *slot =
        fouille__registry_choose(reg, k->mime[0] ? k->mime : NULL, path);
    const char *now = slot ? slot->tag : NULL;
    if ((now == NULL) != (k->plugin == NULL) ||
        (now && strcmp(now, k->plugin) != 0))
        return FOUILLE__RETRY;
    return FOUILLE__UNCHANGED;
}
