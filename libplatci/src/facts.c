/* Facts for the gate, from the one JSON shape every provider writes. */
#include <stdio.h>
#include <string.h>

#include "platci/facts.h"
#include "platci/json.h"
#include "platci/clock.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_facts {
	json_t *doc; /* validated copy */
};

static int bad(platci_diag *diag, const char *path, const char *what)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, NULL, 0, 0, 0, path, NULL };
	platci_diag_add(diag, &e, "facts: %s %s", path, what);
	return PLATCI_EDATA;
}

static int check_strings(const json_t *a, const char *path, platci_diag *diag)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return bad(diag, path, "must be a list of strings");
	json_array_foreach ((json_t *)a, i, v)
		if (!json_is_string(v))
			return bad(diag, path, "must be a list of strings");
	return 0;
}

/* GitLab writes null for what it does not know: null counts as absent. */
static json_t *opt(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

static int check_deployments(const json_t *deps, platci_diag *diag)
{
	const char *env;
	json_t *list, *d;
	size_t i;
	char path[300];
	static const char *const statuses[] = { "success", "failed", "running", "canceled",
		"created", "blocked", "skipped", NULL };

	if (!json_is_object(deps))
		return bad(diag, "deployments", "must be a mapping of environment to a list");
	json_object_foreach ((json_t *)deps, env, list) {
		snprintf(path, sizeof(path), "deployments.%s", env);
		if (!json_is_array(list))
			return bad(diag, path, "must be a list");
		json_array_foreach (list, i, d) {
			const char *st = json_string_value(opt(d, "status"));
			const char *fin = json_string_value(opt(d, "finished_at"));
			time_t t;
			int ok = 0;

			snprintf(path, sizeof(path), "deployments.%s[%zu]", env, i);
			if (!json_is_object(d) || !json_is_string(opt(d, "sha")))
				return bad(diag, path, "needs a string \"sha\"");
			for (size_t k = 0; st && statuses[k]; k++)
				ok |= strcmp(st, statuses[k]) == 0;
			if (!ok)
				return bad(diag, path,
					"needs \"status\": success, failed, running, "
					"canceled, created, blocked or skipped");
			if (opt(d, "finished_at") && !json_is_null(opt(d, "finished_at")) &&
				(!fin || platci_time_parse_rfc3339(&t, fin) < 0))
				return bad(diag, path, "has a \"finished_at\" that is not RFC 3339");
		}
	}
	return 0;
}

int platci_facts_from_json(platci_facts **out, const json_t *doc, platci_diag *diag)
{
	platci_facts *f = NULL;
	const json_t *v, *mr;
	int error = 0;

	PLATCI_ASSERT_ARG(out && doc);
	*out = NULL;
	if (!json_is_object(doc))
		return bad(diag, "(root)", "must be a JSON object");
	v = opt(doc, "version");
	if (!json_is_integer(v)) {
		return bad(diag, "version", "is required and must be 1");
	} else if (json_integer_value(v) != 1) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EVERSION, NULL, 0, 0, 0, "version", NULL };
		platci_diag_add(diag, &e, "facts: version %lld is not supported (this platci reads 1)",
			(long long)json_integer_value(v));
		return PLATCI_EVERSION;
	}
	if ((v = opt(doc, "commit_sha")) && !json_is_string(v))
		return bad(diag, "commit_sha", "must be a string");
	if ((v = opt(doc, "pipeline_source")) && !json_is_string(v))
		return bad(diag, "pipeline_source", "must be a string");
	if ((mr = opt(doc, "merge_request"))) {
		const json_t *ap;
		if (!json_is_object(mr))
			return bad(diag, "merge_request", "must be a mapping");
		if ((v = opt(mr, "iid")) && !json_is_integer(v))
			return bad(diag, "merge_request.iid", "must be an integer");
		if ((v = opt(mr, "labels")) && (error = check_strings(v, "merge_request.labels", diag)) < 0)
			return error;
		if ((ap = opt(mr, "approvals"))) {
			if (!json_is_object(ap))
				return bad(diag, "merge_request.approvals", "must be a mapping");
			v = opt(ap, "count");
			if (v && (!json_is_integer(v) || json_integer_value(v) < 0))
				return bad(diag, "merge_request.approvals.count",
					"must be a non-negative integer");
			if ((v = opt(ap, "approved_by")) &&
				(error = check_strings(v, "merge_request.approvals.approved_by", diag)) < 0)
				return error;
		}
	}
	if ((v = opt(doc, "deployments")) && (error = check_deployments(v, diag)) < 0)
		return error;
	f = calloc(1, sizeof(*f));
	if (!f)
		return PLATCI_ENOMEM;
	if (!(f->doc = json_deep_copy(doc))) {
		free(f);
		return PLATCI_ENOMEM;
	}
	*out = f;
	return 0;
}

int platci_facts_load_file(platci_facts **out, const char *path, platci_diag *diag)
{
	json_t *doc = NULL;
	int error;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_json_load_file(&doc, path, 16u * 1024 * 1024, diag)) < 0)
		return error;
	error = platci_facts_from_json(out, doc, diag);
	json_decref(doc);
	return error;
}

void platci_facts_free(platci_facts *f)
{
	if (!f)
		return;
	json_decref(f->doc);
	free(f);
}

const char *platci_facts_commit_sha(const platci_facts *f)
{
	return f ? json_string_value(opt(f->doc, "commit_sha")) : NULL;
}

const char *platci_facts_pipeline_source(const platci_facts *f)
{
	return f ? json_string_value(opt(f->doc, "pipeline_source")) : NULL;
}

static const json_t *mr(const platci_facts *f)
{
	return f ? opt(f->doc, "merge_request") : NULL;
}

int platci_facts_has_merge_request(const platci_facts *f)
{
	return mr(f) != NULL;
}

long long platci_facts_mr_iid(const platci_facts *f)
{
	return (long long)json_integer_value(opt(mr(f), "iid"));
}

long long platci_facts_approvals(const platci_facts *f)
{
	const json_t *ap = opt(mr(f), "approvals");
	const json_t *c = opt(ap, "count");

	if (json_is_integer(c))
		return (long long)json_integer_value(c);
	if (json_is_array(opt(ap, "approved_by")))
		return (long long)json_array_size(opt(ap, "approved_by"));
	return -1;
}

size_t platci_facts_approver_count(const platci_facts *f)
{
	return json_array_size(opt(opt(mr(f), "approvals"), "approved_by"));
}

const char *platci_facts_approver_at(const platci_facts *f, size_t i)
{
	return json_string_value(json_array_get(opt(opt(mr(f), "approvals"), "approved_by"), i));
}

int platci_facts_has_labels(const platci_facts *f)
{
	return json_is_array(opt(mr(f), "labels"));
}

int platci_facts_has_label(const platci_facts *f, const char *label)
{
	size_t i;
	json_t *v;

	json_array_foreach (opt(mr(f), "labels"), i, v)
		if (label && strcmp(json_string_value(v), label) == 0)
			return 1;
	return 0;
}

int platci_facts_has_deployments(const platci_facts *f, const char *env)
{
	return f && env && json_is_array(opt(opt(f->doc, "deployments"), env));
}

int platci_facts_deployed(int *deployed_out, time_t *finished_out, const platci_facts *f,
	const char *env, const char *sha)
{
	const json_t *list;
	size_t i;
	json_t *d;

	PLATCI_ASSERT_ARG(deployed_out);
	*deployed_out = 0;
	if (finished_out)
		*finished_out = 0;
	if (!platci_facts_has_deployments(f, env))
		return PLATCI_ENOTFOUND;
	list = opt(opt(f->doc, "deployments"), env);
	/* every successful one: the soak counts from the first, whatever the list's order */
	json_array_foreach (list, i, d) {
		const char *fin = json_string_value(opt(d, "finished_at"));
		time_t t = 0;
		if (!sha || strcmp(json_string_value(opt(d, "sha")), sha) != 0 ||
			strcmp(json_string_value(opt(d, "status")), "success") != 0)
			continue;
		*deployed_out = 1;
		if (finished_out && fin && platci_time_parse_rfc3339(&t, fin) == 0 &&
			(!*finished_out || t < *finished_out))
			*finished_out = t;
	}
	return 0;
}
