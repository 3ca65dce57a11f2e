/* Shared by the drift unit tests: run drift over in-memory inputs. */
#ifndef DRIFT_TEST_HELPERS_H
#define DRIFT_TEST_HELPERS_H

#include "test_helpers.h"

typedef struct drift_case {
	char *dir;
	char *plan;
	char *flux;
	platci_drift_policy *policy;
	platci_findings *findings;
	platci_diag *diag;
	platci_drift *drift;
	int rc;
} drift_case;

/* Writes the inputs (NULL: not given), loads the policy text (NULL: none) and runs drift. */
void dc_run(drift_case *c, const char *plan_json, const char *flux_json, const char *policy_yaml,
	time_t now, const platci_drift_options *extra);
void dc_dispose(drift_case *c);
/* The first item with @p category and @p identity, or NULL. */
const platci_drift_item *dc_find(const drift_case *c, const char *category, const char *identity);
/* Everything the run wrote (json, markdown, junit, findings) concatenated. */
char *dc_render_all(const drift_case *c);

#endif
