/* What platci-drift writes and prints once the library has computed the drift. */
#ifndef PLATCI_DRIFT_OUTPUTS_H
#define PLATCI_DRIFT_OUTPUTS_H

#include "cli.h"

/* One "file:line: drift: message [category]" line per drift item (not with --quiet). */
void drift_print_items(const cli *c, const platci_drift *d);

/*
 * Writes the common reports, drift.json and drift-issue.md, then (with
 * --gitlab) keeps the environment's drift issue in line. Returns 0 or an
 * exit code (printed).
 */
int drift_write_outputs(cli *c, const platci_drift *d, const platci_findings *findings);

/* The one-line result with the totals. */
void drift_print_totals(const cli *c, const platci_drift *d);

#endif
