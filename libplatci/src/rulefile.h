/*
 * The one reader of rules files (platci.yaml, the policy files, waiver
 * files): every mapping is described by a table of keys, in the spirit of
 * jansson's json_unpack_ex() with JSON_STRICT. The walker checks each key
 * against its row (type, required, enum values, nested tables, lists of
 * tables, environment names) and stores the value in the caller's struct
 * at the row's offset. Unknown, mistyped or missing keys, bad enum values,
 * impossible dates and environment names platci.yaml does not know become
 * diagnostics at the node's file:line:column, with a "did you mean" for
 * near misses. A new key in a rules file is a new row.
 *
 * Values are borrowed from the document (which must outlive them); lists
 * are allocated in the caller's arena. Allocation failures are sticky
 * (rf_ctx.oom), so a loader checks once, at the end, with
 * platci_rulefile__status().
 */
#ifndef PLATCI_SRC_RULEFILE_H
#define PLATCI_SRC_RULEFILE_H

#include <stddef.h>
#include <time.h>

#include "platci/config.h"
#include "platci/doc.h"
#include "util/arena.h"

typedef struct rf_ctx {
	const char *file; /* names every diagnostic */
	platci_diag *diag; /* may be NULL */
	platci_arena *arena; /* lists live here */
	const char *const *envs; /* platci.yaml's environments; NULL: names are not checked */
	size_t nenvs;
	int zone; /* minutes east of UTC: expiry dates end at midnight there */
	void *user; /* for the loader's own parsers */
	size_t errors;
	int version_error; /* a `version:` this platci does not read */
	int oom;
} rf_ctx;

/* A scalar or a list of scalars; items is NULL-terminated (NULL when absent). */
typedef struct rf_strs {
	const char **items;
	size_t count;
} rf_strs;

/* A list of objects of rf_table.size bytes each (NULL when absent). */
typedef struct rf_list {
	void *items;
	size_t count;
} rf_list;

/* An `expires:` value: the text and the first second it no longer holds (0: none given). */
typedef struct rf_expiry {
	const char *text;
	time_t at;
} rf_expiry;

typedef enum {
	RF_STR = 1, /* a scalar, not null -> const char * */
	RF_BOOL, /* true or false -> int */
	RF_INT, /* a whole number in [min, max] -> long */
	RF_NUM, /* a number in [min, max] -> double */
	RF_ENUM, /* one of `values` -> int, the index */
	RF_STRS, /* a scalar or a list of scalars -> rf_strs */
	RF_EXPIRY, /* platci_time_parse_expiry() in the platform's zone -> rf_expiry */
	RF_ENV, /* an environment of platci.yaml -> const char * */
	RF_ENVS, /* environments or globs of them, "!" excludes -> rf_strs */
	RF_ENV_MAP, /* a mapping keyed by environment (or one of `values`): each value
		       walked with `table` -> rf_list, else checked as `value` -> the node */
	RF_MAP, /* a mapping walked with `table` -> the struct at offset */
	RF_LIST, /* a list of mappings walked with `table` -> rf_list */
	RF_EMBED, /* `table`'s keys belong to this mapping -> the struct at offset */
	RF_CUSTOM, /* any node, handed to `parse` with the address at offset */
	RF_NODE, /* any node -> const platci_node * */
	RF_ANY, /* any node, for the table's check (or for nobody) -> nothing */
	RF_VERSION, /* must be 1 (PLATCI_EVERSION otherwise) -> nothing */
	RF_SELF, /* (no name) the mapping itself -> const platci_node * */
	RF_MAPKEY /* (no name) the RF_ENV_MAP key this object sits under -> const char * */
} rf_type;

enum {
	RF_REQUIRED = 1, /* missing is an error */
	RF_NONEMPTY = 2 /* an empty string or list is an error */
};

typedef struct rf_table rf_table;
typedef struct rf_key rf_key;

/* Checks (and stores into @p dst) what row @p k of type RF_CUSTOM, or a parser row, holds. */
typedef void (*rf_parse_fn)(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst);

struct rf_key {
	const char *name;
	rf_type type;
	unsigned int flags;
	size_t offset; /* where the value goes in the object */
	const char *const *values; /* RF_ENUM names; RF_ENV_MAP keys other than environments */
	const rf_table *table; /* RF_MAP, RF_LIST, RF_EMBED, RF_ENV_MAP */
	const rf_key *value; /* RF_ENV_MAP without a table: the type of its values */
	rf_parse_fn parse; /* RF_CUSTOM; for other scalar types, run after the check */
	double min, max; /* RF_INT, RF_NUM */
};

struct rf_table {
	const char *what; /* "an environment", for messages */
	const rf_key *keys;
	size_t nkeys;
	size_t size; /* bytes per object, for RF_LIST and RF_ENV_MAP */
	void (*init)(void *obj); /* defaults before the walk; NULL leaves it zeroed */
	void (*check)(rf_ctx *c, const platci_node *map, void *obj); /* rules across keys */
};

/* The common part of a row: `{ RF_KEY("name", RF_STR, RF_REQUIRED, my_struct, field), ... }`. */
#define RF_KEY(key, t, f, st, field) \
	.name = (key), .type = (t), .flags = (f), .offset = offsetof(st, field)

#define RF_TABLE(what, keys, type, init, check) \
	{ \
		what, keys, sizeof(keys) / sizeof((keys)[0]), sizeof(type), init, check \
	}

/*
 * Prepares @p c for @p file. Environment names are checked against @p cfg
 * and dates end in its zone (NULL: names unchecked, the default zone).
 */
void platci_rulefile__init(rf_ctx *c, const char *file, const platci_config *cfg,
	platci_arena *arena, platci_diag *diag);

/* The one error helper of every rules file: a diagnostic at @p at (may be NULL). */
void platci_rulefile__error(rf_ctx *c, const platci_node *at, const char *fmt, ...) PLATCI_PRINTF(3, 4);

/* The same at a line and column, for rules files that are not YAML (.trivyignore). */
void platci_rulefile__error_at(rf_ctx *c, size_t line, size_t column, const char *fmt, ...)
	PLATCI_PRINTF(4, 5);

/* Checks one value @p v against row @p k (its name names it in messages) into @p dst. */
void platci_rulefile__value(rf_ctx *c, const rf_key *k, const platci_node *v, void *dst);

/* Walks the mapping @p map with @p t into @p obj (already initialised by the caller). */
void platci_rulefile__walk(rf_ctx *c, const platci_node *map, const rf_table *t, void *obj);

/*
 * The document of a rules file: at most one, a mapping (or empty: *root
 * NULL, which is fine). @return 0, or the error's code with a diagnostic.
 */
int platci_rulefile__root(rf_ctx *c, const platci_doc *doc, const platci_node **root);

/* The time zone @p name into *offset (platci_time_zone_offset()), or an error at @p at. */
void platci_rulefile__zone(rf_ctx *c, const platci_node *at, const char *name, int *offset);

/* Checks @p name (or an `!x` exclusion, or a glob) against platci.yaml's environments. */
void platci_rulefile__env(rf_ctx *c, const platci_node *at, const char *name, const char *what);

/*
 * The candidate nearest to @p word (edit distance, or for environments an
 * abbreviation such as "prod" for "prd-uaenorth"), or NULL when none is
 * near enough to suggest.
 */
const char *platci_rulefile__suggest(const char *word, const char *const *cands, size_t n);

/* 0, PLATCI_ENOMEM, PLATCI_EVERSION (a wrong version) or PLATCI_EDATA (other errors). */
int platci_rulefile__status(const rf_ctx *c);

#endif
