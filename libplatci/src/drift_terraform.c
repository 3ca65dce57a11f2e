/*
 * Terraform drift: a focused streaming reader of `resource_drift[*]` in
 * `terraform show -json` output (refresh-only or normal plans). Only this
 * file knows the plan's shape, so the plan module's reader can replace it
 * without touching platci/drift.h.
 */
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/json.h"
#include "platci/json_stream.h"
#include "platci/redact.h"
#include "util/common.h"
#include "util/banned.h"

enum {
	ID_FORMAT = 1,
	ID_HCP_FORMAT,
	ID_ERRORED,
	ID_CHANGES,
	ID_DRIFT,
	ID_STATE /* prior_state resource addresses, at any of several module depths */
};

/* Module nesting that prior_state is read to; deeper resources are still checked when drifted. */
static const char *const state_patterns[] = {
	"prior_state.values.root_module.resources[*].address",
	"prior_state.values.root_module.child_modules[*].resources[*].address",
	"prior_state.values.root_module.child_modules[*].child_modules[*].resources[*].address",
	("prior_state.values.root_module.child_modules[*].child_modules[*].child_modules[*]"
	 ".resources[*].address"),
};

typedef struct tf_reader {
	platci_drift *d;
	const platci_drift_options *opts;
	const char *path;
	platci_diag *diag;
	char *format;
	int has_format, errored, has_changes;
	size_t errored_line;
	/* attributes collected for the current resource */
	platci_drift_attr *attrs;
	size_t nattrs, aattrs;
	int oom;
} tf_reader;

/* `data.x.y` and `module.m.data.x.y` are data sources: read, never drifted. */
static int is_data_address(const char *addr)
{
	const char *p = addr;
	while (strncmp(p, "module.", 7) == 0) {
		const char *q = p + 7;
		int depth = 0, quoted = 0;
		for (; *q; q++) {
			if (*q == '"' && q[-1] != '\\')
				quoted = !quoted;
			else if (!quoted && *q == '[')
				depth++;
			else if (!quoted && *q == ']')
				depth--;
			else if (!quoted && !depth && *q == '.')
				break;
		}
		if (!*q)
			return 0;
		p = q + 1;
	}
	return strncmp(p, "data.", 5) == 0;
}

static int on_attr(const platci_value_change *c, void *payload)
{
	tf_reader *r = payload;
	platci_drift_attr *a;
	int oom = 0;

	if (platci__grow_array((void **)&r->attrs, &r->aattrs, r->nattrs + 1, sizeof(*r->attrs)) < 0) {
		r->oom = 1;
		return PLATCI_ENOMEM;
	}
	a = &r->attrs[r->nattrs];
	memset(a, 0, sizeof(*a));
	a->path = platci_drift__keep(r->d, c->path, &oom);
	a->before = platci_drift__keep(r->d, c->before, &oom);
	a->after = platci_drift__keep(r->d, c->after, &oom);
	a->sensitive = c->sensitive;
	if (oom) {
		r->oom = 1;
		return PLATCI_ENOMEM;
	}
	r->nattrs++;
	return 0;
}

static const char *category_for(const json_t *actions, int has_previous, int *noop)
{
	int del = 0, create = 0, update = 0, other = 0;
	size_t i;
	json_t *a;

	*noop = 0;
	json_array_foreach(actions, i, a) {
		const char *s = json_string_value(a);
		if (!s)
			continue;
		if (strcmp(s, "delete") == 0)
			del = 1;
		else if (strcmp(s, "create") == 0)
			create = 1;
		else if (strcmp(s, "update") == 0)
			update = 1;
		else if (strcmp(s, "no-op") != 0)
			other = 1;
	}
	if (del && create)
		return "terraform.replaced";
	if (del)
		return "terraform.deleted";
	if (create)
		return "terraform.created";
	if (update)
		return "terraform.changed";
	if (other)
		return "terraform.other";
	*noop = 1;
	return has_previous ? "terraform.moved" : NULL;
}

static int join_actions(platci_buf *out, const json_t *actions)
{
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a) {
		if (json_is_string(a))
			platci_buf_printf(out, "%s%s", out->size ? "," : "", json_string_value(a));
	}
	return out->error;
}

static int on_drift(tf_reader *r, const platci_json_event *ev)
{
	const json_t *rc = ev->value, *change = json_object_get(rc, "change");
	const json_t *actions = json_object_get(change, "actions");
	const char *address = platci_json_str(rc, "address");
	const char *previous = platci_json_str(rc, "previous_address");
	const char *category, *rule;
	platci_buf acts = PLATCI_BUF_INIT, msg = PLATCI_BUF_INIT;
	platci_drift_item *it;
	platci_drift *d = r->d;
	int noop, oom = 0, error = 0;
	size_t live = 0;

	if (!address || !json_is_array(actions)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->path, ev->line, 0,
			ev->offset, NULL, NULL };
		platci_diag_add(r->diag, &e, "resource_drift[%zu] has no address or change.actions",
			ev->index);
		return PLATCI_EDATA;
	}
	if ((error = platci_drift__add_checked(d, PLATCI_DRIFT_TERRAFORM, address)) < 0)
		return error;
	if (!(category = category_for(actions, previous != NULL, &noop)))
		return 0; /* refresh-only plans list unchanged resources too */

	r->nattrs = 0;
	/* A whole object appeared or vanished: a per-attribute list would only repeat it. */
	if (strcmp(category, "terraform.deleted") != 0 && strcmp(category, "terraform.created") != 0)
		error = platci_value_diff(json_object_get(change, "before"),
		json_object_get(change, "after"), json_object_get(change, "before_sensitive"),
		json_object_get(change, "after_sensitive"), json_object_get(change, "after_unknown"),
		on_attr, r);
	if (error != 0 || r->oom) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if (!(it = platci_drift__add_item(d, PLATCI_DRIFT_TERRAFORM, category, address, r->path,
		      ev->line))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	join_actions(&acts, actions);
	it->action = platci_drift__keep(d, acts.ptr, &oom);
	it->reason = platci_drift__keep(d, platci_json_str(rc, "action_reason"), &oom);
	it->previous = platci_drift__keep(d, previous, &oom);

	/* Rules: first a whole-resource rule, then one per attribute path. */
	rule = platci_drift__policy_match(r->opts->policy, r->opts->env, r->opts->now,
		PLATCI_DRIFT_TERRAFORM, address, category, NULL);
	it->ignored_by = platci_drift__keep(d, rule, &oom);
	for (size_t i = 0; i < r->nattrs; i++) {
		rule = platci_drift__policy_match(r->opts->policy, r->opts->env, r->opts->now,
			PLATCI_DRIFT_TERRAFORM, address, category, r->attrs[i].path);
		r->attrs[i].ignored_by = platci_drift__keep(d, rule, &oom);
		if (!rule)
			live++;
	}
	if (r->nattrs) {
		platci_drift_attr *copy = platci_arena_alloc(&d->arena, r->nattrs * sizeof(*copy));
		if (!copy) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		memcpy(copy, r->attrs, r->nattrs * sizeof(*copy));
		it->attrs = copy;
		it->nattrs = r->nattrs;
	}
	/* An update whose every changed path is ignored is no drift at all. */
	if (!it->ignored_by && strcmp(category, "terraform.changed") == 0 && r->nattrs && !live)
		it->ignored_by = it->attrs[0].ignored_by;

	if (strcmp(category, "terraform.moved") == 0)
		platci_buf_printf(&msg, "%s moved from %s; nothing else changed", address, previous);
	else if (strcmp(category, "terraform.deleted") == 0)
		platci_buf_printf(&msg, "%s no longer exists (deleted outside Terraform)", address);
	else if (strcmp(category, "terraform.changed") == 0 && r->nattrs)
		platci_buf_printf(&msg, "%s changed outside Terraform: %zu attribute%s%s", address,
			live ? live : r->nattrs, (live ? live : r->nattrs) == 1 ? "" : "s",
			live == r->nattrs ? "" : live ? " (others ignored)" : " (all ignored)");
	else
		platci_buf_printf(&msg, "%s drifted (%s)", address, acts.ptr);
	if (msg.error) {
		error = msg.error;
		goto done;
	}
	it->message = platci_drift__keep(d, msg.ptr, &oom);
	if (oom)
		error = PLATCI_ENOMEM;
done:
	platci_buf_dispose(&acts);
	platci_buf_dispose(&msg);
	return error;
}

static int on_event(const platci_json_event *ev, void *payload)
{
	tf_reader *r = payload;

	switch (ev->id) {
	case ID_FORMAT:
	case ID_HCP_FORMAT:
		if (!json_is_string(ev->value)) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->path, ev->line, 0,
				ev->offset, ev->key, NULL };
			platci_diag_add(r->diag, &e, "%s is not a string", ev->key);
			return PLATCI_EDATA;
		}
		free(r->format);
		if (!(r->format = platci__strdup(json_string_value(ev->value))))
			return PLATCI_ENOMEM;
		r->has_format = 1;
		return 0;
	case ID_ERRORED:
		r->errored = json_is_true(ev->value);
		r->errored_line = ev->line;
		return 0;
	case ID_CHANGES:
		r->has_changes = 1;
		return 0;
	case ID_DRIFT:
		return on_drift(r, ev);
	case ID_STATE:
		if (json_is_string(ev->value) && !is_data_address(json_string_value(ev->value)))
			return platci_drift__add_checked(r->d, PLATCI_DRIFT_TERRAFORM,
				json_string_value(ev->value));
		return 0;
	default:
		return 0;
	}
}

static int check_format(tf_reader *r, platci_json_stream *s)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->path, 1, 1, 0, NULL, NULL };
	char *end = NULL;
	long major;

	if (platci_json_stream_root_type(s) != JSON_OBJECT) {
		platci_diag_add(r->diag, &e, "not a Terraform plan: the top level is not a JSON "
			"object (expected terraform show -json output)");
		return PLATCI_EDATA;
	}
	if (!r->has_format) {
		platci_diag_add(r->diag, &e, "not a Terraform plan: no format_version (expected "
			"terraform show -json output)");
		return PLATCI_EDATA;
	}
	major = strtol(r->format, &end, 10);
	if (end == r->format || (*end != '.' && *end != '\0') || major < 0) {
		platci_diag_add(r->diag, &e, "format_version \"%s\" is not a version", r->format);
		return PLATCI_EDATA;
	}
	if (major >= 2) {
		e.code = PLATCI_EVERSION;
		platci_diag_add(r->diag, &e, "format_version %s is not supported (major 0 or 1 "
			"expected)", r->format);
		return PLATCI_EVERSION;
	}
	if (r->errored) {
		e.line = r->errored_line;
		platci_diag_add(r->diag, &e, "the plan is errored: planning failed, so its drift is "
			"incomplete; fix the plan first");
		return PLATCI_EDATA;
	}
	return 0;
}

int platci_drift__read_terraform(platci_drift *d, const char *path,
	const platci_drift_options *opts, platci_diag *diag)
{
	platci_json_stream_options sopts = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_json_stream *s = NULL;
	tf_reader r;
	int error = 0, oom = 0;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.opts = opts;
	r.path = path;
	r.diag = diag;
	sopts.name = path;
	if ((error = platci_json_stream_new(&s, &sopts)) < 0)
		goto done;
	if ((error = platci_json_stream_on(s, "format_version", PLATCI_JSON_STREAM_VALUE,
		     ID_FORMAT, on_event, &r)) < 0 ||
	    (error = platci_json_stream_on(s, "plan_format_version", PLATCI_JSON_STREAM_VALUE,
		     ID_HCP_FORMAT, on_event, &r)) < 0 ||
	    (error = platci_json_stream_on(s, "errored", PLATCI_JSON_STREAM_VALUE, ID_ERRORED,
		     on_event, &r)) < 0 ||
	    (error = platci_json_stream_on(s, "resource_changes", PLATCI_JSON_STREAM_ENTER,
		     ID_CHANGES, on_event, &r)) < 0 ||
	    (error = platci_json_stream_on(s, "resource_drift[*]", PLATCI_JSON_STREAM_VALUE,
		     ID_DRIFT, on_event, &r)) < 0)
		goto done;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(state_patterns); i++)
		if ((error = platci_json_stream_on(s, state_patterns[i], PLATCI_JSON_STREAM_VALUE,
			     ID_STATE, on_event, &r)) < 0)
			goto done;
	if ((error = platci_json_stream_file(s, path, diag)) < 0)
		goto done;
	if ((error = check_format(&r, s)) < 0)
		goto done;
	d->tf_plan = platci_drift__keep(d, path, &oom);
	d->tf_format = platci_drift__keep(d, r.format, &oom);
	d->tf_refresh_only = !r.has_changes;
	if (oom)
		error = PLATCI_ENOMEM;
done:
	free(r.format);
	free(r.attrs);
	platci_json_stream_free(s);
	return error;
}
