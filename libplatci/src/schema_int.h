/*
 * Private layout of compiled schemas, shared by the compiler, the
 * validator and the schema store. A schema document is compiled once
 * into `sch` nodes in an arena; validation then walks instance nodes and
 * these structs only, never the schema's JSON.
 */
#ifndef PLATCI_SRC_SCHEMA_INT_H
#define PLATCI_SRC_SCHEMA_INT_H

#include <stdint.h>
#include <string.h>

#include "platci/schema.h"
#include "schema_regex.h"
#include "util/arena.h"
#include "util/strmap.h"

/* Instance types, as bits. T_NUMBER includes integers. */
enum {
	T_NULL = 1u << 0,
	T_BOOL = 1u << 1,
	T_INT = 1u << 2,
	T_NUMBER = 1u << 3,
	T_STRING = 1u << 4,
	T_ARRAY = 1u << 5,
	T_OBJECT = 1u << 6
};

enum {
	F_MIN = 1u << 0,
	F_MAX = 1u << 1,
	F_EXCL_MIN = 1u << 2,
	F_EXCL_MAX = 1u << 3,
	F_MULTIPLE = 1u << 4,
	F_ADDL_FALSE = 1u << 5, /* additionalProperties: false */
	F_ADDL_ITEMS_FALSE = 1u << 6,
	F_TUPLE = 1u << 7, /* items is an array */
	F_UNIQUE = 1u << 8,
	F_PRESERVE = 1u << 9, /* x-kubernetes-preserve-unknown-fields */
	F_EMBEDDED = 1u << 10, /* x-kubernetes-embedded-resource */
	F_INT_OR_STRING = 1u << 11, /* x-kubernetes-int-or-string, format int-or-string */
	F_NULLABLE = 1u << 12,
	F_CLOSED = 1u << 13, /* unknown fields are reported in strict mode */
	F_METADATA = 1u << 14, /* an object's metadata: ObjectMeta when the store has it */
	F_QUANTITY = 1u << 15, /* a Kubernetes resource.Quantity */
	F_HAS_TYPE = 1u << 16
};

enum {
	FMT_NONE,
	FMT_DATE_TIME,
	FMT_DATE,
	FMT_INT32,
	FMT_INT64,
	FMT_BYTE,
	FMT_IPV4,
	FMT_IPV6,
	FMT_HOSTNAME,
	FMT_EMAIL,
	FMT_URI
};

enum { LIST_ATOMIC, LIST_SET, LIST_MAP };

typedef struct sch sch;
typedef struct schema_compiler schema_compiler;

typedef struct sch_prop {
	const char *name;
	size_t len;
	sch *schema;
	int required;
} sch_prop;

typedef struct sch_pattern {
	platci_regex *re;
	const char *source;
	sch *schema;
} sch_pattern;

typedef struct sch_dep {
	const char *name;
	const char **names; /* property dependency */
	size_t nnames;
	sch *schema; /* schema dependency */
} sch_dep;

typedef struct sch_list {
	sch **items;
	size_t n;
} sch_list;

struct sch {
	uint32_t flags;
	uint32_t idx; /* position in the compiler's list (cycle check) */
	uint8_t types; /* allowed type bits; meaningful with F_HAS_TYPE */
	uint8_t format;
	uint8_t list_type;
	sch *ref; /* draft 4: $ref replaces every sibling keyword */
	const char *name; /* definition name, for messages (may be NULL) */

	long double minimum, maximum, multiple_of;
	size_t min_length, max_length; /* max SIZE_MAX: none */
	sch_pattern pattern; /* re NULL: none */

	size_t min_items, max_items;
	sch *items; /* one schema for every item */
	sch_list tuple; /* F_TUPLE */
	sch *additional_items;
	const char **map_keys;
	size_t nmap_keys;

	size_t min_props, max_props;
	sch_prop *props; /* sorted by name */
	size_t nprops, nrequired_props;
	uint32_t *prop_table; /* open addressing: index + 1 */
	size_t prop_mask;
	const char **required_extra; /* required names with no property schema */
	size_t nrequired_extra;
	sch_pattern *patterns;
	size_t npatterns;
	sch *additional;
	sch_dep *deps;
	size_t ndeps;

	sch_list all_of, any_of, one_of;
	sch *not_;
	const platci_node **enum_values; /* copies owned by the schema's arena */
	size_t nenum;
};

/* The cap each limit takes when its option is 0. */
#define SCHEMA_DEFAULT_MAX_DEPTH 256
#define SCHEMA_DEFAULT_MAX_NODES 2000000
#define SCHEMA_DEFAULT_MAX_EVAL_DEPTH 1024
#define SCHEMA_DEFAULT_MAX_VIOLATIONS 100

struct platci_schema {
	platci_arena arena;
	platci_schema_options opts;
	char *name;
	sch *root;
	size_t nodes;
	size_t unsupported[1]; /* x-kubernetes-validations rules seen (CEL: not evaluated) */
	platci_regex **regexes; /* every compiled pattern, freed with the schema */
	size_t nregexes;
	/* compile-time state, dropped by platci_schema__seal() */
	schema_compiler *cc;
};

/* ---- compiler (schema_compile.c, schema_ref.c) ---- */

/* Starts compiling the document rooted at @p doc_root; nothing is compiled yet. */
int platci_schema__new(platci_schema **out, const platci_node *doc_root, const char *name,
	const platci_schema_options *opts, platci_diag *diag);
/* Compiles @p node (inside the document) and everything it refers to. */
int platci_schema__entry(sch **out, platci_schema *s, const platci_node *node, const char *name,
	platci_diag *diag);
/* Checks $ref cycles and drops the compile-time state; the schema is read-only after. */
int platci_schema__seal(platci_schema *s, platci_diag *diag);

/* The hash of a property name (the compiled property tables use it). */
static inline size_t platci_schema__name_hash(const char *s, size_t len)
{
	return (size_t)platci__strhash(s, len);
}

/* The property of @p s named @p name (@p len bytes), or NULL: a probe of the table above. */
static inline const sch_prop *platci_schema__find_prop(const sch *s, const char *name, size_t len)
{
	if (!s->nprops)
		return NULL;
	for (size_t h = platci_schema__name_hash(name, len) & s->prop_mask; s->prop_table[h];
		h = (h + 1) & s->prop_mask) {
		const sch_prop *p = &s->props[s->prop_table[h] - 1];
		if (p->len == len && memcmp(p->name, name, len) == 0)
			return p;
	}
	return NULL;
}

/* ---- instance values (schema_value.c) ---- */

/* 1 when @p k is a scalar spelling exactly @p name. */
int platci_schema__key_is(const platci_node *k, const char *name);

/* The JSON type of a YAML node (YAML 1.2 core schema, explicit tags honoured): one T_* bit. */
unsigned platci_schema__type_of(const platci_node *n);
/* The number a T_INT or T_NUMBER scalar holds. */
long double platci_schema__number(const platci_node *n);
/* JSON equality: numbers by value, objects by keys regardless of order. */
int platci_schema__equal(const platci_node *a, const platci_node *b, int depth);
/* A hash consistent with platci_schema__equal. */
uint64_t platci_schema__hash(const platci_node *n, int depth);
/* Code points in a UTF-8 string. */
size_t platci_schema__utf8_length(const char *s, size_t len);
/* 1 when the string satisfies the format (unknown formats pass). */
int platci_schema__format_ok(int format, const char *s, size_t len);
/* 1 when the scalar is a valid integer for FMT_INT32 / FMT_INT64. */
int platci_schema__int_format_ok(int format, const platci_node *n);
/* 1 when @p s is a Kubernetes quantity (`500m`, `1.5Gi`, `1e3`). */
int platci_schema__quantity_ok(const char *s, size_t len);
int platci_schema__format_id(const char *name);
const char *platci_schema__type_name(unsigned type_bit);

/* ---- validation (schema_validate.c) ---- */

/* Validates with an ObjectMeta schema standing in for F_METADATA objects (NULL: open). */
int platci_schema__validate(platci_schema_violations *out, const platci_schema *s, const sch *root,
	const sch *object_meta, const platci_node *instance, const char *source,
	const platci_schema_check_options *opts);


#endif
