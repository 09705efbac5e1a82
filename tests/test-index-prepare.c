/* test-index-prepare.c -- fouille_index_prepare() on several threads at
 * once, then fouille_index_put_prepared() from one, gives the index that
 * fouille_index_put() gives: same hits, snippets, pages, groups and
 * spelling corrections for a set of queries. And the errors: a refused
 * document is refused at put time, with put()'s message; a prepared
 * document is put once; no handle, no document, a read-only handle. */
#include <config.h>

#include "fouille-index.h"
#include "tap.h"
#include "test-index-util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDOCS 240
#define NTHREADS 4

static const char *const words[] = {
    "foncier", "foncière", "FONCIÈRES", "agricole", "l'urbanisme",
    "co-construction", "mobilité", "collectivités", "marchés", "publics",
    "économie", "d'habitat", "logement", "rurale", "e2fsck", "2021",
    "territoire", "élus", "réseau", "données", "étude", "installation",
};
#define NWORDS (sizeof words / sizeof words[0])

struct fixture {
    char path[64], title[96], text[4096], date[16];
    fouille_index_doc_t doc;
    fouille_index_prepared_t *prep;
};

static struct fixture fx[NDOCS];

static void make_docs(void)
{
    unsigned seed = 7;
    for (int i = 0; i < NDOCS; i++) {
        struct fixture *f = &fx[i];
        size_t len = 0;
        snprintf(f->path, sizeof f->path, "%s/doc-%03d.%s",
                 i % 3 ? "fiches" : "rapports/2021", i, i % 2 ? "pdf" : "md");
        /* Pairs of formats of one publication (same title and text):
         * the groups must come out the same. */
        snprintf(f->title, sizeof f->title, "Publication %d sur le %s",
                 i / 2, words[(i / 2) % NWORDS]);
        snprintf(f->date, sizeof f->date, "20%02d-0%d", 10 + i % 12,
                 1 + i % 9);
        unsigned s = seed + (unsigned)(i / 2) * 7919u;
        for (int w = 0; w < 300 && len < sizeof f->text - 32; w++) {
            s = s * 1103515245u + 12345u;
            const char *word = words[(s >> 16) % NWORDS];
            len += (size_t)snprintf(f->text + len, sizeof f->text - len,
                                    "%s%s", word,
                                    w % 97 == 96 ? "\f" : w % 11 ? " " : ". ");
        }
        memset(&f->doc, 0, sizeof f->doc);
        f->doc.path = f->path;
        f->doc.signature = "sig";
        f->doc.plugin = "test/1";
        f->doc.mime = i % 2 ? "application/pdf" : "text/markdown";
        f->doc.type = i % 3 ? "fiche" : "rapport";
        f->doc.title = f->title;
        f->doc.date = f->date;
        f->doc.text = f->text;
        f->doc.text_len = len;
        f->doc.pages = i % 2 ? 4 : 0;
        f->doc.flags = i % 10 == 9 ? FOUILLE_DOC_PRIVATE : 0;
    }
}

static void *prepare_some(void *arg)
{
    long t = (long)(intptr_t)arg;
    for (int i = (int)t; i < NDOCS; i += NTHREADS)
        fx[i].prep = fouille_index_prepare(&fx[i].doc);
    return NULL;
}

/* Every hit of q, in order, with what a user sees of it. */
static char *describe(fouille_index_t *idx, const char *query, int public_only)
{
    static char buf[1 << 16];
    fouille_query_t q;
    fouille_results_t *res = NULL;
    size_t len = 0;
    memset(&q, 0, sizeof q);
    q.q = query;
    q.limit = 50;
    q.public_only = public_only;
    if (fouille_index_search(idx, &q, &res) != FOUILLE_INDEX_OK)
        return strdup(fouille_index_last_error(idx));
    len += (size_t)snprintf(buf, sizeof buf, "total %llu;",
                            (unsigned long long)fouille_results_total(res));
    for (size_t i = 0; i < fouille_results_count(res) && len < sizeof buf - 1;
         i++) {
        const fouille_hit_t *h = fouille_results_hit(res, i);
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                " %s p%u v%zu [%s] %.0f", h->path, h->page,
                                h->variant_count, h->snippet, h->score);
    }
    size_t n = 0;
    const fouille_correction_t *c = fouille_results_corrections(res, &n);
    for (size_t i = 0; i < n && len < sizeof buf - 1; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, " fix:%s>%s",
                                c[i].typed, c[i].used);
    fouille_results_destroy(res);
    return strdup(buf);
}

int main(void)
{
    char *dir = tidx_mkdtemp();
    char a[4096], b[4096], err[256];
    fouille_index_t *wa = NULL, *wb = NULL;
    int ok = 1;

    if (!dir)
        return 1;
    snprintf(a, sizeof a, "%s/put", dir);
    snprintf(b, sizeof b, "%s/prepared", dir);
    make_docs();

    /* The reference: put() one after the other. */
    ok = fouille_index_open(a, FOUILLE_INDEX_WRITE, &wa, err, sizeof err) ==
         FOUILLE_INDEX_OK;
    for (int i = 0; ok && i < NDOCS; i++)
        ok = fouille_index_put(wa, &fx[i].doc) == FOUILLE_INDEX_OK;
    ok = ok && fouille_index_commit(wa) == FOUILLE_INDEX_OK;
    tap_ok(ok, "%d documents put one by one", NDOCS);

    pthread_t th[NTHREADS];
    for (long t = 0; t < NTHREADS; t++)
        pthread_create(&th[t], NULL, prepare_some, (void *)(intptr_t)t);
    for (int t = 0; t < NTHREADS; t++)
        pthread_join(th[t], NULL);
    int all = 1;
    for (int i = 0; i < NDOCS; i++)
        all &= fx[i].prep != NULL;
    tap_ok(all, "prepared on %d threads at once", NTHREADS);

    ok = fouille_index_open(b, FOUILLE_INDEX_WRITE, &wb, err, sizeof err) ==
         FOUILLE_INDEX_OK;
    for (int i = 0; ok && all && i < NDOCS; i++)
        ok = fouille_index_put_prepared(wb, fx[i].prep) == FOUILLE_INDEX_OK;
    ok = ok && fouille_index_commit(wb) == FOUILLE_INDEX_OK;
    tap_ok(ok, "the prepared documents put by one writer");

    static const char *const queries[] = {
        "foncier", "fonciere agricole", "\"marchés publics\"", "urbanisme",
        "coconstruction", "co-construction", "e2fsck", "habitat NOT rurale",
        "title:publication", "foncie", "mobilte", "",
    };
    int same = 1;
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        for (int pub = 0; pub < 2; pub++) {
            char *x = describe(wa, queries[i], pub);
            char *y = describe(wb, queries[i], pub);
            if (strcmp(x, y) != 0) {
                tap_diag("query '%s'%s:\n  put:      %.300s\n  prepared: "
                         "%.300s", queries[i], pub ? " (public)" : "", x, y);
                same = 0;
            }
            free(x);
            free(y);
        }
    char *foncier = describe(wb, "foncier", 0);
    tap_ok(strstr(foncier, "<mark>") && strncmp(foncier, "total 0;", 8),
           "the queries find documents, with marked snippets");
    free(foncier);
    tap_ok(same, "the two indexes answer every query the same");

    /* Put once: the index adds the document's group to it. */
    tap_is_int(fouille_index_put_prepared(wb, fx[0].prep),
               FOUILLE_INDEX_INVALID_ARGUMENT, "a second put is refused");
    tap_ok(strstr(fouille_index_last_error(wb), "prepare it again") != NULL,
           "and says what to do: %s", fouille_index_last_error(wb));

    /* A document put() refuses is refused by put_prepared(), with the
     * same message. */
    fouille_index_doc_t bad = fx[1].doc;
    bad.title = "\xff\xfe titre";
    fouille_index_prepared_t *p = fouille_index_prepare(&bad);
    fouille_index_status_t st1 = fouille_index_put(wb, &bad);
    char msg1[256];
    snprintf(msg1, sizeof msg1, "%s", fouille_index_last_error(wb));
    fouille_index_status_t st2 = fouille_index_put_prepared(wb, p);
    tap_ok(p && st1 == FOUILLE_INDEX_INVALID_ARGUMENT && st1 == st2 &&
               strcmp(msg1, fouille_index_last_error(wb)) == 0,
           "invalid UTF-8 in a title: refused at put time, as put() does "
           "(%s)", fouille_index_last_error(wb));
    fouille_index_prepared_free(p);
    bad = fx[1].doc;
    bad.path = "/etc/passwd";
    p = fouille_index_prepare(&bad);
    tap_is_int(fouille_index_put_prepared(wb, p),
               FOUILLE_INDEX_INVALID_ARGUMENT, "an absolute path is refused");
    fouille_index_prepared_free(p);
    fouille_index_prepared_free(NULL);
    tap_ok(fouille_index_put_prepared(wb, NULL) ==
                   FOUILLE_INDEX_INVALID_ARGUMENT &&
               fouille_index_put_prepared(NULL, fx[2].prep) ==
                   FOUILLE_INDEX_INVALID_ARGUMENT,
           "no prepared document, no handle: INVALID_ARGUMENT");
    uint64_t count = 0;
    fouille_index_commit(wb);
    fouille_index_close(wb);
    fouille_index_t *r = NULL;
    fouille_index_open(b, FOUILLE_INDEX_READ, &r, err, sizeof err);
    fouille_index_count(r, &count);
    fouille_index_prepared_t *q = fouille_index_prepare(&fx[3].doc);
    tap_ok(count == NDOCS &&
               fouille_index_put_prepared(r, q) == FOUILLE_INDEX_READ_ONLY,
           "nothing refused was stored (%llu documents); a read-only handle "
           "is refused", (unsigned long long)count);
    fouille_index_prepared_free(q);
    fouille_index_close(r);
    fouille_index_close(wa);
    for (int i = 0; i < NDOCS; i++)
        fouille_index_prepared_free(fx[i].prep);
    tidx_rm_rf(dir);
    free(dir);
    return tap_done();
}
