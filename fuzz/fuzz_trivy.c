/* Fuzzes the Trivy report reader: every finding it delivers is touched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(const platci_trivy_finding *f, void *payload)
{
	size_t *n = payload;

	if (!platci_trivy_severity_name(f->severity))
		abort(); /* a severity out of range */
	if (f->status)
		(void)strlen(f->status);
	if (f->image)
		(void)strlen(f->image);
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_trivy_options o = PLATCI_TRIVY_OPTIONS_INIT;
	platci_trivy_stats st;
	size_t n = 0, sum = 0;

	o.max_depth = 64;
	o.max_value_bytes = 1 << 20;
	if (platci_trivy_read_buffer(&st, "fuzz.json", (const char *)data, size, &o, touch, &n, NULL) == 0) {
		for (size_t k = 0; k < PLATCI_TRIVY_KINDS; k++)
			sum += st.read[k];
		if (sum != n)
			abort(); /* the stats count what was delivered */
	}
	return 0;
}
