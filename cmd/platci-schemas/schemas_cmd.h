/* platci-schemas: the subcommands and the flags they share. */
#ifndef PLATCI_SCHEMAS_CMD_H
#define PLATCI_SCHEMAS_CMD_H

#include "cli.h"

typedef struct schemas_args {
	const char *schemas; /* --schemas DIR (default "schemas") */
	const char *k8s_version; /* --k8s-version V */
	const char *schema_file; /* --schema FILE: a plain JSON Schema instead of the store */
	const char *out; /* fetch --out DIR (default: --schemas) */
	const char *context; /* fetch --context CTX */
	const char *kubectl; /* fetch --kubectl PATH (default: kubectl on PATH) */
	size_t max_size; /* --max-schema-size BYTES */
	int strict, gvks, no_v3, partial;
	cli_list crds; /* --crds PATH... */
	cli_list paths; /* PATH... */
} schemas_args;

int schemas_check(cli *c, const schemas_args *a);
int schemas_list(cli *c, const schemas_args *a);
int schemas_fetch(cli *c, const schemas_args *a);

/* A store loaded from --schemas and --crds (diagnostics printed). Returns 0 or an exit code. */
int schemas_load_store(cli *c, const schemas_args *a, platci_schema_store **out);
/* Every .yaml/.yml/.json file under @p path (itself when a file), sorted, appended to @p files. */
int schemas_collect_files(cli *c, const char *path, char ***files, size_t *n);

#endif
