#include "test_helpers.h"
#include <stddef.h>

#define FX PLATCI_TEST_FIXTURES "/tfplan/"

static platci_tfplan *read_ok(const char *path)
{
	platci_tfplan *p = NULL;
	platci_diag *d = NULL;
	int rc;

	cr_assert_eq(platci_diag_new(&d), 0);
	rc = platci_tfplan_read_file(&p, path, NULL, d);
	if (rc) {
		char line[600];
		platci_diag_format(line, sizeof(line), platci_diag_at(d, 0));
		cr_assert_fail("%s: %d %s", path, rc, line);
	}
	platci_diag_free(d);
	return p;
}

/* Reads a buffer; returns the code and the first diagnostic's text. */
static int read_buf(platci_tfplan **out, const char *data, size_t len, char *msg, size_t size, size_t *line_out)
{
	platci_diag *d = NULL;
	int rc;

	cr_assert_eq(platci_diag_new(&d), 0);
	rc = platci_tfplan_read_buffer(out, data, len, NULL, d);
	msg[0] = '\0';
	if (line_out)
		*line_out = 0;
	for (size_t i = 0; i < platci_diag_count(d); i++) {
		const platci_diag_entry *e = platci_diag_at(d, i);
		if (e->level == PLATCI_DIAG_ERROR || !msg[0]) {
			snprintf(msg, size, "%s", e->message);
			if (line_out)
				*line_out = e->line;
			if (e->level == PLATCI_DIAG_ERROR)
				break;
		}
	}
	platci_diag_free(d);
	return rc;
}

/* The counts of @p p, copied: asserts platci_tfplan_totals() succeeds. */
static platci_tfplan_counts counts_of(const platci_tfplan *p)
{
	platci_tfplan_counts n;

	cr_assert_eq(platci_tfplan_totals(&n, p), 0);
	return n;
}

static const char mini[] =
	"{\"format_version\":\"1.2\",\"resource_changes\":["
	"{\"address\":\"a.b\",\"type\":\"a\",\"change\":{\"actions\":[\"delete\",\"create\"]}},"
	"{\"address\":\"a.c\",\"type\":\"a\",\"change\":{\"actions\":[\"update\"]}}],"
	"\"errored\":false}";

Test(tfplan, counts_every_action_list_like_gitlab)
{
	platci_tfplan *p;
	platci_tfplan_counts n;
	const platci_tfplan_counts *c = &n;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found");
	p = read_ok(FX "local-terraform-1.11.4__v2-mixed-all-actions-reasons.json");
	cr_assert_eq(platci_tfplan_totals(&n, p), 0);
	cr_assert_eq(c->add, 7);
	cr_assert_eq(c->change, 5);
	cr_assert_eq(c->destroy, 10);
	cr_assert_eq(c->replace, 5);
	cr_assert_eq(c->forget, 1);
	cr_assert_eq(c->move, 1);
	cr_assert_eq(c->widget_create, 7);
	cr_assert_eq(c->widget_update, 5);
	cr_assert_eq(c->widget_delete, 10);
	cr_assert_eq(platci_tfplan_errored(p), 0);
	cr_assert_eq(platci_tfplan_applyable(p), 1);
	cr_assert_str_eq(platci_tfplan_terraform_version(p), "1.11.4");
	/* destructive entries come first */
	cr_assert(platci_tfplan_action_destroys(platci_tfplan_entry_at(p, 0)->action));
	platci_tfplan_free(p);
}

Test(tfplan, errored_plan_is_a_deny_finding_not_zero_changes)
{
	platci_tfplan *p;
	platci_findings *f = NULL;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found");
	p = read_ok(FX "local-terraform-1.11.4__errored-precondition.json");
	cr_assert_eq(platci_tfplan_errored(p), 1);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_tfplan_findings(f, p, "dev-uaenorth", "plan.json"), 0);
	cr_assert(platci_findings_has_deny(f));
	cr_assert_str_eq(platci_findings_at(f, 0)->rule_id, "tfplan.errored");
	platci_findings_free(f);
	platci_tfplan_free(p);
}

Test(tfplan, noop_plan_not_applyable_is_not_a_deny)
{
	platci_tfplan *p;
	platci_findings *f = NULL;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found");
	p = read_ok(FX "local-terraform-1.11.4__noop.json");
	cr_assert_eq(platci_tfplan_applyable(p), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_tfplan_findings(f, p, NULL, NULL), 0);
	cr_assert_not(platci_findings_has_deny(f));
	platci_findings_free(f);
	platci_tfplan_free(p);
}

Test(tfplan, refresh_only_plan_has_no_resource_changes)
{
	platci_tfplan *p;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found");
	p = read_ok(FX "terraform__equivalence-drift_refresh_only.json");
	cr_assert_eq(platci_tfplan_refresh_only(p), 1);
	cr_assert_gt(counts_of(p).drift, 0);
	cr_assert_eq(counts_of(p).widget_update, 0);
	platci_tfplan_free(p);
}

typedef struct drift_seen {
	int n;
	int diffs;
	char addr[200];
} drift_seen;

static int diff_cb(const platci_value_change *ch, void *payload)
{
	drift_seen *s = payload;
	cr_assert_not_null(ch->path);
	s->diffs++;
	return 0;
}

static int on_drift(const platci_tfplan_change *c, void *payload)
{
	drift_seen *s = payload;
	cr_assert_eq(c->source, PLATCI_TFPLAN_DRIFT);
	snprintf(s->addr, sizeof(s->addr), "%s", c->address);
	s->n++;
	return platci_tfplan_change_diff(c, diff_cb, s);
}

Test(tfplan, drift_api_hands_out_each_entry_with_its_diff)
{
	platci_tfplan *p = NULL;
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	drift_seen s;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found");
	memset(&s, 0, sizeof(s));
	o.on_drift = on_drift;
	o.payload = &s;
	cr_assert_eq(platci_tfplan_read_file(&p, FX "terraform__show-json-drift.json", &o, NULL), 0);
	cr_assert_eq(s.n, (int)counts_of(p).drift);
	cr_assert_gt(s.n, 0);
	cr_assert_gt(s.diffs, 0);
	platci_tfplan_free(p);
}

Test(tfplan, utf8_bom_crlf_and_wrapper_line_are_read)
{
	char msg[300];
	platci_tfplan *p = NULL;
	platci_buf b = PLATCI_BUF_INIT;

	platci_buf_puts(&b, "\xEF\xBB\xBF[command]/usr/bin/terraform show -json tfplan\r\n");
	for (const char *s = mini; *s; s++) {
		if (*s == ',')
			platci_buf_puts(&b, ",\r\n");
		else
			platci_buf_putc(&b, *s);
	}
	platci_buf_puts(&b, "\r\n::debug::Terraform exited with code 0.\r\n");
	cr_assert_eq(read_buf(&p, b.ptr, b.size, msg, sizeof(msg), NULL), 0, "%s", msg);
	cr_assert_eq(counts_of(p).replace, 1);
	cr_assert_eq(counts_of(p).change, 1);
	platci_tfplan_free(p);
	platci_buf_dispose(&b);
}

static void utf16(platci_buf *out, const char *s, int be)
{
	platci_buf_put(out, be ? "\xFE\xFF" : "\xFF\xFE", 2);
	for (; *s; s++) {
		char u[2] = { be ? 0 : *s, be ? *s : 0 };
		platci_buf_put(out, u, 2);
	}
}

Test(tfplan, utf16_with_bom_is_transcoded)
{
	char msg[300];
	for (int be = 0; be < 2; be++) {
		platci_tfplan *p = NULL;
		platci_buf b = PLATCI_BUF_INIT;
		utf16(&b, mini, be);
		cr_assert_eq(read_buf(&p, b.ptr, b.size, msg, sizeof(msg), NULL), 0, "%s", msg);
		cr_assert_eq(counts_of(p).widget_delete, 1);
		platci_tfplan_free(p);
		platci_buf_dispose(&b);
	}
}

Test(tfplan, fed_one_byte_at_a_time_gives_the_same_answer)
{
	platci_tfplan_reader *r = NULL;
	platci_tfplan *p = NULL;
	platci_buf b = PLATCI_BUF_INIT;

	utf16(&b, mini, 0);
	cr_assert_eq(platci_tfplan_reader_new(&r, NULL), 0);
	for (size_t i = 0; i < b.size; i++)
		cr_assert_eq(platci_tfplan_reader_feed(r, b.ptr + i, 1, NULL), 0);
	cr_assert_eq(platci_tfplan_reader_finish(&p, r, NULL), 0);
	cr_assert_eq(counts_of(p).widget_create, 1);
	platci_tfplan_free(p);
	platci_tfplan_reader_free(r);
	platci_buf_dispose(&b);
}

typedef struct bad_case {
	const char *name;
	const char *data;
	size_t len;
	int code;
	const char *says;
	size_t line;
} bad_case;

#define L(s) s, sizeof(s) - 1

Test(tfplan, messy_inputs_are_refused_with_what_was_found)
{
	static const char trunc[] = "{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":";
	const bad_case cases[] = {
		{ "empty", "", 0, PLATCI_ESYNTAX, "empty", 0 },
		{ "blank", L("  \n\n "), PLATCI_ESYNTAX, "only whitespace", 0 },
		{ "truncated", trunc, sizeof(trunc) - 1, PLATCI_ESYNTAX, "truncated", 1 },
		{ "text", L("Terraform will perform the following actions:\n"), PLATCI_ESYNTAX,
			"found text", 1 },
		{ "text line 2", L("\n  oops {"), PLATCI_ESYNTAX, "found", 2 },
		{ "array", L("[1,2]"), PLATCI_ESYNTAX, "not a JSON object", 1 },
		{ "utf16 no bom", L("{\0\"\0"), PLATCI_ESYNTAX, "UTF-16 without a byte-order mark", 1 },
		{ "utf32", L("\xFF\xFE\0\0{\0\0\0"), PLATCI_ESYNTAX, "UTF-32", 1 },
		{ "v2", L("{\"format_version\":\"2.0\",\"resource_changes\":[]}"), PLATCI_EVERSION,
			"not supported", 1 },
		{ "bad version", L("{\"format_version\":\"x\",\"resource_changes\":[]}"),
			PLATCI_EDATA, "not a version", 1 },
		{ "no version", L("{\"resource_changes\":[]}"), PLATCI_EDATA, "no format_version", 0 },
		{ "validate", L("{\"format_version\":\"1.0\",\"valid\":true,\"diagnostics\":[]}"),
			PLATCI_EDATA, "terraform validate", 0 },
		{ "jsonl", L("{\"format_version\":\"1.0\",\"planned_values\":{}}\n{\"@level\":\"info\"}\n"),
			PLATCI_ESYNTAX, "JSON Lines", 2 },
		{ "garbage", L("{\"format_version\":\"1.2\",,}"), PLATCI_ESYNTAX, "invalid JSON", 1 },
		{ "lone surrogate", L("\xFF\xFE\x00\xD8{\0"), PLATCI_ESYNTAX, "surrogate", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		platci_tfplan *p = NULL;
		char msg[400];
		size_t line;
		int rc = read_buf(&p, cases[i].data, cases[i].len, msg, sizeof(msg), &line);
		cr_assert_eq(rc, cases[i].code, "%s: got %d (%s)", cases[i].name, rc, msg);
		cr_assert_null(p, "%s", cases[i].name);
		cr_assert(strstr(msg, cases[i].says) != NULL, "%s: message \"%s\" lacks \"%s\"",
			cases[i].name, msg, cases[i].says);
		if (cases[i].line)
			cr_assert_eq(line, cases[i].line, "%s: line %zu", cases[i].name, line);
	}
}

Test(tfplan, strict_wrapper_refuses_the_command_line)
{
	static const char data[] = "[command]terraform show -json x\n{\"format_version\":\"1.0\"}";
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *p = NULL;

	o.strict_wrapper = 1;
	cr_assert_eq(platci_tfplan_read_buffer(&p, data, sizeof(data) - 1, &o, NULL), PLATCI_ESYNTAX);
	cr_assert_null(p);
}

Test(tfplan, missing_file_is_not_found)
{
	platci_tfplan *p = NULL;
	cr_assert_eq(platci_tfplan_read_file(&p, "/nonexistent/plan.json", NULL, NULL), PLATCI_ENOTFOUND);
}

Test(tfplan, caps_keep_memory_bounded_and_say_so)
{
	platci_buf b = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *p = NULL;

	platci_buf_puts(&b, "{\"format_version\":\"1.2\",\"resource_changes\":[");
	for (int i = 0; i < 300; i++)
		platci_buf_printf(&b,
			"%s{\"address\":\"x.r%d\",\"type\":\"x\",\"change\":{\"actions\":"
			"[\"update\"],\"before\":{\"v\":%d},\"after\":{\"v\":%d}}}",
			i ? "," : "", i, i, i + 1);
	platci_buf_puts(&b, "]}");
	o.max_entries = 100;
	o.max_diff_bytes = 1000;
	cr_assert_eq(platci_tfplan_read_buffer(&p, b.ptr, b.size, &o, NULL), 0);
	cr_assert_eq(counts_of(p).change, 300);
	cr_assert_eq(platci_tfplan_entry_count(p), 100);
	cr_assert_eq(platci_tfplan_entries_dropped(p), 200);
	cr_assert_eq(platci_tfplan_render_md(&md, p, 2000), 0);
	cr_assert(strstr(md.ptr, "not shown") != NULL, "%s", md.ptr);
	cr_assert_lt(md.size, 6000);
	platci_tfplan_free(p);
	platci_buf_dispose(&b);
	platci_buf_dispose(&md);
}

Test(tfplan, totals_and_checks_refuse_null)
{
	platci_tfplan_counts n;
	platci_tfplan *p;
	char msg[256];

	cr_assert_eq(platci_tfplan_totals(&n, NULL), PLATCI_EINVALID);
	cr_assert_null(platci_tfplan_checks(NULL));
	cr_assert_eq(read_buf(&p, mini, sizeof(mini) - 1, msg, sizeof(msg), NULL), 0, "%s", msg);
	cr_assert_eq(platci_tfplan_totals(NULL, p), PLATCI_EINVALID);
	cr_assert_eq(platci_tfplan_checks(p)->fail, 0);
	platci_tfplan_free(p);
}

/* The digest is of the bytes as fed, in whatever blocks, the byte-order mark included. */
Test(tfplan, hash_input_covers_every_byte_fed)
{
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan_reader *r = NULL;
	platci_tfplan *p = NULL;
	platci_buf in = PLATCI_BUF_INIT;
	char want[PLATCI_SHA256_HEX_SIZE];

	platci_buf_puts(&in, "\xEF\xBB\xBF");
	platci_buf_put(&in, mini, sizeof(mini) - 1);
	cr_assert_eq(platci_sha256_hex(want, in.ptr, in.size), 0);
	o.hash_input = 1;
	cr_assert_eq(platci_tfplan_reader_new(&r, &o), 0);
	cr_assert_eq(platci_tfplan_reader_feed(r, in.ptr, 5, NULL), 0);
	cr_assert_eq(platci_tfplan_reader_feed(r, in.ptr + 5, in.size - 5, NULL), 0);
	cr_assert_eq(platci_tfplan_reader_finish(&p, r, NULL), 0);
	cr_assert_str_eq(platci_tfplan_input_sha256(p), want);
	platci_tfplan_free(p);
	platci_tfplan_reader_free(r);
	/* not asked for: no digest, and no time spent on one */
	cr_assert_eq(platci_tfplan_read_buffer(&p, in.ptr, in.size, NULL, NULL), 0);
	cr_assert_null(platci_tfplan_input_sha256(p));
	cr_assert_null(platci_tfplan_input_sha256(NULL));
	platci_tfplan_free(p);
	platci_buf_dispose(&in);
}

/*
 * A caller built against version 1 or 2 of the options passes the shorter
 * layout: nothing past it is read or written (ASan sees the heap block's end).
 */
Test(tfplan, options_of_older_versions_are_read_to_their_own_end)
{
	const size_t ends[] = { offsetof(platci_tfplan_options, hash_input),
		offsetof(platci_tfplan_options, callback_values) };

	for (unsigned int v = 1; v <= 2; v++) {
		size_t end = ends[v - 1], max = 7;
		void *block = malloc(end); /* malloc's alignment suits the struct */
		platci_tfplan_options *o = block;
		unsigned char *raw = block; /* fields set through memcpy: the block is short */
		unsigned int version = 0;
		platci_tfplan *p = NULL;

		cr_assert_not_null(raw);
		cr_assert_eq(platci_tfplan_options_init(o, v), 0);
		memcpy(&version, raw + offsetof(platci_tfplan_options, version), sizeof(version));
		cr_assert_eq(version, v);
		memcpy(raw + offsetof(platci_tfplan_options, max_entries), &max, sizeof(max));
		cr_assert_eq(platci_tfplan_read_buffer(&p, mini, sizeof(mini) - 1, o, NULL), 0);
		cr_assert_null(platci_tfplan_input_sha256(p));
		platci_tfplan_free(p);
		free(block);
	}
	{
		platci_tfplan_options o;
		cr_assert_eq(platci_tfplan_options_init(&o, PLATCI_TFPLAN_OPTIONS_VERSION + 1),
			PLATCI_EINVALID);
		cr_assert_eq(platci_tfplan_options_init(&o, 0), PLATCI_EINVALID);
	}
}

typedef struct seen_members {
	int before, before_sensitive, after, after_sensitive, after_unknown;
	size_t n;
} seen_members;

static int count_members(const platci_tfplan_change *c, void *payload)
{
	seen_members *s = payload;

	s->before += json_object_get(c->change, "before") != NULL;
	s->before_sensitive += json_object_get(c->change, "before_sensitive") != NULL;
	s->after += json_object_get(c->change, "after") != NULL;
	s->after_sensitive += json_object_get(c->change, "after_sensitive") != NULL;
	s->after_unknown += json_object_get(c->change, "after_unknown") != NULL;
	s->n++;
	return 0;
}

/*
 * callback_values: entries the summary shows with a diff keep every member
 * (the diff needs `before`); for the others a callback that asked gets no
 * `before` and no `before_sensitive`, and still every `after` member.
 * Without the flag every entry has all five, as before version 3.
 */
Test(tfplan, callback_values_leave_before_out_past_the_summary)
{
	platci_buf b = PLATCI_BUF_INIT;
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *p = NULL;
	seen_members s = { 0 };

	platci_buf_puts(&b, "{\"format_version\":\"1.2\",\"resource_changes\":[");
	for (int i = 0; i < 10; i++)
		platci_buf_printf(&b,
			"%s{\"address\":\"x.r%d\",\"type\":\"x\",\"change\":{\"actions\":"
			"[\"update\"],\"before\":{\"v\":%d},\"after\":{\"v\":%d},"
			"\"after_unknown\":{},\"before_sensitive\":{},\"after_sensitive\":\"x\"}}",
			i ? "," : "", i, i, i + 1);
	platci_buf_puts(&b, "]}");
	o.max_entries = 4;
	o.on_change = count_members;
	o.payload = &s;
	cr_assert_eq(platci_tfplan_read_buffer(&p, b.ptr, b.size, &o, NULL), 0);
	platci_tfplan_free(p);
	cr_assert_eq(s.n, 10);
	cr_assert_eq(s.before, 10);
	cr_assert_eq(s.before_sensitive, 10);
	cr_assert_eq(s.after_sensitive, 10, "a scalar member counts too");

	memset(&s, 0, sizeof(s));
	o.callback_values = PLATCI_TFPLAN_VALUES_NO_BEFORE;
	cr_assert_eq(platci_tfplan_read_buffer(&p, b.ptr, b.size, &o, NULL), 0);
	cr_assert_eq(platci_tfplan_entry_count(p), 4);
	cr_assert_eq(counts_of(p).change, 10);
	platci_tfplan_free(p);
	cr_assert_eq(s.n, 10);
	cr_assert_eq(s.before, 4, "only the entries the summary shows");
	cr_assert_eq(s.before_sensitive, 4);
	cr_assert_eq(s.after, 10);
	cr_assert_eq(s.after_unknown, 10);
	cr_assert_eq(s.after_sensitive, 10);
	platci_buf_dispose(&b);
}
