/**
 * @file platci/affected.h
 * @brief Which environments a change set touches, and the child pipeline
 *        that plans only those.
 *
 * The validate stage marks environments with the path that reached them
 * and how (`terraform`: the env's root or a module it sources, followed
 * transitively; `flux`: a file its cluster's Flux Kustomizations reach
 * through kustomization resources, components and patches; `config`:
 * platci.yaml or a policy file, which touch every environment; `path`:
 * the env's configured folders). This module keeps those marks, tells
 * what kind of change reached each environment (its Terraform, its Flux
 * tree, or both) and renders affected.json and the child-pipeline YAML.
 */
#ifndef PLATCI_AFFECTED_H
#define PLATCI_AFFECTED_H

#include "buf.h"
#include "config.h"
#include "git.h"

typedef struct platci_affected platci_affected;

/**
 * What a change reaches in an environment (bits). A mark is Terraform
 * when it came `via` "terraform", "all", platci.yaml itself, or a path
 * under the environment's Terraform root; GitOps when it came via "flux",
 * a policy file, or the env's cluster or overlay folder. An unknown `via`
 * counts as both, so a new kind of reason never skips a plan.
 */
typedef enum platci_affected_kind {
	PLATCI_AFFECTED_TERRAFORM = 1, /**< the env's Terraform needs a plan */
	PLATCI_AFFECTED_GITOPS = 2 /**< the env's Flux tree changes */
} platci_affected_kind;

/**
 * How the child pipeline reuses the parent's plan template. Strings are
 * borrowed. With neither @p component nor @p local set, the template is
 * the component `$CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA`
 * (GitLab expands those predefined variables in `include`).
 */
typedef struct platci_affected_child_options {
	unsigned int version; /**< PLATCI_AFFECTED_CHILD_OPTIONS_VERSION */
	const char *component; /**< `include: component:` address (host/path/name@ref), or NULL */
	const char *local; /**< `include: local:` template file instead, or NULL */
	const char *parent_job; /**< parent job that built platci: each job needs its artifacts
				     through `{pipeline: $PARENT_PIPELINE_ID, job: ...}`; NULL: none */
	const char *const *inputs; /**< "key=value" passed to every include; a value that is
				       JSON (array, object, number, boolean) stays typed,
				       anything else is a string. NULL-terminated, or NULL */
} platci_affected_child_options;

#define PLATCI_AFFECTED_CHILD_OPTIONS_VERSION 1
#define PLATCI_AFFECTED_CHILD_OPTIONS_INIT \
	{ \
		PLATCI_AFFECTED_CHILD_OPTIONS_VERSION, NULL, NULL, NULL, NULL \
	}

/** How the run chose its files. Strings are borrowed. */
typedef struct platci_affected_meta {
	const char *mode; /**< "all" or "diff" */
	const char *base; /**< base revision as given, or NULL */
	const char *head; /**< head revision as given, or NULL */
	const char *merge_base; /**< resolved merge base sha, or NULL */
	const char *head_sha; /**< resolved head sha, or NULL */
} platci_affected_meta;

PLATCI_BEGIN_DECL

/** Creates an empty set over @p cfg's environments (borrowed). @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_affected_new(platci_affected **out, const platci_config *cfg);

/** Frees @p a. NULL is a no-op. */
PLATCI_EXTERN(void) platci_affected_free(platci_affected *a);

/**
 * Marks @p env affected because of @p path, reached @p via. Repeated
 * (env, path) pairs are kept once. @return 0, PLATCI_ENOTFOUND (no such
 * environment) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_affected_mark(platci_affected *a, const char *env, const char *path, const char *via);

/** Marks every environment. */
PLATCI_EXTERN(int) platci_affected_mark_all(platci_affected *a, const char *path, const char *via);

/** 1 when @p env is marked. */
PLATCI_EXTERN(int) platci_affected_is(const platci_affected *a, const char *env);

/** Number of marked environments. */
PLATCI_EXTERN(size_t) platci_affected_count(const platci_affected *a);

/** The PLATCI_AFFECTED_* bits of @p env's marks; 0 when unmarked or unknown. */
PLATCI_EXTERN(unsigned int) platci_affected_kinds(const platci_affected *a, const char *env);

/** Number of environments with a mark of kind @p kind (PLATCI_AFFECTED_* bits, any of them). */
PLATCI_EXTERN(size_t) platci_affected_kind_count(const platci_affected *a, unsigned int kind);

/**
 * Renders affected.json: the mode and revisions, the changed files (may
 * be NULL), and every environment in promotion order with `affected`,
 * `terraform` and `gitops` (the kinds above) and its reasons.
 */
PLATCI_EXTERN(int)
platci_affected_render_json(platci_buf *out, const platci_affected *a,
	const platci_affected_meta *meta, const platci_changes *changes);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID (unknown version). */
PLATCI_EXTERN(int)
platci_affected_child_options_init(platci_affected_child_options *opts, unsigned int version);

/**
 * Checks @p opts as platci_affected_render_child_pipeline() would, so a
 * runner can refuse bad flags before doing any work.
 * @return 0 or PLATCI_EINVALID (described in @p diag).
 */
PLATCI_EXTERN(int)
platci_affected_child_options_check(const platci_affected_child_options *opts, platci_diag *diag);

/**
 * Renders a GitLab child pipeline that plans only the environments whose
 * Terraform the change reaches (PLATCI_AFFECTED_TERRAFORM), by including
 * the parent's plan template once per environment with the inputs
 * `environment`, `root` (its Terraform root), `needs` (the parent job
 * that built platci, or none), `rules` (always: a child pipeline's source
 * is `parent_pipeline`, so the parent's merge-request rules would drop
 * every job) plus @p opts->inputs. A GitOps-only change plans nothing.
 * With nothing to plan it holds one job that says so, since GitLab
 * rejects an empty pipeline. @p opts NULL means defaults.
 *
 * @return 0; PLATCI_EINVALID (a malformed or reserved input, both
 *         component and local, an unknown options version; described in
 *         @p diag); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_affected_render_child_pipeline(platci_buf *out, const platci_affected *a,
	const platci_affected_child_options *opts, platci_diag *diag);

/**
 * The Terraform root @p dir (repo-relative, under @p root) and every
 * local module directory it reaches through `module { source = "./..." }`,
 * transitively; sorted, NULL-terminated. Free with platci_affected_dirs_free().
 * @return 0 or PLATCI_ENOMEM; unreadable or malformed files are skipped
 *         (validation reports them).
 */
PLATCI_EXTERN(int) platci_affected_tf_dirs(char ***out, const char *root, const char *dir);

/** Frees a list from platci_affected_tf_dirs(). */
PLATCI_EXTERN(void) platci_affected_dirs_free(char **dirs);

PLATCI_END_DECL

#endif
