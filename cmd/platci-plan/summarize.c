/* platci-plan summarize: the MR view of one environment's plan. */
#include <stdlib.h>
#include <string.h>

#include "cli_gitlab.h"
#include "plan_cmd.h"

static const char *path, *max_text, *cost_path;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "max-summary", 0, &max_text, 0, "BYTES",
		"cap on the plan part of summary.md (default 40000)", 0 },
	{ CLI_OPT_VALUE, "plan", 0, &path, 0, "FILE", "the plan JSON (or give it as the argument)",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "cost", 0, &cost_path, 0, "FILE",
		"infracost breakdown (or diff) --format json output for this plan", CLI_NONEMPTY },
	{ CLI_OPT_ARG, "PLAN.json", 0, &path, 0, NULL, NULL, CLI_REQUIRED },
};

static const cli_spec spec = { "summarize [--env ENV] [options] PLAN.json",
	"Reads the output of terraform show -json PLANFILE (\"-\" for standard input)\n"
	"and writes terraform-report.json, summary.md, plan-fingerprint.json,\n"
	"findings.json, junit.xml and gl-code-quality-report.json. With --env, the plan\n"
	"policy (policies.plan of platci.yaml) judges each change. Exit 1 when the plan\n"
	"errored, is not applyable, is incomplete or a plan policy rule denies; 65 when\n"
	"a file is not readable. --env must name an environment of platci.yaml (64\n"
	"otherwise).\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };

/* With --env: platci.yaml must name it, and its plan policy judges the changes. */
static int load_inputs(cli *c, platci_policy **policy, platci_cost **cost, platci_diag *diag)
{
	platci_config *cfg = NULL;
	platci_buf file = PLATCI_BUF_INIT;
	const platci_env *env;
	int code = 0, error, has;

	if (cost_path && (error = platci_cost_load_file(cost, cost_path, c->env, diag)) < 0)
		return cli_fail(c, diag, error, "cannot use the cost estimate %s", cost_path);
	if (!c->env)
		return 0;
	if ((code = cli_load_config(c, &cfg)) != 0 || (code = cli_env(c, cfg, &env)) != 0)
		goto done;
	if ((has = cli_policy_path(&file, cfg, platci_config_policies(cfg)->plan, NULL)) < 0) {
		code = CLI_EXIT_INTERNAL;
	} else if (has && (error = platci_policy_load_file(policy, file.ptr, NULL, cfg, c->now, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot use the plan policy %s", file.ptr);
	} else if (has && !platci_policy_is_plan(*policy)) {
		cli_error(c, "%s is not a plan policy (kind: PlanPolicy)", file.ptr);
		code = CLI_EXIT_DATA;
	}
done:
	platci_buf_dispose(&file);
	platci_config_free(cfg);
	return code;
}

static int write_fingerprint(const char *file, const void *fp, int pretty, platci_diag *diag)
{
	return platci_plan_fingerprint_write_file(fp, file, pretty, diag);
}

static int write_outputs(cli *c, const platci_tfplan *plan, platci_findings *findings,
	const platci_plan_fingerprint *fp, const platci_cost *cost, size_t max_md)
{
	static const char *const checked[] = { "tfplan.errored", "tfplan.not-applyable",
		"tfplan.incomplete", "tfplan.check-failed", NULL };
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf md = PLATCI_BUF_INIT, widget = PLATCI_BUF_INIT;
	platci_junit *junit = NULL;
	int code;

	/* the fingerprint rides in the note, hidden, for the gate on the default branch */
	if (platci_junit_new(&junit) < 0 || platci_plan_fingerprint_render_note(&md, fp) < 0 ||
		(cost && platci_cost_render_md(&md, cost) < 0) ||
		platci_tfplan_findings(findings, plan, c->env, path) < 0 ||
		platci_tfplan_render_md(&md, plan, max_md) < 0 ||
		platci_tfplan_render_widget(&widget, plan) < 0 ||
		platci_junit_add_findings(junit, c->env ? c->env : "plan", findings, checked) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	platci_findings_sort(findings);
	ropts.stage = "plan";
	ropts.title = "platci plan";
	ropts.env = c->env;
	ropts.preamble_md = md.ptr;
	if ((code = cli_write_reports(c, findings, junit, &ropts)) != 0 ||
		(code = cli_write_report(c, "terraform-report.json", widget.ptr, widget.size)) != 0 ||
		(code = cli_write_report_to(c, "plan-fingerprint.json", write_fingerprint, fp)) != 0)
		goto done;
	for (size_t i = 0; i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_at(findings, i);
		if (f->enforcement == PLATCI_ENFORCE_DENY && !f->waiver)
			fprintf(stderr, "%s:%zu: deny: %s [%s]\n", f->file ? f->file : path,
				f->line, f->message, f->rule_id);
	}
	code = platci_findings_has_deny(findings) ? CLI_EXIT_DENY : CLI_EXIT_OK;
done:
	platci_buf_dispose(&md);
	platci_buf_dispose(&widget);
	platci_junit_free(junit);
	return code;
}

int plan_cmd_summarize(cli *c, int argc, char **argv)
{
	platci_plan_check chk = PLATCI_PLAN_CHECK_INIT;
	platci_tfplan *plan = NULL;
	platci_diag *diag = NULL;
	platci_policy *policy = NULL;
	platci_cost *cost = NULL;
	platci_findings *findings = NULL;
	platci_tfplan_counts counts = { 0 }, *n = &counts;
	char *end = NULL;
	long long max_md = 0;
	int code, error;

	if ((code = cli_parse(c, &spec, argc, argv)) != CLI_CONTINUE)
		return code;
	if (max_text && ((max_md = strtoll(max_text, &end, 10)) < 1000 || max_md > 990000 || *end))
		return cli_usage_error(c,
			"--max-summary: \"%s\" is not a size between 1000 and 990000", max_text);
	if (platci_diag_new(&diag) < 0 || platci_findings_new(&findings) < 0 ||
		platci_plan_fingerprint_new(&chk.fingerprint, c->env) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((code = load_inputs(c, &policy, &cost, diag)) != 0)
		goto done;
	chk.policy = policy;
	chk.env = c->env;
	chk.file = path;
	chk.findings = findings;
	chk.hash_input = 1;
	if ((error = platci_plan_check_read_file(&plan, path, &chk, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot summarize %s", path);
		goto done;
	}
	cli_input_hashed(c, path, platci_tfplan_input_sha256(plan));
	cli_print_diag(c, diag);
	if ((code = write_outputs(c, plan, findings, chk.fingerprint, cost, (size_t)max_md)) > CLI_EXIT_DENY)
		goto done;
	platci_tfplan_totals(&counts, plan);
	cli_info(c,
		"platci-plan: %s%s%s: %zu to add, %zu to change, %zu to destroy (%zu replaced), "
		"%zu to forget, %zu imported, %zu moved; widget %zu/%zu/%zu; reports in %s/",
		path, c->env ? " for " : "", c->env ? c->env : "", n->add, n->change, n->destroy,
		n->replace, n->forget, n->import, n->move, n->widget_create, n->widget_update,
		n->widget_delete, c->reports);
	code = cli_gitlab_publish_summary(c, c->reports, code);
done:
	platci_tfplan_free(plan);
	platci_plan_fingerprint_free(chk.fingerprint);
	platci_findings_free(findings);
	platci_policy_free(policy);
	platci_cost_free(cost);
	platci_diag_free(diag);
	return code;
}
