/* platci-plan summarize: the MR view of one environment's plan. */
#include <stdio.h>
#include <string.h>

#include "cli_gitlab.h"
#include "plan_cmd.h"

static const char usage[] = "summarize [--env ENV] [options] PLAN.json";
static const char options[] =
	"Reads the output of terraform show -json PLANFILE (\"-\" for standard input)\n"
	"and writes terraform-report.json, summary.md, findings.json, junit.xml and\n"
	"gl-code-quality-report.json. Exit 1 when the plan errored, is not applyable\n"
	"or is incomplete; 65 when the file is not a readable plan.\n\n"
	"Options:\n"
	"  --max-summary BYTES   cap on the plan part of summary.md (default 40000)\n";

int plan_cmd_summarize(cli *c, int argc, char **argv)
{
	platci_tfplan *plan = NULL;
	platci_diag *diag = NULL;
	platci_findings *findings = NULL;
	platci_junit *junit = NULL;
	platci_tfplan_options topts = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf md = PLATCI_BUF_INIT, widget = PLATCI_BUF_INIT;
	const char *path = NULL;
	static const char *const checked[] = { "tfplan.errored", "tfplan.not-applyable",
		"tfplan.incomplete", "tfplan.check-failed", NULL };
	const platci_tfplan_counts *n;
	size_t max_md = 0;
	int code = 0, error;

	for (int i = 1; i < argc; i++) {
		const char *v;
		int r = cli_common_flag(c, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(c, usage, options);
			return 0;
		} else if (cli_is_flag(argv[i], "--max-summary")) {
			char *end = NULL;
			long long m;
			if (!(v = cli_flag_value(c, argc, argv, &i, "--max-summary")))
				return CLI_EXIT_USAGE;
			m = strtoll(v, &end, 10);
			if (!*v || *end || m < 1000 || m > 990000)
				return cli_usage_error(c, "--max-summary: \"%s\" is not a size between "
					"1000 and 990000", v);
			max_md = (size_t)m;
		} else if (cli_is_flag(argv[i], "--plan")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--plan")))
				return CLI_EXIT_USAGE;
			path = v;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_usage_error(c, "unknown option \"%s\"", argv[i]);
		} else if (path) {
			return cli_usage_error(c, "one plan at a time (got \"%s\" and \"%s\")", path,
				argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return cli_usage_error(c, "summarize needs the plan JSON file");
	if (platci_diag_new(&diag) < 0 || platci_findings_new(&findings) < 0 ||
	    platci_junit_new(&junit) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	error = platci_tfplan_read_file(&plan, path, &topts, diag);
	cli_print_diag(c, diag);
	if (error < 0) {
		cli_error(c, "cannot summarize %s: %s", path, platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (platci_tfplan_findings(findings, plan, c->env, path) < 0 ||
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
	if ((code = cli_write_reports(c, findings, junit, &ropts)) != 0)
		goto done;
	platci_diag_free(diag);
	diag = NULL;
	if (platci_diag_new(&diag) < 0 ||
	    platci_report_write_file(c->reports, "terraform-report.json", widget.ptr, widget.size,
		    diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	n = platci_tfplan_get_counts(plan);
	for (size_t i = 0; i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->enforcement == PLATCI_ENFORCE_DENY && !f->waiver)
			fprintf(stderr, "%s: deny: %s [%s]\n", path, f->message, f->rule_id);
	}
	cli_info(c, "platci-plan: %s%s%s: %zu to add, %zu to change, %zu to destroy (%zu replaced), "
		"%zu to forget, %zu imported, %zu moved; widget %zu/%zu/%zu; reports in %s/", path,
		c->env ? " for " : "", c->env ? c->env : "", n->add, n->change, n->destroy,
		n->replace, n->forget, n->import, n->move, n->widget_create, n->widget_update,
		n->widget_delete, c->reports);
	code = platci_findings_has_deny(findings) ? CLI_EXIT_DENY : CLI_EXIT_OK;
	code = cli_gitlab_publish_summary(c, c->reports, code);
done:
	platci_buf_dispose(&md);
	platci_buf_dispose(&widget);
	platci_junit_free(junit);
	platci_findings_free(findings);
	platci_tfplan_free(plan);
	platci_diag_free(diag);
	return code;
}
