/* Private file reading shared by the modules that stream a file (fs.c). */
#ifndef PLATCI_SRC_FS_INT_H
#define PLATCI_SRC_FS_INT_H

#include "platci/diag.h"

/* Takes the next block; a negative return stops the read with that code. */
typedef int (*platci_fs__block_cb)(void *payload, const void *data, size_t len);

/*
 * Reads @p path ("-": standard input) in blocks of @p block_size bytes,
 * handing each to @p feed. A file is never held whole.
 * @return 0; PLATCI_ENOTFOUND or PLATCI_EIO with a diagnostic ("cannot open
 *         @p what: ...", "cannot read @p what (is it a directory?)"); feed's code.
 */
int platci_fs__read_blocks(const char *path, const char *what, size_t block_size,
	platci_fs__block_cb feed, void *payload, platci_diag *diag);

#endif
