/**
 * @file platci/promote.h
 * @brief Promotion of pinned versions from one environment to the next.
 *
 * platci_promotion_plan() reads the version sets of the source and the
 * target (platci/versions.h), decides what changes, and renders the new
 * contents of every touched file in memory. Nothing is written until
 * platci_promotion_apply() or platci_promote_commit().
 *
 * Rules:
 * - The target's `promote_from` must be the source; `force` with a
 *   `reason` overrides that (recorded in every output).
 * - A frozen target (the `frozen` callback) or a source that is not
 *   Ready on its revision (the `source_ready` callback) refuses.
 * - What the target environment's policy would deny in the promoted
 *   files refuses: validate's `flux.helm-version-range` (a chart version
 *   range over a pinned version in a protected environment) and, with
 *   `policy`, every deny rule of the manifest policy, each evaluated on
 *   the changed files before and after (denials already there are not the
 *   promotion's doing). `force` with a `reason` lets them through; they
 *   are recorded (platci_promotion_override_count()).
 * - Every pin in both environments with different values gets the
 *   source's value, edited in place (platci/yamledit.h).
 * - kustomize ignores `newTag` when `digest` is set, so image (and OCI)
 *   digests travel with the tags: a digest the target lacks is added next
 *   to the entry's other keys; a digest only the target has refuses unless
 *   `drop_digest` (then its line is removed). A Git `commit` pin is
 *   treated the same way.
 * - Pins only in the target stay (environment-specific); pins only in the
 *   source are listed as not promoted.
 * - With `rollback_to`, the source is the target itself at that git
 *   revision.
 *
 * Refusals do not make platci_promotion_plan() fail: the plan holds them
 * (platci_promotion_refusal_count()) so that reports can say why, and
 * applying or committing a refused plan returns PLATCI_ECONFLICT.
 */
#ifndef PLATCI_PROMOTE_H
#define PLATCI_PROMOTE_H

#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "findings.h"
#include "policy.h"
#include "versions.h"

/**
 * Is @p env inside a freeze window at @p now? Return 1 when frozen (and
 * write a one-line reason into @p reason, @p n bytes), 0 when not, or a
 * negative PLATCI_E* code when the answer cannot be known (the plan then
 * fails with that code). The gate policy's freeze check fits here.
 */
typedef int (*platci_promote_frozen_fn)(const char *env, time_t now, char *reason, size_t n, void *payload);

/**
 * Is the source environment @p env Ready on its current revision? Return
 * 1 when ready, 0 when not (with a one-line reason), or a negative
 * PLATCI_E* code. The Flux status reader fits here.
 */
typedef int (*platci_promote_ready_fn)(const char *env, char *reason, size_t n, void *payload);

typedef struct platci_promote_options {
	unsigned int version; /**< PLATCI_PROMOTE_OPTIONS_VERSION */
	const char *from; /**< source environment; may be NULL with @p rollback_to */
	const char *to; /**< target environment (required) */
	const char *const *only; /**< NULL-terminated app folders, names, ids or keys; NULL: all */
	int force; /**< promote although `promote_from` names another environment,
	                                  or the target's policy denies the result */
	const char *reason; /**< required with @p force */
	int drop_digest; /**< remove target digests (and Git commits) the source lacks */
	const char *rollback_to; /**< git revision: set the target's pins to their values there */
	const char *root; /**< repository root; NULL: platci_config_root() */
	time_t now; /**< the clock for freeze windows */
	platci_promote_frozen_fn frozen; /**< NULL: no freeze check */
	void *frozen_payload;
	platci_promote_ready_fn source_ready; /**< NULL: no readiness check */
	void *ready_payload;
	const platci_policy *policy; /**< the manifest policy (policies.manifests); NULL: built-in rules */
} platci_promote_options;

#define PLATCI_PROMOTE_OPTIONS_VERSION 1
#define PLATCI_PROMOTE_OPTIONS_INIT \
	{ \
		PLATCI_PROMOTE_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, \
			NULL, NULL, NULL, NULL \
	}

typedef enum {
	PLATCI_CHANGE_SET = 1, /**< the target's scalar gets the new value */
	PLATCI_CHANGE_ADD, /**< a new `field: value` line in the target's entry */
	PLATCI_CHANGE_DROP /**< the target's `field: value` line is removed */
} platci_change_action;

/** One change to the target. Strings are owned by the plan. */
typedef struct platci_promote_change {
	platci_change_action action;
	platci_pin_kind kind;
	const char *key; /**< platci_pin.key */
	const char *name; /**< short name */
	const char *app; /**< app folder or "" */
	const char *file; /**< target file, repository-relative */
	size_t line; /**< 1-based line in the target file (before the edit) */
	size_t column;
	const char *old_value; /**< NULL for ADD */
	const char *new_value; /**< NULL for DROP */
	const char *source_file; /**< where the new value comes from (NULL for DROP) */
	size_t source_line;
} platci_promote_change;

/** A pin that was not promoted, and why. */
typedef struct platci_promote_note {
	const char *key;
	const char *message;
} platci_promote_note;

typedef struct platci_promotion platci_promotion;

/** Git options for platci_promote_commit() and platci_promote_push(). */
typedef struct platci_promote_git_options {
	unsigned int version; /**< PLATCI_PROMOTE_GIT_OPTIONS_VERSION */
	const char *author_name; /**< NULL: the repository's user.name */
	const char *author_email; /**< NULL: the repository's user.email */
	time_t when; /**< commit time; 0: now */
	const char *remote; /**< remote name for push; default "origin" */
	const char *url; /**< push to this URL instead of the remote's */
	const char *username; /**< HTTPS user for the token; default "oauth2" */
	const char *token; /**< HTTPS password/token; offered only through the credentials callback, never in a message */
} platci_promote_git_options;

#define PLATCI_PROMOTE_GIT_OPTIONS_VERSION 1
#define PLATCI_PROMOTE_GIT_OPTIONS_INIT \
	{ \
		PLATCI_PROMOTE_GIT_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, NULL \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_promote_options_init(platci_promote_options *opts, unsigned int version);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int)
platci_promote_git_options_init(platci_promote_git_options *opts, unsigned int version);

/**
 * Plans a promotion (see the rules above). Reads files, never writes.
 *
 * @param[out] out the plan; free with platci_promotion_free(). Set even
 *             when the plan holds refusals; NULL on failure.
 * @return 0; PLATCI_EINVALID (missing `to`, `force` without `reason`,
 *         neither `from` nor `rollback_to`); PLATCI_ENOTFOUND (unknown
 *         environment or revision); PLATCI_EIO; PLATCI_ESYNTAX /
 *         PLATCI_ELIMIT (a YAML file, with its position); PLATCI_EDATA (an
 *         edit that cannot be made in place); a callback's error;
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_promotion_plan(platci_promotion **out, const platci_config *cfg,
	const platci_promote_options *opts, platci_diag *diag);

/** Frees a plan. NULL is a no-op. */
PLATCI_EXTERN(void) platci_promotion_free(platci_promotion *p);

/** Number of changes (0: nothing to promote). */
PLATCI_EXTERN(size_t) platci_promotion_count(const platci_promotion *p);

/** Change @p i (borrowed), sorted by key then file; NULL when out of range. */
PLATCI_EXTERN(const platci_promote_change *)
platci_promotion_at(const platci_promotion *p, size_t i);

/** Number of pins not promoted (only in the source, or ambiguous there). */
PLATCI_EXTERN(size_t) platci_promotion_note_count(const platci_promotion *p);

/** Note @p i (borrowed), or NULL. */
PLATCI_EXTERN(const platci_promote_note *)
platci_promotion_note_at(const platci_promotion *p, size_t i);

/** Number of reasons the promotion is refused (0: it may go ahead). */
PLATCI_EXTERN(size_t) platci_promotion_refusal_count(const platci_promotion *p);

/** Refusal @p i: a one-line message (borrowed), or NULL. */
PLATCI_EXTERN(const char *) platci_promotion_refusal_at(const platci_promotion *p, size_t i);

/** Number of the target policy's denials that `force` let through (recorded, not refused). */
PLATCI_EXTERN(size_t) platci_promotion_override_count(const platci_promotion *p);

/** Override @p i: a one-line message (borrowed), or NULL. */
PLATCI_EXTERN(const char *) platci_promotion_override_at(const platci_promotion *p, size_t i);

/**
 * The plan's findings: one deny (`promote.refused`) per refusal and one
 * warning (`promote.forced`) per override, in the target environment.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_promotion_findings(platci_findings *out, const platci_promotion *p);

/**
 * Why there is nothing to promote, one sentence: every shared pin already
 * has the source's value; or no version pins were found (in which
 * environment, after `only`), followed by the kinds of pins that are
 * looked for. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_promotion_render_nothing(platci_buf *out, const platci_promotion *p);

/** Number of files the plan changes. */
PLATCI_EXTERN(size_t) platci_promotion_file_count(const platci_promotion *p);

/**
 * File @p i: its repository-relative path (return value, borrowed), and
 * its new contents in @p data_out / @p len_out (borrowed; either may be
 * NULL). NULL when out of range.
 */
PLATCI_EXTERN(const char *)
platci_promotion_file_at(const platci_promotion *p, size_t i, const char **data_out, size_t *len_out);

/**
 * Renders `promotion.diff`: a unified diff (`diff --git a/… b/…`, three
 * lines of context) of every changed file, old to new. Empty when there is
 * nothing to promote. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_promotion_render_diff(platci_buf *out, const platci_promotion *p);

/**
 * Renders `promotion.json`: from, to, rollback revision, force and reason,
 * every change (action, kind, key, name, app, file, line, column, old,
 * new, source file:line), the notes, the refusals and the changed files.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_promotion_render_json(platci_buf *out, const platci_promotion *p);

/**
 * Renders the Markdown body of `summary.md` (to go after the common
 * heading): the outcome, a table of changes, the notes and refusals, and
 * a Mermaid flowchart of the changed pins' values in every environment in
 * promotion order (dev -> stg -> prd). @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_promotion_render_summary(platci_buf *out, const platci_promotion *p);

/** One line for commit messages and MR titles: `promote stg-uaenorth -> prd-uaenorth: 3 pins`. */
PLATCI_EXTERN(int) platci_promotion_render_title(platci_buf *out, const platci_promotion *p);

/**
 * Writes the changed files below the root, all or nothing
 * (platci_yamledit_files_commit()).
 * @return 0; PLATCI_ECONFLICT (the plan holds refusals); PLATCI_EIO.
 */
PLATCI_EXTERN(int) platci_promotion_apply(const platci_promotion *p, platci_diag *diag);

/**
 * Commits the plan on a new branch `promote/<from>-to-<to>/<short-sha>`
 * (`rollback/<to>/<short-rev>-on-<short-sha>` for rollbacks), where
 * short-sha is the current HEAD: refuses when a changed file has
 * uncommitted changes, writes the files (platci_promotion_apply()), makes
 * one commit whose parent is HEAD and whose tree is HEAD's with the new
 * contents, points HEAD at the branch and stages the files, so the work
 * tree is clean afterwards. When the branch already exists with the same
 * tree, nothing is written and @p created_out is 0.
 *
 * @param branch_out receives the branch name (without refs/heads/)
 * @param commit_out receives the commit id (hex); may be NULL
 * @param created_out 1 when a commit was made, 0 when the branch existed; may be NULL
 * @return 0; PLATCI_ECONFLICT (refusals, uncommitted changes); PLATCI_EEXISTS
 *         (the branch exists with other contents); PLATCI_ENOTFOUND (no
 *         repository, no HEAD); PLATCI_EIO; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_promote_commit(platci_buf *branch_out, platci_buf *commit_out, int *created_out,
	const platci_promotion *p, const platci_promote_git_options *opts, platci_diag *diag);

/**
 * Pushes @p branch of the repository at @p repo_path to the remote (or
 * @p opts->url). HTTPS credentials come from @p opts->token through a
 * libgit2 credentials callback; messages never contain the token or a
 * URL's user information.
 *
 * @return 0; PLATCI_ENOTFOUND (no repository, remote or branch);
 *         PLATCI_EAUTH (credentials refused); PLATCI_ENETWORK (anything
 *         else on the way); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_promote_push(const char *repo_path, const char *branch,
	const platci_promote_git_options *opts, platci_diag *diag);

/**
 * The version set of environment @p env as it was at git revision
 * @p rev (any `git rev-parse` expression) of the repository at @p root.
 *
 * @return 0; PLATCI_ENOTFOUND (no repository, revision or environment);
 *         PLATCI_ESYNTAX (a file at that revision); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_promote_versions_at(platci_versions **out, const platci_config *cfg, const char *env,
	const char *root, const char *rev, platci_diag *diag);

PLATCI_END_DECL

#endif
