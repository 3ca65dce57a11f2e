/* platci-validate's own output. */
#include <stdio.h>
#include <string.h>

#include "output.h"

int write_reports(cli *c, const platci_findings *findings, const platci_findings *fixed,
	const platci_affected *affected, const platci_affected_meta *meta,
	const platci_changes *changes, const char *preamble_md)
{
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf out = PLATCI_BUF_INIT;
	int code;

	ropts.stage = "validate";
	ropts.title = "platci validate";
	ropts.env = c->env;
	ropts.fixed = fixed;
	ropts.preamble_md = preamble_md;
	if ((code = cli_write_reports(c, findings, NULL, &ropts)) != 0)
		goto done;
	if (platci_affected_render_json(&out, affected, meta, changes) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	code = cli_write_report(c, "affected.json", out.ptr, out.size);
done:
	platci_buf_dispose(&out);
	return code;
}

void print_findings(const cli *c, const platci_findings *findings)
{
	for (size_t i = 0; !c->quiet && i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_at(findings, i);
		if (f->waiver)
			continue;
		fprintf(stderr, "%s:%zu:%zu: %s: %s%s [%s]\n", f->file ? f->file : "-", f->line,
			f->column, f->enforcement == PLATCI_ENFORCE_DENY ? "error" : "warning", f->message,
			f->baseline == PLATCI_BASELINE_EXISTING ? " (already at the merge base)" : "",
			f->rule_id);
	}
}

void print_totals(const cli *c, const platci_config *cfg, const platci_findings *findings,
	const platci_findings *fixed, const platci_validate_stats *stats, const platci_affected *affected)
{
	platci_findings_counts counts;
	char compared[128] = "";
	size_t existing = 0;

	platci_findings_count_by(findings, &counts);
	if (fixed) {
		for (size_t i = 0; i < platci_findings_count(findings); i++)
			existing += platci_findings_at(findings, i)->baseline == PLATCI_BASELINE_EXISTING;
		snprintf(compared, sizeof(compared), "; %zu already at the merge base, %zu fixed",
			existing, platci_findings_count(fixed));
	}
	cli_info(c,
		"platci-validate: %zu files, %zu documents: %zu deny, %zu warn, %zu waived%s; "
		"%zu of %zu environments affected; reports in %s/",
		stats->files, stats->documents, counts.deny, counts.warn, counts.waived, compared,
		platci_affected_count(affected), platci_config_env_count(cfg), c->reports);
}
