/* platci-scan: Trivy JSON reports -> the environment's scan policy -> GitLab reports. */
#include "cli.h"
#include "cli_gitlab.h"
#include "inputs.h"
#include "outputs.h"

static const char *policy_path;
static cli_list ignores, reports;
static int counts_only;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "policy", 0, &policy_path, 0, "FILE",
		"scan policy (default: policies.scan of platci.yaml)", CLI_NONEMPTY },
	{ CLI_OPT_LIST, "ignore", 0, &ignores, 0, "FILE",
		"waivers: .trivyignore, .trivyignore.yaml, GitLab's\n"
		"vulnerability-allowlist.yml or platci waivers (repeatable)",
		CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "counts", 0, &counts_only, 1, NULL,
		"print the vulnerability counts per severity as read and\n"
		"after policy; write no reports",
		0 },
	{ CLI_OPT_ARGS, "REPORT.json", 0, &reports, 0, NULL, NULL, CLI_REQUIRED },
};

static const cli_spec spec = { "[--env ENV] [--policy FILE] [--ignore FILE]... REPORT.json...",
	"Reads Trivy JSON reports (every shape Trivy has written), applies the scan\n"
	"policy of the environment and the waivers, and writes junit.xml,\n"
	"gl-code-quality-report.json, summary.md, findings.json and\n"
	"gl-container-scanning-report.json. Exit 1 when a finding at the fail\n"
	"severity remains after waivers.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };

int main(int argc, char **argv)
{
	platci_scan_options so = PLATCI_SCAN_OPTIONS_INIT;
	platci_scan_policy *policy = NULL;
	platci_report_stream *rs = NULL;
	platci_junit *junit = NULL;
	platci_diag *diag = NULL;
	platci_scan *scan = NULL;
	platci_scan_counts t;
	cli c;
	int code;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE ||
		(code = scan_load_policy(&c, policy_path, &policy)) != 0)
		goto done;
	if (c.env && !platci_scan_policy_has_env(policy, c.env)) {
		code = cli_usage_error(&c, "--env: the scan policy has no environment \"%s\"", c.env);
		goto done;
	}
	so.env = c.env;
	so.now = c.now;
	so.pretty = c.pretty;
	so.counts_only = counts_only;
	if (platci_scan_new(&scan, policy, &so) < 0 || platci_junit_new(&junit) < 0 ||
		platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	/* Reports are written as findings arrive: memory does not grow with them. */
	if (!counts_only && (code = scan_open_outputs(&c, scan, &rs, diag)) != 0)
		goto done;
	cli_section_start(&c, "platci_scan", "platci scan");
	if ((code = scan_read_inputs(&c, scan, &ignores, &reports)) != 0 ||
		(code = scan_finish(&c, scan, junit, diag)) != 0)
		goto done;
	platci_scan_totals(&t, scan);
	if (counts_only) {
		scan_print_counts(&t);
	} else {
		if ((code = scan_write_outputs(&c, scan, rs, junit, diag)) != 0)
			goto done;
		scan_print_results(&c, scan);
	}
	cli_section_end(&c, "platci_scan");
	code = t.failing ? CLI_EXIT_DENY : CLI_EXIT_OK;
	/* Reports are written; GitLab is only a place to post them. */
	if (!counts_only)
		code = cli_gitlab_publish_summary(&c, c.reports, code);
done:
	platci_junit_free(junit);
	platci_report_stream_free(rs);
	platci_diag_free(diag);
	platci_scan_free(scan);
	platci_scan_policy_free(policy);
	cli_dispose(&c);
	return code;
}
