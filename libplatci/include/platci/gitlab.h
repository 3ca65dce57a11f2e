/**
 * @file platci/gitlab.h
 * @brief GitLab REST API (v4) client: merge requests, notes, approvals,
 * deployments, issues, environments, and the sticky-note, issue-sync,
 * MR-ensure and gate-facts helpers the runners share.
 *
 * Transport is libcurl, documents are jansson values in GitLab's own
 * documented shapes. The client:
 *
 * - always verifies TLS (a CA bundle may be given; verification cannot be
 *   turned off) and refuses plain `http://` except to a loopback host, so a
 *   token never crosses a network in clear text;
 * - never follows redirects (custom token headers would follow them to
 *   another host);
 * - retries 429 (honouring Retry-After), 5xx, timeouts and connection
 *   errors with exponential backoff and jitter, a bounded number of times;
 * - sends a POST again only when it never reached GitLab (the host did
 *   not resolve, the connection was refused) or on 429. A proxy answers
 *   502 or 504 after GitLab has already acted, so after any other failure
 *   of a POST (5xx, a timeout, a lost or garbled answer) the helpers that
 *   create an object (the sticky note, the drift issue and its closing
 *   comment, the promotion merge request) look it up again by its marker,
 *   title or branches and create it anew only when it is not there: a
 *   retry never makes a second note;
 * - follows pagination through `Link: <...>; rel="next"` (only to URLs
 *   under the configured base URL) or `X-Next-Page`;
 * - never puts the token into a log message or an error text, at any
 *   level (messages are also scrubbed of it before they leave).
 *
 * The library does not read the environment: executables map GitLab's CI
 * variables (`CI_API_V4_URL`, `CI_PROJECT_ID`, ...) into the options.
 * Proxies from `https_proxy`/`no_proxy` apply because that is libcurl's
 * default behaviour.
 *
 * Failures are reported the way the rest of the library reports them: a
 * negative PLATCI_E* code, and one diagnostic (source "GitLab": method,
 * path, status, attempts, GitLab's message; never the token) added to the
 * caller's `platci_diag *` (NULL: not collected). Calls the module makes
 * to itself report nothing, so a failure is reported once.
 *
 * A client is not thread-safe; use one per thread.
 */
#ifndef PLATCI_GITLAB_H
#define PLATCI_GITLAB_H

#include <jansson.h>
#include "buf.h"
#include "diag.h"

/** GitLab's limit on one note body, in characters. */
#define PLATCI_GITLAB_NOTE_LIMIT 1000000

/** How the token is sent. */
typedef enum {
	PLATCI_GITLAB_TOKEN_PRIVATE = 0, /**< `PRIVATE-TOKEN:` (project, group or personal access token) */
	PLATCI_GITLAB_TOKEN_JOB = 1 /**< `JOB-TOKEN:` (CI_JOB_TOKEN; cannot post notes or read approvals) */
} platci_gitlab_token_kind;

/** Levels of the log callback. */
typedef enum {
	PLATCI_GITLAB_LOG_DEBUG = 0, /**< every request and its status */
	PLATCI_GITLAB_LOG_INFO = 1, /**< what a helper decided (note created, issue closed...) */
	PLATCI_GITLAB_LOG_WARN = 2 /**< a retry, an ignored pagination link */
} platci_gitlab_log_level;

/**
 * Receives one line of log. @p message never contains the token; it is
 * borrowed for the duration of the call.
 */
typedef void (*platci_gitlab_log_cb)(platci_gitlab_log_level level, const char *message, void *payload);

/** Waits @p ms milliseconds between retries. Tests inject one that records instead. */
typedef void (*platci_gitlab_sleep_cb)(unsigned long ms, void *payload);

typedef struct platci_gitlab_options {
	unsigned int version; /**< PLATCI_GITLAB_OPTIONS_VERSION */
	const char *base_url; /**< API root, e.g. `https://gitlab.example.com/api/v4` (CI_API_V4_URL); required */
	const char *project_id; /**< numeric id or `group/project` path (CI_PROJECT_ID); required */
	unsigned long mr_iid; /**< the merge request (CI_MERGE_REQUEST_IID); 0 when none */
	const char *token; /**< may be NULL for anonymous reads; copied */
	platci_gitlab_token_kind token_kind;
	const char *ca_file; /**< CA bundle (CI_SERVER_TLS_CA_FILE / SSL_CERT_FILE), or NULL for the system's */
	long connect_timeout_ms; /**< default 10,000 */
	long timeout_ms; /**< whole request, default 30,000 */
	unsigned int max_retries; /**< retries after the first attempt; default 4; PLATCI_GITLAB_NO_RETRY for none */
	unsigned long backoff_base_ms; /**< first delay before jitter, doubled each retry; default 1,000 */
	unsigned long backoff_max_ms; /**< cap of one delay; default 30,000 */
	unsigned long max_retry_after_ms; /**< a longer Retry-After gives up at once; default 120,000 */
	platci_gitlab_sleep_cb sleep; /**< NULL: nanosleep */
	void *sleep_payload;
	unsigned long jitter_seed; /**< 0: seeded from the clock; tests fix it */
	const char *user_agent; /**< appended to `platci/<version>`, e.g. the executable's name; or NULL */
	platci_gitlab_log_cb log; /**< NULL: no log */
	void *log_payload;
	const char *pipeline_source; /**< CI_PIPELINE_SOURCE, copied into the gate facts */
	const char *artifacts_url; /**< where a cut note points (e.g. CI_JOB_URL + "/artifacts/browse"), or NULL */
	size_t max_response; /**< cap on one response body; default 32 MiB */
	unsigned int max_pages; /**< cap on pages of one list; default 50 */
	unsigned int per_page; /**< default 100 (GitLab's maximum) */
	size_t note_limit; /**< cap on a note body in bytes; default PLATCI_GITLAB_NOTE_LIMIT */
} platci_gitlab_options;

#define PLATCI_GITLAB_OPTIONS_VERSION 1
#define PLATCI_GITLAB_NO_RETRY ((unsigned int)-1)
#define PLATCI_GITLAB_OPTIONS_INIT \
	{ \
		PLATCI_GITLAB_OPTIONS_VERSION, NULL, NULL, 0, NULL, PLATCI_GITLAB_TOKEN_PRIVATE, NULL, \
			0, 0, 0, 0, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 \
	}

/** A client bound to one project. */
typedef struct platci_gitlab platci_gitlab;

/** A merge request, the parts gates and plans use. Strings are owned; see platci_gitlab_mr_dispose(). */
typedef struct platci_gitlab_mr {
	unsigned long iid;
	char *state; /**< opened, merged, closed, locked */
	char *sha; /**< head commit */
	char *base_sha, *head_sha, *start_sha; /**< diff_refs */
	char *detailed_merge_status; /**< e.g. "mergeable", "not_approved", "checking"; NULL on old GitLab */
	long diverged_commits_count; /**< -1 when GitLab did not say */
	int has_conflicts;
	char *source_branch, *target_branch, *web_url;
	char **labels; /**< NULL-terminated */
	size_t label_count;
} platci_gitlab_mr;

/** What platci_gitlab_sticky_note() and platci_gitlab_issue_sync() did. */
typedef enum {
	PLATCI_GITLAB_NOOP = 0, /**< nothing to do (no issue open and nothing to report) */
	PLATCI_GITLAB_CREATED = 1,
	PLATCI_GITLAB_UPDATED = 2,
	PLATCI_GITLAB_UNCHANGED = 3, /**< found, same content: no write */
	PLATCI_GITLAB_CLOSED = 4,
	PLATCI_GITLAB_REOPENED = 5 /**< the last closed issue of the same title came back, history kept */
} platci_gitlab_action;

typedef struct platci_gitlab_note_result {
	platci_gitlab_action action;
	long long note_id;
	int truncated; /**< the body was cut at the note limit */
	size_t duplicates; /**< other notes carrying the same marker (left alone) */
} platci_gitlab_note_result;

typedef struct platci_gitlab_issue_result {
	platci_gitlab_action action;
	long long iid; /**< 0 when there is no issue */
	size_t duplicates; /**< other open issues with the same title and label (left alone) */
} platci_gitlab_issue_result;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID (unknown version). */
PLATCI_EXTERN(int) platci_gitlab_options_init(platci_gitlab_options *opts, unsigned int version);

/**
 * Creates a client. Strings in @p opts are copied; callbacks and payloads
 * are kept as given.
 *
 * @param[out] out the client; free with platci_gitlab_free()
 * @return 0; PLATCI_EINVALID (no base URL or project, a base URL that is
 *         not https (http only to a loopback host), unknown options
 *         version; said in @p diag); PLATCI_ENOMEM. *out is NULL on failure.
 */
PLATCI_EXTERN(int)
platci_gitlab_new(platci_gitlab **out, const platci_gitlab_options *opts, platci_diag *diag);

/** Frees the client, wiping its copy of the token. NULL is a no-op. */
PLATCI_EXTERN(void) platci_gitlab_free(platci_gitlab *gl);

/**
 * Number of HTTP attempts made since the client was created (retries
 * included). For tests and logs.
 */
PLATCI_EXTERN(unsigned long) platci_gitlab_attempts(const platci_gitlab *gl);

/* ---- Generic requests ------------------------------------------------ */

/**
 * One request to @p path under the project (`/projects/:id` + @p path; a
 * path starting with `//` is taken as relative to the API root instead).
 * @p body, when not NULL, is sent as JSON.
 *
 * @param[out] out the decoded response (a new reference; json null for an
 *             empty body), or NULL on failure; may itself be NULL
 * @return 0; PLATCI_ENETWORK (unreachable, timeouts, 429/5xx after the
 *         retries, malformed JSON); PLATCI_EAUTH (401/403); PLATCI_ENOTFOUND
 *         (404); PLATCI_ECONFLICT (409); PLATCI_EDATA (other 4xx);
 *         PLATCI_ELIMIT (response over max_response); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_gitlab_request(json_t **out, platci_gitlab *gl, const char *method, const char *path,
	const json_t *body, platci_diag *diag);

/**
 * GETs every page of the list at @p path (as in platci_gitlab_request()).
 *
 * @param[out] out one array with the items of all pages (new reference)
 * @return as platci_gitlab_request(), plus PLATCI_ELIMIT when there are more
 *         than max_pages pages and PLATCI_EDATA when a page is not an array.
 */
PLATCI_EXTERN(int)
platci_gitlab_get_all(json_t **out, platci_gitlab *gl, const char *path, platci_diag *diag);

/* ---- Operations ------------------------------------------------------ */

/**
 * Reads merge request @p iid with its diverged-commits count. While
 * GitLab is still computing mergeability (`checking`, `unchecked`,
 * `preparing`, `approvals_syncing`) it asks again, up to 5 times, waiting
 * as between retries; the last answer stands.
 * @param[out] out filled; release with platci_gitlab_mr_dispose() (also on failure)
 * @return 0 or a platci_gitlab_request() code; PLATCI_EDATA when the
 *         response is not a merge request.
 */
PLATCI_EXTERN(int)
platci_gitlab_mr_get(platci_gitlab_mr *out, platci_gitlab *gl, unsigned long iid, platci_diag *diag);

/** Frees the strings of @p mr and zeroes it. NULL is a no-op. */
PLATCI_EXTERN(void) platci_gitlab_mr_dispose(platci_gitlab_mr *mr);

/**
 * Approvals of MR @p iid: `GET .../approvals` as GitLab returns it
 * (`approved_by[].user.username`, `approvals_required`, `approvals_left`).
 * Needs a PRIVATE-TOKEN: a job token may not read approvals.
 */
PLATCI_EXTERN(int)
platci_gitlab_mr_approvals(json_t **out, platci_gitlab *gl, unsigned long iid, platci_diag *diag);

/** All notes of MR @p iid, oldest first (every page). */
PLATCI_EXTERN(int)
platci_gitlab_notes_list(json_t **out, platci_gitlab *gl, unsigned long iid, platci_diag *diag);

/** Creates a note on MR @p iid. @p out (may be NULL) gets the new note. */
PLATCI_EXTERN(int)
platci_gitlab_note_create(json_t **out, platci_gitlab *gl, unsigned long iid, const char *body,
	platci_diag *diag);

/** Replaces the body of note @p note_id on MR @p iid. @p out may be NULL. */
PLATCI_EXTERN(int)
platci_gitlab_note_update(json_t **out, platci_gitlab *gl, unsigned long iid, long long note_id,
	const char *body, platci_diag *diag);

/**
 * Deployments of environment @p env, newest finished first, at most
 * @p max (0: one page). @p status filters (e.g. "success"), NULL for all.
 */
PLATCI_EXTERN(int)
platci_gitlab_deployments(json_t **out, platci_gitlab *gl, const char *env, const char *status,
	size_t max, platci_diag *diag);

/** Environments of the project (every page), or only the one named @p name when not NULL. */
PLATCI_EXTERN(int)
platci_gitlab_environments(json_t **out, platci_gitlab *gl, const char *name, platci_diag *diag);

/**
 * Open issues that carry @p label and whose title is exactly @p title,
 * oldest first (an array, possibly empty).
 */
PLATCI_EXTERN(int)
platci_gitlab_issues_find(json_t **out, platci_gitlab *gl, const char *title, const char *label,
	platci_diag *diag);

/** Closed issues with @p label and exactly @p title, most recently updated first. */
PLATCI_EXTERN(int)
platci_gitlab_issues_find_closed(json_t **out, platci_gitlab *gl, const char *title,
	const char *label, platci_diag *diag);

/** Reopens issue @p iid with a new description. @p out may be NULL. */
PLATCI_EXTERN(int)
platci_gitlab_issue_reopen(json_t **out, platci_gitlab *gl, long long iid, const char *description,
	platci_diag *diag);

/** Creates an issue with one label (may be NULL). @p out may be NULL. */
PLATCI_EXTERN(int)
platci_gitlab_issue_create(json_t **out, platci_gitlab *gl, const char *title, const char *label,
	const char *description, platci_diag *diag);

/** Replaces the description of issue @p iid. @p out may be NULL. */
PLATCI_EXTERN(int)
platci_gitlab_issue_update(json_t **out, platci_gitlab *gl, long long iid, const char *description,
	platci_diag *diag);

/** Comments @p comment (when not NULL) on issue @p iid, then closes it. */
PLATCI_EXTERN(int)
platci_gitlab_issue_close(platci_gitlab *gl, long long iid, const char *comment, platci_diag *diag);

/** Open merge requests from @p source_branch into @p target_branch (an array). */
PLATCI_EXTERN(int)
platci_gitlab_mrs_find(json_t **out, platci_gitlab *gl, const char *source_branch,
	const char *target_branch, platci_diag *diag);

/** Opens a merge request (the source branch is removed on merge). @p out may be NULL. */
PLATCI_EXTERN(int)
platci_gitlab_mr_create(json_t **out, platci_gitlab *gl, const char *source_branch,
	const char *target_branch, const char *title, const char *description, platci_diag *diag);

/* ---- Helpers the runners share --------------------------------------- */

/**
 * Writes the sticky-note marker `<!-- platci:<stage>:<env> -->` (env
 * "all" when NULL) into @p out (appended). @return 0 or the buffer's error.
 */
PLATCI_EXTERN(int) platci_gitlab_marker(platci_buf *out, const char *stage, const char *env);

/**
 * Posts @p body as the one note on MR @p mr_iid that carries @p marker
 * (a `<!-- platci:... -->` line; the note starts with it).
 *
 * The note found by its marker is updated in place; with no such note one
 * is created; never a second one. When the content changed, the previous
 * result is kept under a collapsed `<details>` (one level: older results
 * are dropped). When nothing changed nothing is written. A body over the
 * note limit is cut at a line boundary with a pointer to the artifacts.
 *
 * @param[out] result what happened (may be NULL)
 * @return 0; PLATCI_EINVALID (a marker that is not a platci marker, MR 0);
 *         the platci_gitlab_request() codes.
 */
PLATCI_EXTERN(int)
platci_gitlab_sticky_note(platci_gitlab *gl, unsigned long mr_iid, const char *marker,
	const char *body, platci_gitlab_note_result *result, platci_diag *diag);

/**
 * Keeps one open issue per (@p title, @p label) in line with @p body:
 * when none is open, reopens the most recent closed one of that title and
 * label (its thread keeps the history) or creates one; updates the
 * description only when it changed,
 * and, when @p body is NULL (the problem is gone), comments
 * @p close_comment (may be NULL) and closes it.
 *
 * @param[out] result what happened (may be NULL)
 * @return 0, PLATCI_EINVALID (no title or label), or the request codes.
 */
PLATCI_EXTERN(int)
platci_gitlab_issue_sync(platci_gitlab *gl, const char *title, const char *label, const char *body,
	const char *close_comment, platci_gitlab_issue_result *result, platci_diag *diag);

/**
 * Reuses the open merge request from @p source_branch into
 * @p target_branch, or opens one. @p url gets its web URL (appended).
 * @return 0, PLATCI_EINVALID, or the request codes.
 */
PLATCI_EXTERN(int)
platci_gitlab_mr_ensure(platci_gitlab *gl, const char *source_branch, const char *target_branch,
	const char *title, const char *description, platci_buf *url, platci_diag *diag);

/**
 * Gathers the facts a gate decides on, in this shape (version 1):
 *
 *     {"version": 1, "commit_sha": "<sha>", "pipeline_source": "<opts>",
 *      "merge_request": {"iid": 12, "labels": [...],
 *                        "approvals": {"count": 2, "approved_by": ["alice"]}},
 *      "deployments": {"<previous_env>": [{"sha": "...", "status": "success",
 *                                         "finished_at": "RFC 3339"}]}}
 *
 * `merge_request` is the options' MR, else the MR that brought
 * @p commit_sha (GitLab's commit-to-MR lookup), else null. `deployments`
 * holds the previous environment's successful deployments, newest first
 * (at most 20); it is `{}` when @p previous_env is NULL. `pipeline_source`
 * is null when the options gave none.
 *
 * @param env the environment being gated (for the log)
 * @param[out] facts a new object; json_decref() it
 * @return 0, PLATCI_EINVALID (no commit), or the request codes.
 */
PLATCI_EXTERN(int)
platci_gitlab_fetch_facts(platci_gitlab *gl, const char *env, const char *previous_env,
	const char *commit_sha, json_t **facts, platci_diag *diag);

PLATCI_END_DECL

#endif
