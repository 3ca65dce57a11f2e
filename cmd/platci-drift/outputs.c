/* What platci-drift writes and prints once the library has computed the drift. */
#include <stdlib.h>
#include <string.h>

#include "cli_gitlab.h"
#include "outputs.h"

void drift_print_items(const cli *c, const platci_drift *d)
{
	if (c->quiet)
		return;
	for (size_t i = 0; i < platci_drift_item_count(d); i++) {
		const platci_drift_item *it = platci_drift_item_at(d, i);
		if (!it->is_drift)
			continue;
		fprintf(stderr, "%s:%zu: drift: %s [%s]\n", it->file ? it->file : "-", it->line,
			it->message ? it->message : it->identity, it->category);
	}
}

/* drift.json goes to its file as it is rendered: it holds every checked resource. */
static int write_json(cli *c, const platci_drift *d, const platci_drift_render_options *dopts)
{
	static const char *const name = "drift.json";
	platci_buf path = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int error = PLATCI_ENOMEM;

	if (platci_diag_new(&diag) < 0 || platci_path_on_disk(&path, c->reports, name) < 0 ||
		(error = platci_drift_write_json(path.ptr, d, dopts, diag)) < 0)
		cli_fail(c, diag, error, "cannot write %s/%s", c->reports, name);
	platci_buf_dispose(&path);
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_INTERNAL : cli_reports_written(c, &name, 1);
}

int drift_write_outputs(cli *c, const platci_drift *d, const platci_findings *findings)
{
	platci_drift_render_options dopts = PLATCI_DRIFT_RENDER_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_drift_issue issue = PLATCI_DRIFT_ISSUE_INIT;
	platci_buf md = PLATCI_BUF_INIT;
	platci_junit *junit = NULL;
	char when[32];
	int code = 0;

	platci_time_format_utc(when, sizeof(when), c->now);
	dopts.generated_at = when;
	dopts.pretty = c->pretty;
	if (platci_junit_new(&junit) < 0 || platci_drift_junit(junit, d) < 0 ||
		platci_drift_render_markdown(&md, d, &dopts) < 0 ||
		platci_drift_issue_build(&issue, d, getenv("CI_PIPELINE_URL")) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "drift";
	ropts.title = "platci drift";
	ropts.env = platci_drift_env(d);
	ropts.preamble_md = md.ptr;
	if (platci_drift_found(d))
		ropts.verdict = ":warning: drift found";
	if ((code = cli_write_reports(c, findings, junit, &ropts)) != 0 ||
		(code = write_json(c, d, &dopts)) != 0 ||
		(code = cli_write_report(c, "drift-issue.md", issue.body.ptr, issue.body.size)) != 0)
		goto done;
	/* One open issue per environment, in line with the drift set; the exit code stays. */
	if (c->gitlab)
		cli_gitlab_issue(c, issue.title.ptr, issue.label,
			platci_drift_found(d) ? issue.body.ptr : NULL, issue.close_comment.ptr);
done:
	platci_drift_issue_dispose(&issue);
	platci_junit_free(junit);
	platci_buf_dispose(&md);
	return code;
}

void drift_print_totals(const cli *c, const platci_drift *d)
{
	platci_drift_counts n;

	platci_drift_totals(&n, d);
	cli_info(c,
		"platci-drift %s: %s; Terraform %zu drifted of %zu, Flux %zu findings over %zu "
		"objects, %zu waiting to be promoted, %zu ignored; reports in %s/",
		platci_drift_env(d), platci_drift_found(d) ? "drift found" : "no drift", n.terraform_drift,
		n.terraform_checked, n.flux_drift, n.flux_checked, n.pending, n.ignored, c->reports);
}
