/* What platci-gate decides on: the facts and the plan (or a refused bundle). */
#ifndef PLATCI_GATE_INPUTS_H
#define PLATCI_GATE_INPUTS_H

#include "cli.h"

/*
 * The facts: @p facts_path, else GitLab's API with --gitlab (69 when it
 * cannot answer: no decision on a guess), else none. Returns 0 or an exit
 * code (printed).
 */
int gate_load_facts(cli *c, const platci_env *env, const char *facts_path, const char *commit,
	platci_facts **out, platci_diag *diag);

/*
 * Reads @p plan_path (a plan JSON, or a bundle verified first) and
 * evaluates the gate; a refused bundle gives the refused result
 * (platci_gate_refuse_bundle()). Returns 0 or an exit code (printed).
 */
int gate_decide(cli *c, const char *plan_path, const platci_gate_policy *policy,
	const platci_facts *facts, const platci_gate_options *gopts, platci_tfplan **plan,
	platci_gate_result **res, platci_diag *diag);

#endif
