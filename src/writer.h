/* writer.h -- the single index writer thread of the daemon, and the
 * threads that analyse documents ahead of it.
 *
 * The loop thread hands it operations (store an extraction result, delete
 * a path or every path under a folder). Analysis threads take the stores
 * queued, in order, and analyse them (fouille_index_prepare: the words,
 * stem keys, positions and compressed text of a document need no index);
 * the writer thread applies the operations in order, adding documents
 * already analysed (a store nobody took yet it analyses itself), and
 * commits: at once when nothing else is coming (so a single changed
 * file is searchable quickly), in batches of batch_size while catching up,
 * and at most commit_ms after the first uncommitted change. After each
 * commit, every few operations, and after an operation the index
 * refused, it wakes the loop
 * (committed callback, on the loop thread); commits also bump the
 * generation that readers compare to reopen.
 *
 * Every operation of a batch is kept until its commit succeeds. A failed
 * commit, or a write refused for a reason that is not the document's
 * (disk full, descriptors or memory exhausted, I/O error), pauses
 * indexing: the error is logged once, the index handle is closed and
 * opened again after FOUILLE__WRITER_RETRY_S seconds (Xapian may have
 * closed it or dropped the batch), and the whole batch is applied again,
 * as often as it takes; "resumed" is logged after a commit succeeds.
 * Queries keep working on the last committed revision meanwhile. */
#ifndef FOUILLE_WRITER_H
#define FOUILLE_WRITER_H

#include "fouille-index.h"
#include "pool.h"

#include <stdint.h>
#include <uv.h>

struct fouille__writer;

#define FOUILLE__WRITER_RETRY_S 2

struct fouille__writer_stats {
    uint64_t generation;      /* commits so far */
    uint64_t queued;          /* operations waiting */
    uint64_t stored, deleted; /* operations applied */
    uint64_t committed;       /* documents in successful commits */
    uint64_t failures;        /* failed commits and writes */
    double last_commit;       /* time(2) of the last commit, 0 if none */
    int paused;               /* commits are failing */
    char last_error[256];
    uint64_t compactions;     /* index compactions since start */
    int compacting;           /* one is running */
    int compaction_pending;   /* one is due once the writer is idle */
};

/* The thread takes ownership of idx (opened for writing from db, which it
 * opens again after a failure). A batch is
 * committed when it holds batch_size documents or batch_bytes of text
 * (Xapian keeps a batch's postings in memory: text bounds it), or is
 * commit_ms old. busy reports whether more operations are on their way
 * (jobs in extraction, files in the debounce queue): while it returns
 * non-zero the writer waits for a fuller batch. committed runs on the
 * loop thread after each commit. analysts threads analyse the stores
 * queued (fouille__store_prepare) while the writer writes; with none, the
 * writer analyses each store itself. Once idle (nothing queued, busy
 * false, no commit for a few seconds) after documents amounting to
 * compact_percent of the index changed (0: never), the writer compacts the
 * index (fouille_index_compact). */
int fouille__writer_start(uv_loop_t *loop, fouille_index_t *idx,
                          const char *db, unsigned batch_size, size_t batch_bytes,
                          unsigned commit_ms, unsigned analysts,
                          unsigned compact_percent, int (*busy)(void *ctx),
                          void (*committed)(void *ctx), void *ctx,
                          struct fouille__writer **out);

/* Store a finished job (ownership passes to the writer). */
void fouille__writer_store(struct fouille__writer *w, struct fouille__job *job);
/* Delete a path; with is_folder, every path under that folder too. */
void fouille__writer_delete(struct fouille__writer *w, const char *path,
                            int is_folder);
/* Mark the document at path private or public (the private setting
 * changed), without extracting it again. */
void fouille__writer_set_private(struct fouille__writer *w, const char *path,
                                 int private_doc);
/* Wake the writer to re-check busy() (call when work drains). */
void fouille__writer_poke(struct fouille__writer *w);

/* Paths whose operation the index refused (I/O error, disk full) since
 * the last call: fn is called for each, on the caller's thread (the loop),
 * so the daemon forgets them and the next reconcile does them again. */
void fouille__writer_take_failed(struct fouille__writer *w,
                                 void (*fn)(const char *path, void *ctx),
                                 void *ctx);

/* Operations waiting to be applied (thread-safe). */
size_t fouille__writer_queued(struct fouille__writer *w);

/* The generation readers compare with their own (thread-safe). */
uint64_t fouille__writer_generation(const struct fouille__writer *w);

/* Readers of the index: a compaction replaces its files, and its revision
 * numbers start again, so a reader opened before one must be closed and
 * opened again, not reopened. The layout changes with each compaction
 * (thread-safe). A reader opens, reopens or closes its handle between
 * fouille__writer_read_lock() and _unlock(); with wait 0 the lock fails
 * (returns -1) while a compaction runs, and the reader may go on with the
 * revision it has (the writer is idle: it is the latest). */
uint64_t fouille__writer_layout(const struct fouille__writer *w);
int fouille__writer_read_lock(struct fouille__writer *w, int wait);
void fouille__writer_read_unlock(struct fouille__writer *w);
void fouille__writer_get_stats(struct fouille__writer *w,
                               struct fouille__writer_stats *st);

/* Apply what is queued, commit, stop the thread, close the index. The
 * committed callback does not run after this. Returns 0, or -1 when the
 * final commit failed (logged). */
int fouille__writer_stop(struct fouille__writer *w);

#endif
