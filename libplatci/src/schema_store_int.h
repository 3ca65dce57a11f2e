/* The schema store's layout, shared by schema_store.c (lookups) and schema_store_load.c (loading). */
#ifndef PLATCI_SRC_SCHEMA_STORE_INT_H
#define PLATCI_SRC_SCHEMA_STORE_INT_H

#include "platci/schema_store.h"
#include "schema_int.h"

#define STORE_DEFAULT_MAX_DOCUMENT (32u * 1024 * 1024)

typedef struct store_entry {
	platci_schema_gvk gvk;
	const sch *root;
	const platci_schema *schema; /* owner of root */
} store_entry;

/* apiVersion/kind -> entry: an array sorted for listing, hashed for lookups. */
typedef struct store_set {
	store_entry *e;
	size_t n, alloc;
	uint32_t *index; /* entry index + 1 */
	size_t mask;
} store_set;

/* What one Kubernetes minor version serves. */
typedef struct store_layer {
	char version[16];
	int major, minor;
	int has_openapi;
	store_set set;
	const sch *object_meta;
} store_layer;

struct platci_schema_store {
	platci_schema_store_options opts;
	platci_arena arena; /* names and file names */
	store_layer **layers; /* ascending by version */
	size_t nlayers, layers_alloc;
	store_set repo; /* the repository's CRDs: every version */
	platci_schema **schemas; /* every compiled document, owned */
	size_t nschemas, schemas_alloc;
	const sch *any_object_meta;
};

/* schema_store.c */
const store_entry *platci_schema__set_find(const store_set *set, const char *api_version, const char *kind);
/* Adds an entry (strings copied); an existing CRD entry is kept, an OpenAPI one gives way to a CRD. */
int platci_schema__set_add(platci_schema_store *st, store_set *set, const char *api_version,
	const char *kind, const char *file, platci_schema_origin origin, const sch *root,
	const platci_schema *schema);
/* Sorts and re-indexes @p set after adds. */
int platci_schema__set_finish(store_set *set);
/* The layer for a normalised version, created when @p create. NULL when absent (or out of memory). */
store_layer *platci_schema__layer(platci_schema_store *st, const char *version, int create);
const store_layer *platci_schema__layer_get(const platci_schema_store *st, const char *k8s_version);
/* schema_store_load.c: loads one version folder (openapi-v2.json, openapi-v3/, crds/). */
int platci_schema__load_version_dir(platci_schema_store *st, const char *path, const char *version,
	platci_diag *diag);
/* Takes ownership of a compiled document. */
int platci_schema__store_keep(platci_schema_store *st, platci_schema *s);

#endif
