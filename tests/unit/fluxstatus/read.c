#include "test_helpers.h"

static const char list_json[] =
	"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"},\"items\":[\n"
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\n"
	" \"metadata\":{\"name\":\"apps\",\"namespace\":\"flux-system\",\"generation\":3},\n"
	" \"spec\":{\"suspend\":true,\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"flux-system\"},\n"
	"   \"dependsOn\":[{\"name\":\"infra\"},{\"name\":\"crds\",\"namespace\":\"other\"}]},\n"
	" \"status\":{\"observedGeneration\":2,\"lastAppliedRevision\":\"main@sha1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n"
	"   \"lastAttemptedRevision\":\"main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\n"
	"   \"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"BuildFailed\",\"message\":\"boom\"},\n"
	"                 {\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"ProgressingWithRetry\"}]}},\n"
	"{\"apiVersion\":\"source.toolkit.fluxcd.io/v1beta2\",\"kind\":\"GitRepository\",\n"
	" \"metadata\":{\"name\":\"flux-system\",\"namespace\":\"flux-system\",\"generation\":1},\n"
	" \"spec\":{\"ref\":{\"branch\":\"main\"}},\n"
	" \"status\":{\"observedGeneration\":1,\"artifact\":{\"revision\":\"main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"},\n"
	"   \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Succeeded\"}]}},\n"
	"{\"apiVersion\":\"helm.toolkit.fluxcd.io/v2\",\"kind\":\"HelmRelease\",\n"
	" \"metadata\":{\"name\":\"web\",\"namespace\":\"apps\"},\n"
	" \"spec\":{\"chart\":{\"spec\":{\"chart\":\"web\",\"version\":\"1.2.x\",\"sourceRef\":{\"kind\":\"HelmRepository\",\"name\":\"charts\",\"namespace\":\"flux-system\"}}}},\n"
	" \"status\":{\"history\":[{\"chartVersion\":\"1.2.3\"}],\"helmChart\":\"flux-system/apps-web\",\n"
	"   \"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"},{\"type\":\"Drifted\",\"status\":\"True\",\"reason\":\"DriftDetected\"}]}},\n"
	"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"y\"}}\n"
	"]}\n";

Test(fluxstatus, reads_a_kubectl_list)
{
	platci_flux_status *st = NULL;
	const platci_flux_object *ks, *git, *hr;

	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "list.json", list_json, strlen(list_json), NULL), 0);
	cr_assert_eq(platci_flux_status_count(st), 4);

	ks = platci_flux_status_find(st, PLATCI_FLUX_KUSTOMIZATION, "flux-system", "apps");
	cr_assert_not_null(ks);
	cr_assert(ks->suspended);
	cr_assert_eq(ks->generation, 3);
	cr_assert_eq(ks->observed_generation, 2);
	cr_assert_str_eq(ks->source.kind, "GitRepository");
	cr_assert_str_eq(ks->source.namespace_, "flux-system"); /* defaulted */
	cr_assert_eq(ks->ndepends_on, 2);
	cr_assert_str_eq(ks->depends_on[0].namespace_, "flux-system");
	cr_assert_str_eq(ks->depends_on[1].namespace_, "other");
	cr_assert_eq(platci_flux_object_cond(ks, "Ready"), PLATCI_FLUX_COND_FALSE);
	cr_assert_str_eq(platci_flux_object_condition(ks, "Ready")->reason, "BuildFailed");
	cr_assert_eq(platci_flux_object_cond(ks, "Reconciling"), PLATCI_FLUX_COND_TRUE);
	cr_assert_eq(platci_flux_object_cond(ks, "Stalled"), PLATCI_FLUX_COND_ABSENT);
	cr_assert_not(platci_flux_object_is_ready(ks));
	cr_assert_str_eq(ks->file, "list.json");
	cr_assert_gt(ks->line, 1);
	cr_assert_not(ks->eol_api);

	git = platci_flux_status_find(st, PLATCI_FLUX_GITREPOSITORY, "flux-system", "flux-system");
	cr_assert_not_null(git);
	cr_assert(git->eol_api);
	cr_assert_str_eq(git->ref_branch, "main");
	cr_assert(platci_flux_object_is_ready(git));
	cr_assert(platci_flux_revision_same(git->artifact_revision, ks->last_attempted_revision));

	hr = platci_flux_status_find(st, PLATCI_FLUX_HELMRELEASE, "apps", "web");
	cr_assert_not_null(hr);
	cr_assert_eq(hr->generation, -1);
	cr_assert_str_eq(hr->source.name, "charts");
	cr_assert_str_eq(hr->chart_version, "1.2.x");
	cr_assert_str_eq(hr->history_chart_version, "1.2.3");
	cr_assert_str_eq(hr->helm_chart, "flux-system/apps-web");
	cr_assert_eq(platci_flux_object_cond(hr, "Drifted"), PLATCI_FLUX_COND_TRUE);
	cr_assert_eq(platci_flux_object_cond(hr, "Ready"), PLATCI_FLUX_COND_UNKNOWN);

	cr_assert_eq(platci_flux_status_at(st, 3)->kind, PLATCI_FLUX_UNKNOWN);
	cr_assert_null(platci_flux_status_at(st, 4));
	platci_flux_status_free(st);
}

Test(fluxstatus, a_single_object_and_several_files_accumulate)
{
	const char *one =
		"\xEF\xBB\xBF{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\",\"kind\":\"OCIRepository\","
		"\"metadata\":{\"name\":\"podinfo\",\"namespace\":\"apps\"},\"spec\":{\"ref\":{\"tag\":\"6.7.1\"}},"
		"\"status\":{\"artifact\":{\"revision\":\"6.7.1@sha256:0cc9\"}}}";
	platci_flux_status *st = NULL;
	const platci_flux_object *o;

	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "list.json", list_json, strlen(list_json), NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "one.json", one, strlen(one), NULL), 0);
	cr_assert_eq(platci_flux_status_count(st), 5);
	o = platci_flux_status_find(st, PLATCI_FLUX_OCIREPOSITORY, "apps", "podinfo");
	cr_assert_not_null(o);
	cr_assert_str_eq(o->ref_tag, "6.7.1");
	cr_assert_str_eq(o->file, "one.json");
	platci_flux_status_free(st);
}

static void expect_bad(const char *data, int code, const char *needle, size_t line)
{
	platci_flux_status *st = NULL;
	platci_diag *diag = NULL;
	char msg[512];

	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "bad.json", list_json, strlen(list_json), NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "bad.json", data, strlen(data), diag), code,
		"input: %s", data);
	/* A failed file adds nothing: the earlier file's objects remain. */
	cr_assert_eq(platci_flux_status_count(st), 4);
	cr_assert_geq(platci_diag_count(diag), 1);
	platci_diag_format(msg, sizeof(msg), platci_diag_at(diag, 0));
	cr_assert(strstr(msg, needle) != NULL, "diagnostic \"%s\" lacks \"%s\"", msg, needle);
	cr_assert(strstr(msg, "bad.json") != NULL, "%s", msg);
	if (line)
		cr_assert_eq(platci_diag_at(diag, 0)->line, line, "%s", msg);
	platci_diag_free(diag);
	platci_flux_status_free(st);
}

Test(fluxstatus, garbage_gives_clear_errors)
{
	expect_bad("", PLATCI_ESYNTAX, "empty", 0);
	expect_bad("{\"kind\":\"List\",\"items\":[{\"kind\":\"Kustomization\",", PLATCI_ESYNTAX, "", 0);
	expect_bad("not json", PLATCI_ESYNTAX, "", 1);
	expect_bad("[1,2]", PLATCI_EDATA, "not a Kubernetes List", 1);
	expect_bad("{\"a\":1}", PLATCI_EDATA, "no \"kind\"", 1);
	expect_bad("{\"kind\":\"List\",\"items\":[\n{\"kind\":\"Kustomization\"}]}", PLATCI_EDATA,
		"metadata.name", 2);
	expect_bad("{\"kind\":\"List\",\"items\":[3]}", PLATCI_EDATA, "not an object", 0);
}

Test(fluxstatus, object_limit_is_an_error_not_a_crash)
{
	platci_flux_status_options opts;
	platci_flux_status *st = NULL;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_flux_status_options_init(&opts, PLATCI_FLUX_STATUS_OPTIONS_VERSION), 0);
	opts.max_objects = 2;
	cr_assert_eq(platci_flux_status_new(&st, &opts), 0);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "l.json", list_json, strlen(list_json), diag),
		PLATCI_ELIMIT);
	cr_assert_eq(platci_flux_status_count(st), 0);
	platci_diag_free(diag);
	platci_flux_status_free(st);
	opts.version = 99;
	cr_assert_eq(platci_flux_status_new(&st, &opts), PLATCI_EINVALID);
}

Test(fluxstatus, lookups_over_many_objects)
{
	platci_buf big = PLATCI_BUF_INIT;
	platci_flux_status *st = NULL;

	platci_buf_puts(&big, "{\"kind\":\"List\",\"items\":[");
	for (int i = 0; i < 3000; i++)
		platci_buf_printf(&big,
			"%s{\"kind\":\"%s\",\"metadata\":{\"name\":\"o%04d\",\"namespace\":\"ns%d\"}}",
			i ? "," : "", i % 2 ? "Kustomization" : "GitRepository", i, i % 7);
	platci_buf_puts(&big, "]}");
	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "big.json", big.ptr, big.size, NULL), 0);
	for (int i = 0; i < 3000; i++) {
		char name[16], ns[16];
		snprintf(name, sizeof(name), "o%04d", i);
		snprintf(ns, sizeof(ns), "ns%d", i % 7);
		cr_assert_not_null(platci_flux_status_find(st,
					   i % 2 ? PLATCI_FLUX_KUSTOMIZATION : PLATCI_FLUX_GITREPOSITORY,
					   ns, name),
			"%s/%s", ns, name);
		cr_assert_null(platci_flux_status_find(st,
			i % 2 ? PLATCI_FLUX_GITREPOSITORY : PLATCI_FLUX_KUSTOMIZATION, ns, name));
	}
	cr_assert_null(platci_flux_status_find(st, PLATCI_FLUX_KUSTOMIZATION, "ns1", "nope"));
	platci_buf_dispose(&big);
	platci_flux_status_free(st);
}

Test(fluxstatus, kinds_round_trip)
{
	cr_assert_eq(platci_flux_kind_parse("helmrelease"), PLATCI_FLUX_HELMRELEASE);
	cr_assert_eq(platci_flux_kind_parse("Bucket"), PLATCI_FLUX_BUCKET);
	cr_assert_eq(platci_flux_kind_parse("Deployment"), PLATCI_FLUX_UNKNOWN);
	cr_assert_str_eq(platci_flux_kind_name(PLATCI_FLUX_OCIREPOSITORY), "OCIRepository");
	cr_assert(platci_flux_kind_is_source(PLATCI_FLUX_HELMCHART));
	cr_assert_not(platci_flux_kind_is_source(PLATCI_FLUX_KUSTOMIZATION));
}

Test(fluxstatus, every_shared_fixture_reads)
{
	static const char *const files[] = {
		"kubectl-get-kustomizations-A-o-json.ASSEMBLED.json",
		"kubectl-get-helmreleases-A-o-json.ASSEMBLED.json",
		"kubectl-get-sources-A-o-json.ASSEMBLED.json",
	};
	static const size_t counts[] = { 5, 5, 4 };
	platci_flux_status *st = NULL;
	size_t total = 0;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at " PLATCI_TEST_FIXTURES);
	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	for (size_t i = 0; i < 3; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/flux-status/%s", PLATCI_TEST_FIXTURES, files[i]);
		cr_assert_eq(platci_flux_status_read_file(st, path, NULL), 0, "%s", path);
		total += counts[i];
		cr_assert_eq(platci_flux_status_count(st), total, "%s", path);
	}
	/* The legacy revision of the v1beta2 Kustomization and its source agree on nothing. */
	{
		const platci_flux_object *ks =
			platci_flux_status_find(st, PLATCI_FLUX_KUSTOMIZATION, "default", "canaries");
		const platci_flux_object *git =
			platci_flux_status_find(st, PLATCI_FLUX_GITREPOSITORY, "default", "canaries");
		cr_assert_not_null(ks);
		cr_assert_not_null(git);
		cr_assert(ks->eol_api);
		cr_assert_not(platci_flux_revision_same(ks->last_applied_revision, git->artifact_revision));
		cr_assert(platci_flux_revision_on_branch(git->artifact_revision, "master"));
	}
	/* The HelmRelease list holds the same name twice: find() gives the first one read. */
	{
		const platci_flux_object *hr = platci_flux_status_find(st, PLATCI_FLUX_HELMRELEASE,
			"netflix", "netflix-mission-control-tenant");
		cr_assert_not_null(hr);
		cr_assert_str_eq(hr->last_attempted_revision, "0.1.78");
	}
	platci_flux_status_free(st);
}
