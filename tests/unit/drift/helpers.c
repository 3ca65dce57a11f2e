#include "helpers.h"

void dc_run(drift_case *c, const char *plan_json, const char *flux_json, const char *policy_yaml,
	time_t now, const platci_drift_options *extra)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	const char *flux_files[1];

	memset(c, 0, sizeof(*c));
	if (extra)
		opts = *extra;
	c->dir = th_tmpdir();
	cr_assert_eq(platci_findings_new(&c->findings), 0);
	cr_assert_eq(platci_diag_new(&c->diag), 0);
	if (policy_yaml)
		cr_assert_eq(platci_drift_policy_load_buffer(&c->policy, "policies/drift.yaml",
				     policy_yaml, strlen(policy_yaml), NULL, c->diag),
			0);
	if (plan_json) {
		c->plan = th_write(c->dir, "plan.json", plan_json, strlen(plan_json));
		opts.terraform_plan = c->plan;
	}
	if (flux_json) {
		c->flux = th_write(c->dir, "flux.json", flux_json, strlen(flux_json));
		flux_files[0] = c->flux;
		opts.flux_files = flux_files;
		opts.nflux_files = 1;
	}
	if (!opts.env)
		opts.env = "prd-uaenorth";
	opts.policy = c->policy;
	opts.now = now;
	c->rc = platci_drift_run(&c->drift, &opts, c->findings, c->diag);
}

void dc_dispose(drift_case *c)
{
	platci_drift_free(c->drift);
	platci_drift_policy_free(c->policy);
	platci_findings_free(c->findings);
	platci_diag_free(c->diag);
	if (c->dir)
		th_rmrf(c->dir);
	free(c->dir);
	free(c->plan);
	free(c->flux);
	memset(c, 0, sizeof(*c));
}

const platci_drift_item *dc_find(const drift_case *c, const char *category, const char *identity)
{
	for (size_t i = 0; i < platci_drift_item_count(c->drift); i++) {
		const platci_drift_item *it = platci_drift_item_at(c->drift, i);
		if (strcmp(it->category, category) == 0 && strcmp(it->identity, identity) == 0)
			return it;
	}
	return NULL;
}

char *dc_render_all(const drift_case *c)
{
	platci_buf all = PLATCI_BUF_INIT;
	platci_junit *j = NULL;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;

	cr_assert_eq(platci_drift_render_json(&all, c->drift, NULL), 0);
	cr_assert_eq(platci_drift_render_markdown(&all, c->drift, NULL), 0);
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_drift_junit(j, c->drift), 0);
	cr_assert_eq(platci_junit_render(&all, j, "drift"), 0);
	ropts.stage = "drift";
	cr_assert_eq(platci_report_summary(&all, c->findings, &ropts), 0);
	cr_assert_eq(platci_report_findings_json(&all, c->findings, &ropts), 0);
	cr_assert_eq(platci_report_codequality(&all, c->findings), 0);
	for (size_t i = 0; i < platci_diag_count(c->diag); i++)
		platci_buf_printf(&all, "%s\n", platci_diag_at(c->diag, i)->message);
	platci_junit_free(j);
	return platci_buf_detach(&all);
}
