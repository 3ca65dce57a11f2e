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
 * are waivers of any rule, the set's own or one platci raises itself
 * (platci/rules.h): a reason, an owner or ticket and an expiry no further
 * out than the set's maximum lifetime; expired ones let the finding
 * through and are reported, unused ones are reported too. Environment
 * names are checked against platci.yaml. The format is described in
 * docs/policies.md.
 *
 * A loaded policy is read-only, so one policy may be evaluated from
 * several threads at once, each with its own findings list and usage
 * counters.
 */
#ifndef PLATCI_POLICY_H
#define PLATCI_POLICY_H

#include <time.h>

#include "config.h"
#include "doc.h"
#include "findings.h"
#include "tfplan.h"

typedef struct platci_policy platci_policy;
typedef struct platci_policy_index platci_policy_index;

/** One document to evaluate. Strings are borrowed. */
typedef struct platci_policy_target {
	const char *file; /**< repo-relative path */
	size_t doc; /**< document index in the file */
	const platci_node *root; /**< the document root */
	const char *namespace_; /**< effective namespace (after kustomize overrides), or NULL */
	const char *env; /**< environment, or NULL */
	int env_protected; /**< 1 when the environment is protected */
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
 * long. Problems are diagnostics with file:line:column: unknown keys and
 * operators, environments platci.yaml does not name, exceptions of rules
 * that exist neither in the set nor in platci_rules_find().
 *
 * @param cfg platci.yaml: the environments and the zone in which
 *        exceptions expire; NULL checks no names and takes the default
 *        zone. Not kept.
 * @return 0; PLATCI_ENOTFOUND/PLATCI_EIO (file); PLATCI_ESYNTAX (YAML);
 *         PLATCI_EDATA (valid YAML, invalid policy); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_policy_load_file(platci_policy **out, const char *path, const char *name,
	const platci_config *cfg, time_t now, platci_diag *diag);

/** As platci_policy_load_file() from memory. */
PLATCI_EXTERN(int)
platci_policy_load_buffer(platci_policy **out, const char *name, const char *data, size_t len,
	const platci_config *cfg, time_t now, platci_diag *diag);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_policy_free(platci_policy *p);

/** Number of rules. */
PLATCI_EXTERN(size_t) platci_policy_rule_count(const platci_policy *p);

/** Id of rule @p i, or NULL. */
PLATCI_EXTERN(const char *) platci_policy_rule_id_at(const platci_policy *p, size_t i);

/**
 * Kind @p i that `related` conditions look up (e.g. NetworkPolicy), or
 * NULL past the end: the caller's index must hold every object of these
 * kinds.
 */
PLATCI_EXTERN(const char *) platci_policy_related_kind_at(const platci_policy *p, size_t i);

/** Number of exceptions (the size of a usage array). */
PLATCI_EXTERN(size_t) platci_policy_exception_count(const platci_policy *p);

/**
 * Builds the cross-document index that `related` conditions look up
 * (objects by kind and namespace). @p targets is borrowed and must
 * outlive the index. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_policy_index_new(platci_policy_index **out, const platci_policy_target *targets, size_t count);

/** Frees the index. NULL is a no-op. */
PLATCI_EXTERN(void) platci_policy_index_free(platci_policy_index *idx);

/**
 * Evaluates every rule on @p t, adding findings (waived ones marked) to
 * @p out. @p usage (may be NULL) has platci_policy_exception_count()
 * counters, incremented for each finding an exception waives. @p idx may
 * be NULL (then `related` conditions fail).
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_policy_eval(const platci_policy *p, const platci_policy_index *idx,
	const platci_policy_target *t, platci_findings *out, size_t *usage);

/**
 * Applies the exceptions to every finding of a run, once they are all in
 * @p list: a live exception waives the built-in findings (`flux.*`,
 * `tf.*`, `k8s.*`..., matched on `match.paths` and `match.environments`)
 * it names, as platci_policy_eval() already did for the set's own rules.
 * Then adds the findings about the exceptions themselves, one way for
 * every rules file (see docs/policies.md): invalid ones
 * (`policy.exception-invalid`), expired ones (`policy.exception-expired`)
 * and, from @p usage summed over every platci_policy_eval() and this
 * call, unused ones (`policy.exception-unused`).
 *
 * @param usage platci_policy_exception_count() counters, updated; may be NULL.
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM. A NULL @p p does nothing.
 */
PLATCI_EXTERN(int)
platci_policy_apply(const platci_policy *p, platci_findings *list, size_t *usage);

/** 1 when @p p is a plan policy (`kind: PlanPolicy`, policies/plan.yaml). */
PLATCI_EXTERN(int) platci_policy_is_plan(const platci_policy *p);

/**
 * Evaluates a plan policy's rules on one resource change of a Terraform
 * plan (from platci_tfplan_options.on_change), adding findings (waived
 * ones marked) to @p out at @p file and the change's line.
 *
 * Rules match on the change's resource `types`, `addresses` (globs),
 * `actions` (create, update, delete, replace, read, no-op, forget; by
 * default create, update and replace) and the run's `environments`, and
 * test `change.after` with the manifest rules' conditions. A value known
 * only after apply (`after_unknown`) reads as the string
 * PLATCI_UNKNOWN; when a condition fails on one, the rule's `unknown:
 * pass` lets it pass, else the finding says it was unknown. Sensitive
 * values are tested like any other, and no message prints a value of the
 * plan. Entries of `resource_drift` and deferred changes are not judged.
 * A set that is not a plan policy does nothing.
 *
 * @param usage platci_policy_exception_count() counters (may be NULL),
 *        for platci_policy_apply() once every change is judged.
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_policy_eval_change(const platci_policy *p, const platci_tfplan_change *change,
	const char *env, const char *file, platci_findings *out, size_t *usage);

PLATCI_END_DECL

#endif
