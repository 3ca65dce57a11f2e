/**
 * @file platci/redact.h
 * @brief Masking sensitive values, and attribute-level diffs that never leak them.
 *
 * Terraform's plan JSON carries secrets in clear text beside markers that
 * say which parts are sensitive: `before_sensitive` / `after_sensitive`
 * (and `sensitive` on variables and outputs). A marker is `true` (the whole
 * value), `false`/absent (nothing), or an object/array of markers that
 * mirrors the value's shape at any depth. Everything platci shows of a
 * value goes through these functions first.
 */
#ifndef PLATCI_REDACT_H
#define PLATCI_REDACT_H

#include <jansson.h>
#include "buf.h"

/** The text shown in place of a sensitive value. */
#define PLATCI_REDACTED "(sensitive value)"
/** The text shown for a value known only after apply. */
#define PLATCI_UNKNOWN "(known after apply)"
/** Nesting past this depth is masked whole: safer than guessing. */
#define PLATCI_REDACT_MAX_DEPTH 128

/** One changed leaf of a diff. Strings are valid during the callback only. */
typedef struct platci_value_change {
	const char *path; /**< attribute path such as `tags["env"]` or `rule[0].port` */
	const char *before; /**< JSON text of the old value, or PLATCI_REDACTED; NULL when absent */
	const char *after; /**< JSON text of the new value, PLATCI_REDACTED or PLATCI_UNKNOWN; NULL when absent */
	int sensitive; /**< 1 when either side was masked */
} platci_value_change;

/** Called for each changed leaf; return non-zero to stop. */
typedef int (*platci_value_change_cb)(const platci_value_change *change, void *payload);

PLATCI_BEGIN_DECL

/** 1 when @p marker says the whole value is sensitive (`true`). */
PLATCI_EXTERN(int) platci_sensitive_all(const json_t *marker);

/**
 * Returns a deep copy of @p value with every part that @p marker marks
 * replaced by the string PLATCI_REDACTED. @p marker may be NULL.
 *
 * @param[out] out a new reference (json_decref it); NULL for a NULL value
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_redact(json_t **out, const json_t *value, const json_t *marker);

/**
 * Walks @p before and @p after together and reports each leaf that
 * differs, masking by @p before_sensitive / @p after_sensitive and showing
 * leaves that @p after_unknown marks as PLATCI_UNKNOWN. Objects are
 * compared key by key, arrays index by index. A sensitive value that
 * changed is reported with both sides masked; an unchanged one is not
 * reported at all. Paths are capped at 512 bytes.
 *
 * @return 0, PLATCI_ENOMEM, or the callback's non-zero value.
 */
PLATCI_EXTERN(int)
platci_value_diff(const json_t *before, const json_t *after, const json_t *before_sensitive,
	const json_t *after_sensitive, const json_t *after_unknown, platci_value_change_cb cb,
	void *payload);

PLATCI_END_DECL

#endif
