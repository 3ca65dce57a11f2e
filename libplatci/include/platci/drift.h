/**
 * @file platci/drift.h
 * @brief Drift for one environment: Terraform, Flux, and what waits to be promoted.
 *
 * Three inputs, each optional:
 *
 * - a Terraform plan in `terraform show -json` form, refresh-only (only
 *   `resource_drift`) or normal (its `resource_drift` part): every drifted
 *   resource with the attribute paths that changed, masked by the
 *   sensitive markers, unknowns shown as unknown;
 * - live Flux objects (platci/fluxstatus.h): suspended, source behind the
 *   expected commit, applied revision behind the source's artifact, not
 *   Ready, Reconciling, Stalled, status behind the spec, HelmRelease
 *   Drifted, a dependency not Ready;
 * - the pending promotion, given by the caller as a list (what the
 *   environment it promotes from runs and this one does not yet).
 *
 * The result is a list of items, each in one category, sorted so that
 * every rendering is the same for the same drift. Ignore rules from
 * `policies/drift.yaml` (docs/drift.md) silence items or attribute paths,
 * with a reason and an expiry; an expired rule no longer applies and is
 * itself reported.
 *
 * Nothing here prints a secret: before/after values come only through
 * platci_value_diff() (platci/redact.h).
 */
#ifndef PLATCI_DRIFT_H
#define PLATCI_DRIFT_H

#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "findings.h"
#include "fluxstatus.h"
#include "report.h"
#include "sha256.h"

/** Where an item comes from. */
typedef enum {
	PLATCI_DRIFT_TERRAFORM = 0,
	PLATCI_DRIFT_FLUX = 1,
	PLATCI_DRIFT_PENDING = 2
} platci_drift_source;

/** One changed attribute of a drifted Terraform resource. Strings are owned by the result. */
typedef struct platci_drift_attr {
	const char *path; /**< e.g. `tags["owner"]` */
	const char *before; /**< JSON text, PLATCI_REDACTED, or NULL when absent */
	const char *after; /**< JSON text, PLATCI_REDACTED, PLATCI_UNKNOWN, or NULL */
	int sensitive; /**< 1 when masked */
	const char *ignored_by; /**< id of the ignore rule that silenced it, or NULL */
} platci_drift_attr;

/**
 * One item: a drifted resource, one Flux condition of one object, or one
 * pending promotion. Strings are owned by the result and NULL when absent.
 */
typedef struct platci_drift_item {
	platci_drift_source source;
	const char *category; /**< stable id, e.g. `terraform.changed`, `flux.not-ready` */
	int is_drift; /**< 1 when it counts as drift (exit 2, the issue) */
	const char *identity; /**< Terraform address, `Kind/namespace/name`, or the pending identity */
	const char *action; /**< Terraform actions joined with "," (`update`), or NULL */
	const char *reason; /**< action_reason, condition reason, ... */
	const char *message; /**< one line, secret-free */
	const char *previous; /**< previous address (moved), applied revision, current value */
	const char *expected; /**< the revision or value it should be at */
	const platci_drift_attr *attrs;
	size_t nattrs;
	const char *ignored_by; /**< id of the rule that silenced the whole item, or NULL */
	const char *file; /**< input file */
	size_t line; /**< 1-based line in @p file, 0 unknown */
} platci_drift_item;

/** An object that was checked (one JUnit test case each). */
typedef struct platci_drift_checked {
	platci_drift_source source;
	const char *identity;
	size_t ndrift; /**< items with is_drift for this identity */
} platci_drift_checked;

/** Totals over a result. */
typedef struct platci_drift_counts {
	size_t terraform_checked, flux_checked;
	size_t terraform_drift, flux_drift, pending;
	size_t notices; /**< items that are reported but are not drift */
	size_t ignored; /**< items or attributes silenced by a rule */
	size_t expired_rules;
} platci_drift_counts;

/**
 * One pending promotion, given by the caller (the promotion module's
 * version-set diff). Strings are borrowed during platci_drift_run() and
 * copied.
 */
typedef struct platci_drift_pending {
	const char *identity; /**< e.g. `image registry.example.com/platform/web` */
	const char *file; /**< repo-relative file in this environment's overlay */
	size_t line; /**< 1-based, 0 unknown */
	const char *current; /**< value in this environment */
	const char *source_value; /**< value in the environment it promotes from */
} platci_drift_pending;

/** A list of pending promotions, made by platci_drift_pending_from_versions() or _load(). */
typedef struct platci_drift_pending_set platci_drift_pending_set;

/**
 * An expected revision for GitRepositories: for those tracking @p branch
 * (all when NULL) whose spec.url names @p repo (any when NULL), e.g.
 * "platform/platform" matches `ssh://git@gitlab.example.com/platform/platform.git`.
 */
typedef struct platci_drift_expect {
	const char *branch;
	const char *sha;
	const char *repo;
} platci_drift_expect;

typedef struct platci_drift_policy platci_drift_policy;
typedef struct platci_drift platci_drift;

typedef struct platci_drift_options {
	unsigned int version; /**< PLATCI_DRIFT_OPTIONS_VERSION */
	const char *env; /**< environment name; required */
	const char *terraform_plan; /**< path of a `terraform show -json` plan, or NULL */
	const char *const *flux_files; /**< paths of kubectl List files */
	size_t nflux_files;
	const platci_flux_status *flux; /**< already-read status (used when no flux_files), or NULL */
	const platci_drift_expect *expect; /**< expected source revisions */
	size_t nexpect;
	const platci_drift_pending *pending;
	size_t npending;
	const char *pending_from; /**< the environment @p pending comes from */
	const platci_drift_policy *policy; /**< ignore rules, or NULL */
	time_t now; /**< for rule expiry; 0 means no rule expires */
} platci_drift_options;

#define PLATCI_DRIFT_OPTIONS_VERSION 1
#define PLATCI_DRIFT_OPTIONS_INIT \
	{ \
		PLATCI_DRIFT_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, 0 \
	}

/** The label of the drift issue. */
#define PLATCI_DRIFT_ISSUE_LABEL "platci-drift"

/**
 * The GitLab issue a drift run wants to exist: one per environment, titled
 * `Drift: <env>`, labelled PLATCI_DRIFT_ISSUE_LABEL. Release with
 * platci_drift_issue_dispose().
 */
typedef struct platci_drift_issue {
	platci_buf title; /**< `Drift: <env>` */
	const char *label; /**< PLATCI_DRIFT_ISSUE_LABEL */
	platci_buf body; /**< empty when there is no drift: the issue is to be closed */
	platci_buf close_comment; /**< posted once when an open issue is closed */
	char set_hash[PLATCI_SHA256_HEX_SIZE]; /**< platci_drift_set_hash(); "" without drift */
} platci_drift_issue;

#define PLATCI_DRIFT_ISSUE_INIT \
	{ \
		PLATCI_BUF_INIT, PLATCI_DRIFT_ISSUE_LABEL, PLATCI_BUF_INIT, PLATCI_BUF_INIT, "" \
	}

/** Options of the renderers. */
typedef struct platci_drift_render_options {
	unsigned int version; /**< PLATCI_DRIFT_RENDER_OPTIONS_VERSION */
	const char *generated_at; /**< RFC 3339 time for drift.json, or NULL to omit */
	size_t max_bytes; /**< cap on the summary's drift part; default 40,000 */
	int pretty; /**< drift.json indented rather than compact */
} platci_drift_render_options;

#define PLATCI_DRIFT_RENDER_OPTIONS_VERSION 1
#define PLATCI_DRIFT_RENDER_OPTIONS_INIT \
	{ \
		PLATCI_DRIFT_RENDER_OPTIONS_VERSION, NULL, 0, 0 \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_drift_options_init(platci_drift_options *opts, unsigned int version);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int)
platci_drift_render_options_init(platci_drift_render_options *opts, unsigned int version);

/**
 * Loads ignore rules from a drift policy file (YAML, docs/drift.md).
 * Each problem is a diagnostic with file:line:column.
 *
 * @param cfg platci.yaml: the environments `envs` may name and the zone in
 *        which rules expire; NULL checks no names and takes the default
 *        zone. Not kept.
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (YAML);
 *         PLATCI_EDATA (unknown keys, missing id/reason/owner or
 *         ticket/expires, a bad date or source, an unknown environment, a
 *         rule that matches nothing by construction); PLATCI_EVERSION;
 *         PLATCI_ENOMEM. Free with platci_drift_policy_free().
 */
PLATCI_EXTERN(int)
platci_drift_policy_load(platci_drift_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag);

/** As platci_drift_policy_load(), from @p len bytes named @p name. */
PLATCI_EXTERN(int)
platci_drift_policy_load_buffer(platci_drift_policy **out, const char *name, const char *data,
	size_t len, const platci_config *cfg, platci_diag *diag);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_drift_policy_free(platci_drift_policy *p);

/** Number of rules in @p p. */
PLATCI_EXTERN(size_t) platci_drift_policy_count(const platci_drift_policy *p);

/**
 * Computes the drift of one environment. The Terraform plan is streamed
 * (bounded memory); `format_version` major 0 or 1 (or HCP's
 * `plan_format_version`) is accepted, an `errored` plan is refused
 * because its drift is incomplete.
 *
 * Findings are added to @p findings (may be NULL): one per drift item
 * (warn level, rule id `drift.<category>`), one per expired ignore rule,
 * notices at info level; waived when an ignore rule silenced them.
 *
 * @param[out] out a new result; free with platci_drift_free()
 * @return 0; PLATCI_EINVALID (options); PLATCI_ENOTFOUND / PLATCI_EIO
 *         (an input file); PLATCI_ESYNTAX (not JSON, empty, truncated);
 *         PLATCI_EDATA (not a plan, errored plan, bad Flux list);
 *         PLATCI_EVERSION (plan format major >= 2); PLATCI_ELIMIT;
 *         PLATCI_ENOMEM. Every input error carries file and position in
 *         @p diag.
 */
PLATCI_EXTERN(int)
platci_drift_run(platci_drift **out, const platci_drift_options *opts, platci_findings *findings,
	platci_diag *diag);

/** Frees @p d. NULL is a no-op. */
PLATCI_EXTERN(void) platci_drift_free(platci_drift *d);

/** The environment the result is about (borrowed). */
PLATCI_EXTERN(const char *) platci_drift_env(const platci_drift *d);

/**
 * The SHA-256 (hex) of the Terraform plan's bytes as they were read, the
 * record of what was judged; NULL when no plan was read.
 */
PLATCI_EXTERN(const char *) platci_drift_plan_sha256(const platci_drift *d);

/** 1 when any item counts as drift. */
PLATCI_EXTERN(int) platci_drift_found(const platci_drift *d);

/**
 * Fills @p out with the totals (all zero when @p d is NULL).
 * @return 0, or PLATCI_EINVALID when @p out is NULL.
 */
PLATCI_EXTERN(int) platci_drift_totals(platci_drift_counts *out, const platci_drift *d);

/** Number of items (drift, notices and ignored ones). */
PLATCI_EXTERN(size_t) platci_drift_item_count(const platci_drift *d);

/** Item @p i in sorted order (borrowed, valid until the result is freed), or NULL. */
PLATCI_EXTERN(const platci_drift_item *) platci_drift_item_at(const platci_drift *d, size_t i);

/** Number of checked objects. */
PLATCI_EXTERN(size_t) platci_drift_checked_count(const platci_drift *d);

/** Checked object @p i, sorted by source then identity (borrowed), or NULL. */
PLATCI_EXTERN(const platci_drift_checked *)
platci_drift_checked_at(const platci_drift *d, size_t i);

/** A short human title for a category id ("Changed outside Terraform"); the id itself when unknown. */
PLATCI_EXTERN(const char *) platci_drift_category_title(const char *category);

/**
 * Renders drift.json (members in sorted order; compact, or indented by 2
 * with opts->pretty). Secret-free. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_drift_render_json(platci_buf *out, const platci_drift *d, const platci_drift_render_options *opts);

/**
 * Writes drift.json, the bytes platci_drift_render_json() renders, to
 * @p path atomically (platci_fs_atomic_open()) as it is made: a plan of
 * 40,000 resources never holds the document in memory. @return 0,
 * PLATCI_ENOMEM or PLATCI_EIO (with a diagnostic); on failure @p path is
 * untouched.
 */
PLATCI_EXTERN(int)
platci_drift_write_json(const char *path, const platci_drift *d,
	const platci_drift_render_options *opts, platci_diag *diag);

/**
 * Renders the drift part of summary.md (Markdown, no heading or marker:
 * pass it as platci_report_options.preamble_md): a table per category,
 * then the details of each item. Cut at opts->max_bytes with a line
 * saying so. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_drift_render_markdown(platci_buf *out, const platci_drift *d,
	const platci_drift_render_options *opts);

/**
 * Adds one JUnit test case per checked object (classname
 * `drift.<env>.terraform|flux`), failing when it has drift, plus one per
 * pending promotion (skipped, not failed: waiting is not an error).
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_drift_junit(platci_junit *j, const platci_drift *d);

/**
 * What waits to be promoted into @p env: every pin both @p env and the
 * environment it promotes from (platci.yaml `promote_from`) hold with
 * different values (platci_versions_diff()). Pins only in one of them are
 * environment-specific and not pending. Empty for an environment that
 * promotes from none.
 *
 * @param[out] out a new set; free with platci_drift_pending_set_free()
 * @return 0; PLATCI_ENOTFOUND (no such environment); the version loaders'
 *         codes (PLATCI_ESYNTAX, PLATCI_EIO, ... with positions in @p diag);
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_drift_pending_from_versions(platci_drift_pending_set **out, const platci_config *cfg,
	const char *env, platci_diag *diag);

/**
 * Reads pending promotions from a JSON file: an array of objects
 * `{identity, file, line, current, source}` (identity required).
 *
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (JSON);
 *         PLATCI_EDATA (not an array, an item without identity); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_drift_pending_load(platci_drift_pending_set **out, const char *path, platci_diag *diag);

/** Number of pending promotions in @p s (0 for NULL). */
PLATCI_EXTERN(size_t) platci_drift_pending_set_count(const platci_drift_pending_set *s);

/** The pending promotions as an array for platci_drift_options.pending (borrowed), or NULL. */
PLATCI_EXTERN(const platci_drift_pending *)
platci_drift_pending_set_items(const platci_drift_pending_set *s);

/** Frees @p s. NULL is a no-op. */
PLATCI_EXTERN(void) platci_drift_pending_set_free(platci_drift_pending_set *s);

/**
 * The hash of the drift set: one line per drift item (category, identity,
 * reason and the attribute paths not ignored), in the result's sorted
 * order; no values, no times. The same drift gives the same hash.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_drift_set_hash(char hex[PLATCI_SHA256_HEX_SIZE], const platci_drift *d);

/**
 * Computes the issue for @p d: with drift, a body that starts with the
 * marker `<!-- platci:drift:<env> set=<hash> -->` and lists the drift set
 * per category (no values); without drift, an empty body. @p pipeline_url
 * (may be NULL) goes into the closing comment only, never into the body,
 * so an unchanged drift set gives a byte-identical body.
 *
 * @return 0 or PLATCI_ENOMEM (then @p out is released).
 */
PLATCI_EXTERN(int)
platci_drift_issue_build(platci_drift_issue *out, const platci_drift *d, const char *pipeline_url);

/** Releases the buffers of @p issue. NULL is a no-op. */
PLATCI_EXTERN(void) platci_drift_issue_dispose(platci_drift_issue *issue);

/**
 * Parses an expected revision `[BRANCH=]SHA` (7 to 64 hex digits) in
 * place: the `=` in @p text becomes a NUL, and @p out points into @p text.
 * @return 0, or PLATCI_EINVALID (nothing changed in @p text).
 */
PLATCI_EXTERN(int) platci_drift_expect_parse(platci_drift_expect *out, char *text);

PLATCI_END_DECL

#endif
