/* platci-validate's own output. */
#include <stdio.h>
#include <string.h>

#include "output.h"

int write_file(cli *c, const char *path, const platci_buf *b)
{
	platci_diag *diag = NULL;
	int error;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_fs_write_atomic(path, b->ptr, b->size, diag);
	if (error < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write %s: %s", path, platci_strerror(error));
	}
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_INTERNAL : 0;
}

void print_findings(const cli *c, const platci_findings *findings)
{
	for (size_t i = 0; !c->quiet && i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->waiver)
			continue;
		fprintf(stderr, "%s:%zu:%zu: %s: %s%s [%s]\n", f->file ? f->file : "-", f->line,
			f->column, f->enforcement == PLATCI_ENFORCE_DENY ? "error" : "warning",
			f->message, f->baseline == PLATCI_BASELINE_EXISTING ?
			" (already at the merge base)" : "", f->rule_id);
	}
}

void print_totals(const cli *c, const platci_config *cfg, const platci_findings *findings,
	const platci_findings *fixed, const platci_validate_stats *stats,
	const platci_affected *affected)
{
	platci_findings_counts counts;
	char compared[128] = "";
	size_t existing = 0;

	platci_findings_count_by(findings, &counts);
	if (fixed) {
		for (size_t i = 0; i < platci_findings_count(findings); i++)
			existing += platci_findings_get(findings, i)->baseline == PLATCI_BASELINE_EXISTING;
		snprintf(compared, sizeof(compared), "; %zu already at the merge base, %zu fixed",
			existing, platci_findings_count(fixed));
	}
	cli_info(c, "platci-validate: %zu files, %zu documents: %zu deny, %zu warn, %zu waived%s; "
		"%zu of %zu environments affected; reports in %s/", stats->files, stats->documents,
		counts.deny, counts.warn, counts.waived, compared, platci_affected_count(affected),
		platci_config_env_count(cfg), c->reports);
}
