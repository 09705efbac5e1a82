/* test-index-remote.c -- an index split over three shards served by
 * xapian-tcpsrv on loopback and read through a stub database with
 * fouille_index_open_ex(): the same results as one index (ranking, totals,
 * facets, snippets, pages, pagination), stub syntaxes, connections the
 * server dropped, and shards that stop answering (strict: NETWORK naming
 * the shard; partial: the others' results and the count of missing
 * shards; both within the timeout). Skipped without xapian-tcpsrv. */
#include <config.h>

#include "fouille-index.h"
#include "tap.h"
#include "test-index-util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSHARDS 3
#define NDOCS 48

static const char *const sentences[] = {
    "L'accès au foncier agricole reste difficile pour les jeunes.",
    "La question foncière est au cœur des projets de territoire.",
    "Les fonciers solidaires achètent des terres pour les installer.",
    "Une fonciere sans accent, comme on la tape au clavier.",
    "La mobilité durable en zone rurale passe par le covoiturage.",
    "Les collectivités financent la co-construction des politiques.",
    "L'agriculture biologique progresse dans la vallée.",
    "La gestion de l'eau préoccupe les agriculteurs et les élus.",
    "Le marché de producteurs anime le centre du village.",
    "Les circuits courts rapprochent producteurs et habitants.",
    "La coconstruction avec les habitants prend du temps.",
    "La restauration collective achète des produits locaux.",
};
#define NSENTENCES (sizeof sentences / sizeof sentences[0])
static const char *const types[] = {"fiche", "rapport", "guide"};

struct doc {
    char path[64], date[16], text[4096];
    const char *type, *mime;
    unsigned pages;
};

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* Document i: a type and a year, three sentences, and i filler words so
 * that no two documents have the same length (no exact ties in
 * relevance); every fourth document has pages. */
static void make_doc(unsigned i, struct doc *d)
{
    size_t n = 0;
    unsigned k;
    d->type = types[i % 3];
    /* Documents i and i + 28 share a date: ties for the date sorts. */
    snprintf(d->date, sizeof d->date, "%u-%02u-01", 2015 + i % 7, 1 + i % 4);
    d->pages = i % 4 == 0 ? 3 : 0;
    d->mime = d->pages ? "application/pdf" : "text/plain";
    snprintf(d->path, sizeof d->path, "%ss/%u/doc-%02u.%s", d->type,
             2015 + i % 7, i, d->pages ? "pdf" : "txt");
    d->text[0] = '\0';
    for (k = 0; k < 3; k++) {
        const char *s = sentences[(i * (2 * k + 1) + 4 * k) % NSENTENCES];
        n += (size_t)snprintf(d->text + n, sizeof d->text - n, "%s%s",
                              k == 0 ? "" : d->pages ? "\f" : " ", s);
    }
    for (k = 0; k < i; k++)
        n += (size_t)snprintf(d->text + n, sizeof d->text - n, " rempli%u",
                              k);
}

static int put_doc(fouille_index_t *w, const struct doc *d)
{
    fouille_index_doc_t x;
    memset(&x, 0, sizeof x);
    x.path = d->path;
    x.type = d->type;
    x.date = d->date;
    x.mime = d->mime;
    x.title = d->path;
    x.pages = d->pages;
    x.text = d->text;
    x.text_len = strlen(d->text);
    return fouille_index_put(w, &x) == FOUILLE_INDEX_OK;
}

/* ---- xapian-tcpsrv ------------------------------------------------------ */

static int have_program(const char *name)
{
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, name);
        if (access(buf, X_OK) == 0)
            return 1;
        path = colon ? colon + 1 : NULL;
    }
    return 0;
}

static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int port_open(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* A server in its own process group (its per-connection children too),
 * so that stopping the group stops the whole shard. */
struct server {
    pid_t pid;
    int port;
    char db[4096];
};

static int server_start(struct server *s)
{
    char port[16];
    int i;
    snprintf(port, sizeof port, "%d", s->port);
    s->pid = fork();
    if (s->pid < 0)
        return 0;
    if (s->pid == 0) {
        setpgid(0, 0);
        /* Gone with the test, even if it crashes or its alarm fires (the
         * server's per-connection children exit with their connection). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* Its children report dropped connections on stderr: noise. */
        if (!freopen("/dev/null", "w", stdout) ||
            !freopen("/dev/null", "w", stderr))
            _exit(127);
        /* Idle connections are closed after a second: the shim must
         * reconnect without the caller noticing. */
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface",
               "127.0.0.1", "--port", port, "--idle-timeout", "1000", s->db,
               (char *)NULL);
        _exit(127);
    }
    setpgid(s->pid, s->pid);
    for (i = 0; i < 200; i++) {
        int st;
        if (port_open(s->port))
            return 1;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
            s->pid = 0;
            return 0;
        }
        usleep(25000);
    }
    return 0;
}

static void server_stop(struct server *s)
{
    if (s->pid <= 0)
        return;
    kill(-s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- comparing results -------------------------------------------------- */

struct page {
    fouille_index_status_t st;
    uint64_t total;
    unsigned missing;
    size_t n;
    char paths[NDOCS][64];
    char keys[NDOCS][48];     /* what the order depends on: see below */
    char extra[NDOCS][1200];  /* snippet, page, pages, date, title */
    char facets[2][512];
};

static void facet_string(const fouille_results_t *res, const char *name,
                         char *buf, size_t len)
{
    size_t n = 0, i, k = 0;
    const fouille_facet_t *f = fouille_results_facets(res, name, &n);
    buf[0] = '\0';
    for (i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s=%llu ", f[i].value,
                              (unsigned long long)f[i].count);
}

static void search(fouille_index_t *idx, const fouille_query_t *q,
                   struct page *p)
{
    fouille_results_t *res = NULL;
    size_t i;
    memset(p, 0, sizeof *p);
    p->st = fouille_index_search(idx, q, &res);
    if (p->st != FOUILLE_INDEX_OK)
        return;
    p->total = fouille_results_total(res);
    p->missing = fouille_results_shards_missing(res);
    p->n = fouille_results_count(res);
    for (i = 0; i < p->n && i < NDOCS; i++) {
        const fouille_hit_t *h = fouille_results_hit(res, i);
        snprintf(p->paths[i], sizeof p->paths[i], "%s", h->path);
        /* Sorted by date, equal dates are ordered by relevance, then by
         * document id, which differs between one index and shards. */
        if (!q->q || !*q->q || q->sort == FOUILLE_SORT_DATE)
            snprintf(p->keys[i], sizeof p->keys[i], "%s %.0f", h->date,
                     h->score);
        else
            snprintf(p->keys[i], sizeof p->keys[i], "%.6f", h->score);
        snprintf(p->extra[i], sizeof p->extra[i], "%s|%u|%u|%s|%s",
                 h->snippet, h->page, h->pages, h->date, h->title);
    }
    facet_string(res, "type", p->facets[0], sizeof p->facets[0]);
    facet_string(res, "year", p->facets[1], sizeof p->facets[1]);
    fouille_results_destroy(res);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Same hits in the same order, except inside a run of hits whose sort
 * keys are equal (an exact tie, broken by document ids), where the same
 * paths may come in another order. Returns the number of such runs that
 * came out in a different order (> 0 only for date sorts: every document
 * has its own length, so relevance never ties), or -1 on a mismatch. */
static int same_ranking(const struct page *a, const struct page *b,
                        char *why, size_t whylen)
{
    size_t i = 0;
    int reordered = 0;
    if (a->n != b->n) {
        snprintf(why, whylen, "%zu hits vs %zu", a->n, b->n);
        return -1;
    }
    while (i < a->n) {
        size_t j = i + 1, k;
        char sa[NDOCS][64], sb[NDOCS][64];
        while (j < a->n && strcmp(a->keys[j], a->keys[i]) == 0)
            j++;
        for (k = i; k < j; k++) {
            if (strcmp(a->keys[k], b->keys[k]) != 0) {
                snprintf(why, whylen, "hit %zu: key %s vs %s (%s, %s)", k,
                         a->keys[k], b->keys[k], a->paths[k], b->paths[k]);
                return -1;
            }
            memcpy(sa[k - i], a->paths[k], 64);
            memcpy(sb[k - i], b->paths[k], 64);
        }
        for (k = i; k < j && strcmp(a->paths[k], b->paths[k]) == 0; k++)
            ;
        if (k < j) {
            qsort(sa, j - i, 64, cmp_str);
            qsort(sb, j - i, 64, cmp_str);
            for (k = 0; k < j - i; k++)
                if (strcmp(sa[k], sb[k]) != 0) {
                    snprintf(why, whylen, "hits %zu-%zu differ (%s vs %s)", i,
                             j - 1, sa[k], sb[k]);
                    return -1;
                }
            reordered++;
        }
        i = j;
    }
    return reordered;
}

/* The stored fields of each hit (snippet, page...), matched by path. */
static int same_hits(const struct page *a, const struct page *b)
{
    size_t i, j;
    for (i = 0; i < a->n; i++) {
        for (j = 0; j < b->n && strcmp(a->paths[i], b->paths[j]); j++)
            ;
        if (j == b->n || strcmp(a->extra[i], b->extra[j]) != 0) {
            tap_diag("%s: '%s' vs '%s'", a->paths[i], a->extra[i],
                     j < b->n ? b->extra[j] : "(missing)");
            return 0;
        }
    }
    return 1;
}

struct query {
    const char *q, *type, *year;
    fouille_sort_t sort;
};

static const struct query queries[] = {
    {"foncier", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"fonciere", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"FONCIÈRES", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"mobilité rurale", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"collectivites", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"co-construction", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"\"accès au foncier\"", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"eau OR producteurs", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"foncier -jeunes", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"agri*", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"title:doc", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"foncier", "fiche", NULL, FOUILLE_SORT_RELEVANCE},
    {"producteurs", NULL, "2018", FOUILLE_SORT_RELEVANCE},
    {"foncier", NULL, NULL, FOUILLE_SORT_DATE},
    {"", NULL, NULL, FOUILLE_SORT_RELEVANCE},
    {"", "guide", NULL, FOUILLE_SORT_RELEVANCE},
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static void set_query(fouille_query_t *q, const struct query *w,
                      unsigned offset, unsigned limit)
{
    memset(q, 0, sizeof *q);
    q->q = w->q;
    q->type = w->type;
    q->year = w->year;
    q->sort = w->sort;
    q->offset = offset;
    q->limit = limit;
}

/* ---- the test ------------------------------------------------------------ */

static char *dir;
static struct server srv[NSHARDS];

static void cleanup(void)
{
    int i;
    for (i = 0; i < NSHARDS; i++)
        server_stop(&srv[i]);
    tidx_rm_rf(dir);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fputs(text, f);
    return fclose(f) == 0;
}

static fouille_index_status_t open_stub(const char *stub, unsigned timeout,
                                        int partial, fouille_index_t **out,
                                        char *err, size_t errlen)
{
    fouille_index_open_opts_t o;
    memset(&o, 0, sizeof o);
    o.remote_timeout_ms = timeout;
    o.partial_ok = partial;
    return fouille_index_open_ex(stub, FOUILLE_INDEX_READ, &o, out, err,
                                 errlen);
}

int main(void)
{
    fouille_index_t *all = NULL, *w[NSHARDS] = {NULL}, *r = NULL, *p = NULL;
    fouille_index_t *x = NULL;
    fouille_index_status_t st;
    static struct page a, b, c;
    static struct doc d;
    fouille_query_t q;
    char stub[4096], nested[4096], text[512], err[1024], why[256];
    int ok, i, reordered = 0;
    unsigned n, shard_of[NDOCS], in_shard[NSHARDS] = {0};
    uint64_t count;
    double t0, took;

    alarm(180);
    signal(SIGPIPE, SIG_IGN); /* as the daemon does */
    if (!have_program("xapian-tcpsrv")) {
        tap_skip_all("xapian-tcpsrv not found (Debian: xapian-tools)");
        return 0;
    }
    dir = tidx_mkdtemp();
    if (!dir) {
        tap_skip_all("no temporary directory");
        return 0;
    }
    atexit(cleanup);

    /* One index with everything, and three shards split as fouille index
     * --shard does (FNV-1a of the path). */
    ok = fouille_index_open(tidx_path(dir, "all"), FOUILLE_INDEX_WRITE, &all,
                            err, sizeof err) == FOUILLE_INDEX_OK;
    for (i = 0; ok && i < NSHARDS; i++) {
        snprintf(srv[i].db, sizeof srv[i].db, "%s/shard%d", dir, i + 1);
        ok = fouille_index_open(srv[i].db, FOUILLE_INDEX_WRITE, &w[i], err,
                                sizeof err) == FOUILLE_INDEX_OK;
    }
    for (n = 0; ok && n < NDOCS; n++) {
        make_doc(n, &d);
        shard_of[n] = fnv1a(d.path) % NSHARDS;
        in_shard[shard_of[n]]++;
        ok = put_doc(all, &d) && put_doc(w[shard_of[n]], &d);
    }
    for (i = 0; i < NSHARDS; i++) {
        ok = ok && fouille_index_commit(w[i]) == FOUILLE_INDEX_OK;
        fouille_index_close(w[i]);
    }
    ok = ok && fouille_index_commit(all) == FOUILLE_INDEX_OK;
    fouille_index_close(all);
    all = NULL;
    tap_ok(ok && in_shard[0] && in_shard[1] && in_shard[2],
           "one index and three shards (%u, %u, %u documents)", in_shard[0],
           in_shard[1], in_shard[2]);
    if (!ok)
        goto out;

    for (i = 0; ok && i < NSHARDS; i++) {
        int tries;
        for (tries = 0; tries < 5; tries++) {
            srv[i].port = free_port();
            if (srv[i].port > 0 && server_start(&srv[i]))
                break;
        }
        ok = srv[i].pid > 0;
    }
    tap_ok(ok, "three xapian-tcpsrv on loopback (ports %d %d %d)",
           srv[0].port, srv[1].port, srv[2].port);
    if (!ok)
        goto out;

    /* Xapian's spelling for the first, the alias for the second, and a
     * stub inside the stub for the third. */
    snprintf(nested, sizeof nested, "%s/third.stub", dir);
    snprintf(text, sizeof text, "remote 127.0.0.1:%d\n", srv[2].port);
    write_file(nested, text);
    snprintf(stub, sizeof stub, "%s/shards.stub", dir);
    snprintf(text, sizeof text,
             "# three shards\n\nremote 127.0.0.1:%d\n"
             "  remote tcp 127.0.0.1 %d\nauto third.stub\n",
             srv[0].port, srv[1].port);
    write_file(stub, text);

    st = fouille_index_open(tidx_path(dir, "all"), FOUILLE_INDEX_READ, &all,
                            err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open the single index");
    st = open_stub(stub, 3000, 0, &r, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open the stub of remote shards");
    if (st != FOUILLE_INDEX_OK || !all) {
        tap_diag("%s", err);
        goto out;
    }
    count = 0;
    fouille_index_count(r, &count);
    tap_is_int(count, NDOCS, "count spans the shards");

    /* ---- Same results as one index ---- */
    for (n = 0; n < NQUERIES; n++) {
        const struct query *wq = &queries[n];
        int rr;
        set_query(&q, wq, 0, NDOCS);
        search(all, &q, &a);
        search(r, &q, &b);
        rr = same_ranking(&a, &b, why, sizeof why);
        tap_ok(a.st == FOUILLE_INDEX_OK && b.st == FOUILLE_INDEX_OK &&
                   a.n > 0 && a.total == b.total && rr >= 0 &&
                   strcmp(a.facets[0], b.facets[0]) == 0 &&
                   strcmp(a.facets[1], b.facets[1]) == 0 && same_hits(&a, &b),
               "'%s'%s%s%s: %zu hits, same ranking, total, facets, "
               "snippets and pages",
               wq->q, wq->type ? " type " : "", wq->type ? wq->type : "",
               wq->sort == FOUILLE_SORT_DATE ? " by date" : "", a.n);
        if (rr < 0)
            tap_diag("%s", why);
        if (a.total != b.total || strcmp(a.facets[0], b.facets[0]) ||
            strcmp(a.facets[1], b.facets[1]))
            tap_diag("total %llu vs %llu; facets '%s' '%s' vs '%s' '%s'",
                     (unsigned long long)a.total,
                     (unsigned long long)b.total, a.facets[0], a.facets[1],
                     b.facets[0], b.facets[1]);
        if (rr > 0) {
            reordered += rr;
            if (wq->q[0] && wq->sort == FOUILLE_SORT_RELEVANCE)
                tap_diag("relevance tie in '%s'", wq->q);
        }
    }
    tap_diag("%d runs of exactly tied hits came in another order (date "
             "sorts: ties are broken by document id)",
             reordered);

    /* Pagination across shards: pages of 5 put together give the whole
     * ranking, with the same total on every page. */
    {
        struct query wq = {"foncier", NULL, NULL, FOUILLE_SORT_RELEVANCE};
        size_t got = 0, k;
        int same = 1;
        set_query(&q, &wq, 0, NDOCS);
        search(r, &q, &a);
        for (k = 0; k < a.n; k += 5) {
            size_t m;
            set_query(&q, &wq, (unsigned)k, 5);
            search(r, &q, &c);
            same = same && c.st == FOUILLE_INDEX_OK && c.total == a.total;
            for (m = 0; m < c.n; m++, got++)
                same = same && strcmp(c.paths[m], a.paths[got]) == 0;
        }
        tap_ok(same && got == a.n && a.n > 5,
               "pages of 5 make up the %zu hits", a.n);
    }

    /* ---- Stub syntax errors ---- */
    snprintf(text, sizeof text, "remote 127.0.0.1:%d\nremote nowhere\n",
             srv[0].port);
    write_file(tidx_path(dir, "bad.stub"), text);
    x = NULL;
    st = open_stub(tidx_path(dir, "bad.stub"), 0, 0, &x, err, sizeof err);
    tap_ok(st == FOUILLE_INDEX_NOT_FOUND && !x && strstr(err, ":2: bad line"),
           "a bad stub line is refused with its line number");
    tap_diag("%s", err);
    write_file(tidx_path(dir, "port.stub"), "remote 127.0.0.1:99999\n");
    st = open_stub(tidx_path(dir, "port.stub"), 0, 0, &x, err, sizeof err);
    tap_ok(st == FOUILLE_INDEX_NOT_FOUND && !x, "a bad port is refused");

    /* ---- Connections the servers dropped (idle timeout 1 s) ---- */
    sleep(2);
    set_query(&q, &queries[0], 0, 10);
    search(r, &q, &b);
    tap_ok(b.st == FOUILLE_INDEX_OK && b.missing == 0 && b.total == a.total,
           "after the servers closed idle connections, the search "
           "reconnects");
    if (b.st != FOUILLE_INDEX_OK || b.total != a.total)
        tap_diag("%s; total %llu, want %llu", fouille_index_last_error(r),
                 (unsigned long long)b.total, (unsigned long long)a.total);

    /* ---- A shard that is down ---- */
    st = open_stub(stub, 3000, 1, &p, err, sizeof err);
    tap_is_int(st, FOUILLE_INDEX_OK, "open the stub with partial_ok");
    server_stop(&srv[1]);
    snprintf(text, sizeof text, "127.0.0.1:%d", srv[1].port);

    search(r, &q, &b);
    tap_ok(b.st == FOUILLE_INDEX_NETWORK &&
               strstr(fouille_index_last_error(r), text),
           "strict: a search fails with NETWORK naming the shard");
    tap_diag("%s", fouille_index_last_error(r));
    x = NULL;
    st = open_stub(stub, 3000, 0, &x, err, sizeof err);
    tap_ok(st == FOUILLE_INDEX_NETWORK && !x && strstr(err, text),
           "strict: the open fails with NETWORK naming the shard");

    {
        struct query wq = {"", NULL, NULL, FOUILLE_SORT_RELEVANCE};
        size_t k;
        int others = 1;
        set_query(&q, &wq, 0, NDOCS);
        search(p, &q, &b);
        for (k = 0; k < b.n; k++)
            for (n = 0; n < NDOCS; n++) {
                make_doc(n, &d);
                if (strcmp(d.path, b.paths[k]) == 0 && shard_of[n] == 1)
                    others = 0;
            }
        tap_ok(b.st == FOUILLE_INDEX_OK && b.missing == 1 &&
                   b.total == NDOCS - in_shard[1] &&
                   b.n == NDOCS - in_shard[1] && others,
               "partial: the other shards' %zu documents, 1 shard missing",
               b.n);
        tap_ok(strstr(fouille_index_last_error(p), text) != NULL,
               "partial: the handle's message names the missing shard");
        tap_diag("%s", fouille_index_last_error(p));
    }
    x = NULL;
    err[0] = '\0';
    st = open_stub(stub, 3000, 1, &x, err, sizeof err);
    tap_ok(st == FOUILLE_INDEX_OK && x && strstr(err, text),
           "partial: the open succeeds and says which shard is missing");
    set_query(&q, &queries[0], 0, 10);
    search(x, &q, &b);
    tap_ok(b.st == FOUILLE_INDEX_OK && b.missing == 1 && b.n > 0,
           "partial: a handle opened without the shard searches the others");
    fouille_index_close(x);
    x = NULL;

    /* ---- A shard that hangs (stopped, not gone): bounded by the
     * timeout ---- */
    fouille_index_close(p);
    p = NULL;
    st = open_stub(stub, 500, 1, &p, err, sizeof err);
    kill(-srv[2].pid, SIGSTOP);
    t0 = now_s();
    search(p, &q, &b);
    took = now_s() - t0;
    tap_ok(b.st == FOUILLE_INDEX_OK && b.missing == 2 && b.n > 0 &&
               took < 3.0,
           "partial, 500 ms timeout: a hung shard is set aside in %.2f s",
           took);
    snprintf(text, sizeof text, "remote 127.0.0.1:%d\n", srv[2].port);
    write_file(tidx_path(dir, "hung.stub"), text);
    t0 = now_s();
    st = open_stub(tidx_path(dir, "hung.stub"), 500, 0, &x, err, sizeof err);
    took = now_s() - t0;
    tap_ok(st == FOUILLE_INDEX_NETWORK && took < 3.0,
           "strict, 500 ms timeout: opening a hung shard fails in %.2f s",
           took);
    tap_diag("%s", err);
    kill(-srv[2].pid, SIGCONT);

    /* ---- Shards that come back ---- */
    ok = server_start(&srv[1]);
    tap_ok(ok, "restart the stopped shard on its port");
    st = fouille_index_reopen(p);
    set_query(&q, &queries[0], 0, NDOCS);
    search(p, &q, &b);
    search(all, &q, &a);
    tap_ok(st == FOUILLE_INDEX_OK && b.st == FOUILLE_INDEX_OK &&
               b.missing == 0 && b.total == a.total,
           "partial: after reopen, every shard answers again");
    search(r, &q, &b);
    tap_ok(b.st == FOUILLE_INDEX_OK && b.missing == 0 && b.total == a.total,
           "strict: the next search reconnects the shard by itself");
    if (b.st != FOUILLE_INDEX_OK)
        tap_diag("%s", fouille_index_last_error(r));

    /* ---- Nothing answers ---- */
    for (i = 0; i < NSHARDS; i++)
        server_stop(&srv[i]);
    search(p, &q, &b);
    tap_ok(b.st == FOUILLE_INDEX_NETWORK &&
               strstr(fouille_index_last_error(p), "no shard answered"),
           "partial: no shard at all is a NETWORK error");
    tap_diag("%s", fouille_index_last_error(p));
    x = NULL;
    st = open_stub(stub, 500, 1, &x, err, sizeof err);
    tap_ok(st == FOUILLE_INDEX_OK && x,
           "partial: a front opens before its shards are up");

out:
    fouille_index_close(x);
    fouille_index_close(p);
    fouille_index_close(r);
    fouille_index_close(all);
    return tap_done();
}
