/*
 * Helpers that keep one GitLab object in line with a run's result: the
 * drift issue, the promotion merge request, and the facts a gate reads.
 */
#include <stdio.h>
#include <string.h>

#include "gitlab_private.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

#define FACTS_VERSION 1
#define FACTS_MAX_DEPLOYMENTS 20

/* GitLab trims descriptions; compare what a reader would see. */
static int same_text(const char *a, const char *b)
{
	size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0;

	while (na && (a[na - 1] == '\n' || a[na - 1] == ' ' || a[na - 1] == '\r'))
		na--;
	while (nb && (b[nb - 1] == '\n' || b[nb - 1] == ' ' || b[nb - 1] == '\r'))
		nb--;
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

int platci_gitlab__create_once(json_t **out, platci_gitlab *gl, platci_gitlab__create_fn create,
	platci_gitlab__find_fn find, void *payload)
{
	platci_buf why = PLATCI_BUF_INIT;
	json_t *obj = NULL;
	int error;

	*out = NULL;
	for (unsigned int attempt = 0;; attempt++) {
		error = create(&obj, gl, payload);
		/* Done, or GitLab said no (4xx: it did not act), or the request never left. */
		if (error != PLATCI_ENETWORK || gl->unsent)
			break;
		platci_buf_clear(&why);
		platci_buf_puts(&why, gl->error.ptr);
		platci_gitlab__log(gl, PLATCI_GITLAB_LOG_WARN,
			"%s; GitLab may have acted on it: looking "
			"for the object before creating it again",
			why.ptr);
		if ((error = find(&obj, gl, payload)) < 0 || obj)
			break;
		if (attempt >= gl->opts.max_retries) {
			error = platci_gitlab__fail(gl, PLATCI_ENETWORK,
				"%s (gave up after %u attempts)", why.ptr, attempt + 1);
			break;
		}
		platci_gitlab__wait(gl, platci_gitlab__backoff_ms(attempt, gl->opts.backoff_base_ms,
						gl->opts.backoff_max_ms, 0, &gl->rng));
	}
	if (error < 0) {
		json_decref(obj);
		obj = NULL;
	}
	*out = obj;
	platci_buf_dispose(&why);
	return error;
}

typedef struct issue_ctx {
	const char *title, *label, *body;
} issue_ctx;

static int issue_post(json_t **created, platci_gitlab *gl, void *payload)
{
	const issue_ctx *x = payload;
	return platci_gitlab_issue_create(created, gl, x->title, x->label, x->body, NULL);
}

/* The open issue with this title and label, if the lost answer was a success after all. */
static int issue_find(json_t **found, platci_gitlab *gl, void *payload)
{
	const issue_ctx *x = payload;
	json_t *list = NULL;
	int error;

	*found = NULL;
	if ((error = platci_gitlab_issues_find(&list, gl, x->title, x->label, NULL)) < 0)
		return error;
	if (json_array_size(list))
		*found = json_incref(json_array_get(list, 0));
	json_decref(list);
	return 0;
}

int platci_gitlab_issue_sync(platci_gitlab *gl, const char *title, const char *label, const char *body,
	const char *close_comment, platci_gitlab_issue_result *result, platci_diag *diag)
{
	platci_gitlab_issue_result r = { PLATCI_GITLAB_NOOP, 0, 0 };
	json_t *found = NULL, *created = NULL, *issue;
	issue_ctx ctx = { title, label, body };
	int error = 0;

	PLATCI_ASSERT_ARG(gl);
	if (!title || !*title || !label || !*label) {
		error = platci_gitlab__fail(gl, PLATCI_EINVALID, "an issue needs a title and a label");
		goto done;
	}
	if ((error = platci_gitlab_issues_find(&found, gl, title, label, NULL)) < 0)
		goto done;
	issue = json_array_get(found, 0);
	r.duplicates = json_array_size(found) > 1 ? json_array_size(found) - 1 : 0;
	if (issue)
		r.iid = (long long)json_integer_value(json_object_get(issue, "iid"));
	if (issue && r.iid <= 0) {
		error = platci_gitlab__fail(gl, PLATCI_EDATA, "issue \"%s\" has no iid", title);
		goto done;
	}
	if (!body) {
		if (issue) {
			if ((error = platci_gitlab_issue_close(gl, r.iid, close_comment, NULL)) < 0)
				goto done;
			r.action = PLATCI_GITLAB_CLOSED;
		}
	} else if (!issue) {
		json_t *closed = NULL;
		if ((error = platci_gitlab_issues_find_closed(&closed, gl, title, label, NULL)) < 0)
			goto done;
		r.iid = (long long)json_integer_value(json_object_get(json_array_get(closed, 0), "iid"));
		json_decref(closed);
		if (r.iid > 0) {
			if ((error = platci_gitlab_issue_reopen(NULL, gl, r.iid, body, NULL)) < 0)
				goto done;
			r.action = PLATCI_GITLAB_REOPENED;
		} else {
			if ((error = platci_gitlab__create_once(&created, gl, issue_post,
				     issue_find, &ctx)) < 0)
				goto done;
			r.iid = (long long)json_integer_value(json_object_get(created, "iid"));
			r.action = PLATCI_GITLAB_CREATED;
		}
	} else if (same_text(platci_json_str(issue, "description"), body)) {
		r.action = PLATCI_GITLAB_UNCHANGED;
	} else {
		if ((error = platci_gitlab_issue_update(NULL, gl, r.iid, body, NULL)) < 0)
			goto done;
		r.action = PLATCI_GITLAB_UPDATED;
	}
	platci_gitlab__log(gl, PLATCI_GITLAB_LOG_INFO, "issue \"%s\" [%s]: %s", title, label,
		r.action == PLATCI_GITLAB_CREATED     ? "created"
		: r.action == PLATCI_GITLAB_UPDATED   ? "updated"
		: r.action == PLATCI_GITLAB_UNCHANGED ? "unchanged"
		: r.action == PLATCI_GITLAB_CLOSED    ? "closed"
		: r.action == PLATCI_GITLAB_REOPENED  ? "reopened"
						      : "none open, nothing to report");
done:
	if (result)
		*result = r;
	json_decref(found);
	json_decref(created);
	return platci_gitlab__report(gl, diag, error);
}

typedef struct mr_ctx {
	const char *source, *target, *title, *description;
} mr_ctx;

static int mr_post(json_t **created, platci_gitlab *gl, void *payload)
{
	const mr_ctx *m = payload;
	return platci_gitlab_mr_create(created, gl, m->source, m->target, m->title, m->description, NULL);
}

static int mr_find(json_t **found, platci_gitlab *gl, void *payload)
{
	const mr_ctx *m = payload;
	json_t *list = NULL;
	int error;

	*found = NULL;
	if ((error = platci_gitlab_mrs_find(&list, gl, m->source, m->target, NULL)) < 0)
		return error;
	if (json_array_size(list))
		*found = json_incref(json_array_get(list, 0));
	json_decref(list);
	return 0;
}

int platci_gitlab_mr_ensure(platci_gitlab *gl, const char *source_branch, const char *target_branch,
	const char *title, const char *description, platci_buf *url, platci_diag *diag)
{
	mr_ctx ctx = { source_branch, target_branch, title, description };
	json_t *found = NULL, *created = NULL;
	const json_t *mr;
	const char *web;
	int error = 0;

	PLATCI_ASSERT_ARG(gl && url);
	if (!source_branch || !*source_branch || !target_branch || !*target_branch || !title) {
		error = platci_gitlab__fail(gl, PLATCI_EINVALID,
			"a merge request needs a source branch, a target branch and a title");
		goto done;
	}
	if ((error = mr_find(&found, gl, &ctx)) < 0)
		goto done;
	mr = found;
	if (!mr) {
		if ((error = platci_gitlab__create_once(&created, gl, mr_post, mr_find, &ctx)) < 0)
			goto done;
		mr = created;
	}
	web = platci_json_str(mr, "web_url");
	if (!web) {
		error = platci_gitlab__fail(gl, PLATCI_EDATA, "the merge request has no web_url");
		goto done;
	}
	platci_gitlab__log(gl, PLATCI_GITLAB_LOG_INFO, "merge request %s -> %s: %s %s",
		source_branch, target_branch, created ? "opened" : "reusing", web);
	error = platci_buf_puts(url, web);
done:
	json_decref(found);
	json_decref(created);
	return platci_gitlab__report(gl, diag, error);
}

/* The MR whose merge brought @p sha (the default-branch pipeline has no MR of its own). */
static int mr_for_commit(unsigned long *iid_out, platci_gitlab *gl, const char *sha)
{
	platci_buf path = PLATCI_BUF_INIT;
	json_t *list = NULL, *mr;
	size_t i;
	int error;

	*iid_out = 0;
	platci_buf_puts(&path, "/repository/commits/");
	platci_gitlab__escape(&path, sha);
	platci_buf_puts(&path, "/merge_requests");
	if ((error = path.error) < 0 ||
		(error = platci_gitlab_request(&list, gl, "GET", path.ptr, NULL, NULL)) < 0)
		goto done;
	/* A merged one first: an open MR that merely contains the commit has not been reviewed yet. */
	for (int pass = 0; pass < 2 && !*iid_out; pass++)
		json_array_foreach (list, i, mr) {
			const char *state = platci_json_str(mr, "state");
			if (state && strcmp(state, pass == 0 ? "merged" : "opened") == 0 &&
				json_is_integer(json_object_get(mr, "iid"))) {
				*iid_out = (unsigned long)json_integer_value(json_object_get(mr, "iid"));
				break;
			}
		}
done:
	json_decref(list);
	platci_buf_dispose(&path);
	return error == PLATCI_ENOTFOUND ? 0 : error;
}

static json_t *string_array(char **items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(items[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int mr_facts(json_t **out, platci_gitlab *gl, unsigned long iid)
{
	platci_gitlab_mr mr;
	json_t *approvals = NULL, *who = NULL, *a, *labels = NULL;
	size_t i;
	int error;

	*out = NULL;
	memset(&mr, 0, sizeof(mr));
	if ((error = platci_gitlab_mr_get(&mr, gl, iid, NULL)) < 0)
		goto done;
	if ((error = platci_gitlab_mr_approvals(&approvals, gl, iid, NULL)) < 0)
		goto done;
	PLATCI_CHECK_ALLOC(who = json_array());
	json_array_foreach (json_object_get(approvals, "approved_by"), i, a) {
		const char *name = platci_json_str(json_object_get(a, "user"), "username");
		if (name && json_array_append_new(who, json_string(name)) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	PLATCI_CHECK_ALLOC(labels = string_array(mr.labels, mr.label_count));
	*out = json_pack("{s:I, s:o, s:{s:I, s:o}}", "iid", (json_int_t)mr.iid, "labels", labels,
		"approvals", "count", (json_int_t)json_array_size(who), "approved_by", who);
	labels = who = NULL; /* now owned by *out, or freed by json_pack on failure */
	PLATCI_CHECK_ALLOC(*out);
done:
	platci_gitlab_mr_dispose(&mr);
	json_decref(approvals);
	json_decref(who);
	json_decref(labels);
	return error;
}

static int deployment_facts(json_t **out, platci_gitlab *gl, const char *env)
{
	json_t *list = NULL, *d, *item;
	size_t i;
	int error;

	PLATCI_CHECK_ALLOC(*out = json_array());
	if ((error = platci_gitlab_deployments(&list, gl, env, "success", FACTS_MAX_DEPLOYMENTS, NULL)) < 0)
		goto done;
	json_array_foreach (list, i, d) {
		const char *sha = platci_json_str(d, "sha"), *status = platci_json_str(d, "status");
		const char *fin = platci_json_str(d, "finished_at");
		if (!sha || !status)
			continue;
		item = json_pack("{s:s, s:s, s:o}", "sha", sha, "status", status, "finished_at",
			fin ? json_string(fin) : json_null());
		PLATCI_CHECK_ALLOC(item);
		if (json_array_append_new(*out, item) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
done:
	json_decref(list);
	if (error < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return error;
}

int platci_gitlab_fetch_facts(platci_gitlab *gl, const char *env, const char *previous_env,
	const char *commit_sha, json_t **facts, platci_diag *diag)
{
	json_t *f = NULL, *mr = NULL, *deps = NULL, *list = NULL;
	unsigned long iid;
	int error = 0;

	PLATCI_ASSERT_ARG(gl && facts);
	*facts = NULL;
	if (!commit_sha || !*commit_sha) {
		error = platci_gitlab__fail(gl, PLATCI_EINVALID, "gate facts need the commit SHA");
		goto done;
	}
	iid = gl->opts.mr_iid;
	if (!iid && (error = mr_for_commit(&iid, gl, commit_sha)) < 0)
		goto done;
	if (iid && (error = mr_facts(&mr, gl, iid)) < 0)
		goto done;
	PLATCI_CHECK_ALLOC(deps = json_object());
	if (previous_env) {
		if ((error = deployment_facts(&list, gl, previous_env)) < 0)
			goto done;
		if (json_object_set_new(deps, previous_env, list) < 0) {
			list = NULL;
			error = PLATCI_ENOMEM;
			goto done;
		}
		list = NULL;
	}
	f = json_pack("{s:i, s:s, s:o, s:o, s:o}", "version", FACTS_VERSION, "commit_sha", commit_sha,
		"pipeline_source", gl->pipeline_source ? json_string(gl->pipeline_source) : json_null(),
		"merge_request", mr ? mr : json_null(), "deployments", deps);
	mr = deps = NULL; /* owned by f, or released by json_pack on failure */
	PLATCI_CHECK_ALLOC(f);
	platci_gitlab__log(gl, PLATCI_GITLAB_LOG_INFO, "facts for %s: MR %lu, deployments of %s read",
		env ? env : "(no env)", iid, previous_env ? previous_env : "(none)");
	*facts = f;
	f = NULL;
done:
	json_decref(f);
	json_decref(mr);
	json_decref(deps);
	json_decref(list);
	return platci_gitlab__report(gl, diag, error);
}
