/* scan.h -- walk the documents folder: every regular file that is not
 * ignored, with its path relative to the root and its stat signature.
 *
 * Symbolic links are not followed (a link could lead out of the documents
 * root or into a loop); hidden names and the configured glob patterns are
 * skipped. The walk keeps a stack of folder paths, not recursion, and
 * opens one folder at a time from the root (relpath.h), so neither a deep
 * tree nor a wide one can exhaust the C stack or the descriptors; a path
 * longer than FOUILLE__RELPATH_MAX is skipped, with everything below it,
 * and reported once to the error callback with ENAMETOOLONG. */
#ifndef FOUILLE_SCAN_H
#define FOUILLE_SCAN_H

#include <stddef.h>
#include <sys/stat.h>

struct fouille__ignore {
    char **patterns; /* fnmatch globs on the file name */
    size_t n;
    int hidden_too;  /* index hidden names */
};

/* Parse a comma-separated list of globs. Returns 0 or -1 (no memory). */
/* The next item of the comma-separated list at *p, without the spaces
 * around it: its start, with its length in *len (0 for an empty item);
 * *p moves past it. NULL at the end of the list. The ignore and private
 * settings are such lists. */
const char *fouille__list_next(const char **p, size_t *len);

int fouille__ignore_init(struct fouille__ignore *ig, const char *globs,
                         int index_hidden);
void fouille__ignore_free(struct fouille__ignore *ig);
/* Whether a file or folder name (one path component) is ignored. */
int fouille__ignored(const struct fouille__ignore *ig, const char *name);

/* Whether err says nothing about a file but about the moment: descriptors
 * or memory exhausted (EMFILE, ENFILE, ENOMEM, EAGAIN), disk full
 * (ENOSPC). Such a failure is retried, never recorded against the file,
 * and never taken to mean that a file is gone. */
int fouille__transient_errno(int err);

/* A file's stat signature: changes whenever its content may have changed
 * (size, modification time to the nanosecond, inode). */
#define FOUILLE__SIG_MAX 64
void fouille__signature(const struct stat *st, char out[FOUILLE__SIG_MAX]);

/* Called for each regular file. Return non-zero to stop the walk. */
typedef int (*fouille__scan_cb)(const char *relpath, const struct stat *st,
                                void *ctx);
/* Called for each folder that cannot be read, and for each file or folder
 * whose path is too long (err ENAMETOOLONG, relpath then shortened to its
 * beginning and end); the walk goes on. */
typedef void (*fouille__scan_err_cb)(const char *relpath, int err,
                                     void *ctx);

/* Walk root (or its subfolder sub, relative, "" for all). Returns 0, the
 * callback's non-zero value, or -1 with errno when root itself cannot be
 * opened. */
int fouille__scan(const char *root, const char *sub,
                  const struct fouille__ignore *ig, fouille__scan_cb cb,
                  fouille__scan_err_cb err_cb, void *ctx);

#endif
