/* What platci-validate writes besides the common reports, and what it prints. */
#ifndef PLATCI_VALIDATE_OUTPUT_H
#define PLATCI_VALIDATE_OUTPUT_H

#include "cli.h"

/*
 * The four common reports (with the merge base's @p fixed findings, or
 * NULL when not compared; @p preamble_md, the rendered diff's section, or
 * NULL) and affected.json. Returns 0 or an exit code.
 */
int write_reports(cli *c, const platci_findings *findings, const platci_findings *fixed,
	const platci_affected *affected, const platci_affected_meta *meta,
	const platci_changes *changes, const char *preamble_md);

/* One `file:line:column: error|warning: message [rule]` line per unwaived finding. */
void print_findings(const cli *c, const platci_findings *findings);

/* The closing line: counts, environments affected, the comparison with the merge base. */
void print_totals(const cli *c, const platci_config *cfg, const platci_findings *findings,
	const platci_findings *fixed, const platci_validate_stats *stats, const platci_affected *affected);

#endif
