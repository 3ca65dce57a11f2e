/* Fuzzes the scan policy loader (policies/scan.yaml; it reads a path only). */
#include <stdint.h>
#include <unistd.h>
#include <platci.h>

#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[96];
	platci_scan_policy *p = NULL;
	platci_diag *diag = NULL;

	if (fuzz_tmp_write(path, sizeof(path), "scan", ".yaml", data, size) < 0)
		return 0;
	if (platci_diag_new(&diag) == 0) {
		platci_scan_policy_load(&p, path, NULL, diag);
		platci_scan_policy_free(p);
		platci_diag_free(diag);
	}
	unlink(path);
	return 0;
}
