/* test-index-shards.c -- an index spread over shards, read through a
 * Xapian stub database: counts, enumeration and lookups span the shards,
 * and the French expansion works across them (the link between the two
 * keys of "foncière" lives in one shard, the accent-free "fonciere" and
 * the plain "foncier" in others). */
#include <config.h>

#include "fouille-index.h"
#include "tap.h"
#include "test-index-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int put(const char *db, const char *path, const char *type,
               const char *text)
{
    fouille_index_t *w = NULL;
    fouille_index_doc_t d;
    char err[256];
    int ok;
    if (fouille_index_open(db, FOUILLE_INDEX_WRITE, &w, err, sizeof err))
        return 0;
    memset(&d, 0, sizeof d);
    d.path = path;
    d.type = type;
    d.date = "2024-01-01";
    d.text = text;
    d.text_len = strlen(text);
    ok = fouille_index_put(w, &d) == FOUILLE_INDEX_OK &&
         fouille_index_commit(w) == FOUILLE_INDEX_OK;
    fouille_index_close(w);
    return ok;
}

static int count_entry(const fouille_index_entry_t *e, void *ctx)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

int main(void)
{
    char *dir, *stub;
    char err[512];
    fouille_index_t *r = NULL, *w = NULL;
    fouille_index_status_t st;
    fouille_results_t *res = NULL;
    fouille_query_t q;
    uint64_t count = 0;
    int n = 0, found = 0, ok;
    FILE *f;

    alarm(60);
    dir = tidx_mkdtemp();
    if (!dir) {
        tap_skip_all("no temporary directory");
        return 0;
    }
    ok = put(tidx_path(dir, "a"), "a/foncier.txt", "fiche",
             "Le foncier agricole.") &&
         put(tidx_path(dir, "b"), "b/fonciere.txt", "fiche",
             "Une fonciere sans accent.") &&
         put(tidx_path(dir, "c"), "c/lien.txt", "rapport",
             "Une parcelle foncière.");
    tap_ok(ok, "three shards, one document each");
    stub = strdup(tidx_path(dir, "all.stub"));
    f = fopen(stub, "w");
    if (f) {
        /* Paths in a stub are relative to the stub's directory. */
        fputs("auto a\nauto b\nauto c\n", f);
        fclose(f);
    }

    st = fouille_index_open(stub, FOUILLE_INDEX_READ, &r, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open the stub for reading");
    if (st != FOUILLE_INDEX_OK) {
        tap_diag("%s", err);
        goto out;
    }
    fouille_index_count(r, &count);
    tap_is_int(count, 3, "count spans the shards");
    fouille_index_foreach(r, count_entry, &n, NULL);
    tap_is_int(n, 3, "foreach spans the shards");
    fouille_index_lookup(r, "b/fonciere.txt", NULL, NULL, &found);
    tap_is_int(found, 1, "lookup finds a path in the second shard");

    {
        const char *all = "a/foncier.txt b/fonciere.txt c/lien.txt";
        tidx_is(tidx_find(r, "foncier"), all, "foncier finds all three");
        tidx_is(tidx_find(r, "fonciere"), all, "fonciere finds all three");
        tidx_is(tidx_find(r, "FONCIÈRE"), all, "FONCIÈRE finds all three");
    }

    memset(&q, 0, sizeof q);
    q.q = "foncier";
    q.limit = 1;
    q.offset = 2;
    st = fouille_index_search(r, &q, &res);
    tap_ok(st == FOUILLE_INDEX_OK && fouille_results_total(res) == 3 &&
               fouille_results_count(res) == 1,
           "pagination and totals across shards");
    {
        size_t nf = 0;
        const fouille_facet_t *fa = fouille_results_facets(res, "type", &nf);
        tap_ok(nf == 2 && strcmp(fa[0].value, "fiche") == 0 &&
                   fa[0].count == 2 && fa[1].count == 1,
               "facets add up across shards");
    }
    fouille_results_destroy(res);

    /* Xapian 1.4 writes through a stub too, spreading new documents over
     * the shards; replacing a path finds it in whichever shard holds it. */
    st = fouille_index_open(stub, FOUILLE_INDEX_WRITE, &w, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open the stub for writing");
    if (st == FOUILLE_INDEX_OK) {
        fouille_index_doc_t d;
        memset(&d, 0, sizeof d);
        d.path = "b/fonciere.txt";
        d.text = "Remplacée par une autre parcelle.";
        d.text_len = strlen(d.text);
        tap_ok(fouille_index_put(w, &d) == FOUILLE_INDEX_OK &&
                   fouille_index_commit(w) == FOUILLE_INDEX_OK,
               "replace a document through the stub");
        fouille_index_close(w);
        w = NULL;
        fouille_index_reopen(r);
        fouille_index_count(r, &count);
        tap_is_int(count, 3, "still three documents");
        tidx_is(tidx_find(r, "parcelle"), "b/fonciere.txt c/lien.txt",
                "the replaced text is found");
    }

    /* A shard compacted in place (fouille index, or its daemon): the
     * compacted index's revisions start again at 1, so a reader that
     * merely reopened it could keep its old files (and mix them with the
     * new statistics). Shard d is created (revision 1) with a document
     * (2) and read through its own stub; a document added (3), a
     * compaction (1) and another document bring it back to revision 2. */
    {
        fouille_index_t *r2 = NULL;
        char *stub2 = strdup(tidx_path(dir, "d.stub"));
        ok = put(tidx_path(dir, "d"), "d/haie.txt", "fiche",
                 "Une haie communale.");
        f = fopen(stub2, "w");
        if (f) {
            fputs("auto d\n", f);
            fclose(f);
        }
        st = fouille_index_open(stub2, FOUILLE_INDEX_READ, &r2, err,
                                sizeof err);
        tap_ok(ok && st == FOUILLE_INDEX_OK, "a fourth shard, read alone");
        st = fouille_index_open(tidx_path(dir, "d"), FOUILLE_INDEX_WRITE, &w,
                                err, sizeof err);
        if (st == FOUILLE_INDEX_OK) {
            fouille_index_doc_t d;
            memset(&d, 0, sizeof d);
            d.path = "d/verger.txt";
            d.text = "Un verger communal.";
            d.text_len = strlen(d.text);
            st = fouille_index_put(w, &d);
            if (st == FOUILLE_INDEX_OK)
                st = fouille_index_commit(w);
            if (st == FOUILLE_INDEX_OK)
                st = fouille_index_compact(w);
            d.path = "d/prairie.txt";
            d.text = "Une prairie communale.";
            d.text_len = strlen(d.text);
            if (st == FOUILLE_INDEX_OK)
                st = fouille_index_put(w, &d);
            if (st == FOUILLE_INDEX_OK)
                st = fouille_index_commit(w);
            fouille_index_close(w);
            w = NULL;
        }
        tap_is_int(st, FOUILLE_INDEX_OK,
                   "it gets a document, is compacted, gets another");
        fouille_index_reopen(r2);
        tidx_is(tidx_find(r2, "communal"),
                "d/haie.txt d/prairie.txt d/verger.txt",
                "its reader, reopened, finds all three");
        count = 0;
        fouille_index_count(r2, &count);
        tap_is_int(count, 3, "and counts them");
        fouille_index_close(r2);
        free(stub2);
    }

out:
    fouille_index_close(w);
    fouille_index_close(r);
    tidx_rm_rf(dir);
    free(stub);
    free(dir);
    return tap_done();
}
