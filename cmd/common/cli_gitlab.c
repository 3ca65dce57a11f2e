#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_gitlab.h"

#define SUMMARY_MAX (16u << 20)

static const char *env_or_null(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *v = env_or_null(name);
	char *end;
	unsigned long n;

	if (!v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end ? dflt : n;
}

unsigned long cli_gitlab_mr_iid(void)
{
	return env_ulong("CI_MERGE_REQUEST_IID", 0);
}

static void on_log(platci_gitlab_log_level level, const char *message, void *payload)
{
	const cli *c = payload;

	if (level == PLATCI_GITLAB_LOG_WARN)
		cli_warn(c, "GitLab: %s", message);
	else if (level == PLATCI_GITLAB_LOG_INFO)
		cli_info(c, "%s: GitLab: %s", c->prog, message);
	else if (env_or_null("PLATCI_GITLAB_DEBUG"))
		fprintf(stderr, "%s: debug: GitLab: %s\n", c->prog, message);
}

/*
 * A problem with GitLab: an error, or with @p soft a warning. With @p diag
 * (what the library reported) its diagnostics come first and say why.
 */
static void say(const cli *c, int soft, const platci_diag *diag, int error, const char *fmt, ...)
	PLATCI_PRINTF(5, 6);

static void say(const cli *c, int soft, const platci_diag *diag, int error, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (diag && soft)
		cli_fail_warn(c, diag, error, "%s", text);
	else if (diag)
		cli_fail(c, diag, error, "%s", text);
	else if (soft)
		cli_warn(c, "%s", text);
	else
		cli_error(c, "%s", text);
}

int cli_gitlab_open(cli *c, platci_gitlab **out, cli_gitlab_need need, const char *why, int soft)
{
	platci_gitlab_options o = PLATCI_GITLAB_OPTIONS_INIT;
	const char *private_token = env_or_null("PLATCI_GITLAB_TOKEN");
	const char *job_token = env_or_null("CI_JOB_TOKEN");
	const char *job_url = env_or_null("CI_JOB_URL");
	platci_diag *diag = NULL;
	char artifacts[2048];
	int error;

	*out = NULL;
	o.base_url = env_or_null("CI_API_V4_URL");
	o.project_id = env_or_null("CI_PROJECT_ID");
	if (!o.base_url || !o.project_id) {
		say(c, soft, NULL, 0,
			"cannot %s: %s is not set (GitLab CI sets it; outside CI export "
			"it, e.g. https://gitlab.example.com/api/v4 and the numeric project id)",
			why, !o.base_url ? "CI_API_V4_URL" : "CI_PROJECT_ID");
		return CLI_EXIT_UNAVAILABLE;
	}
	if (private_token) {
		o.token = private_token;
		o.token_kind = PLATCI_GITLAB_TOKEN_PRIVATE;
	} else if (job_token && need == CLI_GITLAB_READ) {
		o.token = job_token;
		o.token_kind = PLATCI_GITLAB_TOKEN_JOB;
	} else {
		say(c, soft, NULL, 0, "cannot %s: %s", why,
			job_token ? "CI_JOB_TOKEN may not post notes, read approvals or write issues and "
				    "merge requests; set PLATCI_GITLAB_TOKEN to a project access token with "
				    "the api scope (a masked, protected CI/CD variable)"
				  : "no token; set PLATCI_GITLAB_TOKEN to a project access token with the api "
				    "scope (a masked, protected CI/CD variable)");
		return CLI_EXIT_UNAVAILABLE;
	}
	o.mr_iid = cli_gitlab_mr_iid();
	o.ca_file = env_or_null("CI_SERVER_TLS_CA_FILE");
	if (!o.ca_file)
		o.ca_file = env_or_null("SSL_CERT_FILE");
	o.pipeline_source = env_or_null("CI_PIPELINE_SOURCE");
	if (job_url) {
		/* A relative reports folder is where the artifact lives; else the browser view. */
		if (c->reports[0] != '/')
			snprintf(artifacts, sizeof(artifacts), "%s/artifacts/file/%s/summary.md",
				job_url, c->reports);
		else
			snprintf(artifacts, sizeof(artifacts), "%s/artifacts/browse", job_url);
		o.artifacts_url = artifacts;
	}
	o.user_agent = c->prog;
	o.log = on_log;
	o.log_payload = c;
	o.max_retries = (unsigned int)env_ulong("PLATCI_GITLAB_RETRIES", 0);
	if (env_or_null("PLATCI_GITLAB_RETRIES") && o.max_retries == 0)
		o.max_retries = PLATCI_GITLAB_NO_RETRY;
	o.backoff_base_ms = env_ulong("PLATCI_GITLAB_BACKOFF_MS", 0);
	o.timeout_ms = (long)env_ulong("PLATCI_GITLAB_TIMEOUT_MS", 0);
	o.connect_timeout_ms = o.timeout_ms;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_gitlab_new(out, &o, diag)) < 0)
		say(c, soft, diag, error, "cannot %s with CI_API_V4_URL \"%s\"", why, o.base_url);
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_UNAVAILABLE : 0;
}

/* The first line when it is a platci marker, copied into @p out. */
static int first_line_marker(char *out, size_t size, const char *body)
{
	const char *eol;
	size_t n;

	while (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')
		body++;
	if (strncmp(body, "<!-- platci:", 12) != 0)
		return -1;
	eol = strchr(body, '\n');
	n = eol ? (size_t)(eol - body) : strlen(body);
	while (n && (body[n - 1] == '\r' || body[n - 1] == ' '))
		n--;
	if (n >= size)
		return -1;
	memcpy(out, body, n);
	out[n] = '\0';
	return 0;
}

int cli_gitlab_note(cli *c, const char *marker, const char *body, int soft, platci_gitlab_note_result *result)
{
	platci_gitlab *gl = NULL;
	platci_gitlab_note_result r = { PLATCI_GITLAB_NOOP, 0, 0, 0 };
	platci_diag *diag = NULL;
	unsigned long iid = cli_gitlab_mr_iid();
	char found[512];
	int code = 0, error;

	if (!marker) {
		if (first_line_marker(found, sizeof(found), body) < 0) {
			say(c, soft, NULL, 0,
				"the summary does not start with a <!-- platci:stage:env --> "
				"marker; pass --stage");
			code = CLI_EXIT_USAGE;
			goto done;
		}
		marker = found;
	}
	if (!iid) {
		say(c, soft, NULL, 0,
			"cannot post the MR note: CI_MERGE_REQUEST_IID is not set "
			"(not a merge request pipeline)");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	if ((code = cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE, "post the MR note", soft)) != 0)
		goto done;
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = platci_gitlab_sticky_note(gl, iid, marker, body, &r, diag)) < 0) {
		say(c, soft, diag, error, "GitLab unavailable, the MR note was not posted");
		code = error == PLATCI_EINVALID ? CLI_EXIT_USAGE : CLI_EXIT_UNAVAILABLE;
		goto done;
	}
	if (r.truncated)
		cli_warn(c, "the note was cut at GitLab's limit; it points to the artifacts");
done:
	if (result)
		*result = r;
	platci_diag_free(diag);
	platci_gitlab_free(gl);
	return code;
}

int cli_gitlab_publish_summary(cli *c, const char *reports_dir, int stage_exit_code)
{
	platci_buf body = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;

	if (!c->gitlab)
		return stage_exit_code;
	if (!cli_gitlab_mr_iid()) {
		cli_info(c, "%s: not a merge request pipeline: summary.md not posted as a note", c->prog);
		goto done;
	}
	platci_buf_printf(&path, "%s/summary.md", reports_dir ? reports_dir : c->reports);
	if (path.error || platci_fs_read(&body, path.ptr, SUMMARY_MAX, NULL) < 0) {
		cli_warn(c, "cannot read %s: the MR note was not posted", path.ptr);
		goto done;
	}
	/* The reports are written: whatever GitLab does now, the stage's result stands. */
	cli_gitlab_note(c, NULL, body.ptr, 1, NULL);
done:
	platci_buf_dispose(&body);
	platci_buf_dispose(&path);
	return stage_exit_code;
}

int cli_gitlab_facts(cli *c, const char *env, const char *previous_env, const char *commit_sha,
	json_t **facts)
{
	platci_gitlab *gl = NULL;
	platci_diag *diag = NULL;
	int code, error;

	*facts = NULL;
	if (!commit_sha)
		commit_sha = env_or_null("CI_COMMIT_SHA");
	if (!commit_sha) {
		cli_error(c, "the gate's facts need the commit: set CI_COMMIT_SHA");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE,
		     "read the gate's facts (approvals need it)", 0)) != 0)
		return code;
	if (platci_diag_new(&diag) < 0)
		code = CLI_EXIT_INTERNAL;
	else if ((error = platci_gitlab_fetch_facts(gl, env, previous_env, commit_sha, facts, diag)) < 0) {
		say(c, 0, diag, error, "GitLab unavailable, cannot read the gate's facts");
		code = error == PLATCI_EINVALID ? CLI_EXIT_USAGE : CLI_EXIT_UNAVAILABLE;
	}
	platci_diag_free(diag);
	platci_gitlab_free(gl);
	return code;
}

void cli_gitlab_issue(cli *c, const char *title, const char *label, const char *body, const char *close_comment)
{
	static const char *const done[] = { "unchanged", "opened", "updated", "unchanged", "closed",
		"reopened" };
	platci_gitlab_issue_result res;
	platci_gitlab *gl = NULL;
	platci_diag *diag = NULL;
	int error;

	if (cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE, "keep the drift issue", 1) != 0)
		return;
	if (platci_diag_new(&diag) < 0)
		goto done;
	error = platci_gitlab_issue_sync(gl, title, label, body, close_comment, &res, diag);
	if (error < 0)
		say(c, 1, diag, error, "could not update the issue \"%s\"", title);
	else if (res.action != PLATCI_GITLAB_NOOP)
		cli_info(c, "issue \"%s\": %s (#%lld)", title, done[res.action], res.iid);
done:
	platci_diag_free(diag);
	platci_gitlab_free(gl);
}

int cli_gitlab_mr(cli *c, const char *source_branch, const char *target_branch, const char *title,
	const char *description)
{
	platci_buf url = PLATCI_BUF_INIT;
	platci_gitlab *gl = NULL;
	platci_diag *diag = NULL;
	int error, code;

	/* The MR is what was asked for: a missing token is an error, not a warning. */
	if ((code = cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE, "open the merge request (--open-mr)", 0)) != 0)
		goto done;
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = platci_gitlab_mr_ensure(gl, source_branch, target_branch, title, description,
		     &url, diag)) < 0) {
		say(c, 0, diag, error, "--open-mr: the merge request %s -> %s was not opened",
			source_branch, target_branch);
		code = error == PLATCI_EINVALID ? CLI_EXIT_USAGE : CLI_EXIT_UNAVAILABLE;
		goto done;
	}
	printf("merge request: %s\n", url.ptr);
done:
	platci_buf_dispose(&url);
	platci_diag_free(diag);
	platci_gitlab_free(gl);
	return code;
}
