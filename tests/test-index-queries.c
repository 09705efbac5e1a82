/* test-index-queries.c -- queries as people type them: French function
 * words, relaxed answers when every word together matches too little,
 * typo corrections, half-typed syntax, synonyms, and one hit per
 * publication whatever the number of its formats. */
#include <config.h>

#include "fouille-index.h"
#include "tap.h"
#include "test-index-util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The same text in four formats (one publication), and another document
 * of the same title whose text differs. */
static const char report[] =
    "Le réseau des collectivités a animé des rencontres sur la commande "
    "publique responsable, la coopération territoriale, les monnaies "
    "locales complémentaires, le développement des circuits alimentaires de "
    "proximité, la mobilité rurale partagée et la transition écologique des "
    "territoires. Les adhérents ont partagé leurs expériences lors de "
    "journées thématiques régionales et nationales, avec des élus, des "
    "techniciens et des partenaires associatifs.";

static const struct {
    const char *path, *mime, *title, *text;
} docs[] = {
    {"fiches/epicerie.md", "text/markdown", "Épicerie solidaire à Lyon",
     "Financer une épicerie solidaire : subventions et dons."},
    {"guides/foncier.txt", "text/plain", "Guide foncier",
     "Le foncier agricole et l'établissement public foncier."},
    {"presse/depeche.md", "text/markdown", "Dépêche",
     "L'économie sociale et solidaire progresse dans les territoires."},
    {"presse/acronyme.md", "text/markdown", "Brève",
     "L'ESS recrute des salariés."},
    {"presse/epf.md", "text/markdown", "Brève",
     "L'EPF de Bretagne achète des terres."},
    {"rapports/rapport.pdf", "application/pdf", "Rapport d'activité 2017",
     report},
    {"rapports/rapport.html", "text/html", "Rapport d’activité 2017", report},
    {"rapports/rapport.md", "text/markdown", "RAPPORT D'ACTIVITÉ 2017",
     report},
    {"rapports/rapport.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml."
     "document",
     "Rapport d'activité 2017", report},
    {"guides/ssh.txt", "text/plain", "Connexion à distance",
     "Le fichier sshd_config règle le serveur."},
    {"rapports/autre.md", "text/markdown", "Rapport d'activité 2017",
     "Un tout autre texte : la chorale municipale répète le jeudi soir "
     "dans la salle des fêtes, avec un piano désaccordé."},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static fouille_results_t *search(fouille_index_t *r, const char *qs,
                                 const fouille_synonyms_t *syn, int no_group,
                                 const char *prefer)
{
    fouille_query_t q;
    fouille_results_t *res = NULL;
    memset(&q, 0, sizeof q);
    q.q = qs;
    q.limit = 100;
    q.synonyms = syn;
    q.no_group = no_group;
    q.prefer = prefer;
    if (fouille_index_search(r, &q, &res) != FOUILLE_INDEX_OK)
        return NULL;
    return res;
}

/* "path1 path2 ..." of a result page, in rank order. */
static const char *paths(const fouille_results_t *res)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; res && i < fouille_results_count(res); i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, fouille_results_hit(res, i)->path);
    }
    return res ? buf : "ERROR";
}

/* "missing1,missing2" of hit i. */
static const char *missing(const fouille_results_t *res, size_t i)
{
    static char buf[512];
    const fouille_hit_t *h = res ? fouille_results_hit(res, i) : NULL;
    buf[0] = '\0';
    for (size_t k = 0; h && k < h->missing_count; k++) {
        if (k)
            strcat(buf, ",");
        strcat(buf, h->missing[k]);
    }
    return buf;
}

static const char *sorted_paths(const char *qs, const fouille_synonyms_t *syn,
                                fouille_index_t *r)
{
    fouille_query_t q;
    memset(&q, 0, sizeof q);
    q.q = qs;
    q.limit = 100;
    q.synonyms = syn;
    return tidx_paths(r, &q);
}

static void test_relaxed(fouille_index_t *r)
{
    fouille_results_t *res;

    res = search(r, "comment financer une épicerie solidaire ?", NULL, 0, NULL);
    tap_ok(res && fouille_results_count(res) >= 1 &&
               strcmp(fouille_results_hit(res, 0)->path,
                      "fiches/epicerie.md") == 0,
           "a question's function words do not constrain matching (%s)",
           paths(res));
    tap_is_str(missing(res, 0), "", "its hit lacks none of the words");
    fouille_results_destroy(res);

    res = search(r, "épicerie solidaire zzkw", NULL, 0, NULL);
    tap_ok(res && fouille_results_relaxed(res),
           "a word no document holds relaxes the query");
    tap_ok(res && fouille_results_count(res) >= 1 &&
               strcmp(fouille_results_hit(res, 0)->path,
                      "fiches/epicerie.md") == 0,
           "the document holding the most words comes first");
    tap_is_str(missing(res, 0), "zzkw", "and says which word it lacks");
    fouille_results_destroy(res);

    res = search(r, "ÉPICERIE agricole zzkw", NULL, 0, NULL);
    tap_ok(res && fouille_results_relaxed(res) &&
               fouille_results_count(res) == 2,
           "relaxed: every document holding one of the words");
    tap_is_str(missing(res, 1), "ÉPICERIE,zzkw",
               "missing words are given as typed");
    fouille_results_destroy(res);

    res = search(r, "sshd_config serveur zzkw", NULL, 0, NULL);
    tap_ok(res && fouille_results_relaxed(res) &&
               fouille_results_count(res) >= 1 &&
               strcmp(fouille_results_hit(res, 0)->path, "guides/ssh.txt") == 0,
           "a query starting with a compound is relaxed too (%s)", paths(res));
    fouille_results_destroy(res);

    static const char *const explicit_ops[] = {
        "épicerie AND zzkw", "\"épicerie zzkw\"", "+zzkw épicerie",
        "épicerie -solidaire zzkw", "(épicerie zzkw)", "title:épicerie zzkw"};
    for (size_t i = 0; i < sizeof explicit_ops / sizeof explicit_ops[0]; i++) {
        res = search(r, explicit_ops[i], NULL, 0, NULL);
        tap_ok(res && !fouille_results_relaxed(res) &&
                   fouille_results_total(res) == 0,
               "explicit operators are never relaxed: %s", explicit_ops[i]);
        fouille_results_destroy(res);
    }
}

static void test_typos(fouille_index_t *r)
{
    fouille_results_t *res;
    size_t n = 0;
    const fouille_correction_t *c;

    res = search(r, "fonsier", NULL, 0, NULL);
    c = fouille_results_corrections(res, &n);
    tap_ok(n == 1 && strcmp(c[0].typed, "fonsier") == 0 &&
               strcmp(c[0].used, "foncier") == 0,
           "fonsier is corrected to foncier");
    tap_ok(strstr(paths(res), "guides/foncier.txt") != NULL,
           "and finds the documents of foncier");
    fouille_results_destroy(res);

    res = search(r, "subvetions épicerie", NULL, 0, NULL);
    c = fouille_results_corrections(res, &n);
    tap_ok(n == 1 && strcmp(c[0].used, "subventions") == 0,
           "a word missing a letter is corrected (%s)", n ? c[0].used : "-");
    tap_is_str(paths(res), "fiches/epicerie.md",
               "and the query matches with the correction");
    fouille_results_destroy(res);

    static const char *const left[] = {"fonc", "2018", "toncier", "zzkw"};
    static const char *const why[] = {"a word under 5 letters", "a number",
                                      "another first letter", "no close word"};
    for (size_t i = 0; i < 4; i++) {
        res = search(r, left[i], NULL, 0, NULL);
        fouille_results_corrections(res, &n);
        tap_ok(res && n == 0, "no correction for %s (%s)", why[i], left[i]);
        fouille_results_destroy(res);
    }
}

static void test_syntax(fouille_index_t *r)
{
    static const char *const typed[] = {
        "foncier AND", "AND",      "OR OR",        "(((",
        ")))",         "\"",       "-",            "*",
        "+",           "foncier NOT", "NEAR",      "title:",
        "\"foncier",   "foncier)", "a NEAR/3",     "((foncier OR épicerie",
        "foncier AND AND agricole", "NOT NOT", "\"\"", "foncier -",
        "« foncier", "foncier*)", "XOR foncier"};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        fouille_results_t *res = search(r, typed[i], NULL, 0, NULL);
        tap_ok(res != NULL, "text typed in a box is never refused: %s (%s)",
               typed[i], res ? "ok" : fouille_index_last_error(r));
        fouille_results_destroy(res);
    }
}

static void test_synonyms(fouille_index_t *r, const char *dir)
{
    const char *file = tidx_path(dir, "synonyms.txt");
    FILE *f = fopen(file, "w");
    fouille_synonyms_t *syn = NULL;
    char err[256];
    if (!f) {
        tap_ok(0, "write a synonyms file");
        return;
    }
    fputs("# the network's words\n"
          "ESS, économie sociale et solidaire\n"
          "EPF => établissement public foncier\n",
          f);
    fclose(f);
    tap_is_int(fouille_synonyms_load(file, &syn, err, sizeof err),
               FOUILLE_INDEX_OK, "load a synonyms file (%s)", err);
    tap_ok(fouille_synonyms_count(syn) == 3, "a group of 2 and a one-way rule");

    tap_is_str(sorted_paths("ESS", syn, r), "presse/acronyme.md presse/depeche.md",
               "an acronym finds its expansion");
    tap_is_str(sorted_paths("économies sociales et solidaires", syn, r),
               "presse/acronyme.md presse/depeche.md",
               "and the expansion, inflected, finds the acronym");
    tap_is_str(sorted_paths("ESS", NULL, r), "presse/acronyme.md",
               "without synonyms, only the acronym");
    tap_is_str(sorted_paths("EPF", syn, r), "guides/foncier.txt presse/epf.md",
               "a one-way rule expands its left side");
    tap_ok(strstr(sorted_paths("établissement public foncier", syn, r),
                  "presse/epf.md") == NULL,
           "and not its right side");
    {
        fouille_results_t *res = search(r, "ESS", syn, 0, NULL);
        tap_ok(res && fouille_results_count(res) == 2 &&
                   strcmp(fouille_results_hit(res, 0)->path,
                          "presse/acronyme.md") == 0,
               "the word as typed ranks above its synonym (%s)", paths(res));
        fouille_results_destroy(res);
    }
    fouille_synonyms_unref(syn);

    f = fopen(file, "w");
    if (f) {
        fputs("ESS, économie sociale\n, ,\n", f);
        fclose(f);
    }
    syn = NULL;
    tap_is_int(fouille_synonyms_load(file, &syn, err, sizeof err),
               FOUILLE_INDEX_INVALID_ARGUMENT, "a malformed line is refused");
    tap_ok(strstr(err, ":2:") != NULL, "naming its line: %s", err);
    tap_ok(syn == NULL, "and nothing is returned");
    tap_is_int(fouille_synonyms_load(tidx_path(dir, "nope"), &syn, err,
                                     sizeof err),
               FOUILLE_INDEX_NOT_FOUND, "a missing file is NOT_FOUND");
}

static void test_grouping(fouille_index_t *r)
{
    fouille_results_t *res;
    const fouille_hit_t *h;

    res = search(r, "rapport activité", NULL, 0, "pdf,html,docx,md");
    tap_ok(res && fouille_results_count(res) == 2 &&
               strstr(paths(res), "rapports/rapport.pdf") &&
               strstr(paths(res), "rapports/autre.md"),
           "one hit per publication, the preferred format leading; the same "
           "title over another text is another one (%s)",
           paths(res));
    h = NULL;
    for (size_t i = 0; res && i < fouille_results_count(res); i++)
        if (strcmp(fouille_results_hit(res, i)->path, "rapports/rapport.pdf") ==
            0)
            h = fouille_results_hit(res, i);
    tap_ok(h && h->variant_count == 3,
           "the publication lists its 3 other formats");
    if (h && h->variant_count == 3) {
        char v[512] = "";
        for (size_t i = 0; i < 3; i++) {
            strcat(v, h->variants[i].path);
            strcat(v, i < 2 ? " " : "");
        }
        tap_ok(strstr(v, "rapport.html") && strstr(v, "rapport.md") &&
                   strstr(v, "rapport.docx"),
               "variants: %s", v);
    } else
        tap_ok(0, "variants");
    tap_ok(res && fouille_results_total(res) == 2,
           "the total counts publications");
    fouille_results_destroy(res);

    res = search(r, "rapport activité", NULL, 0, "md, pdf");
    tap_ok(strstr(paths(res), "rapports/rapport.md") != NULL &&
               strstr(paths(res), "rapports/rapport.pdf") == NULL,
           "the preferred format leads (%s)", paths(res));
    fouille_results_destroy(res);

    res = search(r, "rapport activité", NULL, 1, NULL);
    tap_ok(res && fouille_results_count(res) == 5,
           "no_group: every format is a hit (%s)", paths(res));
    fouille_results_destroy(res);
}

static size_t variants_of(fouille_index_t *r, const char *path)
{
    fouille_results_t *res = search(r, "rapport activité", NULL, 0, "pdf");
    size_t n = SIZE_MAX;
    for (size_t i = 0; res && i < fouille_results_count(res); i++)
        if (strcmp(fouille_results_hit(res, i)->path, path) == 0)
            n = fouille_results_hit(res, i)->variant_count;
    fouille_results_destroy(res);
    return n;
}

/* A reader remembers what it learned of its revision (how many documents
 * hold a word, the formats of a publication): asked again before and
 * after a new revision, it must answer for the revision it has open. */
static void test_new_revision(const char *db, fouille_index_t *r)
{
    fouille_index_t *w = NULL;
    char err[256];
    fouille_results_t *res;

    res = search(r, "jardinières", NULL, 0, NULL);
    tap_ok(res && fouille_results_count(res) == 0,
           "a word no document holds in any form: nothing (%s)", paths(res));
    fouille_results_destroy(res);
    tap_is_int((int)variants_of(r, "rapports/rapport.pdf"), 3,
               "a publication in four formats");
    if (fouille_index_open(db, FOUILLE_INDEX_WRITE, &w, err, sizeof err) !=
        FOUILLE_INDEX_OK) {
        tap_ok(0, "open the writer again: %s", err);
        return;
    }
    fouille_index_doc_t d;
    memset(&d, 0, sizeof d);
    d.path = "presse/jardin.md";
    d.mime = "text/markdown";
    d.title = "Brève";
    d.text = "Une jardinière partagée.";
    d.text_len = strlen(d.text);
    fouille_index_put(w, &d);
    memset(&d, 0, sizeof d);
    d.path = "rapports/rapport.odt";
    d.mime = "application/vnd.oasis.opendocument.text";
    d.title = "Rapport d'activité 2017";
    d.text = report;
    d.text_len = strlen(report);
    fouille_index_put(w, &d);
    tap_is_int(fouille_index_commit(w), FOUILLE_INDEX_OK,
               "a new revision: the singular of the word, a fifth format");
    fouille_index_close(w);

    res = search(r, "jardinières", NULL, 0, NULL);
    tap_ok(res && fouille_results_count(res) == 0,
           "not reopened: the reader answers for its revision");
    fouille_results_destroy(res);
    tap_is_int(fouille_index_reopen(r), FOUILLE_INDEX_OK, "reopen");
    res = search(r, "jardinières", NULL, 0, NULL);
    tap_ok(res && fouille_results_count(res) == 1 &&
               strcmp(fouille_results_hit(res, 0)->path,
                      "presse/jardin.md") == 0,
           "reopened: the plural finds the singular of the new revision (%s)",
           paths(res));
    fouille_results_destroy(res);
    tap_is_int((int)variants_of(r, "rapports/rapport.pdf"), 4,
               "reopened: the publication lists its new format");
}

int main(void)
{
    char *dir, *db;
    fouille_index_t *w = NULL, *r = NULL;
    char err[256];
    int ok;

    alarm(120);
    dir = tidx_mkdtemp();
    if (!dir) {
        tap_skip_all("no temporary directory");
        return 0;
    }
    db = strdup(tidx_path(dir, "db"));
    ok = fouille_index_open(db, FOUILLE_INDEX_WRITE, &w, err, sizeof err) ==
         FOUILLE_INDEX_OK;
    tap_ok(ok, "open a new index (%s)", ok ? "ok" : err);
    if (!ok)
        goto out;
    for (size_t i = 0; i < NDOCS; i++) {
        fouille_index_doc_t d;
        memset(&d, 0, sizeof d);
        d.path = docs[i].path;
        d.mime = docs[i].mime;
        d.title = docs[i].title;
        d.text = docs[i].text;
        d.text_len = strlen(docs[i].text);
        ok &= fouille_index_put(w, &d) == FOUILLE_INDEX_OK;
    }
    ok &= fouille_index_commit(w) == FOUILLE_INDEX_OK;
    tap_ok(ok, "index %zu documents", NDOCS);
    fouille_index_close(w);
    w = NULL;
    ok = fouille_index_open(db, FOUILLE_INDEX_READ, &r, err, sizeof err) ==
         FOUILLE_INDEX_OK;
    tap_ok(ok, "open it for reading (%s)", ok ? "ok" : err);
    if (!ok)
        goto out;

    test_relaxed(r);
    test_typos(r);
    test_syntax(r);
    test_synonyms(r, dir);
    test_grouping(r);
    test_new_revision(db, r);

out:
    fouille_index_close(r);
    fouille_index_close(w);
    tidx_rm_rf(dir);
    free(db);
    free(dir);
    return tap_done();
}
