/*
 * Fuzzes the HCL fact scanner (libplatci/src/hcl.c): any bytes must scan
 * or fail with a position, never read past the input, never leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

#include "hcl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1); /* exact size: an overread is a sanitizer error */
	platci_diag *diag = NULL;
	hcl_file f;

	if (!copy || platci_diag_new(&diag) < 0) {
		free(copy);
		return 0;
	}
	memcpy(copy, data, size);
	if (platci__hcl_scan(&f, copy, size, "fuzz.tf", diag) == 0) {
		/* touch every fact the checks read */
		for (size_t b = 0; b < f.nblocks; b++) {
			const hcl_attr *at = NULL;
			platci__hcl_attr(&f, b, "source", &at);
			platci__hcl_attr(&f, b, "version", NULL);
			platci__hcl_attr(&f, b, "key", NULL);
			if (f.blocks[b].parent != HCL_TOP && f.blocks[b].parent >= f.nblocks)
				abort();
		}
		for (size_t i = 0; i < f.nattrs; i++)
			if (!f.attrs[i].name ||
				(f.attrs[i].block != HCL_TOP && f.attrs[i].block >= f.nblocks))
				abort();
		platci__hcl_dispose(&f);
	} else if (platci_diag_count(diag) && platci_diag_at(diag, 0)->line == 0) {
		abort(); /* a refusal says where */
	}
	platci_diag_free(diag);
	free(copy);
	return 0;
}
