/* What platci-scan reads: the scan policy, the waivers and the Trivy reports. */
#include "inputs.h"

/* The scan policy: --policy, else policies.scan of platci.yaml. */
int scan_load_policy(cli *c, const char *policy_path, platci_scan_policy **out)
{
	platci_buf path = PLATCI_BUF_INIT;
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	int code = 0, error, found = 1;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if (!policy_path && (code = cli_load_config(c, &cfg)) != 0)
		goto done;
	if ((found = cli_policy_path(&path, cfg, cfg ? platci_config_policies(cfg)->scan : NULL,
		     policy_path)) <= 0) {
		if (found == 0)
			cli_error(c, "%s names no scan policy (policies: scan:); pass --policy FILE",
				platci_config_path(cfg));
		code = found == 0 ? CLI_EXIT_DATA : CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = platci_scan_policy_load(out, path.ptr, cfg, diag)) < 0)
		code = cli_fail(c, diag, error, "cannot use the scan policy %s", path.ptr);
	else
		cli_print_diag(c, diag);
done:
	platci_buf_dispose(&path);
	platci_config_free(cfg);
	platci_diag_free(diag);
	return code;
}

/* The waivers, then every report; each report's diagnostics printed once. */
int scan_read_inputs(cli *c, platci_scan *scan, const cli_list *ignores, const cli_list *reports)
{
	platci_diag *diag = NULL;
	int code = 0, error;

	for (size_t i = 0; i < ignores->count + reports->count && !code; i++) {
		int waiver = i < ignores->count;
		const char *file = waiver ? ignores->items[i] : reports->items[i - ignores->count];
		platci_trivy_stats st;

		platci_diag_free(diag);
		if (platci_diag_new(&diag) < 0)
			return CLI_EXIT_INTERNAL;
		error = waiver ? platci_scan_add_waivers(scan, file, diag)
			       : platci_scan_add_report(scan, file, &st, diag);
		if (error < 0 && waiver)
			code = cli_fail(c, diag, error, "cannot use the waivers in %s", file);
		else if (error < 0)
			code = cli_fail(c, diag, error,
				error == PLATCI_EDATA ? "%s: not a Trivy report "
							"platci can use"
						      : "cannot use the report %s",
				file);
		else
			cli_print_diag(c, diag);
		if (!error && !waiver)
			cli_info(c,
				"%s: %s report, %zu results, %zu vulnerabilities, %zu "
				"misconfigurations, %zu secrets, %zu licences",
				file, platci_trivy_shape_name(st.shape), st.results, st.read[0],
				st.read[1], st.read[2], st.read[3]);
	}
	platci_diag_free(diag);
	return code;
}
