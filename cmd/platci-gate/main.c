/* platci-gate: may this plan be applied to this environment now? */
#include <stdlib.h>

#include "cli_gitlab.h"
#include "inputs.h"

static const char *plan_path, *facts_path, *policy_path, *commit, *cost_path, *reviewed_path;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "plan", 0, &plan_path, 0, "FILE",
		"the output of terraform show -json PLANFILE, or a plan\n"
		"bundle (.tar.gz), verified first (env, commit, members)",
		CLI_REQUIRED | CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "facts", 0, &facts_path, 0, "FILE",
		"approvals, labels, deployments (docs/gates.md); default: GitLab's\n"
		"API with --gitlab, else none",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "policy", 0, &policy_path, 0, "FILE",
		"the gates policy (default: policies.gates of platci.yaml)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "commit", 0, &commit, 0, "SHA",
		"the commit being applied (default: CI_COMMIT_SHA, then the facts)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "cost", 0, &cost_path, 0, "FILE",
		"infracost breakdown (or diff) --format json output (gate.cost)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "reviewed", 0, &reviewed_path, 0, "FILE",
		"the reviewed plan: plan-fingerprint.json or the MR's plan note\n"
		"(default with --gitlab: the note of the MR that brought the commit)",
		CLI_NONEMPTY },
};

static const cli_spec spec = { "--env ENV --plan PLAN.json|BUNDLE.tar.gz [--facts FACTS.json] [options]",
	"Decides allow (exit 0), deny (1) or needs-approval (3) from the plan, the\n"
	"environment's rules in the gates policy and the facts, and writes\n"
	"decision.json, summary.md, junit.xml, findings.json, gl-code-quality-report.json.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 1, NULL };

int main(int argc, char **argv)
{
	platci_gate_options gopts = PLATCI_GATE_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf md = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_config *cfg = NULL;
	platci_gate_policy *policy = NULL;
	platci_facts *facts = NULL;
	platci_tfplan *plan = NULL;
	platci_gate_result *res = NULL;
	platci_diag *diag = NULL;
	platci_findings *findings = NULL;
	platci_junit *junit = NULL;
	json_t *decision = NULL;
	gate_inputs in = { 0 };
	const platci_env *env;
	cli c;
	int code, error;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE ||
		(code = cli_load_config(&c, &cfg)) != 0 || (code = cli_env(&c, cfg, &env)) != 0)
		goto done;
	if (!commit)
		commit = getenv("CI_COMMIT_SHA");
	if (platci_diag_new(&diag) < 0 || platci_findings_new(&findings) < 0 ||
		platci_junit_new(&junit) < 0 ||
		(code = cli_policy_path(&path, cfg, platci_config_policies(cfg)->gates, policy_path)) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (!code) {
		cli_error(&c, "no gates policy: set policies.gates in %s or pass --policy", c.config);
		code = CLI_EXIT_NOINPUT;
		goto done;
	}
	if ((error = platci_gate_policy_load(&policy, path.ptr, cfg, diag)) < 0) {
		code = cli_fail(&c, diag, error, "cannot use the gates policy %s", path.ptr);
		goto done;
	}
	if ((code = gate_load_facts(&c, env, facts_path, commit, &facts, diag)) != 0 ||
		(code = gate_load_judges(&c, cfg, cost_path, &in, diag)) != 0 ||
		(code = gate_load_reviewed(&c, policy, facts, reviewed_path, &in, diag)) != 0)
		goto done;
	if (!platci_gate_policy_has_env(policy, c.env))
		cli_warn(&c, "%s has no rules for %s: the defaults apply", path.ptr, c.env);
	gopts.env = c.env;
	gopts.promote_from = env->promote_from;
	gopts.env_protected = env->is_protected;
	gopts.now = c.now;
	gopts.commit_sha = commit;
	if ((code = gate_decide(&c, plan_path, policy, facts, &gopts, &in, &plan, &res, diag)) != 0)
		goto done;
	if (platci_gate_findings(findings, res, plan_path) < 0 ||
		platci_gate_junit(junit, res) < 0 || platci_gate_render_md(&md, res) < 0 ||
		(plan && platci_tfplan_render_md(&md, plan, 600000) < 0) ||
		platci_gate_result_to_json(&decision, res, plan) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "gate";
	ropts.title = "platci gate";
	ropts.env = c.env;
	ropts.preamble_md = md.ptr;
	if ((code = cli_write_reports(&c, findings, junit, &ropts)) != 0 ||
		(code = cli_write_report_json(&c, "decision.json", decision)) != 0)
		goto done;
	for (size_t i = 0; i < platci_gate_result_count(res); i++) {
		const platci_gate_rule *g = platci_gate_result_rule_at(res, i);
		if (!c.quiet || g->outcome == PLATCI_GATE_FAIL || g->outcome == PLATCI_GATE_APPROVAL)
			fprintf(stderr, "  %-15s %-20s %s\n", platci_gate_outcome_name(g->outcome),
				g->id, g->reason);
	}
	printf("%s: %s\n", c.env, platci_gate_decision_name(platci_gate_result_decision(res)));
	code = cli_gitlab_publish_summary(&c, c.reports, (int)platci_gate_result_decision(res));
done:
	json_decref(decision);
	platci_buf_dispose(&md);
	platci_buf_dispose(&path);
	platci_junit_free(junit);
	platci_findings_free(findings);
	platci_gate_result_free(res);
	platci_tfplan_free(plan);
	gate_inputs_dispose(&in);
	platci_facts_free(facts);
	platci_gate_policy_free(policy);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
