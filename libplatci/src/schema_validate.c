/*
 * Validating an instance (document nodes) against compiled schemas.
 *
 * One recursive walk: each call applies one compiled schema to one
 * instance node. Speculative branches (anyOf, oneOf, not) run "quiet":
 * nothing is recorded and the first failure ends the branch, so trying
 * alternatives costs no strings. The document path is a stack of key and
 * index steps, formatted only when a violation is recorded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_eval.h"
#include "util/common.h"
#include "util/banned.h"


/* ---- recording ------------------------------------------------------------------ */

void platci_schema__report(vctx *c, platci_schema_problem problem, const char *keyword,
	const platci_node *at, const char *fmt, ...)
{
	platci_schema_violation v;
	platci_buf path = PLATCI_BUF_INIT;
	char msg[600];
	va_list ap;

	if (c->quiet || c->stopped || c->error)
		return;
	if (c->recorded >= c->max_violations) {
		c->stopped = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_schema__path_format(&path, c->path, c->npath);
	memset(&v, 0, sizeof(v));
	v.problem = problem;
	v.keyword = keyword;
	v.source = c->source;
	v.pos = platci_node_start(at);
	/* A field missing from a mapping is best shown at the mapping's key (`spec:`),
	 * not at the mapping's first field. */
	if (problem == PLATCI_SCHEMA_V_REQUIRED && c->npath && !c->path[c->npath - 1].is_index &&
		c->path[c->npath - 1].key_node)
		v.pos = platci_node_start(c->path[c->npath - 1].key_node);
	v.path = path.ptr;
	v.message = msg;
	v.node = at;
	if (path.error || platci_schema__violation_add(c->out, &v) < 0)
		c->error = PLATCI_ENOMEM;
	c->recorded++;
	platci_buf_dispose(&path);
}

int platci_schema__push_key(vctx *c, const platci_node *key)
{
	platci_schema_seg *s;

	if (platci__grow_array((void **)&c->path, &c->path_alloc, c->npath + 1, sizeof(*c->path)) < 0) {
		c->error = PLATCI_ENOMEM;
		return -1;
	}
	s = &c->path[c->npath++];
	s->key = platci_node_scalar(key, &s->len);
	s->key_node = key;
	if (!s->key) {
		s->key = "?";
		s->len = 1;
	}
	s->is_index = 0;
	return 0;
}

int platci_schema__push_index(vctx *c, size_t i)
{
	if (platci__grow_array((void **)&c->path, &c->path_alloc, c->npath + 1, sizeof(*c->path)) < 0) {
		c->error = PLATCI_ENOMEM;
		return -1;
	}
	c->path[c->npath].is_index = 1;
	c->path[c->npath].key_node = NULL;
	c->path[c->npath++].index = i;
	return 0;
}

/* Applies @p s to a child: a mapping value under @p key, or item @p index. */
int platci_schema__eval_child(vctx *c, const sch *s, const platci_node *key, size_t index,
	const platci_node *n)
{
	int bad;

	if ((key ? platci_schema__push_key(c, key) : platci_schema__push_index(c, index)) < 0)
		return 1;
	bad = platci_schema__eval(c, s, n);
	c->npath--;
	return bad;
}

/* "Container" for "io.k8s.api.core.v1.Container": names in messages stay short. */
const char *platci_schema__short_name(const sch *s)
{
	const char *dot;

	if (!s->name)
		return NULL;
	dot = strrchr(s->name, '.');
	return dot ? dot + 1 : s->name;
}

static void type_list(char *out, size_t size, unsigned types)
{
	static const unsigned order[] = { T_OBJECT, T_ARRAY, T_STRING, T_INT, T_NUMBER, T_BOOL, T_NULL };
	size_t used = 0;

	out[0] = '\0';
	if ((types & T_NUMBER))
		types &= ~(unsigned)T_INT;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(order); i++) {
		int n;
		if (!(types & order[i]))
			continue;
		n = snprintf(out + used, size - used, "%s%s", used ? " or " : "",
			platci_schema__type_name(order[i]));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* ---- scalars -------------------------------------------------------------------- */

static int check_enum(vctx *c, const sch *s, const platci_node *n)
{
	char list[300];
	size_t used = 0;

	for (size_t i = 0; i < s->nenum; i++)
		if (platci_schema__equal(n, s->enum_values[i], 0))
			return 0;
	list[0] = '\0';
	for (size_t i = 0; i < s->nenum && used + 1 < sizeof(list); i++) {
		const char *v = platci_node_scalar(s->enum_values[i], NULL);
		int k = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
			v ? (*v ? v : "\"\"") : "(a structure)");
		if (k < 0)
			break;
		used += (size_t)k;
	}
	if (used >= sizeof(list) - 1)
		memcpy(list + sizeof(list) - 5, "...", 4);
	platci_schema__report(c, PLATCI_SCHEMA_V_ENUM, "enum", n, "must be one of: %s", list);
	return 1;
}

/* Whole within rounding error; beyond 2^63 every long double is whole. */
static int is_whole(long double q)
{
	long double r;

	if (q != q)
		return 0;
	if (q >= 9.2e18L || q <= -9.2e18L)
		return 1;
	r = q - (long double)(long long)q;
	if (r < 0)
		r = -r;
	return r < 1e-9L || 1 - r < 1e-9L;
}

static int check_number(vctx *c, const sch *s, const platci_node *n)
{
	long double v = platci_schema__number(n);
	int bad = 0;

	if ((s->flags & F_MIN) && ((s->flags & F_EXCL_MIN) ? v <= s->minimum : v < s->minimum)) {
		platci_schema__report(c, PLATCI_SCHEMA_V_RANGE, "minimum", n, "must be %s %Lg",
			(s->flags & F_EXCL_MIN) ? "greater than" : "at least", s->minimum);
		bad = 1;
	}
	if ((s->flags & F_MAX) && ((s->flags & F_EXCL_MAX) ? v >= s->maximum : v > s->maximum)) {
		platci_schema__report(c, PLATCI_SCHEMA_V_RANGE, "maximum", n, "must be %s %Lg",
			(s->flags & F_EXCL_MAX) ? "less than" : "at most", s->maximum);
		bad = 1;
	}
	if ((s->flags & F_MULTIPLE) && !is_whole(v / s->multiple_of)) {
		{
			platci_schema__report(c, PLATCI_SCHEMA_V_RANGE, "multipleOf", n,
				"must be a multiple of %Lg", s->multiple_of);
			bad = 1;
		}
	}
	if ((s->format == FMT_INT32 || s->format == FMT_INT64) &&
		!platci_schema__int_format_ok(s->format, n)) {
		platci_schema__report(c, PLATCI_SCHEMA_V_RANGE, "format", n, "must fit in %s",
			s->format == FMT_INT32 ? "a 32-bit integer" : "a 64-bit integer");
		bad = 1;
	}
	return bad;
}

static const char *format_name(int f)
{
	switch (f) {
	case FMT_DATE_TIME:
		return "an RFC 3339 date-time such as 2024-01-31T10:00:00Z";
	case FMT_DATE:
		return "a date such as 2024-01-31";
	case FMT_BYTE:
		return "base64-encoded data";
	case FMT_IPV4:
		return "an IPv4 address";
	case FMT_IPV6:
		return "an IPv6 address";
	case FMT_HOSTNAME:
		return "a host name";
	case FMT_EMAIL:
		return "an e-mail address";
	case FMT_URI:
		return "an absolute URI";
	default:
		return "the format";
	}
}

static int check_string(vctx *c, const sch *s, const platci_node *n)
{
	size_t len, chars;
	const char *v = platci_node_scalar(n, &len);
	int bad = 0, rc;

	if (s->min_length || s->max_length != SIZE_MAX) {
		chars = platci_schema__utf8_length(v, len);
		if (chars < s->min_length) {
			platci_schema__report(c, PLATCI_SCHEMA_V_SIZE, "minLength", n,
				"must be at least %zu characters long", s->min_length);
			bad = 1;
		}
		if (chars > s->max_length) {
			platci_schema__report(c, PLATCI_SCHEMA_V_SIZE, "maxLength", n,
				"must be at most %zu characters long", s->max_length);
			bad = 1;
		}
	}
	if (s->pattern.re && (rc = platci_regex__search(s->pattern.re, v, len)) != 1) {
		if (rc == PLATCI_ENOMEM)
			c->error = rc;
		else if (rc == PLATCI_ELIMIT)
			platci_schema__report(c, PLATCI_SCHEMA_V_LIMIT, "pattern", n,
				"too long to check against the pattern \"%.100s\"", s->pattern.source);
		else
			platci_schema__report(c, PLATCI_SCHEMA_V_FORMAT, "pattern", n,
				"must match the pattern \"%.200s\"", s->pattern.source);
		bad = 1;
	}
	if (s->format != FMT_NONE && s->format != FMT_INT32 && s->format != FMT_INT64 &&
		!platci_schema__format_ok(s->format, v, len)) {
		platci_schema__report(c, PLATCI_SCHEMA_V_FORMAT, "format", n, "must be %s",
			format_name(s->format));
		bad = 1;
	}
	return bad;
}

static int check_quantity(vctx *c, const platci_node *n, unsigned t)
{
	size_t len;
	const char *v;

	if (t == T_INT || t == T_NUMBER)
		return 0;
	if (t == T_STRING && (v = platci_node_scalar(n, &len)) && platci_schema__quantity_ok(v, len))
		return 0;
	platci_schema__report(c, t == T_STRING ? PLATCI_SCHEMA_V_FORMAT : PLATCI_SCHEMA_V_TYPE,
		"format", n, "must be a quantity: a number, or a string such as 500m, 1.5 or 2Gi");
	return 1;
}

int platci_schema__check_type(vctx *c, const sch *s, const platci_node *n, unsigned t)
{
	char want[80];
	const char *name;

	if ((s->types & t) || (t == T_INT && (s->types & T_NUMBER)))
		return 0;
	type_list(want, sizeof(want), s->types);
	name = platci_schema__short_name(s);
	if (name)
		platci_schema__report(c, PLATCI_SCHEMA_V_TYPE, "type", n,
			"expected %s (%s), found %s", want, name, platci_schema__type_name(t));
	else
		platci_schema__report(c, PLATCI_SCHEMA_V_TYPE, "type", n, "expected %s, found %s",
			want, platci_schema__type_name(t));
	return 1;
}

/* ---- one schema, one node --------------------------------------------------------- */

#define FAIL_FAST() \
	do { \
		bad = 1; \
		if (c->quiet || c->stopped || c->error) \
			return 1; \
	} while (0)

static int eval_logic(vctx *c, const sch *s, const platci_node *n)
{
	int bad = 0;

	for (size_t i = 0; i < s->all_of.n; i++)
		if (platci_schema__eval(c, s->all_of.items[i], n))
			FAIL_FAST();
	if (s->any_of.n && platci_schema__check_any_of(c, s, n))
		FAIL_FAST();
	if (s->one_of.n && platci_schema__check_one_of(c, s, n))
		FAIL_FAST();
	if (s->not_) {
		int r;
		c->quiet++;
		r = platci_schema__eval(c, s->not_, n);
		c->quiet--;
		if (!r) {
			platci_schema__report(c, PLATCI_SCHEMA_V_COMBINATION, "not", n,
				"must not match the schema given in \"not\"");
			FAIL_FAST();
		}
	}
	return bad;
}

static int eval_node(vctx *c, const sch *s, const platci_node *n)
{
	unsigned t = platci_schema__type_of(n);
	int bad = 0;

	if (s->flags & F_QUANTITY)
		return check_quantity(c, n, t);
	if (t == T_NULL && (s->flags & F_NULLABLE))
		return 0;
	if ((s->flags & F_HAS_TYPE) && platci_schema__check_type(c, s, n, t))
		return 1;
	if (s->nenum && check_enum(c, s, n))
		FAIL_FAST();
	switch (t) {
	case T_INT:
	case T_NUMBER:
		if (check_number(c, s, n))
			FAIL_FAST();
		break;
	case T_STRING:
		if (check_string(c, s, n))
			FAIL_FAST();
		break;
	case T_ARRAY:
		if (platci_schema__check_array(c, s, n))
			FAIL_FAST();
		break;
	case T_OBJECT:
		if (platci_schema__check_object(c, s, n))
			FAIL_FAST();
		break;
	default:
		break;
	}
	if (eval_logic(c, s, n))
		FAIL_FAST();
	return bad;
}

int platci_schema__eval(vctx *c, const sch *s, const platci_node *n)
{
	int bad;

	/* Acyclic by construction (platci_schema__seal checks), so this ends. */
	while (s->ref)
		s = s->ref;
	if (c->depth >= c->max_depth) {
		platci_schema__report(c, PLATCI_SCHEMA_V_LIMIT, "$ref", n,
			"schema applied more than %zu levels deep here; the check stops", c->max_depth);
		return 1;
	}
	c->depth++;
	bad = eval_node(c, s, n);
	c->depth--;
	return bad;
}

int platci_schema__validate(platci_schema_violations *out, const platci_schema *schema,
	const sch *root, const sch *object_meta, const platci_node *instance, const char *source,
	const platci_schema_check_options *opts)
{
	platci_schema_check_options defaults = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	vctx c;
	int bad;

	if (!schema || !root || !instance)
		return PLATCI_EINVALID;
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_SCHEMA_CHECK_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	memset(&c, 0, sizeof(c));
	c.object_meta = object_meta;
	c.out = out;
	c.source = source;
	c.strict = opts->strict;
	c.partial = opts->partial;
	c.k8s = schema->opts.dialect == PLATCI_SCHEMA_KUBERNETES;
	c.max_violations = opts->max_violations ? opts->max_violations : SCHEMA_DEFAULT_MAX_VIOLATIONS;
	c.max_depth = opts->max_eval_depth ? opts->max_eval_depth : SCHEMA_DEFAULT_MAX_EVAL_DEPTH;
	c.quiet = out ? 0 : 1;
	bad = platci_schema__eval(&c, root, instance);
	free(c.path);
	if (c.error)
		return c.error;
	return bad ? 1 : 0;
}

int platci_schema_validate(platci_schema_violations *out, const platci_schema *schema,
	const platci_node *instance, const char *source, const platci_schema_check_options *opts)
{
	if (!schema)
		return PLATCI_EINVALID;
	return platci_schema__validate(out, schema, schema->root, NULL, instance, source, opts);
}
