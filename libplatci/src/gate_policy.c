/* policies/gates.yaml: loading (through rulefile.h) and the freeze-window clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platci/buf.h"
#include "platci/clock.h"
#include "platci/rules.h"
#include "gate_int.h"
#include "util/common.h"
#include "util/banned.h"

static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* "fri 16:00" -> minutes since Monday 00:00 */
static void week_minute(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	const char *s = platci_node_scalar(n, NULL);
	int h, m, d = -1;
	char day[4], extra;

	if (!s || sscanf(s, "%3s %2d:%2d%c", day, &h, &m, &extra) != 3) {
		platci_rulefile__error(c, n, "weekly \"%s\" must look like \"fri 16:00\", not \"%s\"",
			k->name, s ? s : "?");
		return;
	}
	for (int i = 0; i < 7; i++)
		if (strcasecmp(day, days[i]) == 0)
			d = i;
	if (d < 0 || h > 24 || m > 59 || (h == 24 && m))
		platci_rulefile__error(c, n,
			"weekly \"%s\": \"%s\" needs a day mon..sun and a time "
			"00:00..24:00",
			k->name, s);
	else
		*(int *)dst = d * 1440 + h * 60 + m;
}

/* "2026-12-24 00:00", local to the policy's zone */
static void local_time(rf_ctx *c, const platci_node *n, void *dst)
{
	const platci_gate_policy *p = c->user;
	const char *s = platci_node_scalar(n, NULL);

	if (!s || platci_time_parse(dst, s, p->offset_min, 0) < 0)
		platci_rulefile__error(c, n,
			"a freeze window's from and to are local times like "
			"\"2026-12-24 00:00\", not \"%s\"",
			s ? s : "?");
}

static void zone(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	(void)k;
	platci_rulefile__zone(c, n, *(const char **)dst, &((platci_gate_policy *)c->user)->offset_min);
}

static const rf_key week_keys[] = {
	{ .name = NULL, .type = RF_SELF, .offset = offsetof(gate_week, node) },
	{ RF_KEY("from", RF_CUSTOM, RF_REQUIRED, gate_week, from_min), .parse = week_minute },
	{ RF_KEY("to", RF_CUSTOM, RF_REQUIRED, gate_week, to_min), .parse = week_minute },
};
static const rf_table week_table = RF_TABLE(
	"a weekly freeze (from: \"fri 16:00\", to: "
	"\"sun 08:00\")",
	week_keys, gate_week, NULL, NULL);

static void window_check(rf_ctx *c, const platci_node *map, void *obj)
{
	gate_window *w = obj;

	if (w->from_node)
		local_time(c, w->from_node, &w->from);
	if (w->to_node)
		local_time(c, w->to_node, &w->to);
	if (w->weekly.node && (w->from_node || w->to_node))
		platci_rulefile__error(c, map,
			"freeze window \"%s\": weekly and from/to exclude "
			"each other",
			w->name);
	else if (w->weekly.node && w->weekly.from_min == w->weekly.to_min)
		platci_rulefile__error(c, w->weekly.node,
			"freeze window \"%s\": from and to are the "
			"same",
			w->name);
	else if (!w->weekly.node && (!w->from_node || !w->to_node))
		platci_rulefile__error(c, map,
			"freeze window \"%s\" needs weekly, or from and to "
			"dates",
			w->name);
	else if (!w->weekly.node && w->to <= w->from && w->from_node && w->to_node)
		platci_rulefile__error(c, w->to_node, "freeze window \"%s\" ends before it starts", w->name);
}

static const rf_key window_keys[] = {
	{ RF_KEY("name", RF_STR, RF_REQUIRED, gate_window, name) },
	{ RF_KEY("reason", RF_STR, 0, gate_window, reason) },
	{ RF_KEY("weekly", RF_MAP, 0, gate_window, weekly), .table = &week_table },
	{ RF_KEY("from", RF_NODE, 0, gate_window, from_node) },
	{ RF_KEY("to", RF_NODE, 0, gate_window, to_node) },
};
static const rf_table window_table =
	RF_TABLE("a freeze window", window_keys, gate_window, NULL, window_check);

static const char *const destroy_values[] = { "allow", "deny", "require-label", NULL };

/* min_soak: "24h", "90m", "2d", "30s" or plain seconds, up to a year. */
static void duration(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	const char *s = platci_node_scalar(n, NULL);
	char *end = NULL;
	double v = s ? strtod(s, &end) : -1;
	long mult = 1;

	if (end && *end && end[1] == '\0')
		mult = *end == 'd'   ? 86400
		       : *end == 'h' ? 3600
		       : *end == 'm' ? 60
		       : *end == 's' ? 1
				     : 0;
	if (!s || !end || end == s || (*end && (!mult || end[1])) || v < 0 || v * (double)mult > 366.0 * 86400)
		platci_rulefile__error(c, n,
			"\"%s\" is a duration like 24h, 90m, 2d or 3600 (seconds, "
			"at most a year), not \"%s\"",
			k->name, s ? s : "?");
	else
		*(long *)dst = (long)(v * (double)mult);
}

static void rules_init(void *obj)
{
	gate_rules *r = obj;

	memset(r, 0, sizeof(*r));
	r->min_approvals = r->destroy_extra_approvals = r->max_changes = r->min_soak = -1;
	r->require_promotion = r->require_reviewed = -1;
	r->max_increase = -1;
	r->destroy = DESTROY_UNSET;
}

static void rules_check(rf_ctx *c, const platci_node *map, void *obj)
{
	gate_rules *r = obj;

	(void)c;
	(void)map;
	r->protected_types = r->protected_list.items;
	r->nprotected = r->protected_list.count;
	r->protected_set = r->protected_list.items != NULL;
	r->windows = r->freeze.items;
	r->nwindows = r->freeze.count;
}

static const rf_key rules_keys[] = {
	{ .name = NULL, .type = RF_MAPKEY, .offset = offsetof(gate_rules, name) },
	{ RF_KEY("description", RF_STR, 0, gate_rules, description) },
	{ RF_KEY("min_approvals", RF_INT, 0, gate_rules, min_approvals), .max = 1000000 },
	{ RF_KEY("require_promotion", RF_BOOL, 0, gate_rules, require_promotion) },
	{ RF_KEY("destroy", RF_ENUM, 0, gate_rules, destroy), .values = destroy_values },
	{ RF_KEY("destroy_label", RF_STR, RF_NONEMPTY, gate_rules, destroy_label) },
	{ RF_KEY("destroy_extra_approvals", RF_INT, 0, gate_rules, destroy_extra_approvals), .max = 1000000 },
	{ RF_KEY("protected_types", RF_STRS, 0, gate_rules, protected_list) },
	{ RF_KEY("max_changes", RF_INT, 0, gate_rules, max_changes), .max = 1000000 },
	{ RF_KEY("freeze", RF_LIST, 0, gate_rules, freeze), .table = &window_table },
	{ RF_KEY("min_soak", RF_CUSTOM, 0, gate_rules, min_soak), .parse = duration },
	{ RF_KEY("require_reviewed_plan", RF_BOOL, 0, gate_rules, require_reviewed) },
	{ RF_KEY("max_monthly_increase", RF_NUM, 0, gate_rules, max_increase), .max = 1e12 },
};
static const rf_table rules_table =
	RF_TABLE("gate rules", rules_keys, gate_rules, rules_init, rules_check);

/* An exception names gate rules (or globs over them) that platci raises. */
static void exception_check(rf_ctx *c, const platci_node *map, void *obj)
{
	const char *gates[16], *near;
	gate_exception *x = obj;
	const rf_strs *lists[2] = { &x->rule, &x->rules };
	size_t n = 0;

	for (size_t i = 0; i < platci_rules_count() && n < 16; i++)
		if (strncmp(platci_rules_at(i)->id, "gate.", 5) == 0)
			gates[n++] = platci_rules_at(i)->id;
	if (!x->rule.count && !x->rules.count)
		platci_rulefile__error(c, map, "an exception must name its rule (rule: gate.freeze)");
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->count; i++) {
			const char *id = lists[l]->items[i];
			size_t hit = 0;
			for (size_t j = 0; j < n; j++)
				hit += platci__glob_match(id, gates[j]);
			if (hit)
				continue;
			near = platci_rulefile__suggest(id, gates, n);
			platci_rulefile__error(c, platci_node_get(map, l ? "rules" : "rule"),
				"exception names unknown gate rule \"%s\"%s%s%s", id,
				near ? "; did you mean \""
				     : " (gate.plan-valid, gate.promotion, gate.freeze, ...)",
				near ? near : "", near ? "\"?" : "");
		}
}

static const rf_key exception_keys[] = {
	{ RF_KEY("rule", RF_STRS, 0, gate_exception, rule) },
	{ RF_KEY("rules", RF_STRS, 0, gate_exception, rules) },
	{ RF_KEY("environments", RF_ENVS, 0, gate_exception, envs) },
	{ RF_KEY(NULL, RF_EMBED, 0, gate_exception, w), .table = &platci_waiver__table },
};
static const rf_table exception_table =
	RF_TABLE("an exception", exception_keys, gate_exception, NULL, exception_check);

static const rf_key root_keys[] = {
	{ .name = "version", .type = RF_VERSION, .flags = RF_REQUIRED },
	{ RF_KEY("timezone", RF_STR, 0, platci_gate_policy, zone), .parse = zone },
	{ RF_KEY("defaults", RF_MAP, 0, platci_gate_policy, defaults), .table = &rules_table },
	{ RF_KEY("environments", RF_ENV_MAP, 0, platci_gate_policy, envs), .table = &rules_table },
	{ RF_KEY("exceptions", RF_LIST, 0, platci_gate_policy, exceptions), .table = &exception_table },
};
static const rf_table root_table = RF_TABLE("the gates policy", root_keys, platci_gate_policy, NULL, NULL);

int platci_gate_policy_load(platci_gate_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag)
{
	platci_gate_policy *p = NULL;
	const platci_node *root;
	rf_ctx c;
	int error = 0;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	p = calloc(1, sizeof(*p));
	PLATCI_CHECK_ALLOC(p);
	platci_arena_init(&p->arena, 4096);
	rules_init(&p->defaults);
	/* without a timezone of its own, the gates keep the platform's */
	p->zone = platci_config_timezone(cfg);
	p->offset_min = platci_config_utc_offset(cfg);
	/* exceptions keep the file name: a copy, the caller's string may go */
	PLATCI_CHECK_ALLOC(path = platci_arena_strdup(&p->arena, path));
	if ((error = platci_doc_load_file(&p->doc, path, NULL, diag)) < 0)
		goto done;
	platci_rulefile__init(&c, path, cfg, &p->arena, diag);
	c.user = p;
	if ((error = platci_rulefile__root(&c, p->doc, &root)) < 0)
		goto done;
	if (!root)
		platci_rulefile__error(&c, NULL, "a gates policy is a mapping with version: 1");
	else
		platci_rulefile__walk(&c, root, &root_table, p);
	rules_check(&c, NULL, &p->defaults);
	if ((error = platci_rulefile__status(&c)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	platci_gate_policy_free(p);
	return error;
}

void platci_gate_policy_free(platci_gate_policy *p)
{
	if (!p)
		return;
	platci_arena_dispose(&p->arena);
	platci_doc_free(p->doc);
	free(p);
}

static const gate_rules *env_rules(const platci_gate_policy *p, const char *env)
{
	const gate_rules *envs = p->envs.items;

	for (size_t i = 0; env && i < p->envs.count; i++)
		if (strcmp(envs[i].name, env) == 0)
			return &envs[i];
	return NULL;
}

int platci_gate_policy_wants_review(const platci_gate_policy *p, const char *env)
{
	gate_rules g;

	if (!p)
		return 0;
	platci_gate__resolve(&g, p, env);
	return g.require_reviewed == 1;
}

int platci_gate_policy_has_env(const platci_gate_policy *p, const char *env)
{
	return p && env_rules(p, env) != NULL;
}

void platci_gate__resolve(gate_rules *out, const platci_gate_policy *p, const char *env)
{
	const gate_rules *e = env_rules(p, env), *d = &p->defaults;

	rules_init(out);
	out->name = env;
#define PICK(f, unset) out->f = e && e->f != (unset) ? e->f : d->f
	PICK(min_approvals, -1);
	PICK(require_promotion, -1);
	PICK(destroy, DESTROY_UNSET);
	PICK(destroy_extra_approvals, -1);
	PICK(max_changes, -1);
	PICK(min_soak, -1);
	PICK(require_reviewed, -1);
#undef PICK
	out->max_increase = e && e->max_increase >= 0 ? e->max_increase : d->max_increase;
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

static int window_active(platci_buf *reason, const gate_window *w, time_t now, int offset, const char *zone)
{
	if (w->weekly.node) {
		long long local = (long long)now + (long long)offset * 60;
		long long day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
		/* 1970-01-01 was a Thursday: Monday-based day index 3 */
		int dow = (int)(((day % 7) + 7 + 3) % 7);
		int minute = (int)((local - day * 86400) / 60) + dow * 1440;
		int from = w->weekly.from_min, to = w->weekly.to_min;
		int in = from < to ? (minute >= from && minute < to) : (minute >= from || minute < to);
		if (in && reason)
			platci_buf_printf(reason,
				"freeze window \"%s\" (weekly %s %02d:%02d to %s "
				"%02d:%02d %s) is active",
				w->name, days[from / 1440], (from % 1440) / 60, from % 60,
				days[(to / 1440) % 7], (to % 1440) / 60, to % 60, zone);
		return in;
	}
	if (now >= w->from && now < w->to) {
		if (reason) {
			char until[32];
			platci_time_format_utc(until, sizeof(until), w->to);
			platci_buf_printf(reason, "freeze window \"%s\" is active until %s", w->name, until);
		}
		return 1;
	}
	return 0;
}

int platci_gate_policy_frozen(platci_buf *reason_out, const platci_gate_policy *p, const char *env, time_t now)
{
	const gate_rules *e;
	int frozen = 0;

	PLATCI_ASSERT_ARG(p);
	for (size_t i = 0; !frozen && i < p->defaults.nwindows; i++)
		frozen = window_active(reason_out, &p->defaults.windows[i], now, p->offset_min, p->zone);
	e = env_rules(p, env);
	for (size_t i = 0; !frozen && e && i < e->nwindows; i++)
		frozen = window_active(reason_out, &e->windows[i], now, p->offset_min, p->zone);
	/* a reason that could not be written is an error, never a silent "not frozen" */
	if (frozen && reason_out && reason_out->error)
		return reason_out->error;
	return frozen;
}

static int names(const gate_exception *x, const char *id, const char *env)
{
	int hit = 0;

	for (size_t i = 0; i < x->rule.count; i++)
		hit |= platci__glob_match(x->rule.items[i], id);
	for (size_t i = 0; i < x->rules.count; i++)
		hit |= platci__glob_match(x->rules.items[i], id);
	if (!hit || !x->envs.items)
		return hit;
	for (size_t i = 0; i < x->envs.count; i++) {
		const char *e = x->envs.items[i];
		int neg = *e == '!', match = env && platci__glob_match(e + neg, env);
		if (neg && match)
			return 0;
		if (!neg && match)
			return 1;
	}
	return 0;
}

int platci_gate__waive(const platci_gate_policy *p, const char *env, time_t now,
	platci_gate_rule *rules, size_t n)
{
	const gate_exception *xs = p->exceptions.items;

	for (size_t r = 0; r < n; r++) {
		platci_buf why = PLATCI_BUF_INIT;
		const gate_exception *live = NULL, *expired = NULL;

		if (rules[r].outcome != PLATCI_GATE_FAIL && rules[r].outcome != PLATCI_GATE_APPROVAL)
			continue;
		for (size_t i = 0; i < p->exceptions.count && !live; i++) {
			if (!names(&xs[i], rules[r].id, env))
				continue;
			if (platci_waiver__live(&xs[i].w, now))
				live = &xs[i];
			else if (!expired)
				expired = &xs[i];
		}
		if (live)
			platci_buf_printf(&why,
				"waived until the end of %s by exception #%zu (%s:%zu, "
				"%s %s: %s): %s",
				live->w.expires.text, (size_t)(live - xs) + 1, live->w.file,
				live->w.line, live->w.ticket ? "ticket" : "owner",
				live->w.ticket ? live->w.ticket : live->w.owner, live->w.reason,
				rules[r].reason);
		else if (expired)
			platci_buf_printf(&why, "%s (exception #%zu expired on %s)", rules[r].reason,
				(size_t)(expired - xs) + 1, expired->w.expires.text);
		else
			continue;
		if (why.error) {
			platci_buf_dispose(&why);
			return PLATCI_ENOMEM;
		}
		free((char *)(uintptr_t)rules[r].reason);
		rules[r].reason = platci_buf_detach(&why);
		if (live)
			rules[r].outcome = PLATCI_GATE_PASS;
	}
	return 0;
}
