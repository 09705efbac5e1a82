/* index-bench.c -- indexing, enumeration and search speed of the index
 * shim on synthetic French text.
 *
 * Generates N documents of about SIZE bytes of French-like text (real
 * words, accented and not, plural forms, elisions and compounds, drawn
 * with a Zipf distribution, plus rarer made-up words for a realistic
 * vocabulary), indexes them in a fresh index, commits, then times
 * fouille_index_foreach over all of them and a few searches.
 *
 * Build, in a build directory where index/libfouille-index.la is built,
 * with SRC the source tree (the C++ driver links the C++ runtime):
 *   c++ -O2 -x c $SRC/contrib/bench/index-bench.c -x none \
 *       -I$SRC/index index/.libs/libfouille-index.a \
 *       $(pkg-config --libs xapian-core libutf8proc liblz4) -o index-bench
 * Run:
 *   ./index-bench [N=2000] [SIZE=5000] [DIR]
 * DIR defaults to a new directory under /tmp, removed at the end; an
 * existing index in DIR is added to (N=0: only time enumeration and
 * searches). */
#define _POSIX_C_SOURCE 200809L
#include "fouille-index.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const common[] = {
    "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "pour",
    "dans", "sur", "par", "avec", "qui", "que", "est", "sont", "au", "aux",
    "foncier", "foncière", "fonciers", "foncières", "agricole", "agricoles",
    "territoire", "territoires", "collectivité", "collectivités", "commune",
    "communes", "mobilité", "économie", "économique", "aménagement",
    "urbanisme", "l'urbanisme", "d'économie", "habitat", "logement",
    "logements", "rural", "rurale", "rurales", "projet", "projets",
    "développement", "durable", "co-construction", "acteurs", "élus",
    "politique", "publique", "publiques", "marchés", "publics", "accès",
    "terres", "installation", "agriculteurs", "exploitation", "réseau",
    "réseaux", "données", "étude", "études", "rapport", "fiche", "guide",
    "bilan", "activité", "année", "région", "régional", "départements",
    "transition", "énergétique", "écologique", "biodiversité", "eau",
    "qualité", "alimentation", "circuits", "courts", "filières", "emploi",
    "formation", "jeunes", "citoyens", "association", "associations",
    "partenaires", "financement", "investissement", "démarche", "outil",
    "outils", "méthode", "diagnostic", "enjeux", "stratégie", "gouvernance",
    "concertation", "participation", "expérimentation", "innovation",
    "sociale", "solidaire", "coopération", "intercommunalité", "métropole",
};
#define NCOMMON (sizeof common / sizeof common[0])

static const char *const syll[] = {
    "ma", "ra", "to", "ti", "on", "men", "tion", "é", "è", "ré", "con",
    "pro", "dé", "ser", "va", "lo", "gi", "que", "ment", "ité", "eur",
    "ance", "ique", "ar", "ne", "si", "bi", "cu", "pa", "té", "mi", "fo",
};
#define NSYLL (sizeof syll / sizeof syll[0])

#define VOCAB 20000
static char *vocab[VOCAB];
static double zipf_cdf[VOCAB];

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void build_vocab(void)
{
    size_t i;
    double sum = 0;
    for (i = 0; i < VOCAB; i++) {
        if (i < NCOMMON) {
            vocab[i] = strdup(common[i]);
        } else {
            char w[64] = "";
            int n = 2 + (int)(rnd() % 3), k;
            for (k = 0; k < n; k++)
                strcat(w, syll[rnd() % NSYLL]);
            vocab[i] = strdup(w);
        }
        sum += 1.0 / (i + 1);
        zipf_cdf[i] = sum;
    }
    for (i = 0; i < VOCAB; i++)
        zipf_cdf[i] /= sum;
}

static const char *word(void)
{
    double u = (double)(rnd() % 1000000000ULL) / 1e9;
    size_t lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return vocab[lo];
}

static size_t make_text(char *buf, size_t size)
{
    size_t len = 0;
    while (len + 80 < size) {
        const char *w = word();
        len += (size_t)sprintf(buf + len, "%s%s", w,
                               (rnd() % 12 == 0) ? ". " : " ");
        if (rnd() % 400 == 0)
            buf[len++] = '\f';
    }
    buf[len] = '\0';
    return len;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_entry(const fouille_index_entry_t *e, void *ctx)
{
    (void)e;
    ++*(size_t *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    size_t size = argc > 2 ? (size_t)atol(argv[2]) : 5000;
    char tmpl[] = "/tmp/fouille-bench-XXXXXX";
    const char *dir = argc > 3 ? argv[3] : mkdtemp(tmpl);
    char err[256], path[64], title[128], cmd[512];
    char *text = malloc(size + 1);
    fouille_index_t *w, *r;
    double t0, t_put, t_commit, t;
    size_t bytes = 0, entries = 0;
    int i;
    static const char *const queries[] = {
        "foncier", "fonciere", "collectivites territoire",
        "\"marchés publics\"", "fonc*", "économie NOT rural", "",
    };

    if (!dir || !text)
        return 1;
    build_vocab();
    if (fouille_index_open(dir, FOUILLE_INDEX_WRITE, &w, err, sizeof err)) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    t0 = now();
    for (i = 0; i < n; i++) {
        fouille_index_doc_t d;
        memset(&d, 0, sizeof d);
        snprintf(path, sizeof path, "dossier%d/doc-%d.txt", i % 20, i);
        snprintf(title, sizeof title, "%s %s %s", word(), word(), word());
        d.path = path;
        d.title = title;
        d.type = i % 3 ? "fiche" : "rapport";
        d.date = i % 2 ? "2021-05-01" : "2023-01-15";
        d.mime = "text/plain";
        d.signature = "bench";
        d.text = text;
        d.text_len = make_text(text, size);
        bytes += d.text_len;
        if (fouille_index_put(w, &d)) {
            fprintf(stderr, "put: %s\n", fouille_index_last_error(w));
            return 1;
        }
    }
    t_put = now() - t0;
    t0 = now();
    fouille_index_commit(w);
    t_commit = now() - t0;
    fouille_index_close(w);
    printf("indexed %d documents, %.1f MB of text: put %.2f s, commit "
           "%.2f s, %.0f docs/s, %.2f MB/s\n",
           n, bytes / 1e6, t_put, t_commit, n / (t_put + t_commit),
           bytes / 1e6 / (t_put + t_commit));
    snprintf(cmd, sizeof cmd, "du -sh '%s' | cut -f1", dir);
    printf("index size: ");
    fflush(stdout);
    if (system(cmd) != 0)
        printf("?\n");

    if (fouille_index_open(dir, FOUILLE_INDEX_READ, &r, err, sizeof err))
        return 1;
    t0 = now();
    fouille_index_foreach(r, count_entry, &entries, NULL);
    t = now() - t0;
    printf("foreach: %zu entries in %.2f ms\n", entries, t * 1e3);

    for (i = 0; i < (int)(sizeof queries / sizeof queries[0]); i++) {
        fouille_query_t q;
        fouille_results_t *res = NULL;
        int k, runs = 50;
        uint64_t total = 0;
        memset(&q, 0, sizeof q);
        q.q = queries[i];
        t0 = now();
        for (k = 0; k < runs; k++) {
            if (fouille_index_search(r, &q, &res)) {
                fprintf(stderr, "search: %s\n", fouille_index_last_error(r));
                break;
            }
            total = fouille_results_total(res);
            fouille_results_destroy(res);
        }
        t = (now() - t0) / runs;
        printf("search %-28s %6llu hits  %7.2f ms (10 hits, snippets, "
               "facets)\n",
               queries[i][0] ? queries[i] : "(listing)",
               (unsigned long long)total, t * 1e3);
    }
    fouille_index_close(r);
    if (argc <= 3) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    free(text);
    return 0;
}
