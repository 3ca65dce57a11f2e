/* The schema compiler's state, shared by schema_compile.c, schema_keywords.c and schema_ref.c. */
#ifndef PLATCI_SRC_SCHEMA_COMPILE_H
#define PLATCI_SRC_SCHEMA_COMPILE_H

#include "platci/diag.h"
#include "schema_int.h"

typedef struct map_slot {
	const platci_node *key;
	sch *val;
} map_slot;

typedef struct compiled {
	sch *s;
	const platci_node *node;
} compiled;

typedef struct pending {
	sch *s;
	const platci_node *node;
	const char *base;
} pending;

typedef struct id_slot {
	const char *uri;
	const platci_node *node;
	const char *base;
} id_slot;

struct schema_compiler {
	platci_schema *s;
	const platci_node *doc_root;
	const char *doc_uri; /* the root's id, or "" */
	platci_diag *diag;
	int error;
	platci_arena scratch; /* URIs; freed when sealed */
	map_slot *map; /* source node -> compiled node */
	size_t map_alloc, map_used;
	compiled *all; /* every compiled node, in creation order */
	size_t nall, all_alloc;
	pending *work; /* $ref targets still to fill */
	size_t nwork, work_alloc;
	id_slot *ids; /* id URI -> schema node */
	size_t ids_alloc, ids_used;
	platci_regex **regexes; /* owned by the schema (freed with it) */
	size_t nregexes, regexes_alloc;
};

/* Records the first error (with a diagnostic at @p at). */
void platci_schema__error(schema_compiler *cc, int code, const platci_node *at, const char *fmt, ...)
	PLATCI_PRINTF(4, 5);
sch *platci_schema__map_get(schema_compiler *cc, const platci_node *node);
sch *platci_schema__sch_new(schema_compiler *cc, const platci_node *node);

/* Fills @p s from @p node: every keyword (schema_keywords.c). */
int platci_schema__fill(schema_compiler *cc, sch *s, const platci_node *node, const char *base,
	size_t depth);
/* Compiles an inline subschema, or returns the node already compiled for it. */
sch *platci_schema__inline(schema_compiler *cc, const platci_node *node, const char *base, size_t depth);
/* The compiled node a $ref target gets (queued for filling when new). */
sch *platci_schema__queue(schema_compiler *cc, const platci_node *node, const char *base, const char *name);

/* schema_ref.c */
const char *platci_schema__join_uri(schema_compiler *cc, const char *base, const char *ref);
int platci_schema__index_ids(schema_compiler *cc, const platci_node *node, const char *base, size_t depth);
int platci_schema__resolve_ref(const platci_node **target, const char **target_base,
	const char **def_name, schema_compiler *cc, const platci_node *at, const char *base);
int platci_schema__check_cycles(schema_compiler *cc);
/* Resolves a pointer or id reference given as text (not a node), from the document root. */
int platci_schema__resolve_pointer(const platci_node **target, const char **target_base,
	const char **def_name, schema_compiler *cc, const platci_node *at, const char *ref);
const platci_node *platci_schema__own(const platci_node *map, const char *key);

#endif
