/**
 * @file platci/schema_store.h
 * @brief Kubernetes schemas by Kubernetes version and apiVersion/kind, with no network.
 *
 * A store is filled once per run and then only read:
 *
 * - the Kubernetes API's OpenAPI documents, v2 (`/openapi/v2`: swagger
 *   `definitions` with `x-kubernetes-group-version-kind`) or v3
 *   (`/openapi/v3/apis/<group>/<version>`: `components.schemas`), one set
 *   per Kubernetes minor version (`1.31`);
 * - CustomResourceDefinitions (`apiextensions.k8s.io/v1`, and `v1beta1`),
 *   each served version's `openAPIV3Schema`: those found in the
 *   repository or the rendered output apply to every Kubernetes version;
 *   those in a version folder (what the cluster serves) to that version.
 *
 * Folder layout (platci_schema_store_load_dir(); docs/schemas.md):
 *
 *     DIR/1.31/openapi-v2.json     kubectl get --raw /openapi/v2
 *     DIR/1.31/openapi-v3/NAME.json  kubectl get --raw /openapi/v3/PATH (index.json is skipped)
 *     DIR/1.31/crds/NAME.yaml      CRDs (.yaml, .yml or .json; kubectl get crd -o json)
 *     DIR/crds/NAME.yaml           CRDs for every version
 *
 * A kind is looked up in the repository's CRDs first (they are what will
 * be applied), then the version's CRDs, then its OpenAPI documents.
 * Removed APIs are derived from the documents themselves: an
 * apiVersion/kind that an older version's OpenAPI serves and the wanted
 * version does not is removed (platci_schema_store_removed()).
 *
 * Each schema is compiled once when its document is added; after the last
 * add the store is read-only, and validation from many threads at once is
 * safe. Adding while another thread validates is not.
 */
#ifndef PLATCI_SCHEMA_STORE_H
#define PLATCI_SCHEMA_STORE_H

#include "schema.h"

typedef struct platci_schema_store platci_schema_store;

/** Store options. Zero fields take the defaults shown. */
typedef struct platci_schema_store_options {
	unsigned int version; /**< PLATCI_SCHEMA_STORE_OPTIONS_VERSION */
	size_t max_document_size; /**< bytes per OpenAPI or CRD file; default 32 MiB */
	size_t max_depth; /**< nesting of a document and of a schema; default 256 */
} platci_schema_store_options;

#define PLATCI_SCHEMA_STORE_OPTIONS_VERSION 1
#define PLATCI_SCHEMA_STORE_OPTIONS_INIT \
	{ \
		PLATCI_SCHEMA_STORE_OPTIONS_VERSION, 0, 0 \
	}

/** Where a kind's schema came from. */
typedef enum {
	PLATCI_SCHEMA_FROM_OPENAPI = 1, /**< the version's OpenAPI document */
	PLATCI_SCHEMA_FROM_CRD = 2, /**< a CRD in the version folder */
	PLATCI_SCHEMA_FROM_REPO_CRD = 3 /**< a CRD found in the documents given (any version) */
} platci_schema_origin;

/** One apiVersion/kind a store knows. Strings are owned by the store. */
typedef struct platci_schema_gvk {
	const char *api_version; /**< `apps/v1`, `v1` */
	const char *kind;
	const char *file; /**< the document it came from */
	platci_schema_origin origin;
} platci_schema_gvk;

/** An apiVersion the wanted version no longer serves. */
typedef struct platci_schema_removal {
	char last_served[16]; /**< the newest older version whose OpenAPI serves it, e.g. "1.30" */
	char removed_in[16]; /**< the first version after that which does not */
	char replacement[256]; /**< an apiVersion serving the same kind in the wanted version; "" when none */
} platci_schema_removal;

/**
 * Runs `kubectl ARGS...` for platci_schema_fetch(), appending its standard
 * output to @p out (whose cap is the document size limit). The library
 * never starts processes itself; the runner does, through this.
 *
 * @param args NULL-terminated, without "kubectl" itself
 * @return 0, or with a diagnostic: PLATCI_ENOTFOUND (no kubectl),
 *         PLATCI_ENETWORK (kubectl failed: cluster unreachable, forbidden),
 *         PLATCI_ELIMIT (output over the cap), PLATCI_ENOMEM.
 */
typedef int (*platci_schema_kubectl_fn)(platci_buf *out, const char *const *args, platci_diag *diag,
	void *payload);

/** Fetch options. Zero fields take the defaults shown. */
typedef struct platci_schema_fetch_options {
	unsigned int version; /**< PLATCI_SCHEMA_FETCH_OPTIONS_VERSION */
	const char *env; /**< the environment, recorded in fetched.json; may be NULL */
	int skip_openapi_v3; /**< non-zero: only /openapi/v2 and the CRDs */
	size_t max_document_size; /**< bytes per document; default 32 MiB */
} platci_schema_fetch_options;

#define PLATCI_SCHEMA_FETCH_OPTIONS_VERSION 1
#define PLATCI_SCHEMA_FETCH_OPTIONS_INIT \
	{ \
		PLATCI_SCHEMA_FETCH_OPTIONS_VERSION, NULL, 0, 0 \
	}

/** What a fetch wrote. */
typedef struct platci_schema_fetch_result {
	char k8s_version[16]; /**< the version folder written, e.g. "1.31" */
	char server_version[64]; /**< the server's gitVersion, e.g. "v1.31.4" */
	size_t documents; /**< OpenAPI documents saved (v2 and v3) */
	size_t crds; /**< CustomResourceDefinitions saved */
} platci_schema_fetch_result;

PLATCI_BEGIN_DECL

/**
 * Saves what the cluster serves into @p dir's folder for its version:
 * `kubectl version -o json` names the version (`DIR/1.31`); then
 * `/openapi/v2`, the `/openapi/v3` index and every group document, and
 * `kubectl get crd -o json`, plus `fetched.json` (environment, server
 * version, counts). Everything is written to a temporary folder beside
 * it, loaded back as a store to prove it is usable, and only then renamed
 * into place (the previous folder for that version is replaced whole): a
 * failed fetch leaves @p dir as it was.
 *
 * A cluster without `/openapi/v3` is a warning, not a failure.
 *
 * @return 0; the callback's errors (PLATCI_ENOTFOUND, PLATCI_ENETWORK,
 *         PLATCI_ELIMIT); PLATCI_EDATA or PLATCI_ESYNTAX (what the cluster
 *         sent is not what was asked for); PLATCI_EIO (writing);
 *         PLATCI_EINVALID; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_schema_fetch(platci_schema_fetch_result *out, const char *dir, platci_schema_kubectl_fn kubectl,
	void *payload, const platci_schema_fetch_options *opts, platci_diag *diag);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int)
platci_schema_fetch_options_init(platci_schema_fetch_options *opts, unsigned int version);

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int)
platci_schema_store_options_init(platci_schema_store_options *opts, unsigned int version);

/** Creates an empty store. @return 0, PLATCI_EINVALID (options) or PLATCI_ENOMEM. */
PLATCI_EXTERN(int)
platci_schema_store_new(platci_schema_store **out, const platci_schema_store_options *opts);

/** Frees the store and every schema. NULL is a no-op. */
PLATCI_EXTERN(void) platci_schema_store_free(platci_schema_store *store);

/**
 * Normalises a Kubernetes version (`1.31`, `v1.31.4`, `1.31.4-gke.100`, `1.31+`)
 * to `MAJOR.MINOR` in @p out. @return 0, or PLATCI_EINVALID when it is not one.
 */
PLATCI_EXTERN(int) platci_schema_version_normalize(char *out, size_t size, const char *version);

/**
 * Loads the folder layout described above. Files the layout does not
 * name are warned about (a diagnostic at warning level) and skipped.
 *
 * @return 0; PLATCI_ENOTFOUND (@p dir missing, or it holds no version
 *         folder and no crds/), PLATCI_EIO, PLATCI_ESYNTAX (a file is not
 *         JSON or YAML), PLATCI_ELIMIT (a file over max_document_size, or
 *         too deep), PLATCI_EDATA (not an OpenAPI document, a CRD without a
 *         schema, a schema that cannot compile: a `$ref` to nowhere or a
 *         cycle), PLATCI_ENOMEM. Each with a diagnostic naming the file and
 *         position; the store keeps what loaded before the error.
 */
PLATCI_EXTERN(int)
platci_schema_store_load_dir(platci_schema_store *store, const char *dir, platci_diag *diag);

/**
 * Adds one OpenAPI document (v2 or v3, JSON) as Kubernetes version
 * @p k8s_version's. Same return codes as platci_schema_store_load_dir();
 * PLATCI_EINVALID for a bad version.
 */
PLATCI_EXTERN(int)
platci_schema_store_add_openapi_file(platci_schema_store *store, const char *k8s_version,
	const char *path, platci_diag *diag);

/**
 * Adds every CustomResourceDefinition among the documents of @p doc (a
 * `List` of them too), for every Kubernetes version (@p k8s_version NULL:
 * the repository's CRDs) or for one. Other documents are ignored. A CRD
 * met again for the same group, version and kind is skipped (the first
 * wins); @p added (may be NULL) receives the apiVersion/kinds added.
 *
 * @return 0; PLATCI_EDATA (a served version without `openAPIV3Schema`, a
 *         schema that does not compile), PLATCI_EINVALID, PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_schema_store_add_crds(platci_schema_store *store, const platci_doc *doc,
	const char *k8s_version, size_t *added, platci_diag *diag);

/**
 * Adds the CRDs of the file @p path, or of every `.yaml`, `.yml` and
 * `.json` file directly in the folder @p path, as
 * platci_schema_store_add_crds() does (@p k8s_version NULL: every
 * version). @return its codes, and PLATCI_ENOTFOUND (no such path),
 * PLATCI_EIO, PLATCI_ESYNTAX, PLATCI_ELIMIT (reading), each with a
 * diagnostic.
 */
PLATCI_EXTERN(int)
platci_schema_store_add_crd_path(platci_schema_store *store, const char *path,
	const char *k8s_version, platci_diag *diag);

/**
 * Validates one Kubernetes object (a document root with apiVersion and
 * kind) against its kind's schema for Kubernetes @p k8s_version,
 * appending violations (file:line:column, document path) to @p out.
 *
 * @param source the object's file name, copied into each violation
 * @param opts strict mode and limits; NULL for the defaults
 * @return 0 (valid), 1 (violations appended), PLATCI_ENOTFOUND (no schema
 *         for this apiVersion/kind in that version: an unknown kind, or a
 *         removed one; nothing appended), PLATCI_EVERSION (the store has no
 *         OpenAPI document for @p k8s_version and no CRD for the kind),
 *         PLATCI_EINVALID (not an object with string apiVersion and kind, or
 *         a bad version), PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_schema_store_validate(platci_schema_violations *out, const platci_schema_store *store,
	const char *k8s_version, const platci_node *object, const char *source,
	const platci_schema_check_options *opts);

/**
 * Where the schema of @p api_version / @p kind for @p k8s_version comes
 * from. @return a PLATCI_SCHEMA_FROM_* value, or 0 when the store has none.
 */
PLATCI_EXTERN(int)
platci_schema_store_find(const platci_schema_store *store, const char *k8s_version,
	const char *api_version, const char *kind);

/**
 * Whether @p api_version / @p kind was removed before @p k8s_version:
 * served by an older version's OpenAPI document in the store and by
 * nothing for @p k8s_version. @p out names the last version serving it,
 * the first not serving it, and a replacement (the same kind in another
 * apiVersion that @p k8s_version serves, GA before beta before alpha, the
 * same group first).
 *
 * @return 1 (removed; @p out filled), 0 (served, or never served by an
 *         older version in the store), PLATCI_EVERSION (no OpenAPI
 *         document for @p k8s_version), PLATCI_EINVALID.
 */
PLATCI_EXTERN(int)
platci_schema_store_removed(platci_schema_removal *out, const platci_schema_store *store,
	const char *k8s_version, const char *api_version, const char *kind);

/** Kubernetes versions with documents, ascending (`1.30`, `1.31`). */
PLATCI_EXTERN(size_t) platci_schema_store_version_count(const platci_schema_store *store);
/** Version @p i, or NULL when out of range. */
PLATCI_EXTERN(const char *)
platci_schema_store_version_at(const platci_schema_store *store, size_t i);

/**
 * Number of apiVersion/kinds of @p k8s_version (its OpenAPI documents and
 * CRDs), or of the repository's CRDs when @p k8s_version is NULL. 0 for
 * an unknown version.
 */
PLATCI_EXTERN(size_t)
platci_schema_store_gvk_count(const platci_schema_store *store, const char *k8s_version);

/**
 * apiVersion/kind @p i of @p k8s_version (NULL: the repository's CRDs),
 * sorted by apiVersion then kind; borrowed until the store changes. NULL
 * when out of range.
 */
PLATCI_EXTERN(const platci_schema_gvk *)
platci_schema_store_gvk_at(const platci_schema_store *store, const char *k8s_version, size_t i);

/** `x-kubernetes-validations` rules (CEL) in the store's schemas: compiled over, never evaluated. */
PLATCI_EXTERN(size_t) platci_schema_store_unsupported_count(const platci_schema_store *store);

PLATCI_END_DECL

#endif
