/**
 * @file platci/fs.h
 * @brief Reading whole files with a cap, atomic writes, and walking a folder.
 */
#ifndef PLATCI_FS_H
#define PLATCI_FS_H

#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"

PLATCI_BEGIN_DECL

/**
 * Reads the whole regular file @p path into @p out (appended).
 *
 * @param max refuse files larger than this many bytes (0: no cap)
 * @return 0; PLATCI_ENOTFOUND (missing), PLATCI_EIO (unreadable, a
 *         directory, a device), PLATCI_ELIMIT (too large) or
 *         PLATCI_ENOMEM; each failure also adds a diagnostic naming @p path.
 */
PLATCI_EXTERN(int) platci_fs_read(platci_buf *out, const char *path, size_t max, platci_diag *diag);

/**
 * Writes @p len bytes to @p path atomically: a temporary file in the same
 * directory, fsync, then rename over @p path. Readers see the old file or
 * the new one, never a half-written one; on failure the temporary file is
 * removed and @p path is untouched.
 *
 * @return 0 or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_fs_write_atomic(const char *path, const void *data, size_t len, platci_diag *diag);

/** A file being written atomically, piece by piece (platci_fs_atomic_open()). */
typedef struct platci_fs_file platci_fs_file;

/**
 * Starts writing @p path atomically, for content made piece by piece (a
 * report of hundreds of thousands of findings): the bytes go, buffered, to
 * a temporary file beside @p path, which platci_fs_atomic_commit() fsyncs
 * and renames over @p path; platci_fs_atomic_abort() removes it.
 *
 * @return 0, PLATCI_ENOMEM or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int) platci_fs_atomic_open(platci_fs_file **out, const char *path, platci_diag *diag);

/** Appends @p len bytes. @return 0, or PLATCI_EIO / PLATCI_ENOMEM (reported again by commit). */
PLATCI_EXTERN(int) platci_fs_atomic_write(platci_fs_file *f, const void *data, size_t len);

/**
 * The buffer that platci_fs_atomic_write() fills, for writers that render
 * straight into it; call platci_fs_atomic_flush() now and then.
 */
PLATCI_EXTERN(platci_buf *) platci_fs_atomic_buf(platci_fs_file *f);

/** Writes the buffer out once it holds a megabyte or more. @return as write. */
PLATCI_EXTERN(int) platci_fs_atomic_flush(platci_fs_file *f);

/**
 * Writes what is buffered, fsyncs and renames the file into place, then
 * frees @p f. @return 0, PLATCI_ENOMEM or PLATCI_EIO (with a diagnostic);
 * on failure the temporary file is removed.
 */
PLATCI_EXTERN(int) platci_fs_atomic_commit(platci_fs_file *f, platci_diag *diag);

/** Removes the temporary file and frees @p f. NULL is a no-op. */
PLATCI_EXTERN(void) platci_fs_atomic_abort(platci_fs_file *f);

/**
 * Creates directory @p path and its parents (mode 0755) when missing.
 * @return 0 or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int) platci_fs_mkdirs(const char *path, platci_diag *diag);

/** 1 when @p path is an existing directory, else 0. */
PLATCI_EXTERN(int) platci_fs_is_dir(const char *path);

/** 1 when @p path exists (any type, links followed), else 0. */
PLATCI_EXTERN(int) platci_fs_exists(const char *path);

/** platci_fs_walk() flag: report names starting with '.' too. */
#define PLATCI_FS_WALK_HIDDEN 1u
/** platci_fs_walk() flag: follow links, into folders too (a cycle is not entered again). */
#define PLATCI_FS_WALK_FOLLOW 2u
/** platci_fs_walk() flag: a folder that cannot be listed reaches the callback with st NULL. */
#define PLATCI_FS_WALK_UNLISTED 4u
/** A walk callback's answer for a folder it does not want entered. */
#define PLATCI_FS_WALK_SKIP 1
/** A walk callback's answer when it has what it wanted: the walk ends with 0. */
#define PLATCI_FS_WALK_STOP 2

/**
 * Called by platci_fs_walk() once per entry: @p rel its path below the
 * folder walked, @p full its path on disk, @p st what lstat() said
 * (stat() with PLATCI_FS_WALK_FOLLOW; NULL for a folder that cannot be
 * listed, with PLATCI_FS_WALK_UNLISTED). Returns 0, PLATCI_FS_WALK_SKIP,
 * PLATCI_FS_WALK_STOP, or a negative code that ends the walk with it.
 */
typedef int (*platci_fs_walk_cb)(const char *rel, const char *full, const struct stat *st, void *payload);

/**
 * Walks folder @p dir depth first, each folder's entries in name order
 * (byte order), dot-files left out unless PLATCI_FS_WALK_HIDDEN, at most
 * @p max_depth folders deep (0: @p dir's own entries). The library's one
 * walker, for runners: the library itself walks with it too.
 *
 * @return 0, the callback's negative code, or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fs_walk(const char *dir, size_t max_depth, unsigned int flags, platci_fs_walk_cb cb, void *payload);

PLATCI_END_DECL

#endif
