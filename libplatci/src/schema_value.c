/*
 * Instance values as JSON Schema sees them: the JSON type of a YAML
 * node, numbers, equality and hashing (enum, uniqueItems, list-map keys),
 * and the string formats we check.
 */
#include <math.h> /* HUGE_VALL and NAN: macros, no libm */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "schema_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_VALUE_DEPTH 256

static int tag_is(const char *tag, const char *short_name)
{
	size_t n = strlen(short_name);

	if (!tag)
		return 0;
	if (!strncmp(tag, "tag:yaml.org,2002:", 18))
		return !strcmp(tag + 18, short_name);
	return tag[0] == '!' && tag[1] == '!' && !strcmp(tag + 2, short_name) && n;
}

static int is_digits(const char *s, const char *end, int (*ok)(int))
{
	if (s >= end)
		return 0;
	for (; s < end; s++)
		if (!ok((unsigned char)*s))
			return 0;
	return 1;
}

static int dec(int c)
{
	return c >= '0' && c <= '9';
}

static int oct(int c)
{
	return c >= '0' && c <= '7';
}

static int hex(int c)
{
	return dec(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* YAML 1.2 core: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
static int core_int(const char *s, size_t len)
{
	const char *end = s + len;

	if (len > 2 && s[0] == '0' && s[1] == 'o')
		return is_digits(s + 2, end, oct);
	if (len > 2 && s[0] == '0' && s[1] == 'x')
		return is_digits(s + 2, end, hex);
	if (len && (*s == '-' || *s == '+'))
		s++;
	return is_digits(s, end, dec);
}

/* YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.inf | \.nan */
static int core_float(const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	int digits = 0;

	if (p < end && (*p == '-' || *p == '+'))
		p++;
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF"))
		return 1;
	if (p == s && (!strcmp(p, ".nan") || !strcmp(p, ".NaN") || !strcmp(p, ".NAN")))
		return 1;
	while (p < end && dec(*p))
		p++, digits++;
	if (p < end && *p == '.') {
		p++;
		while (p < end && dec(*p))
			p++, digits++;
	}
	if (!digits)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			p++;
		if (!is_digits(p, end, dec))
			return 0;
		return 1;
	}
	return p == end;
}

unsigned platci_schema__type_of(const platci_node *n)
{
	const char *v, *tag;
	size_t len;

	switch (platci_node_type_of(n)) {
	case PLATCI_NODE_MAPPING:
		return T_OBJECT;
	case PLATCI_NODE_SEQUENCE:
		return T_ARRAY;
	case PLATCI_NODE_SCALAR:
		break;
	default:
		return 0;
	}
	v = platci_node_scalar(n, &len);
	if ((tag = platci_node_tag(n)) != NULL) {
		if (tag_is(tag, "str"))
			return T_STRING;
		if (tag_is(tag, "null"))
			return T_NULL;
		if (tag_is(tag, "bool"))
			return T_BOOL;
		if (tag_is(tag, "int"))
			return core_int(v, len) ? T_INT : T_STRING;
		if (tag_is(tag, "float"))
			return core_float(v, len) || core_int(v, len) ? T_NUMBER : T_STRING;
	}
	if (platci_node_style_of(n) != PLATCI_STYLE_PLAIN)
		return T_STRING;
	if (!len || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL"))
		return T_NULL;
	if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE") || !strcmp(v, "false") ||
		!strcmp(v, "False") || !strcmp(v, "FALSE"))
		return T_BOOL;
	if (dec((unsigned char)v[0]) || v[0] == '-' || v[0] == '+' || v[0] == '.') {
		if (core_int(v, len))
			return T_INT;
		if (core_float(v, len))
			return T_NUMBER;
	}
	return T_STRING;
}

long double platci_schema__number(const platci_node *n)
{
	const char *v = platci_node_scalar(n, NULL), *p;
	int neg;

	if (!v)
		return 0;
	p = v + (*v == '-' || *v == '+');
	neg = *v == '-';
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'x'))
		return (long double)strtoull(p + 2, NULL, p[1] == 'o' ? 8 : 16) * (neg ? -1 : 1);
	if (p[0] == '.' && (p[1] | 0x20) == 'i')
		return neg ? -HUGE_VALL : HUGE_VALL;
	if (p[0] == '.' && (p[1] | 0x20) == 'n')
		return NAN;
	return strtold(v, NULL);
}

static int scalar_equal(const platci_node *a, unsigned ta, const platci_node *b)
{
	size_t la, lb;
	const char *sa = platci_node_scalar(a, &la), *sb = platci_node_scalar(b, &lb);

	switch (ta) {
	case T_NULL:
		return 1;
	case T_BOOL:
		return ((sa[0] | 0x20) == 't') == ((sb[0] | 0x20) == 't');
	case T_INT:
	case T_NUMBER:
		return platci_schema__number(a) == platci_schema__number(b);
	default:
		return la == lb && memcmp(sa, sb, la) == 0;
	}
}

static const platci_node *lookup(const platci_node *map, const platci_node *key)
{
	size_t klen, n = platci_node_count(map);
	const char *k = platci_node_scalar(key, &klen);

	for (size_t i = 0; k && i < n; i++) {
		size_t len;
		const char *o = platci_node_scalar(platci_node_key_at(map, i), &len);
		if (o && len == klen && memcmp(o, k, len) == 0)
			return platci_node_value_at(map, i);
	}
	return NULL;
}

int platci_schema__equal(const platci_node *a, const platci_node *b, int depth)
{
	unsigned ta = platci_schema__type_of(a), tb = platci_schema__type_of(b);
	size_t n;

	if (depth > MAX_VALUE_DEPTH)
		return 0;
	if ((ta | tb) == (T_INT | T_NUMBER))
		ta = tb = T_NUMBER;
	if (ta != tb)
		return 0;
	if (ta == T_ARRAY) {
		if ((n = platci_node_count(a)) != platci_node_count(b))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!platci_schema__equal(platci_node_item_at(a, i),
				    platci_node_item_at(b, i), depth + 1))
				return 0;
		return 1;
	}
	if (ta == T_OBJECT) {
		if ((n = platci_node_count(a)) != platci_node_count(b))
			return 0;
		for (size_t i = 0; i < n; i++) {
			const platci_node *other = lookup(b, platci_node_key_at(a, i));
			if (!other || !platci_schema__equal(platci_node_value_at(a, i), other, depth + 1))
				return 0;
		}
		return 1;
	}
	return scalar_equal(a, ta, b);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

uint64_t platci_schema__hash(const platci_node *n, int depth)
{
	unsigned t = platci_schema__type_of(n);
	uint64_t h = t == T_INT ? T_NUMBER : t;
	size_t len;
	const char *s;

	if (depth > MAX_VALUE_DEPTH)
		return h;
	switch (t) {
	case T_ARRAY:
		for (size_t i = 0; i < platci_node_count(n); i++)
			h = mix(h, platci_schema__hash(platci_node_item_at(n, i), depth + 1));
		return h;
	case T_OBJECT: {
		uint64_t sum = 0; /* order-independent */
		for (size_t i = 0; i < platci_node_count(n); i++) {
			s = platci_node_scalar(platci_node_key_at(n, i), &len);
			sum += mix(s ? platci_schema__name_hash(s, len) : 0,
				platci_schema__hash(platci_node_value_at(n, i), depth + 1));
		}
		return mix(h, sum);
	}
	case T_BOOL:
		return mix(h, (platci_node_scalar(n, NULL)[0] | 0x20) == 't');
	case T_INT:
	case T_NUMBER: {
		long double d = platci_schema__number(n);
		double x = (double)d;
		uint64_t bits;
		if (x == 0)
			x = 0; /* -0 == 0 */
		memcpy(&bits, &x, sizeof(bits));
		return mix(h, bits);
	}
	case T_STRING:
		s = platci_node_scalar(n, &len);
		return mix(h, platci_schema__name_hash(s, len));
	default:
		return h;
	}
}

size_t platci_schema__utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

const char *platci_schema__type_name(unsigned t)
{
	switch (t) {
	case T_NULL:
		return "null";
	case T_BOOL:
		return "boolean";
	case T_INT:
		return "integer";
	case T_NUMBER:
		return "number";
	case T_STRING:
		return "string";
	case T_ARRAY:
		return "array";
	case T_OBJECT:
		return "object";
	default:
		return "value";
	}
}
