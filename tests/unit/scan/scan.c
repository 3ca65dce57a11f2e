#include "test_helpers.h"
#include "scan_int.h"

static const char *policy_yaml =
	"version: 1\n"
	"defaults: {fail_severity: critical, report_severity: low, ignore_statuses: [not_affected]}\n"
	"environments:\n"
	"  dev: {fail_severity: none, ignore_unfixed: true}\n"
	"  prd: {fail_severity: high, report_severity: unknown, cvss_floor: 4}\n"
	"images:\n"
	"  - match: \"reg/vendor/*\"\n"
	"    environments: [prd]\n"
	"    fail_severity: critical\n"
	"waivers:\n"
	"  - id: CVE-9\n"
	"    reason: r\n"
	"    owner: o\n"
	"    expires: 2026-12-01\n";

static const char *report =
	"{\"SchemaVersion\": 2, \"ArtifactName\": \"reg/app:1\", \"Results\": ["
	"{\"Target\": \"reg/app:1 (debian 12)\", \"Vulnerabilities\": ["
	"{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"a\", \"InstalledVersion\": \"1\", \"FixedVersion\": \"2\", \"Severity\": \"HIGH\"},"
	"{\"VulnerabilityID\": \"CVE-2\", \"PkgName\": \"b\", \"InstalledVersion\": \"1\", \"Severity\": \"CRITICAL\", \"CVSS\": {\"nvd\": {\"V3Score\": 3.1}}},"
	"{\"VulnerabilityID\": \"CVE-3\", \"PkgName\": \"c\", \"InstalledVersion\": \"1\", \"Severity\": \"MEDIUM\", \"Status\": \"not_affected\"},"
	"{\"VulnerabilityID\": \"CVE-4\", \"PkgName\": \"d\", \"InstalledVersion\": \"1\", \"Severity\": \"UNKNOWN\"},"
	"{\"VulnerabilityID\": \"CVE-9\", \"PkgName\": \"e\", \"InstalledVersion\": \"1\", \"Severity\": \"CRITICAL\"}]},"
	"{\"Target\": \"app/go.sum\", \"Vulnerabilities\": ["
	"{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"a\", \"InstalledVersion\": \"1\", \"Severity\": \"HIGH\"}]}]}";

typedef struct fixture {
	char *dir;
	char *policy_path;
	char *report_path;
	platci_scan_policy *policy;
	platci_scan_counts totals; /* what run() read last */
} fixture;

static void setup(fixture *f)
{
	f->dir = th_tmpdir();
	f->policy_path = th_write(f->dir, "scan.yaml", policy_yaml, strlen(policy_yaml));
	f->report_path = th_write(f->dir, "r.json", report, strlen(report));
	cr_assert_eq(platci_scan_policy_load(&f->policy, f->policy_path, NULL, NULL), 0);
}

static void teardown(fixture *f)
{
	platci_scan_policy_free(f->policy);
	th_rmrf(f->dir);
	free(f->dir);
	free(f->policy_path);
	free(f->report_path);
}

/* "2026-11-26T10:00:00" as UTC seconds, without timegm or strptime. */
static time_t day(const char *iso)
{
	int y, mo, d, h, mi, s;
	long long days;
	cr_assert_eq(sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6);
	y -= mo <= 2;
	days = (long long)(y / 400) * 146097 + (y % 400) * 365 + (y % 400) / 4 - (y % 400) / 100 +
	       (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1 - 719468;
	return (time_t)(days * 86400 + h * 3600 + mi * 60 + s);
}

static const platci_scan_counts *run(fixture *f, platci_scan **scan, platci_findings **out,
	const char *env, const char *now)
{
	platci_scan_options o = PLATCI_SCAN_OPTIONS_INIT;
	o.env = env;
	o.now = day(now);
	cr_assert_eq(platci_scan_new(scan, f->policy, &o), 0);
	cr_assert_eq(platci_findings_new(out), 0);
	cr_assert_eq(platci_scan_add_report(*scan, f->report_path, NULL, NULL), 0);
	cr_assert_eq(platci_scan_finish(*scan, *out), 0);
	cr_assert_eq(platci_scan_totals(&f->totals, *scan), 0);
	return &f->totals;
}

Test(scan_policy, rules_layer_defaults_environment_and_image)
{
	fixture f;
	platci_scan_rules r;

	setup(&f);
	cr_assert_eq(platci_scan_policy_rules(&r, f.policy, "dev", "reg/app:1"), 0);
	cr_assert_eq(r.fail_severity, PLATCI_SCAN_NEVER);
	cr_assert_eq(r.report_severity, PLATCI_TRIVY_LOW);
	cr_assert_eq(r.ignore_unfixed, 1);
	cr_assert_eq(r.ignore_statuses, platci_scan_status_bit("not_affected"));
	platci_scan_policy_rules(&r, f.policy, "prd", "reg/app:1");
	cr_assert_eq(r.fail_severity, PLATCI_TRIVY_HIGH);
	cr_assert_float_eq(r.cvss_floor, 4.0, 0.001);
	platci_scan_policy_rules(&r, f.policy, "prd", "reg/vendor/db:5");
	cr_assert_eq(r.fail_severity, PLATCI_TRIVY_CRITICAL, "the image override applies in prd");
	platci_scan_policy_rules(&r, f.policy, "dev", "reg/vendor/db:5");
	cr_assert_eq(r.fail_severity, PLATCI_SCAN_NEVER, "but not in dev");
	cr_assert(platci_scan_policy_has_env(f.policy, "prd"));
	cr_assert(!platci_scan_policy_has_env(f.policy, "stg"));
	teardown(&f);
}

Test(scan, prd_fails_high_drops_low_cvss_and_ignored_status_and_folds_duplicates)
{
	fixture f;
	platci_scan *scan = NULL;
	platci_findings *out = NULL;
	const platci_scan_counts *t;

	setup(&f);
	t = run(&f, &scan, &out, "prd", "2026-11-26T10:00:00");
	cr_assert_eq(t->read[PLATCI_TRIVY_HIGH], 2);
	cr_assert_eq(t->duplicates, 1, "CVE-1 in two targets of one image");
	cr_assert_eq(t->unique, 5);
	cr_assert_eq(t->ignored_status, 1, "not_affected");
	cr_assert_eq(t->below_cvss, 1, "CVSS 3.1 < 4");
	cr_assert_eq(t->waived, 1);
	cr_assert_eq(t->failing, 1, "CVE-1 is high; CVE-4 unknown is reported, not failing");
	cr_assert_eq(t->reported[PLATCI_TRIVY_UNKNOWN], 1);
	cr_assert(platci_findings_has_deny(out));
	cr_assert_eq(platci_scan_image_count(scan), 1);
	cr_assert_str_eq(platci_scan_image_at(scan, 0)->image, "reg/app:1");
	platci_findings_free(out);
	platci_scan_free(scan);
	teardown(&f);
}

Test(scan, expired_waiver_brings_the_finding_back_and_says_so)
{
	fixture f;
	platci_scan *scan = NULL;
	platci_findings *out = NULL;
	const platci_scan_counts *t;
	int expired = 0;

	setup(&f);
	/* expires 2026-12-01: through that day in the platform's zone (Asia/Dubai, +04:00) */
	t = run(&f, &scan, &out, "prd", "2026-12-01T19:59:59");
	cr_assert_eq(t->waived, 1, "the last second of the expiry day is still covered");
	cr_assert_eq(t->expired_waivers, 0);
	platci_findings_free(out);
	platci_scan_free(scan);
	t = run(&f, &scan, &out, "prd", "2026-12-01T20:00:00");
	cr_assert_eq(t->waived, 0);
	cr_assert_eq(t->expired_waivers, 1);
	cr_assert_eq(t->failing, 2, "CVE-9 is back");
	for (size_t i = 0; i < platci_findings_count(out); i++)
		if (strcmp(platci_findings_at(out, i)->rule_id, "scan.waiver-expired") == 0)
			expired++;
	cr_assert_eq(expired, 1);
	platci_findings_free(out);
	platci_scan_free(scan);
	teardown(&f);
}

Test(scan, container_scanning_is_15_0_7_shaped)
{
	fixture f;
	platci_scan *scan = NULL;
	platci_findings *out = NULL;
	platci_scan_cs_options co = PLATCI_SCAN_CS_OPTIONS_INIT;
	platci_buf b = PLATCI_BUF_INIT;
	json_t *doc;

	setup(&f);
	run(&f, &scan, &out, "prd", "2026-11-26T10:00:00");
	co.start_time = day("2026-11-26T10:00:00");
	cr_assert_eq(platci_scan_render_container_scanning(&b, scan, &co), 0);
	doc = json_loads(b.ptr, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "version")), "15.0.7");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "scan"), "start_time")),
		"2026-11-26T10:00:00");
	cr_assert_eq(json_array_size(json_object_get(doc, "vulnerabilities")), 2);
	cr_assert_str_eq(json_string_value(
				 json_object_get(json_object_get(json_array_get(json_object_get(doc, "vulnerabilities"),
									 0),
							 "location"),
					 "image")),
		"reg/app:1");
	json_decref(doc);
	platci_buf_dispose(&b);
	platci_findings_free(out);
	platci_scan_free(scan);
	teardown(&f);
}

Test(scan_policy, refuses_bad_policies_with_positions)
{
	static const char *const bad[] = {
		"version: 1\ndefaults: {fail_severity: fatal}\n",
		"version: 1\ndefaults: {cvss_floor: 11}\n",
		"version: 1\ndefaults: {ignore_unfixed: maybe}\n",
		"version: 1\nimages:\n  - fail_severity: high\n",
		"version: 1\nwaivers:\n  - id: X\n    reason: r\n    owner: o\n    expires: 2026-02-29\n",
		"version: 1\nwaivers:\n  - id: X\n    reason: r\n    owner: o\n    expires: 2026-01-01\n    color: red\n",
		"defaults: {}\n",
		"version: 7\n",
		"- a\n",
	};
	char *dir = th_tmpdir();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		platci_scan_policy *p = NULL;
		platci_diag *diag = NULL;
		char *path = th_write(dir, "p.yaml", bad[i], strlen(bad[i]));
		cr_assert_eq(platci_diag_new(&diag), 0);
		cr_assert_lt(platci_scan_policy_load(&p, path, NULL, diag), 0, "case %zu", i);
		cr_assert_null(p);
		cr_assert_gt(platci_diag_count(diag), 0, "case %zu", i);
		cr_assert_gt(platci_diag_at(diag, 0)->line, 0, "case %zu has no line", i);
		platci_diag_free(diag);
		free(path);
	}
	th_rmrf(dir);
	free(dir);
}

/* The fingerprint set grows table by table: every key stays found across the growth. */
Test(scan_seen, keeps_every_fingerprint_across_growth)
{
	scan_seen set;
	char key[64];

	memset(&set, 0, sizeof(set));
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key),
			"0\x1fimage\x1f"
			"CVE-%d\x1fpkg",
			i);
		cr_assert_eq(platci_scan__seen_add(&set, key, (size_t)n), 0, "new key %d", i);
	}
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(key, sizeof(key),
			"0\x1fimage\x1f"
			"CVE-%d\x1fpkg",
			i);
		cr_assert_eq(platci_scan__seen_add(&set, key, (size_t)n), 1, "seen key %d", i);
	}
	cr_assert_eq(set.len, 100000);
	for (size_t p = 0; p < SCAN_SEEN_PARTS; p++)
		cr_assert(set.part[p].len * 4 <= set.part[p].cap * 3, "at most three quarters full");
	platci_scan__seen_dispose(&set);
}
