/* platci-render: what each environment's cluster will apply, rendered by the real kustomize and helm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_cmd.h"

static render_cmd r;
static const char *jobs, *timeout, *max_ks;
static cli_list sources;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "path", 0, &r.path, 0, "DIR",
		"render this cluster folder (repo root: --root, default .)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "root", 0, &r.root, 0, "DIR", "the repository folder for --path", CLI_NONEMPTY },
	{ CLI_OPT_LIST, "sources", 0, &sources, 0, "NAME=DIR",
		"read source NAME (or NAMESPACE/NAME) from a local folder", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "chart-cache", 0, &r.chart_cache, 0, "DIR",
		"Helm charts at hand: NAME-VERSION.tgz or NAME/", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "jobs", 0, &jobs, 0, "N", "renders in parallel (default 2)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "strict-render", 0, &r.strict, 1, NULL,
		"anything not rendered is a deny finding", 0 },
	{ CLI_OPT_VALUE, "out", 0, &r.out, 0, "DIR",
		"write every object to DIR/<env>/<namespace|_cluster>/\n"
		"<kind>.<name>.yaml (default <reports>/rendered)",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "cache-dir", 0, &r.cache_dir, 0, "DIR",
		"render cache (default $XDG_CACHE_HOME/platci/render)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "no-cache", 0, &r.no_cache, 1, NULL, "render everything anew", 0 },
	{ CLI_OPT_VALUE, "max-kustomizations", 0, &max_ks, 0, "N",
		"stop a cluster at N Flux Kustomizations (default 2000)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "timeout", 0, &timeout, 0, "SECONDS",
		"limit for one kustomize or helm run (default 120)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "list", 0, &r.list, 1, NULL,
		"print the Kustomizations (NAMESPACE, NAME, PATH) and stop", 0 },
};

static const cli_spec spec = { "[--env ENV | --path DIR] [--sources NAME=DIR]... [options]",
	"Builds the Flux model of each environment's cluster (platci.yaml `cluster:`), or of\n"
	"one folder, renders every Kustomization with kustomize and every HelmRelease with\n"
	"helm where the chart is at hand, and writes render.json (docs/render.md).\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };

/* The values that need checking or splitting, applied after the table has been read. */
static int apply_values(void)
{
	const char *const names[] = { "--jobs", "--timeout", "--max-kustomizations" };
	const char *const values[] = { jobs, timeout, max_ks };
	int code;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (values[i] && (code = render_cmd_value(&r, names[i], values[i])) != 0)
			return code;
	for (size_t i = 0; i < sources.count; i++)
		if ((code = render_cmd_value(&r, "--sources", sources.items[i])) != 0)
			return code;
	return 0;
}

int main(int argc, char **argv)
{
	int code;

	render_cmd_init(&r, argv[0]);
	if ((code = cli_parse(&r.c, &spec, argc, argv)) == CLI_CONTINUE && (code = apply_values()) == 0)
		code = render_cmd_run(&r);
	render_cmd_dispose(&r);
	return code;
}
