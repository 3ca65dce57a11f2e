/**
 * @file platci/schema.h
 * @brief JSON Schema (draft 4, plus Kubernetes' OpenAPI rules) over the document model.
 *
 * A schema is compiled once from a document node (YAML or JSON, see
 * doc.h) into an internal form; validating an instance then walks the
 * instance's nodes and the compiled form only. Because instances are
 * platci_node trees, every violation carries the instance's file, line
 * and column and its document path (`spec.template.spec.containers[0].image`).
 *
 * Supported: every draft 4 keyword (type, enum, the numeric, string,
 * array and object keywords, dependencies, allOf/anyOf/oneOf/not,
 * definitions, `$ref` with JSON pointers and `id`-based resolution inside
 * the document) and, from Kubernetes' structural schemas,
 * `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`,
 * `x-kubernetes-embedded-resource`, `x-kubernetes-list-type` (`set`, `map`)
 * with `x-kubernetes-list-map-keys`, `nullable`, and the formats
 * `int-or-string`, `quantity`, `date-time`, `date`, `int32`, `int64`,
 * `byte`, `ipv4`, `ipv6`, `hostname`, `email` and `uri` (other formats are
 * accepted unchecked, as JSON Schema says). Not enforced, and counted by
 * platci_schema_unsupported_count(): `x-kubernetes-validations` (CEL). Remote
 * `$ref`s (another document, a URL) are compile errors: nothing is fetched.
 *
 * Instance scalars are typed by the YAML 1.2 core schema (as Flux's
 * kustomize-controller reads them): quoted scalars are strings, plain
 * `true`/`false` booleans, `null`/`~`/empty null, `12` an integer, `1.5`
 * a number; explicit tags (`!!str 12`) win.
 *
 * Limits are explicit: schema nesting (`max_depth`), compiled nodes
 * (`max_nodes`), regex size (schema_regex), evaluation depth
 * (`max_eval_depth`) and violations per call (`max_violations`). A `$ref`
 * cycle that never descends into the instance (`{"$ref": "#"}`) is a
 * compile error, so validation always ends.
 *
 * Thread safety: a compiled platci_schema is read-only; any number of
 * threads may validate with it at once, each with its own violation list.
 */
#ifndef PLATCI_SCHEMA_H
#define PLATCI_SCHEMA_H

#include "doc.h"

typedef struct platci_schema platci_schema;
typedef struct platci_schema_violations platci_schema_violations;

/** How instances are read against the schema. */
typedef enum {
	/** Plain JSON Schema: `null` is a value like any other. */
	PLATCI_SCHEMA_DRAFT4 = 0,
	/**
	 * Kubernetes: a field whose value is `null` counts as absent (the API
	 * server drops it) unless its schema says `nullable: true`; the type
	 * `io.k8s.apimachinery.pkg.api.resource.Quantity` takes integers,
	 * numbers and quantity strings.
	 */
	PLATCI_SCHEMA_KUBERNETES = 1
} platci_schema_dialect;

/** Compile options. Zero fields take the defaults shown. */
typedef struct platci_schema_options {
	unsigned int version; /**< PLATCI_SCHEMA_OPTIONS_VERSION */
	platci_schema_dialect dialect;
	/**
	 * Non-zero for a CRD's structural schema: an object schema with no
	 * `properties`, no `additionalProperties` and no preserve-unknown-fields
	 * holds no fields (the API server prunes them), so strict mode reports
	 * any; the root's and embedded resources' `metadata` is ObjectMeta.
	 */
	int structural;
	size_t max_depth; /**< schema nesting; default 256 */
	size_t max_nodes; /**< compiled schema nodes; default 2,000,000 */
} platci_schema_options;

#define PLATCI_SCHEMA_OPTIONS_VERSION 1
#define PLATCI_SCHEMA_OPTIONS_INIT \
	{ \
		PLATCI_SCHEMA_OPTIONS_VERSION, PLATCI_SCHEMA_DRAFT4, 0, 0, 0 \
	}

/** Validation options. Zero fields take the defaults shown. */
typedef struct platci_schema_check_options {
	unsigned int version; /**< PLATCI_SCHEMA_CHECK_OPTIONS_VERSION */
	/**
	 * Non-zero: report fields the schema does not declare, where it does
	 * not allow them either (no `additionalProperties`, no
	 * preserve-unknown-fields), as `kubeconform -strict` does.
	 */
	int strict;
	size_t max_violations; /**< per call; default 100 */
	size_t max_eval_depth; /**< nested schema applications; default 1,024 */
	/**
	 * Non-zero: the object may be partial (a kustomize patch, an overlay's
	 * fragment), so missing required fields are not reported; everything
	 * present is still checked.
	 */
	int partial;
} platci_schema_check_options;

#define PLATCI_SCHEMA_CHECK_OPTIONS_VERSION 1
#define PLATCI_SCHEMA_CHECK_OPTIONS_INIT \
	{ \
		PLATCI_SCHEMA_CHECK_OPTIONS_VERSION, 0, 0, 0, 0 \
	}

/** What a violation is about. */
typedef enum {
	PLATCI_SCHEMA_V_TYPE = 1, /**< wrong JSON type */
	PLATCI_SCHEMA_V_REQUIRED, /**< a required field is missing */
	PLATCI_SCHEMA_V_UNKNOWN_FIELD, /**< additionalProperties: false, or strict mode */
	PLATCI_SCHEMA_V_ENUM, /**< not one of the allowed values */
	PLATCI_SCHEMA_V_FORMAT, /**< format, pattern or quantity syntax */
	PLATCI_SCHEMA_V_RANGE, /**< minimum, maximum, multipleOf */
	PLATCI_SCHEMA_V_SIZE, /**< lengths and counts of strings, arrays, objects */
	PLATCI_SCHEMA_V_UNIQUE, /**< uniqueItems, list-type set or map */
	PLATCI_SCHEMA_V_COMBINATION, /**< anyOf, oneOf, not, dependencies */
	PLATCI_SCHEMA_V_LIMIT /**< an evaluation limit stopped the check here */
} platci_schema_problem;

/** One violation. Strings are owned by the list; `node` by the instance's document. */
typedef struct platci_schema_violation {
	platci_schema_problem problem;
	const char *keyword; /**< the schema keyword that failed, e.g. "required" */
	const char *source; /**< the name given to the validate call, or NULL */
	platci_pos pos; /**< the instance node (for an unknown field: its key) */
	const char *path; /**< document path, "" for the root */
	const char *message; /**< one line; never quotes instance values (they may be secrets) */
	const platci_node *node; /**< the instance node, borrowed */
} platci_schema_violation;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int) platci_schema_options_init(platci_schema_options *opts, unsigned int version);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int)
platci_schema_check_options_init(platci_schema_check_options *opts, unsigned int version);

/**
 * Compiles the schema at @p pointer (a JSON pointer fragment such as
 * `#/definitions/Pod`, or NULL for @p doc_root itself) of the document
 * rooted at @p doc_root, with everything it refers to.
 *
 * The result is self-contained: @p doc_root's document may be freed
 * afterwards. @p name labels diagnostics and base-URI resolution.
 *
 * @param[out] out the schema; free with platci_schema_free(). NULL on failure.
 * @return 0; PLATCI_ENOTFOUND (@p pointer names nothing), PLATCI_EDATA (a
 *         keyword of the wrong shape, a `$ref` to nowhere or to another
 *         document, a `$ref` cycle that never descends, a bad pattern),
 *         PLATCI_ELIMIT (nesting or size), PLATCI_EINVALID (options),
 *         PLATCI_ENOMEM. Each problem adds a diagnostic at its position.
 */
PLATCI_EXTERN(int)
platci_schema_compile(platci_schema **out, const platci_node *doc_root, const char *pointer,
	const char *name, const platci_schema_options *opts, platci_diag *diag);

/** Frees a compiled schema. NULL is a no-op. */
PLATCI_EXTERN(void) platci_schema_free(platci_schema *schema);

/**
 * Keywords compiled but not enforced: the number of
 * `x-kubernetes-validations` rules (CEL) seen. 0 for NULL.
 */
PLATCI_EXTERN(size_t) platci_schema_unsupported_count(const platci_schema *schema);

/**
 * Validates @p instance against @p schema, appending violations to @p out
 * (NULL: only the answer is wanted, and the check stops at the first).
 *
 * @param source the instance's file name, copied into each violation (may be NULL)
 * @param opts NULL for the defaults
 * @return 0 when the instance is valid, 1 when it is not, PLATCI_EINVALID
 *         (NULL schema, bad options) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_schema_validate(platci_schema_violations *out, const platci_schema *schema,
	const platci_node *instance, const char *source, const platci_schema_check_options *opts);

/** Creates an empty violation list. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_schema_violations_new(platci_schema_violations **out);

/** Frees the list. NULL is a no-op. */
PLATCI_EXTERN(void) platci_schema_violations_free(platci_schema_violations *list);

/** Empties the list, keeping its memory for the next object. */
PLATCI_EXTERN(void) platci_schema_violations_clear(platci_schema_violations *list);

/** Number of violations. 0 for NULL. */
PLATCI_EXTERN(size_t) platci_schema_violations_count(const platci_schema_violations *list);

/** Borrowed violation @p i, valid until the list is cleared or freed; NULL when out of range. */
PLATCI_EXTERN(const platci_schema_violation *)
platci_schema_violations_at(const platci_schema_violations *list, size_t i);

/**
 * Formats @p v as `source:line:column: error: path: message` into @p out
 * (cut to @p size, NUL-terminated). @return the length the full text would have.
 */
PLATCI_EXTERN(size_t)
platci_schema_violation_format(char *out, size_t size, const platci_schema_violation *v);

PLATCI_END_DECL

#endif
