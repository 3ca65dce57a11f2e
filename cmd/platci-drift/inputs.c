/* What platci-drift compares against: expected revisions and pending promotions. */
#include <stdlib.h>

#include "inputs.h"

/* --expect-revision, or in a scheduled pipeline the branch head the job runs on. */
int drift_expectations(cli *c, const cli_list *expect, platci_drift_expect **out, size_t *n)
{
	static platci_drift_expect ci;

	*n = 0;
	if (!expect->count && getenv("CI_COMMIT_SHA") && getenv("CI_COMMIT_BRANCH")) {
		ci.branch = getenv("CI_COMMIT_BRANCH");
		ci.sha = getenv("CI_COMMIT_SHA");
		/* Only sources that fetch this very project follow its branch head. */
		ci.repo = getenv("CI_PROJECT_PATH");
		*out = &ci;
		*n = 1;
		return 0;
	}
	if (expect->count && !(*out = calloc(expect->count, sizeof(**out))))
		return CLI_EXIT_INTERNAL;
	for (; *n < expect->count; (*n)++)
		if (platci_drift_expect_parse(&(*out)[*n], expect->items[*n]) < 0)
			return cli_usage_error(c,
				"--expect-revision: \"%s\" is not [BRANCH=]SHA "
				"(7 to 64 hex)",
				expect->items[*n]);
	return 0;
}

/* What waits to be promoted: --pending, else computed; a failure to compute is a warning. */
int drift_pending(cli *c, const platci_config *cfg, const platci_env *env, const char *pending_path,
	platci_drift_pending_set **out)
{
	platci_diag *diag = NULL;
	int error, code = 0;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if (pending_path) {
		if ((error = platci_drift_pending_load(out, pending_path, diag)) < 0)
			code = cli_fail(c, diag, error, "cannot read pending promotions %s", pending_path);
	} else if ((error = platci_drift_pending_from_versions(out, cfg, env->name, diag)) < 0) {
		/* Pending promotion is information, not drift: say so, once, and go on. */
		cli_fail_warn(c, diag, error, "cannot compare versions with %s", env->promote_from);
	}
	platci_diag_free(diag);
	return code;
}
