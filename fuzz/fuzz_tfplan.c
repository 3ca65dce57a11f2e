/*
 * Fuzzes the Terraform plan reader: the input read whole, and again fed in
 * three blocks through the incremental reader. Both must agree on success.
 */
#include <stdint.h>
#include <stdlib.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_leaf(const platci_value_change *v, void *payload)
{
	(void)payload;
	if (!v->path)
		abort();
	return 0;
}

static int on_change(const platci_tfplan_change *c, void *payload)
{
	(void)payload;
	if (!c->address)
		abort(); /* documented: never NULL */
	platci_tfplan_change_diff(c, on_leaf, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *whole = NULL, *fed = NULL;
	platci_tfplan_reader *r = NULL;
	int e1, e2 = 0;

	o.name = "fuzz.json";
	o.on_change = on_change;
	o.on_drift = on_change;
	o.max_entries = 50;
	e1 = platci_tfplan_read_buffer(&whole, (const char *)data, size, &o, NULL);
	if (whole) {
		platci_tfplan_format_version(whole);
		platci_tfplan_terraform_version(whole);
		platci_tfplan_refresh_only(whole);
	}
	o.on_change = o.on_drift = NULL;
	if (platci_tfplan_reader_new(&r, &o) == 0) {
		size_t a = size / 3, b = 2 * size / 3;
		if ((e2 = platci_tfplan_reader_feed(r, data, a, NULL)) == 0 &&
			(e2 = platci_tfplan_reader_feed(r, data + a, b - a, NULL)) == 0 &&
			(e2 = platci_tfplan_reader_feed(r, data + b, size - b, NULL)) == 0)
			e2 = platci_tfplan_reader_finish(&fed, r, NULL);
		if ((e1 == 0) != (e2 == 0) && e1 != PLATCI_ENOMEM && e2 != PLATCI_ENOMEM)
			abort(); /* block boundaries must not change the verdict */
	}
	platci_tfplan_reader_free(r);
	platci_tfplan_free(fed);
	platci_tfplan_free(whole);
	return 0;
}
