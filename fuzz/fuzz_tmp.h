/*
 * For harnesses of loaders that only take a path: the input written to a
 * file named after the process, so parallel fuzzers do not collide.
 */
#ifndef PLATCI_FUZZ_TMP_H
#define PLATCI_FUZZ_TMP_H
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* Writes @p data to /tmp/platci-fuzz-<what>-<pid><ext> (path in @p path). 0 or -1. */
static inline int fuzz_tmp_write(char *path, size_t cap, const char *what, const char *ext,
	const uint8_t *data, size_t size)
{
	FILE *f;
	int ok;

	snprintf(path, cap, "/tmp/platci-fuzz-%s-%ld%s", what, (long)getpid(), ext);
	if (!(f = fopen(path, "wb")))
		return -1;
	ok = fwrite(data, 1, size, f) == size;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}
#endif
