/* relpath.h -- the one rule for a path inside the documents folder.
 *
 * Every path that names a document, whoever gives it (a `reindex` over the
 * socket, an inotify event, the reconcile walk, `/doc/` on HTTP), goes
 * through fouille__relpath_clean and is opened with fouille__open_beneath:
 *
 *   - the canonical form is relative, with no empty or "." component and no
 *     trailing slash: "fiches/", "./fiches" and "fiches//x" become "fiches"
 *     and "fiches/x", so one document has one name in the index;
 *   - ".." anywhere, and absolute paths, are refused: nothing outside the
 *     documents folder;
 *   - a component that is hidden or matches the ignore globs is refused, so
 *     what the walk never indexes cannot be reached by naming it;
 *   - a path longer than FOUILLE__RELPATH_MAX is refused (it could not be
 *     opened from the root in one call; the walk skips it with a record);
 *   - opening never follows a symbolic link, anywhere on the way
 *     (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or a component walk
 *     with O_NOFOLLOW on kernels older than 5.6). */
#ifndef FOUILLE_RELPATH_H
#define FOUILLE_RELPATH_H

#include "scan.h"

#include <limits.h>
#include <stddef.h>

/* The longest relative path a document may have, in bytes: PATH_MAX less
 * its terminating NUL. */
#define FOUILLE__RELPATH_MAX (PATH_MAX - 1)

enum fouille__relpath_status {
    FOUILLE__RELPATH_OK,
    FOUILLE__RELPATH_OUTSIDE,  /* absolute, or a ".." component */
    FOUILLE__RELPATH_IGNORED,  /* a hidden or ignored component */
    FOUILLE__RELPATH_TOO_LONG, /* over FOUILLE__RELPATH_MAX */
    FOUILLE__RELPATH_NO_MEMORY,
};

/* Put in into canonical form in *out (malloc'd; "" means the root itself)
 * and check it against ig (NULL: no hidden/ignore check). On anything but
 * OK, *out is NULL. */
enum fouille__relpath_status fouille__relpath_clean(
    const char *in, const struct fouille__ignore *ig, char **out);

/* A sentence for the user, for a status. */
const char *fouille__relpath_status_str(enum fouille__relpath_status st);

/* Whether some component of an already canonical relpath is ignored. */
int fouille__relpath_ignored(const struct fouille__ignore *ig,
                             const char *relpath);

/* dir + "/" + name ("" dir: name), malloc'd; NULL with errno ENAMETOOLONG
 * past FOUILLE__RELPATH_MAX, or ENOMEM. */
char *fouille__relpath_join(const char *dir, const char *name);

/* Open a canonical relpath ("" for the root) beneath rootfd with flags
 * (O_CLOEXEC and O_NOFOLLOW are added): no symbolic link is followed on the
 * way, nothing outside rootfd is reached. Returns the descriptor, or -1
 * with errno (ELOOP for a link, EXDEV or EACCES for an escape). */
int fouille__open_beneath(int rootfd, const char *relpath, int flags);

#endif
