/* policies/gates.yaml: loading and the freeze-window clock. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "platci/doc.h"
#include "gate_int.h"
#include "gate_time.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct loader {
	platci_diag *diag;
	const char *file;
	int error;
} loader;

static int err(loader *l, const platci_node *n, const char *fmt, ...) PLATCI_PRINTF(3, 4);

static int err(loader *l, const platci_node *n, const char *fmt, ...)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, l->file, 0, 0, 0, NULL, NULL };
	char msg[400];
	va_list ap;

	if (n) {
		platci_pos pos = platci_node_start(n);
		e.line = pos.line;
		e.column = pos.column;
		e.offset = pos.offset;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_diag_add(l->diag, &e, "%s", msg);
	if (!l->error)
		l->error = PLATCI_EDATA;
	return PLATCI_EDATA;
}

static const char *scalar(loader *l, const platci_node *n, const char *what)
{
	const char *s = platci_node_type_of(n) == PLATCI_NODE_SCALAR ? platci_node_scalar(n, NULL) :
								       NULL;
	if (!s)
		err(l, n, "%s must be a scalar", what);
	return s;
}

static int get_long(loader *l, const platci_node *n, const char *what, long *out)
{
	const char *s = scalar(l, n, what);
	char *end = NULL;
	long v;

	if (!s)
		return PLATCI_EDATA;
	v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 1000000)
		return err(l, n, "%s must be a whole number from 0, not \"%s\"", what, s);
	*out = v;
	return 0;
}

static int get_bool(loader *l, const platci_node *n, const char *what, int *out)
{
	const char *s = scalar(l, n, what);

	if (!s)
		return PLATCI_EDATA;
	if (!strcmp(s, "true"))
		*out = 1;
	else if (!strcmp(s, "false"))
		*out = 0;
	else
		return err(l, n, "%s must be true or false, not \"%s\"", what, s);
	return 0;
}

static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* "fri 16:00" -> minutes since Monday 00:00 */
static int week_minute(loader *l, const platci_node *n, const char *what, int *out)
{
	const char *s = scalar(l, n, what);
	int h, m, d = -1;
	char day[4], extra;

	if (!s)
		return PLATCI_EDATA;
	if (sscanf(s, "%3s %2d:%2d%c", day, &h, &m, &extra) != 3)
		return err(l, n, "%s must look like \"fri 16:00\", not \"%s\"", what, s);
	for (int i = 0; i < 7; i++)
		if (strcasecmp(day, days[i]) == 0)
			d = i;
	if (d < 0 || h > 24 || m > 59 || (h == 24 && m))
		return err(l, n, "%s: \"%s\" needs a day mon..sun and a time 00:00..24:00", what, s);
	*out = d * 1440 + h * 60 + m;
	return 0;
}
static int load_window(loader *l, const platci_node *n, int offset, gate_window *w)
{
	const platci_node *weekly, *from, *to;
	const char *s;

	if (platci_node_type_of(n) != PLATCI_NODE_MAPPING)
		return err(l, n, "a freeze window must be a mapping (name, weekly or from/to)");
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const char *k = platci_node_scalar(platci_node_key_at(n, i), NULL);
		if (!k || (strcmp(k, "name") && strcmp(k, "weekly") && strcmp(k, "from") &&
			      strcmp(k, "to") && strcmp(k, "reason")))
			return err(l, platci_node_key_at(n, i), "unknown key \"%s\" in a freeze window "
				"(name, weekly, from, to, reason)", k ? k : "?");
	}
	if (!(s = platci_node_get_str(n, "name")))
		return err(l, n, "a freeze window needs a name");
	if (!(w->name = platci__strdup(s)))
		return PLATCI_ENOMEM;
	weekly = platci_node_get(n, "weekly");
	from = platci_node_get(n, "from");
	to = platci_node_get(n, "to");
	if (weekly) {
		if (from || to)
			return err(l, n, "freeze window \"%s\": weekly and from/to exclude each other",
				w->name);
		w->weekly = 1;
		if (!platci_node_get(weekly, "from") || !platci_node_get(weekly, "to"))
			return err(l, weekly, "freeze window \"%s\": weekly needs from and to, e.g. "
				"{from: \"fri 16:00\", to: \"sun 08:00\"}", w->name);
		if (week_minute(l, platci_node_get(weekly, "from"), "weekly.from", &w->from_min) < 0 ||
		    week_minute(l, platci_node_get(weekly, "to"), "weekly.to", &w->to_min) < 0)
			return PLATCI_EDATA;
		if (w->from_min == w->to_min)
			return err(l, weekly, "freeze window \"%s\": from and to are the same", w->name);
		return 0;
	}
	if (!from || !to)
		return err(l, n, "freeze window \"%s\" needs weekly, or from and to dates", w->name);
	if (!(s = scalar(l, from, "from")) || platci_time_parse(&w->from, s, offset, 0) < 0)
		return err(l, from, "freeze window \"%s\": from must be a local date like "
			"\"2026-12-24 00:00\"", w->name);
	if (!(s = scalar(l, to, "to")) || platci_time_parse(&w->to, s, offset, 0) < 0)
		return err(l, to, "freeze window \"%s\": to must be a local date like "
			"\"2027-01-02 00:00\"", w->name);
	if (w->to <= w->from)
		return err(l, to, "freeze window \"%s\" ends before it starts", w->name);
	return 0;
}

static void rules_init(gate_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->min_approvals = r->destroy_extra_approvals = r->max_changes = -1;
	r->require_promotion = -1;
	r->destroy = DESTROY_UNSET;
}

static void rules_dispose(gate_rules *r)
{
	free(r->name);
	free(r->destroy_label);
	for (size_t i = 0; i < r->nprotected; i++)
		free(r->protected_types[i]);
	free(r->protected_types);
	for (size_t i = 0; i < r->nwindows; i++)
		free(r->windows[i].name);
	free(r->windows);
}

static int load_rules(loader *l, const platci_node *n, int offset, gate_rules *r)
{
	if (platci_node_type_of(n) != PLATCI_NODE_MAPPING)
		return err(l, n, "rules must be a mapping");
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *kn = platci_node_key_at(n, i), *v = platci_node_value_at(n, i);
		const char *k = platci_node_scalar(kn, NULL);

		if (!k)
			return err(l, kn, "keys must be scalars");
		if (!strcmp(k, "min_approvals")) {
			if (get_long(l, v, k, &r->min_approvals) < 0)
				return PLATCI_EDATA;
		} else if (!strcmp(k, "require_promotion")) {
			if (get_bool(l, v, k, &r->require_promotion) < 0)
				return PLATCI_EDATA;
		} else if (!strcmp(k, "max_changes")) {
			if (get_long(l, v, k, &r->max_changes) < 0)
				return PLATCI_EDATA;
		} else if (!strcmp(k, "destroy_extra_approvals")) {
			if (get_long(l, v, k, &r->destroy_extra_approvals) < 0)
				return PLATCI_EDATA;
		} else if (!strcmp(k, "destroy")) {
			const char *s = scalar(l, v, k);
			if (!s)
				return PLATCI_EDATA;
			if (!strcmp(s, "allow"))
				r->destroy = DESTROY_ALLOW;
			else if (!strcmp(s, "deny"))
				r->destroy = DESTROY_DENY;
			else if (!strcmp(s, "require-label"))
				r->destroy = DESTROY_LABEL;
			else
				return err(l, v, "destroy must be allow, deny or require-label, not \"%s\"", s);
		} else if (!strcmp(k, "destroy_label")) {
			const char *s = scalar(l, v, k);
			if (!s)
				return PLATCI_EDATA;
			free(r->destroy_label);
			if (!(r->destroy_label = platci__strdup(s)))
				return PLATCI_ENOMEM;
		} else if (!strcmp(k, "protected_types")) {
			size_t cnt = platci_node_count(v);
			if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE)
				return err(l, v, "protected_types must be a list of resource types");
			r->protected_types = calloc(cnt ? cnt : 1, sizeof(char *));
			if (!r->protected_types)
				return PLATCI_ENOMEM;
			r->protected_set = 1;
			for (size_t j = 0; j < cnt; j++) {
				const char *s = scalar(l, platci_node_item(v, j), "a protected type");
				if (!s)
					return PLATCI_EDATA;
				if (!(r->protected_types[r->nprotected++] = platci__strdup(s)))
					return PLATCI_ENOMEM;
			}
		} else if (!strcmp(k, "freeze")) {
			size_t cnt = platci_node_count(v);
			if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE)
				return err(l, v, "freeze must be a list of windows");
			r->windows = calloc(cnt ? cnt : 1, sizeof(*r->windows));
			if (!r->windows)
				return PLATCI_ENOMEM;
			for (size_t j = 0; j < cnt; j++) {
				int e2 = load_window(l, platci_node_item(v, j), offset,
					&r->windows[r->nwindows++]);
				if (e2 < 0)
					return e2;
			}
		} else if (!strcmp(k, "description")) {
			/* documentation only */
		} else {
			return err(l, kn, "unknown key \"%s\" (min_approvals, require_promotion, "
				"destroy, destroy_label, destroy_extra_approvals, protected_types, "
				"max_changes, freeze, description)", k);
		}
	}
	return 0;
}

int platci_gate_policy_load(platci_gate_policy **out, const char *path, platci_diag *diag)
{
	platci_doc *doc = NULL;
	platci_gate_policy *p = NULL;
	const platci_node *root, *v, *envs;
	loader l = { diag, path, 0 };
	int error = 0;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_doc_load_file(&doc, path, NULL, diag)) < 0)
		goto done;
	root = platci_doc_root(doc, 0);
	if (!root || platci_node_type_of(root) != PLATCI_NODE_MAPPING) {
		error = err(&l, root, "a gates policy must be a mapping with version: 1");
		goto done;
	}
	p = calloc(1, sizeof(*p));
	PLATCI_CHECK_ALLOC(p);
	rules_init(&p->defaults);
	v = platci_node_get(root, "version");
	if (!v || !platci_node_is(v, "1")) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EVERSION, path, 0, 0, 0, NULL, NULL };
		if (v) {
			e.line = platci_node_start(v).line;
			e.column = platci_node_start(v).column;
		}
		platci_diag_add(diag, &e, "gates policy: version must be 1");
		error = PLATCI_EVERSION;
		goto done;
	}
	for (size_t i = 0; i < platci_node_count(root); i++) {
		const char *k = platci_node_scalar(platci_node_key_at(root, i), NULL);
		if (!k || (strcmp(k, "version") && strcmp(k, "timezone") && strcmp(k, "defaults") &&
			      strcmp(k, "environments"))) {
			error = err(&l, platci_node_key_at(root, i), "unknown key \"%s\" (version, "
				"timezone, defaults, environments)", k ? k : "?");
			goto done;
		}
	}
	p->zone = platci__strdup((v = platci_node_get(root, "timezone")) ?
					 platci_node_scalar(v, NULL) ? platci_node_scalar(v, NULL) : "" :
					 "UTC");
	PLATCI_CHECK_ALLOC(p->zone);
	if (platci_gate__zone_offset(&p->offset_min, p->zone) < 0) {
		error = err(&l, v, "unknown time zone \"%s\": platci knows fixed-offset zones only: %s",
			p->zone, platci_gate__zone_list());
		goto done;
	}
	if ((v = platci_node_get(root, "defaults")) &&
	    (error = load_rules(&l, v, p->offset_min, &p->defaults)) < 0)
		goto done;
	if ((envs = platci_node_get(root, "environments"))) {
		size_t cnt = platci_node_count(envs);
		if (platci_node_type_of(envs) != PLATCI_NODE_MAPPING) {
			error = err(&l, envs, "environments must map names to rules");
			goto done;
		}
		p->envs = calloc(cnt ? cnt : 1, sizeof(*p->envs));
		PLATCI_CHECK_ALLOC(p->envs);
		for (size_t i = 0; i < cnt; i++) {
			gate_rules *r = &p->envs[p->nenvs++];
			rules_init(r);
			r->name = platci__strdup(platci_node_scalar(platci_node_key_at(envs, i), NULL) ?
						 platci_node_scalar(platci_node_key_at(envs, i), NULL) : "");
			PLATCI_CHECK_ALLOC(r->name);
			if ((error = load_rules(&l, platci_node_value_at(envs, i), p->offset_min, r)) < 0)
				goto done;
		}
	}
	*out = p;
	p = NULL;
done:
	platci_gate_policy_free(p);
	platci_doc_free(doc);
	return error;
}

void platci_gate_policy_free(platci_gate_policy *p)
{
	if (!p)
		return;
	rules_dispose(&p->defaults);
	for (size_t i = 0; i < p->nenvs; i++)
		rules_dispose(&p->envs[i]);
	free(p->envs);
	free(p->zone);
	free(p);
}

static const gate_rules *env_rules(const platci_gate_policy *p, const char *env)
{
	for (size_t i = 0; env && i < p->nenvs; i++)
		if (strcmp(p->envs[i].name, env) == 0)
			return &p->envs[i];
	return NULL;
}

int platci_gate_policy_has_env(const platci_gate_policy *p, const char *env)
{
	return p && env_rules(p, env) != NULL;
}

void platci_gate__resolve(gate_rules *out, const platci_gate_policy *p, const char *env)
{
	const gate_rules *e = env_rules(p, env), *d = &p->defaults;

	rules_init(out);
	out->name = (char *)(uintptr_t)env;
#define PICK(f, unset) out->f = e && e->f != (unset) ? e->f : d->f
	PICK(min_approvals, -1);
	PICK(require_promotion, -1);
	PICK(destroy, DESTROY_UNSET);
	PICK(destroy_extra_approvals, -1);
	PICK(max_changes, -1);
#undef PICK
	out->destroy_label = e && e->destroy_label ? e->destroy_label : d->destroy_label;
	if (e && e->protected_set) {
		out->protected_types = e->protected_types;
		out->nprotected = e->nprotected;
	} else {
		out->protected_types = d->protected_types;
		out->nprotected = d->nprotected;
	}
	/* windows: the evaluator looks at both lists */
	out->windows = e ? e->windows : NULL;
	out->nwindows = e ? e->nwindows : 0;
}

static int window_active(const gate_window *w, time_t now, int offset, char *reason,
	size_t size, const char *zone)
{
	if (w->weekly) {
		long long local = (long long)now + (long long)offset * 60;
		long long day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
		/* 1970-01-01 was a Thursday: Monday-based day index 3 */
		int dow = (int)(((day % 7) + 7 + 3) % 7);
		int minute = (int)((local - day * 86400) / 60) + dow * 1440;
		int in = w->from_min < w->to_min ? (minute >= w->from_min && minute < w->to_min) :
						   (minute >= w->from_min || minute < w->to_min);
		if (in && reason)
			snprintf(reason, size, "freeze window \"%s\" (weekly %s %02d:%02d to %s "
				"%02d:%02d %s) is active", w->name, days[w->from_min / 1440],
				(w->from_min % 1440) / 60, w->from_min % 60, days[(w->to_min / 1440) % 7],
				(w->to_min % 1440) / 60, w->to_min % 60, zone);
		return in;
	}
	if (now >= w->from && now < w->to) {
		if (reason) {
			char until[32];
			platci_time_format_utc(until, sizeof(until), w->to);
			snprintf(reason, size, "freeze window \"%s\" is active until %s", w->name, until);
		}
		return 1;
	}
	return 0;
}

int platci_gate_policy_frozen(const platci_gate_policy *p, const char *env, time_t now,
	char *reason, size_t reason_size)
{
	const gate_rules *e;

	PLATCI_ASSERT_ARG(p);
	if (reason && reason_size)
		reason[0] = '\0';
	for (size_t i = 0; i < p->defaults.nwindows; i++)
		if (window_active(&p->defaults.windows[i], now, p->offset_min, reason, reason_size,
			    p->zone))
			return 1;
	e = env_rules(p, env);
	for (size_t i = 0; e && i < e->nwindows; i++)
		if (window_active(&e->windows[i], now, p->offset_min, reason, reason_size, p->zone))
			return 1;
	return 0;
}
