/* platci-plan summarize: the MR view of one environment's plan. */
#include <stdlib.h>

#include "cli_gitlab.h"
#include "plan_cmd.h"

static const char *path, *max_text;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "max-summary", 0, &max_text, 0, "BYTES",
		"cap on the plan part of summary.md (default 40000)", 0 },
	{ CLI_OPT_VALUE, "plan", 0, &path, 0, "FILE", "the plan JSON (or give it as the argument)",
		CLI_NONEMPTY },
	{ CLI_OPT_ARG, "PLAN.json", 0, &path, 0, NULL, NULL, CLI_REQUIRED },
};

static const cli_spec spec = {
	"summarize [--env ENV] [options] PLAN.json",
	"Reads the output of terraform show -json PLANFILE (\"-\" for standard input)\n"
	"and writes terraform-report.json, summary.md, findings.json, junit.xml and\n"
	"gl-code-quality-report.json. Exit 1 when the plan errored, is not applyable\n"
	"or is incomplete; 65 when the file is not a readable plan. --env must name an\n"
	"environment of platci.yaml (64 otherwise).\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL
};

/* --env, when given, is an environment of platci.yaml: a typo must not label the reports. */
static int check_env(cli *c)
{
	platci_config *cfg = NULL;
	const platci_env *env;
	int code;

	if (!c->env)
		return 0;
	if ((code = cli_load_config(c, &cfg)) == 0)
		code = cli_env(c, cfg, &env);
	platci_config_free(cfg);
	return code;
}

static int write_outputs(cli *c, const platci_tfplan *plan, size_t max_md)
{
	static const char *const checked[] = { "tfplan.errored", "tfplan.not-applyable",
		"tfplan.incomplete", "tfplan.check-failed", NULL };
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf md = PLATCI_BUF_INIT, widget = PLATCI_BUF_INIT;
	platci_findings *findings = NULL;
	platci_junit *junit = NULL;
	int code;

	if (platci_findings_new(&findings) < 0 || platci_junit_new(&junit) < 0 ||
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
	    (code = cli_write_report(c, "terraform-report.json", widget.ptr, widget.size)) != 0)
		goto done;
	for (size_t i = 0; i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->enforcement == PLATCI_ENFORCE_DENY && !f->waiver)
			fprintf(stderr, "%s: deny: %s [%s]\n", path, f->message, f->rule_id);
	}
	code = platci_findings_has_deny(findings) ? CLI_EXIT_DENY : CLI_EXIT_OK;
done:
	platci_buf_dispose(&md);
	platci_buf_dispose(&widget);
	platci_junit_free(junit);
	platci_findings_free(findings);
	return code;
}

int plan_cmd_summarize(cli *c, int argc, char **argv)
{
	platci_tfplan *plan = NULL;
	platci_diag *diag = NULL;
	const platci_tfplan_counts *n;
	char *end = NULL;
	long long max_md = 0;
	int code, error;

	if ((code = cli_parse(c, &spec, argc, argv)) != CLI_CONTINUE)
		return code;
	if (max_text && ((max_md = strtoll(max_text, &end, 10)) < 1000 || max_md > 990000 || *end))
		return cli_usage_error(c, "--max-summary: \"%s\" is not a size between 1000 and 990000",
			max_text);
	if ((code = check_env(c)) != 0)
		return code;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_tfplan_read_file(&plan, path, NULL, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot summarize %s", path);
		goto done;
	}
	cli_print_diag(c, diag);
	if ((code = write_outputs(c, plan, (size_t)max_md)) > CLI_EXIT_DENY)
		goto done;
	n = platci_tfplan_get_counts(plan);
	cli_info(c, "platci-plan: %s%s%s: %zu to add, %zu to change, %zu to destroy (%zu replaced), "
		"%zu to forget, %zu imported, %zu moved; widget %zu/%zu/%zu; reports in %s/", path,
		c->env ? " for " : "", c->env ? c->env : "", n->add, n->change, n->destroy,
		n->replace, n->forget, n->import, n->move, n->widget_create, n->widget_update,
		n->widget_delete, c->reports);
	code = cli_gitlab_publish_summary(c, c->reports, code);
done:
	platci_tfplan_free(plan);
	platci_diag_free(diag);
	return code;
}
