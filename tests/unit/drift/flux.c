#include "helpers.h"
#include "util/utf8.h"

#define HEAD "3f1c2b7e9a4d5c6b8e0f1a2b3c4d5e6f7a8b9c0d"
#define OLD "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d"

static const char flux_list[] =
	"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n"
	"{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\",\"kind\":\"GitRepository\",\"metadata\":{\"name\":\"repo\",\"namespace\":\"flux-system\",\"generation\":1},\n"
	" \"spec\":{\"url\":\"ssh://git@gitlab.example.com/platform/platform.git\",\"ref\":{\"branch\":\"main\"}},\"status\":{\"observedGeneration\":1,\"artifact\":{\"revision\":\"main@sha1:" OLD
	"\"},\n"
	" \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},\n"
	"{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\",\"kind\":\"GitRepository\",\"metadata\":{\"name\":\"pinned\",\"namespace\":\"flux-system\"},\n"
	" \"spec\":{\"ref\":{\"tag\":\"v1.0.0\"}},\"status\":{\"artifact\":{\"revision\":\"v1.0.0@sha1:" OLD
	"\"},\n"
	" \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},\n"
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"ok\",\"namespace\":\"flux-system\",\"generation\":2},\n"
	" \"spec\":{\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"repo\"}},\n"
	" \"status\":{\"observedGeneration\":2,\"lastAppliedRevision\":\"refs/heads/main@sha1:" OLD
	"\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},\n"
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"behind\",\"namespace\":\"flux-system\",\"generation\":3},\n"
	" \"spec\":{\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"repo\"},\"dependsOn\":[{\"name\":\"ok\"},{\"name\":\"paused\"},{\"name\":\"missing\"}]},\n"
	" \"status\":{\"observedGeneration\":2,\"lastAppliedRevision\":\"main@sha1:" HEAD
	"\",\n"
	"  \"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"DependencyNotReady\",\"message\":\"dependency 'flux-system/paused' is not ready\"},\n"
	"                {\"type\":\"Stalled\",\"status\":\"True\",\"reason\":\"InvalidPath\",\"message\":\"path not found\"}]}},\n"
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"paused\",\"namespace\":\"flux-system\"},\n"
	" \"spec\":{\"suspend\":true,\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"repo\"}},\n"
	" \"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"Whatever\"}]}},\n"
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"rolling\",\"namespace\":\"flux-system\"},\n"
	" \"spec\":{\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"repo\"}},\n"
	" \"status\":{\"lastAppliedRevision\":\"main@sha1:" OLD
	"\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\",\"reason\":\"Progressing\"},\n"
	"  {\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"Progressing\",\"message\":\"Running health checks\"}]}},\n"
	"{\"apiVersion\":\"helm.toolkit.fluxcd.io/v2\",\"kind\":\"HelmRelease\",\"metadata\":{\"name\":\"web\",\"namespace\":\"apps\"},\n"
	" \"spec\":{},\"status\":{\"history\":[{\"chartVersion\":\"1.2.3\"}],\"lastAttemptedRevision\":\"1.2.4+0cc9a8446c95\",\n"
	"  \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"Drifted\",\"status\":\"True\",\"reason\":\"DriftDetected\",\"message\":\"replicas\"}]}},\n"
	"{\"apiVersion\":\"helm.toolkit.fluxcd.io/v2\",\"kind\":\"HelmRelease\",\"metadata\":{\"name\":\"digest\",\"namespace\":\"apps\"},\n"
	" \"spec\":{},\"status\":{\"history\":[{\"chartVersion\":\"6.6.1\"}],\"lastAttemptedRevision\":\"6.6.1+0cc9a8446c95\",\n"
	"  \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},\n"
	"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"creds\",\"namespace\":\"apps\"},\"data\":{\"password\":\"UExBTlRFRA==\"}}\n"
	"]}\n";

Test(drift_flux, every_category)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_expect expect[] = { { "main", HEAD, NULL }, { NULL, HEAD, NULL } };
	platci_drift_counts n;
	drift_case c;
	const platci_drift_item *it;

	opts.expect = expect;
	opts.nexpect = 2;
	dc_run(&c, NULL, flux_list, NULL, 0, &opts);
	cr_assert_eq(c.rc, 0);

	it = dc_find(&c, "flux.source-behind", "GitRepository/flux-system/repo");
	cr_assert_not_null(it);
	cr_assert_str_eq(it->expected, HEAD);
	/* A tag-pinned source is not expected to follow the branch head. */
	cr_assert_null(dc_find(&c, "flux.source-behind", "GitRepository/flux-system/pinned"));
	/* refs/heads/main@sha1:X and main@sha1:X are the same revision. */
	cr_assert_null(dc_find(&c, "flux.apply-behind", "Kustomization/flux-system/ok"));
	cr_assert_null(dc_find(&c, "flux.not-ready", "Kustomization/flux-system/ok"));

	cr_assert_not_null(dc_find(&c, "flux.apply-behind", "Kustomization/flux-system/behind"));
	it = dc_find(&c, "flux.not-ready", "Kustomization/flux-system/behind");
	cr_assert_not_null(it);
	cr_assert_str_eq(it->reason, "DependencyNotReady");
	cr_assert_not_null(dc_find(&c, "flux.stalled", "Kustomization/flux-system/behind"));
	cr_assert_not_null(dc_find(&c, "flux.stale-status", "Kustomization/flux-system/behind"));
	{
		size_t deps = 0;
		for (size_t i = 0; i < platci_drift_item_count(c.drift); i++) {
			it = platci_drift_item_at(c.drift, i);
			if (strcmp(it->category, "flux.dependency-not-ready") == 0)
				deps++;
		}
		cr_assert_eq(deps, 2, "paused and missing, not ok");
	}

	it = dc_find(&c, "flux.suspended", "Kustomization/flux-system/paused");
	cr_assert_not_null(it);
	cr_assert_not(it->is_drift);
	/* A suspended object's stale status is not reported as its own failure. */
	cr_assert_null(dc_find(&c, "flux.not-ready", "Kustomization/flux-system/paused"));

	it = dc_find(&c, "flux.reconciling", "Kustomization/flux-system/rolling");
	cr_assert_not_null(it);
	cr_assert_not(it->is_drift);
	cr_assert_null(dc_find(&c, "flux.not-ready", "Kustomization/flux-system/rolling"));

	cr_assert_not_null(dc_find(&c, "flux.helm-drifted", "HelmRelease/apps/web"));
	cr_assert_not_null(dc_find(&c, "flux.apply-behind", "HelmRelease/apps/web"));
	/* 6.6.1 vs 6.6.1+<digest> is the same chart version. */
	cr_assert_null(dc_find(&c, "flux.apply-behind", "HelmRelease/apps/digest"));

	cr_assert_eq(platci_drift_totals(&n, c.drift), 0);
	cr_assert_eq(n.flux_checked, 8, "the Secret is not a Flux object");
	cr_assert(platci_drift_found(c.drift));
	dc_dispose(&c);
}

Test(drift_flux, an_expectation_can_name_the_repository)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_expect mine[] = { { "main", HEAD, "platform/platform" } };
	platci_drift_expect other[] = { { "main", HEAD, "form/platform" }, { "main", HEAD, "other/repo" } };
	drift_case c;

	opts.expect = mine;
	opts.nexpect = 1;
	dc_run(&c, NULL, flux_list, NULL, 0, &opts);
	cr_assert_not_null(dc_find(&c, "flux.source-behind", "GitRepository/flux-system/repo"));
	dc_dispose(&c);
	opts.expect = other;
	opts.nexpect = 2;
	dc_run(&c, NULL, flux_list, NULL, 0, &opts);
	cr_assert_null(dc_find(&c, "flux.source-behind", "GitRepository/flux-system/repo"));
	dc_dispose(&c);
}

Test(drift_flux, no_expectation_no_source_behind)
{
	drift_case c;
	dc_run(&c, NULL, flux_list, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_null(dc_find(&c, "flux.source-behind", "GitRepository/flux-system/repo"));
	dc_dispose(&c);
}

Test(drift_flux, a_healthy_cluster_is_clean)
{
	const char *ok =
		"{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\","
		"\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"a\",\"namespace\":\"b\",\"generation\":1},"
		"\"status\":{\"observedGeneration\":1,\"lastAppliedRevision\":\"main@sha1:" HEAD
		"\","
		"\"lastAttemptedRevision\":\"main@sha1:" HEAD
		"\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}]}";
	drift_case c;
	dc_run(&c, NULL, ok, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_not(platci_drift_found(c.drift));
	cr_assert_eq(platci_drift_item_count(c.drift), 0);
	cr_assert_eq(platci_drift_checked_count(c.drift), 1);
	dc_dispose(&c);
}

Test(drift_flux, bad_flux_input_fails_the_run)
{
	drift_case c;
	dc_run(&c, NULL, "{\"kind\":\"List\",\"items\":[", NULL, 0, NULL);
	cr_assert_eq(c.rc, PLATCI_ESYNTAX);
	cr_assert_null(c.drift);
	dc_dispose(&c);
}

Test(drift_flux, pending_promotions_are_listed_not_drift)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_pending p[] = {
		{ "image registry.example.com/platform/web",
			"gitops/apps/prd-uaenorth/kustomization.yaml", 14, "1.3.8", "1.3.9" },
		{ "HelmRelease apps/podinfo chart", NULL, 0, NULL, "6.8.0" },
	};
	platci_buf md = PLATCI_BUF_INIT;
	drift_case c;
	const platci_drift_item *it;

	opts.pending = p;
	opts.npending = 2;
	opts.pending_from = "stg-uaenorth";
	dc_run(&c, NULL, NULL, NULL, 0, &opts);
	cr_assert_eq(c.rc, 0);
	cr_assert_not(platci_drift_found(c.drift));
	it = dc_find(&c, "pending.promotion", "image registry.example.com/platform/web");
	cr_assert_not_null(it);
	cr_assert_str_eq(it->previous, "1.3.8");
	cr_assert_str_eq(it->expected, "1.3.9");
	cr_assert_eq(it->line, 14);
	cr_assert_eq(platci_drift_render_markdown(&md, c.drift, NULL), 0);
	cr_assert(strstr(md.ptr, "| What | File | Here | In stg-uaenorth |") != NULL, "%s", md.ptr);
	cr_assert(strstr(md.ptr, "gitops/apps/prd-uaenorth/kustomization.yaml:14 | `1.3.8` | `1.3.9` |") != NULL,
		"%s", md.ptr);
	cr_assert(strstr(md.ptr, "(absent)") != NULL);
	platci_buf_dispose(&md);
	dc_dispose(&c);
}

Test(drift_flux, credentials_in_condition_messages_are_masked)
{
	const char *list =
		"{\"kind\":\"List\",\"items\":[{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\","
		"\"kind\":\"GitRepository\",\"metadata\":{\"name\":\"r\",\"namespace\":\"n\"},\"status\":{\"conditions\":"
		"[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"GitOperationFailed\",\"message\":"
		"\"unable to clone 'https://oauth2:PLANTED-glpat-token@gitlab.example.com/p.git', "
		"also ssh://a@h/x and https://PLANTED-token-only@h2/y\"}]}}]}";
	drift_case c;
	const platci_drift_item *it;
	char *all;

	dc_run(&c, NULL, list, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	it = dc_find(&c, "flux.not-ready", "GitRepository/n/r");
	cr_assert_not_null(it);
	cr_assert(strstr(it->message, "https://***@gitlab.example.com/p.git") != NULL, "%s", it->message);
	cr_assert(strstr(it->message, "ssh://*@h/x") != NULL, "%s", it->message);
	all = dc_render_all(&c);
	cr_assert(strstr(all, "PLANTED") == NULL, "%s", strstr(all, "PLANTED"));
	platci_free(all);
	dc_dispose(&c);
}

Test(drift_flux, long_multibyte_messages_stay_valid_utf8)
{
	platci_buf list = PLATCI_BUF_INIT, out = PLATCI_BUF_INIT;
	drift_case c;

	platci_buf_puts(&list,
		"{\"kind\":\"List\",\"items\":[{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\","
		"\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"a\",\"namespace\":\"n\"},\"status\":{\"conditions\":"
		"[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"BuildFailed\",\"message\":\"x");
	for (int i = 0; i < 900; i++)
		platci_buf_puts(&list, "\xC3\xA9"); /* é */
	platci_buf_puts(&list, "\"}]}}]}");
	dc_run(&c, NULL, list.ptr, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	/* jansson refuses invalid UTF-8: a cut inside a character would fail the JSON report. */
	cr_assert_eq(platci_drift_render_json(&out, c.drift, NULL), 0);
	cr_assert_eq(platci__utf8_valid_prefix((const unsigned char *)out.ptr, out.size), out.size);
	platci_buf_dispose(&out);
	platci_buf_dispose(&list);
	dc_dispose(&c);
}

/* Drift's readiness categories are the readiness bits of fluxstatus, object by object. */
Test(drift_flux, readiness_is_the_one_definition)
{
	static const char *const categories[] = { "flux.suspended", "flux.not-ready",
		"flux.reconciling", "flux.stalled", "flux.stale-status", "flux.apply-behind" };
	platci_flux_status *st = NULL;
	drift_case c;

	dc_run(&c, NULL, flux_list, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "f.json", flux_list, strlen(flux_list), NULL), 0);
	for (size_t i = 0; i < platci_flux_status_count(st); i++) {
		const platci_flux_object *o = platci_flux_status_at(st, i);
		platci_flux_readiness r;
		char id[512];

		if (o->kind == PLATCI_FLUX_UNKNOWN)
			continue;
		snprintf(id, sizeof(id), "%s/%s/%s", o->kind_name,
			o->namespace_ ? o->namespace_ : "", o->name);
		cr_assert_eq(platci_flux_object_readiness(&r, st, o), 0);
		for (unsigned int bit = 0; bit < 6; bit++)
			cr_assert_eq(dc_find(&c, categories[bit], id) != NULL,
				(r.blocked >> bit) & 1, "%s: %s", id, categories[bit]);
	}
	platci_flux_status_free(st);
	dc_dispose(&c);
}
