/**
 * @file platci/validate.h
 * @brief Merge-request validation.
 *
 * Every YAML file under the gitops root and the policy files is loaded
 * once (on worker threads, merged in file order so output never depends
 * on scheduling). Then: YAML syntax, duplicate keys and limits;
 * Kubernetes object fields; each environment's Flux tree (from its
 * cluster folder through Flux Kustomizations' spec.path and kustomization
 * resources, components and patches) with duplicate objects, broken
 * references and cycles; Flux Kustomization, HelmRelease and source
 * checks; the manifest policy (policies/manifests.yaml); Terraform layout;
 * .gitlab-ci.yml; each object against its kind's schema for its
 * environment's Kubernetes version, and pods against the environment's
 * node pools (docs/schemas.md). Each problem becomes a finding with
 * file:line:column.
 *
 * With a change list the run also maps changed files to environments
 * (see affected.h) and reports what the change touches: findings in
 * changed files, and structural findings of affected environments. With
 * the merge base's configuration (opts->base), each reported finding is
 * compared with the merge base's findings by fingerprint: new, existing
 * (reported at the level platci.yaml sets) or, for the merge base's
 * findings that are gone, fixed.
 */
#ifndef PLATCI_VALIDATE_H
#define PLATCI_VALIDATE_H

#include <time.h>

#include "affected.h"
#include "config.h"
#include "doc.h"
#include "findings.h"
#include "git.h"
#include "render.h"

typedef struct platci_validate_options {
	unsigned int version; /**< PLATCI_VALIDATE_OPTIONS_VERSION */
	int all; /**< validate every file (ignore @c changes for filtering) */
	platci_doc_options doc; /**< YAML limits; zero fields take defaults */
	unsigned int threads; /**< worker threads; 0 = one per core (at most 8) */
	const platci_changes *changes; /**< what changed (borrowed), or NULL for everything */
	platci_affected *affected; /**< receives the affected environments (borrowed), or NULL */
	time_t now; /**< today, for exception expiry; 0 = the epoch (tests pass a date) */
	int skip_policy; /**< non-zero: do not load or apply the manifest policy */
	/**
	 * The merge base's configuration (borrowed; see
	 * platci_validate_base_config()), or NULL. With it, each reported
	 * finding is compared by fingerprint with every finding of a full run
	 * over the merge base: already there, it is PLATCI_BASELINE_EXISTING
	 * and its level drops to platci_config_existing_level(); else it is
	 * PLATCI_BASELINE_NEW.
	 */
	const platci_config *base;
	/** Receives the merge base's findings the change removes (borrowed), or NULL. */
	platci_findings *fixed;
	/**
	 * kustomize/kubectl and helm as the runner found them
	 * (platci_render_tools_find(); borrowed), or NULL. With kustomize each
	 * environment's cluster is rendered (fluxmodel.h) and judged as
	 * rendered (docs/validate.md, "Rendered objects"); without it the
	 * source files are judged and an info finding says so.
	 */
	const platci_render_tools *render;
	const char *render_cache; /**< render cache folder, or NULL for none */
	const char *const *render_cache_exclude; /**< repo-relative folders kept out of cache keys */
	unsigned int render_jobs; /**< kustomize/helm processes at once; 0: @c threads */
	/**
	 * Receives the rendered diff (borrowed), or NULL: with @c base, each
	 * environment rendered at the merge base and at the head, compared by
	 * object identity (platci_fluxmodel_diff()), one `# environment NAME`
	 * section per environment whose rendered output changed. Such an
	 * environment is marked affected (via `render`).
	 */
	platci_buf *rendered_diff;
	/**
	 * The schema folder (docs/schemas.md), overriding platci.yaml's
	 * `schemas.dir`; NULL: platci.yaml's. A path as given (not
	 * repo-relative).
	 */
	const char *schemas_dir;
	/** Non-zero: unknown kinds are deny and unknown fields are reported (as `schemas.strict`). */
	int strict;
} platci_validate_options;

#define PLATCI_VALIDATE_OPTIONS_VERSION 5
#define PLATCI_VALIDATE_OPTIONS_INIT \
	{ \
		PLATCI_VALIDATE_OPTIONS_VERSION, 1, PLATCI_DOC_OPTIONS_INIT, 0, NULL, NULL, 0, 0, \
			NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0 \
	}

/** What a validation run looked at. */
typedef struct platci_validate_stats {
	size_t files; /**< YAML files read */
	size_t documents; /**< documents parsed */
	size_t nodes; /**< nodes built */
	int compared; /**< 1 when the findings were compared with the merge base (opts->base) */
} platci_validate_stats;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int)
platci_validate_options_init(platci_validate_options *opts, unsigned int version);

/**
 * Validates the repository described by @p cfg, adding findings to
 * @p findings (sorted on return). @p stats and @p diag may be NULL.
 *
 * @return 0 when the run completed (whatever it found); PLATCI_EDATA or
 *         PLATCI_ESYNTAX when the manifest policy is invalid (diagnostics
 *         say where); PLATCI_ENOMEM or PLATCI_EIO when it could not run.
 */
PLATCI_EXTERN(int)
platci_validate_run(const platci_config *cfg, const platci_validate_options *opts,
	platci_findings *findings, platci_validate_stats *stats, platci_diag *diag);

/**
 * Prepares the comparison with a merge base: writes revision @p rev of
 * @p git into the empty folder @p dir (platci_git_export(); the working
 * tree is not touched) and loads the platci.yaml that sits there where
 * @p cfg's file sits in the checkout, its root placed the same way. Free
 * the result with platci_config_free(), then remove @p dir.
 *
 * @return 0; PLATCI_ENOTFOUND when the merge base has no platci.yaml at
 *         that place (the change adds it) or @p cfg's root is not inside
 *         the repository's working directory; the errors of
 *         platci_git_export() and platci_config_load() (the merge base's
 *         own configuration is invalid).
 */
PLATCI_EXTERN(int)
platci_validate_base_config(platci_config **out, const platci_config *cfg, platci_git *git,
	const char *rev, const char *dir, platci_diag *diag);

/**
 * The list of YAML files (repo-relative, sorted) the run would read,
 * NULL-terminated; free with platci_validate_files_free().
 */
PLATCI_EXTERN(int)
platci_validate_list_files(char ***out, const platci_config *cfg, platci_diag *diag);

/** Frees a list from platci_validate_list_files(). NULL is a no-op. */
PLATCI_EXTERN(void) platci_validate_files_free(char **files);

/**
 * Turns what `terraform fmt -check -recursive -list=true -no-color DIR`
 * printed (run from the repository root; the caller runs it, the library
 * never runs tools) into findings added to @p out. Each file in @p listed
 * (its standard output) is a `tf.fmt` warning; each `Error: SUMMARY` in
 * @p errors (its standard error) that names `on FILE line N` is a
 * `tf.syntax` finding at deny, at FILE:N. terraform is the judge of
 * Terraform syntax; platci's own scanner only reads facts. Files for
 * which @p want returns 0 are left out (@p want NULL keeps every file).
 * An error without a position becomes a warning in @p diag (may be NULL).
 *
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_validate_terraform_fmt(platci_findings *out, const platci_config *cfg, const char *listed,
	const char *errors, int (*want)(const char *file, void *payload), void *payload,
	platci_diag *diag);

PLATCI_END_DECL

#endif
