/*
 * Objects, arrays and the alternatives (anyOf, oneOf): the validator's
 * structural half. Uniqueness (uniqueItems, list-type set and map) hashes
 * the items and compares only equal hashes, so a long list costs
 * n log n, not n squared.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_eval.h"
#include "util/common.h"
#include "util/banned.h"

#define FAIL_FAST() \
	do { \
		bad = 1; \
		if (c->quiet || c->stopped || c->error) \
			goto done; \
	} while (0)

static const sch *deref(const sch *s)
{
	while (s->ref)
		s = s->ref;
	return s;
}

/* ---- the pairs of a mapping, YAML merge keys (`<<: *base`) included ---------------- */

typedef struct pairs {
	platci_node **kv; /* key, value, key, value... */
	size_t n;
	platci_node **owned;
} pairs;

static int is_merge(const platci_node *k)
{
	return k->type == PLATCI_NODE_SCALAR && k->style == PLATCI_STYLE_PLAIN && k->len == 2 &&
	       k->value[0] == '<' && k->value[1] == '<';
}

static int has_pair(const pairs *p, const platci_node *key)
{
	for (size_t i = 0; i < p->n; i++) {
		const platci_node *k = p->kv[2 * i];
		if (k->type == PLATCI_NODE_SCALAR && key->type == PLATCI_NODE_SCALAR &&
			k->len == key->len && !memcmp(k->value, key->value, k->len))
			return 1;
	}
	return 0;
}

static int merge_from(pairs *p, size_t *alloc, const platci_node *src, int depth)
{
	if (depth > 16 || src->type != PLATCI_NODE_MAPPING)
		return 0;
	for (size_t i = 0; i < src->len; i++) {
		platci_node *k = src->items[2 * i];
		if (is_merge(k) || has_pair(p, k))
			continue;
		if (platci__grow_array((void **)&p->owned, alloc, 2 * p->n + 2, sizeof(*p->owned)) < 0)
			return PLATCI_ENOMEM;
		p->kv = p->owned;
		p->owned[2 * p->n] = k;
		p->owned[2 * p->n++ + 1] = src->items[2 * i + 1];
	}
	return 0;
}

static int pairs_of(pairs *p, const platci_node *n)
{
	size_t alloc = 0;
	int merges = 0;

	p->kv = n->items;
	p->n = n->len;
	p->owned = NULL;
	for (size_t i = 0; i < n->len; i++)
		merges |= is_merge(n->items[2 * i]);
	if (!merges)
		return 0;
	p->n = 0;
	for (size_t i = 0; i < n->len; i++) {
		platci_node *k = n->items[2 * i];
		if (is_merge(k))
			continue;
		if (platci__grow_array((void **)&p->owned, &alloc, 2 * p->n + 2, sizeof(*p->owned)) < 0)
			return PLATCI_ENOMEM;
		p->kv = p->owned;
		p->owned[2 * p->n] = k;
		p->owned[2 * p->n++ + 1] = n->items[2 * i + 1];
	}
	/* Own keys first; then the merged mappings, earlier ones winning. */
	for (size_t i = 0; i < n->len; i++) {
		const platci_node *m = n->items[2 * i + 1];
		if (!is_merge(n->items[2 * i]))
			continue;
		if (m->type == PLATCI_NODE_SEQUENCE) {
			for (size_t k = 0; k < m->len; k++)
				if (merge_from(p, &alloc, m->items[k], 1) < 0)
					return PLATCI_ENOMEM;
		} else if (merge_from(p, &alloc, m, 1) < 0) {
			return PLATCI_ENOMEM;
		}
	}
	return 0;
}

/* The value of @p name among the pairs; absent when null in Kubernetes mode. */
static const platci_node *pair_value(const vctx *c, const pairs *p, const char *name, size_t len)
{
	for (size_t i = 0; i < p->n; i++) {
		const platci_node *k = p->kv[2 * i];
		if (k->type == PLATCI_NODE_SCALAR && k->len == len && !memcmp(k->value, name, len)) {
			const platci_node *v = p->kv[2 * i + 1];
			return c->k8s && platci_schema__type_of(v) == T_NULL ? NULL : v;
		}
	}
	return NULL;
}

/* ---- objects ------------------------------------------------------------------------ */

static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[65];

	/* a key or name without text (an empty YAML key) has no near miss */
	if (!a || !b || la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void unknown_field(vctx *c, const sch *s, const platci_node *k, const char *keyword)
{
	const sch_prop *best = NULL;
	size_t best_d = 3;
	const char *name = platci_schema__short_name(s);

	for (size_t i = 0; i < s->nprops; i++) {
		size_t d = distance(k->value, k->len, s->props[i].name, s->props[i].len);
		if (d < best_d) {
			best_d = d;
			best = &s->props[i];
		}
	}
	if (platci_schema__push_key(c, k) < 0)
		return;
	platci_schema__report(c, PLATCI_SCHEMA_V_UNKNOWN_FIELD, keyword, k,
		"unknown field \"%.100s\"%s%s%s%s%.100s%s", k->value, name ? " in " : "",
		name ? name : "", best ? " (did you mean " : "", best ? "\"" : "",
		best ? best->name : "", best ? "\"?)" : "");
	c->npath--;
}

/* apiVersion, kind and metadata of an x-kubernetes-embedded-resource. */
static int embedded_field(vctx *c, const platci_node *k, const platci_node *v)
{
	static const sch string_schema = { .flags = F_HAS_TYPE,
		.types = T_STRING,
		.max_length = SIZE_MAX,
		.max_items = SIZE_MAX,
		.max_props = SIZE_MAX };
	static const sch object_schema = { .flags = F_HAS_TYPE,
		.types = T_OBJECT,
		.max_length = SIZE_MAX,
		.max_items = SIZE_MAX,
		.max_props = SIZE_MAX };

	if (platci_schema__key_is(k, "metadata"))
		return platci_schema__eval_child(c,
			c->object_meta ? c->object_meta : &object_schema, k, 0, v);
	return platci_schema__eval_child(c, &string_schema, k, 0, v);
}

static int check_pair(vctx *c, const sch *s, const platci_node *k, const platci_node *v,
	size_t *seen_required, int closed)
{
	const sch_prop *prop =
		k->type == PLATCI_NODE_SCALAR ? platci_schema__find_prop(s, k->value, k->len) : NULL;
	int bad = 0, matched = 0;

	if (prop) {
		matched = 1;
		*seen_required += prop->required != 0;
		if (platci_schema__eval_child(c, prop->schema, k, 0, v))
			FAIL_FAST();
	}
	for (size_t i = 0; i < s->npatterns && k->type == PLATCI_NODE_SCALAR; i++) {
		int rc = platci_regex__search(s->patterns[i].re, k->value, k->len);
		if (rc == 1) {
			matched = 1;
			if (platci_schema__eval_child(c, s->patterns[i].schema, k, 0, v))
				FAIL_FAST();
		} else if (rc < 0) {
			c->error = rc == PLATCI_ENOMEM ? rc : c->error;
		}
	}
	if (matched)
		goto done;
	if ((s->flags & F_EMBEDDED) &&
		(platci_schema__key_is(k, "apiVersion") || platci_schema__key_is(k, "kind") ||
			platci_schema__key_is(k, "metadata"))) {
		if (embedded_field(c, k, v))
			FAIL_FAST();
	} else if (s->flags & F_ADDL_FALSE) {
		unknown_field(c, s, k, "additionalProperties");
		FAIL_FAST();
	} else if (s->additional) {
		if (platci_schema__eval_child(c, s->additional, k, 0, v))
			FAIL_FAST();
	} else if (closed) {
		unknown_field(c, s, k, "strict");
		FAIL_FAST();
	}
done:
	return bad;
}

static int check_required(vctx *c, const sch *s, const platci_node *n, const pairs *p, size_t seen)
{
	int bad = 0;

	for (size_t i = 0; seen < s->nrequired_props && i < s->nprops; i++) {
		if (!s->props[i].required || pair_value(c, p, s->props[i].name, s->props[i].len))
			continue;
		platci_schema__report(c, PLATCI_SCHEMA_V_REQUIRED, "required", n,
			"missing required field \"%.100s\"", s->props[i].name);
		FAIL_FAST();
	}
	for (size_t i = 0; i < s->nrequired_extra; i++) {
		const char *name = s->required_extra[i];
		if (pair_value(c, p, name, strlen(name)))
			continue;
		platci_schema__report(c, PLATCI_SCHEMA_V_REQUIRED, "required", n,
			"missing required field \"%.100s\"", name);
		FAIL_FAST();
	}
	if ((s->flags & F_EMBEDDED) &&
		(!pair_value(c, p, "apiVersion", 10) || !pair_value(c, p, "kind", 4))) {
		platci_schema__report(c, PLATCI_SCHEMA_V_REQUIRED, "x-kubernetes-embedded-resource",
			n, "an embedded object needs apiVersion and kind");
		FAIL_FAST();
	}
done:
	return bad;
}

static int check_dependencies(vctx *c, const sch *s, const platci_node *n, const pairs *p)
{
	int bad = 0;

	for (size_t i = 0; i < s->ndeps; i++) {
		const sch_dep *d = &s->deps[i];
		if (!pair_value(c, p, d->name, strlen(d->name)))
			continue;
		for (size_t k = 0; k < d->nnames; k++) {
			if (pair_value(c, p, d->names[k], strlen(d->names[k])))
				continue;
			platci_schema__report(c, PLATCI_SCHEMA_V_COMBINATION, "dependencies", n,
				"field \"%.100s\" requires field \"%.100s\"", d->name, d->names[k]);
			FAIL_FAST();
		}
		if (d->schema && platci_schema__eval(c, d->schema, n))
			FAIL_FAST();
	}
done:
	return bad;
}

int platci_schema__check_object(vctx *c, const sch *s, const platci_node *n)
{
	int closed = c->strict && (s->flags & F_CLOSED) && !(s->flags & F_METADATA);
	size_t seen = 0, present = 0;
	pairs p;
	int bad = 0;

	if (pairs_of(&p, n) < 0) {
		c->error = PLATCI_ENOMEM;
		return 1;
	}
	if ((s->flags & F_METADATA) && c->object_meta && platci_schema__eval(c, c->object_meta, n))
		FAIL_FAST();
	for (size_t i = 0; i < p.n; i++) {
		const platci_node *k = p.kv[2 * i], *v = p.kv[2 * i + 1];
		if (c->k8s && platci_schema__type_of(v) == T_NULL) {
			/* the API server drops a null field unless its schema is nullable */
			const sch_prop *prop = k->type == PLATCI_NODE_SCALAR
						       ? platci_schema__find_prop(s, k->value, k->len)
						       : NULL;
			if (!prop || !(deref(prop->schema)->flags & F_NULLABLE))
				continue;
		}
		present++;
		if (check_pair(c, s, k, v, &seen, closed))
			FAIL_FAST();
	}
	if (!c->partial && (s->nrequired_props || s->nrequired_extra || (s->flags & F_EMBEDDED)) &&
		check_required(c, s, n, &p, seen))
		FAIL_FAST();
	if (present < s->min_props || present > s->max_props) {
		platci_schema__report(c, PLATCI_SCHEMA_V_SIZE,
			present < s->min_props ? "minProperties" : "maxProperties", n,
			"must have %s %zu fields", present < s->min_props ? "at least" : "at most",
			present < s->min_props ? s->min_props : s->max_props);
		FAIL_FAST();
	}
	if (s->ndeps && check_dependencies(c, s, n, &p))
		FAIL_FAST();
done:
	free(p.owned);
	return bad;
}

/* ---- arrays ------------------------------------------------------------------------- */

typedef struct keyed {
	uint64_t hash;
	size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The list-map key of an item: its values of the map keys (absent keys included). */
static uint64_t item_key_hash(const sch *s, const platci_node *item)
{
	uint64_t h = 0x51;

	if (!s->nmap_keys)
		return platci_schema__hash(item, 0);
	for (size_t k = 0; k < s->nmap_keys; k++) {
		const platci_node *v = platci_node_get(item, s->map_keys[k]);
		h = h * 31 + (v ? platci_schema__hash(v, 0) : 0x9b);
	}
	return h;
}

static int same_item(const sch *s, const platci_node *a, const platci_node *b)
{
	if (!s->nmap_keys)
		return platci_schema__equal(a, b, 0);
	if (a->type != PLATCI_NODE_MAPPING || b->type != PLATCI_NODE_MAPPING)
		return 0;
	for (size_t k = 0; k < s->nmap_keys; k++) {
		const platci_node *va = platci_node_get(a, s->map_keys[k]);
		const platci_node *vb = platci_node_get(b, s->map_keys[k]);
		if ((va == NULL) != (vb == NULL) || (va && !platci_schema__equal(va, vb, 0)))
			return 0;
	}
	return 1;
}

static int report_duplicate(vctx *c, const sch *s, const platci_node *n, size_t first, size_t dup)
{
	const char *kw = s->nmap_keys               ? "x-kubernetes-list-map-keys"
			 : s->list_type == LIST_SET ? "x-kubernetes-list-type"
						    : "uniqueItems";

	if (platci_schema__push_index(c, dup) < 0)
		return 1;
	if (s->nmap_keys)
		platci_schema__report(c, PLATCI_SCHEMA_V_UNIQUE, kw, n->items[dup],
			"has the same key (%s%s) as item [%zu]; keys must be unique",
			s->map_keys[0], s->nmap_keys > 1 ? ", ..." : "", first);
	else
		platci_schema__report(c, PLATCI_SCHEMA_V_UNIQUE, kw, n->items[dup],
			"equals item [%zu]; items must be unique", first);
	c->npath--;
	return 1;
}

static int check_unique(vctx *c, const sch *s, const platci_node *n)
{
	size_t count = n->len;
	keyed *order;
	int bad = 0;

	if (count < 2)
		return 0;
	if (!(order = malloc(count * sizeof(*order)))) {
		c->error = PLATCI_ENOMEM;
		return 1;
	}
	for (size_t i = 0; i < count; i++) {
		order[i].hash = item_key_hash(s, n->items[i]);
		order[i].index = i;
	}
	qsort(order, count, sizeof(*order), cmp_keyed);
	for (size_t i = 0; i < count; i++)
		for (size_t j = i + 1; j < count && order[j].hash == order[i].hash; j++)
			if (same_item(s, n->items[order[i].index], n->items[order[j].index])) {
				bad = report_duplicate(c, s, n, order[i].index, order[j].index);
				if (c->quiet || c->stopped)
					goto done;
				break;
			}
done:
	free(order);
	return bad;
}

int platci_schema__check_array(vctx *c, const sch *s, const platci_node *n)
{
	size_t count = n->len;
	int bad = 0;

	if (count < s->min_items || count > s->max_items) {
		platci_schema__report(c, PLATCI_SCHEMA_V_SIZE, count < s->min_items ? "minItems" : "maxItems",
			n, "must have %s %zu items", count < s->min_items ? "at least" : "at most",
			count < s->min_items ? s->min_items : s->max_items);
		FAIL_FAST();
	}
	for (size_t i = 0; i < count; i++) {
		const sch *item = s->items;
		if (s->flags & F_TUPLE) {
			item = i < s->tuple.n ? s->tuple.items[i] : s->additional_items;
			if (i >= s->tuple.n && (s->flags & F_ADDL_ITEMS_FALSE)) {
				platci_schema__report(c, PLATCI_SCHEMA_V_SIZE, "additionalItems", n,
					"must have at most %zu items", s->tuple.n);
				FAIL_FAST();
				break;
			}
		}
		if (item && platci_schema__eval_child(c, item, NULL, i, n->items[i]))
			FAIL_FAST();
	}
	if (((s->flags & F_UNIQUE) || s->list_type != LIST_ATOMIC) && check_unique(c, s, n))
		FAIL_FAST();
done:
	return bad;
}

/* ---- anyOf, oneOf ------------------------------------------------------------------- */

/* The one alternative whose type admits the instance, when exactly one does: its
 * own violations explain the failure better than "matches none". */
static const sch *only_candidate(const sch_list *l, const platci_node *n)
{
	unsigned t = platci_schema__type_of(n);
	const sch *found = NULL;

	for (size_t i = 0; i < l->n; i++) {
		const sch *b = deref(l->items[i]);
		if ((b->flags & F_HAS_TYPE) && !(b->types & t) && !(t == T_INT && (b->types & T_NUMBER)))
			continue;
		if (found)
			return NULL;
		found = l->items[i];
	}
	return found;
}

static int explain_none(vctx *c, const sch_list *l, const platci_node *n, const char *kw)
{
	const sch *only = only_candidate(l, n);
	size_t before = c->recorded;

	if (only && platci_schema__eval(c, only, n) && c->recorded > before)
		return 1;
	platci_schema__report(c, PLATCI_SCHEMA_V_COMBINATION, kw, n,
		"matches none of the %zu alternatives of %s", l->n, kw);
	return 1;
}

int platci_schema__check_any_of(vctx *c, const sch *s, const platci_node *n)
{
	c->quiet++;
	for (size_t i = 0; i < s->any_of.n; i++) {
		if (!platci_schema__eval(c, s->any_of.items[i], n)) {
			c->quiet--;
			return 0;
		}
	}
	c->quiet--;
	if (c->quiet)
		return 1;
	return explain_none(c, &s->any_of, n, "anyOf");
}

int platci_schema__check_one_of(vctx *c, const sch *s, const platci_node *n)
{
	size_t matches = 0;

	c->quiet++;
	for (size_t i = 0; i < s->one_of.n; i++)
		matches += !platci_schema__eval(c, s->one_of.items[i], n);
	c->quiet--;
	if (matches == 1)
		return 0;
	if (c->quiet)
		return 1;
	if (!matches)
		return explain_none(c, &s->one_of, n, "oneOf");
	platci_schema__report(c, PLATCI_SCHEMA_V_COMBINATION, "oneOf", n,
		"matches %zu of the alternatives of oneOf; exactly one must match", matches);
	return 1;
}
