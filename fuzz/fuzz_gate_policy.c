/* Fuzzes the gate policy loader (policies/gates.yaml; it reads a path only). */
#include <stdint.h>
#include <unistd.h>
#include <platci.h>

#include "fuzz_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[96];
	platci_gate_policy *p = NULL;
	platci_diag *diag = NULL;

	if (fuzz_tmp_write(path, sizeof(path), "gate", ".yaml", data, size) < 0)
		return 0;
	if (platci_diag_new(&diag) == 0) {
		if (platci_gate_policy_load(&p, path, NULL, diag) == 0)
			platci_gate_policy_has_env(p, "prd");
		platci_gate_policy_free(p);
		platci_diag_free(diag);
	}
	unlink(path);
	return 0;
}
