/*
 * The places where platci-promote meets other engineers' modules. Each
 * hook says honestly whether this build has it; the lead wires in the
 * gate policy's freeze check, the Flux status reader and the GitLab
 * client after merging (see docs/promotion.md, "Hooks").
 */
#ifndef PLATCI_PROMOTE_HOOKS_H
#define PLATCI_PROMOTE_HOOKS_H

#include "cli.h"

/* 1 when this build checks freeze windows from policies/gates.yaml. */
int promote_hook_freeze_available(void);

/* platci_promote_frozen_fn over the gate policy; payload is the loaded platci_config. */
int promote_hook_frozen(const char *env, time_t now, char *reason, size_t n, void *payload);

/*
 * Prepares the readiness check over `kubectl get ... -o json` of Flux
 * objects in @p file. Returns 0 and sets *fn and *payload, or an exit code
 * (printed): 66 when the file is missing, 69 when this build cannot
 * read Flux status.
 */
int promote_hook_flux_prepare(cli *c, const char *file, platci_promote_ready_fn *fn,
	void **payload);
void promote_hook_flux_dispose(void *payload);

/*
 * Opens (or reuses) the merge request source_branch -> target_branch with
 * @p title and @p description (summary.md). Returns 0 and prints the MR's
 * URL, or an exit code (69 while this build has no GitLab client).
 */
int promote_hook_open_mr(cli *c, const char *source_branch, const char *target_branch,
	const char *title, const char *description);

#endif
