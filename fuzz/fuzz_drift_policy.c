/* Fuzzes the drift rule loader (policies/drift.yaml, through the rules-file walker). */
#include <stdint.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_drift_policy *p = NULL;
	platci_diag *diag = NULL;

	if (platci_diag_new(&diag) < 0)
		return 0;
	platci_drift_policy_load_buffer(&p, "fuzz.yaml", (const char *)data, size, NULL, diag);
	platci_drift_policy_free(p);
	platci_diag_free(diag);
	return 0;
}
