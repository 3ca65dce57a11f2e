/* platci-plan bundle / verify: the plan bundle between the plan and apply jobs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_cmd.h"

static const char bundle_usage[] =
	"bundle --env ENV --plan PLANFILE --plan-json PLAN.json --out BUNDLE.tar.gz [options]";
static const char bundle_options[] =
	"Packs the planfile, its JSON and a manifest (SHA-256 of each member, env, commit,\n"
	"MR base, pipeline, time, Terraform version) into a gzip tar.\n\n"
	"Options (defaults from GitLab CI variables):\n"
	"  --commit SHA            CI_COMMIT_SHA\n"
	"  --base-sha SHA          CI_MERGE_REQUEST_DIFF_BASE_SHA\n"
	"  --pipeline-id ID        CI_PIPELINE_ID\n"
	"  --terraform-version V   from the plan JSON\n";
static const char verify_usage[] =
	"verify BUNDLE.tar.gz --env ENV [--commit SHA] [--max-age 24h] [--extract DIR]";
static const char verify_options[] =
	"Refuses (exit 1) a changed, missing or extra member, a member that would leave DIR,\n"
	"another environment, another commit (default CI_COMMIT_SHA) or a bundle older than\n"
	"--max-age (s, m, h or d; default no limit). 65: not a bundle; 66: missing.\n";

static int take(cli *c, int argc, char **argv, int *i, const char *flag, const char **slot)
{
	if (!cli_is_flag(argv[*i], flag))
		return 0;
	if (!(*slot = cli_flag_value(c, argc, argv, i, flag)))
		return -1;
	return 1;
}

/* Verification refusals are policy outcomes (exit 1); unreadable input keeps its code. */
static int verify_exit(int error)
{
	switch (error) {
	case PLATCI_EDATA:
	case PLATCI_EUNSAFE:
	case PLATCI_ECONFLICT:
		return CLI_EXIT_DENY;
	default:
		return cli_exit_for(error);
	}
}

int plan_cmd_bundle(cli *c, int argc, char **argv)
{
	platci_bundle_create_options o = PLATCI_BUNDLE_CREATE_OPTIONS_INIT;
	const char *plan = NULL, *json = NULL, *out = NULL;
	platci_diag *diag = NULL;
	int code = 0, error;

	o.commit_sha = getenv("CI_COMMIT_SHA");
	o.base_sha = getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	o.pipeline_id = getenv("CI_PIPELINE_ID");
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(c, argc, argv, &i);
		if (r == 0)
			r = take(c, argc, argv, &i, "--plan-json", &json);
		if (r == 0)
			r = take(c, argc, argv, &i, "--plan", &plan);
		if (r == 0)
			r = take(c, argc, argv, &i, "--out", &out);
		if (r == 0)
			r = take(c, argc, argv, &i, "--commit", &o.commit_sha);
		if (r == 0)
			r = take(c, argc, argv, &i, "--base-sha", &o.base_sha);
		if (r == 0)
			r = take(c, argc, argv, &i, "--pipeline-id", &o.pipeline_id);
		if (r == 0)
			r = take(c, argc, argv, &i, "--terraform-version", &o.terraform_version);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(c, bundle_usage, bundle_options);
			return 0;
		}
		return cli_usage_error(c, "bundle: unknown argument \"%s\"", argv[i]);
	}
	if (!c->env || !plan || !json || !out)
		return cli_usage_error(c, "bundle needs --env, --plan, --plan-json and --out");
	if (!o.commit_sha || !*o.commit_sha)
		return cli_usage_error(c, "bundle needs --commit (or CI_COMMIT_SHA)");
	o.env = c->env;
	o.now = c->now;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_bundle_create(out, plan, json, &o, diag);
	cli_print_diag(c, diag);
	if (error < 0) {
		cli_error(c, "cannot bundle: %s", platci_strerror(error));
		code = cli_exit_for(error);
	} else {
		cli_info(c, "platci-plan: bundled %s and %s for %s at %.12s into %s", plan, json,
			c->env, o.commit_sha, out);
	}
	platci_diag_free(diag);
	return code;
}

static int parse_age(long long *out, const char *s)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10), mul = 1;

	if (end == s || v <= 0)
		return -1;
	if (*end == 'd')
		mul = 86400;
	else if (*end == 'h')
		mul = 3600;
	else if (*end == 'm')
		mul = 60;
	else if (*end == 's' || *end == '\0')
		mul = 1;
	else
		return -1;
	if (*end && end[1])
		return -1;
	*out = v * mul;
	return 0;
}

int plan_cmd_verify(cli *c, int argc, char **argv)
{
	platci_bundle_verify_options o = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_bundle *b = NULL;
	platci_diag *diag = NULL;
	const char *path = NULL, *age = NULL;
	int code = 0, error;

	o.commit_sha = getenv("CI_COMMIT_SHA");
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(c, argc, argv, &i);
		if (r == 0)
			r = take(c, argc, argv, &i, "--commit", &o.commit_sha);
		if (r == 0)
			r = take(c, argc, argv, &i, "--max-age", &age);
		if (r == 0)
			r = take(c, argc, argv, &i, "--extract", &o.extract_dir);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(c, verify_usage, verify_options);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(c, "verify: unknown option \"%s\"", argv[i]);
		if (path)
			return cli_usage_error(c, "verify: one bundle at a time");
		path = argv[i];
	}
	if (!path || !c->env)
		return cli_usage_error(c, "verify needs the bundle and --env");
	if (age && parse_age(&o.max_age, age) < 0)
		return cli_usage_error(c, "--max-age: \"%s\" is not a duration like 24h, 90m or 3600",
			age);
	if (o.commit_sha && !*o.commit_sha)
		o.commit_sha = NULL;
	o.env = c->env;
	o.now = c->now;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_bundle_verify(&b, path, &o, diag);
	cli_print_diag(c, diag);
	if (error < 0) {
		cli_error(c, "bundle %s refused: %s", path, platci_strerror(error));
		code = verify_exit(error);
	} else {
		const platci_bundle_manifest *m = platci_bundle_get_manifest(b);
		cli_info(c, "platci-plan: %s is intact: %s, commit %.12s, Terraform %s%s%s", path,
			m->env, m->commit_sha, m->terraform_version ? m->terraform_version : "?",
			o.extract_dir ? ", extracted to " : "", o.extract_dir ? o.extract_dir : "");
	}
	platci_bundle_free(b);
	platci_diag_free(diag);
	return code;
}
