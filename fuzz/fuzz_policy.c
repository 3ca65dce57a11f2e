/* Fuzzes the policy rule loader (policies/manifests.yaml, through the rules-file walker). */
#include <stdint.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_policy *p = NULL;
	platci_diag *diag = NULL;

	if (platci_diag_new(&diag) < 0)
		return 0;
	/* a fixed clock: expiry checks must not depend on the day the fuzzer runs */
	if (platci_policy_load_buffer(&p, "fuzz.yaml", (const char *)data, size, NULL, 1767225600, diag) == 0)
		platci_policy_rule_count(p);
	platci_policy_free(p);
	platci_diag_free(diag);
	return 0;
}
