/* What platci-drift compares against: expected revisions and pending promotions. */
#ifndef PLATCI_DRIFT_INPUTS_H
#define PLATCI_DRIFT_INPUTS_H

#include "cli.h"

/*
 * The revisions GitRepositories should have fetched: each --expect-revision
 * (@p expect), else in a scheduled pipeline CI_COMMIT_BRANCH=CI_COMMIT_SHA
 * for sources that fetch CI_PROJECT_PATH. *out is allocated when @p expect
 * has items (free it), else static. Returns 0 or an exit code (printed).
 */
int drift_expectations(cli *c, const cli_list *expect, platci_drift_expect **out, size_t *n);

/*
 * What waits to be promoted into @p env: @p pending_path, else computed
 * from the version sets, where a failure is a warning (printed once) and
 * not the run's end. Returns 0 or an exit code (printed).
 */
int drift_pending(cli *c, const platci_config *cfg, const platci_env *env, const char *pending_path,
	platci_drift_pending_set **out);

#endif
