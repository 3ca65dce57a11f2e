/* Helpers shared by the unit tests. */
#ifndef PLATCI_TEST_HELPERS_H
#define PLATCI_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <platci.h>

/* A fresh temporary directory; the caller removes it with th_rmrf(). */
char *th_tmpdir(void);
void th_rmrf(const char *path);
/* Writes @p data to dir/name (creating parent folders). Returns the full path (malloc). */
char *th_write(const char *dir, const char *name, const char *data, size_t len);
/* Makes @p dir/@p name a symbolic link to @p target (asserts it could). */
void th_symlink(const char *dir, const char *name, const char *target);
/* Reads a whole file (malloc, NUL-terminated) or NULL. */
char *th_read(const char *path, size_t *len_out);
/* 1 when the shared fixtures folder exists. */
int th_have_fixtures(void);

#endif
