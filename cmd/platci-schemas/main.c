/* platci-schemas: fetch a cluster's schemas, list a schema folder, check manifests against it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemas_cmd.h"

static schemas_args a = { .schemas = "schemas" };
static const char *max_size;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "schemas", 0, &a.schemas, 0, "DIR", "the schema folder (default: schemas)",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "k8s-version", 0, &a.k8s_version, 0, "V",
		"the Kubernetes version to check against (1.31; default: the\n"
		"only version in the folder)",
		CLI_NONEMPTY },
	{ CLI_OPT_LIST, "crds", 0, &a.crds, 0, "PATH",
		"CRDs (a file or folder) for every version; repeatable", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "strict", 0, &a.strict, 1, NULL,
		"also reject unknown fields and kinds without a schema", 0 },
	{ CLI_OPT_SWITCH, "partial", 0, &a.partial, 1, NULL,
		"the files hold patches: missing required fields are fine", 0 },
	{ CLI_OPT_VALUE, "schema", 0, &a.schema_file, 0, "FILE",
		"check against this JSON Schema (draft 4) instead of the folder", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "max-schema-size", 0, &max_size, 0, "N",
		"refuse schema documents over N bytes (default 33554432)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "gvks", 0, &a.gvks, 1, NULL, "list: every group/version/kind", 0 },
	{ CLI_OPT_VALUE, "out", 0, &a.out, 0, "DIR", "fetch: where to write (default: --schemas)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "context", 0, &a.context, 0, "CTX", "fetch: kubectl --context", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "kubectl", 0, &a.kubectl, 0, "PATH",
		"fetch: the kubectl to run (default: kubectl on PATH)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "no-openapi-v3", 0, &a.no_v3, 1, NULL,
		"fetch: save /openapi/v2 and the CRDs only", 0 },
	{ CLI_OPT_ARGS, "PATH", 0, &a.paths, 0, NULL, NULL, 0 },
};

static const cli_spec spec = { "fetch|list|check [options] [PATH...]",
	"Kubernetes schemas offline: one folder per Kubernetes minor version (docs/schemas.md).\n\n"
	"  fetch --env ENV [--out DIR]   save the live cluster's /openapi/v2, /openapi/v3 and CRDs\n"
	"                                (through kubectl) into DIR/<its version>/, atomically\n"
	"  list [--gvks]                 what the folder holds: versions, kinds, removed APIs\n"
	"  check [--k8s-version V] PATH...\n"
	"                                validate every object in the files against its kind's\n"
	"                                schema: exit 1 on a violation or a removed API\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };

int main(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	char *end = NULL;
	int code = CLI_CONTINUE;
	cli c;

	cli_init(&c, argv[0]);
	/* Before a subcommand only --help and --version mean something. */
	if (sub[0] == '-')
		code = cli_parse(&c, &spec, 2, argv);
	if (code != CLI_CONTINUE)
		goto done;
	if (strcmp(sub, "fetch") && strcmp(sub, "list") && strcmp(sub, "check")) {
		code = cli_usage_error(&c, *sub ? "unknown command \"%s\"" : "a command is needed%s", sub);
		goto done;
	}
	if ((code = cli_parse(&c, &spec, argc - 1, argv + 1)) != CLI_CONTINUE)
		goto done;
	if (max_size) {
		a.max_size = strtoull(max_size, &end, 10);
		if (!*max_size || *end || !a.max_size) {
			code = cli_usage_error(&c, "--max-schema-size: \"%s\" is not a byte count", max_size);
			goto done;
		}
	}
	code = !strcmp(sub, "fetch")  ? schemas_fetch(&c, &a)
	       : !strcmp(sub, "list") ? schemas_list(&c, &a)
				      : schemas_check(&c, &a);
done:
	cli_dispose(&c);
	return code;
}
