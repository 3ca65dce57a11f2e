/*
 * platci-promote's pieces around the library's plan: the hooks that
 * connect promotion to the other stages' modules (hooks.c), the reports
 * and log lines (outputs.c), and the git and GitLab steps (git.c).
 */
#ifndef PLATCI_PROMOTE_CMD_H
#define PLATCI_PROMOTE_CMD_H

#include "cli.h"

/* What the hooks hold for the plan's lifetime. */
typedef struct promote_hooks {
	platci_flux_status *flux; /* --flux-status, or NULL */
	platci_policy *policy; /* policies.manifests, or NULL */
} promote_hooks;

#define PROMOTE_HOOKS_INIT \
	{ \
		NULL, NULL \
	}

/*
 * Fills @p popts' freeze check (the gate policy's windows), readiness check
 * (Flux readiness over @p flux_status, when given) and the target's
 * manifest policy. Returns 0 or an exit code (printed): 66 for a missing
 * file, 65 for one that cannot be read.
 */
int promote_hooks_prepare(cli *c, const platci_config *cfg, const char *flux_status,
	promote_hooks *hooks, platci_promote_options *popts);
void promote_hooks_dispose(promote_hooks *hooks);

/* "  set key: old -> new (file:line)" per change, and the pins not promoted (not with --quiet). */
void promote_print_changes(const cli *c, const platci_promotion *p);

/* promotion.diff, promotion.json and the common reports. Returns 0 or an exit code. */
int promote_write_outputs(cli *c, const platci_promotion *p, const char *to);

/* --commit, then --push and --open-mr. Returns 0 or an exit code (printed). */
int promote_git_steps(cli *c, const platci_promotion *p, const platci_config *cfg, int push, int open_mr);

#endif
