/* What platci-gate decides on: the facts, the plan (or a refused bundle) and what judges it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_gitlab.h"
#include "inputs.h"

void gate_inputs_dispose(gate_inputs *in)
{
	platci_policy_free(in->plan_policy);
	platci_findings_free(in->policy_findings);
	platci_plan_fingerprint_free(in->fingerprint);
	platci_plan_fingerprint_free(in->reviewed);
	platci_cost_free(in->cost);
	memset(in, 0, sizeof(*in));
}

/* The facts: a file, GitLab's API (69 when it cannot answer: no decision on a guess), or none. */
int gate_load_facts(cli *c, const platci_env *env, const char *facts_path, const char *commit,
	platci_facts **out, platci_diag *diag)
{
	json_t *doc = NULL;
	int code, error;

	if (facts_path)
		return (error = platci_facts_load_file(out, facts_path, diag)) < 0
			       ? cli_fail(c, diag, error, "cannot use the facts %s", facts_path)
			       : 0;
	if (!c->gitlab)
		return 0;
	if ((code = cli_gitlab_facts(c, c->env, env->promote_from, commit, &doc)) != 0)
		return code;
	error = platci_facts_from_json(out, doc, diag);
	json_decref(doc);
	return error < 0 ? cli_fail(c, diag, error, "cannot use GitLab's facts") : 0;
}

int gate_load_judges(cli *c, const platci_config *cfg, const char *cost_path, gate_inputs *in,
	platci_diag *diag)
{
	platci_buf file = PLATCI_BUF_INIT;
	int code = 0, error, has;

	if (platci_findings_new(&in->policy_findings) < 0 ||
		platci_plan_fingerprint_new(&in->fingerprint, c->env) < 0 ||
		(has = cli_policy_path(&file, cfg, platci_config_policies(cfg)->plan, NULL)) < 0)
		code = CLI_EXIT_INTERNAL;
	else if (has && (error = platci_policy_load_file(&in->plan_policy, file.ptr, NULL, cfg,
				 c->now, diag)) < 0)
		code = cli_fail(c, diag, error, "cannot use the plan policy %s", file.ptr);
	else if (has && !platci_policy_is_plan(in->plan_policy))
		code = (cli_error(c, "%s is not a plan policy (kind: PlanPolicy)", file.ptr), CLI_EXIT_DATA);
	else if (cost_path && (error = platci_cost_load_file(&in->cost, cost_path, c->env, diag)) < 0)
		code = cli_fail(c, diag, error, "cannot use the cost estimate %s", cost_path);
	platci_buf_dispose(&file);
	return code;
}

int gate_load_reviewed(cli *c, const platci_gate_policy *policy, const platci_facts *facts,
	const char *reviewed_path, gate_inputs *in, platci_diag *diag)
{
	platci_buf text = PLATCI_BUF_INIT;
	platci_gitlab *gl = NULL;
	const char *src = platci_facts_pipeline_source(facts);
	int code = 0, error;

	if (reviewed_path) {
		if ((error = platci_fs_read(&text, reviewed_path, 16u * 1024 * 1024, diag)) < 0 ||
			(error = platci_plan_fingerprint_parse(&in->reviewed, text.ptr, c->env, diag)) < 0)
			code = error == PLATCI_ENOTFOUND
				       ? (cli_warn(c,
						  "%s holds no plan fingerprint "
						  "for %s",
						  reviewed_path, c->env),
						 0)
				       : cli_fail(c, diag, error, "cannot use the reviewed plan %s",
						 reviewed_path);
		platci_buf_dispose(&text);
		return code;
	}
	/* only where it is asked for, and not in the MR pipeline that is the review */
	if (!c->gitlab || !platci_gate_policy_wants_review(policy, c->env) ||
		(src && strcmp(src, "merge_request_event") == 0) || platci_facts_mr_iid(facts) <= 0)
		return 0;
	in->reviewed_mr = platci_facts_mr_iid(facts);
	if ((code = cli_gitlab_open(c, &gl, CLI_GITLAB_READ, "read the reviewed plan", 0)) != 0)
		return code;
	error = platci_plan_fingerprint_fetch(&in->reviewed, gl, (unsigned long)in->reviewed_mr,
		c->env, diag);
	if (error == PLATCI_ENOTFOUND)
		cli_warn(c, "merge request !%lld has no plan note with a fingerprint for %s",
			in->reviewed_mr, c->env);
	else if (error == PLATCI_EDATA)
		code = cli_fail(c, diag, error, "the plan note of !%lld", in->reviewed_mr);
	else if (error < 0)
		code = (cli_print_diag(c, diag),
			cli_error(c,
				"GitLab unavailable, cannot read the "
				"reviewed plan"),
			CLI_EXIT_UNAVAILABLE);
	platci_gitlab_free(gl);
	return code;
}

/* A bundle's plan.json, verified and extracted, read like a plain plan; then removed. */
static int read_bundle(platci_tfplan **plan, const char *path, platci_bundle_verify_options *vo,
	platci_plan_check *chk, platci_diag *diag)
{
	static const char *const members[] = { "manifest.json", "tfplan", "plan.json" };
	const char *tmp = getenv("TMPDIR");
	platci_bundle *b = NULL;
	char dir[4096], file[4200];
	int error;

	snprintf(dir, sizeof(dir), "%s/platci-gate-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return PLATCI_EIO;
	vo->extract_dir = dir;
	if ((error = platci_bundle_verify(&b, path, vo, diag)) == 0) {
		snprintf(file, sizeof(file), "%s/plan.json", dir);
		error = platci_plan_check_read_file(plan, file, chk, diag);
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "%s/%s", dir, members[i]);
		unlink(file);
	}
	rmdir(dir);
	platci_bundle_free(b);
	return error;
}

/* The gate's result: refused with its reason when a bundle is refused. */
int gate_decide(cli *c, const char *plan_path, const platci_gate_policy *policy,
	const platci_facts *facts, platci_gate_options *gopts, gate_inputs *in,
	platci_tfplan **plan, platci_gate_result **res, platci_diag *diag)
{
	platci_bundle_verify_options vo = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_plan_check chk = PLATCI_PLAN_CHECK_INIT;
	int error;

	vo.env = c->env;
	vo.commit_sha = gopts->commit_sha;
	vo.now = c->now;
	chk.policy = in->plan_policy;
	chk.env = c->env;
	chk.file = plan_path;
	chk.findings = in->policy_findings;
	chk.fingerprint = in->fingerprint;
	if (!platci_bundle_path_is_bundle(plan_path)) {
		chk.hash_input = 1; /* reports.json's digest, of the bytes judged */
		if ((error = platci_plan_check_read_file(plan, plan_path, &chk, diag)) == 0)
			cli_input_hashed(c, plan_path, platci_tfplan_input_sha256(*plan));
	} else if ((error = read_bundle(plan, plan_path, &vo, &chk, diag)) < 0 &&
		   platci_bundle_is_refusal(error)) {
		/* A refused bundle is a deny with reports, like any other rule. */
		cli_print_diag(c, diag);
		return platci_gate_refuse_bundle(res, gopts, diag) < 0 ? CLI_EXIT_INTERNAL : 0;
	}
	if (error < 0)
		return cli_fail(c, diag, error, "cannot decide on %s", plan_path);
	cli_print_diag(c, diag);
	gopts->plan_policy = in->plan_policy ? in->policy_findings : NULL;
	gopts->fingerprint = in->fingerprint;
	gopts->reviewed = in->reviewed;
	gopts->reviewed_mr = in->reviewed_mr;
	gopts->cost = in->cost;
	return platci_gate_evaluate(res, policy, *plan, facts, gopts) < 0 ? CLI_EXIT_INTERNAL : 0;
}
