/*
 * The library's one directory walker: depth first, the entries of each
 * folder in name order (so what callers build does not depend on the file
 * system's order), names starting with '.' skipped (unless
 * PLATCI__WALK_HIDDEN), symbolic links reported (from lstat) but never
 * followed into folders.
 */
#ifndef PLATCI_UTIL_WALK_H
#define PLATCI_UTIL_WALK_H

#include <stddef.h>
#include <sys/stat.h>

/* A callback's answer for a folder it does not want entered. */
#define PLATCI__WALK_SKIP 1

/* Flags: report names starting with '.' too ("." and ".." never). */
#define PLATCI__WALK_HIDDEN 1u

/*
 * Called once per entry: @p rel is the entry's path relative to the walk's
 * root ("a/b.yaml"), @p full its path on disk, @p st what lstat() said.
 * Returns 0 to go on, PLATCI__WALK_SKIP to leave a folder out, or a
 * negative PLATCI_E* code to stop the walk with it.
 */
typedef int (*platci__walk_cb)(const char *rel, const char *full, const struct stat *st, void *payload);

/*
 * Walks the folder @p rel (repo-relative; "" or "." for the root itself)
 * under @p root, going at most @p max_depth folders deep (0: the entries of
 * @p rel only). A folder that cannot be opened has nothing to walk: it is
 * passed over, as are entries lstat() cannot see. @p flags: PLATCI__WALK_*.
 * @return 0, the callback's negative code, or PLATCI_ENOMEM.
 */
int platci__walk(const char *root, const char *rel, size_t max_depth, unsigned int flags,
	platci__walk_cb cb, void *payload);

/*
 * Removes @p path: a file or link is unlinked, a folder emptied (its
 * entries, hidden ones too, @p max_depth folders deep; links are removed,
 * never followed) and removed. A missing @p path is fine. @return 0, or
 * PLATCI_EIO when @p path is still there (something in it could not go).
 */
int platci__rmtree(const char *path, size_t max_depth);

#endif
