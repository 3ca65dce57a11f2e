/*
 * Evaluating a loaded policy on one document. Read-only over the policy,
 * so any number of threads may evaluate at once; each brings its own
 * findings list and exception usage counters.
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "platci/k8s.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct idx_entry {
	const char *kind;
	const char *ns;
	size_t target;
} idx_entry;

struct platci_policy_index {
	const platci_policy_target *targets;
	idx_entry *items;
	size_t count;
};

typedef struct ectx {
	const platci_policy *p;
	const platci_policy_index *idx;
	const platci_policy_target *t;
	const platci_node *root;
	const platci_node *pod;
	const platci_node *fail_at; /* deepest node known when a condition failed */
	int fail_inherited; /* fail_at is an inherited label: report at the object */
	/* labels kustomize sets on the object, as nodes ("m": metadata, "t": pod template) */
	platci_doc *inh;
	const platci_node *inh_m, *inh_t;
	const char *tmpl; /* where the kind's pod template labels live, or NULL */
} ectx;

typedef struct nodeset {
	const platci_node *stack[16];
	const platci_node **items;
	size_t count, alloc;
	int oom;
} nodeset;

static int collect(const platci_node *n, void *payload)
{
	nodeset *s = payload;

	if (s->count < PLATCI_ARRAY_SIZE(s->stack) && s->items == s->stack) {
		s->stack[s->count++] = n;
		return 0;
	}
	if (s->items == s->stack) {
		const platci_node **h = malloc(64 * sizeof(*h));
		if (!h) {
			s->oom = 1;
			return 1;
		}
		memcpy(h, s->stack, s->count * sizeof(*h));
		s->items = h;
		s->alloc = 64;
	}
	if (s->count == s->alloc) {
		const platci_node **h = realloc(s->items, s->alloc * 2 * sizeof(*h));
		if (!h) {
			s->oom = 1;
			return 1;
		}
		s->items = h;
		s->alloc *= 2;
	}
	s->items[s->count++] = n;
	return 0;
}

static void nodeset_init(nodeset *s)
{
	s->items = s->stack;
	s->count = 0;
	s->alloc = PLATCI_ARRAY_SIZE(s->stack);
	s->oom = 0;
}

static void nodeset_dispose(nodeset *s)
{
	if (s->items != s->stack)
		free(s->items);
}

static const char *effective_ns(const platci_policy_target *t, const platci_k8s_id *id)
{
	int cluster;

	if (id->kind && strcmp(id->kind, "Namespace") == 0)
		return id->name ? id->name : "";
	cluster = platci_k8s_is_cluster_scoped(id->kind);
	if (cluster)
		return "";
	if (t->namespace_)
		return t->namespace_;
	return id->namespace_ ? id->namespace_ : "default";
}

/* The value of @p key in a NULL-terminated key,value... array, or NULL. */
static const char *pair_get(const char *const *kv, const char *key)
{
	for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
		if (strcmp(kv[i], key) == 0)
			return kv[i + 1];
	return NULL;
}

/* include/exclude list: "!x" excludes; when any plain entry exists one must match. */
int platci_policy__list_ok(const platci_policy *p, const pol_strlist *l, const char *v, int kinds)
{
	int has_plain = 0, matched = 0;

	if (!l->count)
		return 1;
	if (!v)
		v = "";
	for (size_t i = 0; i < l->count; i++) {
		const char *e = l->items[i];
		int neg = *e == '!', hit = 0;
		if (neg)
			e++;
		if (kinds && *e == '@') {
			const platci_node *set = platci_node_get(p->kind_sets, e + 1);
			for (size_t j = 0; j < platci_node_count(set) && !hit; j++)
				hit = platci_node_is(platci_node_item_at(set, j), v);
		} else if (!strpbrk(e, "*?")) {
			hit = strcmp(e, v) == 0;
		} else {
			hit = platci__glob_match(e, v);
		}
		if (neg && hit)
			return 0;
		if (!neg) {
			has_plain = 1;
			matched |= hit;
		}
	}
	return !has_plain || matched;
}

static int match_ok(const platci_policy *p, const pol_match *m, const platci_policy_target *t,
	const platci_k8s_id *id)
{
	if (!platci_policy__list_ok(p, &m->kinds, id->kind, 1) ||
		!platci_policy__list_ok(p, &m->namespaces, effective_ns(t, id), 0) ||
		!platci_policy__list_ok(p, &m->names, id->name, 0) ||
		!platci_policy__list_ok(p, &m->paths, t->file, 0) ||
		!platci_policy__list_ok(p, &m->environments, t->env, 0))
		return 0;
	if (m->protected_only >= 0 && m->protected_only != (t->env_protected ? 1 : 0))
		return 0;
	if (m->labels) {
		const platci_node *labels = platci_node_dig(id->root, "metadata.labels");
		for (size_t i = 0; i < platci_node_count(m->labels); i++) {
			const char *k = platci_node_scalar(platci_node_key_at(m->labels, i), NULL);
			const char *want = platci_node_scalar(platci_node_value_at(m->labels, i), NULL);
			/* kustomize's label transformer overwrites what the document says */
			const char *inh = k ? pair_get(t->labels, k) : NULL;
			const char *have = inh ? inh : k ? platci_node_get_str(labels, k) : NULL;
			if (!want)
				continue;
			if (*want == '!') {
				if (have && platci__glob_match(want + 1, have))
					return 0;
			} else if (!have || !platci__glob_match(want, have)) {
				return 0;
			}
		}
	}
	return 1;
}

/* YAML 1.2 core type of a scalar, so "false" (quoted) and false stay apart. */
static int scalar_class(const platci_node *n)
{
	const char *s = platci_node_scalar(n, NULL);
	char *end;

	if (platci_node_style_of(n) != PLATCI_STYLE_PLAIN)
		return 's';
	if (platci_node_is_null(n))
		return 'n';
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") || !strcmp(s, "false") ||
		!strcmp(s, "False") || !strcmp(s, "FALSE"))
		return 'b';
	if (*s) {
		(void)strtod(s, &end);
		if (!*end)
			return 'd';
	}
	return 's';
}

static int scalar_eq(const platci_node *a, const platci_node *b)
{
	int ca, cb;
	const char *sa, *sb;

	if (!a || !b || platci_node_type_of(a) != PLATCI_NODE_SCALAR ||
		platci_node_type_of(b) != PLATCI_NODE_SCALAR)
		return 0;
	ca = scalar_class(a);
	cb = scalar_class(b);
	if (ca != cb)
		return 0;
	sa = platci_node_scalar(a, NULL);
	sb = platci_node_scalar(b, NULL);
	if (ca == 'b')
		return (sa[0] == 't' || sa[0] == 'T') == (sb[0] == 't' || sb[0] == 'T');
	if (ca == 'n')
		return 1;
	if (ca == 'd')
		return strtod(sa, NULL) == strtod(sb, NULL);
	return strcmp(sa, sb) == 0;
}

static int in_list(const platci_node *list, const platci_node *v)
{
	if (platci_node_type_of(list) == PLATCI_NODE_SCALAR)
		return scalar_eq(list, v);
	for (size_t i = 0; i < platci_node_count(list); i++)
		if (scalar_eq(platci_node_item_at(list, i), v))
			return 1;
	return 0;
}

static int str_in_list(const platci_node *list, const char *s)
{
	if (platci_node_type_of(list) == PLATCI_NODE_SCALAR)
		return platci__glob_match(platci_node_scalar(list, NULL), s);
	for (size_t i = 0; i < platci_node_count(list); i++) {
		const char *e = platci_node_scalar(platci_node_item_at(list, i), NULL);
		if (e && platci__glob_match(e, s))
			return 1;
	}
	return 0;
}

static int eval_cond(ectx *c, const platci_node *base, const pol_cond *cond, int *failed_op);

static int eval_subs_all(ectx *c, const platci_node *base, const pol_cond *subs, size_t n)
{
	int dummy;
	for (size_t i = 0; i < n; i++)
		if (!eval_cond(c, base, &subs[i], &dummy))
			return 0;
	return 1;
}

static int eval_related(ectx *c, const platci_node *node, const pol_op *op)
{
	const platci_node *nsn = node ? platci_query_first_node(op->rel_ns, node) : NULL;
	const char *ns = platci_node_scalar(nsn, NULL);
	size_t lo = 0, hi;

	if (!ns || !c->idx)
		return 0;
	hi = c->idx->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(c->idx->items[mid].kind, op->rel_kind);
		if (!k)
			k = strcmp(c->idx->items[mid].ns, ns);
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->idx->count && !strcmp(c->idx->items[lo].kind, op->rel_kind) &&
		!strcmp(c->idx->items[lo].ns, ns);
		lo++) {
		const platci_policy_target *o = &c->idx->targets[c->idx->items[lo].target];
		ectx sub = *c;
		platci_k8s_id oid;
		const char *pp;

		sub.inh = NULL; /* the labels inherited by this object are not the other's */
		sub.inh_m = sub.inh_t = NULL;
		sub.tmpl = NULL;

		/* objects of another environment do not protect this one */
		if (o->env && c->t->env && strcmp(o->env, c->t->env) != 0)
			continue;
		platci_k8s_identity(&oid, o->root);
		sub.t = o;
		sub.root = o->root;
		pp = platci_k8s_pod_spec_path(oid.kind);
		sub.pod = pp ? platci_node_dig(o->root, pp) : NULL;
		if (eval_subs_all(&sub, o->root, op->subs.items, op->subs.count))
			return 1;
	}
	return 0;
}

static int eval_op(ectx *c, const platci_node *node, const pol_op *op)
{
	const char *s = node && platci_node_type_of(node) == PLATCI_NODE_SCALAR
				? platci_node_scalar(node, NULL)
				: NULL;

	switch (op->type) {
	case OP_EXISTS:
		return (node && !platci_node_is_null(node)) == (op->flag != 0);
	case OP_ABSENT:
		return (node == NULL) == (op->flag != 0);
	case OP_ABSENT_OR:
		return !node || eval_subs_all(c, node, op->subs.items, op->subs.count);
	case OP_EQUALS:
		return scalar_eq(node, op->value);
	case OP_NOT_EQUALS:
		return !scalar_eq(node, op->value);
	case OP_IN:
		return node && in_list(op->value, node);
	case OP_NOT_IN:
		return !node || !in_list(op->value, node);
	case OP_REGEX:
		return s && regexec(&op->re, s, 0, NULL, 0) == 0;
	case OP_NOT_REGEX:
		return !s || regexec(&op->re, s, 0, NULL, 0) != 0;
	case OP_GLOB:
		return s && platci__glob_match(platci_node_scalar(op->value, NULL), s);
	case OP_QUANTITY: {
		double v;
		if (!s || platci_quantity_parse(&v, s) < 0)
			return 0;
		/* compare with a relative tolerance: 0.1 cores and 100m must be equal */
		if (op->has_q[0] && v < op->q[0] * (1 - 1e-12))
			return 0;
		if (op->has_q[1] && v > op->q[1] * (1 + 1e-12))
			return 0;
		if (op->has_q[2] && !(v > op->q[2] * (1 + 1e-12)))
			return 0;
		if (op->has_q[3] && !(v < op->q[3] * (1 - 1e-12)))
			return 0;
		return 1;
	}
	case OP_IMAGE_REGISTRY:
	case OP_IMAGE_TAG:
	case OP_IMAGE_DIGEST: {
		platci_image im;
		if (!s || platci_image_parse(&im, s) < 0)
			return 0;
		if (op->type == OP_IMAGE_REGISTRY) {
			if (op->in && !str_in_list(op->in, im.registry))
				return 0;
			if (op->not_in && str_in_list(op->not_in, im.registry))
				return 0;
			return 1;
		}
		if (op->type == OP_IMAGE_DIGEST)
			return !op->has_flag || (im.digest[0] != 0) == (op->flag != 0);
		/* a digest pins the image whatever the tag says */
		if (op->has_flag && ((im.tag[0] || im.digest[0]) != 0) != (op->flag != 0))
			return 0;
		if (!im.digest[0] && im.tag[0]) {
			if (op->in && !str_in_list(op->in, im.tag))
				return 0;
			if (op->not_in && str_in_list(op->not_in, im.tag))
				return 0;
		}
		return 1;
	}
	case OP_ALL_OF:
		return eval_subs_all(c, node, op->subs.items, op->subs.count);
	case OP_ANY_OF: {
		int dummy;
		for (size_t i = 0; i < op->subs.count; i++)
			if (eval_cond(c, node, &op->subs.items[i], &dummy))
				return 1;
		return 0;
	}
	case OP_NOT:
		return !eval_subs_all(c, node, op->subs.items, op->subs.count);
	case OP_HAS_KEY:
		if (!node || platci_node_type_of(node) != PLATCI_NODE_MAPPING)
			return 0;
		for (size_t i = 0; i < platci_node_count(node); i++) {
			const char *k = platci_node_scalar(platci_node_key_at(node, i), NULL);
			if (k && regexec(&op->re, k, 0, NULL, 0) == 0)
				return 1;
		}
		return 0;
	case OP_RELATED:
		return eval_related(c, node, op);
	}
	return 0;
}

static int eval_ops(ectx *c, const platci_node *node, const pol_cond *cond, int *failed_op)
{
	for (size_t i = 0; i < cond->nops; i++) {
		if (!eval_op(c, node, &cond->ops[i])) {
			*failed_op = (int)i;
			return 0;
		}
	}
	return 1;
}

static const platci_node *base_of(const ectx *c, pol_base b, const platci_node *cur)
{
	return b == BASE_POD ? c->pod : b == BASE_ROOT ? c->root : cur;
}

/* 1 when the first @p n steps of @p q are the plain keys of @p dotted. */
static int steps_are(const platci_query *q, size_t n, const char *dotted)
{
	const char *p = dotted;

	for (size_t i = 0; i < n; i++) {
		const platci_query_step *st = platci_query_step_at(q, i);
		size_t len = strcspn(p, ".");
		if (!st || st->kind != PLATCI_QUERY_KEY || strlen(st->key) != len ||
			strncmp(st->key, p, len) != 0)
			return 0;
		p += len;
		if (*p == '.')
			p++;
		else if (i + 1 < n)
			return 0;
	}
	return *p == '\0';
}

/*
 * The label kustomize sets where @p cond reads, from the object's root:
 * `metadata.labels.<key>` or the pod template's labels. NULL when the
 * condition reads anything else or no kustomization sets that label.
 */
static const platci_node *inherited(const ectx *c, const platci_node *from, const pol_cond *cond)
{
	const platci_query_step *last;
	size_t n;

	if (!c->inh || !from || from != c->root || !cond->q)
		return NULL;
	n = platci_query_step_count(cond->q);
	if (n < 3 || !(last = platci_query_step_at(cond->q, n - 1)) || last->kind != PLATCI_QUERY_KEY)
		return NULL;
	if (c->inh_m && steps_are(cond->q, n - 1, "metadata.labels"))
		return platci_node_get(c->inh_m, last->key);
	if (c->inh_t && c->tmpl && steps_are(cond->q, n - 1, c->tmpl))
		return platci_node_get(c->inh_t, last->key);
	return NULL;
}

/* 1 pass, 0 fail; *failed_op names the operator that failed. */
static int eval_cond(ectx *c, const platci_node *base, const pol_cond *cond, int *failed_op)
{
	const platci_node *from = base_of(c, cond->base, base);
	const platci_node *inh;
	nodeset s;
	int ok;

	*failed_op = 0;
	if ((inh = inherited(c, from, cond)) != NULL) {
		int dummy;
		/* the transformer's value is the one the cluster gets */
		ok = cond->quant == Q_NONE ? !eval_ops(c, inh, cond, &dummy)
					   : eval_ops(c, inh, cond, failed_op);
		if (!ok && !c->fail_at) {
			c->fail_at = inh;
			c->fail_inherited = 1;
		}
		return ok;
	}
	if (!cond->q && !cond->path)
		return eval_ops(c, from, cond, failed_op);
	if (!cond->q)
		return eval_ops(c, from, cond, failed_op);
	nodeset_init(&s);
	if (from)
		platci_query_nodes(cond->q, from, collect, &s);
	if (s.oom) {
		nodeset_dispose(&s);
		return 0;
	}
	if (s.count == 0) {
		ok = cond->quant == Q_NONE ? 1 : eval_ops(c, NULL, cond, failed_op);
		if (!ok && !c->fail_at)
			c->fail_at = from;
	} else if (cond->quant == Q_ANY) {
		ok = 0;
		for (size_t i = 0; i < s.count && !ok; i++)
			ok = eval_ops(c, s.items[i], cond, failed_op);
		if (!ok && !c->fail_at)
			c->fail_at = s.items[0];
	} else if (cond->quant == Q_NONE) {
		int dummy;
		ok = 1;
		for (size_t i = 0; i < s.count && ok; i++) {
			if (eval_ops(c, s.items[i], cond, &dummy)) {
				ok = 0;
				if (!c->fail_at)
					c->fail_at = s.items[i];
			}
		}
	} else {
		ok = 1;
		for (size_t i = 0; i < s.count && ok; i++) {
			if (!eval_ops(c, s.items[i], cond, failed_op)) {
				ok = 0;
				if (!c->fail_at)
					c->fail_at = s.items[i];
			}
		}
	}
	nodeset_dispose(&s);
	return ok;
}

typedef struct object_match {
	const platci_policy_target *t;
	const platci_k8s_id *id;
} object_match;

static int covers_object(const platci_policy *p, const pol_match *m, const void *payload)
{
	const object_match *o = payload;

	return match_ok(p, m, o->t, o->id);
}

static int report(ectx *c, const pol_rule *r, const platci_k8s_id *id, const platci_node *elem,
	const char *each_path, const pol_cond *cond, int failed_op, platci_findings *out, size_t *usage)
{
	const platci_policy *p = c->p;
	platci_buf msg = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT;
	const char *ename = elem ? platci_node_get_str(elem, "name") : NULL;
	const platci_node *at = c->fail_at && !c->fail_inherited ? c->fail_at
				: elem                           ? elem
								 : c->root;
	const pol_op *op = cond->nops ? &cond->ops[failed_op] : NULL;
	object_match m = { c->t, id };
	platci_pos pos = platci_node_start(at);
	int error = 0;

	platci_buf_printf(&msg, "%s/%s", id->kind ? id->kind : "?", id->name ? id->name : "?");
	if (ename)
		platci_buf_printf(&msg, " %s", ename);
	platci_buf_puts(&msg, ": ");
	/* values of Secrets never reach a report: they may be credentials */
	if (platci_policy__failure_text(&msg, r, cond, op, "the object") && c->fail_at &&
		platci_node_type_of(c->fail_at) == PLATCI_NODE_SCALAR && cond->path &&
		!(id->kind && strcmp(id->kind, "Secret") == 0))
		platci_buf_printf(&msg, " (found \"%s\")", platci_node_scalar(c->fail_at, NULL));
	platci_buf_printf(&key, "%s/%s/%s|%s|%s|%s", id->kind ? id->kind : "",
		effective_ns(c->t, id), id->name ? id->name : "", each_path ? each_path : "",
		ename ? ename : "", cond->path ? cond->path : "");
	if (msg.error || key.error) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	error = platci_policy__add_finding(out, p, r,
		&(platci_finding){ .message = msg.ptr,
			.file = c->t->file,
			.line = pos.line,
			.column = pos.column,
			.env = c->t->env,
			.key = key.ptr },
		covers_object, &m, usage);
done:
	platci_buf_dispose(&msg);
	platci_buf_dispose(&key);
	return error;
}

int platci_policy__holds(const platci_policy *p, const platci_node *root, const pol_cond *cond,
	const platci_node **fail_at, int *failed_op)
{
	ectx c;
	int ok;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.root = root;
	ok = eval_cond(&c, root, cond, failed_op);
	*fail_at = ok ? NULL : c.fail_at;
	return ok;
}

static int eval_rule(ectx *c, const pol_rule *r, const platci_k8s_id *id, platci_findings *out, size_t *usage)
{
	int failed_op, error = 0;

	for (size_t i = 0; i < r->when.count; i++)
		if (!eval_cond(c, c->root, &r->when.items[i], &failed_op))
			return 0;
	if (!r->neach) {
		for (size_t i = 0; i < r->req.count && !error; i++) {
			c->fail_at = NULL;
			c->fail_inherited = 0;
			if (!eval_cond(c, c->root, &r->req.items[i], &failed_op))
				error = report(c, r, id, NULL, NULL, &r->req.items[i], failed_op,
					out, usage);
		}
		return error;
	}
	for (size_t e = 0; e < r->neach && !error; e++) {
		const platci_node *from = base_of(c, r->each[e].base, c->root);
		nodeset s;

		nodeset_init(&s);
		if (from && r->each[e].q)
			platci_query_nodes(r->each[e].q, from, collect, &s);
		else if (from)
			collect(from, &s);
		for (size_t k = 0; k < s.count && !error; k++) {
			const platci_node *n = s.items[k];
			size_t items = platci_node_type_of(n) == PLATCI_NODE_SEQUENCE
					       ? platci_node_count(n)
					       : 1;
			for (size_t j = 0; j < items && !error; j++) {
				const platci_node *el = platci_node_type_of(n) == PLATCI_NODE_SEQUENCE
								? platci_node_item_at(n, j)
								: n;
				for (size_t i = 0; i < r->req.count && !error; i++) {
					c->fail_at = NULL;
					c->fail_inherited = 0;
					if (!eval_cond(c, el, &r->req.items[i], &failed_op))
						error = report(c, r, id, el, r->each[e].path,
							&r->req.items[i], failed_op, out, usage);
				}
			}
		}
		if (s.oom)
			error = PLATCI_ENOMEM;
		nodeset_dispose(&s);
	}
	return error;
}

int platci_policy_eval(const platci_policy *p, const platci_policy_index *idx,
	const platci_policy_target *t, platci_findings *out, size_t *usage)
{
	platci_k8s_id id;
	ectx c;
	const char *pp;
	static const char labels_at[] = "metadata.labels";
	char tmpl[64];
	size_t ppl;
	int error = 0;

	PLATCI_ASSERT_ARG(p && t && out);
	if (!platci_k8s_identity(&id, t->root) || !id.kind)
		return 0;
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.idx = idx;
	c.t = t;
	c.root = t->root;
	pp = platci_k8s_pod_spec_path(id.kind);
	c.pod = pp ? platci_node_dig(t->root, pp) : NULL;
	/* a pod template's labels sit beside its spec: spec.template.spec -> spec.template.metadata.labels */
	ppl = pp ? strlen(pp) : 0;
	if (ppl > 14 && strcmp(pp + ppl - 14, ".template.spec") == 0 &&
		ppl - 4 + sizeof(labels_at) <= sizeof(tmpl)) {
		memcpy(tmpl, pp, ppl - 4);
		memcpy(tmpl + ppl - 4, labels_at, sizeof(labels_at));
		c.tmpl = tmpl;
	}
	if ((error = platci_policy__inherited(&c.inh, &c.inh_m, &c.inh_t, t)) < 0)
		return error;
	for (size_t i = 0; i < p->nrules && !error && !p->plan; i++)
		if (match_ok(p, &p->rules[i].match, t, &id))
			error = eval_rule(&c, &p->rules[i], &id, out, usage);
	platci_doc_free(c.inh);
	return error;
}

static int cmp_entry(const void *a, const void *b)
{
	const idx_entry *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	if (!c)
		c = strcmp(x->ns, y->ns);
	if (!c)
		c = x->target < y->target ? -1 : x->target > y->target;
	return c;
}

int platci_policy_index_new(platci_policy_index **out, const platci_policy_target *targets, size_t count)
{
	platci_policy_index *idx;

	*out = NULL;
	if (!(idx = calloc(1, sizeof(*idx))))
		return PLATCI_ENOMEM;
	idx->targets = targets;
	idx->items = calloc(count + 1, sizeof(idx_entry));
	if (!idx->items) {
		free(idx);
		return PLATCI_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		platci_k8s_id id;
		if (!platci_k8s_identity(&id, targets[i].root) || !id.kind)
			continue;
		idx->items[idx->count].kind = id.kind;
		idx->items[idx->count].ns = effective_ns(&targets[i], &id);
		idx->items[idx->count].target = i;
		idx->count++;
	}
	qsort(idx->items, idx->count, sizeof(idx_entry), cmp_entry);
	*out = idx;
	return 0;
}

void platci_policy_index_free(platci_policy_index *idx)
{
	if (!idx)
		return;
	free(idx->items);
	free(idx);
}
