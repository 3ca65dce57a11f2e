/* platci-schemas: fetch a cluster's schemas, list a schema folder, check manifests against it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemas_cmd.h"

static const char usage[] = "fetch|list|check [options] [PATH...]";
static const char options[] =
	"Kubernetes schemas offline: one folder per Kubernetes minor version (docs/schemas.md).\n\n"
	"  fetch --env ENV [--out DIR]   save the live cluster's /openapi/v2, /openapi/v3 and CRDs\n"
	"                                (through kubectl) into DIR/<its version>/, atomically\n"
	"  list [--gvks]                 what the folder holds: versions, kinds, removed APIs\n"
	"  check [--k8s-version V] PATH...\n"
	"                                validate every object in the files against its kind's\n"
	"                                schema: exit 1 on a violation or a removed API\n\n"
	"Options:\n"
	"  --schemas DIR         the schema folder (default: schemas)\n"
	"  --k8s-version V       the Kubernetes version to check against (1.31; default: the\n"
	"                        only version in the folder)\n"
	"  --crds PATH           CRDs (a file or folder) for every version; repeatable\n"
	"  --strict              also reject unknown fields and kinds without a schema\n"
	"  --partial             the files hold patches: missing required fields are fine\n"
	"  --schema FILE         check against this JSON Schema (draft 4) instead of the folder\n"
	"  --max-schema-size N   refuse schema documents over N bytes (default 33554432)\n"
	"  --out DIR             fetch: where to write (default: --schemas)\n"
	"  --context CTX         fetch: kubectl --context\n"
	"  --kubectl PATH        fetch: the kubectl to run (default: kubectl on PATH)\n"
	"  --no-openapi-v3       fetch: save /openapi/v2 and the CRDs only\n";

/* Flags with a value: the field each one sets. */
static const char **value_flag(schemas_args *a, const char *arg)
{
	const struct { const char *flag; const char **field; } flags[] = {
		{ "--schemas", &a->schemas }, { "--k8s-version", &a->k8s_version },
		{ "--schema", &a->schema_file }, { "--out", &a->out },
		{ "--context", &a->context }, { "--kubectl", &a->kubectl },
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (cli_is_flag(arg, flags[i].flag))
			return flags[i].field;
	return NULL;
}

static int parse(cli *c, schemas_args *a, int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		const char **field, *v;
		char *end;
		int rc = cli_common_flag(c, argc, argv, &i);
		if (rc < 0)
			return CLI_EXIT_USAGE;
		if (rc)
			continue;
		if ((field = value_flag(a, argv[i]))) {
			const char *flag = argv[i];
			size_t n = strcspn(flag, "=");
			char name[32];
			snprintf(name, sizeof(name), "%.*s", (int)n, flag);
			if (!(*field = cli_flag_value(c, argc, argv, &i, name)))
				return CLI_EXIT_USAGE;
		} else if (cli_is_flag(argv[i], "--crds")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--crds")))
				return CLI_EXIT_USAGE;
			if (a->ncrds == SCHEMAS_MAX_PATHS)
				return cli_usage_error(c, "too many --crds");
			a->crds[a->ncrds++] = v;
		} else if (cli_is_flag(argv[i], "--max-schema-size")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--max-schema-size")))
				return CLI_EXIT_USAGE;
			a->max_size = strtoull(v, &end, 10);
			if (!*v || *end || !a->max_size)
				return cli_usage_error(c, "--max-schema-size: \"%s\" is not a byte count", v);
		} else if (!strcmp(argv[i], "--strict")) {
			a->strict = 1;
		} else if (!strcmp(argv[i], "--partial")) {
			a->partial = 1;
		} else if (!strcmp(argv[i], "--gvks")) {
			a->gvks = 1;
		} else if (!strcmp(argv[i], "--no-openapi-v3")) {
			a->no_v3 = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(c, "unknown option \"%s\"", argv[i]);
		} else if (a->npaths == SCHEMAS_MAX_PATHS) {
			return cli_usage_error(c, "too many paths");
		} else {
			a->paths[a->npaths++] = argv[i];
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static schemas_args a;
	const char *sub = argc > 1 ? argv[1] : "";
	int code;
	cli c;

	cli_init(&c, argv[0]);
	a.schemas = "schemas";
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		cli_print_help(&c, usage, options);
		code = 0;
	} else if (!strcmp(sub, "--version")) {
		cli_print_version(&c);
		code = 0;
	} else if (strcmp(sub, "fetch") && strcmp(sub, "list") && strcmp(sub, "check")) {
		code = cli_usage_error(&c, *sub ? "unknown command \"%s\"" : "a command is needed%s", sub);
	} else if ((code = parse(&c, &a, argc, argv)) == 0) {
		code = !strcmp(sub, "fetch") ? schemas_fetch(&c, &a)
		       : !strcmp(sub, "list") ? schemas_list(&c, &a) : schemas_check(&c, &a);
	}
	cli_dispose(&c);
	return code;
}
