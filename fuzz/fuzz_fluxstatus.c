/* Fuzzes the Flux status reader (`kubectl get ... -o json`) and the readiness judge. */
#include <stdint.h>
#include <stdlib.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_flux_status_options o = PLATCI_FLUX_STATUS_OPTIONS_INIT;
	platci_flux_status *st = NULL;
	platci_buf why = PLATCI_BUF_INIT;

	o.max_objects = 1000;
	if (platci_flux_status_new(&st, &o) < 0)
		return 0;
	if (platci_flux_status_read_buffer(st, "fuzz.json", (const char *)data, size, NULL) == 0) {
		for (size_t i = 0; i < platci_flux_status_count(st); i++) {
			const platci_flux_object *obj = platci_flux_status_at(st, i);
			platci_flux_readiness r;
			if (!obj)
				abort();
			platci_flux_object_readiness(&r, st, obj);
			platci_flux_object_is_ready(obj);
		}
		platci_flux_status_ready(st, &why);
	}
	platci_buf_dispose(&why);
	platci_flux_status_free(st);
	return 0;
}
