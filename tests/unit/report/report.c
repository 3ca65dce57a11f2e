#include <unistd.h>

#include "test_helpers.h"

static platci_findings *sample(void)
{
	platci_findings *l = NULL;
	platci_finding f;

	cr_assert_eq(platci_findings_new(&l), 0);
	memset(&f, 0, sizeof(f));
	f.rule_id = "yaml.syntax";
	f.severity = PLATCI_SEVERITY_BLOCKER;
	f.enforcement = PLATCI_ENFORCE_DENY;
	f.message = "found <tab> & \"quotes\" | pipes";
	f.file = "gitops/apps/prd/x.yaml";
	f.line = 4;
	f.column = 2;
	f.env = "prd-uaenorth";
	cr_assert_eq(platci_findings_add(l, &f), 0);
	memset(&f, 0, sizeof(f));
	f.rule_id = "labels.owner";
	f.severity = PLATCI_SEVERITY_MINOR;
	f.enforcement = PLATCI_ENFORCE_WARN;
	f.message = "missing owner label";
	f.file = "gitops/apps/dev/y.yaml";
	f.line = 1;
	f.env = "dev-uaenorth";
	f.key = "Deployment/ns/web";
	cr_assert_eq(platci_findings_add(l, &f), 0);
	platci_findings_sort(l);
	return l;
}

Test(findings, fingerprint_ignores_the_line)
{
	platci_finding a, b;
	char h1[PLATCI_SHA256_HEX_SIZE], h2[PLATCI_SHA256_HEX_SIZE];
	memset(&a, 0, sizeof(a));
	a.rule_id = "r";
	a.message = "m";
	a.file = "f";
	a.key = "Deployment/ns/web";
	a.line = 3;
	b = a;
	b.line = 30;
	platci_finding_fingerprint(h1, &a);
	platci_finding_fingerprint(h2, &b);
	cr_assert_str_eq(h1, h2);
	b.key = "Deployment/ns/api";
	platci_finding_fingerprint(h2, &b);
	cr_assert_str_neq(h1, h2);
}

Test(findings, counts_sort_and_waive)
{
	platci_findings *l = sample();
	platci_findings_counts c;

	cr_assert_str_eq(platci_findings_at(l, 0)->env, "dev-uaenorth");
	platci_findings_count_by(l, &c);
	cr_assert_eq(c.deny, 1);
	cr_assert_eq(c.warn, 1);
	cr_assert(platci_findings_has_deny(l));
	cr_assert_eq(platci_findings_waive(l, 1, "W-1 accepted until 2026-12-31"), 0);
	cr_assert(!platci_findings_has_deny(l));
	platci_findings_count_by(l, &c);
	cr_assert_eq(c.waived, 1);
	platci_findings_free(l);
}

Test(findings, invalid_utf8_is_sanitized)
{
	platci_findings *l = NULL;
	platci_finding f;
	platci_findings_new(&l);
	memset(&f, 0, sizeof(f));
	f.rule_id = "r";
	f.message = "bad \xff byte";
	cr_assert_eq(platci_findings_add(l, &f), 0);
	cr_assert_str_eq(platci_findings_at(l, 0)->message, "bad ? byte");
	cr_assert_eq(platci_findings_add(l, &(platci_finding){ .rule_id = NULL, .message = "x" }),
		PLATCI_EINVALID);
	platci_findings_free(l);
}

Test(report, codequality_is_a_json_array_with_required_fields)
{
	platci_findings *l = sample();
	platci_buf out = PLATCI_BUF_INIT;
	json_t *v;
	cr_assert_eq(platci_report_codequality(&out, l), 0);
	v = json_loads(out.ptr, 0, NULL);
	cr_assert(json_is_array(v));
	cr_assert_eq(json_array_size(v), 2);
	json_t *e = json_array_get(v, 1);
	cr_assert_str_eq(json_string_value(json_object_get(e, "severity")), "blocker");
	cr_assert_str_eq(json_string_value(json_object_get(e, "check_name")), "yaml.syntax");
	cr_assert_eq(strlen(json_string_value(json_object_get(e, "fingerprint"))), 64);
	cr_assert_eq(json_integer_value(
			     json_object_get(json_object_get(json_object_get(e, "location"), "lines"), "begin")),
		4);
	json_decref(v);
	platci_buf_dispose(&out);
	platci_findings_free(l);
}

Test(report, junit_escapes_and_dedupes_names)
{
	platci_junit *j = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_junit_add(j, "c", "same", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "c", "same", "boom <x> & \x01", NULL, NULL), 0);
	cr_assert_eq(platci_junit_render(&out, j, "s"), 0);
	cr_assert(strstr(out.ptr, "name=\"same #2\"") != NULL, "%s", out.ptr);
	cr_assert(strstr(out.ptr, "boom &lt;x&gt; &amp; ") != NULL, "%s", out.ptr);
	cr_assert(strchr(out.ptr, '\x01') == NULL);
	cr_assert(strstr(out.ptr, "failures=\"1\"") != NULL);
	platci_buf_dispose(&out);
	platci_junit_free(j);
}

Test(report, summary_has_marker_table_and_escapes)
{
	platci_findings *l = sample();
	platci_buf out = PLATCI_BUF_INIT;
	platci_report_options o = PLATCI_REPORT_OPTIONS_INIT;
	o.stage = "validate";
	o.title = "platci validate";
	cr_assert_eq(platci_report_summary(&out, l, &o), 0);
	cr_assert(strncmp(out.ptr, "<!-- platci:validate:all -->\n", 29) == 0);
	cr_assert(strstr(out.ptr, ":x: failed") != NULL);
	cr_assert(strstr(out.ptr, "\\| pipes") != NULL);
	cr_assert(strstr(out.ptr, "&lt;tab&gt;") != NULL);
	platci_buf_dispose(&out);
	platci_findings_free(l);
}

Test(report, summary_is_cut_with_a_clear_line)
{
	platci_findings *l = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	platci_report_options o = PLATCI_REPORT_OPTIONS_INIT;
	platci_findings_new(&l);
	for (int i = 0; i < 2000; i++) {
		char msg[64];
		snprintf(msg, sizeof(msg), "finding number %d", i);
		platci_findings_add(l,
			&(platci_finding){ .rule_id = "r", .message = msg, .line = (size_t)i });
	}
	o.max_summary = 10000;
	o.artifacts_url = "https://gitlab.example.com/job/1/artifacts";
	cr_assert_eq(platci_report_summary(&out, l, &o), 0);
	cr_assert_lt(out.size, 10000);
	/* rows stop at a row, the table is closed, and the rest is counted and linked */
	cr_assert(strstr(out.ptr, "more findings not shown here") != NULL, "%s", out.ptr);
	cr_assert(strstr(out.ptr, "</details>") != NULL);
	cr_assert(strstr(out.ptr, "job/1/artifacts") != NULL);
	platci_buf_clear(&out);
	/* the default budget holds however many findings there are */
	o.max_summary = 0;
	cr_assert_eq(platci_report_summary(&out, l, &o), 0);
	cr_assert_leq(out.size, PLATCI_SUMMARY_BUDGET);
	platci_buf_dispose(&out);
	platci_findings_free(l);
}

Test(report, write_all_writes_four_files)
{
	platci_findings *l = sample();
	char *dir = th_tmpdir();
	char sub[512], p[600];
	const char *names[] = { "junit.xml", "gl-code-quality-report.json", "summary.md", "findings.json" };
	snprintf(sub, sizeof(sub), "%s/reports/nested", dir);
	cr_assert_eq(platci_report_write_all(sub, l, NULL, NULL, NULL), 0);
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", sub, names[i]);
		char *c = th_read(p, NULL);
		cr_assert_not_null(c, "%s missing", names[i]);
		free(c);
	}
	snprintf(p, sizeof(p), "%s/findings.json", sub);
	json_t *v = json_load_file(p, 0, NULL);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(v, "counts"), "deny")), 1);
	json_decref(v);
	th_rmrf(dir);
	free(dir);
	platci_findings_free(l);
}

Test(report, junit_with_many_repeated_names)
{
	platci_junit *j = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	cr_assert_eq(platci_junit_new(&j), 0);
	for (int i = 0; i < 50000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "case %d", i % 1000);
		cr_assert_eq(platci_junit_add(j, "c", name, NULL, NULL, NULL), 0);
	}
	cr_assert_eq(platci_junit_render(&out, j, "s"), 0);
	cr_assert(strstr(out.ptr, "name=\"case 999 #50\"") != NULL);
	cr_assert(strstr(out.ptr, "tests=\"50000\"") != NULL);
	platci_buf_dispose(&out);
	platci_junit_free(j);
}

/* The repeat check keys on the pair, and a counter never takes a name already given. */
Test(report, junit_counter_skips_taken_names_and_keeps_pairs_apart)
{
	platci_junit *j = NULL;
	platci_buf a = PLATCI_BUF_INIT, b = PLATCI_BUF_INIT;
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_junit_add(j, "c", "x #2", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "c", "x", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "c", "x", "f", NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "a b", "c", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "a", "b c", NULL, NULL, "s"), 0);
	cr_assert_eq(platci_junit_add(j, "d", "x", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_render(&a, j, "s"), 0);
	cr_assert(strstr(a.ptr, "classname=\"c\" name=\"x #3\">") != NULL, "%s", a.ptr);
	cr_assert(strstr(a.ptr, "name=\"c #2\"") == NULL && strstr(a.ptr, "name=\"b c #2\"") == NULL);
	cr_assert(strstr(a.ptr, "classname=\"d\" name=\"x\"/>") != NULL, "%s", a.ptr);
	cr_assert(strstr(a.ptr, "tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"1\"") != NULL);
	/* rendering does not consume the cases */
	cr_assert_eq(platci_junit_render(&b, j, "s"), 0);
	cr_assert_str_eq(a.ptr, b.ptr);
	platci_buf_dispose(&a);
	platci_buf_dispose(&b);
	platci_junit_free(j);
}

/*
 * XML drops control characters, so "a" and "a\x01" render as the same name,
 * and GitLab would drop one of them: the second is a repeat and gets a counter.
 */
Test(report, junit_names_equal_once_rendered_are_repeats)
{
	platci_junit *j = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_junit_add(j, "c", "a", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "c", "a\x01", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_add(j, "c\x02", "a", NULL, NULL, NULL), 0);
	cr_assert_eq(platci_junit_render(&out, j, "s"), 0);
	cr_assert(strstr(out.ptr, "classname=\"c\" name=\"a\"/>") != NULL, "%s", out.ptr);
	cr_assert(strstr(out.ptr, "classname=\"c\" name=\"a #2\"/>") != NULL, "%s", out.ptr);
	cr_assert(strstr(out.ptr, "classname=\"c\" name=\"a #3\"/>") != NULL, "%s", out.ptr);
	platci_buf_dispose(&out);
	platci_junit_free(j);
}

/* A document without cases (a clean scan) is its head and tail (and no null pointer is copied). */
Test(report, junit_without_cases)
{
	platci_junit *j = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_junit_render(&out, j, "s"), 0);
	cr_assert_str_eq(out.ptr,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"platci\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
		"  <testsuite name=\"s\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
		"  </testsuite>\n</testsuites>\n");
	platci_buf_dispose(&out);
	platci_junit_free(j);
}

/* junit.xml written from the cases holds the bytes the renderer gives, past a write block too. */
Test(report, junit_written_is_junit_rendered)
{
	platci_junit *j = NULL;
	platci_buf want = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	char *dir = th_tmpdir(), path[4096], *got;
	size_t len;

	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_diag_new(&diag), 0);
	for (int i = 0; i < 3000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "case <%d>", i % 700);
		cr_assert_eq(platci_junit_add(j, "c", name, i % 3 ? NULL : "f & g", "d", NULL), 0);
	}
	cr_assert_eq(platci_junit_render(&want, j, "s"), 0);
	cr_assert_gt(want.size, 65536 * 2);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	cr_assert_eq(platci_junit_write(path, j, "s", diag), 0);
	got = th_read(path, &len);
	cr_assert_eq(len, want.size);
	cr_assert_eq(memcmp(got, want.ptr, len), 0);
	free(got);
	/* A folder that is not there: an error with a diagnostic, and no file. */
	snprintf(path, sizeof(path), "%s/missing/junit.xml", dir);
	cr_assert_eq(platci_junit_write(path, j, "s", diag), PLATCI_EIO);
	cr_assert_gt(platci_diag_count(diag), 0);
	cr_assert_eq(access(path, F_OK), -1);
	platci_buf_dispose(&want);
	platci_diag_free(diag);
	platci_junit_free(j);
	th_rmrf(dir);
	free(dir);
}

/*
 * The escapers, byte by byte. XML 1.0 (section 2.2, "Char") allows tab, LF
 * and CR and no other C0 control character, not even as a character
 * reference, so those are dropped; the five predefined entities cover the
 * markup characters. In a GitLab Markdown table cell, '|' ends the cell,
 * '`' opens code, '<' '>' '&' can start HTML, and a line break ends the
 * row: each is escaped or made a space.
 */
Test(report, xml_escape_keeps_tab_lf_cr_and_drops_other_controls)
{
	platci_buf b = PLATCI_BUF_INIT;

	cr_assert_eq(platci_xml_escape(&b, "a<b>&\"c'\t\n\r\x01\x08\x0b\x0c\x1f|`z"), 0);
	cr_expect_str_eq(b.ptr, "a&lt;b&gt;&amp;&quot;c&apos;\t\n\r|`z");
	platci_buf_clear(&b);
	cr_assert_eq(platci_xml_escape(&b, ""), 0);
	cr_expect_eq(b.size, 0);
	cr_assert_eq(platci_xml_escape(&b, "\xc3\xa9 plain"), 0);
	cr_expect_str_eq(b.ptr, "\xc3\xa9 plain");
	platci_buf_dispose(&b);
}

Test(report, md_escape_keeps_a_cell_one_cell_on_one_line)
{
	platci_buf b = PLATCI_BUF_INIT;

	cr_assert_eq(platci_md_escape(&b, "a|b`c<d>&e\nf\rg\t\"h'"), 0);
	cr_expect_str_eq(b.ptr, "a\\|b\\`c&lt;d&gt;&amp;e f g\t\"h'");
	platci_buf_dispose(&b);
}
