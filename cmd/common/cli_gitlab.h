/*
 * The runners' side of GitLab: GitLab's CI variables mapped into client
 * options, the sticky MR note for summary.md, and the gate's facts.
 *
 * Variables read (the library reads none):
 *   CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA,
 *   CI_PIPELINE_SOURCE, CI_JOB_URL, PLATCI_GITLAB_TOKEN (sent as
 *   PRIVATE-TOKEN) or CI_JOB_TOKEN (JOB-TOKEN), CI_SERVER_TLS_CA_FILE or
 *   SSL_CERT_FILE; for tuning and tests PLATCI_GITLAB_RETRIES,
 *   PLATCI_GITLAB_BACKOFF_MS, PLATCI_GITLAB_TIMEOUT_MS and
 *   PLATCI_GITLAB_DEBUG=1 (log every request; never the token).
 */
#ifndef PLATCI_CLI_GITLAB_H
#define PLATCI_CLI_GITLAB_H

#include "cli.h"

/* What the caller needs the token for: a job token cannot do everything. */
typedef enum {
	CLI_GITLAB_READ = 0, /* deployments, environments, MR reads: CI_JOB_TOKEN will do */
	CLI_GITLAB_PRIVATE = 1 /* notes, approvals, issues, merge requests: PLATCI_GITLAB_TOKEN */
} cli_gitlab_need;

/*
 * A client configured from the environment. @p why finishes "cannot ..."
 * in the message printed when a variable is missing (e.g. "post the MR
 * note"). @p soft prints warnings instead of errors. Returns 0 or
 * CLI_EXIT_UNAVAILABLE (printed).
 */
int cli_gitlab_open(cli *c, platci_gitlab **out, cli_gitlab_need need, const char *why, int soft);

/* CI_MERGE_REQUEST_IID, or 0 when unset or not a number. */
unsigned long cli_gitlab_mr_iid(void);

/*
 * Posts @p body as the sticky note with @p marker (NULL: the body's first
 * line) on the pipeline's merge request. Returns 0, or an exit code
 * (printed): CLI_EXIT_USAGE (no marker, no MR), CLI_EXIT_UNAVAILABLE.
 * @p soft turns the messages into warnings.
 */
int cli_gitlab_note(cli *c, const char *marker, const char *body, int soft,
	platci_gitlab_note_result *result);

/*
 * After a stage has written its reports: posts @p reports_dir/summary.md
 * as the sticky note when c->gitlab is on and the pipeline is a merge
 * request's. GitLab is only a place to post here, so any problem is a
 * warning. Returns the exit code to use: @p stage_exit_code.
 */
int cli_gitlab_publish_summary(cli *c, const char *reports_dir, int stage_exit_code);

/*
 * The gate's facts from the API (see platci_gitlab_fetch_facts()).
 * @p commit_sha NULL takes CI_COMMIT_SHA. Returns 0 with *facts set (a new
 * reference), CLI_EXIT_USAGE (no commit), or CLI_EXIT_UNAVAILABLE when
 * GitLab cannot be asked (variables missing, down after retries).
 */
int cli_gitlab_facts(cli *c, const char *env, const char *previous_env, const char *commit_sha,
	json_t **facts);

/*
 * Keeps the one open issue @p title / @p label in line with @p body (NULL:
 * close it with @p close_comment). GitLab is only a place to post here:
 * every problem is a warning and the stage's result stands.
 */
void cli_gitlab_issue(cli *c, const char *title, const char *label, const char *body,
	const char *close_comment);

/*
 * Opens (or reuses) the merge request @p source_branch -> @p target_branch
 * and prints its URL. Returns 0, or an exit code (printed): 64 for what
 * GitLab calls invalid, 69 when GitLab cannot be asked.
 */
int cli_gitlab_mr(cli *c, const char *source_branch, const char *target_branch, const char *title,
	const char *description);

#endif
