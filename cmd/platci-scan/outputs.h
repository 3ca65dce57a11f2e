/* What platci-scan writes and prints once the library has applied the policy. */
#ifndef PLATCI_SCAN_OUTPUTS_H
#define PLATCI_SCAN_OUTPUTS_H

#include "cli.h"

/* --counts: the vulnerability counts per severity, as read and as reported. */
void scan_print_counts(const platci_scan_totals *t);

/* The common reports and gl-container-scanning-report.json. Returns 0 or an exit code. */
int scan_write_outputs(cli *c, const platci_scan *scan, const platci_findings *findings,
	const platci_junit *junit);

/* The failing findings, one line per image, and the totals. */
void scan_print_results(const cli *c, const platci_scan *scan, const platci_findings *findings);

#endif
