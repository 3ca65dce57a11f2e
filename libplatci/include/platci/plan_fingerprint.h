/**
 * @file platci/plan_fingerprint.h
 * @brief What a plan will change, in a form that can be compared: the plan
 *        reviewed in the merge request against the plan applied later.
 *
 * A fingerprint holds, per resource change that apply will carry out
 * (every action of `resource_changes` but `no-op` and `read`), its
 * address, its action and the SHA-256 of its `change.after` with
 * sensitive values masked (PLATCI_REDACTED) and values known only after
 * apply as PLATCI_UNKNOWN, so it can be published: it holds no secret.
 * The digest of the whole is the SHA-256 of those lines, sorted by
 * address.
 *
 * It travels two ways: as `plan-fingerprint.json` (an artifact of
 * `platci-plan summarize`), and as a hidden comment in the sticky MR note
 * (`<!-- platci:fingerprint:<env> ... -->`), which is where the gate finds
 * the reviewed one on the default branch.
 */
#ifndef PLATCI_PLAN_FINGERPRINT_H
#define PLATCI_PLAN_FINGERPRINT_H

#include <jansson.h>
#include "buf.h"
#include "diag.h"
#include "gitlab.h"
#include "tfplan.h"

typedef struct platci_plan_fingerprint platci_plan_fingerprint;

/** One change (borrowed from the fingerprint). */
typedef struct platci_plan_fingerprint_entry {
	const char *address;
	const char *action; /**< "create", "update", "delete", "replace", "forget", "other" */
	char digest[65]; /**< 64 hex digits: SHA-256 of the masked `after` */
} platci_plan_fingerprint_entry;

PLATCI_BEGIN_DECL

/**
 * An empty fingerprint for @p env (may be NULL).
 * @param[out] out free with platci_plan_fingerprint_free().
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_plan_fingerprint_new(platci_plan_fingerprint **out, const char *env);

/** Frees @p fp. NULL is a no-op. */
PLATCI_EXTERN(void) platci_plan_fingerprint_free(platci_plan_fingerprint *fp);

/**
 * Adds one change (from platci_tfplan_options.on_change); drift, deferred
 * changes, `no-op` and `read` are left out. It reads `after`,
 * `after_sensitive` and `after_unknown` only: a reader may hand `after`
 * over as text (PLATCI_TFPLAN_VALUES_NO_BEFORE | PLATCI_TFPLAN_VALUES_AFTER_TEXT),
 * and the digest is the same.
 * @return 0, PLATCI_ENOMEM, or PLATCI_ESYNTAX when `after`, given as text,
 * repeats a key (the reader refuses that in a value it builds).
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_add(platci_plan_fingerprint *fp, const platci_tfplan_change *change);

/** Sorts the changes and computes the digest. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_plan_fingerprint_finish(platci_plan_fingerprint *fp);

/** "sha256:<64 hex>" (after platci_plan_fingerprint_finish()). Never NULL. */
PLATCI_EXTERN(const char *) platci_plan_fingerprint_digest(const platci_plan_fingerprint *fp);

/** The environment, or NULL. */
PLATCI_EXTERN(const char *) platci_plan_fingerprint_env(const platci_plan_fingerprint *fp);

/** Changes held. */
PLATCI_EXTERN(size_t) platci_plan_fingerprint_count(const platci_plan_fingerprint *fp);

/**
 * Change @p i (sorted by address after finishing), copied into @p out: the
 * changes are held packed (a raw digest), so there is no entry to lend.
 * The strings are borrowed from @p fp.
 * @return 0, or PLATCI_ENOTFOUND past the end (then @p out is zeroed).
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_at(platci_plan_fingerprint_entry *out, const platci_plan_fingerprint *fp, size_t i);

/**
 * 1 when the fingerprint was read from a note that listed only part of
 * the changes (its digest still covers all of them).
 */
PLATCI_EXTERN(int) platci_plan_fingerprint_partial(const platci_plan_fingerprint *fp);

/**
 * Appends `plan-fingerprint.json`: the changes, count, digest, env (null
 * when none) and version, keys sorted; compact unless @p pretty (then as
 * jansson's JSON_INDENT(2)). Streamed: no document is built.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_render_json(platci_buf *out, const platci_plan_fingerprint *fp, int pretty);

/**
 * Writes the same document to the file @p path atomically, streamed: the
 * text of a large plan's fingerprint is never held whole.
 * @return 0, PLATCI_ENOMEM or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_write_file(const platci_plan_fingerprint *fp, const char *path, int pretty,
	platci_diag *diag);

/**
 * Appends the hidden note comment: `<!-- platci:fingerprint:<env> v1
 * sha256:<hex> changes=<n>`, then one line per change (at most 2,000:
 * `<action> <digest> <address>`, the address percent-encoded where it
 * holds `%`, `>`, `-`-runs or blanks), then `-->`.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_render_note(platci_buf *out, const platci_plan_fingerprint *fp);

/**
 * Reads a fingerprint from @p text: `plan-fingerprint.json` (text that
 * starts with `{`) or a note or summary.md holding the comment for
 * @p env (only the current result: what follows `<!-- platci:previous
 * -->` is history).
 *
 * @param[out] out the fingerprint, finished; free with platci_plan_fingerprint_free().
 * @return 0; PLATCI_ENOTFOUND when @p text holds none for @p env;
 *         PLATCI_EDATA (diagnostic) when it is malformed; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_parse(platci_plan_fingerprint **out, const char *text, const char *env,
	platci_diag *diag);

/**
 * What changed from @p reviewed to @p current, one Markdown-safe line
 * each ("`module.kv.azurerm_key_vault.this`: update -> replace", "... :
 * attributes changed", "... : new since review", "... : no longer
 * planned"), at most @p max lines, then how many more.
 *
 * @param[out] differences_out how many changes differ (0: the same plan)
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_diff(platci_buf *out, size_t *differences_out,
	const platci_plan_fingerprint *reviewed, const platci_plan_fingerprint *current, size_t max);

/**
 * The fingerprint reviewed in merge request @p mr_iid for @p env: read
 * from the MR's sticky plan note (the note whose first line is
 * `<!-- platci:plan:<env> -->`), its current result only.
 *
 * @param[out] out the fingerprint; free with platci_plan_fingerprint_free().
 * @return 0; PLATCI_ENOTFOUND (no plan note for @p env, or one without a
 *         fingerprint); PLATCI_EDATA (a malformed one); the
 *         platci_gitlab_request() codes.
 */
PLATCI_EXTERN(int)
platci_plan_fingerprint_fetch(platci_plan_fingerprint **out, platci_gitlab *gl,
	unsigned long mr_iid, const char *env, platci_diag *diag);

PLATCI_END_DECL

#endif
