/**
 * @file platci/policy.h
 * @brief The rule engine for manifests (`policies/manifests.yaml`).
 *
 * A policy set holds rules: `match` (kinds with named kind sets,
 * namespaces, names, labels, paths, environments), an optional `when`
 * precondition, `forEach` over lists such as `$pod.containers`, and
 * `require` conditions (exists, absent, absentOr, equals, notEquals, in,
 * notIn, regex, notRegex, glob, quantity bounds, imageRegistry, imageTag,
 * imageDigest, hasKey, related, allOf, anyOf, not). Each rule has a
 * severity and an enforcement (warn or deny) per environment. Exceptions
 * carry a reason, a ticket and an expiry no further out than the set's
 * maximum lifetime; expired ones let the finding through and are reported,
 * unused ones are reported too. The format is described in docs/policies.md.
 *
 * A loaded policy is read-only, so one policy may be evaluated from
 * several threads at once, each with its own findings list and usage
 * counters.
 */
#ifndef PLATCI_POLICY_H
#define PLATCI_POLICY_H

#include <time.h>

#include "doc.h"
#include "findings.h"

typedef struct platci_policy platci_policy;
typedef struct platci_policy_index platci_policy_index;

/** One document to evaluate. Strings are borrowed. */
typedef struct platci_policy_target {
	const char *file;        /**< repo-relative path */
	size_t doc;              /**< document index in the file */
	const platci_node *root; /**< the document root */
	const char *namespace_;  /**< effective namespace (after kustomize overrides), or NULL */
	const char *env;         /**< environment, or NULL */
	int env_protected;       /**< 1 when the environment is protected */
	/**
	 * Labels kustomize sets on the object (`labels`, `commonLabels` of the
	 * kustomizations that build it), as a NULL-terminated key, value, key,
	 * value... array, or NULL. They count wherever a rule reads
	 * `metadata.labels.<key>` (or matches on labels) and, as the
	 * transformer overwrites the document, win over a value it writes.
	 */
	const char *const *labels;
	/**
	 * The same for the pod template (`spec.template.metadata.labels.<key>`,
	 * and the CronJob's `spec.jobTemplate.spec.template...`), or NULL.
	 */
	const char *const *template_labels;
} platci_policy_target;

PLATCI_BEGIN_DECL

/**
 * Loads a policy set from @p path; @p name is the repo-relative name used
 * in findings. @p now decides which exceptions have expired or live too
 * long. Problems are diagnostics with file:line:column.
 * @return 0; PLATCI_ENOTFOUND/PLATCI_EIO (file); PLATCI_ESYNTAX (YAML);
 *         PLATCI_EDATA (valid YAML, invalid policy); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_policy_load_file(platci_policy **out, const char *path,
	const char *name, time_t now, platci_diag *diag);

/** As platci_policy_load_file() from memory. */
PLATCI_EXTERN(int) platci_policy_load_buffer(platci_policy **out, const char *name,
	const char *data, size_t len, time_t now, platci_diag *diag);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_policy_free(platci_policy *p);

/** Number of rules. */
PLATCI_EXTERN(size_t) platci_policy_rule_count(const platci_policy *p);

/** Id of rule @p i, or NULL. */
PLATCI_EXTERN(const char *) platci_policy_rule_id(const platci_policy *p, size_t i);

/**
 * Kind @p i that `related` conditions look up (e.g. NetworkPolicy), or
 * NULL past the end: the caller's index must hold every object of these
 * kinds.
 */
PLATCI_EXTERN(const char *) platci_policy_related_kind(const platci_policy *p, size_t i);

/** Number of exceptions (the size of a usage array). */
PLATCI_EXTERN(size_t) platci_policy_exception_count(const platci_policy *p);

/**
 * Builds the cross-document index that `related` conditions look up
 * (objects by kind and namespace). @p targets is borrowed and must
 * outlive the index. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_policy_index_new(platci_policy_index **out,
	const platci_policy_target *targets, size_t count);

/** Frees the index. NULL is a no-op. */
PLATCI_EXTERN(void) platci_policy_index_free(platci_policy_index *idx);

/**
 * Evaluates every rule on @p t, adding findings (waived ones marked) to
 * @p out. @p usage (may be NULL) has platci_policy_exception_count()
 * counters, incremented for each finding an exception waives. @p idx may
 * be NULL (then `related` conditions fail).
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_policy_eval(const platci_policy *p, const platci_policy_index *idx,
	const platci_policy_target *t, platci_findings *out, size_t *usage);

/**
 * Adds the findings about the policy itself: invalid exceptions
 * (`policy.exception-invalid`), expired ones (`policy.exception-expired`)
 * and, from the summed @p usage, unused ones (`policy.exception-unused`).
 */
PLATCI_EXTERN(int) platci_policy_finish(const platci_policy *p, const size_t *usage,
	platci_findings *out);

PLATCI_END_DECL

#endif
