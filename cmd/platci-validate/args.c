/* platci-validate's flags. */
#include <stdlib.h>
#include <string.h>

#include "args.h"

static const char usage[] = "[--all | --base REV [--head REV]] [--child-pipeline FILE] [options]";
static const char options[] =
	"Validates what a merge request changes: YAML, Kubernetes/Flux/Kustomize structure,\n"
	"the manifest policy, Terraform layout and .gitlab-ci.yml; maps the change to the\n"
	"environments it touches (affected.json). With a base, findings already at the merge\n"
	"base are reported as existing (validate.existing in platci.yaml, default warn).\n\n"
	"Options:\n"
	"  --all                   validate and report every file (default without a base)\n"
	"  --base REV              compare with REV (default: CI_MERGE_REQUEST_DIFF_BASE_SHA,\n"
	"                          else CI_COMMIT_BEFORE_SHA; all zeros means --all)\n"
	"  --head REV              the change's head (default HEAD; must be the checked-out tree)\n"
	CHILD_HELP
	"  --no-terraform-fmt      skip `terraform fmt -check`\n"
	"  --threads N             worker threads (default: one per core)\n";

static int threads(vargs *a, cli *c, const char *v)
{
	char *end = NULL;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < 1 || n > 64)
		return cli_usage_error(c, "--threads: \"%s\" is not a number from 1 to 64", v);
	a->threads = (unsigned int)n;
	return 0;
}

/* The field a valued flag fills, or NULL when @p arg is none of them. */
static const char **valued(vargs *a, const char *arg, const char **name)
{
	*name = cli_is_flag(arg, "--base") ? "--base" : cli_is_flag(arg, "--head") ? "--head" : NULL;
	if (!*name)
		return NULL;
	return (*name)[2] == 'b' ? &a->base : &a->head;
}

/* One flag of ours at argv[*i]: 0 taken, -1 help or version printed, or an exit code. */
static int one_flag(vargs *a, cli *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *name, *v, **slot;
	int r;

	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		cli_print_help(c, usage, options);
		return -1;
	}
	if (strcmp(arg, "--version") == 0) {
		cli_print_version(c);
		return -1;
	}
	if (strcmp(arg, "--all") == 0) {
		a->all = 1;
		return 0;
	}
	if (strcmp(arg, "--no-terraform-fmt") == 0) {
		a->fmt = 0;
		return 0;
	}
	if (cli_is_flag(arg, "--threads")) {
		v = cli_flag_value(c, argc, argv, i, "--threads");
		return v ? threads(a, c, v) : CLI_EXIT_USAGE;
	}
	if ((r = child_flag(c, &a->child, argc, argv, i)) != 0)
		return r == 1 ? 0 : r;
	if ((slot = valued(a, arg, &name)) != NULL) {
		*slot = cli_flag_value(c, argc, argv, i, name);
		return *slot ? 0 : CLI_EXIT_USAGE;
	}
	return cli_usage_error(c, "unknown argument \"%s\"", arg);
}

int vargs_parse(vargs *a, cli *c, int argc, char **argv)
{
	int r;

	memset(a, 0, sizeof(*a));
	child_init(&a->child);
	a->fmt = 1;
	for (int i = 1; i < argc; i++) {
		r = cli_common_flag(c, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0 && (r = one_flag(a, c, argc, argv, &i)) != 0)
			return r;
	}
	if (a->all && a->base)
		return cli_usage_error(c, "--all and --base exclude each other");
	if ((r = child_check(c, &a->child)) != 0)
		return r;
	if (!a->all && !a->base) {
		a->base = getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
		if (!a->base || !*a->base)
			a->base = getenv("CI_COMMIT_BEFORE_SHA");
		if (a->base && (!*a->base || platci_git_is_null_rev(a->base)))
			a->base = NULL; /* a new branch: validate everything */
	}
	if (!a->head)
		a->head = "HEAD";
	return 0;
}
