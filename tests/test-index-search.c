/* test-index-search.c -- the index API end to end: writing, committing
 * and reopening, failure records, the query language, filters, facets,
 * sorting, pagination, snippets, spelling, lookups and the errors a
 * caller must be able to tell apart. Named cases, run in order on one
 * index, each under its own time limit. */
#include <config.h>

#include "fouille-index.h"
#include "tap.h"
#include "test-index-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char page3[] =
    "Introduction générale sur les marchés publics et le foncier.\f"
    "Deuxième page : <script>alert('x')</script> & \"guillemets\" sans "
    "rapport.\f"
    "Troisième page : la mobilité douce en zone rurale.";

struct fixture {
    const char *path, *type, *date, *mime, *title, *text;
    unsigned pages;
};

static const struct fixture docs[] = {
    {"rapports/2021/rapport-foncier.pdf", "rapport", "2021-06-15",
     "application/pdf", "Rapport sur le foncier agricole", page3, 3},
    {"fiches/mobilite.md", "fiche", "2022-03", "text/markdown",
     "Fiche mobilité",
     "Les marchés sont souvent publics. La mobilité des habitants et le "
     "covoiturage.",
     0},
    {"fiches/fonction-publique.txt", "fiche", "2020", "text/plain",
     "La fonction publique",
     "La fonction publique territoriale et les collectivités.", 0},
    {"guides/guide-foncier.txt", "guide", "2023-01-10", "text/plain",
     "Guide foncier",
     "Le foncier agricole. Le portage par les collectivités. Fonciere "
     "sans accent.",
     0},
    {"rapports/2019/ancien.txt", "rapport", "2019-12-01", "text/plain",
     "Ancien rapport", "Un ancien rapport sur l'économie.", 0},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static fouille_index_status_t put_typed(fouille_index_t *w, const char *path,
                                        const char *type, const char *title,
                                        const char *text)
{
    fouille_index_doc_t d;
    memset(&d, 0, sizeof d);
    d.path = path;
    d.signature = "sig";
    d.plugin = "text/1";
    d.mime = "text/plain";
    d.type = type;
    d.title = title;
    d.text = text;
    d.text_len = text ? strlen(text) : 0;
    return fouille_index_put(w, &d);
}

static fouille_index_status_t put(fouille_index_t *w, const char *path,
                                  const char *title, const char *text)
{
    return put_typed(w, path, NULL, title, text);
}

static fouille_index_status_t put_fixture(fouille_index_t *w,
                                          const struct fixture *f)
{
    fouille_index_doc_t d;
    memset(&d, 0, sizeof d);
    d.path = f->path;
    d.signature = "sig-good";
    d.plugin = "test/1.0";
    d.type = f->type;
    d.date = f->date;
    d.mime = f->mime;
    d.title = f->title;
    d.author = "Agence";
    d.size = strlen(f->text);
    d.pages = f->pages;
    d.text = f->text;
    d.text_len = strlen(f->text);
    return fouille_index_put(w, &d);
}

/* ---- foreach / lookup ---------------------------------------------------- */

struct seen {
    char path[512], signature[64], reason[64], title[128];
    int n, n_failed, stop_after;
    const char *want; /* path to capture */
};

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "(null)");
}

static int on_entry(const fouille_index_entry_t *e, void *ctx)
{
    struct seen *s = ctx;
    s->n++;
    if (e->reason)
        s->n_failed++;
    if (s->want && strcmp(e->path, s->want) == 0) {
        copy(s->path, sizeof s->path, e->path);
        copy(s->signature, sizeof s->signature, e->signature);
        copy(s->reason, sizeof s->reason, e->reason);
        copy(s->title, sizeof s->title, e->title);
    }
    return s->stop_after && s->n >= s->stop_after ? 7 : 0;
}

static struct seen walk(fouille_index_t *idx, const char *want)
{
    struct seen s;
    memset(&s, 0, sizeof s);
    s.want = want;
    strcpy(s.reason, "(not seen)");
    fouille_index_foreach(idx, on_entry, &s, NULL);
    return s;
}

static struct seen look(fouille_index_t *idx, const char *path, int *found)
{
    struct seen s;
    memset(&s, 0, sizeof s);
    s.want = path;
    fouille_index_lookup(idx, path, on_entry, &s, found);
    return s;
}

/* ---- searching ----------------------------------------------------------- */

static fouille_results_t *search(fouille_index_t *idx, fouille_query_t *q,
                                 fouille_index_status_t *st)
{
    fouille_results_t *res = NULL;
    *st = fouille_index_search(idx, q, &res);
    return res;
}

static fouille_results_t *search_q(fouille_index_t *idx, const char *qs)
{
    fouille_query_t q;
    fouille_index_status_t st;
    memset(&q, 0, sizeof q);
    q.q = qs;
    return search(idx, &q, &st);
}

static const fouille_hit_t *hit_for(const fouille_results_t *res,
                                    const char *path)
{
    size_t i;
    for (i = 0; i < fouille_results_count(res); i++)
        if (strcmp(fouille_results_hit(res, i)->path, path) == 0)
            return fouille_results_hit(res, i);
    return NULL;
}

/* Hits in order, space-separated (static buffer). */
static const char *order(const fouille_results_t *res)
{
    static char buf[4096];
    size_t i;
    buf[0] = '\0';
    for (i = 0; res && i < fouille_results_count(res); i++) {
        if (i)
            strcat(buf, " ");
        strncat(buf, fouille_results_hit(res, i)->path,
                sizeof buf - strlen(buf) - 2);
    }
    return buf;
}

/* "value=count value=count" (static buffer). */
static const char *facets(const fouille_results_t *res, const char *name)
{
    static char buf[1024];
    size_t n = 0, i;
    const fouille_facet_t *f = fouille_results_facets(res, name, &n);
    buf[0] = '\0';
    for (i = 0; f && i < n; i++) {
        char one[128];
        snprintf(one, sizeof one, "%s%s=%llu", i ? " " : "", f[i].value,
                 (unsigned long long)f[i].count);
        strncat(buf, one, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

/* Search qs; check that *out is set exactly on success. label names the
 * query in the test output (qs may hold invalid bytes). */
static fouille_index_status_t status_of(fouille_index_t *idx, const char *qs,
                                        const char *label)
{
    fouille_query_t q;
    fouille_index_status_t st;
    fouille_results_t *res;
    memset(&q, 0, sizeof q);
    q.q = qs;
    res = search(idx, &q, &st);
    tap_ok((st == FOUILLE_INDEX_OK) == (res != NULL),
           "results are set exactly on success (%s)", label);
    fouille_results_destroy(res);
    return st;
}

/* The state the cases share: one index, written and read in turn. Each
 * case builds on the ones before it; a case that cannot go on returns -1
 * and the rest are not run. */
static char *dir, *db;
static fouille_index_t *w, *r, *w2;

/* Opening errors */
static int case_open_errors(void)
{
    char err[512];
    fouille_index_status_t st;

    st = fouille_index_open(tidx_path(dir, "nothing"), FOUILLE_INDEX_READ, &r,
                            err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_NOT_FOUND,
               "read-open of a missing path: NOT_FOUND");
    tap_ok(r == NULL && err[0], "no handle, a message: %s", err);

    mkdir(tidx_path(dir, "garbage"), 0755);
    {
        FILE *f = fopen(tidx_path(dir, "garbage/iamglass"), "w");
        if (f) {
            fputs("this is not a glass database at all", f);
            fclose(f);
        }
        f = fopen(tidx_path(dir, "garbage/postlist.glass"), "w");
        if (f) {
            fputs("garbage garbage garbage", f);
            fclose(f);
        }
    }
    err[0] = '\0';
    st = fouille_index_open(tidx_path(dir, "garbage"), FOUILLE_INDEX_READ, &r,
                            err, sizeof err);
    tap_ok((st == FOUILLE_INDEX_CORRUPT || st == FOUILLE_INDEX_NOT_FOUND) &&
               r == NULL && err[0],
           "read-open of a garbage index: %s (%s)",
           fouille_index_status_str(st), err);
    st = fouille_index_open(tidx_path(dir, "garbage"), FOUILLE_INDEX_WRITE, &w,
                            err, sizeof err);
    tap_ok((st == FOUILLE_INDEX_CORRUPT || st == FOUILLE_INDEX_NOT_FOUND) &&
               w == NULL,
           "write-open of a garbage index: %s (%s)",
           fouille_index_status_str(st), err);

    mkdir(tidx_path(dir, "documents"), 0755);
    {
        FILE *f = fopen(tidx_path(dir, "documents/notes.txt"), "w");
        if (f) {
            fputs("my notes\n", f);
            fclose(f);
        }
    }
    st = fouille_index_open(tidx_path(dir, "documents"), FOUILLE_INDEX_WRITE,
                            &w, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_INVALID_ARGUMENT,
               "no index is created among other files (%s)", err);
    tap_ok(access(tidx_path(dir, "documents/iamglass"), F_OK) != 0,
           "and nothing was written there");
    tap_is_int(fouille_index_open(NULL, FOUILLE_INDEX_READ, &r, NULL, 0),
               FOUILLE_INDEX_INVALID_ARGUMENT, "NULL path: INVALID_ARGUMENT");
    return 0;
}

/* Writing */
static int case_writing(void)
{
    char err[512];
    fouille_index_status_t st;
    fouille_results_t *res;
    uint64_t count = 0;
    size_t i;
    int found = 0;
    int ok;

    st = fouille_index_open(db, FOUILLE_INDEX_WRITE, &w, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open a new index for writing");
    if (st != FOUILLE_INDEX_OK) {
        tap_diag("%s", err);
        return -1;
    }
    st = fouille_index_open(db, FOUILLE_INDEX_WRITE, &w2, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_LOCKED, "a second writer: LOCKED");
    tap_ok(w2 == NULL && err[0], "with a message: %s", err);

    ok = 1;
    for (i = 0; i < NDOCS; i++)
        ok &= put_fixture(w, &docs[i]) == FOUILLE_INDEX_OK;
    tap_ok(ok, "put %zu documents", NDOCS);
    fouille_index_count(w, &count);
    tap_is_int(count, NDOCS, "the writer counts them before the commit");
    res = search_q(w, "covoiturage");
    tap_is_str(order(res), "fiches/mobilite.md",
               "the writer searches its uncommitted documents");
    fouille_results_destroy(res);
    tap_is_int(fouille_index_commit(w), FOUILLE_INDEX_OK, "commit");

    {
        fouille_index_doc_t d;
        memset(&d, 0, sizeof d);
        tap_is_int(fouille_index_put(w, &d), FOUILLE_INDEX_INVALID_ARGUMENT,
                   "put without a path: INVALID_ARGUMENT");
        tap_is_int(put(w, "/etc/passwd", NULL, "x"),
                   FOUILLE_INDEX_INVALID_ARGUMENT,
                   "put with an absolute path: INVALID_ARGUMENT");
        tap_is_int(put(w, "bad/title.txt", "caf\xc3", "x"),
                   FOUILLE_INDEX_INVALID_ARGUMENT,
                   "put with an invalid UTF-8 title: INVALID_ARGUMENT");
        tap_ok(fouille_index_last_error(w)[0] != '\0',
               "last_error explains it: %s", fouille_index_last_error(w));
    }

    st = fouille_index_open(db, FOUILLE_INDEX_READ, &r, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open a reader");
    if (st != FOUILLE_INDEX_OK)
        return -1;
    fouille_index_count(r, &count);
    tap_is_int(count, NDOCS, "the reader counts the committed documents");
    tap_is_int(put(r, "x.txt", NULL, "x"), FOUILLE_INDEX_READ_ONLY,
               "put on a reader: READ_ONLY");
    tap_is_int(fouille_index_commit(r), FOUILLE_INDEX_READ_ONLY,
               "commit on a reader: READ_ONLY");

    /* Add, replace, delete, as a reader sees them. */
    put(w, "news/n1.txt", "Actualité", "Une actualité foncière.");
    res = search_q(r, "actualité");
    tap_is_int(fouille_results_count(res), 0,
               "uncommitted: the reader does not see it");
    fouille_results_destroy(res);
    fouille_index_commit(w);
    tap_is_int(fouille_index_reopen(r), FOUILLE_INDEX_OK, "reopen");
    res = search_q(r, "actualite");
    tap_is_str(order(res), "news/n1.txt", "committed and reopened: found");
    fouille_results_destroy(res);
    put(w, "news/n1.txt", "Nouvelle", "Une nouvelle version.");
    fouille_index_commit(w);
    fouille_index_reopen(r);
    res = search_q(r, "actualité");
    tap_is_int(fouille_results_count(res), 0, "replaced: the old text is gone");
    fouille_results_destroy(res);
    res = search_q(r, "nouvelle version");
    tap_is_str(order(res), "news/n1.txt", "replaced: the new text is found");
    fouille_results_destroy(res);
    fouille_index_count(r, &count);
    tap_is_int(count, NDOCS + 1, "replacing does not add a document");
    tap_is_int(fouille_index_delete(w, "news/n1.txt"), FOUILLE_INDEX_OK,
               "delete");
    tap_is_int(fouille_index_delete(w, "never/there.txt"), FOUILLE_INDEX_OK,
               "deleting a missing path is OK");
    fouille_index_commit(w);
    fouille_index_reopen(r);
    fouille_index_count(r, &count);
    tap_is_int(count, NDOCS, "deleted");
    look(r, "news/n1.txt", &found);
    tap_is_int(found, 0, "lookup after delete: not found");
    return 0;
}

/* Failure records */
static int case_failure_records(void)
{
    fouille_results_t *res;
    uint64_t count = 0;
    int found = 0;
    struct seen s;

    tap_is_int(fouille_index_put_failure(w, "broken/x.pdf", "sig-1",
                                         "application/pdf", "pdf/1.0",
                                         "encrypted", 0),
               FOUILLE_INDEX_OK, "put_failure of a new path");
    tap_is_int(fouille_index_put_failure(w, "guides/guide-foncier.txt",
                                         "sig-new", NULL, NULL, "timeout", 0),
               FOUILLE_INDEX_OK, "put_failure over a good document, kept");
    put(w, "tmp/doomed.txt", "Doomed", "Un texte condamné.");
    tap_is_int(fouille_index_put_failure(w, "tmp/doomed.txt", "sig-2",
                                         "text/plain", "text/1", "crashed", 1),
               FOUILLE_INDEX_OK, "put_failure replacing a document");
    fouille_index_commit(w);
    fouille_index_reopen(r);
    fouille_index_count(r, &count);
    tap_is_int(count, NDOCS, "failure records are not counted");
    res = search_q(r, "");
    tap_is_int(fouille_results_total(res), NDOCS,
               "nor listed by an empty query");
    fouille_results_destroy(res);
    res = search_q(r, "encrypted OR broken OR condamné OR doomed");
    tap_is_int(fouille_results_count(res), 0, "nor searchable");
    fouille_results_destroy(res);
    res = search_q(r, "portage");
    tap_is_str(order(res), "guides/guide-foncier.txt",
               "the kept document is still searchable");
    fouille_results_destroy(res);
    s = walk(r, "broken/x.pdf");
    tap_is_int(s.n, NDOCS + 2, "foreach walks documents and failures");
    tap_is_int(s.n_failed, 3, "three entries carry a reason");
    tap_is_str(s.reason, "encrypted", "foreach reports the failure's reason");
    tap_is_str(s.signature, "sig-1", "and its signature");
    s = walk(r, "guides/guide-foncier.txt");
    tap_is_str(s.reason, "timeout", "a kept document reports the failure");
    tap_is_str(s.signature, "sig-new", "with the failure's signature");
    tap_is_str(s.title, "Guide foncier", "and its own title");
    s = look(r, "tmp/doomed.txt", &found);
    tap_ok(found && strcmp(s.reason, "crashed") == 0,
           "lookup of a replaced document: the failure (%s)", s.reason);
    s = look(r, "fiches/mobilite.md", &found);
    tap_ok(found && strcmp(s.reason, "(null)") == 0 &&
               strcmp(s.signature, "sig-good") == 0 &&
               strcmp(s.title, "Fiche mobilité") == 0,
           "lookup of a document: no reason, its signature and title");
    put_fixture(w, &docs[3]);
    fouille_index_commit(w);
    fouille_index_reopen(r);
    s = look(r, "guides/guide-foncier.txt", &found);
    tap_is_str(s.reason, "(null)", "a new put forgets the failure");
    {
        struct seen stop;
        int cbr = 0;
        memset(&stop, 0, sizeof stop);
        stop.stop_after = 2;
        fouille_index_foreach(r, on_entry, &stop, &cbr);
        tap_ok(stop.n == 2 && cbr == 7, "a callback stops the walk (%d, %d)",
               stop.n, cbr);
    }
    return 0;
}

/* Queries */
static int case_queries(void)
{
    fouille_index_status_t st;
    fouille_results_t *res;
    fouille_query_t q;

    res = search_q(r, "\"marchés publics\"");
    tap_is_str(order(res), "rapports/2021/rapport-foncier.pdf",
               "a phrase matches adjacent words only");
    fouille_results_destroy(res);
    res = search_q(r, "marches publics");
    {
        size_t all = 0;
        for (size_t i = 0; i < fouille_results_count(res); i++)
            all += fouille_results_hit(res, i)->missing_count == 0;
        tap_is_int((int)all, 2, "the same words without quotes: 2 hold both");
    }
    fouille_results_destroy(res);
    res = search_q(r, "foncier AND mobilité");
    tap_is_str(order(res), "rapports/2021/rapport-foncier.pdf", "AND");
    fouille_results_destroy(res);
    res = search_q(r, "foncier OR mobilité");
    tap_is_int(fouille_results_count(res), 3, "OR");
    fouille_results_destroy(res);
    res = search_q(r, "foncier NOT mobilité");
    tap_is_str(order(res), "guides/guide-foncier.txt", "NOT");
    fouille_results_destroy(res);
    res = search_q(r, "foncier -mobilité");
    tap_is_str(order(res), "guides/guide-foncier.txt", "-word");
    fouille_results_destroy(res);
    res = search_q(r, "title:mobilité");
    tap_is_str(order(res), "fiches/mobilite.md", "title: searches titles only");
    fouille_results_destroy(res);
    memset(&q, 0, sizeof q);
    q.q = "fonc*";
    tap_is_str(tidx_paths(r, &q),
               "fiches/fonction-publique.txt guides/guide-foncier.txt "
               "rapports/2021/rapport-foncier.pdf",
               "wildcard fonc*");
    q.q = "fonc";
    tap_is_str(tidx_paths(r, &q), "", "fonc alone is not a word");
    q.prefix_last = 1;
    tap_is_str(tidx_paths(r, &q),
               "fiches/fonction-publique.txt guides/guide-foncier.txt "
               "rapports/2021/rapport-foncier.pdf",
               "prefix_last: fonc finds foncier and fonction");
    q.q = "marchés pub";
    tap_is_str(tidx_paths(r, &q),
               "fiches/mobilite.md rapports/2021/rapport-foncier.pdf",
               "prefix_last: marchés pub");

    /* Text typed in a search box is never refused: half-typed syntax is
     * searched as its words. */
    st = status_of(r, "AND OR (", "AND OR (");
    tap_is_int(st, FOUILLE_INDEX_OK, "AND OR ( is repaired, not refused");
    {
        char *want = strdup(tidx_find(r, "foncier"));
        tap_is_str(tidx_find(r, "foncier AND"), want,
                   "foncier AND finds what foncier finds");
        tap_is_str(tidx_find(r, "(foncier OR"), want,
                   "(foncier OR finds what foncier finds");
        tap_is_str(tidx_find(r, "foncier NOT"), want,
                   "foncier NOT finds what foncier finds");
        free(want);
    }
    st = status_of(r, "\"unclosed phrase", "unclosed quote");
    tap_ok(st == FOUILLE_INDEX_OK || st == FOUILLE_INDEX_BAD_QUERY,
           "an unclosed quote: %s", fouille_index_status_str(st));
    st = status_of(r, "((((foncier", "((((foncier");
    tap_ok(st == FOUILLE_INDEX_OK || st == FOUILLE_INDEX_BAD_QUERY,
           "unbalanced parentheses: %s", fouille_index_status_str(st));
    st = status_of(r, "* ) : + - \" NEAR/ ' ’ «»", "punctuation");
    tap_ok(st == FOUILLE_INDEX_OK || st == FOUILLE_INDEX_BAD_QUERY,
           "punctuation only: %s", fouille_index_status_str(st));
    tap_is_int(status_of(r, "\xff\xfe foncier", "bytes ff fe"),
               FOUILLE_INDEX_INVALID_ARGUMENT,
               "invalid UTF-8: INVALID_ARGUMENT");
    tap_is_int(status_of(r, "caf\xc3", "truncated sequence"),
               FOUILLE_INDEX_INVALID_ARGUMENT,
               "truncated UTF-8: INVALID_ARGUMENT");
    tap_is_int(status_of(r, "\xc0\xaf", "overlong sequence"),
               FOUILLE_INDEX_INVALID_ARGUMENT,
               "overlong UTF-8: INVALID_ARGUMENT");
    {
        char *longq = malloc(FOUILLE_INDEX_QUERY_MAX + 2);
        memset(longq, 'a', FOUILLE_INDEX_QUERY_MAX + 1);
        longq[FOUILLE_INDEX_QUERY_MAX + 1] = '\0';
        tap_is_int(
            status_of(r, longq, "long query"), FOUILLE_INDEX_INVALID_ARGUMENT,
            "a query over %d bytes: INVALID_ARGUMENT", FOUILLE_INDEX_QUERY_MAX);
        free(longq);
    }
    return 0;
}

/* Filters, facets, sorting, pages */
static int case_filters_facets_pages(void)
{
    fouille_index_status_t st;
    fouille_results_t *res;
    fouille_query_t q;
    const fouille_hit_t *h;

    memset(&q, 0, sizeof q);
    q.type = "rapport";
    tap_is_str(tidx_paths(r, &q),
               "rapports/2019/ancien.txt rapports/2021/rapport-foncier.pdf",
               "type filter");
    memset(&q, 0, sizeof q);
    q.q = "foncier";
    q.type = "guide";
    tap_is_str(tidx_paths(r, &q), "guides/guide-foncier.txt",
               "query with a type filter");
    memset(&q, 0, sizeof q);
    q.year = "2021";
    tap_is_str(tidx_paths(r, &q), "rapports/2021/rapport-foncier.pdf",
               "year filter");
    memset(&q, 0, sizeof q);
    q.mime = "text/plain";
    tap_is_str(tidx_paths(r, &q),
               "fiches/fonction-publique.txt guides/guide-foncier.txt "
               "rapports/2019/ancien.txt",
               "MIME filter");

    memset(&q, 0, sizeof q);
    res = search(r, &q, &st);
    tap_is_str(facets(res, "type"), "fiche=2 rapport=2 guide=1",
               "type facet, by count then value");
    tap_is_str(facets(res, "year"), "2019=1 2020=1 2021=1 2022=1 2023=1",
               "year facet");
    {
        size_t n = 99;
        tap_ok(fouille_results_facets(res, "colour", &n) == NULL && n == 0,
               "an unknown facet: NULL");
    }
    tap_is_str(order(res),
               "guides/guide-foncier.txt fiches/mobilite.md "
               "rapports/2021/rapport-foncier.pdf fiches/fonction-publique.txt "
               "rapports/2019/ancien.txt",
               "an empty query lists by date, newest first");
    h = hit_for(res, "rapports/2019/ancien.txt");
    tidx_is(h ? h->snippet : NULL, "Un ancien rapport sur l&#39;économie.",
            "a listing's snippet is the start of the text");
    fouille_results_destroy(res);

    memset(&q, 0, sizeof q);
    q.q = "foncier";
    res = search(r, &q, &st);
    tap_is_str(facets(res, "type"), "guide=1 rapport=1",
               "facets count the matches only");
    fouille_results_destroy(res);
    q.sort = FOUILLE_SORT_DATE;
    res = search(r, &q, &st);
    tap_is_str(order(res),
               "guides/guide-foncier.txt rapports/2021/rapport-foncier.pdf",
               "sort by date");
    fouille_results_destroy(res);

    {
        char all[4096], paged[4096] = "";
        unsigned off;
        int stable = 1;
        memset(&q, 0, sizeof q);
        res = search(r, &q, &st);
        snprintf(all, sizeof all, "%s", order(res));
        fouille_results_destroy(res);
        q.limit = 2;
        for (off = 0; off < 6; off += 2) {
            q.offset = off;
            res = search(r, &q, &st);
            stable &= fouille_results_total(res) == NDOCS;
            if (fouille_results_count(res)) {
                if (paged[0])
                    strcat(paged, " ");
                strcat(paged, order(res));
            }
            fouille_results_destroy(res);
        }
        tap_ok(stable, "pagination: the total stays %zu", NDOCS);
        tidx_is(paged, all, "pages of 2 put together give the full list");
        q.offset = 100;
        res = search(r, &q, &st);
        tap_ok(st == FOUILLE_INDEX_OK && fouille_results_count(res) == 0 &&
                   fouille_results_hit(res, 0) == NULL,
               "an offset past the end: no hits");
        fouille_results_destroy(res);
    }

    /* Title words weigh more than body words. */
    res = search_q(r, "agricole");
    tap_is_str(order(res),
               "rapports/2021/rapport-foncier.pdf guides/guide-foncier.txt",
               "a title match ranks first");
    h = fouille_results_hit(res, 0);
    tap_ok(h && h->score > 0 && h->score <= 100, "score is a percentage (%g)",
           h ? h->score : -1.0);
    fouille_results_destroy(res);
    return 0;
}

/* Hits and snippets */
static int case_hits_snippets(void)
{
    fouille_index_status_t st;
    fouille_results_t *res;
    fouille_query_t q;
    const fouille_hit_t *h;

    res = search_q(r, "guillemets");
    h = fouille_results_hit(res, 0);
    tap_ok(h != NULL, "a hit");
    if (h) {
        tap_is_str(h->path, "rapports/2021/rapport-foncier.pdf", "its path");
        tap_is_str(h->title, "Rapport sur le foncier agricole", "its title");
        tap_is_str(h->type, "rapport", "its type");
        tap_is_str(h->date, "2021-06-15", "its date");
        tap_is_str(h->mime, "application/pdf", "its MIME type");
        tap_is_str(h->author, "Agence", "its author");
        tap_is_int(h->pages, 3, "its page count");
        tap_is_int(h->size, strlen(page3), "its size");
        tap_ok(strstr(h->snippet, "<mark>guillemets</mark>") != NULL,
               "the match is marked: %s", h->snippet);
        tap_ok(strstr(h->snippet,
                      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") &&
                   strstr(h->snippet, "&amp;") &&
                   strstr(h->snippet, "&quot;") &&
                   !strstr(h->snippet, "<script"),
               "the text is HTML-escaped");
        tap_is_int(h->page, 2, "the snippet is on page 2");
    }
    fouille_results_destroy(res);
    res = search_q(r, "douce");
    h = hit_for(res, "rapports/2021/rapport-foncier.pdf");
    tap_ok(h && h->page == 3, "a match on page 3 gives page 3 (%u)",
           h ? h->page : 0);
    fouille_results_destroy(res);
    res = search_q(r, "introduction");
    h = hit_for(res, "rapports/2021/rapport-foncier.pdf");
    tap_ok(h && h->page == 1, "a match on page 1 gives page 1 (%u)",
           h ? h->page : 0);
    fouille_results_destroy(res);
    res = search_q(r, "foncière");
    h = hit_for(res, "guides/guide-foncier.txt");
    tap_ok(h && strstr(h->snippet, "<mark>foncier</mark>") &&
               strstr(h->snippet, "<mark>Fonciere</mark>") && h->page == 0,
           "every form is marked, no page without pages: %s",
           h ? h->snippet : "(none)");
    fouille_results_destroy(res);
    res = search_q(r, "covoit*");
    h = fouille_results_hit(res, 0);
    tap_ok(h && strstr(h->snippet, "<mark>covoiturage</mark>"),
           "wildcard matches are marked: %s", h ? h->snippet : "(none)");
    fouille_results_destroy(res);

    {
        /* A long text: the snippet is a window around the best spot. */
        char *text = malloc(20000);
        size_t len = 0;
        int k;
        for (k = 0; k < 150; k++)
            len +=
                sprintf(text + len, "Remplissage numéro %d sans intérêt. ", k);
        len += sprintf(text + len, "Le portage foncier agricole et la "
                                   "mobilité rurale. ");
        for (k = 0; k < 150; k++)
            len += sprintf(text + len, "Encore du texte %d. ", k);
        put(w, "long/texte.txt", "Long", text);
        free(text);
        fouille_index_commit(w);
        fouille_index_reopen(r);
        memset(&q, 0, sizeof q);
        q.q = "portage rurale";
        q.snippet_chars = 120;
        res = search(r, &q, &st);
        h = hit_for(res, "long/texte.txt");
        tap_ok(h && strncmp(h->snippet, "\xE2\x80\xA6", 3) == 0 &&
                   strcmp(h->snippet + strlen(h->snippet) - 3,
                          "\xE2\x80\xA6") == 0,
               "a window in the middle is cut with … on both sides: %s",
               h ? h->snippet : "(none)");
        tap_ok(h && strstr(h->snippet, "<mark>portage</mark>") &&
                   strstr(h->snippet, "<mark>rurale</mark>"),
               "and holds both words");
        tap_ok(h && strlen(h->snippet) < 120 * 2 + 60,
               "and about snippet_chars long (%zu bytes)",
               h ? strlen(h->snippet) : 0);
        fouille_results_destroy(res);
    }
    return 0;
}

/* Spelling */
static int case_spelling(void)
{
    fouille_results_t *res;

    res = search_q(r, "fonceir");
    tap_is_str(fouille_results_suggestion(res), "foncier",
               "fonceir -> foncier");
    fouille_results_destroy(res);
    res = search_q(r, "Portage fonceir");
    tap_is_str(fouille_results_suggestion(res), "Portage foncier",
               "the suggestion keeps the user's other words");
    fouille_results_destroy(res);
    res = search_q(r, "foncier");
    tap_ok(fouille_results_suggestion(res) == NULL,
           "no suggestion for a known word");
    fouille_results_destroy(res);
    return 0;
}

/* Paths and odd text */
static int case_paths_odd_text(void)
{
    fouille_results_t *res;
    const fouille_hit_t *h;
    size_t i;
    int found = 0;

    {
        char longpath[400];
        memset(longpath, 'd', sizeof longpath);
        for (i = 50; i < 350; i += 50)
            longpath[i] = '/';
        strcpy(longpath + 350, "/fichier.txt");
        tap_is_int(put(w, longpath, "Chemin long", "Le xylophone."),
                   FOUILLE_INDEX_OK, "a %zu-byte path", strlen(longpath));
        tap_is_int(put(w, "odd/bytes.txt", "Octets",
                       "avant \xff\xfe apres zygomatique"),
                   FOUILLE_INDEX_OK, "text with invalid UTF-8 is kept");
        fouille_index_commit(w);
        fouille_index_reopen(r);
        res = search_q(r, "xylophone");
        tidx_is(order(res), longpath, "found by a word, path intact");
        fouille_results_destroy(res);
        look(r, longpath, &found);
        tap_is_int(found, 1, "lookup of the long path");
        fouille_index_delete(w, longpath);
        fouille_index_commit(w);
        fouille_index_reopen(r);
        look(r, longpath, &found);
        tap_is_int(found, 0, "the long path deleted");
        res = search_q(r, "zygomatique");
        h = fouille_results_hit(res, 0);
        tap_ok(h && strstr(h->snippet, "\xEF\xBF\xBD"),
               "invalid bytes come back as U+FFFD: %s",
               h ? h->snippet : "(none)");
        fouille_results_destroy(res);
    }
    return 0;
}

/* The reader's memo of stored records (fouille_index_set_record_memo):
 * what a search shows is the revision open, not what an earlier search of
 * an older one read, and the same with the memo, without it, or with one
 * too small to keep anything for long. */
static char *memo_text(const char *word)
{
    /* Several chunks of text, the word in the last. */
    static const char filler[] = "La commune publie un rapport annuel. ";
    size_t n = 60 * (sizeof filler - 1) + 64;
    char *t = malloc(n), *p = t;
    for (int i = 0; t && i < 60; i++)
        p += sprintf(p, "%s", filler);
    if (t)
        sprintf(p, "Le mot pyrogravure %s.", word);
    return t;
}

static int same_hits(const fouille_results_t *a, const fouille_results_t *b)
{
    if (fouille_results_count(a) != fouille_results_count(b))
        return 0;
    for (size_t i = 0; i < fouille_results_count(a); i++) {
        const fouille_hit_t *x = fouille_results_hit(a, i);
        const fouille_hit_t *y = fouille_results_hit(b, i);
        if (strcmp(x->path, y->path) || strcmp(x->snippet, y->snippet) ||
            strcmp(x->title ? x->title : "", y->title ? y->title : "") ||
            x->page != y->page || x->size != y->size)
            return 0;
    }
    return 1;
}

/* Totals and facets alike (a writer's handle counts facets from the
 * values, a reader's through its memo). */
static int same_facets(const fouille_results_t *a, const fouille_results_t *b)
{
    static const char *const names[] = {"type", "year", "folder"};
    if (fouille_results_total(a) != fouille_results_total(b))
        return 0;
    for (size_t k = 0; k < 3; k++) {
        size_t na = 0, nb = 0;
        const fouille_facet_t *fa = fouille_results_facets(a, names[k], &na);
        const fouille_facet_t *fb = fouille_results_facets(b, names[k], &nb);
        if (na != nb)
            return 0;
        for (size_t i = 0; i < na; i++)
            if (strcmp(fa[i].value, fb[i].value) || fa[i].count != fb[i].count)
                return 0;
    }
    return 1;
}

static int case_record_memo(void)
{
    fouille_results_t *res, *other;
    const fouille_hit_t *h;
    fouille_index_t *bare = NULL, *tiny = NULL;
    char err[256];
    char *old_text = memo_text("ancienne"), *new_text = memo_text("nouvelle");

    tap_ok(old_text && new_text, "texts made");
    if (!old_text || !new_text)
        return -1;
    put_typed(w, "memo/long.txt", "note", "Premier titre", old_text);
    fouille_index_commit(w);
    fouille_index_reopen(r);
    for (int round = 0; round < 2; round++) {
        res = search_q(r, "pyrogravure");
        h = fouille_results_hit(res, 0);
        tap_ok(h && strcmp(h->title, "Premier titre") == 0 &&
                   strstr(h->snippet, "ancienne"),
               "search %d: the title and text stored: %s", round + 1,
               h ? h->snippet : "(none)");
        fouille_results_destroy(res);
    }
    res = search_q(r, "pyrogravure");
    tap_is_str(facets(res, "type"), "note=1", "its type counted");
    fouille_results_destroy(res);
    put_typed(w, "memo/long.txt", "lettre", "Second titre", new_text);
    fouille_index_commit(w);
    fouille_index_reopen(r);
    res = search_q(r, "pyrogravure");
    h = fouille_results_hit(res, 0);
    tap_ok(h && strcmp(h->title, "Second titre") == 0 &&
               strstr(h->snippet, "nouvelle") &&
               !strstr(h->snippet, "ancienne"),
           "replaced and reopened: the new title and text: %s",
           h ? h->snippet : "(none)");
    tap_is_str(facets(res, "type"), "lettre=1", "and its new type counted");
    fouille_results_destroy(res);

    tap_is_int(fouille_index_open(db, FOUILLE_INDEX_READ, &bare, err,
                                  sizeof err),
               FOUILLE_INDEX_OK, "a reader without the memo");
    tap_is_int(fouille_index_open(db, FOUILLE_INDEX_READ, &tiny, err,
                                  sizeof err),
               FOUILLE_INDEX_OK, "a reader with a tiny memo");
    fouille_index_set_record_memo(bare, 0);
    fouille_index_set_record_memo(tiny, 2048);
    fouille_index_set_record_memo(NULL, 0); /* accepted */
    static const char *const queries[] = {
        "pyrogravure", "foncier", "collectivités", "rapport", "", "guillemets",
        "nouvelle OR foncier", "économie"};
    int same = 0, n = 0;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            res = search_q(r, queries[i]);
            other = search_q(bare, queries[i]);
            same += same_hits(res, other);
            fouille_results_destroy(other);
            other = search_q(tiny, queries[i]);
            same += same_hits(res, other);
            fouille_results_destroy(other);
            other = search_q(w, queries[i]);
            same += same_facets(res, other);
            n += 3;
            fouille_results_destroy(other);
            fouille_results_destroy(res);
        }
    tap_is_int(same, n, "the same hits and snippets with, without and with "
                        "a tiny memo; the same totals and facets as the "
                        "writer's");
    fouille_index_delete(w, "memo/long.txt");
    fouille_index_commit(w);
    fouille_index_reopen(r);
    fouille_index_close(bare);
    fouille_index_close(tiny);
    free(old_text);
    free(new_text);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(void);
} cases[] = {
    {"open_errors", case_open_errors},
    {"writing", case_writing},
    {"failure_records", case_failure_records},
    {"queries", case_queries},
    {"filters_facets_pages", case_filters_facets_pages},
    {"hits_snippets", case_hits_snippets},
    {"spelling", case_spelling},
    {"paths_odd_text", case_paths_odd_text},
    {"record_memo", case_record_memo},
};

int main(void)
{
    dir = tidx_mkdtemp();
    if (!dir) {
        tap_skip_all("no temporary directory");
        return 0;
    }
    db = strdup(tidx_path(dir, "db"));
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tap_diag("case %s", cases[k].name);
        alarm(60); /* each case has its own time limit */
        if (cases[k].run() < 0)
            break;
    }
    alarm(0);
    fouille_index_close(r);
    fouille_index_close(w2);
    fouille_index_close(w);
    tidx_rm_rf(dir);
    free(db);
    free(dir);
    return tap_done();
}
