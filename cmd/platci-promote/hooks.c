/*
 * Where platci-promote meets the other stages' modules: the gate policy's
 * freeze windows, the Flux status reader and the GitLab client.
 */
#include <stdio.h>

#include "cli_gitlab.h"
#include "hooks.h"

/*
 * The gate policy's freeze windows hold for promotion too: a release
 * manager should not open a prd MR that the gate would refuse to apply.
 */
int promote_hook_frozen(const char *env, time_t now, char *reason, size_t n, void *payload)
{
	const platci_config *cfg = payload;
	const char *gates = platci_config_policies(cfg)->gates;
	platci_gate_policy *policy = NULL;
	platci_buf path = PLATCI_BUF_INIT;
	int rc;

	if (n)
		reason[0] = '\0';
	if (!gates)
		return 0;
	if (platci_buf_printf(&path, "%s/%s", platci_config_root(cfg), gates) < 0) {
		rc = PLATCI_ENOMEM;
		goto done;
	}
	if ((rc = platci_gate_policy_load(&policy, path.ptr, cfg, NULL)) < 0)
		goto done;
	rc = platci_gate_policy_frozen(policy, env, now, reason, n);
done:
	platci_gate_policy_free(policy);
	platci_buf_dispose(&path);
	return rc;
}

/*
 * Ready on its current revision: every Kustomization and HelmRelease in the
 * source cluster is Ready on its latest generation and not suspended, and
 * each Kustomization applied the revision its source now serves.
 */
static int flux_ready(const char *env, char *reason, size_t n, void *payload)
{
	const platci_flux_status *st = payload;

	(void)env;
	for (size_t i = 0; i < platci_flux_status_count(st); i++) {
		const platci_flux_object *o = platci_flux_status_at(st, i);
		const platci_flux_object *src;

		if (o->kind != PLATCI_FLUX_KUSTOMIZATION && o->kind != PLATCI_FLUX_HELMRELEASE)
			continue;
		if (o->suspended || !platci_flux_object_is_ready(o)) {
			snprintf(reason, n, "%s/%s/%s is %s", o->kind_name, o->namespace_ ? o->namespace_ : "-",
				o->name, o->suspended ? "suspended" : "not Ready on its latest generation");
			return 0;
		}
		if (o->kind != PLATCI_FLUX_KUSTOMIZATION || !o->source.name || !o->last_applied_revision)
			continue;
		src = platci_flux_status_find(st, platci_flux_kind_parse(o->source.kind), o->source.namespace_,
			o->source.name);
		if (src && src->artifact_revision &&
		    !platci_flux_revision_same(o->last_applied_revision, src->artifact_revision)) {
			snprintf(reason, n, "%s/%s/%s applied %s but its source serves %s", o->kind_name,
				o->namespace_ ? o->namespace_ : "-", o->name, o->last_applied_revision,
				src->artifact_revision);
			return 0;
		}
	}
	return 1;
}

int promote_hook_flux_prepare(cli *c, const char *file, platci_promote_ready_fn *fn,
	void **payload)
{
	platci_flux_status *st = NULL;
	platci_diag *diag = NULL;
	int error, code = 0;

	*fn = NULL;
	*payload = NULL;
	if (!platci_fs_exists(file)) {
		cli_error(c, "--flux-status: %s does not exist", file);
		return CLI_EXIT_NOINPUT;
	}
	if (platci_diag_new(&diag) < 0 || platci_flux_status_new(&st, NULL) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = platci_flux_status_read_file(st, file, diag)) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "--flux-status: cannot use %s: %s", file, platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	*fn = flux_ready;
	*payload = st;
	st = NULL;
done:
	platci_flux_status_free(st);
	platci_diag_free(diag);
	return code;
}

void promote_hook_flux_dispose(void *payload)
{
	platci_flux_status_free(payload);
}

int promote_hook_open_mr(cli *c, const char *source_branch, const char *target_branch,
	const char *title, const char *description)
{
	platci_gitlab *gl = NULL;
	platci_buf url = PLATCI_BUF_INIT;
	int error, code = 0;

	/* The MR is what --open-mr was asked for: a missing token is an error, not a warning. */
	if ((code = cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE, "open the promotion merge request",
		     0)) != 0)
		goto done;
	if ((error = platci_gitlab_mr_ensure(gl, source_branch, target_branch, title, description,
		     &url)) < 0) {
		cli_error(c, "--open-mr: %s", platci_gitlab_last_error(gl) ? platci_gitlab_last_error(gl)
									 : platci_strerror(error));
		code = error == PLATCI_EINVALID ? CLI_EXIT_USAGE : CLI_EXIT_UNAVAILABLE;
		goto done;
	}
	printf("merge request: %s\n", url.ptr);
done:
	platci_buf_dispose(&url);
	platci_gitlab_free(gl);
	return code;
}
