/*
 * The library's one directory walker: depth first, the entries of each
 * folder in name order (so what callers build does not depend on the file
 * system's order), names starting with '.' skipped (unless
 * PLATCI__WALK_HIDDEN), symbolic links reported (from lstat) but never
 * followed into folders (unless PLATCI__WALK_FOLLOW).
 */
#ifndef PLATCI_UTIL_WALK_H
#define PLATCI_UTIL_WALK_H

#include <stddef.h>
#include <sys/stat.h>

/* A callback's answer for a folder it does not want entered. */
#define PLATCI__WALK_SKIP 1
/* A callback's answer when it has what it wanted: the walk ends, returning 0. */
#define PLATCI__WALK_STOP 2

/* Flags: report names starting with '.' too ("." and ".." never). */
#define PLATCI__WALK_HIDDEN 1u
/*
 * Flags: follow symbolic links (stat, not lstat), into folders too. A link
 * back to a folder the walk is already inside (a cycle) is reported like
 * any folder but not entered again, so a loop of links ends.
 */
#define PLATCI__WALK_FOLLOW 2u
/*
 * Flags: a folder that cannot be listed (the start folder too, named "."
 * when it is the root) is passed to the callback with @p st NULL, so the
 * caller can make it an error; without this flag it is passed over.
 */
#define PLATCI__WALK_UNLISTED 4u

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
 * passed over (see PLATCI__WALK_UNLISTED), as are entries lstat() (or
 * stat()) cannot see. @p flags: PLATCI__WALK_*.
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
