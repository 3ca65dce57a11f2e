/**
 * @file platci/fs.h
 * @brief Reading whole files with a cap, and atomic writes.
 */
#ifndef PLATCI_FS_H
#define PLATCI_FS_H

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
PLATCI_EXTERN(int) platci_fs_read(platci_buf *out, const char *path, size_t max,
	platci_diag *diag);

/**
 * Writes @p len bytes to @p path atomically: a temporary file in the same
 * directory, fsync, then rename over @p path. Readers see the old file or
 * the new one, never a half-written one; on failure the temporary file is
 * removed and @p path is untouched.
 *
 * @return 0 or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int) platci_fs_write_atomic(const char *path, const void *data, size_t len,
	platci_diag *diag);

/**
 * Creates directory @p path and its parents (mode 0755) when missing.
 * @return 0 or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int) platci_fs_mkdirs(const char *path, platci_diag *diag);

/** 1 when @p path is an existing directory, else 0. */
PLATCI_EXTERN(int) platci_fs_is_dir(const char *path);

/** 1 when @p path exists (any type, links followed), else 0. */
PLATCI_EXTERN(int) platci_fs_exists(const char *path);

PLATCI_END_DECL

#endif
