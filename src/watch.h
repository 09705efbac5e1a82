/* watch.h -- live watching of the documents folder with inotify.
 *
 * One inotify descriptor, polled by the libuv loop (uv_poll), with one
 * watch per folder. Chosen over uv_fs_event because one descriptor for the
 * whole tree gives one ordered event stream (a file created then renamed
 * arrives in order), exposes IN_CLOSE_WRITE (the writer is done: index
 * now) and IN_Q_OVERFLOW, and costs one kernel watch per folder instead of
 * one descriptor per folder.
 *
 * When the kernel's watch limit is reached (ENOSPC), the folders that could
 * not be watched are counted and logged once, with the limit and how to
 * raise it; the daemon's periodic reconcile covers them. */
#ifndef FOUILLE_WATCH_H
#define FOUILLE_WATCH_H

#include "scan.h"

#include <uv.h>

enum fouille__change {
    FOUILLE__CHANGE_WRITING,     /* content changing; wait for quiet */
    FOUILLE__CHANGE_DONE,        /* closed after writing, or moved in */
    FOUILLE__CHANGE_REMOVED,     /* deleted or moved out */
    FOUILLE__CHANGE_DIR_ADDED,   /* a folder appeared (created or moved in,
                                  * maybe with files): scan it */
    FOUILLE__CHANGE_DIR_REMOVED, /* a folder went away: drop all under it */
    FOUILLE__CHANGE_OVERFLOW,    /* events were lost: rescan everything */
};

struct fouille__watch;

/* relpath is relative to the root ("" for the root itself on overflow). */
typedef void (*fouille__watch_cb)(enum fouille__change kind,
                                  const char *relpath, void *ctx);

/* Start watching root and every folder below it that ig does not ignore.
 * Returns 0 or -1 with err (inotify unavailable). */
int fouille__watch_start(uv_loop_t *loop, const char *root,
                         const struct fouille__ignore *ig,
                         fouille__watch_cb cb, void *ctx,
                         struct fouille__watch **out, char *err,
                         size_t errlen);

/* Watch relpath and the folders below it (after a DIR_ADDED). */
void fouille__watch_add_tree(struct fouille__watch *w, const char *relpath);

struct fouille__watch_stats {
    unsigned long watches;    /* folders watched */
    unsigned long unwatched;  /* folders left to the periodic reconcile */
    unsigned long limit;      /* fs.inotify.max_user_watches */
    unsigned long overflows;
};
void fouille__watch_get_stats(const struct fouille__watch *w,
                              struct fouille__watch_stats *st);

/* Retry the folders that could not be watched (after the limit was
 * raised); returns how many are still unwatched. */
unsigned long fouille__watch_retry(struct fouille__watch *w);

/* Stop watching; closed runs when the handle is closed (w is freed). */
void fouille__watch_close(struct fouille__watch *w, void (*closed)(void *),
                          void *ctx);

#endif
