/**
 * @file platci/query.h
 * @brief A small path language over documents, shared by policies and stages.
 *
 * Syntax: dotted keys (`spec.template.spec`), array indices (`[0]`),
 * every element (`[*]`), and bracketed keys for names holding dots,
 * slashes or other punctuation (`metadata.labels["app.kubernetes.io/name"]`,
 * single or double quotes). A key of `*` after a dot matches every value
 * of a mapping. The empty string is the root.
 *
 * A compiled query can be evaluated over YAML nodes (platci/doc.h) or
 * jansson values (platci/json.h).
 */
#ifndef PLATCI_QUERY_H
#define PLATCI_QUERY_H

#include <jansson.h>
#include "doc.h"

typedef struct platci_query platci_query;

typedef enum {
	PLATCI_QUERY_KEY = 1, /**< a mapping key */
	PLATCI_QUERY_INDEX = 2, /**< an array index */
	PLATCI_QUERY_ANY = 3 /**< `[*]` or `.*` */
} platci_query_step_kind;

/** One step of a compiled query. */
typedef struct platci_query_step {
	platci_query_step_kind kind;
	const char *key; /**< for PLATCI_QUERY_KEY */
	size_t index; /**< for PLATCI_QUERY_INDEX */
} platci_query_step;

/** Called for each node a query reaches; return non-zero to stop. */
typedef int (*platci_query_node_cb)(const platci_node *node, void *payload);
/** Called for each JSON value a query reaches; return non-zero to stop. */
typedef int (*platci_query_json_cb)(json_t *value, void *payload);

PLATCI_BEGIN_DECL

/**
 * Compiles @p expr. Errors name the column in @p expr.
 * @return 0, PLATCI_ESYNTAX or PLATCI_ENOMEM. Free with platci_query_free().
 */
PLATCI_EXTERN(int) platci_query_compile(platci_query **out, const char *expr, platci_diag *diag);

/** Frees @p q. NULL is a no-op. */
PLATCI_EXTERN(void) platci_query_free(platci_query *q);

/** Number of steps. */
PLATCI_EXTERN(size_t) platci_query_step_count(const platci_query *q);

/** Borrowed step @p i, or NULL. */
PLATCI_EXTERN(const platci_query_step *) platci_query_step_at(const platci_query *q, size_t i);

/**
 * Visits every node that @p q reaches from @p root, in document order.
 * @return the number of nodes visited (stops early when @p cb returns non-zero).
 */
PLATCI_EXTERN(size_t)
platci_query_nodes(const platci_query *q, const platci_node *root, platci_query_node_cb cb, void *payload);

/** The first node @p q reaches from @p root, or NULL. */
PLATCI_EXTERN(const platci_node *)
platci_query_first_node(const platci_query *q, const platci_node *root);

/** As platci_query_nodes() over a jansson value. */
PLATCI_EXTERN(size_t)
platci_query_json(const platci_query *q, json_t *root, platci_query_json_cb cb, void *payload);

/** The first JSON value @p q reaches from @p root (borrowed), or NULL. */
PLATCI_EXTERN(json_t *) platci_query_first_json(const platci_query *q, json_t *root);

PLATCI_END_DECL

#endif
