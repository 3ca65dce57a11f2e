#include <unistd.h>

#include "helpers.h"

#define R1 \
	"{\"address\":\"b.second\",\"change\":{\"actions\":[\"update\"],\"before\":{\"x\":1,\"tags\":{}},\"after\":{\"x\":2,\"tags\":{\"k\":\"v\"}}}}"
#define R2 \
	"{\"address\":\"a.first\",\"change\":{\"actions\":[\"delete\"],\"before\":{\"x\":1},\"after\":null}}"
#define R3 \
	"{\"address\":\"c.third\",\"change\":{\"actions\":[\"no-op\"],\"before\":{\"x\":1},\"after\":{\"x\":1}}}"

static char *markdown_of(const char *plan)
{
	drift_case c;
	platci_buf md = PLATCI_BUF_INIT;
	char *out;
	dc_run(&c, plan, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_eq(platci_drift_render_markdown(&md, c.drift, NULL), 0);
	out = strdup(md.ptr);
	/* The plan's temporary path differs per run; cut the inputs line. */
	{
		char *p = strstr(out, "Terraform: `");
		if (p)
			*strchr(p, '\n') = '\0',
				   memmove(p, p + strlen(p) + 1, strlen(p + strlen(p) + 1) + 1);
	}
	platci_buf_dispose(&md);
	dc_dispose(&c);
	return out;
}

Test(drift_render, same_drift_same_summary_whatever_the_input_order)
{
	char *a = markdown_of("{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "," R2 "," R3 "]}");
	char *b = markdown_of("{\"format_version\":\"1.2\",\"resource_drift\":[" R3 "," R2 "," R1 "]}");
	cr_assert_str_eq(a, b);
	/* A table per category, deleted after changed (the category order), then details. */
	cr_assert(strstr(a, "#### Changed outside Terraform (1)") <
		  strstr(a, "#### Deleted outside Terraform (1)"));
	cr_assert(strstr(a, "#### Details") != NULL);
	/* Attribute paths in path order, whatever order the plan's keys came in. */
	cr_assert(strstr(a, "| `b.second` | update |  | `tags[\"k\"]`, `x` |") != NULL, "%s", a);
	free(a);
	free(b);
}

/* R1 with its keys in the other order: the same drift, as JSON objects have no order. */
#define R1_SWAPPED \
	"{\"address\":\"b.second\",\"change\":{\"actions\":[\"update\"],\"before\":{\"tags\":{},\"x\":1},\"after\":{\"tags\":{\"k\":\"v\"},\"x\":2}}}"

Test(drift_render, key_order_changes_neither_the_summary_nor_the_issue)
{
	char *a = markdown_of("{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "]}");
	char *b = markdown_of("{\"format_version\":\"1.2\",\"resource_drift\":[" R1_SWAPPED "]}");
	char ha[PLATCI_SHA256_HEX_SIZE], hb[PLATCI_SHA256_HEX_SIZE];
	drift_case c1, c2;

	cr_assert_str_eq(a, b);
	dc_run(&c1, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "]}", NULL, NULL, 0, NULL);
	dc_run(&c2, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1_SWAPPED "]}", NULL, NULL, 0, NULL);
	cr_assert_eq(platci_drift_set_hash(ha, c1.drift), 0);
	cr_assert_eq(platci_drift_set_hash(hb, c2.drift), 0);
	cr_assert_str_eq(ha, hb);
	cr_assert_str_eq(dc_find(&c1, "terraform.changed", "b.second")->attrs[0].path, "tags[\"k\"]");
	cr_assert_str_eq(dc_find(&c1, "terraform.changed", "b.second")->attrs[1].path, "x");
	dc_dispose(&c1);
	dc_dispose(&c2);
	free(a);
	free(b);
}

Test(drift_render, junit_has_one_case_per_checked_object)
{
	drift_case c;
	platci_junit *j = NULL;
	platci_buf xml = PLATCI_BUF_INIT;
	size_t cases = 0, failures = 0;

	dc_run(&c, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "," R2 "," R3 "]}", NULL,
		NULL, 0, NULL);
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_drift_junit(j, c.drift), 0);
	cr_assert_eq(platci_junit_render(&xml, j, "drift"), 0);
	for (const char *p = xml.ptr; (p = strstr(p, "<testcase ")) != NULL; p++)
		cases++;
	for (const char *p = xml.ptr; (p = strstr(p, "<failure ")) != NULL; p++)
		failures++;
	cr_assert_eq(cases, 3, "%s", xml.ptr);
	cr_assert_eq(failures, 2, "%s", xml.ptr);
	cr_assert(strstr(xml.ptr, "classname=\"drift.prd-uaenorth.terraform\" name=\"c.third\"/>") != NULL,
		"%s", xml.ptr);
	platci_buf_dispose(&xml);
	platci_junit_free(j);
	dc_dispose(&c);
}

Test(drift_render, json_is_parseable_and_counts_match)
{
	drift_case c;
	platci_buf out = PLATCI_BUF_INIT;
	platci_drift_render_options ro;
	json_t *root = NULL;

	dc_run(&c, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "," R2 "]}", NULL, NULL, 0, NULL);
	cr_assert_eq(platci_drift_render_options_init(&ro, PLATCI_DRIFT_RENDER_OPTIONS_VERSION), 0);
	ro.generated_at = "2026-11-26T02:00:00Z";
	cr_assert_eq(platci_drift_render_json(&out, c.drift, &ro), 0);
	cr_assert_eq(platci_json_parse(&root, "drift.json", out.ptr, out.size, NULL), 0);
	cr_assert(json_is_true(json_object_get(root, "drift")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(root, "counts"), "terraform_drift")),
		2);
	cr_assert_eq(json_array_size(json_object_get(root, "items")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(root, "generated_at")), "2026-11-26T02:00:00Z");
	cr_assert_str_eq(json_string_value(
				 json_object_get(json_array_get(json_object_get(root, "items"), 0), "category")),
		"terraform.changed");
	json_decref(root);
	platci_buf_dispose(&out);
	dc_dispose(&c);
}

Test(drift_render, a_huge_summary_is_cut_with_a_note)
{
	platci_buf plan = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_drift_render_options ro = PLATCI_DRIFT_RENDER_OPTIONS_INIT;
	drift_case c;

	platci_buf_puts(&plan, "{\"format_version\":\"1.2\",\"resource_drift\":[");
	for (int i = 0; i < 400; i++)
		platci_buf_printf(&plan,
			"%s{\"address\":\"azurerm_thing.t%03d\",\"change\":{\"actions\":[\"update\"],"
			"\"before\":{\"v\":1},\"after\":{\"v\":2}}}",
			i ? "," : "", i);
	platci_buf_puts(&plan, "]}");
	dc_run(&c, plan.ptr, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	ro.max_bytes = 4000;
	cr_assert_eq(platci_drift_render_markdown(&md, c.drift, &ro), 0);
	cr_assert_lt(md.size, 4300);
	cr_assert(strstr(md.ptr, "truncated at 4000 bytes") != NULL);
	platci_buf_dispose(&md);
	platci_buf_dispose(&plan);
	dc_dispose(&c);
}

Test(drift_render, junit_is_what_the_common_writer_makes_of_the_rule)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_pending p[] = { { "image web", "f.yaml", 3, "1", "2" },
		{ "image web", "g.yaml", 4, "1", "2" } };
	platci_buf a = PLATCI_BUF_INIT, b = PLATCI_BUF_INIT, del = PLATCI_BUF_INIT, chg = PLATCI_BUF_INIT;
	platci_junit *j = NULL, *want = NULL;
	const char *cls = "drift.prd-uaenorth.terraform";
	const platci_drift_item *it;
	drift_case c;

	opts.pending = p;
	opts.npending = 2;
	dc_run(&c, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "," R2 "," R3 "]}", NULL,
		NULL, 0, &opts);
	cr_assert_eq(c.rc, 0);
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_drift_junit(j, c.drift), 0);
	cr_assert_eq(platci_junit_render(&a, j, "drift"), 0);

	/*
	 * The rule (docs/drift.md), written out through the common writer: one
	 * case per checked resource in identity order, failing with "[category]
	 * message" when it drifted; each pending promotion a skipped case, the
	 * second of the same name numbered by the writer.
	 */
	it = dc_find(&c, "terraform.deleted", "a.first");
	cr_assert_not_null(it);
	platci_buf_printf(&del, "[terraform.deleted] %s", it->message);
	it = dc_find(&c, "terraform.changed", "b.second");
	cr_assert_not_null(it);
	platci_buf_printf(&chg, "[terraform.changed] %s", it->message);
	cr_assert_eq(platci_junit_new(&want), 0);
	cr_assert_eq(platci_junit_add(want, cls, "a.first", del.ptr, del.ptr, NULL), 0);
	cr_assert_eq(platci_junit_add(want, cls, "b.second", chg.ptr, chg.ptr, NULL), 0);
	cr_assert_eq(platci_junit_add(want, cls, "c.third", NULL, NULL, NULL), 0);
	for (size_t i = 0; i < platci_drift_item_count(c.drift); i++) {
		it = platci_drift_item_at(c.drift, i);
		if (it->source == PLATCI_DRIFT_PENDING)
			cr_assert_eq(platci_junit_add(want, "drift.prd-uaenorth.pending",
					     "image web", NULL, NULL, it->message),
				0);
	}
	cr_assert_eq(platci_junit_render(&b, want, "drift"), 0);
	cr_assert_str_eq(a.ptr, b.ptr);
	cr_assert(strstr(a.ptr, "name=\"image web #2\"") != NULL, "%s", a.ptr);
	platci_buf_dispose(&a);
	platci_buf_dispose(&b);
	platci_buf_dispose(&del);
	platci_buf_dispose(&chg);
	platci_junit_free(j);
	platci_junit_free(want);
	dc_dispose(&c);
}

/* drift.json written as it is rendered holds the bytes the renderer gives, compact and pretty. */
Test(drift_render, written_json_is_the_rendered_json)
{
	drift_case c;
	platci_drift_render_options ro = PLATCI_DRIFT_RENDER_OPTIONS_INIT;
	char *dir = th_tmpdir(), path[4096], *got;
	platci_diag *diag = NULL;
	size_t len;

	cr_assert_eq(platci_diag_new(&diag), 0);
	dc_run(&c, "{\"format_version\":\"1.2\",\"resource_drift\":[" R1 "," R2 "," R3 "]}", NULL,
		NULL, 0, NULL);
	ro.generated_at = "2026-12-05T00:00:00Z";
	for (int pretty = 0; pretty < 2; pretty++) {
		platci_buf want = PLATCI_BUF_INIT;
		ro.pretty = pretty;
		cr_assert_eq(platci_drift_render_json(&want, c.drift, &ro), 0);
		snprintf(path, sizeof(path), "%s/drift.json", dir);
		cr_assert_eq(platci_drift_write_json(path, c.drift, &ro, diag), 0);
		got = th_read(path, &len);
		cr_assert_eq(len, want.size);
		cr_assert_eq(memcmp(got, want.ptr, len), 0, "%s", got);
		free(got);
		platci_buf_dispose(&want);
	}
	/* A folder that is not there: an error with a diagnostic, and no file. */
	snprintf(path, sizeof(path), "%s/missing/drift.json", dir);
	cr_assert_eq(platci_drift_write_json(path, c.drift, &ro, diag), PLATCI_EIO);
	cr_assert_gt(platci_diag_count(diag), 0);
	cr_assert_eq(access(path, F_OK), -1);
	platci_diag_free(diag);
	dc_dispose(&c);
	th_rmrf(dir);
	free(dir);
}
