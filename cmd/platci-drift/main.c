/* platci-drift: Terraform and Flux drift for one environment, and what waits to be promoted. */
#include <stdlib.h>

#include "cli.h"
#include "inputs.h"
#include "outputs.h"

static const char *terraform, *pending_path, *policy_path;
static cli_list flux, expect;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "terraform", 0, &terraform, 0, "FILE",
		"a `terraform show -json` plan (\"-\" for stdin)", CLI_NONEMPTY },
	{ CLI_OPT_LIST, "flux", 0, &flux, 0, "FILE",
		"a kubectl List of Flux objects; repeat for several files", CLI_NONEMPTY },
	{ CLI_OPT_LIST, "expect-revision", 0, &expect, 0, "[BRANCH=]SHA",
		"the commit GitRepositories (tracking BRANCH) should have\n"
		"fetched; default in CI: CI_COMMIT_BRANCH=CI_COMMIT_SHA\n"
		"for GitRepositories whose url is CI_PROJECT_PATH",
		0 },
	{ CLI_OPT_VALUE, "pending", 0, &pending_path, 0, "FILE",
		"pending promotions as JSON: [{identity, file, line,\n"
		"current, source}] (default: the version sets' difference)",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "policy", 0, &policy_path, 0, "FILE",
		"ignore rules (default: policies.drift in platci.yaml)", CLI_NONEMPTY },
};

static const cli_spec spec = {
	"--env ENV [--terraform PLAN.json] [--flux STATUS.json]... "
	"[--expect-revision [BRANCH=]SHA]... [options]",
	"Reports drift for one environment: Terraform resources changed outside Terraform\n"
	"(from `terraform show -json` of a refresh-only plan), Flux objects that are not\n"
	"Ready, suspended or behind their source (from `kubectl get ... -A -o json`), and\n"
	"what waits to be promoted. Exit 2 when drift is found, 0 when none.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 1, NULL
};

int main(int argc, char **argv)
{
	platci_drift_options dopts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_pending_set *pend = NULL;
	platci_drift_policy *policy = NULL;
	platci_drift_expect *exp = NULL;
	platci_findings *findings = NULL;
	platci_config *cfg = NULL;
	platci_drift *drift = NULL;
	platci_diag *diag = NULL;
	platci_buf path = PLATCI_BUF_INIT;
	const platci_env *env;
	cli c;
	int code, error, found;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE)
		goto done;
	if (!terraform && !flux.count && !pending_path) {
		code = cli_usage_error(&c, "nothing to check: give --terraform, --flux or --pending");
		goto done;
	}
	if ((code = drift_expectations(&c, &expect, &exp, &dopts.nexpect)) != 0 ||
		(code = cli_load_config(&c, &cfg)) != 0 || (code = cli_env(&c, cfg, &env)) != 0)
		goto done;
	found = cli_policy_path(&path, cfg, platci_config_policies(cfg)->drift, policy_path);
	if (found < 0 || platci_findings_new(&findings) < 0 || platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (found && (error = platci_drift_policy_load(&policy, path.ptr, cfg, diag)) < 0) {
		code = cli_fail(&c, diag, error, "cannot use the drift policy %s", path.ptr);
		goto done;
	}
	if ((code = drift_pending(&c, cfg, env, pending_path, &pend)) != 0)
		goto done;
	dopts.expect = exp;
	dopts.env = c.env;
	dopts.terraform_plan = terraform;
	dopts.flux_files = (const char *const *)flux.items;
	dopts.nflux_files = flux.count;
	dopts.pending = platci_drift_pending_set_items(pend);
	dopts.npending = platci_drift_pending_set_count(pend);
	dopts.pending_from = env->promote_from;
	dopts.policy = policy;
	dopts.now = c.now;
	cli_section_start(&c, "platci_drift", "platci drift");
	if ((error = platci_drift_run(&drift, &dopts, findings, diag)) < 0) {
		code = cli_fail(&c, diag, error, "drift could not be computed");
		goto done;
	}
	cli_print_diag(&c, diag);
	cli_input_hashed(&c, terraform, platci_drift_plan_sha256(drift));
	drift_print_items(&c, drift);
	if ((code = drift_write_outputs(&c, drift, findings)) != 0)
		goto done;
	cli_section_end(&c, "platci_drift");
	drift_print_totals(&c, drift);
	code = platci_drift_found(drift) ? CLI_EXIT_CHANGES : CLI_EXIT_OK;
done:
	if (expect.count)
		free(exp);
	platci_drift_free(drift);
	platci_drift_policy_free(policy);
	platci_drift_pending_set_free(pend);
	platci_buf_dispose(&path);
	platci_findings_free(findings);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
