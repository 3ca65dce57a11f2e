/* Fuzzes the pending-promotions reader of drift (a JSON array; it reads a path only). */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <platci.h>

#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[96];
	platci_drift_pending_set *s = NULL;
	platci_diag *diag = NULL;

	if (fuzz_tmp_write(path, sizeof(path), "pending", ".json", data, size) < 0)
		return 0;
	if (platci_diag_new(&diag) == 0) {
		if (platci_drift_pending_load(&s, path, diag) == 0 &&
			platci_drift_pending_set_count(s) && !platci_drift_pending_set_items(s))
			abort();
		platci_drift_pending_set_free(s);
		platci_diag_free(diag);
	}
	unlink(path);
	return 0;
}
