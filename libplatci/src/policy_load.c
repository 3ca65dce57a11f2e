/*
 * Loading policies/manifests.yaml through the rules-file walker
 * (rulefile.h): every rule, condition and exception is checked up front,
 * with file:line:column, so evaluation never meets a malformed rule and a
 * typo never silently disables a check.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "platci/fs.h"
#include "platci/k8s.h"
#include "platci/rules.h"
#include "util/common.h"
#include "util/banned.h"

static int is_map(const platci_node *n)
{
	return n && platci_node_type_of(n) == PLATCI_NODE_MAPPING;
}

static int is_seq(const platci_node *n)
{
	return n && platci_node_type_of(n) == PLATCI_NODE_SEQUENCE;
}

static int is_scalar(const platci_node *n)
{
	return n && platci_node_type_of(n) == PLATCI_NODE_SCALAR;
}

static void *alloc(rf_ctx *c, size_t n, size_t size)
{
	void *p = platci_arena_zalloc(c->arena, (n ? n : 1) * size);

	if (!p)
		c->oom = 1;
	return p;
}

/* ---- paths and conditions ---------------------------------------------------------------- */

static void parse_path(rf_ctx *c, const platci_node *at, const char *text, pol_base *base,
	platci_query **q)
{
	platci_diag *qd = NULL;
	const char *rest = text;
	int error;

	*base = BASE_CURRENT;
	*q = NULL;
	if (strncmp(text, "$pod", 4) == 0 && (text[4] == '\0' || text[4] == '.' || text[4] == '[')) {
		*base = BASE_POD;
		rest = text + 4;
	} else if (text[0] == '$' && (text[1] == '\0' || text[1] == '.' || text[1] == '[')) {
		*base = BASE_ROOT;
		rest = text + 1;
	} else if (text[0] == '$') {
		platci_rulefile__error(c, at, "unknown path anchor in \"%s\" (use $pod or $)", text);
		return;
	}
	if (*rest == '.')
		rest++;
	if (!*rest)
		return;
	if (platci_diag_new(&qd) < 0) {
		c->oom = 1;
		return;
	}
	error = platci_query_compile(q, rest, qd);
	if (error == PLATCI_ENOMEM) {
		c->oom = 1;
	} else if (error < 0) {
		const platci_diag_entry *e = platci_diag_at(qd, 0);
		platci_rulefile__error(c, at, "bad path \"%s\": %s", text, e ? e->message : "syntax error");
	}
	platci_diag_free(qd);
}

static void parse_conds(rf_ctx *c, const platci_node *node, pol_conds *out, const char *what);

/* RF_CUSTOM rows that hold conditions: when, require, allOf... */
static void conds_row(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	parse_conds(c, n, dst, k->name);
}

static void regex_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	pol_op *op = dst;
	const char *s = platci_node_scalar(v, NULL);
	int rc;

	if (!s) {
		platci_rulefile__error(c, v, "%s takes a regex (a string)", k->name);
		return;
	}
	if ((rc = regcomp(&op->re, s, REG_EXTENDED | REG_NOSUB)) != 0) {
		char buf[200];
		regerror(rc, &op->re, buf, sizeof(buf));
		platci_rulefile__error(c, v, "bad regex \"%s\": %s", s, buf);
		return;
	}
	op->has_re = 1;
}

/* in, notIn: a list of scalars, or one */
static void values_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	(void)dst;
	if (!is_seq(v) && !is_scalar(v)) {
		platci_rulefile__error(c, v, "%s must be a list", k->name);
		return;
	}
	for (size_t i = 0; is_seq(v) && i < platci_node_count(v); i++)
		if (!is_scalar(platci_node_item_at(v, i)))
			platci_rulefile__error(c, platci_node_item_at(v, i),
				"%s entries must be scalars", k->name);
}

static void quantity_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	const char *s = platci_node_scalar(v, NULL);

	(void)k;
	if (platci_quantity_parse(dst, s) < 0)
		platci_rulefile__error(c, v, "\"%s\" is not a Kubernetes quantity", s ? s : "?");
}

static const rf_key quantity_keys[] = {
	{ RF_KEY("gte", RF_CUSTOM, 0, pol_op, q[0]), .parse = quantity_row },
	{ RF_KEY("lte", RF_CUSTOM, 0, pol_op, q[1]), .parse = quantity_row },
	{ RF_KEY("gt", RF_CUSTOM, 0, pol_op, q[2]), .parse = quantity_row },
	{ RF_KEY("lt", RF_CUSTOM, 0, pol_op, q[3]), .parse = quantity_row },
};
static const rf_table quantity_table =
	RF_TABLE("quantity {gte, lte, gt, lt}", quantity_keys, pol_op, NULL, NULL);

static const rf_key image_digest_keys[] = {
	{ RF_KEY("present", RF_BOOL, 0, pol_op, flag) },
};
static const rf_key image_registry_keys[] = {
	{ RF_KEY("in", RF_NODE, 0, pol_op, in), .parse = values_row },
	{ RF_KEY("notIn", RF_NODE, 0, pol_op, not_in), .parse = values_row },
};
static const rf_key image_tag_keys[] = {
	{ RF_KEY("present", RF_BOOL, 0, pol_op, flag) },
	{ RF_KEY("in", RF_NODE, 0, pol_op, in), .parse = values_row },
	{ RF_KEY("notIn", RF_NODE, 0, pol_op, not_in), .parse = values_row },
};
static const rf_table image_digest_table = RF_TABLE("imageDigest", image_digest_keys, pol_op, NULL, NULL);
static const rf_table image_registry_table =
	RF_TABLE("imageRegistry", image_registry_keys, pol_op, NULL, NULL);
static const rf_table image_tag_table = RF_TABLE("imageTag", image_tag_keys, pol_op, NULL, NULL);

/* The kinds `related` looks up, so the caller's index holds every object of them. */
static void related_check(rf_ctx *c, const platci_node *map, void *obj)
{
	platci_policy *p = c->user;
	pol_op *op = obj;
	const platci_node *nsf = platci_node_get(map, "namespaceFrom");
	pol_base base;
	size_t i = 0, before = c->errors;

	while (i < p->nrelated && strcmp(p->related_kinds[i], op->rel_kind) != 0)
		i++;
	if (i == p->nrelated && i >= PLATCI_ARRAY_SIZE(p->related_kinds))
		platci_rulefile__error(c, platci_node_get(map, "kind"),
			"too many related kinds (at "
			"most 16)");
	else if (i == p->nrelated)
		p->related_kinds[p->nrelated++] = op->rel_kind;
	parse_path(c, nsf, op->rel_ns_text, &base, &op->rel_ns);
	if (!op->rel_ns && c->errors == before)
		platci_rulefile__error(c, nsf, "related needs namespaceFrom (a path in this object)");
}

static const rf_key related_keys[] = {
	{ RF_KEY("kind", RF_STR, RF_REQUIRED | RF_NONEMPTY, pol_op, rel_kind) },
	{ RF_KEY("namespaceFrom", RF_STR, RF_REQUIRED | RF_NONEMPTY, pol_op, rel_ns_text) },
	{ RF_KEY("require", RF_CUSTOM, 0, pol_op, subs), .parse = conds_row },
};
static const rf_table related_table =
	RF_TABLE("related {kind, namespaceFrom, require}", related_keys, pol_op, NULL, related_check);

/* Every operator a condition may hold: the row checks and stores into a pol_op. */
static const struct {
	const char *name;
	pol_op_type type;
} operators[] = {
	{ "exists", OP_EXISTS },
	{ "absent", OP_ABSENT },
	{ "absentOr", OP_ABSENT_OR },
	{ "equals", OP_EQUALS },
	{ "notEquals", OP_NOT_EQUALS },
	{ "in", OP_IN },
	{ "notIn", OP_NOT_IN },
	{ "regex", OP_REGEX },
	{ "notRegex", OP_NOT_REGEX },
	{ "glob", OP_GLOB },
	{ "quantity", OP_QUANTITY },
	{ "imageRegistry", OP_IMAGE_REGISTRY },
	{ "imageTag", OP_IMAGE_TAG },
	{ "imageDigest", OP_IMAGE_DIGEST },
	{ "allOf", OP_ALL_OF },
	{ "anyOf", OP_ANY_OF },
	{ "not", OP_NOT },
	{ "hasKey", OP_HAS_KEY },
	{ "related", OP_RELATED },
};

static void walk_op(rf_ctx *c, const rf_table *t, const platci_node *v, pol_op *op)
{
	platci_rulefile__walk(c, v, t, op);
	op->has_flag = platci_node_get(v, "present") != NULL;
}

/* One operator @p name with value @p v into @p op. */
static void parse_op(rf_ctx *c, pol_op *op, const char *name, const platci_node *v)
{
	rf_key row = { .name = name };

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(operators); i++)
		if (strcmp(name, operators[i].name) == 0)
			op->type = operators[i].type;
	switch (op->type) {
	case OP_EXISTS:
	case OP_ABSENT:
		row.type = RF_BOOL;
		platci_rulefile__value(c, &row, v, &op->flag);
		op->has_flag = 1;
		break;
	case OP_EQUALS:
	case OP_NOT_EQUALS:
	case OP_GLOB:
		if (!is_scalar(v))
			platci_rulefile__error(c, v, "%s takes a scalar", name);
		op->value = v;
		break;
	case OP_IN:
	case OP_NOT_IN:
		values_row(c, &row, v, NULL);
		op->value = v;
		break;
	case OP_REGEX:
	case OP_NOT_REGEX:
	case OP_HAS_KEY:
		regex_row(c, &row, v, op);
		break;
	case OP_QUANTITY:
		if (!is_map(v) || !platci_node_count(v))
			platci_rulefile__error(c, v, "quantity takes {gte, lte, gt, lt}");
		else
			platci_rulefile__walk(c, v, &quantity_table, op);
		for (size_t i = 0; i < 4; i++)
			op->has_q[i] = platci_node_get(v, quantity_keys[i].name) != NULL;
		break;
	case OP_IMAGE_REGISTRY:
		walk_op(c, &image_registry_table, v, op);
		break;
	case OP_IMAGE_TAG:
		walk_op(c, &image_tag_table, v, op);
		break;
	case OP_IMAGE_DIGEST:
		walk_op(c, &image_digest_table, v, op);
		break;
	case OP_ABSENT_OR:
	case OP_ALL_OF:
	case OP_ANY_OF:
	case OP_NOT:
		parse_conds(c, v, &op->subs, name);
		break;
	case OP_RELATED:
		platci_rulefile__walk(c, v, &related_table, op);
		break;
	}
}

/* A condition's operators, in the order written: evaluation reports the first that fails. */
static void cond_check(rf_ctx *c, const platci_node *map, void *obj)
{
	pol_cond *cond = obj;
	size_t n = platci_node_count(map);

	if (cond->path)
		parse_path(c, platci_node_get(map, "path"), cond->path, &cond->base, &cond->q);
	if (!(cond->ops = alloc(c, n, sizeof(pol_op))))
		return;
	for (size_t i = 0; i < n; i++) {
		const char *key = platci_node_scalar(platci_node_key_at(map, i), NULL);
		if (strcmp(key, "path") != 0 && strcmp(key, "quantifier") != 0)
			parse_op(c, &cond->ops[cond->nops++], key, platci_node_value_at(map, i));
	}
	if (!cond->nops)
		platci_rulefile__error(c, map,
			"a condition needs an operator (exists, equals, in, "
			"regex, ...)");
}

static const char *const quantifiers[] = { "all", "any", "none", NULL };

static const rf_key cond_keys[] = {
	{ RF_KEY("path", RF_STR, 0, pol_cond, path) },
	{ RF_KEY("quantifier", RF_ENUM, 0, pol_cond, quant), .values = quantifiers },
/* cond_check parses the operators, in the order written */
#define OPERATOR(key) \
	{ \
		.name = key, .type = RF_ANY \
	}
	OPERATOR("exists"),
	OPERATOR("absent"),
	OPERATOR("absentOr"),
	OPERATOR("equals"),
	OPERATOR("notEquals"),
	OPERATOR("in"),
	OPERATOR("notIn"),
	OPERATOR("regex"),
	OPERATOR("notRegex"),
	OPERATOR("glob"),
	OPERATOR("quantity"),
	OPERATOR("imageRegistry"),
	OPERATOR("imageTag"),
	OPERATOR("imageDigest"),
	OPERATOR("allOf"),
	OPERATOR("anyOf"),
	OPERATOR("not"),
	OPERATOR("hasKey"),
	OPERATOR("related"),
#undef OPERATOR
};
static const rf_table cond_table = RF_TABLE("a condition", cond_keys, pol_cond, NULL, cond_check);

/* One condition (a mapping) or a list of them. */
static void parse_conds(rf_ctx *c, const platci_node *node, pol_conds *out, const char *what)
{
	size_t n = is_map(node) ? 1 : platci_node_count(node);

	if (!is_map(node) && !is_seq(node)) {
		platci_rulefile__error(c, node, "%s must be a list of conditions", what);
		return;
	}
	if (!(out->items = alloc(c, n, sizeof(pol_cond))))
		return;
	out->count = n;
	for (size_t i = 0; i < n; i++)
		platci_rulefile__walk(c, is_map(node) ? node : platci_node_item_at(node, i),
			&cond_table, &out->items[i]);
}

/* ---- match ----------------------------------------------------------------------------------- */

/* "@set" (and "!@set") become plain kinds now, so evaluation only compares strings. */
static void expand_kinds(rf_ctx *c, pol_match *m, const platci_node *at)
{
	const platci_policy *p = c->user;
	size_t total = 0, w = 0;
	const char **items;

	for (size_t i = 0; i < m->kinds.count; i++) {
		const char *k = m->kinds.items[i] + (m->kinds.items[i][0] == '!');
		const platci_node *set = *k == '@' ? platci_node_get(p->kind_sets, k + 1) : NULL;
		if (*k != '@')
			total++;
		else if (!is_seq(set))
			platci_rulefile__error(c, at, "unknown kind set \"%s\"", k);
		else
			total += platci_node_count(set);
	}
	if (!(items = alloc(c, total + 1, sizeof(char *))))
		return;
	for (size_t i = 0; i < m->kinds.count; i++) {
		const char *k = m->kinds.items[i];
		int neg = *k == '!';
		const platci_node *set = k[neg] == '@' ? platci_node_get(p->kind_sets, k + neg + 1) : NULL;
		if (k[neg] != '@') {
			items[w++] = k;
			continue;
		}
		for (size_t j = 0; is_seq(set) && j < platci_node_count(set); j++) {
			const char *kind = platci_node_scalar(platci_node_item_at(set, j), NULL);
			char *x;
			if (!kind)
				continue;
			if (neg && (x = platci_arena_zalloc(c->arena, strlen(kind) + 2)) != NULL) {
				x[0] = '!';
				memcpy(x + 1, kind, strlen(kind) + 1);
				kind = x;
			} else if (neg) {
				c->oom = 1;
			}
			items[w++] = kind;
		}
	}
	m->kinds.items = items;
	m->kinds.count = w;
}

static void match_init(pol_match *m)
{
	memset(m, 0, sizeof(*m));
	m->protected_only = -1;
}

/* The actions a plan rule may match, as docs/policies.md names them. */
static const char *const plan_actions[] = { "create", "update", "delete", "replace", "read",
	"no-op", "forget", NULL };

/* Plan rules match changes (types, addresses, actions); manifest rules match objects. */
static void match_kind_check(rf_ctx *c, const platci_node *map, const pol_match *m)
{
	const platci_policy *p = c->user;

	if (p->plan && (m->kinds.count || m->namespaces.count || m->names.count || m->labels ||
			       m->protected_only >= 0))
		platci_rulefile__error(c, map,
			"a plan policy (kind: PlanPolicy) matches types, "
			"addresses, actions, paths and environments, not Kubernetes objects");
	if (!p->plan && (m->types.count || m->addresses.count || m->actions.count))
		platci_rulefile__error(c, map,
			"types, addresses and actions match Terraform plan "
			"changes: they need kind: PlanPolicy");
	for (size_t i = 0; i < m->actions.count; i++) {
		const char *a = m->actions.items[i] + (m->actions.items[i][0] == '!');
		size_t k = 0;
		while (plan_actions[k] && strcmp(plan_actions[k], a) != 0)
			k++;
		if (!plan_actions[k])
			platci_rulefile__error(c, platci_node_get(map, "actions"),
				"unknown action "
				"\"%s\" (create, update, delete, replace, read, no-op, forget)",
				a);
	}
}

static void match_check(rf_ctx *c, const platci_node *map, void *obj)
{
	pol_match *m = obj;

	m->node = map;
	match_kind_check(c, map, m);
	if (m->labels && !is_map(m->labels))
		platci_rulefile__error(c, m->labels,
			"match.labels must be a mapping of label to "
			"glob");
	expand_kinds(c, m, platci_node_get(map, "kinds"));
}

static const rf_key match_keys[] = {
	{ RF_KEY("kinds", RF_STRS, 0, pol_match, kinds) },
	{ RF_KEY("namespaces", RF_STRS, 0, pol_match, namespaces) },
	{ RF_KEY("names", RF_STRS, 0, pol_match, names) },
	{ RF_KEY("labels", RF_NODE, 0, pol_match, labels) },
	{ RF_KEY("paths", RF_STRS, 0, pol_match, paths) },
	{ RF_KEY("environments", RF_ENVS, 0, pol_match, environments) },
	{ RF_KEY("protected", RF_BOOL, 0, pol_match, protected_only) },
	{ RF_KEY("types", RF_STRS, 0, pol_match, types) },
	{ RF_KEY("addresses", RF_STRS, 0, pol_match, addresses) },
	{ RF_KEY("actions", RF_STRS, 0, pol_match, actions) },
};
static const rf_table match_table = RF_TABLE("match", match_keys, pol_match, NULL, match_check);

/* ---- rules ----------------------------------------------------------------------------------- */

static void severity_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	const char *s = platci_node_scalar(v, NULL);

	(void)k;
	if (!s || platci_severity_parse(dst, s) < 0)
		platci_rulefile__error(c, v,
			"severity must be info, minor, major, critical or "
			"blocker");
}

static const char *const actions[] = { "warn", "deny", NULL };
static const char *const unknown_values[] = { "fail", "pass", NULL };
static const rf_key action_row = { .name = "enforcement", .type = RF_ENUM, .values = actions };
static const char *const enforcement_extra[] = { "default", NULL };

static void rule_init(void *obj)
{
	pol_rule *r = obj;

	memset(r, 0, sizeof(*r));
	r->severity = PLATCI_SEVERITY_MAJOR;
	match_init(&r->match);
}

static void rule_check(rf_ctx *c, const platci_node *map, void *obj)
{
	pol_rule *r = obj;
	const platci_node *each = platci_node_get(map, "forEach");

	r->line = platci_node_start(map).line;
	if (((const platci_policy *)c->user)->plan && each)
		platci_rulefile__error(c, each,
			"forEach is for manifest rules; a plan rule reaches "
			"list items with a path such as security_rule[*] and a quantifier");
	if (!r->req.count)
		platci_rulefile__error(c, map, "rule %s has no require conditions", r->id);
	if (!(r->each = alloc(c, r->each_paths.count, sizeof(pol_each))))
		return;
	for (size_t i = 0; i < r->each_paths.count; i++) {
		r->each[i].path = r->each_paths.items[i];
		parse_path(c, each, r->each[i].path, &r->each[i].base, &r->each[i].q);
		r->neach++;
	}
}

static const rf_key rule_keys[] = {
	{ RF_KEY("id", RF_STR, RF_REQUIRED | RF_NONEMPTY, pol_rule, id) },
	{ RF_KEY("title", RF_STR, 0, pol_rule, title) },
	{ RF_KEY("message", RF_STR, 0, pol_rule, message) },
	{ RF_KEY("description", RF_STR, 0, pol_rule, description) },
	{ RF_KEY("severity", RF_CUSTOM, 0, pol_rule, severity), .parse = severity_row },
	{ RF_KEY("match", RF_MAP, 0, pol_rule, match), .table = &match_table },
	{ RF_KEY("when", RF_CUSTOM, 0, pol_rule, when), .parse = conds_row },
	{ RF_KEY("forEach", RF_STRS, 0, pol_rule, each_paths) },
	{ RF_KEY("require", RF_CUSTOM, 0, pol_rule, req), .parse = conds_row },
	{ RF_KEY("enforcement", RF_ENV_MAP, 0, pol_rule, enforcement), .values = enforcement_extra,
		.value = &action_row },
	{ RF_KEY("unknown", RF_ENUM, 0, pol_rule, unknown_passes), .values = unknown_values },
};
static const rf_table rule_table = RF_TABLE("a rule", rule_keys, pol_rule, rule_init, rule_check);

/* ---- exceptions ---------------------------------------------------------------------------- */

/* Rule @p id of the set, or NULL. */
static const pol_rule *set_rule(const platci_policy *p, const char *id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].id && platci__glob_match(id, p->rules[i].id))
			return &p->rules[i];
	return NULL;
}

static int builtin(const char *id)
{
	for (size_t i = 0; i < platci_rules_count(); i++)
		if (platci__glob_match(id, platci_rules_at(i)->id))
			return 1;
	return 0;
}

/* Every id an exception names is a rule of the set or a built-in one; say which it resembles. */
static void check_ids(rf_ctx *c, pol_exception *x, const platci_node *at)
{
	const platci_policy *p = c->user;
	const char **names;
	size_t n = 0;
	int any_set = 0;

	if (!(names = alloc(c, p->nrules + platci_rules_count(), sizeof(char *))))
		return;
	for (size_t i = 0; i < p->nrules; i++)
		names[n++] = p->rules[i].id;
	for (size_t i = 0; i < platci_rules_count(); i++)
		names[n++] = platci_rules_at(i)->id;
	for (size_t i = 0; i < x->ids.count; i++) {
		const char *id = x->ids.items[i], *near;
		if (set_rule(p, id)) {
			any_set = 1;
			continue;
		}
		if (builtin(id))
			continue;
		near = platci_rulefile__suggest(id, names, n);
		platci_rulefile__error(c, at, "exception names unknown rule \"%s\"%s%s%s", id,
			near ? "; did you mean \"" : " (neither a rule of this set nor one platci raises)",
			near ? near : "", near ? "\"?" : "");
	}
	x->builtin_only = !any_set;
}

static void exception_init(void *obj)
{
	pol_exception *x = obj;

	memset(x, 0, sizeof(*x));
	match_init(&x->match);
}

static void exception_check(rf_ctx *c, const platci_node *map, void *obj)
{
	const platci_policy *p = c->user;
	pol_exception *x = obj;
	const pol_match *m = &x->match;
	const platci_node *at = platci_node_get(map, x->rules.items ? "rules" : "rule");
	char label[600];
	size_t n = x->rule.count + x->rules.count, i = 0;

	if (!n) {
		platci_rulefile__error(c, map, "an exception must name its rule (rule: ID)");
		return;
	}
	if (!(x->ids.items = alloc(c, n + 1, sizeof(char *))))
		return;
	for (size_t j = 0; j < x->rule.count; j++)
		x->ids.items[i++] = x->rule.items[j];
	for (size_t j = 0; j < x->rules.count; j++)
		x->ids.items[i++] = x->rules.items[j];
	x->ids.count = n;
	check_ids(c, x, at);
	/* built-in findings carry a file and an environment, not an object */
	if (x->builtin_only && (m->kinds.count || m->namespaces.count || m->names.count ||
				       m->labels || m->protected_only >= 0))
		platci_rulefile__error(c, m->node,
			"an exception of built-in rules matches on paths "
			"and environments only: their findings name no object");
	if (x->w.expires.at > p->now + (time_t)(p->settings.max_days + 1) * 86400)
		x->w.invalid = "it lives longer than settings.maxExceptionDays allows";
	snprintf(label, sizeof(label), "exception #%zu (%s, expires %s): %s",
		(size_t)(x - (pol_exception *)p->exc_list.items) + 1,
		x->w.ticket ? x->w.ticket : x->w.owner, x->w.expires.text, x->w.reason);
	if (!(x->label = platci_arena_strdup(c->arena, label)))
		c->oom = 1;
}

static const rf_key exception_keys[] = {
	{ RF_KEY("rule", RF_STRS, 0, pol_exception, rule) },
	{ RF_KEY("rules", RF_STRS, 0, pol_exception, rules) },
	{ RF_KEY("match", RF_MAP, 0, pol_exception, match), .table = &match_table },
	{ RF_KEY(NULL, RF_EMBED, 0, pol_exception, w), .table = &platci_waiver__table },
};
static const rf_table exception_table =
	RF_TABLE("an exception", exception_keys, pol_exception, exception_init, exception_check);

/* ---- the set ------------------------------------------------------------------------------- */

static const rf_key settings_keys[] = {
	{ RF_KEY("maxExceptionDays", RF_INT, 0, pol_settings, max_days), .min = 1, .max = 3650 },
};
static const rf_table settings_table = RF_TABLE("settings", settings_keys, pol_settings, NULL, NULL);

static void kind_sets_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	(void)k;
	(void)dst;
	if (!is_map(v))
		platci_rulefile__error(c, v, "kindSets must map names to lists of kinds");
}

/*
 * Rules are read before exceptions (rows run in table order): exceptions
 * look them up. Kept even when one is wrong, so the policy frees what they
 * compiled.
 */
static void rules_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	platci_policy *p = c->user;
	rf_key list = *k;

	if (platci_node_is_null(v))
		return;
	list.type = RF_LIST;
	list.parse = NULL;
	platci_rulefile__value(c, &list, v, dst);
	p->rules = p->rule_list.items;
	p->nrules = p->rule_list.count;
	for (size_t i = 0; i < p->nrules; i++)
		for (size_t j = 0; j < i; j++)
			if (p->rules[i].id && p->rules[j].id && !strcmp(p->rules[i].id, p->rules[j].id))
				platci_rulefile__error(c, platci_node_item_at(v, i),
					"rule id %s is used twice", p->rules[i].id);
}

/* `kind: PlanPolicy` makes a set of plan rules; read first, the rules depend on it. */
static void kind_row(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst)
{
	const char *s = platci_node_scalar(v, NULL);

	(void)k;
	(void)dst;
	if (s && strcmp(s, "PlanPolicy") == 0)
		((platci_policy *)c->user)->plan = 1;
}

static const rf_key root_keys[] = {
	{ RF_KEY("apiVersion", RF_STR, 0, platci_policy, api_version) },
	{ RF_KEY("kind", RF_STR, 0, platci_policy, kind), .parse = kind_row },
	{ .name = "metadata", .type = RF_ANY },
	{ .name = "version", .type = RF_ANY },
	{ RF_KEY("settings", RF_MAP, 0, platci_policy, settings), .table = &settings_table },
	{ RF_KEY("kindSets", RF_NODE, 0, platci_policy, kind_sets), .parse = kind_sets_row },
	{ RF_KEY("enforcement", RF_ENV_MAP, 0, platci_policy, enforcement),
		.values = enforcement_extra, .value = &action_row },
	{ RF_KEY("rules", RF_CUSTOM, 0, platci_policy, rule_list), .table = &rule_table, .parse = rules_row },
	{ RF_KEY("exceptions", RF_LIST, 0, platci_policy, exc_list), .table = &exception_table },
};
static const rf_table root_table = RF_TABLE("the policy set", root_keys, platci_policy, NULL, NULL);

static int load_doc(platci_policy *p, const platci_config *cfg, platci_diag *diag)
{
	const platci_node *root;
	rf_ctx c;
	int error;

	platci_rulefile__init(&c, p->name, cfg, &p->arena, diag);
	c.user = p;
	p->settings.max_days = 180;
	if ((error = platci_rulefile__root(&c, p->doc, &root)) < 0 || !root)
		return error; /* an empty policy file has no rules: nothing to enforce */
	platci_rulefile__walk(&c, root, &root_table, p);
	p->exc = p->exc_list.items;
	p->nexc = p->exc_list.count;
	return platci_rulefile__status(&c);
}

int platci_policy_load_buffer(platci_policy **out, const char *name, const char *data, size_t len,
	const platci_config *cfg, time_t now, platci_diag *diag)
{
	platci_policy *p = NULL;
	int error = 0;

	*out = NULL;
	PLATCI_CHECK_ALLOC(p = calloc(1, sizeof(*p)));
	platci_arena_init(&p->arena, 8192);
	p->now = now;
	PLATCI_CHECK_ALLOC(p->name = platci_arena_strdup(&p->arena, name ? name : "policy"));
	if ((error = platci_doc_load_buffer(&p->doc, p->name, data, len, NULL, diag)) < 0 ||
		(error = load_doc(p, cfg, diag)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	platci_policy_free(p);
	return error;
}

int platci_policy_load_file(platci_policy **out, const char *path, const char *name,
	const platci_config *cfg, time_t now, platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = platci_fs_read(&data, path, 16u * 1024 * 1024, diag)) == 0)
		error = platci_policy_load_buffer(out, name ? name : path, data.ptr, data.size, cfg,
			now, diag);
	platci_buf_dispose(&data);
	return error;
}

/* Regexes and compiled paths are the only things not in the arena. */
static void conds_dispose(const pol_conds *cs)
{
	for (size_t i = 0; i < cs->count; i++) {
		const pol_cond *c = &cs->items[i];
		platci_query_free(c->q);
		for (size_t j = 0; j < c->nops; j++) {
			pol_op *op = &c->ops[j];
			if (op->has_re)
				regfree(&op->re);
			conds_dispose(&op->subs);
			platci_query_free(op->rel_ns);
		}
	}
}

void platci_policy_free(platci_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		conds_dispose(&p->rules[i].when);
		conds_dispose(&p->rules[i].req);
		for (size_t j = 0; j < p->rules[i].neach; j++)
			platci_query_free(p->rules[i].each[j].q);
	}
	platci_doc_free(p->doc);
	platci_arena_dispose(&p->arena);
	free(p);
}

size_t platci_policy_rule_count(const platci_policy *p)
{
	return p ? p->nrules : 0;
}

const char *platci_policy_rule_id_at(const platci_policy *p, size_t i)
{
	return p && i < p->nrules ? p->rules[i].id : NULL;
}

const char *platci_policy_related_kind_at(const platci_policy *p, size_t i)
{
	return p && i < p->nrelated ? p->related_kinds[i] : NULL;
}

size_t platci_policy_exception_count(const platci_policy *p)
{
	return p ? p->nexc : 0;
}
