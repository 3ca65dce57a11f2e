/* What platci-scan reads: the scan policy, the waivers and the Trivy reports. */
#ifndef PLATCI_SCAN_INPUTS_H
#define PLATCI_SCAN_INPUTS_H

#include "cli.h"

/* The scan policy: @p policy_path, else policies.scan of platci.yaml. Returns 0 or an exit code. */
int scan_load_policy(cli *c, const char *policy_path, platci_scan_policy **out);

/* Every waiver file, then every report, into @p scan. Returns 0 or an exit code (printed). */
int scan_read_inputs(cli *c, platci_scan *scan, const cli_list *ignores, const cli_list *reports);

#endif
