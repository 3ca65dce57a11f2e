/* The GitLab endpoints platci calls, one function each, in GitLab's documented shapes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gitlab_private.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

/* Builds a project path: literal text with %s replaced by escaped arguments. */
static int path_of(platci_buf *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			platci_gitlab__escape(out, va_arg(ap, const char *));
			p++;
		} else {
			platci_buf_putc(out, *p);
		}
	}
	va_end(ap);
	return out->error;
}

static char *dup_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? platci__strdup(json_string_value(v)) : NULL;
}

/* The tail of an endpoint that lists @p path: every page, @p path disposed of, reported. */
static int list_at(json_t **out, platci_gitlab *gl, platci_buf *path, platci_diag *diag)
{
	int error = path->error ? path->error : platci_gitlab_get_all(out, gl, path->ptr, NULL);

	platci_buf_dispose(path);
	return platci_gitlab__report(gl, diag, error);
}

#define MERGE_STATUS_POLLS 5u

static int merge_status_pending(const char *status)
{
	static const char *const pending[] = { "checking", "unchecked", "preparing", "approvals_syncing" };

	for (size_t i = 0; status && i < PLATCI_ARRAY_SIZE(pending); i++)
		if (strcmp(status, pending[i]) == 0)
			return 1;
	return 0;
}

void platci_gitlab_mr_dispose(platci_gitlab_mr *mr)
{
	if (!mr)
		return;
	free(mr->state);
	free(mr->sha);
	free(mr->base_sha);
	free(mr->head_sha);
	free(mr->start_sha);
	free(mr->detailed_merge_status);
	free(mr->source_branch);
	free(mr->target_branch);
	free(mr->web_url);
	for (size_t i = 0; mr->labels && i < mr->label_count; i++)
		free(mr->labels[i]);
	free(mr->labels);
	memset(mr, 0, sizeof(*mr));
}

int platci_gitlab_mr_get(platci_gitlab_mr *out, platci_gitlab *gl, unsigned long iid, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	json_t *doc = NULL, *labels, *refs, *v;
	size_t i;
	int error = 0;

	PLATCI_ASSERT_ARG(out && gl && iid);
	memset(out, 0, sizeof(*out));
	out->diverged_commits_count = -1;
	platci_buf_printf(&path, "/merge_requests/%lu?include_diverged_commits_count=true", iid);
	if ((error = path.error) < 0)
		goto done;
	for (unsigned int poll = 0;; poll++) {
		if ((error = platci_gitlab_request(&doc, gl, "GET", path.ptr, NULL, NULL)) < 0)
			goto done;
		if (!json_is_object(doc) || !json_is_integer(json_object_get(doc, "iid"))) {
			error = platci_gitlab__fail(gl, PLATCI_EDATA, "GET %s: not a merge request",
				path.ptr);
			goto done;
		}
		/* GitLab computes mergeability asynchronously: ask again while it is still working. */
		if (poll >= MERGE_STATUS_POLLS ||
			!merge_status_pending(platci_json_str(doc, "detailed_merge_status")))
			break;
		json_decref(doc);
		doc = NULL;
		platci_gitlab__wait(gl, platci_gitlab__backoff_ms(poll, gl->opts.backoff_base_ms,
						gl->opts.backoff_max_ms, 0, &gl->rng));
	}
	out->iid = (unsigned long)json_integer_value(json_object_get(doc, "iid"));
	out->state = dup_str(doc, "state");
	out->sha = dup_str(doc, "sha");
	out->detailed_merge_status = dup_str(doc, "detailed_merge_status");
	out->source_branch = dup_str(doc, "source_branch");
	out->target_branch = dup_str(doc, "target_branch");
	out->web_url = dup_str(doc, "web_url");
	refs = json_object_get(doc, "diff_refs");
	if (json_is_object(refs)) {
		out->base_sha = dup_str(refs, "base_sha");
		out->head_sha = dup_str(refs, "head_sha");
		out->start_sha = dup_str(refs, "start_sha");
	}
	v = json_object_get(doc, "diverged_commits_count");
	if (json_is_integer(v))
		out->diverged_commits_count = (long)json_integer_value(v);
	out->has_conflicts = json_is_true(json_object_get(doc, "has_conflicts"));
	labels = json_object_get(doc, "labels");
	PLATCI_CHECK_ALLOC(out->labels = calloc(json_array_size(labels) + 1, sizeof(char *)));
	json_array_foreach (labels, i, v) {
		/* Plain names, or objects with with_labels_details=true. */
		const char *name = json_is_string(v) ? json_string_value(v) : platci_json_str(v, "name");
		if (name)
			PLATCI_CHECK_ALLOC(out->labels[out->label_count++] = platci__strdup(name));
	}
done:
	json_decref(doc);
	platci_buf_dispose(&path);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_mr_approvals(json_t **out, platci_gitlab *gl, unsigned long iid, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(out && gl && iid);
	*out = NULL;
	platci_buf_printf(&path, "/merge_requests/%lu/approvals", iid);
	error = path.error ? path.error : platci_gitlab_request(out, gl, "GET", path.ptr, NULL, NULL);
	if (!error && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		error = platci_gitlab__fail(gl, PLATCI_EDATA, "GET %s: not an approvals object", path.ptr);
	}
	platci_buf_dispose(&path);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_notes_list(json_t **out, platci_gitlab *gl, unsigned long iid, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	PLATCI_ASSERT_ARG(out && gl && iid);
	*out = NULL;
	platci_buf_printf(&path, "/merge_requests/%lu/notes?sort=asc&order_by=created_at", iid);
	return list_at(out, gl, &path, diag);
}

/* Sends {key: value} and keeps the answer in @p out when wanted. */
static int send_one(json_t **out, platci_gitlab *gl, const char *method, const char *path, json_t *body)
{
	json_t *reply = NULL;
	int error;

	if (!body)
		return PLATCI_ENOMEM;
	error = platci_gitlab_request(&reply, gl, method, path, body, NULL);
	json_decref(body);
	if (out)
		*out = reply;
	else
		json_decref(reply);
	return error;
}

/* The tail of an endpoint that sends @p body (owned) to @p path: sent, @p path disposed of, reported. */
static int send_at(json_t **out, platci_gitlab *gl, const char *method, platci_buf *path,
	json_t *body, platci_diag *diag)
{
	int error = path->error;

	if (error)
		json_decref(body);
	else
		error = send_one(out, gl, method, path->ptr, body);
	platci_buf_dispose(path);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_note_create(json_t **out, platci_gitlab *gl, unsigned long iid, const char *body,
	platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && iid && body);
	platci_buf_printf(&path, "/merge_requests/%lu/notes", iid);
	return send_at(out, gl, "POST", &path, json_pack("{s:s}", "body", body), diag);
}

int platci_gitlab_note_update(json_t **out, platci_gitlab *gl, unsigned long iid, long long note_id,
	const char *body, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && iid && note_id > 0 && body);
	platci_buf_printf(&path, "/merge_requests/%lu/notes/%lld", iid, note_id);
	return send_at(out, gl, "PUT", &path, json_pack("{s:s}", "body", body), diag);
}

int platci_gitlab_deployments(json_t **out, platci_gitlab *gl, const char *env, const char *status,
	size_t max, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(out && gl && env);
	*out = NULL;
	path_of(&path, "/deployments?environment=%s", env);
	/* GitLab orders by finished_at only together with status=success. */
	if (status && strcmp(status, "success") == 0)
		platci_buf_puts(&path, "&status=success&order_by=finished_at&sort=desc");
	else if (status)
		path_of(&path, "&status=%s&order_by=id&sort=desc", status);
	else
		platci_buf_puts(&path, "&order_by=id&sort=desc");
	platci_buf_printf(&path, "&per_page=%zu", max && max < 100 ? max : (size_t)gl->opts.per_page);
	if ((error = path.error) < 0 ||
		(error = platci_gitlab_request(out, gl, "GET", path.ptr, NULL, NULL)) < 0)
		goto done;
	if (!json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		error = platci_gitlab__fail(gl, PLATCI_EDATA, "GET %s: expected a list from GitLab",
			path.ptr);
	}
done:
	platci_buf_dispose(&path);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_environments(json_t **out, platci_gitlab *gl, const char *name, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	PLATCI_ASSERT_ARG(out && gl);
	*out = NULL;
	if (name)
		path_of(&path, "/environments?name=%s", name);
	else
		platci_buf_puts(&path, "/environments");
	return list_at(out, gl, &path, diag);
}

/* Issues in @p state with @p label and exactly @p title, in @p order. */
static int issues_in_state(json_t **out, platci_gitlab *gl, const char *title, const char *label,
	const char *state, const char *order)
{
	platci_buf path = PLATCI_BUF_INIT;
	json_t *all = NULL, *mine = NULL, *v;
	size_t i;
	int error = 0;

	PLATCI_ASSERT_ARG(out && gl && title && label);
	*out = NULL;
	path_of(&path, "/issues?state=%s&labels=%s&search=%s&in=title", state, label, title);
	platci_buf_puts(&path, order);
	if ((error = path.error) < 0 || (error = platci_gitlab_get_all(&all, gl, path.ptr, NULL)) < 0)
		goto done;
	PLATCI_CHECK_ALLOC(mine = json_array());
	/* GitLab's search matches words, not whole titles: keep exact matches only. */
	json_array_foreach (all, i, v) {
		const char *t = platci_json_str(v, "title");
		if (t && strcmp(t, title) == 0 && json_array_append(mine, v) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	*out = mine;
	mine = NULL;
done:
	json_decref(all);
	json_decref(mine);
	platci_buf_dispose(&path);
	return error;
}

int platci_gitlab_issues_find(json_t **out, platci_gitlab *gl, const char *title, const char *label,
	platci_diag *diag)
{
	return platci_gitlab__report(gl, diag,
		issues_in_state(out, gl, title, label, "opened", "&order_by=created_at&sort=asc"));
}

int platci_gitlab_issues_find_closed(json_t **out, platci_gitlab *gl, const char *title,
	const char *label, platci_diag *diag)
{
	return platci_gitlab__report(gl, diag,
		issues_in_state(out, gl, title, label, "closed", "&order_by=updated_at&sort=desc"));
}

/* Edits issue @p iid as @p body (owned) says. */
static int issue_put(json_t **out, platci_gitlab *gl, long long iid, json_t *body, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	platci_buf_printf(&path, "/issues/%lld", iid);
	return send_at(out, gl, "PUT", &path, body, diag);
}

int platci_gitlab_issue_reopen(json_t **out, platci_gitlab *gl, long long iid,
	const char *description, platci_diag *diag)
{
	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && iid > 0 && description);
	return issue_put(out, gl, iid,
		json_pack("{s:s, s:s}", "state_event", "reopen", "description", description), diag);
}

int platci_gitlab_issue_create(json_t **out, platci_gitlab *gl, const char *title,
	const char *label, const char *description, platci_diag *diag)
{
	json_t *body;

	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && title);
	body = json_pack("{s:s, s:s}", "title", title, "description", description ? description : "");
	if (body && label && json_object_set_new(body, "labels", json_string(label)) < 0) {
		json_decref(body);
		body = NULL;
	}
	return platci_gitlab__report(gl, diag, send_one(out, gl, "POST", "/issues", body));
}

int platci_gitlab_issue_update(json_t **out, platci_gitlab *gl, long long iid,
	const char *description, platci_diag *diag)
{
	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && iid > 0 && description);
	return issue_put(out, gl, iid, json_pack("{s:s}", "description", description), diag);
}

typedef struct comment_ctx {
	const char *path, *body;
} comment_ctx;

static int comment_post(json_t **created, platci_gitlab *gl, void *payload)
{
	const comment_ctx *c = payload;
	return send_one(created, gl, "POST", c->path, json_pack("{s:s}", "body", c->body));
}

/* The same comment, when a lost answer hid that it was posted. */
static int comment_find(json_t **found, platci_gitlab *gl, void *payload)
{
	const comment_ctx *c = payload;
	json_t *notes = NULL, *n;
	size_t i;
	int error;

	*found = NULL;
	if ((error = platci_gitlab_get_all(&notes, gl, c->path, NULL)) < 0)
		return error;
	json_array_foreach (notes, i, n) {
		const char *body = platci_json_str(n, "body");
		if (!json_is_true(json_object_get(n, "system")) && body && strcmp(body, c->body) == 0) {
			*found = json_incref(n);
			break;
		}
	}
	json_decref(notes);
	return 0;
}

int platci_gitlab_issue_close(platci_gitlab *gl, long long iid, const char *comment, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	json_t *posted = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(gl && iid > 0);
	if (comment) {
		comment_ctx ctx;
		platci_buf_printf(&path, "/issues/%lld/notes", iid);
		ctx.path = path.ptr;
		ctx.body = comment;
		if ((error = path.error) < 0 || (error = platci_gitlab__create_once(&posted, gl,
							 comment_post, comment_find, &ctx)) < 0)
			goto done;
		platci_buf_clear(&path);
	}
	platci_buf_printf(&path, "/issues/%lld", iid);
	error = path.error ? path.error
			   : send_one(NULL, gl, "PUT", path.ptr,
				     json_pack("{s:s}", "state_event", "close"));
done:
	json_decref(posted);
	platci_buf_dispose(&path);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_mrs_find(json_t **out, platci_gitlab *gl, const char *source_branch,
	const char *target_branch, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;

	PLATCI_ASSERT_ARG(out && gl && source_branch && target_branch);
	*out = NULL;
	path_of(&path, "/merge_requests?state=opened&source_branch=%s&target_branch=%s",
		source_branch, target_branch);
	return list_at(out, gl, &path, diag);
}

int platci_gitlab_mr_create(json_t **out, platci_gitlab *gl, const char *source_branch,
	const char *target_branch, const char *title, const char *description, platci_diag *diag)
{
	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && source_branch && target_branch && title);
	return platci_gitlab__report(gl, diag,
		send_one(out, gl, "POST", "/merge_requests",
			json_pack("{s:s, s:s, s:s, s:s, s:b}", "source_branch", source_branch,
				"target_branch", target_branch, "title", title, "description",
				description ? description : "", "remove_source_branch", 1)));
}
