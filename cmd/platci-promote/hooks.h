/*
 * Where platci-promote meets the other stages' modules: the gate policy's
 * freeze windows, the Flux status reader and the GitLab client.
 */
#ifndef PLATCI_PROMOTE_HOOKS_H
#define PLATCI_PROMOTE_HOOKS_H

#include "cli.h"

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
