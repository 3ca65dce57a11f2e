/* What platci-gate decides on: the facts, the plan (or a refused bundle) and what judges it. */
#ifndef PLATCI_GATE_INPUTS_H
#define PLATCI_GATE_INPUTS_H

#include "cli.h"

/* The plan policy, its findings, the fingerprints and the cost: filled by the calls below. */
typedef struct gate_inputs {
	platci_policy *plan_policy; /* policies.plan, or NULL */
	platci_findings *policy_findings; /* its findings over the plan */
	platci_plan_fingerprint *fingerprint;
	platci_plan_fingerprint *reviewed; /* the MR's, or NULL when not found */
	long long reviewed_mr;
	platci_cost *cost;
} gate_inputs;

void gate_inputs_dispose(gate_inputs *in);

/*
 * The facts: @p facts_path, else GitLab's API with --gitlab (69 when it
 * cannot answer: no decision on a guess), else none. Returns 0 or an exit
 * code (printed).
 */
int gate_load_facts(cli *c, const platci_env *env, const char *facts_path, const char *commit,
	platci_facts **out, platci_diag *diag);

/* The plan policy of platci.yaml and the --cost estimate. Returns 0 or an exit code. */
int gate_load_judges(cli *c, const platci_config *cfg, const char *cost_path, gate_inputs *in,
	platci_diag *diag);

/*
 * The reviewed plan's fingerprint, when the environment's rules want it:
 * @p reviewed_path (plan-fingerprint.json or the MR note's text), else with
 * --gitlab the plan note of the MR that brought the commit (69 when GitLab
 * cannot answer). Returns 0 or an exit code (printed).
 */
int gate_load_reviewed(cli *c, const platci_gate_policy *policy, const platci_facts *facts,
	const char *reviewed_path, gate_inputs *in, platci_diag *diag);

/*
 * Reads @p plan_path (a plan JSON, or a bundle verified first) through the
 * plan policy and the fingerprint, and evaluates the gate; a refused
 * bundle gives the refused result (platci_gate_refuse_bundle()). Returns 0
 * or an exit code (printed).
 */
int gate_decide(cli *c, const char *plan_path, const platci_gate_policy *policy,
	const platci_facts *facts, platci_gate_options *gopts, gate_inputs *in,
	platci_tfplan **plan, platci_gate_result **res, platci_diag *diag);

#endif
