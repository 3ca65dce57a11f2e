/*
 * The parts of `platci-plan summarize`, one process per part, for
 * bench/floor.sh to time beside the floor: where the time over a bare
 * pass goes.
 *
 *   plan_parts read FILE    the plan reader alone (the model a summary needs)
 *   plan_parts hash FILE    ... and SHA-256 of every byte, for reports.json
 *   plan_parts check FILE   ... and every change's fingerprint (gate.reviewed-plan),
 *                           as summarize reads a plan; no report is written
 */
#include <stdio.h>
#include <string.h>

#include <platci.h>

int main(int argc, char **argv)
{
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_plan_check chk = PLATCI_PLAN_CHECK_INIT;
	platci_tfplan *plan = NULL;
	platci_diag *diag = NULL;
	int error;

	if (argc != 3 || (strcmp(argv[1], "read") && strcmp(argv[1], "hash") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: plan_parts read|hash|check FILE\n");
		return 64;
	}
	if (platci_diag_new(&diag) < 0)
		return 70;
	if (strcmp(argv[1], "check") == 0) {
		if (platci_plan_fingerprint_new(&chk.fingerprint, "bench") < 0)
			return 70;
		chk.file = argv[2];
		chk.hash_input = 1;
		error = platci_plan_check_read_file(&plan, argv[2], &chk, diag);
	} else {
		o.hash_input = strcmp(argv[1], "hash") == 0;
		error = platci_tfplan_read_file(&plan, argv[2], &o, diag);
	}
	if (error < 0) {
		char line[512];
		platci_diag_format(line, sizeof(line), platci_diag_at(diag, 0));
		fprintf(stderr, "plan_parts: %s\n", line);
	} else {
		platci_tfplan_counts n;
		platci_tfplan_totals(&n, plan);
		printf("%zu changes%s%s\n", n.resources, chk.fingerprint ? ", fingerprint " : "",
			chk.fingerprint ? platci_plan_fingerprint_digest(chk.fingerprint) : "");
	}
	platci_plan_fingerprint_free(chk.fingerprint);
	platci_tfplan_free(plan);
	platci_diag_free(diag);
	return error < 0 ? 65 : 0;
}
