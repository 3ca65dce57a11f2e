/**
 * @file platci/plan_check.h
 * @brief Reading a Terraform plan once for everything that judges its
 *        changes: the plan policy (platci/policy.h) and the change
 *        fingerprint (platci/plan_fingerprint.h).
 *
 * `platci-plan summarize` and `platci-gate` read a plan the same way
 * through this call, so both see the same findings and the same
 * fingerprint.
 */
#ifndef PLATCI_PLAN_CHECK_H
#define PLATCI_PLAN_CHECK_H

#include "plan_fingerprint.h"
#include "policy.h"
#include "tfplan.h"

typedef struct platci_plan_check {
	unsigned int version; /**< PLATCI_PLAN_CHECK_VERSION */
	const platci_policy *policy; /**< a plan policy, or NULL */
	const char *env; /**< the environment, or NULL */
	const char *file; /**< the plan's name in findings */
	platci_findings *findings; /**< policy findings go here (required with a policy) */
	platci_plan_fingerprint *fingerprint; /**< filled and finished, or NULL */
	int hash_input; /**< non-zero: platci_tfplan_input_sha256() of the result is set (version 2) */
} platci_plan_check;

/* 2 added hash_input */
#define PLATCI_PLAN_CHECK_VERSION 2
#define PLATCI_PLAN_CHECK_INIT \
	{ \
		PLATCI_PLAN_CHECK_VERSION, NULL, NULL, NULL, NULL, NULL, 0 \
	}

PLATCI_BEGIN_DECL

/**
 * Reads the plan JSON @p path ("-": standard input) as
 * platci_tfplan_read_file() does, judging each change on the way: the
 * policy's findings (then platci_policy_apply(): waived, expired and
 * unused exceptions) into chk->findings, the changes into
 * chk->fingerprint (finished). On failure, what was collected is partial.
 *
 * @param[out] out the plan summary; free with platci_tfplan_free().
 * @return as platci_tfplan_read_file(); PLATCI_EINVALID for a bad @p chk.
 */
PLATCI_EXTERN(int)
platci_plan_check_read_file(platci_tfplan **out, const char *path, platci_plan_check *chk,
	platci_diag *diag);

PLATCI_END_DECL

#endif
