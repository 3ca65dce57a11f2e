/* platci-validate's flags, as one option table. */
#include <stdlib.h>
#include <string.h>

#include "args.h"

static const char usage[] = "[--all | --base REV [--head REV]] [--child-pipeline FILE] [options]";
static const char about[] =
	"Validates what a merge request changes: YAML, Kubernetes/Flux/Kustomize structure,\n"
	"each cluster as kustomize and helm render it, the manifest policy, Kubernetes schemas and\n"
	"node pools, Terraform layout and .gitlab-ci.yml; maps the change to the environments it\n"
	"touches (affected.json). With a base, findings already at the merge base are reported as\n"
	"existing (validate.existing in platci.yaml, default warn).\n";

static int threads(vargs *a, cli *c)
{
	const char *v = a->threads_arg;
	char *end = NULL;
	long n;

	if (!v)
		return CLI_CONTINUE;
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > 64)
		return cli_usage_error(c, "--threads: \"%s\" is not a number from 1 to 64", v);
	a->threads = (unsigned int)n;
	return CLI_CONTINUE;
}

int vargs_parse(vargs *a, cli *c, int argc, char **argv)
{
	const cli_opt opts[] = {
		{ CLI_OPT_SWITCH, "all", 0, &a->all, 1, NULL,
			"validate and report every file (default without a base)", 0 },
		{ CLI_OPT_VALUE, "base", 0, &a->base, 0, "REV",
			"compare with REV (default: CI_MERGE_REQUEST_DIFF_BASE_SHA,\n"
			"else CI_COMMIT_BEFORE_SHA; all zeros means --all)",
			0 },
		{ CLI_OPT_VALUE, "head", 0, &a->head, 0, "REV",
			"the change's head (default HEAD; must be the checked-out tree)", 0 },
		CHILD_OPTS(&a->child),
		{ CLI_OPT_SWITCH, "no-terraform-fmt", 0, &a->no_fmt, 1, NULL,
			"skip `terraform fmt -check`", 0 },
		{ CLI_OPT_SWITCH, "no-render", 0, &a->no_render, 1, NULL,
			"judge the source files, not each cluster rendered by kustomize/helm", 0 },
		{ CLI_OPT_VALUE, "cache-dir", 0, &a->cache_dir, 0, "DIR",
			"render cache (default $XDG_CACHE_HOME/platci/render)", CLI_NONEMPTY },
		{ CLI_OPT_SWITCH, "no-cache", 0, &a->no_cache, 1, NULL, "render everything anew", 0 },
		{ CLI_OPT_VALUE, "schemas", 0, &a->schemas, 0, "DIR",
			"Kubernetes schemas, one folder per version (default:\n"
			"platci.yaml's schemas.dir; docs/schemas.md)",
			0 },
		{ CLI_OPT_SWITCH, "strict", 0, &a->strict, 1, NULL,
			"unknown kinds are errors, and unknown fields are reported", 0 },
		{ CLI_OPT_VALUE, "threads", 0, &a->threads_arg, 0, "N",
			"worker threads (default: one per core)", 0 },
	};
	const cli_spec spec = { usage, about, opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };
	int code;

	memset(a, 0, sizeof(*a));
	child_init(&a->child);
	if ((code = cli_parse(c, &spec, argc, argv)) != CLI_CONTINUE || (code = threads(a, c)) != CLI_CONTINUE)
		return code;
	if (a->all && a->base)
		return cli_usage_error(c, "--all and --base exclude each other");
	if ((code = child_check(c, &a->child)) != 0)
		return code;
	if (!a->all && !a->base) {
		a->base = getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
		if (!a->base || !*a->base)
			a->base = getenv("CI_COMMIT_BEFORE_SHA");
		if (a->base && (!*a->base || platci_git_is_null_rev(a->base)))
			a->base = NULL; /* a new branch: validate everything */
	}
	if (!a->head)
		a->head = "HEAD";
	return CLI_CONTINUE;
}
