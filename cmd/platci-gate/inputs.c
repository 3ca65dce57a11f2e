/* What platci-gate decides on: the facts and the plan (or a refused bundle). */
#include "cli_gitlab.h"
#include "inputs.h"

/* The facts: a file, GitLab's API (69 when it cannot answer: no decision on a guess), or none. */
int gate_load_facts(cli *c, const platci_env *env, const char *facts_path, const char *commit,
	platci_facts **out, platci_diag *diag)
{
	json_t *doc = NULL;
	int code, error;

	if (facts_path)
		return (error = platci_facts_load_file(out, facts_path, diag)) < 0 ?
			cli_fail(c, diag, error, "cannot use the facts %s", facts_path) : 0;
	if (!c->gitlab)
		return 0;
	if ((code = cli_gitlab_facts(c, c->env, env->promote_from, commit, &doc)) != 0)
		return code;
	error = platci_facts_from_json(out, doc, diag);
	json_decref(doc);
	return error < 0 ? cli_fail(c, diag, error, "cannot use GitLab's facts") : 0;
}

/* The gate's result: refused with its reason when a bundle is refused. */
int gate_decide(cli *c, const char *plan_path, const platci_gate_policy *policy,
	const platci_facts *facts, const platci_gate_options *gopts, platci_tfplan **plan,
	platci_gate_result **res, platci_diag *diag)
{
	platci_bundle_verify_options vo = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	int error;

	vo.env = c->env;
	vo.commit_sha = gopts->commit_sha;
	vo.now = c->now;
	if (!platci_bundle_path_is_bundle(plan_path))
		error = platci_tfplan_read_file(plan, plan_path, NULL, diag);
	else if ((error = platci_bundle_open_plan(plan, plan_path, &vo, diag)) < 0 &&
		 platci_bundle_is_refusal(error)) {
		/* A refused bundle is a deny with reports, like any other rule. */
		cli_print_diag(c, diag);
		return platci_gate_refuse_bundle(res, gopts, diag) < 0 ? CLI_EXIT_INTERNAL : 0;
	}
	if (error < 0)
		return cli_fail(c, diag, error, "cannot decide on %s", plan_path);
	cli_print_diag(c, diag);
	return platci_gate_evaluate(res, policy, *plan, facts, gopts) < 0 ? CLI_EXIT_INTERNAL : 0;
}
