/*
 * The model from the fixture reports and repository (tests/resources/report,
 * whose README says how every expected number follows from the files).
 */
#include "helpers.h"

#define GETI(o, k) json_integer_value(json_object_get((o), (k)))
#define GETS(o, k) json_string_value(json_object_get((o), (k)))

Test(platform, versions_and_pending)
{
	pf_case c;
	json_t *v, *apps, *web, *pin, *pending;
	size_t i, to_prd = 0, to_stg = 0;

	pc_init(&c);
	pc_build(&c, 1, NULL, NULL);
	v = json_object_get(c.json, "versions");
	apps = json_object_get(v, "applications");
	cr_assert_eq(json_array_size(apps), 3); /* api, apps (the substitute's Kustomization), web */
	web = pc_find(apps, "name", "web");
	cr_assert_not_null(web);
	cr_assert_eq(GETI(web, "waiting"), 2);
	pin = pc_find(json_object_get(web, "pins"), "key", "image:ghcr.io/acme/web.newTag");
	cr_assert_str_eq(GETS(json_object_get(pin, "values"), "dev-uaenorth"), "1.3.0");
	cr_assert_str_eq(GETS(json_object_get(pin, "values"), "stg-uaenorth"), "1.2.0");
	cr_assert_str_eq(GETS(json_object_get(pin, "values"), "prd-uaenorth"), "1.1.0");
	/* stg is ahead of prd and behind dev: both marks. */
	cr_assert_eq(json_array_size(json_object_get(json_object_get(pin, "marks"), "stg-uaenorth")), 2);
	pin = pc_find(json_object_get(web, "pins"), "key", "image:ghcr.io/acme/web.digest");
	/* dev pins no digest: nothing to say between dev and stg. */
	cr_assert_null(json_object_get(json_object_get(pin, "values"), "dev-uaenorth"));
	cr_assert_null(json_object_get(json_object_get(pin, "marks"), "dev-uaenorth"));
	pending = json_object_get(v, "pending");
	json_array_foreach (pending, i, pin) {
		to_prd += !strcmp(GETS(pin, "to"), "prd-uaenorth");
		to_stg += !strcmp(GETS(pin, "to"), "stg-uaenorth");
	}
	cr_assert_eq(to_stg, 3);
	cr_assert_eq(to_prd, 2);
	pin = pc_find(pending, "key", "image:ghcr.io/acme/web.digest");
	cr_assert_str_eq(GETS(pin, "promoted"),
		"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	cr_assert_str_eq(GETS(pin, "file"), "gitops/apps/prd-uaenorth/kustomization.yaml");
	cr_assert_eq(GETI(pin, "line"), 6);
	/* The matrix row of that pin says it on the page, in symbols as well as colour. */
	cr_assert(strstr(c.html,
		"<tr data-key=\"image:ghcr.io/acme/web.digest\"><th>web</th>"
		"<td>image digest</td><td>\xe2\x80\x93</td><td class=\"a\">sha256:aaaaaaaaaaaa\xe2\x80\xa6 "
		"\xe2\x96\xb2</td><td class=\"b\">sha256:bbbbbbbbbbbb\xe2\x80\xa6 \xe2\x96\xbc</td>"
		"<td class=\"a\">1</td></tr>"));
	pc_dispose(&c);
}

Test(platform, reports)
{
	pf_case c;
	json_t *f, *prd, *img, *drift, *plan, *gate, *promo;

	pc_init(&c);
	pc_build(&c, 1, NULL, NULL);
	/* Findings: validate's per finding env, plus the scan's; the env-less one apart. */
	f = json_object_get(c.json, "findings");
	prd = pc_find(f, "env", "prd-uaenorth");
	cr_assert_eq(GETI(prd, "total"), 7);
	cr_assert_eq(GETI(prd, "deny"), 3);
	cr_assert_eq(GETI(prd, "warn"), 2);
	cr_assert_eq(GETI(prd, "waived"), 2);
	cr_assert_str_eq(GETS(json_array_get(json_object_get(prd, "shown"), 0), "severity"), "critical");
	cr_assert_eq(GETI(pc_find(f, "env", NULL), "total"), 1);
	cr_assert_eq(GETI(pc_find(f, "env", "stg-uaenorth"), "warn"), 1);
	/* Vulnerabilities: severities and fixable from the CS report, waivers from findings.json. */
	prd = pc_find(json_object_get(c.json, "vulnerabilities"), "env", "prd-uaenorth");
	cr_assert_eq(GETI(prd, "expired_waivers"), 1);
	img = pc_find(json_object_get(prd, "images"), "image", "ghcr.io/acme/web:1.1.0");
	cr_assert_eq(GETI(img, "critical"), 1);
	cr_assert_eq(GETI(img, "high"), 1);
	cr_assert_eq(GETI(img, "fixable"), 1);
	cr_assert_eq(GETI(img, "waived"), 2);
	cr_assert_eq(GETI(img, "expiring_soon"), 1); /* 2026-12-01 is 5 days away; 2027-06-30 is not */
	img = pc_find(json_object_get(prd, "images"), "image", "ghcr.io/acme/api:2.0.0");
	cr_assert_eq(GETI(img, "low"), 1);
	cr_assert_eq(GETI(img, "fixable"), 1);
	/* Drift: items without the pending one, drift first; the age from generated_at. */
	drift = json_array_get(json_object_get(c.json, "drift"), 0);
	cr_assert_str_eq(GETS(drift, "env"), "prd-uaenorth");
	cr_assert_eq(GETI(drift, "age_seconds"), 10500);
	cr_assert_eq(json_array_size(json_object_get(drift, "items")), 4);
	cr_assert_str_eq(GETS(json_array_get(json_object_get(drift, "items"), 3), "state"), "ignored");
	cr_assert_str_eq(GETS(drift, "issue_body"), "../reports/drift-prd-uaenorth/drift-issue.md");
	cr_assert(json_is_null(json_object_get(drift, "issue_url")));
	/* Plan and gate. */
	plan = pc_find(json_object_get(c.json, "plans"), "env", "prd-uaenorth");
	cr_assert_eq(GETI(json_object_get(plan, "plan"), "delete"), 1);
	gate = json_object_get(plan, "gate");
	cr_assert_str_eq(GETS(gate, "decision"), "deny");
	cr_assert_eq(json_array_size(json_object_get(gate, "rules_not_passed")), 2);
	cr_assert(json_is_null(
		json_object_get(pc_find(json_object_get(c.json, "plans"), "env", "dev-uaenorth"), "gate")));
	promo = json_array_get(json_object_get(c.json, "promotions"), 0);
	cr_assert_eq(GETI(promo, "changes"), 2);
	cr_assert_eq(json_array_size(json_object_get(promo, "refusals")), 1);
	cr_assert_str_eq(GETS(promo, "diff"), "../reports/promote/promotion.diff");
	pc_dispose(&c);
}

Test(platform, missing_inputs_are_named)
{
	static const char *const want[][2] = {
		{ "plan", "dev-uaenorth" },
		{ "gate", "dev-uaenorth" },
		{ "container-scanning", "dev-uaenorth" },
		{ "drift", "dev-uaenorth" },
		{ "plan", "stg-uaenorth" },
		{ "gate", "stg-uaenorth" },
		{ "container-scanning", "stg-uaenorth" },
		{ "drift", "stg-uaenorth" },
		{ "promotion", "stg-uaenorth" },
		{ "render", NULL },
	};
	pf_case c;
	size_t found = 0;

	pc_init(&c);
	pc_build(&c, 1, NULL, NULL);
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_MISSING), 10);
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_UNREADABLE), 0);
	for (size_t i = 0; i < platci_platform_input_count(c.p); i++) {
		const platci_platform_input *in = platci_platform_input_at(c.p, i);
		if (in->status != PLATCI_PLATFORM_MISSING)
			continue;
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			if (!strcmp(in->kind, want[k][0]) &&
				((!in->env && !want[k][1]) ||
					(in->env && want[k][1] && !strcmp(in->env, want[k][1]))))
				found++;
		cr_assert_not_null(in->message);
	}
	cr_assert_eq(found, 10);
	cr_assert(strstr(c.html, "no render.json in the report folders"));
	pc_dispose(&c);
}

Test(platform, bad_reports_are_unreadable_and_the_rest_is_read)
{
	pf_case c;
	const platci_platform_input *in;

	pc_init(&c);
	/* Truncated, another kind of file, not JSON, wrong types, another report type. */
	pc_write(&c, "reports/findings.json",
		"{\"version\": \"1\", \"stage\": \"validate\", \"findings\": [{\"rule\"");
	pc_write(&c, "reports/drift-prd-uaenorth/drift.json",
		"{\"version\": \"1\", \"stage\": \"drift\", \"env\": \"prd-uaenorth\", \"findings\": []}");
	pc_write(&c, "reports/gate-prd-uaenorth/decision.json", "allow\n");
	pc_write(&c, "reports/plan-prd-uaenorth/terraform-report.json", "{\"create\": \"1\"}");
	pc_write(&c, "reports/scan-prd-uaenorth/gl-container-scanning-report.json",
		"{\"version\": \"15.0.7\", \"scan\": {\"type\": \"sast\"}, \"vulnerabilities\": []}");
	pc_write(&c, "reports/promote/promotion.json", "");
	pc_build(&c, 1, NULL, NULL);
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_UNREADABLE), 6);
	in = pc_input(&c, "reports/findings.json");
	cr_assert_eq(in->status, PLATCI_PLATFORM_UNREADABLE);
	/* The parser's position: file:line:column. */
	cr_assert(strstr(in->message, "reports/findings.json:1:"), "%s", in->message);
	cr_assert(strstr(pc_input(&c, "drift.json")->message, "not a platci drift.json"));
	cr_assert(strstr(pc_input(&c, "terraform-report.json")->message, "terraform-report.json"));
	cr_assert(strstr(pc_input(&c, "gl-container-scanning-report.json")->message, "container_scanning"));
	/* What could be read still is: the scan's findings, the repository. */
	cr_assert_eq(pc_input(&c, "scan-prd-uaenorth/findings.json")->status, PLATCI_PLATFORM_OK);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(c.json, "versions"), "pending")), 5);
	/* Unusable is not missing: each is named once, by its folder's environment. */
	cr_assert_null(pc_find(json_object_get(c.json, "drift"), "env", "prd-uaenorth"));
	cr_assert_str_eq(pc_input(&c, "drift.json")->env, "prd-uaenorth");
	/*
	 * The ten of the fixture, and two whose unusable reports say nothing of what they
	 * are about: the validate findings.json and the promotion into prd.
	 */
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_MISSING), 12);
	cr_assert(strstr(c.html, "unreadable"));
	cr_assert_geq(platci_diag_count(c.diag), 6);
	pc_dispose(&c);
}

Test(platform, missing_reports_folder)
{
	pf_case c;
	platci_platform_options o = PLATCI_PLATFORM_OPTIONS_INIT;
	const char *const dirs[] = { "reports", "no-such-folder", NULL };

	pc_init(&c);
	pc_build(&c, 1, &o, dirs);
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_UNREADABLE), 1);
	cr_assert_str_eq(pc_input(&c, "no-such-folder")->kind, "reports-folder");
	cr_assert(strstr(pc_input(&c, "no-such-folder")->message, "no such folder"));
	cr_assert_eq(platci_platform_add_reports(c.p, c.reports, NULL), PLATCI_EINVALID);
	pc_dispose(&c);
}

Test(platform, the_newest_report_wins)
{
	pf_case c;
	const char *const dirs[] = { "reports", "later", NULL };
	json_t *drift;
	char cmd[4096];

	pc_init(&c);
	/* A second folder with the same drift and validate reports, the drift newer. */
	snprintf(cmd, sizeof(cmd),
		"mkdir -p '%s/later' && cp -R '%s/drift-prd-uaenorth' '%s/findings.json' "
		"'%s/later/' && sed -i 's/2026-11-26T00:05:00Z/2026-11-26T02:05:00Z/; "
		"s/\"terraform_drift\": 1/\"terraform_drift\": 9/' '%s/later/drift-prd-uaenorth/drift.json' "
		"&& touch -d 2026-11-26T00:00:00Z '%s/later/findings.json' && "
		"touch -d 2026-11-26T00:30:00Z '%s/findings.json'",
		c.dir, c.reports, c.reports, c.dir, c.dir, c.dir, c.reports);
	cr_assert_eq(system(cmd), 0);
	pc_build(&c, 1, NULL, dirs);
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_SUPERSEDED), 2);
	cr_assert_eq(pc_input(&c, "reports/drift-prd-uaenorth/drift.json")->status,
		PLATCI_PLATFORM_SUPERSEDED);
	cr_assert_eq(pc_input(&c, "later/findings.json")->status, PLATCI_PLATFORM_SUPERSEDED);
	drift = json_array_get(json_object_get(c.json, "drift"), 0);
	cr_assert_eq(GETI(json_object_get(drift, "counts"), "terraform_drift"), 9);
	/* The validate findings count once. */
	cr_assert_eq(GETI(pc_find(json_object_get(c.json, "findings"), "env", NULL), "total"), 1);
	pc_dispose(&c);
}

Test(platform, long_lists_are_cut_and_say_so)
{
	pf_case c;
	platci_platform_options o = PLATCI_PLATFORM_OPTIONS_INIT;
	json_t *prd;

	o.max_list = 2;
	pc_init(&c);
	pc_build(&c, 1, &o, NULL);
	prd = pc_find(json_object_get(c.json, "findings"), "env", "prd-uaenorth");
	cr_assert_eq(GETI(prd, "total"), 7);
	cr_assert_eq(json_array_size(json_object_get(prd, "shown")), 2);
	cr_assert_str_eq(GETS(json_array_get(json_object_get(prd, "shown"), 1), "level"), "deny");
	cr_assert(strstr(c.html, "Showing the 2 most severe of 7 findings"));
	cr_assert(strstr(c.html, "Showing the 2 most severe of 4 items"));
	pc_dispose(&c);
}

Test(platform, without_platci_yaml)
{
	pf_case c;
	json_t *envs;

	pc_init(&c);
	pc_build(&c, 0, NULL, NULL);
	cr_assert(json_is_null(json_object_get(c.json, "versions")));
	envs = json_object_get(c.json, "environments");
	/* Only what the reports name, in the order they were read. */
	cr_assert_eq(json_array_size(envs), 2);
	cr_assert_str_eq(GETS(json_array_get(envs, 0), "name"), "prd-uaenorth");
	cr_assert(json_is_false(json_object_get(json_array_get(envs, 0), "in_config")));
	cr_assert(strstr(c.html, "No version matrix"));
	cr_assert_eq(platci_platform_status_count(c.p, PLATCI_PLATFORM_MISSING), 1); /* render.json */
	pc_dispose(&c);
}

Test(platform, unreadable_version_files)
{
	pf_case c;
	json_t *envs;

	pc_init(&c);
	pc_write(&c, "repo/gitops/apps/stg-uaenorth/kustomization.yaml", "images:\n  - name: [oops\n");
	pc_build(&c, 1, NULL, NULL);
	envs = json_object_get(json_object_get(c.json, "versions"), "environments");
	cr_assert_str_eq(GETS(json_array_get(envs, 1), "status"), "unreadable");
	cr_assert_str_eq(GETS(json_array_get(envs, 2), "status"), "ok");
	cr_assert(strstr(pc_input(&c, "gitops/clusters/stg-uaenorth")->message, "kustomization.yaml:"));
	/* Nothing is compared with an environment that could not be read. */
	cr_assert_eq(json_array_size(json_object_get(json_object_get(c.json, "versions"), "pending")), 0);
	cr_assert(strstr(c.html, "? unreadable"));
	pc_dispose(&c);
}

Test(platform, api_misuse)
{
	platci_platform_options o = PLATCI_PLATFORM_OPTIONS_INIT;
	platci_platform *p = NULL;
	platci_buf b = PLATCI_BUF_INIT;

	o.version = 99;
	cr_assert_eq(platci_platform_new(&p, &o), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_options_init(&o, 99), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_options_init(&o, PLATCI_PLATFORM_OPTIONS_VERSION), 0);
	o.project_url = "javascript:alert(1)";
	cr_assert_eq(platci_platform_new(&p, &o), PLATCI_EINVALID);
	o.project_url = NULL;
	cr_assert_eq(platci_platform_new(&p, &o), 0);
	cr_assert_eq(platci_platform_render_html(&b, p), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_render_json(&b, p), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_finish(p), 0);
	cr_assert_eq(platci_platform_finish(p), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_load_versions(p, NULL), PLATCI_EINVALID);
	cr_assert_eq(platci_platform_render_json(&b, p), 0);
	cr_assert_str_eq(platci_platform_status_name(PLATCI_PLATFORM_SUPERSEDED), "superseded");
	cr_assert_null(platci_platform_input_at(p, 999));
	platci_buf_dispose(&b);
	platci_platform_free(p);
	platci_platform_free(NULL);
}

Test(platform, the_pipelines_layout)
{
	pf_case c;
	const char *const dirs[] = { "ci", NULL };
	json_t *plan;

	pc_init(&c);
	/* As the plan, gate and apply jobs leave them: platci-reports/<env>/ and <env>/gate/. */
	pc_write(&c, "ci/stg-uaenorth/terraform-report.json",
		"{\"create\": 4, \"update\": 0, \"delete\": 0}");
	pc_write(&c, "ci/stg-uaenorth/gate/decision.json",
		"{\"version\": 1, \"decision\": \"allow\", \"env\": \"stg-uaenorth\", \"rules\": []}");
	pc_write(&c, "ci/stg-uaenorth/gate/summary.md", "<!-- platci:gate:stg-uaenorth -->\n");
	/* Deeper than three levels below the folder given: not read. */
	pc_write(&c, "ci/a/b/c/d/decision.json",
		"{\"version\": 1, \"decision\": \"deny\", \"env\": \"dev-uaenorth\", \"rules\": []}");
	pc_build(&c, 1, NULL, dirs);
	plan = pc_find(json_object_get(c.json, "plans"), "env", "stg-uaenorth");
	cr_assert_eq(GETI(json_object_get(plan, "plan"), "create"), 4);
	cr_assert_str_eq(GETS(json_object_get(plan, "gate"), "decision"), "allow");
	cr_assert(json_is_null(
		json_object_get(pc_find(json_object_get(c.json, "plans"), "env", "dev-uaenorth"), "gate")));
	/* The gate folder's environment is its parent's. */
	cr_assert_str_eq(GETS(pc_find(json_object_get(c.json, "artifacts"), "name", "summary.md"), "env"),
		"stg-uaenorth");
	pc_dispose(&c);
}
