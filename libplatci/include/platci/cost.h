/**
 * @file platci/cost.h
 * @brief Cost estimates from Infracost (`infracost breakdown --format json`
 *        or `infracost diff --format json`) for one environment's plan.
 *
 * The JSON (schema/infracost.schema.json in Infracost's repository) holds
 * a `currency`, root totals `totalMonthlyCost`, `pastTotalMonthlyCost`,
 * `diffTotalMonthlyCost`, and `projects[]`, each with a `name`,
 * `metadata.path` and `breakdown` / `pastBreakdown` / `diff` holding a
 * `totalMonthlyCost`. Costs are decimal strings, or null when Infracost
 * could not price something. The environment's figures are those of the
 * project whose name or path names the environment, else the root totals.
 */
#ifndef PLATCI_COST_H
#define PLATCI_COST_H

#include "buf.h"
#include "diag.h"

typedef struct platci_cost platci_cost;

/** Monthly figures in the file's currency (borrowed from the estimate). */
typedef struct platci_cost_totals {
	const char *currency; /**< e.g. "USD" */
	const char *project; /**< the project used, or NULL for the root totals */
	double monthly; /**< after the change */
	double past_monthly; /**< before it (0 for a breakdown without a baseline) */
	double diff_monthly; /**< monthly - past_monthly, as Infracost says */
	int known; /**< 0 when Infracost gave null for the total */
} platci_cost_totals;

PLATCI_BEGIN_DECL

/**
 * Reads an Infracost JSON file for @p env (may be NULL: the root totals).
 *
 * @param[out] out the estimate; free with platci_cost_free().
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO; PLATCI_ESYNTAX (not JSON);
 *         PLATCI_EDATA (not Infracost's shape, with a diagnostic naming
 *         the key); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_cost_load_file(platci_cost **out, const char *path, const char *env, platci_diag *diag);

/** Frees @p c. NULL is a no-op. */
PLATCI_EXTERN(void) platci_cost_free(platci_cost *c);

/** The figures (borrowed). */
PLATCI_EXTERN(const platci_cost_totals *) platci_cost_get_totals(const platci_cost *c);

/**
 * The plan note's cost line: monthly total, before, and the difference.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_cost_render_md(platci_buf *out, const platci_cost *c);

PLATCI_END_DECL

#endif
