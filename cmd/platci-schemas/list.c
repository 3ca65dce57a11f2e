/* platci-schemas list: the versions and kinds a schema folder holds, and what each version removed. */
#include <stdio.h>
#include <string.h>

#include "schemas_cmd.h"

static const char *origin_name(platci_schema_origin o)
{
	return o == PLATCI_SCHEMA_FROM_OPENAPI ? "openapi"
	       : o == PLATCI_SCHEMA_FROM_CRD   ? "crd"
					       : "repo-crd";
}

static void print_gvks(const platci_schema_store *st, const char *version)
{
	for (size_t i = 0; i < platci_schema_store_gvk_count(st, version); i++) {
		const platci_schema_gvk *g = platci_schema_store_gvk_at(st, version, i);
		printf("%s\t%s\t%s\t%s\t%s\n", version ? version : "*", g->api_version, g->kind,
			origin_name(g->origin), g->file);
	}
}

/* The kinds version @p i - 1 served that version @p i does not. */
static void print_removed(const platci_schema_store *st, size_t i)
{
	const char *prev = platci_schema_store_version_at(st, i - 1);
	const char *cur = platci_schema_store_version_at(st, i);

	for (size_t k = 0; k < platci_schema_store_gvk_count(st, prev); k++) {
		const platci_schema_gvk *g = platci_schema_store_gvk_at(st, prev, k);
		size_t kl = strlen(g->kind);
		platci_schema_removal r;
		/* FooList kinds come and go with Foo: one line each is enough */
		if (g->origin != PLATCI_SCHEMA_FROM_OPENAPI ||
			(kl > 4 && !strcmp(g->kind + kl - 4, "List")))
			continue;
		if (platci_schema_store_removed(&r, st, cur, g->api_version, g->kind) == 1)
			printf("  removed in %s: %s %s%s%s\n", cur, g->api_version, g->kind,
				*r.replacement ? " -> " : " (no replacement)", r.replacement);
	}
}

int schemas_list(cli *c, const schemas_args *a)
{
	platci_schema_store *st = NULL;
	size_t n;
	int code;

	if ((code = schemas_load_store(c, a, &st)) != 0)
		return code;
	n = platci_schema_store_version_count(st);
	if (a->gvks) {
		print_gvks(st, NULL);
		for (size_t i = 0; i < n; i++)
			print_gvks(st, platci_schema_store_version_at(st, i));
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = platci_schema_store_version_at(st, i);
		size_t counts[4] = { 0, 0, 0, 0 };
		for (size_t k = 0; k < platci_schema_store_gvk_count(st, v); k++)
			counts[platci_schema_store_gvk_at(st, v, k)->origin]++;
		printf("Kubernetes %s: %zu kinds from OpenAPI, %zu from CRDs\n", v,
			counts[PLATCI_SCHEMA_FROM_OPENAPI], counts[PLATCI_SCHEMA_FROM_CRD]);
		if (i > 0)
			print_removed(st, i);
	}
	if (platci_schema_store_gvk_count(st, NULL))
		printf("every version: %zu kinds from CRDs\n", platci_schema_store_gvk_count(st, NULL));
	if (platci_schema_store_unsupported_count(st))
		printf("not evaluated: %zu x-kubernetes-validations (CEL) rules\n",
			platci_schema_store_unsupported_count(st));
done:
	platci_schema_store_free(st);
	return 0;
}
