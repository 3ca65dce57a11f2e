/* platci-render: what each environment's cluster will apply, rendered by the real kustomize and helm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_cmd.h"

static const char usage[] = "[--env ENV | --path DIR] [--sources NAME=DIR]... [options]";
static const char options[] =
	"Builds the Flux model of each environment's cluster (platci.yaml `cluster:`), or of\n"
	"one folder, renders every Kustomization with kustomize and every HelmRelease with\n"
	"helm where the chart is at hand, and writes render.json (docs/render.md).\n\n"
	"Options:\n"
	"  --path DIR              render this cluster folder (repo root: --root, default .)\n"
	"  --root DIR              the repository folder for --path\n"
	"  --sources NAME=DIR      read source NAME (or NAMESPACE/NAME) from a local folder\n"
	"  --chart-cache DIR       Helm charts at hand: NAME-VERSION.tgz or NAME/\n"
	"  --jobs N                renders in parallel (default 2)\n"
	"  --strict-render         anything not rendered is a deny finding\n"
	"  --out DIR               write every object to DIR/<env>/<namespace|_cluster>/\n"
	"                          <kind>.<name>.yaml (default <reports>/rendered)\n"
	"  --cache-dir DIR         render cache (default $XDG_CACHE_HOME/platci/render)\n"
	"  --no-cache              render everything anew\n"
	"  --max-kustomizations N  stop a cluster at N Flux Kustomizations (default 2000)\n"
	"  --timeout SECONDS       limit for one kustomize or helm run (default 120)\n"
	"  --list                  print the Kustomizations (NAMESPACE, NAME, PATH) and stop\n";

static int parse(render_cmd *r, int argc, char **argv, int *done)
{
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int c = cli_common_flag(&r->c, argc, argv, &i);
		if (c < 0)
			return CLI_EXIT_USAGE;
		if (c)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_print_help(&r->c, usage, options);
			*done = 1;
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			cli_print_version(&r->c);
			*done = 1;
			return 0;
		}
		const char *name = NULL;
		c = render_cmd_flag(r, argv[i], &name);
		if (c == 1)
			continue;
		if (c < 0)
			return cli_usage_error(&r->c, "unknown option \"%s\"", argv[i]);
		if (!(v = cli_flag_value(&r->c, argc, argv, &i, name)))
			return CLI_EXIT_USAGE;
		if ((c = render_cmd_value(r, name, v)) != 0)
			return c;
	}
	return 0;
}

int main(int argc, char **argv)
{
	render_cmd r;
	int code, done = 0;

	render_cmd_init(&r, argv[0]);
	code = parse(&r, argc, argv, &done);
	if (code == 0 && !done)
		code = render_cmd_run(&r);
	render_cmd_dispose(&r);
	return code;
}
