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
 * the env's configured folders). This module keeps those marks and
 * renders affected.json and the child-pipeline YAML.
 */
#ifndef PLATCI_AFFECTED_H
#define PLATCI_AFFECTED_H

#include "buf.h"
#include "config.h"
#include "git.h"

typedef struct platci_affected platci_affected;

/** How the run chose its files. Strings are borrowed. */
typedef struct platci_affected_meta {
	const char *mode;       /**< "all" or "diff" */
	const char *base;       /**< base revision as given, or NULL */
	const char *head;       /**< head revision as given, or NULL */
	const char *merge_base; /**< resolved merge base sha, or NULL */
	const char *head_sha;   /**< resolved head sha, or NULL */
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
PLATCI_EXTERN(int) platci_affected_mark(platci_affected *a, const char *env, const char *path,
	const char *via);

/** Marks every environment. */
PLATCI_EXTERN(int) platci_affected_mark_all(platci_affected *a, const char *path, const char *via);

/** 1 when @p env is marked. */
PLATCI_EXTERN(int) platci_affected_is(const platci_affected *a, const char *env);

/** Number of marked environments. */
PLATCI_EXTERN(size_t) platci_affected_count(const platci_affected *a);

/**
 * Renders affected.json: the mode and revisions, the changed files (may
 * be NULL), and every environment in promotion order with `affected` and
 * its reasons.
 */
PLATCI_EXTERN(int) platci_affected_render_json(platci_buf *out, const platci_affected *a,
	const platci_affected_meta *meta, const platci_changes *changes);

/**
 * Renders a GitLab child pipeline with one `plan:<env>` job per affected
 * environment (terraform init/plan/show -json, then `platci-plan
 * summarize --env <env>`), `resource_group: <env>` and `environment:
 * {name: <env>, action: prepare}`. With nothing affected it holds one
 * job that says so, since GitLab rejects an empty pipeline.
 */
PLATCI_EXTERN(int) platci_affected_render_child_pipeline(platci_buf *out,
	const platci_affected *a);

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
