/**
 * @file platci/gate.h
 * @brief May this plan be applied to this environment now?
 *
 * The gate decides allow / deny / needs-approval from three inputs and
 * nothing else: the plan summary (platci/tfplan.h), the environment's
 * rules in policies/gates.yaml, and facts (platci/facts.h), with the
 * clock passed in. Same inputs, same answer. Every rule reports its
 * outcome and a reason; docs/gates.md describes the file and the rules.
 */
#ifndef PLATCI_GATE_H
#define PLATCI_GATE_H

#include <time.h>
#include <jansson.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "facts.h"
#include "cost.h"
#include "findings.h"
#include "plan_fingerprint.h"
#include "report.h"
#include "tfplan.h"

typedef struct platci_gate_policy platci_gate_policy;
typedef struct platci_gate_result platci_gate_result;

/** The decision; the values are the contract's exit codes. */
typedef enum {
	PLATCI_GATE_ALLOW = 0,
	PLATCI_GATE_DENY = 1,
	PLATCI_GATE_NEEDS_APPROVAL = 3
} platci_gate_decision;

/** One rule's outcome. */
typedef enum {
	PLATCI_GATE_PASS = 0,
	PLATCI_GATE_FAIL = 1, /**< denies */
	PLATCI_GATE_APPROVAL = 2, /**< waits on a person */
	PLATCI_GATE_SKIP = 3 /**< not configured for this environment */
} platci_gate_outcome;

/** One evaluated rule (borrowed from the result). */
typedef struct platci_gate_rule {
	const char *id; /**< e.g. gate.freeze */
	platci_gate_outcome outcome;
	const char *reason; /**< one line */
} platci_gate_rule;

typedef struct platci_gate_options {
	unsigned int version; /**< PLATCI_GATE_OPTIONS_VERSION */
	const char *env; /**< the environment; required */
	const char *promote_from; /**< the environment before it (platci.yaml), or NULL */
	int env_protected; /**< platci.yaml says protected */
	time_t now; /**< the clock */
	const char *commit_sha; /**< overrides the facts' commit_sha when set */
	/* version 2 */
	/**
	 * The plan policy's findings over this plan (platci_policy_eval_change()
	 * and platci_policy_apply()), or NULL when no plan policy is configured:
	 * `gate.plan-policy` denies on any deny finding that is not waived.
	 */
	const platci_findings *plan_policy;
	const platci_plan_fingerprint *fingerprint; /**< this plan's, finished; or NULL */
	/**
	 * The fingerprint of the plan reviewed in the merge request, or NULL
	 * when none was found (`gate.reviewed-plan`).
	 */
	const platci_plan_fingerprint *reviewed;
	long long reviewed_mr; /**< the MR it was reviewed in (for the reason), or 0 */
	const platci_cost *cost; /**< the cost estimate (`gate.cost`), or NULL */
} platci_gate_options;

/** Version 2 adds plan_policy, fingerprint, reviewed, reviewed_mr and cost; 1 is still read. */
#define PLATCI_GATE_OPTIONS_VERSION 2
#define PLATCI_GATE_OPTIONS_INIT \
	{ \
		PLATCI_GATE_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, 0, NULL \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_gate_options_init(platci_gate_options *opts, unsigned int version);

/** 1 when the rules for @p env need the reviewed plan (`require_reviewed_plan`). */
PLATCI_EXTERN(int) platci_gate_policy_wants_review(const platci_gate_policy *p, const char *env);

/**
 * Loads policies/gates.yaml. Unknown keys, wrong types, bad times, an
 * unknown time zone, environments platci.yaml does not name and an
 * unsupported version are diagnostics with file:line:column.
 *
 * @param[out] out the policy; free with platci_gate_policy_free().
 * @param cfg platci.yaml: the environments the policy may name and the
 *        zone when the file gives no `timezone`; NULL checks no names and
 *        takes PLATCI_CONFIG_DEFAULT_TIMEZONE. Not kept.
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO; PLATCI_ESYNTAX (YAML);
 *         PLATCI_EDATA; PLATCI_EVERSION; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_gate_policy_load(platci_gate_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_gate_policy_free(platci_gate_policy *p);

/** 1 when the policy names @p env under `environments`. */
PLATCI_EXTERN(int) platci_gate_policy_has_env(const platci_gate_policy *p, const char *env);

/**
 * Whether a freeze window is active for @p env at @p now. When one is,
 * which window and until when is appended to @p reason_out (may be NULL).
 *
 * @return 1 frozen, 0 not, PLATCI_EINVALID for bad arguments, or
 *         @p reason_out's sticky error (PLATCI_ENOMEM, PLATCI_ELIMIT) when
 *         frozen but the reason could not be written.
 */
PLATCI_EXTERN(int)
platci_gate_policy_frozen(platci_buf *reason_out, const platci_gate_policy *p, const char *env, time_t now);

/**
 * Evaluates every rule for @p plan in opts->env. @p facts may be NULL
 * (rules that need facts then say so and do not pass).
 *
 * @param[out] out the result; free with platci_gate_result_free().
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_gate_evaluate(platci_gate_result **out, const platci_gate_policy *policy,
	const platci_tfplan *plan, const platci_facts *facts, const platci_gate_options *opts);

/**
 * The result for a plan bundle that was refused (platci_bundle_verify()
 * or platci_bundle_open_plan() said no): a deny with one rule,
 * `gate.bundle`, whose reason is the first error in @p why. No other rule
 * runs, since the plan cannot be trusted. It renders, gives findings and
 * decision.json like any result (`"plan": null`).
 *
 * @param[out] out the result; free with platci_gate_result_free().
 * @return 0, PLATCI_EINVALID (no env, unknown options version) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_gate_refuse_bundle(platci_gate_result **out, const platci_gate_options *opts,
	const platci_diag *why);

/** Frees @p r. NULL is a no-op. */
PLATCI_EXTERN(void) platci_gate_result_free(platci_gate_result *r);

PLATCI_EXTERN(platci_gate_decision) platci_gate_result_decision(const platci_gate_result *r);
PLATCI_EXTERN(size_t) platci_gate_result_count(const platci_gate_result *r);
PLATCI_EXTERN(const platci_gate_rule *)
platci_gate_result_rule_at(const platci_gate_result *r, size_t i);

/** "allow", "deny" or "needs-approval". */
PLATCI_EXTERN(const char *) platci_gate_decision_name(platci_gate_decision d);
/** "pass", "deny", "needs-approval" or "skip". */
PLATCI_EXTERN(const char *) platci_gate_outcome_name(platci_gate_outcome o);

/**
 * decision.json: decision, environment, time, commit, every rule with its
 * outcome and reason, and the plan's redacted counts.
 * @param[out] out a new reference.
 */
PLATCI_EXTERN(int)
platci_gate_result_to_json(json_t **out, const platci_gate_result *r, const platci_tfplan *plan);

/** The gate's part of summary.md. */
PLATCI_EXTERN(int) platci_gate_render_md(platci_buf *out, const platci_gate_result *r);

/** One finding per rule that did not pass (deny for FAIL, warn for APPROVAL). */
PLATCI_EXTERN(int)
platci_gate_findings(platci_findings *list, const platci_gate_result *r, const char *file);

/** One JUnit test case per rule. */
PLATCI_EXTERN(int) platci_gate_junit(platci_junit *j, const platci_gate_result *r);

PLATCI_END_DECL

#endif
