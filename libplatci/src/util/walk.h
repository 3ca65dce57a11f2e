/*
 * The library's one directory walker: depth first, the entries of each
 * folder in name order (so what callers build does not depend on the file
 * system's order), names starting with '.' skipped, symbolic links
 * reported (from lstat) but never followed into folders.
 */
#ifndef PLATCI_UTIL_WALK_H
#define PLATCI_UTIL_WALK_H

#include <stddef.h>
#include <sys/stat.h>

/* A callback's answer for a folder it does not want entered. */
#define PLATCI__WALK_SKIP 1

/*
 * Called once per entry: @p rel is the entry's path relative to the walk's
 * root ("a/b.yaml"), @p full its path on disk, @p st what lstat() said.
 * Returns 0 to go on, PLATCI__WALK_SKIP to leave a folder out, or a
 * negative PLATCI_E* code to stop the walk with it.
 */
typedef int (*platci__walk_cb)(const char *rel, const char *full, const struct stat *st, void *payload);

/*
 * Walks the folder @p rel (repo-relative; "" or "." for the root itself)
 * under @p root, going at most @p max_depth folders deep. A folder that
 * cannot be opened has nothing to walk: it is passed over, as are entries
 * lstat() cannot see. @return 0, the callback's negative code, or
 * PLATCI_ENOMEM.
 */
int platci__walk(const char *root, const char *rel, size_t max_depth, platci__walk_cb cb, void *payload);

#endif
