/*
 * Loading policies/manifests.yaml: every rule, condition and exception is
 * checked up front, with file:line:column, so evaluation never meets a
 * malformed rule and a typo never silently disables a check.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "platci/fs.h"
#include "platci/k8s.h"
#include "util/common.h"
#include "platci/clock.h"
#include "util/banned.h"

typedef struct loader {
	platci_policy *p;
	platci_diag *diag;
	int bad;
} loader;

static void perr(loader *ld, const platci_node *at, const char *fmt, ...) PLATCI_PRINTF(3, 4);

static void perr(loader *ld, const platci_node *at, const char *fmt, ...)
{
	platci_diag_entry e;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&e, 0, sizeof(e));
	e.code = PLATCI_EDATA;
	e.source = ld->p->name;
	if (at) {
		platci_pos pos = platci_node_start(at);
		e.line = pos.line;
		e.column = pos.column;
		e.offset = pos.offset;
	}
	platci_diag_add(ld->diag, &e, "%s", msg);
	ld->bad = 1;
}

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

static int check_keys(loader *ld, const platci_node *map, const char *what,
	const char *const *allowed)
{
	for (size_t i = 0; i < platci_node_count(map); i++) {
		const platci_node *k = platci_node_key_at(map, i);
		const char *ks = platci_node_scalar(k, NULL);
		int ok = 0;
		for (size_t j = 0; ks && allowed[j]; j++)
			if (strcmp(ks, allowed[j]) == 0)
				ok = 1;
		if (!ok)
			perr(ld, k, "unknown key \"%s\" in %s", ks ? ks : "?", what);
	}
	return 0;
}

static int parse_strlist(loader *ld, pol_strlist *out, const platci_node *n, const char *what)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	if (is_scalar(n)) {
		out->items = calloc(1, sizeof(char *));
		if (!out->items)
			return PLATCI_ENOMEM;
		out->items[0] = platci_node_scalar(n, NULL);
		out->count = 1;
		return 0;
	}
	if (!is_seq(n)) {
		perr(ld, n, "%s must be a list of strings", what);
		return 0;
	}
	out->items = calloc(platci_node_count(n) + 1, sizeof(char *));
	if (!out->items)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *it = platci_node_item(n, i);
		if (!is_scalar(it)) {
			perr(ld, it, "%s must be a list of strings", what);
			continue;
		}
		out->items[out->count++] = platci_node_scalar(it, NULL);
	}
	return 0;
}

/* The policy owns @p s from now on (freed with it), also when this fails. */
static int keep_string(platci_policy *p, char *s)
{
	if (!s)
		return PLATCI_ENOMEM;
	if (platci__grow_array((void **)&p->strings, &p->astrings, p->nstrings + 1,
		    sizeof(char *)) < 0) {
		free(s);
		return PLATCI_ENOMEM;
	}
	p->strings[p->nstrings++] = s;
	return 0;
}

static int parse_match(loader *ld, pol_match *m, const platci_node *n)
{
	static const char *const keys[] = { "kinds", "namespaces", "names", "labels", "paths",
		"environments", "protected", NULL };
	const platci_node *prot;
	int error;

	memset(m, 0, sizeof(*m));
	m->protected_only = -1;
	if (!n)
		return 0;
	if (!is_map(n)) {
		perr(ld, n, "match must be a mapping");
		return 0;
	}
	check_keys(ld, n, "match", keys);
	if ((error = parse_strlist(ld, &m->kinds, platci_node_get(n, "kinds"), "match.kinds")) < 0 ||
	    (error = parse_strlist(ld, &m->namespaces, platci_node_get(n, "namespaces"),
		     "match.namespaces")) < 0 ||
	    (error = parse_strlist(ld, &m->names, platci_node_get(n, "names"), "match.names")) < 0 ||
	    (error = parse_strlist(ld, &m->paths, platci_node_get(n, "paths"), "match.paths")) < 0 ||
	    (error = parse_strlist(ld, &m->environments, platci_node_get(n, "environments"),
		     "match.environments")) < 0)
		return error;
	/* Expand "@set" (and "!@set") into plain kinds now, so evaluation only compares strings. */
	{
		size_t total = 0, w = 0;
		const char **items;
		for (size_t i = 0; i < m->kinds.count; i++) {
			const char *k = m->kinds.items[i];
			const platci_node *set;
			if (*k == '!')
				k++;
			if (*k != '@') {
				total++;
				continue;
			}
			set = platci_node_get(ld->p->kind_sets, k + 1);
			if (!set || platci_node_type_of(set) != PLATCI_NODE_SEQUENCE)
				perr(ld, platci_node_get(n, "kinds"), "unknown kind set \"%s\"", k);
			else
				total += platci_node_count(set);
		}
		if (!(items = calloc(total + 1, sizeof(char *))))
			return PLATCI_ENOMEM;
		for (size_t i = 0; i < m->kinds.count; i++) {
			const char *k = m->kinds.items[i];
			int neg = *k == '!';
			const platci_node *set;
			if (neg)
				k++;
			if (*k != '@') {
				items[w++] = m->kinds.items[i];
				continue;
			}
			set = platci_node_get(ld->p->kind_sets, k + 1);
			for (size_t j = 0; set && platci_node_type_of(set) == PLATCI_NODE_SEQUENCE &&
			     j < platci_node_count(set); j++) {
				const char *kind = platci_node_scalar(platci_node_item(set, j), NULL);
				if (!kind)
					continue;
				if (neg) {
					size_t len = strlen(kind);
					char *x = malloc(len + 2);
					if (!x || keep_string(ld->p, x) < 0) {
						free(items);
						return PLATCI_ENOMEM;
					}
					x[0] = '!';
					memcpy(x + 1, kind, len + 1);
					kind = x;
				}
				items[w++] = kind;
			}
		}
		free(m->kinds.items);
		m->kinds.items = items;
		m->kinds.count = w;
	}
	m->labels = platci_node_get(n, "labels");
	if (m->labels && !is_map(m->labels))
		perr(ld, m->labels, "match.labels must be a mapping of label to glob");
	if ((prot = platci_node_get(n, "protected")) != NULL) {
		if (platci_node_is(prot, "true"))
			m->protected_only = 1;
		else if (platci_node_is(prot, "false"))
			m->protected_only = 0;
		else
			perr(ld, prot, "match.protected must be true or false");
	}
	return 0;
}

static int parse_path(loader *ld, const platci_node *at, const char *text, pol_base *base,
	platci_query **q)
{
	platci_diag *qd = NULL;
	const char *rest = text;
	int error = 0;

	*base = BASE_CURRENT;
	*q = NULL;
	if (strncmp(text, "$pod", 4) == 0 && (text[4] == '\0' || text[4] == '.' || text[4] == '[')) {
		*base = BASE_POD;
		rest = text + 4;
	} else if (text[0] == '$' && (text[1] == '\0' || text[1] == '.' || text[1] == '[')) {
		*base = BASE_ROOT;
		rest = text + 1;
	} else if (text[0] == '$') {
		perr(ld, at, "unknown path anchor in \"%s\" (use $pod or $)", text);
		return 0;
	}
	if (*rest == '.')
		rest++;
	if (!*rest)
		return 0;
	if (platci_diag_new(&qd) < 0)
		return PLATCI_ENOMEM;
	error = platci_query_compile(q, rest, qd);
	if (error == PLATCI_ENOMEM)
		goto done;
	if (error < 0) {
		const platci_diag_entry *e = platci_diag_get(qd, 0);
		perr(ld, at, "bad path \"%s\": %s", text, e ? e->message : "syntax error");
		error = 0;
	}
done:
	platci_diag_free(qd);
	return error;
}

static int parse_conds(loader *ld, pol_cond **out, size_t *n, const platci_node *node,
	const char *what);

static int parse_regex(loader *ld, pol_op *op, const platci_node *v)
{
	const char *s = platci_node_scalar(v, NULL);
	int rc;

	if (!s) {
		perr(ld, v, "a regex must be a string");
		return 0;
	}
	rc = regcomp(&op->re, s, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char buf[200];
		regerror(rc, &op->re, buf, sizeof(buf));
		perr(ld, v, "bad regex \"%s\": %s", s, buf);
		return 0;
	}
	op->has_re = 1;
	return 0;
}

static int parse_bool(loader *ld, const platci_node *v, int *out)
{
	if (platci_node_is(v, "true")) {
		*out = 1;
		return 1;
	}
	if (platci_node_is(v, "false")) {
		*out = 0;
		return 1;
	}
	perr(ld, v, "expected true or false");
	return 0;
}

static int parse_list_or_scalar(loader *ld, const platci_node *v, const char *what)
{
	if (!is_seq(v) && !is_scalar(v)) {
		perr(ld, v, "%s must be a list", what);
		return 0;
	}
	for (size_t i = 0; is_seq(v) && i < platci_node_count(v); i++)
		if (!is_scalar(platci_node_item(v, i)))
			perr(ld, platci_node_item(v, i), "%s entries must be scalars", what);
	return 1;
}

static int parse_op(loader *ld, pol_op *op, const char *key, const platci_node *v)
{
	static const struct {
		const char *name;
		pol_op_type type;
	} names[] = {
		{ "exists", OP_EXISTS }, { "absent", OP_ABSENT }, { "absentOr", OP_ABSENT_OR },
		{ "equals", OP_EQUALS }, { "notEquals", OP_NOT_EQUALS }, { "in", OP_IN },
		{ "notIn", OP_NOT_IN }, { "regex", OP_REGEX }, { "notRegex", OP_NOT_REGEX },
		{ "glob", OP_GLOB }, { "quantity", OP_QUANTITY }, { "imageRegistry", OP_IMAGE_REGISTRY },
		{ "imageTag", OP_IMAGE_TAG }, { "imageDigest", OP_IMAGE_DIGEST }, { "allOf", OP_ALL_OF },
		{ "anyOf", OP_ANY_OF }, { "not", OP_NOT }, { "hasKey", OP_HAS_KEY },
		{ "related", OP_RELATED },
	};
	int error = 0;

	memset(op, 0, sizeof(*op));
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(names); i++)
		if (strcmp(key, names[i].name) == 0)
			op->type = names[i].type;
	switch (op->type) {
	case OP_EXISTS:
	case OP_ABSENT:
		op->has_flag = parse_bool(ld, v, &op->flag);
		break;
	case OP_EQUALS:
	case OP_NOT_EQUALS:
	case OP_GLOB:
		if (!is_scalar(v))
			perr(ld, v, "%s takes a scalar", key);
		op->value = v;
		break;
	case OP_IN:
	case OP_NOT_IN:
		parse_list_or_scalar(ld, v, key);
		op->value = v;
		break;
	case OP_REGEX:
	case OP_NOT_REGEX:
	case OP_HAS_KEY:
		error = parse_regex(ld, op, v);
		break;
	case OP_QUANTITY: {
		static const char *const qk[] = { "gte", "lte", "gt", "lt" };
		if (!is_map(v) || !platci_node_count(v)) {
			perr(ld, v, "quantity takes {gte, lte, gt, lt}");
			break;
		}
		check_keys(ld, v, "quantity", (const char *const[]){ "gte", "lte", "gt", "lt", NULL });
		for (size_t i = 0; i < 4; i++) {
			const platci_node *b = platci_node_get(v, qk[i]);
			if (!b)
				continue;
			if (platci_quantity_parse(&op->q[i], platci_node_scalar(b, NULL)) < 0)
				perr(ld, b, "\"%s\" is not a Kubernetes quantity",
					platci_node_scalar(b, NULL) ? platci_node_scalar(b, NULL) : "?");
			op->has_q[i] = 1;
		}
		break;
	}
	case OP_IMAGE_REGISTRY:
	case OP_IMAGE_TAG:
	case OP_IMAGE_DIGEST: {
		const platci_node *pr;
		if (!is_map(v)) {
			perr(ld, v, "%s takes a mapping", key);
			break;
		}
		if (op->type == OP_IMAGE_DIGEST)
			check_keys(ld, v, key, (const char *const[]){ "present", NULL });
		else if (op->type == OP_IMAGE_REGISTRY)
			check_keys(ld, v, key, (const char *const[]){ "in", "notIn", NULL });
		else
			check_keys(ld, v, key, (const char *const[]){ "present", "in", "notIn", NULL });
		if ((pr = platci_node_get(v, "present")) != NULL)
			op->has_flag = parse_bool(ld, pr, &op->flag);
		if ((op->in = platci_node_get(v, "in")) != NULL)
			parse_list_or_scalar(ld, op->in, "in");
		if ((op->not_in = platci_node_get(v, "notIn")) != NULL)
			parse_list_or_scalar(ld, op->not_in, "notIn");
		break;
	}
	case OP_ABSENT_OR:
	case OP_ALL_OF:
	case OP_ANY_OF:
	case OP_NOT:
		error = parse_conds(ld, &op->subs, &op->nsubs, v, key);
		break;
	case OP_RELATED: {
		const platci_node *k, *nsf;
		pol_base b;
		if (!is_map(v)) {
			perr(ld, v, "related takes {kind, namespaceFrom, require}");
			break;
		}
		check_keys(ld, v, "related",
			(const char *const[]){ "kind", "namespaceFrom", "require", NULL });
		k = platci_node_get(v, "kind");
		op->rel_kind = platci_node_scalar(k, NULL);
		if (!op->rel_kind) {
			perr(ld, v, "related needs a kind");
		} else {
			size_t i = 0;
			while (i < ld->p->nrelated && strcmp(ld->p->related_kinds[i], op->rel_kind) != 0)
				i++;
			if (i == ld->p->nrelated) {
				if (i >= PLATCI_ARRAY_SIZE(ld->p->related_kinds))
					perr(ld, k, "too many related kinds (at most 16)");
				else
					ld->p->related_kinds[ld->p->nrelated++] = op->rel_kind;
			}
		}
		nsf = platci_node_get(v, "namespaceFrom");
		if (nsf && platci_node_scalar(nsf, NULL) &&
		    (error = parse_path(ld, nsf, platci_node_scalar(nsf, NULL), &b, &op->rel_ns)) < 0)
			break;
		if (!op->rel_ns)
			perr(ld, v, "related needs namespaceFrom (a path in this object)");
		error = parse_conds(ld, &op->subs, &op->nsubs, platci_node_get(v, "require"),
			"related.require");
		break;
	}
	default:
		return 1; /* not an operator */
	}
	return error;
}

static int parse_cond(loader *ld, pol_cond *c, const platci_node *n)
{
	const platci_node *pathn, *qn;
	int error = 0;

	memset(c, 0, sizeof(*c));
	if (!is_map(n)) {
		perr(ld, n, "a condition must be a mapping such as {path: x, exists: true}");
		return 0;
	}
	c->line = platci_node_start(n).line;
	c->column = platci_node_start(n).column;
	if ((pathn = platci_node_get(n, "path")) != NULL) {
		const char *ps = platci_node_scalar(pathn, NULL);
		if (!ps) {
			perr(ld, pathn, "path must be a string");
		} else {
			if (!(c->path = platci__strdup(ps)))
				return PLATCI_ENOMEM;
			if ((error = parse_path(ld, pathn, ps, &c->base, &c->q)) < 0)
				return error;
		}
	}
	if ((qn = platci_node_get(n, "quantifier")) != NULL) {
		if (platci_node_is(qn, "all"))
			c->quant = Q_ALL;
		else if (platci_node_is(qn, "any"))
			c->quant = Q_ANY;
		else if (platci_node_is(qn, "none"))
			c->quant = Q_NONE;
		else
			perr(ld, qn, "quantifier must be all, any or none");
	}
	c->ops = calloc(platci_node_count(n) + 1, sizeof(pol_op));
	if (!c->ops)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < platci_node_count(n); i++) {
		const platci_node *k = platci_node_key_at(n, i);
		const char *ks = platci_node_scalar(k, NULL);
		int rc;
		if (!ks || strcmp(ks, "path") == 0 || strcmp(ks, "quantifier") == 0)
			continue;
		rc = parse_op(ld, &c->ops[c->nops], ks, platci_node_value_at(n, i));
		if (rc < 0)
			return rc;
		if (rc == 1) {
			perr(ld, k, "unknown condition \"%s\"", ks);
			continue;
		}
		c->nops++;
	}
	if (!c->nops)
		perr(ld, n, "a condition needs an operator (exists, equals, in, regex, ...)");
	return 0;
}

static int parse_conds(loader *ld, pol_cond **out, size_t *n, const platci_node *node,
	const char *what)
{
	size_t count;
	int error = 0;

	*out = NULL;
	*n = 0;
	if (!node)
		return 0;
	if (is_map(node)) {
		*out = calloc(1, sizeof(pol_cond));
		if (!*out)
			return PLATCI_ENOMEM;
		*n = 1;
		return parse_cond(ld, *out, node);
	}
	if (!is_seq(node)) {
		perr(ld, node, "%s must be a list of conditions", what);
		return 0;
	}
	count = platci_node_count(node);
	*out = calloc(count + 1, sizeof(pol_cond));
	if (!*out)
		return PLATCI_ENOMEM;
	*n = count;
	for (size_t i = 0; i < count && !error; i++)
		error = parse_cond(ld, &(*out)[i], platci_node_item(node, i));
	return error;
}

static int check_enforcement(loader *ld, const platci_node *m)
{
	if (!m)
		return 0;
	if (!is_map(m)) {
		perr(ld, m, "enforcement must map environments (or default) to warn or deny");
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(m); i++) {
		const platci_node *v = platci_node_value_at(m, i);
		if (!platci_node_is(v, "warn") && !platci_node_is(v, "deny"))
			perr(ld, v, "enforcement must be warn or deny");
	}
	return 0;
}

static int parse_date(const char *s, time_t *out)
{
	long y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	d = strtol(s + 8, NULL, 10);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* the whole day counts: an exception expiring today still holds today */
	*out = (time_t)(platci_days_from_civil((int)y, (int)m, (int)d) * 86400L + 86399L);
	return 0;
}

static int parse_rule(loader *ld, pol_rule *r, const platci_node *n)
{
	static const char *const keys[] = { "id", "title", "message", "severity", "match", "when",
		"forEach", "require", "enforcement", "description", NULL };
	const platci_node *sev, *each;
	int error;

	memset(r, 0, sizeof(*r));
	r->severity = PLATCI_SEVERITY_MAJOR;
	if (!is_map(n)) {
		perr(ld, n, "a rule must be a mapping");
		return 0;
	}
	r->line = platci_node_start(n).line;
	check_keys(ld, n, "a rule", keys);
	r->id = platci_node_get_str(n, "id");
	if (!r->id || !*r->id)
		perr(ld, n, "a rule needs an id");
	r->title = platci_node_get_str(n, "title");
	r->message = platci_node_get_str(n, "message");
	if ((sev = platci_node_get(n, "severity")) != NULL &&
	    platci_severity_parse(&r->severity, platci_node_scalar(sev, NULL)) < 0)
		perr(ld, sev, "severity must be info, minor, major, critical or blocker");
	if ((error = parse_match(ld, &r->match, platci_node_get(n, "match"))) < 0 ||
	    (error = parse_conds(ld, &r->when, &r->nwhen, platci_node_get(n, "when"), "when")) < 0 ||
	    (error = parse_conds(ld, &r->req, &r->nreq, platci_node_get(n, "require"),
		     "require")) < 0)
		return error;
	if (!r->nreq)
		perr(ld, n, "rule %s has no require conditions", r->id ? r->id : "?");
	r->enforcement = platci_node_get(n, "enforcement");
	check_enforcement(ld, r->enforcement);
	if ((each = platci_node_get(n, "forEach")) != NULL) {
		pol_strlist l;
		if ((error = parse_strlist(ld, &l, each, "forEach")) < 0)
			return error;
		r->each = calloc(l.count + 1, sizeof(pol_each));
		if (!r->each) {
			free(l.items);
			return PLATCI_ENOMEM;
		}
		for (size_t i = 0; i < l.count && !error; i++) {
			r->each[i].path = platci__strdup(l.items[i]);
			if (!r->each[i].path)
				error = PLATCI_ENOMEM;
			else
				error = parse_path(ld, each, l.items[i], &r->each[i].base, &r->each[i].q);
			r->neach++;
		}
		free(l.items);
	}
	return error;
}

static int parse_exception(loader *ld, pol_exception *x, const platci_node *n, time_t now,
	size_t index)
{
	static const char *const keys[] = { "rule", "rules", "match", "reason", "ticket", "expires",
		NULL };
	const platci_node *r;
	char label[160];
	int error;

	memset(x, 0, sizeof(*x));
	if (!is_map(n)) {
		perr(ld, n, "an exception must be a mapping");
		return 0;
	}
	x->line = platci_node_start(n).line;
	x->column = platci_node_start(n).column;
	check_keys(ld, n, "an exception", keys);
	r = platci_node_get(n, "rules");
	if (!r)
		r = platci_node_get(n, "rule");
	if ((error = parse_strlist(ld, &x->rules, r, "exception rules")) < 0)
		return error;
	if (!x->rules.count)
		perr(ld, n, "an exception must name its rule (rule: ID)");
	for (size_t i = 0; i < x->rules.count; i++) {
		int found = 0;
		for (size_t j = 0; j < ld->p->nrules; j++)
			if (ld->p->rules[j].id && strcmp(ld->p->rules[j].id, x->rules.items[i]) == 0)
				found = 1;
		if (!found)
			perr(ld, r, "exception names unknown rule \"%s\"", x->rules.items[i]);
	}
	if ((error = parse_match(ld, &x->match, platci_node_get(n, "match"))) < 0)
		return error;
	x->reason = platci_node_get_str(n, "reason");
	x->ticket = platci_node_get_str(n, "ticket");
	x->expires_text = platci_node_get_str(n, "expires");
	if (!x->reason || !*x->reason)
		x->invalid = "it has no reason";
	else if (!x->ticket || !*x->ticket)
		x->invalid = "it has no ticket";
	else if (!x->expires_text)
		x->invalid = "it has no expiry date (expires: YYYY-MM-DD)";
	else if (parse_date(x->expires_text, &x->expires) < 0)
		x->invalid = "its expiry is not a YYYY-MM-DD date";
	else if (x->expires > now + (time_t)ld->p->max_days * 86400L + 86400L)
		x->invalid = "it lives longer than settings.maxExceptionDays allows";
	else if (x->expires < now)
		x->expired = 1;
	snprintf(label, sizeof(label), "exception #%zu (%s, expires %s): %s", index + 1,
		x->ticket ? x->ticket : "no ticket", x->expires_text ? x->expires_text : "never",
		x->reason ? x->reason : "no reason");
	if (!(x->label = platci__strdup(label)))
		return PLATCI_ENOMEM;
	return 0;
}

static int load_doc(platci_policy *p, time_t now, platci_diag *diag)
{
	static const char *const keys[] = { "apiVersion", "kind", "metadata", "version", "settings",
		"enforcement", "kindSets", "rules", "exceptions", NULL };
	loader ld = { p, diag, 0 };
	const platci_node *root = platci_doc_root(p->doc, 0), *rules, *exc, *settings;
	int error = 0;

	p->max_days = 180;
	if (platci_doc_count(p->doc) > 1)
		perr(&ld, platci_doc_root(p->doc, 1), "a policy file holds one document");
	if (!root) /* an empty policy file has no rules: nothing to enforce */
		return 0;
	if (!is_map(root)) {
		perr(&ld, root, "a policy file is a mapping (apiVersion, kind: PolicySet, rules...)");
		return PLATCI_EDATA;
	}
	check_keys(&ld, root, "the policy set", keys);
	if ((settings = platci_node_get(root, "settings")) != NULL) {
		const platci_node *md = platci_node_get(settings, "maxExceptionDays");
		check_keys(&ld, settings, "settings", (const char *const[]){ "maxExceptionDays", NULL });
		if (md) {
			const char *s = platci_node_scalar(md, NULL);
			char *end = NULL;
			long v = s ? strtol(s, &end, 10) : -1;
			if (!s || *end || v < 1 || v > 3650)
				perr(&ld, md, "maxExceptionDays must be a number of days from 1 to 3650");
			else
				p->max_days = v;
		}
	}
	p->kind_sets = platci_node_get(root, "kindSets");
	if (p->kind_sets && !is_map(p->kind_sets))
		perr(&ld, p->kind_sets, "kindSets must map names to lists of kinds");
	p->enforcement = platci_node_get(root, "enforcement");
	check_enforcement(&ld, p->enforcement);
	rules = platci_node_get(root, "rules");
	if (rules && !is_seq(rules))
		perr(&ld, rules, "rules must be a list");
	if (is_seq(rules)) {
		p->rules = calloc(platci_node_count(rules) + 1, sizeof(pol_rule));
		PLATCI_CHECK_ALLOC(p->rules);
		for (size_t i = 0; i < platci_node_count(rules); i++) {
			if ((error = parse_rule(&ld, &p->rules[p->nrules++], platci_node_item(rules, i))) < 0)
				goto done;
			for (size_t j = 0; j + 1 < p->nrules; j++)
				if (p->rules[j].id && p->rules[i].id && strcmp(p->rules[j].id, p->rules[i].id) == 0)
					perr(&ld, platci_node_item(rules, i), "rule id %s is used twice",
						p->rules[i].id);
		}
	}
	exc = platci_node_get(root, "exceptions");
	if (exc && !is_seq(exc))
		perr(&ld, exc, "exceptions must be a list");
	if (is_seq(exc)) {
		p->exc = calloc(platci_node_count(exc) + 1, sizeof(pol_exception));
		PLATCI_CHECK_ALLOC(p->exc);
		for (size_t i = 0; i < platci_node_count(exc); i++)
			if ((error = parse_exception(&ld, &p->exc[p->nexc++], platci_node_item(exc, i), now,
				     i)) < 0)
				goto done;
	}
done:
	if (!error && ld.bad)
		error = PLATCI_EDATA;
	return error;
}

int platci_policy_load_buffer(platci_policy **out, const char *name, const char *data,
	size_t len, time_t now, platci_diag *diag)
{
	platci_policy *p = NULL;
	int error = 0;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	PLATCI_CHECK_ALLOC(p);
	p->name = platci__strdup(name ? name : "policy");
	PLATCI_CHECK_ALLOC(p->name);
	if ((error = platci_doc_load_buffer(&p->doc, p->name, data, len, NULL, diag)) < 0)
		goto done;
	if ((error = load_doc(p, now, diag)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	platci_policy_free(p);
	return error;
}

int platci_policy_load_file(platci_policy **out, const char *path, const char *name, time_t now,
	platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = platci_fs_read(&data, path, 16u * 1024 * 1024, diag)) < 0)
		goto done;
	error = platci_policy_load_buffer(out, name ? name : path, data.ptr, data.size, now, diag);
done:
	platci_buf_dispose(&data);
	return error;
}

static void match_dispose(pol_match *m)
{
	free(m->kinds.items);
	free(m->namespaces.items);
	free(m->names.items);
	free(m->paths.items);
	free(m->environments.items);
}

void platci_policy__cond_dispose(pol_cond *c)
{
	free(c->path);
	platci_query_free(c->q);
	for (size_t i = 0; i < c->nops; i++) {
		pol_op *op = &c->ops[i];
		if (op->has_re)
			regfree(&op->re);
		for (size_t j = 0; j < op->nsubs; j++)
			platci_policy__cond_dispose(&op->subs[j]);
		free(op->subs);
		platci_query_free(op->rel_ns);
	}
	free(c->ops);
}

static void conds_free(pol_cond *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		platci_policy__cond_dispose(&c[i]);
	free(c);
}

void platci_policy_free(platci_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		pol_rule *r = &p->rules[i];
		match_dispose(&r->match);
		conds_free(r->when, r->nwhen);
		conds_free(r->req, r->nreq);
		for (size_t j = 0; j < r->neach; j++) {
			free(r->each[j].path);
			platci_query_free(r->each[j].q);
		}
		free(r->each);
	}
	free(p->rules);
	for (size_t i = 0; i < p->nexc; i++) {
		match_dispose(&p->exc[i].match);
		free(p->exc[i].rules.items);
		free(p->exc[i].label);
	}
	free(p->exc);
	for (size_t i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	free(p->strings);
	platci_doc_free(p->doc);
	free(p->name);
	free(p);
}

size_t platci_policy_rule_count(const platci_policy *p)
{
	return p ? p->nrules : 0;
}

const char *platci_policy_rule_id(const platci_policy *p, size_t i)
{
	return p && i < p->nrules ? p->rules[i].id : NULL;
}

const char *platci_policy_related_kind(const platci_policy *p, size_t i)
{
	return p && i < p->nrelated ? p->related_kinds[i] : NULL;
}

size_t platci_policy_exception_count(const platci_policy *p)
{
	return p ? p->nexc : 0;
}
