/*
 * Fuzzes the Terraform plan reader: the input read whole, and again fed in
 * three blocks through the incremental reader. Both must agree on success,
 * and both must give the SHA-256 of the bytes. Every change also goes into
 * a plan fingerprint, whose note must read back with the same digest, and
 * which must be the same when the changes past the summary hand `after`
 * over as text (PLATCI_TFPLAN_VALUES_AFTER_TEXT) instead of built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
	if (!c->address)
		abort(); /* documented: never NULL */
	platci_tfplan_change_diff(c, on_leaf, NULL);
	return payload ? platci_plan_fingerprint_add(payload, c) : 0;
}

/* The note a fingerprint renders reads back as the same digest. */
static void round_trip(platci_plan_fingerprint *fp)
{
	platci_plan_fingerprint *back = NULL;
	platci_buf note = PLATCI_BUF_INIT;

	if (platci_plan_fingerprint_finish(fp) == 0 && platci_plan_fingerprint_render_note(&note, fp) == 0 &&
		platci_plan_fingerprint_parse(&back, note.ptr, "fuzz", NULL) == 0 &&
		strcmp(platci_plan_fingerprint_digest(back), platci_plan_fingerprint_digest(fp)) != 0)
		abort();
	platci_plan_fingerprint_free(back);
	platci_buf_dispose(&note);
}

/*
 * The fingerprint of the changes read with `after` as text past the first
 * two entries; it must equal @p built's. Without `before` built, an input
 * refused for a repeated key there can be read now: only a success before
 * binds.
 */
static void same_from_text(const uint8_t *data, size_t size, platci_plan_fingerprint *built)
{
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_plan_fingerprint *fp = NULL;
	platci_tfplan *p = NULL;
	int rc;

	if (platci_plan_fingerprint_new(&fp, "fuzz") < 0)
		return;
	o.on_change = on_change;
	o.payload = fp;
	o.max_entries = 2;
	o.callback_values = PLATCI_TFPLAN_VALUES_NO_BEFORE | PLATCI_TFPLAN_VALUES_AFTER_TEXT;
	rc = platci_tfplan_read_buffer(&p, (const char *)data, size, &o, NULL);
	if (rc != 0 && rc != PLATCI_ENOMEM)
		abort(); /* read whole with every value built, it was accepted */
	if (rc == 0 && platci_plan_fingerprint_finish(fp) == 0 &&
		strcmp(platci_plan_fingerprint_digest(fp), platci_plan_fingerprint_digest(built)) != 0)
		abort();
	platci_tfplan_free(p);
	platci_plan_fingerprint_free(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *whole = NULL, *fed = NULL;
	platci_tfplan_reader *r = NULL;
	platci_plan_fingerprint *fp = NULL;
	char want[PLATCI_SHA256_HEX_SIZE];
	int e1, e2 = 0;

	if (platci_plan_fingerprint_new(&fp, "fuzz") < 0)
		return 0;
	o.name = "fuzz.json";
	o.on_change = on_change;
	o.on_drift = on_change;
	o.payload = fp;
	o.max_entries = 50;
	o.hash_input = 1;
	e1 = platci_tfplan_read_buffer(&whole, (const char *)data, size, &o, NULL);
	if (platci_sha256_hex(want, data, size) < 0)
		want[0] = '\0';
	if (whole) {
		const char *got = platci_tfplan_input_sha256(whole);
		if (want[0] && (!got || strcmp(got, want) != 0))
			abort(); /* the digest is of every byte read */
		round_trip(fp);
		same_from_text(data, size, fp);
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
		if (fed && want[0] && strcmp(platci_tfplan_input_sha256(fed), want) != 0)
			abort(); /* nor the digest */
	}
	platci_plan_fingerprint_free(fp);
	platci_tfplan_reader_free(r);
	platci_tfplan_free(fed);
	platci_tfplan_free(whole);
	return 0;
}
