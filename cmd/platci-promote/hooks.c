/*
 * Where platci-promote meets the other stages' modules: the gate policy's
 * freeze windows, Flux readiness (defined in fluxstatus, shared with
 * drift), and the manifest policy of the target environment.
 */
#include <stdint.h>
#include <stdio.h>

#include "promote_cmd.h"

/*
 * The gate policy's freeze windows hold for promotion too: a release
 * manager should not open a prd MR that the gate would refuse to apply.
 */
static int frozen(const char *env, time_t now, char *reason, size_t n, void *payload)
{
	const platci_config *cfg = payload;
	platci_gate_policy *policy = NULL;
	platci_buf path = PLATCI_BUF_INIT, why = PLATCI_BUF_INIT;
	int rc;

	if (n)
		reason[0] = '\0';
	if ((rc = cli_policy_path(&path, cfg, platci_config_policies(cfg)->gates, NULL)) <= 0) {
		platci_buf_dispose(&path);
		return rc < 0 ? PLATCI_ENOMEM : 0;
	}
	if ((rc = platci_gate_policy_load(&policy, path.ptr, cfg, NULL)) == 0)
		rc = platci_gate_policy_frozen(&why, policy, env, now);
	if (rc == 1 && n)
		snprintf(reason, n, "%s", why.ptr);
	platci_gate_policy_free(policy);
	platci_buf_dispose(&why);
	platci_buf_dispose(&path);
	return rc;
}

/* Ready on its current revision: platci_flux_status_ready() over the source cluster's objects. */
static int ready(const char *env, char *reason, size_t n, void *payload)
{
	platci_buf why = PLATCI_BUF_INIT;
	int rc;

	(void)env;
	rc = platci_flux_status_ready(payload, &why);
	snprintf(reason, n, "%s", why.ptr);
	platci_buf_dispose(&why);
	return rc;
}

static int load_flux(cli *c, const char *file, promote_hooks *hooks, platci_diag *diag)
{
	int error;

	if (!platci_fs_exists(file)) {
		cli_error(c, "--flux-status: %s does not exist", file);
		return CLI_EXIT_NOINPUT;
	}
	if (platci_flux_status_new(&hooks->flux, NULL) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_flux_status_read_file(hooks->flux, file, diag)) < 0)
		return cli_fail(c, diag, error, "--flux-status: cannot use %s", file);
	return 0;
}

int promote_hooks_prepare(cli *c, const platci_config *cfg, const char *flux_status,
	promote_hooks *hooks, platci_promote_options *popts)
{
	const char *manifests = platci_config_policies(cfg)->manifests;
	platci_buf path = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int code = 0, error, found;

	popts->frozen = frozen;
	popts->frozen_payload = (void *)(uintptr_t)cfg;
	if (platci_diag_new(&diag) < 0 || (found = cli_policy_path(&path, cfg, manifests, NULL)) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (flux_status && (code = load_flux(c, flux_status, hooks, diag)) != 0)
		goto done;
	if (hooks->flux) {
		popts->source_ready = ready;
		popts->ready_payload = hooks->flux;
	}
	/* The policy validate applies to the target: what it would deny, promotion refuses. */
	if (found && (error = platci_policy_load_file(&hooks->policy, path.ptr, manifests, cfg,
			      c->now, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot use the manifest policy %s", path.ptr);
		goto done;
	}
	popts->policy = hooks->policy;
done:
	platci_buf_dispose(&path);
	platci_diag_free(diag);
	return code;
}

void promote_hooks_dispose(promote_hooks *hooks)
{
	platci_flux_status_free(hooks->flux);
	platci_policy_free(hooks->policy);
	hooks->flux = NULL;
	hooks->policy = NULL;
}
