/*
 * The keywords of a schema object, read into a compiled node. Each
 * keyword's value is checked for shape; a wrong shape is an error at its
 * position, never a silent skip.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_compile.h"
#include "util/common.h"
#include "util/banned.h"

/* ---- small readers --------------------------------------------------------- */

int platci_schema__key_is(const platci_node *k, const char *name)
{
	size_t n = strlen(name);

	return k && k->type == PLATCI_NODE_SCALAR && k->len == n && !memcmp(k->value, name, n);
}

static int read_bool(schema_compiler *cc, const platci_node *v, const char *kw, int *out)
{
	if (platci_schema__type_of(v) != T_BOOL) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be true or false", kw);
		return -1;
	}
	*out = platci_node_scalar(v, NULL)[0] == 't' || platci_node_scalar(v, NULL)[0] == 'T';
	return 0;
}

static int read_count(schema_compiler *cc, const platci_node *v, const char *kw, size_t *out)
{
	long double d;

	/* the cast only below 2^64, where it is defined (a long double that large is whole) */
	if (!(platci_schema__type_of(v) & (T_INT | T_NUMBER)) || (d = platci_schema__number(v)) < 0 ||
		d != d || (d < 18446744073709551616.0L && d != (long double)(unsigned long long)d)) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be a non-negative integer", kw);
		return -1;
	}
	*out = d > (long double)SIZE_MAX ? SIZE_MAX : (size_t)d;
	return 0;
}

static int read_number(schema_compiler *cc, const platci_node *v, const char *kw, long double *out)
{
	if (!(platci_schema__type_of(v) & (T_INT | T_NUMBER))) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be a number", kw);
		return -1;
	}
	*out = platci_schema__number(v);
	return 0;
}

static const char *copy_str(schema_compiler *cc, const platci_node *v)
{
	size_t len;
	const char *s = platci_node_scalar(v, &len);
	char *c = s ? platci_arena_strndup(&cc->s->arena, s, len) : NULL;

	if (s && !c)
		cc->error = PLATCI_ENOMEM;
	return c;
}

/* An array of strings (required, list-map keys, property dependencies). */
static int read_names(schema_compiler *cc, const platci_node *v, const char *kw, const char ***out,
	size_t *count)
{
	size_t n = platci_node_count(v);

	if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be an array of strings", kw);
		return -1;
	}
	if (!(*out = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(**out)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const platci_node *it = platci_node_item_at(v, i);
		if (platci_schema__type_of(it) != T_STRING) {
			platci_schema__error(cc, PLATCI_EDATA, it, "%s must be an array of strings", kw);
			return -1;
		}
		if (!((*out)[i] = copy_str(cc, it)))
			return -1;
	}
	*count = n;
	return 0;
}

/* Deep copy of an enum value into the schema's arena. */
static platci_node *copy_value(schema_compiler *cc, const platci_node *n)
{
	platci_node *c = platci_arena_alloc(&cc->s->arena, sizeof(*c));
	size_t count;

	if (!c)
		goto oom;
	*c = *n;
	c->tag = n->tag ? platci_arena_strdup(&cc->s->arena, n->tag) : NULL;
	if (n->tag && !c->tag)
		goto oom;
	if (n->type == PLATCI_NODE_SCALAR) {
		if (!(c->value = platci_arena_strndup(&cc->s->arena, n->value, n->len)))
			goto oom;
		return c;
	}
	count = n->type == PLATCI_NODE_MAPPING ? 2 * n->len : n->len;
	c->items = NULL;
	if (count && !(c->items = platci_arena_alloc(&cc->s->arena, count * sizeof(*c->items))))
		goto oom;
	for (size_t i = 0; i < count; i++)
		if (!(c->items[i] = copy_value(cc, n->items[i])))
			return NULL;
	return c;
oom:
	cc->error = PLATCI_ENOMEM;
	return NULL;
}

static int read_type(schema_compiler *cc, sch *s, const platci_node *v)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = { { "null", T_NULL }, { "boolean", T_BOOL }, { "integer", T_INT },
		{ "number", T_NUMBER | T_INT }, { "string", T_STRING }, { "array", T_ARRAY },
		{ "object", T_OBJECT } };
	size_t n = platci_node_type_of(v) == PLATCI_NODE_SEQUENCE ? platci_node_count(v) : 1;

	for (size_t i = 0; i < n; i++) {
		const platci_node *t =
			platci_node_type_of(v) == PLATCI_NODE_SEQUENCE ? platci_node_item_at(v, i) : v;
		size_t k;
		for (k = 0; k < PLATCI_ARRAY_SIZE(names); k++)
			if (platci_schema__type_of(t) == T_STRING && platci_schema__key_is(t, names[k].name))
				break;
		if (k == PLATCI_ARRAY_SIZE(names)) {
			platci_schema__error(cc, PLATCI_EDATA, t,
				"type must be one of null, boolean, integer, number, string, array, object");
			return -1;
		}
		s->types = (uint8_t)(s->types | names[k].bits);
	}
	s->flags |= F_HAS_TYPE;
	return 0;
}

static int read_pattern(schema_compiler *cc, sch_pattern *out, const platci_node *v, const char *kw)
{
	char why[200];
	size_t len;
	const char *src;
	int rc;

	if (platci_schema__type_of(v) != T_STRING) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be a string", kw);
		return -1;
	}
	src = platci_node_scalar(v, &len);
	if ((rc = platci_regex__compile(&out->re, src, len, why, sizeof(why))) < 0) {
		if (rc == PLATCI_ENOMEM)
			cc->error = PLATCI_ENOMEM;
		else
			platci_schema__error(cc, PLATCI_EDATA, v, "%s \"%.120s\": %s", kw, src, why);
		return -1;
	}
	if (platci__grow_array((void **)&cc->regexes, &cc->regexes_alloc, cc->nregexes + 1,
		    sizeof(*cc->regexes)) < 0) {
		platci_regex__free(out->re);
		out->re = NULL;
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	cc->regexes[cc->nregexes++] = out->re;
	out->source = copy_str(cc, v);
	return out->source ? 0 : -1;
}

/* ---- subschemas ------------------------------------------------------------ */

static int read_schema_list(schema_compiler *cc, sch_list *out, const platci_node *v,
	const char *kw, const char *base, size_t depth)
{
	size_t n = platci_node_count(v);

	if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE || (n == 0 && strcmp(kw, "items"))) {
		platci_schema__error(cc, PLATCI_EDATA, v, "%s must be a non-empty array of schemas", kw);
		return -1;
	}
	if (!(out->items = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(*out->items)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!(out->items[i] = platci_schema__inline(cc, platci_node_item_at(v, i), base, depth + 1)))
			return -1;
	out->n = n;
	return 0;
}

static int cmp_prop(const void *a, const void *b)
{
	const sch_prop *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int read_properties(schema_compiler *cc, sch *s, const platci_node *v, const char *base, size_t depth)
{
	size_t n = platci_node_count(v), size = 4;

	if (platci_node_type_of(v) != PLATCI_NODE_MAPPING) {
		platci_schema__error(cc, PLATCI_EDATA, v, "properties must be an object");
		return -1;
	}
	if (!(s->props = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(*s->props)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		sch_prop *p = &s->props[i];
		if (!(p->name = copy_str(cc, platci_node_key_at(v, i))))
			return -1;
		platci_node_scalar(platci_node_key_at(v, i), &p->len);
		if (!(p->schema = platci_schema__inline(cc, platci_node_value_at(v, i), base, depth + 1)))
			return -1;
	}
	s->nprops = n;
	qsort(s->props, n, sizeof(*s->props), cmp_prop);
	while (size < n * 2)
		size *= 2;
	if (!(s->prop_table = platci_arena_zalloc(&cc->s->arena, size * sizeof(*s->prop_table)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	s->prop_mask = size - 1;
	for (size_t i = 0; i < n; i++) {
		size_t h = platci_schema__name_hash(s->props[i].name, s->props[i].len) & s->prop_mask;
		while (s->prop_table[h])
			h = (h + 1) & s->prop_mask;
		s->prop_table[h] = (uint32_t)(i + 1);
	}
	return 0;
}

static int read_pattern_properties(schema_compiler *cc, sch *s, const platci_node *v,
	const char *base, size_t depth)
{
	size_t n = platci_node_count(v);

	if (platci_node_type_of(v) != PLATCI_NODE_MAPPING) {
		platci_schema__error(cc, PLATCI_EDATA, v, "patternProperties must be an object");
		return -1;
	}
	if (!(s->patterns = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(*s->patterns)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (read_pattern(cc, &s->patterns[i], platci_node_key_at(v, i), "patternProperties") < 0 ||
			!(s->patterns[i].schema = platci_schema__inline(cc,
				  platci_node_value_at(v, i), base, depth + 1)))
			return -1;
	}
	s->npatterns = n;
	return 0;
}

static int read_dependencies(schema_compiler *cc, sch *s, const platci_node *v, const char *base, size_t depth)
{
	size_t n = platci_node_count(v);

	if (platci_node_type_of(v) != PLATCI_NODE_MAPPING) {
		platci_schema__error(cc, PLATCI_EDATA, v, "dependencies must be an object");
		return -1;
	}
	if (!(s->deps = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(*s->deps)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const platci_node *d = platci_node_value_at(v, i);
		sch_dep *dep = &s->deps[i];
		if (!(dep->name = copy_str(cc, platci_node_key_at(v, i))))
			return -1;
		if (platci_node_type_of(d) == PLATCI_NODE_SEQUENCE) {
			if (read_names(cc, d, "a property dependency", &dep->names, &dep->nnames) < 0)
				return -1;
		} else if (!(dep->schema = platci_schema__inline(cc, d, base, depth + 1))) {
			return -1;
		}
	}
	s->ndeps = n;
	return 0;
}

/* additionalProperties / additionalItems: false, true, or a schema. */
static int read_additional(schema_compiler *cc, sch **out, uint32_t *flags, uint32_t false_flag,
	const platci_node *v, const char *base, size_t depth)
{
	int b;

	if (platci_node_type_of(v) == PLATCI_NODE_SCALAR) {
		if (read_bool(cc, v, "additionalProperties/additionalItems", &b) < 0)
			return -1;
		if (!b)
			*flags |= false_flag;
		return 0;
	}
	return (*out = platci_schema__inline(cc, v, base, depth + 1)) ? 0 : -1;
}

static int read_items(schema_compiler *cc, sch *s, const platci_node *v, const char *base, size_t depth)
{
	if (platci_node_type_of(v) == PLATCI_NODE_SEQUENCE) {
		s->flags |= F_TUPLE;
		return read_schema_list(cc, &s->tuple, v, "items", base, depth);
	}
	return (s->items = platci_schema__inline(cc, v, base, depth + 1)) ? 0 : -1;
}

static int read_list_type(schema_compiler *cc, sch *s, const platci_node *v)
{
	if (platci_schema__key_is(v, "atomic"))
		s->list_type = LIST_ATOMIC;
	else if (platci_schema__key_is(v, "set"))
		s->list_type = LIST_SET;
	else if (platci_schema__key_is(v, "map"))
		s->list_type = LIST_MAP;
	else {
		platci_schema__error(cc, PLATCI_EDATA, v,
			"x-kubernetes-list-type must be atomic, set or map");
		return -1;
	}
	return 0;
}

static int read_enum(schema_compiler *cc, sch *s, const platci_node *v)
{
	size_t n = platci_node_count(v);

	if (platci_node_type_of(v) != PLATCI_NODE_SEQUENCE) {
		platci_schema__error(cc, PLATCI_EDATA, v, "enum must be an array");
		return -1;
	}
	if (!(s->enum_values = platci_arena_zalloc(&cc->s->arena, (n ? n : 1) * sizeof(*s->enum_values)))) {
		cc->error = PLATCI_ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!(s->enum_values[i] = copy_value(cc, platci_node_item_at(v, i))))
			return -1;
	s->nenum = n;
	return 0;
}

/* ---- the keyword dispatch ---------------------------------------------------- */

enum {
	KW_NONE,
	KW_MINIMUM,
	KW_MAXIMUM,
	KW_EXCL_MIN,
	KW_EXCL_MAX,
	KW_MULTIPLE,
	KW_MIN_LENGTH,
	KW_MAX_LENGTH,
	KW_PATTERN,
	KW_FORMAT,
	KW_ENUM,
	KW_TYPE,
	KW_PROPERTIES,
	KW_PATTERN_PROPS,
	KW_ADDL_PROPS,
	KW_REQUIRED,
	KW_MIN_PROPS,
	KW_MAX_PROPS,
	KW_DEPENDENCIES,
	KW_ITEMS,
	KW_ADDL_ITEMS,
	KW_MIN_ITEMS,
	KW_MAX_ITEMS,
	KW_UNIQUE,
	KW_ALL_OF,
	KW_ANY_OF,
	KW_ONE_OF,
	KW_NOT,
	KW_NULLABLE,
	KW_INT_OR_STRING,
	KW_PRESERVE,
	KW_EMBEDDED,
	KW_LIST_TYPE,
	KW_MAP_KEYS,
	KW_VALIDATIONS
};

/* Which keyword a key is: one pass over a short table, lengths compared first. */
static int keyword_of(const platci_node *k)
{
	static const struct {
		const char *name;
		unsigned char len;
		unsigned char id;
	} kws[] = {
#define KW(s, id) { s, sizeof(s) - 1, id }
		KW("type", KW_TYPE),
		KW("properties", KW_PROPERTIES),
		KW("required", KW_REQUIRED),
		KW("items", KW_ITEMS),
		KW("format", KW_FORMAT),
		KW("enum", KW_ENUM),
		KW("additionalProperties", KW_ADDL_PROPS),
		KW("minimum", KW_MINIMUM),
		KW("maximum", KW_MAXIMUM),
		KW("exclusiveMinimum", KW_EXCL_MIN),
		KW("exclusiveMaximum", KW_EXCL_MAX),
		KW("multipleOf", KW_MULTIPLE),
		KW("minLength", KW_MIN_LENGTH),
		KW("maxLength", KW_MAX_LENGTH),
		KW("pattern", KW_PATTERN),
		KW("patternProperties", KW_PATTERN_PROPS),
		KW("minProperties", KW_MIN_PROPS),
		KW("maxProperties", KW_MAX_PROPS),
		KW("dependencies", KW_DEPENDENCIES),
		KW("additionalItems", KW_ADDL_ITEMS),
		KW("minItems", KW_MIN_ITEMS),
		KW("maxItems", KW_MAX_ITEMS),
		KW("uniqueItems", KW_UNIQUE),
		KW("allOf", KW_ALL_OF),
		KW("anyOf", KW_ANY_OF),
		KW("oneOf", KW_ONE_OF),
		KW("not", KW_NOT),
		KW("nullable", KW_NULLABLE),
		KW("x-kubernetes-int-or-string", KW_INT_OR_STRING),
		KW("x-kubernetes-preserve-unknown-fields", KW_PRESERVE),
		KW("x-kubernetes-embedded-resource", KW_EMBEDDED),
		KW("x-kubernetes-list-type", KW_LIST_TYPE),
		KW("x-kubernetes-list-map-keys", KW_MAP_KEYS),
		KW("x-kubernetes-validations", KW_VALIDATIONS),
#undef KW
	};

	if (k->type != PLATCI_NODE_SCALAR)
		return KW_NONE;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(kws); i++)
		if (kws[i].len == k->len && !memcmp(kws[i].name, k->value, k->len))
			return kws[i].id;
	return KW_NONE;
}

typedef struct fill_state {
	schema_compiler *cc;
	sch *s;
	const char *base;
	size_t depth;
	const platci_node *required;
	const platci_node *format;
	int excl_min, excl_max;
} fill_state;

/* Numbers and strings. @return 1 when @p k was one of these keywords, -1 on error. */
static int kw_scalar(fill_state *f, int kw, const platci_node *v)
{
	schema_compiler *cc = f->cc;
	sch *s = f->s;

	if (kw == KW_MINIMUM) {
		s->flags |= F_MIN;
		return read_number(cc, v, "minimum", &s->minimum) < 0 ? -1 : 1;
	}
	if (kw == KW_MAXIMUM) {
		s->flags |= F_MAX;
		return read_number(cc, v, "maximum", &s->maximum) < 0 ? -1 : 1;
	}
	if (kw == KW_EXCL_MIN)
		return read_bool(cc, v, "exclusiveMinimum", &f->excl_min) < 0 ? -1 : 1;
	if (kw == KW_EXCL_MAX)
		return read_bool(cc, v, "exclusiveMaximum", &f->excl_max) < 0 ? -1 : 1;
	if (kw == KW_MULTIPLE) {
		if (read_number(cc, v, "multipleOf", &s->multiple_of) < 0)
			return -1;
		if (s->multiple_of <= 0) {
			platci_schema__error(cc, PLATCI_EDATA, v, "multipleOf must be greater than 0");
			return -1;
		}
		s->flags |= F_MULTIPLE;
		return 1;
	}
	if (kw == KW_MIN_LENGTH)
		return read_count(cc, v, "minLength", &s->min_length) < 0 ? -1 : 1;
	if (kw == KW_MAX_LENGTH)
		return read_count(cc, v, "maxLength", &s->max_length) < 0 ? -1 : 1;
	if (kw == KW_PATTERN)
		return read_pattern(cc, &s->pattern, v, "pattern") < 0 ? -1 : 1;
	if (kw == KW_FORMAT) {
		f->format = v;
		return 1;
	}
	if (kw == KW_ENUM)
		return read_enum(cc, s, v) < 0 ? -1 : 1;
	if (kw == KW_TYPE)
		return read_type(cc, s, v) < 0 ? -1 : 1;
	return 0;
}

/* Objects and arrays. */
static int kw_container(fill_state *f, int kw, const platci_node *v)
{
	schema_compiler *cc = f->cc;
	sch *s = f->s;
	int b;

	if (kw == KW_PROPERTIES)
		return read_properties(cc, s, v, f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_PATTERN_PROPS)
		return read_pattern_properties(cc, s, v, f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_ADDL_PROPS)
		return read_additional(cc, &s->additional, &s->flags, F_ADDL_FALSE, v, f->base, f->depth) < 0
			       ? -1
			       : 1;
	if (kw == KW_REQUIRED) {
		f->required = v;
		return 1;
	}
	if (kw == KW_MIN_PROPS)
		return read_count(cc, v, "minProperties", &s->min_props) < 0 ? -1 : 1;
	if (kw == KW_MAX_PROPS)
		return read_count(cc, v, "maxProperties", &s->max_props) < 0 ? -1 : 1;
	if (kw == KW_DEPENDENCIES)
		return read_dependencies(cc, s, v, f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_ITEMS)
		return read_items(cc, s, v, f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_ADDL_ITEMS)
		return read_additional(cc, &s->additional_items, &s->flags, F_ADDL_ITEMS_FALSE, v,
			       f->base, f->depth) < 0
			       ? -1
			       : 1;
	if (kw == KW_MIN_ITEMS)
		return read_count(cc, v, "minItems", &s->min_items) < 0 ? -1 : 1;
	if (kw == KW_MAX_ITEMS)
		return read_count(cc, v, "maxItems", &s->max_items) < 0 ? -1 : 1;
	if (kw == KW_UNIQUE) {
		if (read_bool(cc, v, "uniqueItems", &b) < 0)
			return -1;
		if (b)
			s->flags |= F_UNIQUE;
		return 1;
	}
	return 0;
}

/* allOf, anyOf, oneOf, not. */
static int kw_logic(fill_state *f, int kw, const platci_node *v)
{
	schema_compiler *cc = f->cc;
	sch *s = f->s;

	if (kw == KW_ALL_OF)
		return read_schema_list(cc, &s->all_of, v, "allOf", f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_ANY_OF)
		return read_schema_list(cc, &s->any_of, v, "anyOf", f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_ONE_OF)
		return read_schema_list(cc, &s->one_of, v, "oneOf", f->base, f->depth) < 0 ? -1 : 1;
	if (kw == KW_NOT)
		return (s->not_ = platci_schema__inline(cc, v, f->base, f->depth + 1)) ? 1 : -1;
	return 0;
}

/* OpenAPI's nullable and Kubernetes' x-kubernetes-* extensions. */
static int kw_kubernetes(fill_state *f, int kw, const platci_node *v)
{
	static const struct {
		int kw;
		const char *name;
		uint32_t flag;
	} flags[] = {
		{ KW_NULLABLE, "nullable", F_NULLABLE },
		{ KW_INT_OR_STRING, "x-kubernetes-int-or-string", F_INT_OR_STRING },
		{ KW_PRESERVE, "x-kubernetes-preserve-unknown-fields", F_PRESERVE },
		{ KW_EMBEDDED, "x-kubernetes-embedded-resource", F_EMBEDDED },
	};
	schema_compiler *cc = f->cc;
	int b;

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(flags); i++) {
		if (kw != flags[i].kw)
			continue;
		if (read_bool(cc, v, flags[i].name, &b) < 0)
			return -1;
		if (b)
			f->s->flags |= flags[i].flag;
		return 1;
	}
	if (kw == KW_LIST_TYPE)
		return read_list_type(cc, f->s, v) < 0 ? -1 : 1;
	if (kw == KW_MAP_KEYS)
		return read_names(cc, v, "x-kubernetes-list-map-keys", &f->s->map_keys, &f->s->nmap_keys) < 0
			       ? -1
			       : 1;
	if (kw == KW_VALIDATIONS) {
		/* CEL rules: not evaluated; counted so the gap is reported, not hidden. */
		cc->s->unsupported[0] +=
			platci_node_type_of(v) == PLATCI_NODE_SEQUENCE ? platci_node_count(v) : 1;
		return 1;
	}
	return 0;
}

static int finish_required(fill_state *f)
{
	const char **names = NULL;
	size_t n = 0, extra = 0;

	if (!f->required)
		return 0;
	if (read_names(f->cc, f->required, "required", &names, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sch_prop *p = (sch_prop *)platci_schema__find_prop(f->s, names[i], strlen(names[i]));
		if (p && !p->required) {
			p->required = 1;
			f->s->nrequired_props++;
		} else if (!p) {
			names[extra++] = names[i];
		}
	}
	f->s->required_extra = names;
	f->s->nrequired_extra = extra;
	return 0;
}

static void finish_format(fill_state *f)
{
	sch *s = f->s;

	if (f->format && platci_schema__type_of(f->format) == T_STRING) {
		const char *name = platci_node_scalar(f->format, NULL);
		if (!strcmp(name, "int-or-string"))
			s->flags |= F_INT_OR_STRING;
		else if (!strcmp(name, "quantity"))
			s->flags |= F_QUANTITY;
		else
			s->format = (uint8_t)platci_schema__format_id(name);
	}
}

/* Flags derived from the keywords as a whole. */
static void finish_flags(fill_state *f)
{
	sch *s = f->s;
	const platci_schema_options *o = &f->cc->s->opts;
	size_t qlen = strlen("io.k8s.apimachinery.pkg.api.resource.Quantity");

	if (f->excl_min)
		s->flags |= F_EXCL_MIN;
	if (f->excl_max)
		s->flags |= F_EXCL_MAX;
	if (o->dialect == PLATCI_SCHEMA_KUBERNETES && s->name && strlen(s->name) >= qlen &&
		!strcmp(s->name + strlen(s->name) - qlen, "io.k8s.apimachinery.pkg.api.resource.Quantity"))
		s->flags |= F_QUANTITY;
	if (s->flags & F_INT_OR_STRING) {
		s->types = T_INT | T_STRING;
		s->flags |= F_HAS_TYPE;
	}
	/* Unknown fields are an error in strict mode where nothing allows them. */
	if (!(s->flags & (F_PRESERVE | F_ADDL_FALSE)) && !s->additional &&
		(s->nprops || s->npatterns ||
			(o->structural && (s->flags & F_HAS_TYPE) && s->types == T_OBJECT)))
		s->flags |= F_CLOSED;
	if (o->structural && (s->flags & F_EMBEDDED)) {
		const sch_prop *meta = platci_schema__find_prop(s, "metadata", 8);
		if (meta)
			meta->schema->flags |= F_METADATA;
	}
}

int platci_schema__fill(schema_compiler *cc, sch *s, const platci_node *node, const char *base, size_t depth)
{
	size_t max_depth = cc->s->opts.max_depth ? cc->s->opts.max_depth : SCHEMA_DEFAULT_MAX_DEPTH;
	fill_state f;
	const platci_node *id, *ref;

	if (platci_node_type_of(node) != PLATCI_NODE_MAPPING) {
		platci_schema__error(cc, PLATCI_EDATA, node, "a schema must be an object");
		return -1;
	}
	if (depth > max_depth) {
		platci_schema__error(cc, PLATCI_ELIMIT, node,
			"schema nested deeper than %zu levels", max_depth);
		return -1;
	}
	if ((ref = platci_schema__own(node, "$ref")) && platci_schema__type_of(ref) == T_STRING) {
		/* Draft 4: $ref stands for the whole schema; siblings (id too) are ignored. */
		const platci_node *target;
		const char *tbase, *name;
		if (platci_schema__resolve_ref(&target, &tbase, &name, cc, ref, base) < 0)
			return -1;
		return (s->ref = platci_schema__queue(cc, target, tbase, name)) ? 0 : -1;
	}
	if ((id = platci_schema__own(node, "id")) && platci_schema__type_of(id) == T_STRING &&
		!(base = platci_schema__join_uri(cc, base, platci_node_scalar(id, NULL))))
		return -1;
	memset(&f, 0, sizeof(f));
	f.cc = cc;
	f.s = s;
	f.base = base;
	f.depth = depth;
	for (size_t i = 0; i < platci_node_count(node); i++) {
		const platci_node *v = node->items[2 * i + 1];
		int kw = keyword_of(node->items[2 * i]), rc;
		if (kw == KW_NONE)
			continue; /* description, default, id, examples, x-*: nothing to check */
		if ((rc = kw_scalar(&f, kw, v)) == 0 && (rc = kw_container(&f, kw, v)) == 0 &&
			(rc = kw_logic(&f, kw, v)) == 0)
			rc = kw_kubernetes(&f, kw, v);
		if (rc < 0 || cc->error)
			return -1;
	}
	if (finish_required(&f) < 0)
		return -1;
	finish_format(&f);
	finish_flags(&f);
	return cc->error ? -1 : 0;
}
