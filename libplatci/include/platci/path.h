/**
 * @file platci/path.h
 * @brief Repository-relative paths that cannot leave the repository root.
 *
 * Inputs name files relative to a root (a repository checkout). These
 * functions normalise such names lexically and refuse any that would
 * resolve outside the root: absolute paths, `..` past the top, and
 * symbolic links whose target lies outside.
 */
#ifndef PLATCI_PATH_H
#define PLATCI_PATH_H

#include "buf.h"

PLATCI_BEGIN_DECL

/**
 * Normalises the relative path @p rel: collapses `//` and `./`, resolves
 * `..` lexically, drops a trailing `/`. The result is written to @p out
 * (replacing its contents); "." stands for the root itself.
 *
 * @return 0; PLATCI_EUNSAFE when @p rel is absolute or climbs above its
 *         start; PLATCI_EINVALID for an empty name or an embedded NUL.
 */
PLATCI_EXTERN(int) platci_path_normalize(platci_buf *out, const char *rel);

/**
 * Joins @p base (itself repo-relative, may be "" or ".") and @p rel, then
 * normalises, so `a/b` + `../c` gives `a/c`. Same errors as
 * platci_path_normalize(); climbing above the root is PLATCI_EUNSAFE.
 */
PLATCI_EXTERN(int) platci_path_join(platci_buf *out, const char *base, const char *rel);

/**
 * The path on disk of repo-relative @p rel inside the checkout at @p root:
 * @p root as given (absolute or relative to the working directory, which
 * platci_path_join() would refuse), then @p rel normalised; "." is @p root
 * itself. Writes to @p out, replacing its contents.
 *
 * @return 0; PLATCI_EUNSAFE when @p rel is absolute or climbs out of
 *         @p root; PLATCI_EINVALID for an empty @p root or @p rel;
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_path_on_disk(platci_buf *out, const char *root, const char *rel);

/**
 * Checks that repo-relative @p rel, once every symbolic link on the way
 * is followed, stays inside @p root. A missing final component is fine
 * (the parents are checked).
 *
 * @return 0; PLATCI_EUNSAFE when it leaves the root; PLATCI_EIO when
 *         @p root cannot be resolved.
 */
PLATCI_EXTERN(int) platci_path_check_inside(const char *root, const char *rel);

/** Directory part of @p path (without the final slash) into @p out; "." when none. */
PLATCI_EXTERN(int) platci_path_dirname(platci_buf *out, const char *path);

/** 1 when @p path equals @p dir or lies below it (both normalised, relative). */
PLATCI_EXTERN(int) platci_path_is_under(const char *path, const char *dir);

PLATCI_END_DECL

#endif
