#include "test_helpers.h"

typedef struct got {
	int n;
	char ids[16][48];
	char images[16][96];
	char os[16][32];
	int sev[16];
	int fixable[16];
	int kinds[16];
	double cvss[16];
	size_t start_line[16];
} got;

static int collect(const platci_trivy_finding *f, void *payload)
{
	got *g = payload;
	if (g->n < 16) {
		snprintf(g->ids[g->n], 48, "%s", f->id);
		snprintf(g->images[g->n], 96, "%s", f->image);
		snprintf(g->os[g->n], 32, "%s", f->operating_system ? f->operating_system : "");
		g->sev[g->n] = (int)f->severity;
		g->fixable[g->n] = f->fixable;
		g->kinds[g->n] = (int)f->kind;
		g->cvss[g->n] = f->cvss_score;
		g->start_line[g->n] = f->start_line;
	}
	g->n++;
	return 0;
}

static int read_str(got *g, platci_trivy_stats *st, const char *json, platci_diag *diag)
{
	memset(g, 0, sizeof(*g));
	return platci_trivy_read_buffer(st, "t.json", json, strlen(json), NULL, collect, g, diag);
}

Test(trivy, v2_image_report_gives_image_os_severity_and_fix)
{
	got g;
	platci_trivy_stats st;
	const char *json =
		"{\"SchemaVersion\": 2, \"ArtifactName\": \"x.tar\", \"ArtifactType\": \"container_image\","
		"\"Metadata\": {\"OS\": {\"Family\": \"debian\", \"Name\": \"12.5\"}, \"RepoTags\": [\"reg/app:1\"]},"
		"\"Results\": [{\"Target\": \"x.tar (debian 12.5)\", \"Class\": \"os-pkgs\", \"Vulnerabilities\": ["
		"{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": \"a\", \"InstalledVersion\": \"1\", \"FixedVersion\": \"2\", \"Severity\": \"high\","
		" \"CVSS\": {\"nvd\": {\"V2Score\": 5.0, \"V3Score\": 7.5}, \"redhat\": {\"V3Score\": 8.1}}},"
		"{\"VulnerabilityID\": \"CVE-2\", \"PkgName\": \"b\", \"InstalledVersion\": \"1\", \"FixedVersion\": \"2\", \"Status\": \"affected\","
		" \"VendorSeverity\": {\"nvd\": 4, \"debian\": 1}, \"SeveritySource\": \"debian\"},"
		"{\"VulnerabilityID\": \"CVE-3\", \"PkgName\": \"c\", \"InstalledVersion\": \"1\", \"Severity\": \"\", \"VendorSeverity\": {\"nvd\": 3, \"ghsa\": 2}}"
		"]}]}";

	cr_assert_eq(read_str(&g, &st, json, NULL), 0);
	cr_assert_eq(st.shape, PLATCI_TRIVY_SHAPE_V2);
	cr_assert_eq(g.n, 3);
	cr_assert_str_eq(g.images[0], "reg/app:1", "RepoTags wins over the archive name");
	cr_assert_str_eq(g.os[0], "debian 12.5");
	cr_assert_eq(g.sev[0], PLATCI_TRIVY_HIGH);
	cr_assert_eq(g.fixable[0], 1, "no Status: a FixedVersion means fixable");
	cr_assert_float_eq(g.cvss[0], 8.1, 0.001);
	cr_assert_eq(g.sev[1], PLATCI_TRIVY_LOW, "VendorSeverity of the SeveritySource");
	cr_assert_eq(g.fixable[1], 0, "Status affected wins over FixedVersion");
	cr_assert_eq(g.sev[2], PLATCI_TRIVY_HIGH, "the highest vendor when no source");
	cr_assert_eq(st.by_severity[PLATCI_TRIVY_HIGH], 2);
}

Test(trivy, every_shape)
{
	static const struct {
		const char *json;
		platci_trivy_shape shape;
		int n;
		const char *image;
	} cases[] = {
		{ "null", PLATCI_TRIVY_SHAPE_NULL, 0, NULL },
		{ "[]", PLATCI_TRIVY_SHAPE_LEGACY, 0, NULL },
		{ "[{\"Target\": \"alpine:3.1 (alpine 3.1.2)\", \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\"}]}]",
			PLATCI_TRIVY_SHAPE_LEGACY, 1, "alpine:3.1" },
		{ "{\"SchemaVersion\": 2, \"ArtifactName\": \".\", \"ArtifactType\": \"filesystem\"}",
			PLATCI_TRIVY_SHAPE_V2, 0, NULL },
		{ "{\"ClusterName\": \"c\", \"Resources\": [{\"Kind\": \"Pod\", \"Name\": \"p\", \"Results\": [{\"Target\": \"n:1 (debian 12)\","
		  " \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\"}]}]}]}",
			PLATCI_TRIVY_SHAPE_K8S, 1, "n:1" },
		{ "{\"ClusterName\": \"c\", \"Findings\": [{\"Namespace\": \"ns\", \"Kind\": \"Pod\", \"Name\": \"p\", \"Results\": [{\"Target\": \"app\","
		  " \"Class\": \"config\", \"Misconfigurations\": [{\"ID\": \"KSV001\", \"Status\": \"FAIL\", \"CauseMetadata\": {\"StartLine\": 4}}]}]}]}",
			PLATCI_TRIVY_SHAPE_K8S_SUMMARY, 1, "ns/Pod/p" },
		{ "{\"ClusterName\": \"c\", \"Vulnerabilities\": [{\"Kind\": \"Pod\", \"Name\": \"p\", \"Results\": [{\"Target\": \"r:6 (debian 10)\","
		  " \"Vulnerabilities\": [{\"VulnerabilityID\": \"CVE-1\"}]}]}], \"Misconfigurations\": []}",
			PLATCI_TRIVY_SHAPE_K8S_OLD, 1, "r:6" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got g;
		platci_trivy_stats st;
		cr_assert_eq(read_str(&g, &st, cases[i].json, NULL), 0, "case %zu", i);
		cr_assert_eq(st.shape, cases[i].shape, "case %zu: shape %s", i,
			platci_trivy_shape_name(st.shape));
		cr_assert_eq(g.n, cases[i].n, "case %zu", i);
		if (cases[i].image)
			cr_assert_str_eq(g.images[0], cases[i].image, "case %zu", i);
	}
}

Test(trivy, secrets_never_carry_the_match)
{
	const char *json =
		"{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"a.sh\", \"Secrets\": [{\"RuleID\": \"aws-access-key-id\","
		" \"Severity\": \"CRITICAL\", \"StartLine\": 3, \"Match\": \"KEY=AKIASECRET\", \"Code\": {\"Lines\": [{\"Content\": \"AKIASECRET\"}]}}]}]}";
	got g;
	platci_trivy_stats st;

	cr_assert_eq(read_str(&g, &st, json, NULL), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(g.kinds[0], PLATCI_TRIVY_SECRET);
	cr_assert_str_eq(g.ids[0], "aws-access-key-id");
	cr_assert_eq(g.start_line[0], 3);
}

Test(trivy, passed_misconfigurations_are_counted_not_delivered)
{
	const char *json =
		"{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"Dockerfile\", \"Misconfigurations\": ["
		"{\"ID\": \"DS-0001\", \"Status\": \"PASS\"}, {\"AVDID\": \"AVD-DS-0002\", \"Status\": \"FAIL\"}]}]}";
	got g;
	platci_trivy_stats st;

	cr_assert_eq(read_str(&g, &st, json, NULL), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_str_eq(g.ids[0], "AVD-DS-0002", "AVDID stands in for a missing ID");
	cr_assert_eq(st.misconf_passed, 1);
}

Test(trivy, refuses_what_is_not_a_report_with_a_reason)
{
	static const char *const bad[] = {
		"{\"a\": 1}",
		"\"s\"",
		"42",
		"[{\"NoTarget\": 1}]",
		"{\"SchemaVersion\": 9}",
		"{\"SchemaVersion\": \"2\"}",
		"{\"SchemaVersion\": 2, \"Results\": [{\"Target\": []}]}",
		"{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": [{\"VulnerabilityID\": 5}]}]}",
		"",
		"{",
		"{\"SchemaVersion\": 2,}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		platci_diag *diag = NULL;
		got g;
		int rc;
		cr_assert_eq(platci_diag_new(&diag), 0);
		rc = read_str(&g, NULL, bad[i], diag);
		cr_assert(rc == PLATCI_EDATA || rc == PLATCI_ESYNTAX || rc == PLATCI_EVERSION,
			"case %zu: rc %d", i, rc);
		cr_assert_gt(platci_diag_error_count(diag), 0, "case %zu: no diagnostic", i);
		cr_assert_str_eq(platci_diag_at(diag, 0)->source, "t.json");
		platci_diag_free(diag);
	}
}

Test(trivy, a_vulnerability_without_an_id_is_skipped_with_a_warning)
{
	const char *json =
		"[{\"Target\": \"t\", \"Vulnerabilities\": [{\"PkgName\": \"x\"}, {\"VulnerabilityID\": \"CVE-1\"}]}]";
	platci_diag *diag = NULL;
	platci_trivy_stats st;
	got g;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(read_str(&g, &st, json, diag), 0);
	cr_assert_eq(g.n, 1);
	cr_assert_eq(st.skipped, 1);
	cr_assert_eq(platci_diag_at(diag, 0)->level, PLATCI_DIAG_WARNING);
	platci_diag_free(diag);
}

Test(trivy, every_fixture_is_read_or_refused)
{
	char path[1024];
	FILE *ls;
	char name[512];
	size_t files = 0;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at %s", PLATCI_TEST_FIXTURES);
	snprintf(path, sizeof(path), "ls %s/trivy", PLATCI_TEST_FIXTURES);
	ls = popen(path, "r");
	cr_assert_not_null(ls);
	while (fgets(name, sizeof(name), ls)) {
		platci_trivy_stats st;
		got g;
		int rc;
		name[strcspn(name, "\n")] = '\0';
		if (strstr(name, "LICENSE") || strstr(name, "NOTICE") || strstr(name, "SOURCES"))
			continue;
		snprintf(path, sizeof(path), "%s/trivy/%s", PLATCI_TEST_FIXTURES, name);
		memset(&g, 0, sizeof(g));
		rc = platci_trivy_read_file(&st, path, NULL, collect, &g, NULL);
		cr_assert(rc == 0 || rc == PLATCI_EDATA, "%s: %d", name, rc);
		files++;
	}
	pclose(ls);
	cr_assert_gt(files, 100);
}

/*
 * A vulnerability's members are subscribed to by name (and a counting run
 * leaves out the texts): members nobody reads, objects or not, change
 * nothing, and both runs judge every finding alike.
 */
Test(trivy, counting_and_full_reads_judge_alike_and_skip_unread_members)
{
	const char *json =
		"{\"SchemaVersion\": 2, \"ArtifactName\": \"reg/app:1\", \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": ["
		"{\"VulnerabilityID\": \"CVE-1\", \"PkgID\": \"a@1\", \"Layer\": {\"DiffID\": \"sha256:x\", \"Severity\": \"LOW\"},"
		" \"DataSource\": {\"ID\": \"ghsa\", \"VulnerabilityID\": \"CVE-9\"}, \"CweIDs\": [\"CWE-1\"],"
		" \"PkgName\": \"a\", \"InstalledVersion\": \"1\", \"Status\": \"fixed\", \"Title\": \"t\","
		" \"Description\": \"d\", \"References\": [\"https://x\"], \"VendorSeverity\": {\"nvd\": 3},"
		" \"CVSS\": {\"nvd\": {\"V3Vector\": \"CVSS:3.1/AV:N\", \"V3Score\": 9.8}}, \"PublishedDate\": \"2024-01-01\"},"
		"{\"VulnerabilityID\": \"CVE-2\", \"PkgName\": \"b\", \"InstalledVersion\": \"2\", \"Severity\": \"CRITICAL\","
		" \"CVSS\": {\"redhat\": {\"V2Score\": 4.3}}}]}]}";
	platci_trivy_options o = PLATCI_TRIVY_OPTIONS_INIT;
	got full, light;
	platci_trivy_stats st;

	cr_assert_eq(read_str(&full, &st, json, NULL), 0);
	o.policy_fields_only = 1;
	memset(&light, 0, sizeof(light));
	cr_assert_eq(platci_trivy_read_buffer(&st, "t.json", json, strlen(json), &o, collect, &light, NULL),
		0);
	cr_assert_eq(full.n, 2);
	cr_assert_eq(light.n, 2);
	for (int i = 0; i < 2; i++) {
		cr_assert_str_eq(full.ids[i], light.ids[i]);
		cr_assert_eq(full.sev[i], light.sev[i]);
		cr_assert_eq(full.fixable[i], light.fixable[i]);
		cr_assert_float_eq(full.cvss[i], light.cvss[i], 0.001);
	}
	cr_assert_str_eq(full.ids[0], "CVE-1", "DataSource's VulnerabilityID is not the finding's");
	cr_assert_eq(full.sev[0], PLATCI_TRIVY_HIGH, "from VendorSeverity, not Layer's Severity");
	cr_assert_float_eq(full.cvss[0], 9.8, 0.001);
	cr_assert_float_eq(full.cvss[1], 4.3, 0.001, "V2 when there is no V3");
}

Test(trivy, a_member_read_by_name_is_still_type_checked)
{
	got g;
	platci_trivy_stats st;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(read_str(&g, &st,
			     "{\"SchemaVersion\": 2, \"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": ["
			     "{\"VulnerabilityID\": \"CVE-1\", \"PkgName\": {\"a\": 1}}]}]}",
			     diag),
		PLATCI_EDATA);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "PkgName must be a string") != NULL);
	platci_diag_free(diag);
}
