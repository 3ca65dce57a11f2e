#include <stdio.h>
#include <string.h>

#include "platci/redact.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_DEPTH PLATCI_REDACT_MAX_DEPTH

int platci_sensitive_all(const json_t *marker)
{
	return json_is_true(marker);
}

static const json_t *marker_child_key(const json_t *m, const char *key)
{
	return json_is_object(m) ? json_object_get(m, key) : NULL;
}

static const json_t *marker_child_index(const json_t *m, size_t i)
{
	return json_is_array(m) ? json_array_get(m, i) : NULL;
}

static json_t *redact_rec(const json_t *v, const json_t *m, int depth)
{
	if (json_is_true(m))
		return json_string(PLATCI_REDACTED);
	/* Past the depth cap nothing is shown: safer than guessing. */
	if (depth > MAX_DEPTH)
		return json_string(PLATCI_REDACTED);
	if (json_is_object(v)) {
		json_t *o = json_object();
		const char *k;
		json_t *child;

		if (!o)
			return NULL;
		json_object_foreach ((json_t *)v, k, child) {
			json_t *c = redact_rec(child, marker_child_key(m, k), depth + 1);
			if (!c || json_object_set_new(o, k, c) < 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	if (json_is_array(v)) {
		json_t *a = json_array();
		size_t i;
		json_t *child;

		if (!a)
			return NULL;
		json_array_foreach ((json_t *)v, i, child) {
			json_t *c = redact_rec(child, marker_child_index(m, i), depth + 1);
			if (!c || json_array_append_new(a, c) < 0) {
				json_decref(a);
				return NULL;
			}
		}
		return a;
	}
	return json_deep_copy(v);
}

int platci_redact(json_t **out, const json_t *value, const json_t *marker)
{
	*out = NULL;
	if (!value)
		return 0;
	*out = redact_rec(value, marker, 0);
	return *out ? 0 : PLATCI_ENOMEM;
}

typedef struct diff_ctx {
	platci_value_change_cb cb;
	void *payload;
	char path[520];
	int rc;
} diff_ctx;

static int emit(diff_ctx *d, const json_t *b, const json_t *a, int b_sens, int a_sens, int unknown)
{
	platci_value_change ch;
	char *bt = NULL, *at = NULL;

	ch.path = d->path[0] ? d->path : "(value)";
	ch.sensitive = b_sens || a_sens;
	if (ch.sensitive) {
		ch.before = b ? PLATCI_REDACTED : NULL;
		ch.after = unknown ? PLATCI_UNKNOWN : a ? PLATCI_REDACTED : NULL;
	} else {
		if (b && !(bt = json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT)))
			return PLATCI_ENOMEM;
		if (!unknown && a && !(at = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT))) {
			free(bt);
			return PLATCI_ENOMEM;
		}
		ch.before = bt;
		ch.after = unknown ? PLATCI_UNKNOWN : at;
	}
	d->rc = d->cb(&ch, d->payload);
	free(bt);
	free(at);
	return d->rc;
}

static int diff_rec(diff_ctx *d, const json_t *b, const json_t *a, const json_t *bs,
	const json_t *as, const json_t *unk, int depth)
{
	size_t plen = strlen(d->path);
	int b_sens = json_is_true(bs), a_sens = json_is_true(as), unknown = json_is_true(unk);
	int rc = 0;

	if (unknown)
		return emit(d, b, NULL, b_sens, a_sens, 1);
	if (depth > MAX_DEPTH || b_sens || a_sens) {
		if ((b && a && json_equal((json_t *)b, (json_t *)a)) || (!b && !a))
			return 0;
		return emit(d, b, a, 1, 1, 0);
	}
	if (json_is_object(b) && json_is_object(a)) {
		const char *k;
		json_t *child;

		json_object_foreach ((json_t *)b, k, child) {
			snprintf(d->path + plen, sizeof(d->path) - plen, plen ? "[\"%s\"]" : "%s", k);
			if ((rc = diff_rec(d, child, json_object_get(a, k), marker_child_key(bs, k),
				     marker_child_key(as, k), marker_child_key(unk, k), depth + 1)))
				goto done;
		}
		json_object_foreach ((json_t *)a, k, child) {
			if (json_object_get(b, k))
				continue;
			snprintf(d->path + plen, sizeof(d->path) - plen, plen ? "[\"%s\"]" : "%s", k);
			if ((rc = diff_rec(d, NULL, child, NULL, marker_child_key(as, k),
				     marker_child_key(unk, k), depth + 1)))
				goto done;
		}
		goto done;
	}
	if (json_is_array(b) && json_is_array(a)) {
		size_t nb = json_array_size(b), na = json_array_size(a), n = nb > na ? nb : na;
		for (size_t i = 0; i < n; i++) {
			snprintf(d->path + plen, sizeof(d->path) - plen, "[%zu]", i);
			if ((rc = diff_rec(d, json_array_get(b, i), json_array_get(a, i),
				     marker_child_index(bs, i), marker_child_index(as, i),
				     marker_child_index(unk, i), depth + 1)))
				goto done;
		}
		goto done;
	}
	if ((!b && !a) || (b && a && json_equal((json_t *)b, (json_t *)a)))
		return 0;
	/* A whole subtree appears or goes: mask whatever inside it is marked. */
	if ((json_is_object(a) || json_is_array(a)) && as) {
		json_t *ra = NULL, *rb = NULL;
		if (platci_redact(&ra, a, as) < 0 || platci_redact(&rb, b, bs) < 0) {
			json_decref(ra);
			return PLATCI_ENOMEM;
		}
		rc = emit(d, rb, ra, 0, 0, 0);
		json_decref(ra);
		json_decref(rb);
		return rc;
	}
	if ((json_is_object(b) || json_is_array(b)) && bs) {
		json_t *rb = NULL;
		if (platci_redact(&rb, b, bs) < 0)
			return PLATCI_ENOMEM;
		rc = emit(d, rb, a, 0, 0, 0);
		json_decref(rb);
		return rc;
	}
	return emit(d, b, a, 0, 0, 0);
done:
	d->path[plen] = '\0';
	return rc;
}

int platci_value_diff(const json_t *before, const json_t *after, const json_t *before_sensitive,
	const json_t *after_sensitive, const json_t *after_unknown, platci_value_change_cb cb, void *payload)
{
	diff_ctx d;

	memset(&d, 0, sizeof(d));
	d.cb = cb;
	d.payload = payload;
	if (json_is_null(before))
		before = NULL;
	if (json_is_null(after))
		after = NULL;
	return diff_rec(&d, before, after, before_sensitive, after_sensitive, after_unknown, 0);
}
