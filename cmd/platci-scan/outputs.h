/* What platci-scan writes and prints once the library has applied the policy. */
#ifndef PLATCI_SCAN_OUTPUTS_H
#define PLATCI_SCAN_OUTPUTS_H

#include "cli.h"

/* --counts: the vulnerability counts per severity, as read and as reported. */
void scan_print_counts(const platci_scan_counts *t);

/*
 * Opens the reports of the reports folder as a stream the scan writes into
 * as findings arrive; deny findings go to the log as they are written.
 * @p diag receives the stream's diagnostics until it is committed.
 * Returns 0 or an exit code (printed).
 */
int scan_open_outputs(cli *c, platci_scan *scan, platci_report_stream **out, platci_diag *diag);

/* Ends the scan (waiver findings, the container scanning report) and fills @p junit. */
int scan_finish(cli *c, platci_scan *scan, platci_junit *junit, platci_diag *diag);

/* Completes the streamed reports with the scan's summary. Returns 0 or an exit code. */
int scan_write_outputs(cli *c, const platci_scan *scan, platci_report_stream *rs,
	const platci_junit *junit, platci_diag *diag);

/* One line per image, and the totals. */
void scan_print_results(const cli *c, const platci_scan *scan);

#endif
