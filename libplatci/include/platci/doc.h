/**
 * @file platci/doc.h
 * @brief YAML (and JSON) documents with source positions.
 *
 * A platci_doc holds every document of one file (`---` separated), each
 * a tree of nodes that remember where they stand in the source: 1-based
 * line and column and 0-based byte offsets of their start and end, so a
 * finding can point at a line and promotion can edit bytes in place.
 *
 * Loading is guarded by limits (file size, nesting depth, node count,
 * alias expansion) and rejects what libyaml lets through: duplicate
 * mapping keys and invalid UTF-8 are errors with a position.
 *
 * Nodes are owned by their platci_doc and live until platci_doc_free().
 * Aliases are resolved to the anchored node, so a tree may share nodes.
 */
#ifndef PLATCI_DOC_H
#define PLATCI_DOC_H

#include "buf.h"
#include "diag.h"

typedef struct platci_doc platci_doc;
typedef struct platci_node platci_node;

typedef enum {
	PLATCI_NODE_SCALAR = 1,
	PLATCI_NODE_SEQUENCE = 2,
	PLATCI_NODE_MAPPING = 3
} platci_node_type;

/** How a scalar was written; promotion keeps the style when it edits. */
typedef enum {
	PLATCI_STYLE_PLAIN = 0,
	PLATCI_STYLE_SINGLE_QUOTED,
	PLATCI_STYLE_DOUBLE_QUOTED,
	PLATCI_STYLE_LITERAL,
	PLATCI_STYLE_FOLDED,
	PLATCI_STYLE_FLOW /**< a flow collection: `[a, b]` or `{a: b}` */
} platci_node_style;

/** A source position. line and column are 1-based; offset is a 0-based byte offset. */
typedef struct platci_pos {
	size_t line;
	size_t column;
	size_t offset;
} platci_pos;

/** Limits applied while loading. Zero fields take the defaults shown. */
typedef struct platci_doc_options {
	unsigned int version; /**< PLATCI_DOC_OPTIONS_VERSION */
	size_t max_file_size; /**< bytes; default 64 MiB */
	size_t max_depth; /**< nesting; default 256 */
	size_t max_nodes; /**< per file; default 4,000,000 */
	size_t max_alias_nodes; /**< nodes reachable through aliases, per file; default 1,000,000 */
	int allow_duplicate_keys; /**< non-zero: report nothing for duplicate keys */
} platci_doc_options;

#define PLATCI_DOC_OPTIONS_VERSION 1
#define PLATCI_DOC_OPTIONS_INIT \
	{ \
		PLATCI_DOC_OPTIONS_VERSION, 0, 0, 0, 0, 0 \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int) platci_doc_options_init(platci_doc_options *opts, unsigned int version);

/**
 * Loads every YAML document in the file @p path.
 *
 * @param[out] out the documents; free with platci_doc_free(). Set to NULL on failure.
 * @param opts limits, or NULL for the defaults
 * @param diag receives one diagnostic per problem, with the file name and position
 * @return 0; PLATCI_ENOTFOUND or PLATCI_EIO (file), PLATCI_ESYNTAX (YAML
 *         or UTF-8 error, duplicate key), PLATCI_ELIMIT (a limit),
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_doc_load_file(platci_doc **out, const char *path, const platci_doc_options *opts, platci_diag *diag);

/**
 * Loads YAML from memory. @p name labels diagnostics (may be NULL). The
 * bytes are copied, so @p data need not outlive the document.
 * Same return codes as platci_doc_load_file().
 */
PLATCI_EXTERN(int)
platci_doc_load_buffer(platci_doc **out, const char *name, const char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag);

/**
 * Loads one JSON text (RFC 8259) from the file @p path into the same
 * node model, as if it had been read as YAML: strings are double-quoted
 * scalars, numbers, `true`, `false` and `null` plain scalars holding
 * their source text, objects and arrays flow collections. The document
 * count is 1; input that holds no JSON value is an error.
 * Faster than the YAML loader on large JSON and exact where libyaml is
 * not (`\u` surrogate pairs). Limits: file size, depth and node count
 * from @p opts; duplicate object keys are errors unless allowed there.
 *
 * @return 0; PLATCI_ENOTFOUND or PLATCI_EIO (file), PLATCI_ESYNTAX (not
 *         JSON, invalid UTF-8, duplicate key), PLATCI_ELIMIT, PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_doc_load_json_file(platci_doc **out, const char *path, const platci_doc_options *opts,
	platci_diag *diag);

/** As platci_doc_load_json_file(), from memory (copied); @p name labels diagnostics. */
PLATCI_EXTERN(int)
platci_doc_load_json_buffer(platci_doc **out, const char *name, const char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag);

/** Frees the documents and every node. NULL is a no-op. */
PLATCI_EXTERN(void) platci_doc_free(platci_doc *doc);

/** Number of documents in the file (an empty file has 0). */
PLATCI_EXTERN(size_t) platci_doc_count(const platci_doc *doc);

/** Root node of document @p i, or NULL when out of range or the document is empty. */
PLATCI_EXTERN(const platci_node *) platci_doc_root_at(const platci_doc *doc, size_t i);

/** The name given at load time (the path for files). Never NULL. */
PLATCI_EXTERN(const char *) platci_doc_name(const platci_doc *doc);

/** The source bytes (NUL-terminated), for in-place edits; @p len_out may be NULL. */
PLATCI_EXTERN(const char *) platci_doc_source(const platci_doc *doc, size_t *len_out);

/** Total nodes built, counting each alias target once. */
PLATCI_EXTERN(size_t) platci_doc_node_count(const platci_doc *doc);

PLATCI_EXTERN(platci_node_type) platci_node_type_of(const platci_node *node);
PLATCI_EXTERN(platci_node_style) platci_node_style_of(const platci_node *node);

/** Start position (first character of the node, after any tag or anchor). */
PLATCI_EXTERN(platci_pos) platci_node_start(const platci_node *node);
/** End position (one past the last character). */
PLATCI_EXTERN(platci_pos) platci_node_end(const platci_node *node);

/** The explicit tag (`!!str`, `!Ref`), or NULL when none was written. */
PLATCI_EXTERN(const char *) platci_node_tag(const platci_node *node);

/**
 * Scalar value after YAML unescaping, NUL-terminated; @p len_out (may be
 * NULL) receives its length. NULL for non-scalars.
 */
PLATCI_EXTERN(const char *) platci_node_scalar(const platci_node *node, size_t *len_out);

/** 1 when @p node is a scalar equal to @p s, else 0. */
PLATCI_EXTERN(int) platci_node_is(const platci_node *node, const char *s);

/** 1 when @p node is a plain scalar that YAML 1.2 core reads as null (`null`, `~`, empty). */
PLATCI_EXTERN(int) platci_node_is_null(const platci_node *node);

/** Items in a sequence, or pairs in a mapping; 0 for scalars and NULL. */
PLATCI_EXTERN(size_t) platci_node_count(const platci_node *node);

/** Sequence item @p i, or NULL. */
PLATCI_EXTERN(const platci_node *) platci_node_item_at(const platci_node *node, size_t i);

/** Key of mapping pair @p i, or NULL. */
PLATCI_EXTERN(const platci_node *) platci_node_key_at(const platci_node *node, size_t i);

/** Value of mapping pair @p i, or NULL. */
PLATCI_EXTERN(const platci_node *) platci_node_value_at(const platci_node *node, size_t i);

/**
 * Value of the scalar key @p key in mapping @p node, looking into YAML
 * merge keys (`<<: *anchor`) after the node's own keys. NULL when absent
 * or @p node is not a mapping.
 */
PLATCI_EXTERN(const platci_node *) platci_node_get(const platci_node *node, const char *key);

/** Key node for @p key in mapping @p node (own keys only), or NULL. */
PLATCI_EXTERN(const platci_node *) platci_node_get_key(const platci_node *node, const char *key);

/** Scalar value of @p key in @p node, or NULL when absent or not a scalar. */
PLATCI_EXTERN(const char *) platci_node_get_str(const platci_node *node, const char *key);

/** Follows a dotted path of plain keys (`metadata.name`); NULL when any step is missing. */
PLATCI_EXTERN(const platci_node *) platci_node_dig(const platci_node *node, const char *dotted);

PLATCI_END_DECL

#endif
