/*
 * Hooks for modules that live in other branches. Until the lead wires
 * them in, each says "not available in this build" instead of pretending.
 *
 * To wire them:
 * - freeze: call the gate policy's freeze-window check for `env` at `now`
 *   (policies/gates.yaml from platci_config_policies()), return 1 + reason
 *   when frozen, and make promote_hook_freeze_available() return 1;
 * - Flux: parse `file` with the Flux status reader and answer whether the
 *   environment's Kustomizations/HelmReleases are Ready on their current
 *   revision;
 * - MR: platci_gitlab_mr_ensure(client, source_branch, target_branch,
 *   title, description, &url) with a client built from CI_API_V4_URL,
 *   CI_PROJECT_ID and PLATCI_GITLAB_TOKEN; print the URL.
 */
#include <stdio.h>

#include "hooks.h"

int promote_hook_freeze_available(void)
{
	return 0;
}

int promote_hook_frozen(const char *env, time_t now, char *reason, size_t n, void *payload)
{
	(void)env;
	(void)now;
	(void)payload;
	if (n)
		reason[0] = '\0';
	return 0;
}

int promote_hook_flux_prepare(cli *c, const char *file, platci_promote_ready_fn *fn,
	void **payload)
{
	*fn = NULL;
	*payload = NULL;
	if (!platci_fs_exists(file)) {
		cli_error(c, "--flux-status: %s does not exist", file);
		return CLI_EXIT_NOINPUT;
	}
	cli_error(c, "--flux-status: reading Flux status is not available in this build");
	return CLI_EXIT_UNAVAILABLE;
}

void promote_hook_flux_dispose(void *payload)
{
	(void)payload;
}

int promote_hook_open_mr(cli *c, const char *source_branch, const char *target_branch,
	const char *title, const char *description)
{
	(void)source_branch;
	(void)target_branch;
	(void)title;
	(void)description;
	cli_error(c, "--open-mr: opening merge requests is not available in this build "
		     "(no GitLab client); the branch is pushed, open the MR by hand");
	return CLI_EXIT_UNAVAILABLE;
}
