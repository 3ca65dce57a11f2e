/*
 * The GitLab issue a drift run wants to exist: one per environment,
 * titled "Drift: <env>", labelled platci-drift. The body depends only on
 * the drift set (sorted identities, categories, attribute paths; no
 * values, no times), so an unchanged drift set gives a byte-identical
 * body and the sync makes no edit and posts no comment.
 */
#ifndef PLATCI_DRIFT_ISSUE_H
#define PLATCI_DRIFT_ISSUE_H

#include <platci.h>

#define DRIFT_ISSUE_LABEL "platci-drift"

typedef struct drift_issue_state {
	char *title;          /* "Drift: <env>" */
	const char *label;    /* DRIFT_ISSUE_LABEL */
	char *body;           /* NULL when there is no drift: the issue should be closed */
	char *close_comment;  /* posted once when an open issue is closed */
} drift_issue_state;

/*
 * Computes the desired state from @p d. @p pipeline_url (may be NULL)
 * goes into the closing comment only, never into the body.
 * Returns 0 or PLATCI_ENOMEM; dispose with drift_issue_state_dispose().
 */
int drift_issue_state_build(drift_issue_state *out, const platci_drift *d,
	const char *pipeline_url);

void drift_issue_state_dispose(drift_issue_state *s);

#endif
