/* daemon.c -- see daemon.h. */
#include "config.h"

#include "daemon.h"

#include "log.h"
#include "query.h"
#include "relpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Once the writer of a file closed it, wait this long for a rename or a
 * second close (editors save in two steps) before reading it. */
#define SETTLE_MS 40

void fouille__daemon_rescan(struct fouille__daemon *d)
{
    if (!d->search_only && d->pipeline)
        fouille__pipeline_reconcile(d->pipeline, "", 0);
}

long fouille__daemon_reindex(struct fouille__daemon *d, const char *path,
                            char **canonical, const char **why)
{
    *canonical = NULL;
    *why = "no such file or folder inside the documents folder";
    if (d->search_only) {
        *why = "this daemon only searches shards";
        return -1;
    }
    char *rel = NULL;
    enum fouille__relpath_status rs = fouille__relpath_clean(path, &d->ig,
                                                             &rel);
    if (rs != FOUILLE__RELPATH_OK) {
        *why = fouille__relpath_status_str(rs);
        return -1;
    }
    struct stat st;
    int fd = fouille__open_beneath(d->rootfd, rel, O_PATH);
    int found = fd >= 0 && fstat(fd, &st) == 0;
    if (fd < 0 && errno == ELOOP)
        *why = "the path goes through a symbolic link";
    else if (fd < 0 && (errno == EXDEV || errno == EACCES))
        *why = "the path leads outside the documents folder";
    if (fd >= 0)
        close(fd);
    long n = -1;
    if (!found)
        ;
    else if (S_ISLNK(st.st_mode))
        *why = "the path is a symbolic link";
    else if (S_ISREG(st.st_mode)) {
        fouille__pipeline_submit(d->pipeline, rel, 0, 1);
        n = 1;
    } else if (!S_ISDIR(st.st_mode))
        *why = "not a regular file or a folder";
    else if (fouille__pipeline_reconcile(d->pipeline, rel, 1) == 0)
        n = 0; /* queued once the scan completes */
    if (n < 0)
        free(rel);
    else
        *canonical = rel;
    return n;
}

/* ---- watching ----------------------------------------------------------- */

static void on_change(enum fouille__change kind, const char *path, void *ctx)
{
    struct fouille__daemon *d = ctx;
    char *rel = NULL;
    if (kind != FOUILLE__CHANGE_OVERFLOW &&
        fouille__relpath_clean(path, &d->ig, &rel) != FOUILLE__RELPATH_OK)
        return;
    if (rel)
        path = rel;
    switch (kind) {
    case FOUILLE__CHANGE_WRITING:
        fouille__pipeline_submit(d->pipeline, path,
                                 (unsigned)d->cfg.debounce_ms, 0);
        break;
    case FOUILLE__CHANGE_DONE:
        fouille__pipeline_submit(d->pipeline, path, SETTLE_MS, 0);
        break;
    case FOUILLE__CHANGE_REMOVED:
        /* Let the debounce confirm: a remove followed by a create of the
         * same name (atomic save) is a change, not a deletion. */
        fouille__pipeline_submit(d->pipeline, path, SETTLE_MS, 0);
        break;
    case FOUILLE__CHANGE_DIR_ADDED:
        fouille__pipeline_reconcile(d->pipeline, path, 0);
        break;
    case FOUILLE__CHANGE_DIR_REMOVED:
        fouille__pipeline_delete(d->pipeline, path);
        break;
    case FOUILLE__CHANGE_OVERFLOW:
        fouille__pipeline_reconcile(d->pipeline, "", 0);
        break;
    }
    free(rel);
}

/* ---- start and stop ------------------------------------------------------ */

/* Before a reconcile reads the folder: watch again the folders that could
 * not be watched (descriptors, watches exhausted). */
static void on_scanning(void *ctx)
{
    struct fouille__daemon *d = ctx;
    if (d->watch)
        fouille__watch_retry(d->watch);
}

static void on_reconciled(void *ctx)
{
    struct fouille__daemon *d = ctx;
    if (!d->ready) {
        d->ready = 1;
        d->ready_at = (double)time(NULL);
    }
}

fouille_index_open_opts_t
fouille__daemon_read_opts(const struct fouille__daemon *d)
{
    fouille_index_open_opts_t o = {
        .remote_timeout_ms = (unsigned)d->cfg.remote_timeout_ms,
        .partial_ok = d->cfg.remote_partial,
    };
    return o;
}

/* A front daemon over shards (db is a stub file): check that it opens,
 * then only answer queries. */
static int start_search_only(struct fouille__daemon *d, char *err,
                             size_t errlen)
{
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    fouille_index_open_opts_t o = fouille__daemon_read_opts(d);
    /* A shard that is down at start is not a reason not to start: the
     * searches say so (partial) or fail (remote_partial = no). The stub
     * itself must be readable. */
    o.partial_ok = 1;
    fouille_index_status_t st = fouille_index_open_ex(
        d->cfg.db, FOUILLE_INDEX_READ, &o, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK && st != FOUILLE_INDEX_NETWORK) {
        snprintf(err, errlen, "shards %s: %s", d->cfg.db,
                 ierr[0] ? ierr : fouille_index_status_str(st));
        return -1;
    }
    if (st == FOUILLE_INDEX_NETWORK || ierr[0])
        log_warn("shards %s: %s", d->cfg.db,
                 ierr[0] ? ierr : "no shard answers yet");
    fouille_index_close(idx);
    d->search_only = 1;
    d->ready = 1;
    d->ready_at = (double)time(NULL);
    atomic_store(&d->index_open, 1);
    log_info("search only: %s lists the shards; no documents folder is "
             "watched", d->cfg.db);
    return 0;
}

/* Descriptors are what a busy daemon runs out of first (connections,
 * index files, worker sockets): use all the hard limit allows. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rlim_t was = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
            log_info("open files limit raised from %llu to %llu",
                     (unsigned long long)was,
                     (unsigned long long)rl.rlim_max);
    }
}

int fouille__daemon_start(struct fouille__daemon *d, uv_loop_t *loop,
                          char *err, size_t errlen)
{
    struct fouille__config *cfg = &d->cfg;
    struct stat dbst;
    raise_nofile();
    d->loop = loop;
    d->rootfd = -1;
    d->started = (double)time(NULL);
    if (fouille__synonyms_reload(d, err, errlen) < 0)
        return -1;
    if (cfg->db[0] && stat(cfg->db, &dbst) == 0 && S_ISREG(dbst.st_mode))
        return start_search_only(d, err, errlen);
    if (!cfg->docs[0] || !cfg->db[0]) {
        snprintf(err, errlen, "--docs DIR and --db DIR are required");
        return -1;
    }
    if (fouille__shard_parse(&d->shard, cfg->shard, err, errlen) < 0)
        return -1;
    d->rootfd = open(cfg->docs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->rootfd < 0) {
        snprintf(err, errlen, "documents folder %s: %s", cfg->docs,
                 strerror(errno));
        return -1;
    }
    if (fouille__ignore_init(&d->ig, cfg->ignore, cfg->index_hidden) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (fouille__view_init(&d->view, cfg->private, err, errlen) < 0)
        return -1;
    fouille_index_t *idx = NULL;
    char ierr[512] = "";
    fouille_index_status_t st = fouille_index_open(
        cfg->db, FOUILLE_INDEX_WRITE, &idx, ierr, sizeof ierr);
    if (st != FOUILLE_INDEX_OK) {
        snprintf(err, errlen, "index %s: %s", cfg->db,
                 ierr[0] ? ierr : fouille_index_status_str(st));
        return -1;
    }
    struct fouille__pipeline_opts po = {
        .loop = loop, .cfg = cfg, .rootfd = d->rootfd, .shard = &d->shard,
        .view = &d->view, .scanning = on_scanning,
        .reconciled = on_reconciled, .ctx = d,
    };
    if (fouille__pipeline_open(&po, idx, &d->pipeline, err, errlen) < 0)
        return -1;
    atomic_store(&d->index_open, 1);
    char werr[256];
    if (fouille__watch_start(loop, cfg->docs, &d->ig, on_change, d, &d->watch,
                             werr, sizeof werr) < 0)
        log_warn("live watching unavailable (%s): changes are seen by the "
                 "periodic reconcile only", werr);
    return 0;
}

void fouille__daemon_reload(struct fouille__daemon *d,
                            struct fouille__config *fresh)
{
    static const char *const fixed[] = {"docs", "db", "socket", "http",
                                        "shard", "staff_http",
                                        "staff_token_file"};
    char **keep[] = {&fresh->docs, &fresh->db, &fresh->socket, &fresh->http,
                     &fresh->shard, &fresh->staff_http,
                     &fresh->staff_token_file};
    char **cur[] = {&d->cfg.docs, &d->cfg.db, &d->cfg.socket, &d->cfg.http,
                    &d->cfg.shard, &d->cfg.staff_http,
                    &d->cfg.staff_token_file};
    char serr[512];
    if (d->stopping || d->search_only) {
        if (d->search_only)
            log_info("search only: nothing to reload but the log level and "
                     "the synonyms");
        if (!d->stopping) {
            fouille__log_set_level_name(fresh->log_level);
            free(d->cfg.synonyms);
            d->cfg.synonyms = fresh->synonyms;
            fresh->synonyms = NULL;
            if (fouille__synonyms_reload(d, serr, sizeof serr) < 0)
                log_err("synonyms: %s; keeping the previous ones", serr);
        }
        fouille__config_free(fresh);
        return;
    }
    /* These keep their very strings, not equal copies: searches on the
     * thread pool read the index path while this runs. */
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (strcmp(*keep[i], *cur[i]) != 0)
            log_warn("%s changed in the configuration: restart fouilled to "
                     "apply it", fixed[i]);
        free(*keep[i]);
        *keep[i] = *cur[i];
        *cur[i] = NULL;
    }
    fouille__config_free(&d->cfg);
    d->cfg = *fresh;

    fouille__log_set_level_name(d->cfg.log_level);
    if (fouille__synonyms_reload(d, serr, sizeof serr) < 0)
        log_err("synonyms: %s; keeping the previous ones", serr);
    fouille__ignore_free(&d->ig);
    if (fouille__ignore_init(&d->ig, d->cfg.ignore, d->cfg.index_hidden) < 0)
        log_err("out of memory reading the ignore patterns");
    struct fouille__view view;
    if (fouille__view_init(&view, d->cfg.private, serr, sizeof serr) < 0)
        log_err("%s; keeping the previous private setting", serr);
    else {
        fouille__view_free(&d->view);
        d->view = view;
        fouille__query_cache_clear(d);
    }

    fouille__pipeline_reload(d->pipeline);
}

uint64_t fouille__daemon_generation(struct fouille__daemon *d)
{
    return fouille__pipeline_generation(d->pipeline);
}

struct fouille__writer *fouille__daemon_writer(struct fouille__daemon *d)
{
    return fouille__pipeline_writer(d->pipeline);
}

static void on_pipeline_closed(int status, void *ctx)
{
    struct fouille__daemon *d = ctx;
    (void)status; /* logged by the pipeline */
    if (d->pipeline)
        log_info("stopped");
    d->pipeline = NULL;
    atomic_store(&d->index_open, 0);
    fouille__query_cache_clear(d);
    fouille_synonyms_unref(d->synonyms);
    d->synonyms = NULL;
    fouille__view_free(&d->view);
    fouille__ignore_free(&d->ig);
    if (d->rootfd >= 0)
        close(d->rootfd);
    d->rootfd = -1;
}

void fouille__daemon_stop(struct fouille__daemon *d)
{
    if (d->stopping)
        return;
    d->stopping = 1;
    log_info("stopping: finishing the current batch and committing");
    fouille__watch_close(d->watch, NULL, NULL);
    d->watch = NULL;
    if (d->held > 0)
        d->close_when_released = 1;
    else
        fouille__pipeline_close(d->pipeline, on_pipeline_closed, d);
}

void fouille__daemon_hold(struct fouille__daemon *d) { d->held++; }

void fouille__daemon_release(struct fouille__daemon *d)
{
    if (--d->held > 0 || !d->close_when_released)
        return;
    d->close_when_released = 0;
    fouille__pipeline_close(d->pipeline, on_pipeline_closed, d);
}
