/* server.c -- see server.h. */
#include "config.h"

#include "server.h"

#include "analytics.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Writes the search analytics every analytics_save_s seconds on the
 * thread pool (the loop never waits for the disk), and once more when
 * the servers stop. */
struct fouille__analytics_saver {
    struct fouille__daemon *d;
    uv_timer_t timer;
    uv_work_t work;
    int saving;  /* a save runs on the thread pool */
    int closing; /* close the store once it is done */
    char err[512];
    int failed;
};

static void save_work(uv_work_t *w)
{
    struct fouille__analytics_saver *s = w->data;
    s->failed = fouille__analytics_save(s->d->analytics, s->err,
                                        sizeof s->err) < 0;
}

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

static void saver_finish(struct fouille__analytics_saver *s)
{
    fouille__analytics_close(s->d->analytics); /* saves the rest */
    s->d->analytics = NULL;
    uv_close((uv_handle_t *)&s->timer, on_timer_closed);
}

static void save_done(uv_work_t *w, int status)
{
    struct fouille__analytics_saver *s = w->data;
    s->saving = 0;
    if (s->failed)
        log_err("search analytics not saved: %s", s->err);
    if (s->closing)
        saver_finish(s);
}

static void on_save_timer(uv_timer_t *t)
{
    struct fouille__analytics_saver *s = t->data;
    if (s->saving)
        return;
    s->saving = 1;
    s->work.data = s;
    if (uv_queue_work(s->d->loop, &s->work, save_work, save_done) < 0)
        s->saving = 0;
}

/* Where the analytics live: in the index folder, or beside a stub file of
 * shards. */
static char *analytics_path(const char *db)
{
    struct stat st;
    int dir = stat(db, &st) == 0 && S_ISDIR(st.st_mode);
    size_t len = strlen(db) + sizeof "/search-analytics.json";
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s%s", db,
                 dir ? "/search-analytics.json" : ".search-analytics.json");
    return p;
}

static int analytics_start(struct fouille__daemon *d, char *err,
                           size_t errlen)
{
    if (!d->cfg.analytics)
        return 0;
    char *path = analytics_path(d->cfg.db);
    struct fouille__analytics_saver *s = calloc(1, sizeof *s);
    d->analytics = path && s ? fouille__analytics_open(
                                   path, (unsigned)d->cfg.analytics_top_k,
                                   (unsigned)d->cfg.analytics_days)
                             : NULL;
    free(path);
    if (!d->analytics) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->d = d;
    d->analytics_saver = s;
    uv_timer_init(d->loop, &s->timer);
    s->timer.data = s;
    uint64_t every = (uint64_t)d->cfg.analytics_save_s * 1000;
    uv_timer_start(&s->timer, on_save_timer, every, every);
    return 0;
}

static void analytics_stop(struct fouille__daemon *d)
{
    struct fouille__analytics_saver *s = d->analytics_saver;
    if (!s)
        return;
    d->analytics_saver = NULL;
    uv_timer_stop(&s->timer);
    s->closing = 1;
    if (!s->saving)
        saver_finish(s);
}

int fouille__server_start(struct fouille__daemon *d, char *err, size_t errlen)
{
    if (analytics_start(d, err, errlen) < 0)
        return -1;
    if (fouille__sock_start(d, err, errlen) < 0)
        return -1;
    if ((d->cfg.http[0] || d->cfg.staff_http[0]) &&
        fouille__http_start(d, err, errlen) < 0)
        return -1;
    return 0;
}

void fouille__server_stop(struct fouille__daemon *d)
{
    fouille__http_stop(d);
    fouille__sock_stop(d);
    analytics_stop(d);
}
