/* platci-plan bundle / verify: the plan bundle between the plan and apply jobs. */
#include <stdlib.h>

#include "plan_cmd.h"

static platci_bundle_create_options co = PLATCI_BUNDLE_CREATE_OPTIONS_INIT;
static platci_bundle_verify_options vo = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
static const char *plan, *json, *out, *bundle, *age;

static const cli_opt bundle_opts[] = {
	{ CLI_OPT_VALUE, "plan", 0, &plan, 0, "PLANFILE", "the planfile (terraform plan -out)",
		CLI_REQUIRED | CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "plan-json", 0, &json, 0, "PLAN.json", "its terraform show -json",
		CLI_REQUIRED | CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "out", 0, &out, 0, "BUNDLE.tar.gz", "the bundle to write", CLI_REQUIRED | CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "commit", 0, &co.commit_sha, 0, "SHA",
		"CI_COMMIT_SHA; outside CI, HEAD of the git repository\n"
		"holding the planfile",
		CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "base-sha", 0, &co.base_sha, 0, "SHA", "CI_MERGE_REQUEST_DIFF_BASE_SHA", 0 },
	{ CLI_OPT_VALUE, "pipeline-id", 0, &co.pipeline_id, 0, "ID", "CI_PIPELINE_ID", 0 },
	{ CLI_OPT_VALUE, "terraform-version", 0, &co.terraform_version, 0, "V", "from the plan JSON", 0 },
};

static const cli_spec bundle_spec = { "bundle --env ENV --plan PLANFILE --plan-json PLAN.json --out BUNDLE.tar.gz [options]",
	"Packs the planfile, its JSON and a manifest (SHA-256 of each member, env, commit,\n"
	"MR base, pipeline, time, Terraform version) into a gzip tar. Options default to\n"
	"GitLab CI's variables.\n",
	bundle_opts, sizeof(bundle_opts) / sizeof(bundle_opts[0]), 1, NULL };

static const cli_opt verify_opts[] = {
	{ CLI_OPT_VALUE, "commit", 0, &vo.commit_sha, 0, "SHA",
		"the commit this pipeline runs (default CI_COMMIT_SHA)", 0 },
	{ CLI_OPT_VALUE, "max-age", 0, &age, 0, "AGE", "s, m, h or d; default no limit", 0 },
	{ CLI_OPT_VALUE, "extract", 0, &vo.extract_dir, 0, "DIR",
		"extract the members there, only when every check passed", CLI_NONEMPTY },
	{ CLI_OPT_ARG, "BUNDLE.tar.gz", 0, &bundle, 0, NULL, NULL, CLI_REQUIRED },
};

static const cli_spec verify_spec = { "verify BUNDLE.tar.gz --env ENV [--commit SHA] [--max-age 24h] [--extract DIR]",
	"Refuses (exit 1) a changed, missing or extra member, a member that would leave DIR,\n"
	"another environment, another commit or a bundle older than --max-age; a refused\n"
	"bundle leaves nothing in DIR (nor DIR itself). 65: not a bundle; 66: missing.\n",
	verify_opts, sizeof(verify_opts) / sizeof(verify_opts[0]), 1, NULL };

static const char *env_or_null(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* Outside CI the commit is what the planfile's checkout has at HEAD; say so. */
static int default_commit(cli *c, char sha[PLATCI_GIT_OID_HEX_SIZE])
{
	platci_buf dir = PLATCI_BUF_INIT;
	platci_git *git = NULL;
	int error;

	if ((error = platci_path_dirname(&dir, plan)) == 0 &&
		(error = platci_git_open(&git, dir.ptr, NULL)) == 0)
		error = platci_git_resolve(sha, git, "HEAD", NULL);
	platci_git_free(git);
	platci_buf_dispose(&dir);
	if (error < 0)
		return cli_usage_error(c,
			"bundle needs --commit SHA: CI_COMMIT_SHA is not set and %s "
			"is in no git repository with a HEAD",
			plan);
	cli_info(c, "platci-plan: --commit defaults to HEAD of the repository holding %s: %.12s",
		plan, sha);
	co.commit_sha = sha;
	return 0;
}

int plan_cmd_bundle(cli *c, int argc, char **argv)
{
	char head[PLATCI_GIT_OID_HEX_SIZE];
	platci_diag *diag = NULL;
	int code, error;

	co.commit_sha = env_or_null("CI_COMMIT_SHA");
	co.base_sha = env_or_null("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	co.pipeline_id = env_or_null("CI_PIPELINE_ID");
	if ((code = cli_parse(c, &bundle_spec, argc, argv)) != CLI_CONTINUE ||
		(!co.commit_sha && (code = default_commit(c, head)) != 0))
		return code;
	code = 0;
	co.env = c->env;
	co.now = c->now;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_bundle_create(out, plan, json, &co, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot bundle");
	} else {
		cli_print_diag(c, diag);
		cli_info(c, "platci-plan: bundled %s and %s for %s at %.12s into %s", plan, json,
			c->env, co.commit_sha, out);
	}
	platci_diag_free(diag);
	return code;
}

static int parse_age(long long *out_age, const char *s)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10), mul = 1;

	if (end == s || v <= 0 || (*end && end[1]))
		return -1;
	switch (*end) {
	case 'd':
		mul = 86400;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'm':
		mul = 60;
		break;
	case 's':
	case '\0':
		mul = 1;
		break;
	default:
		return -1;
	}
	*out_age = v * mul;
	return 0;
}

int plan_cmd_verify(cli *c, int argc, char **argv)
{
	platci_bundle *b = NULL;
	platci_diag *diag = NULL;
	int code, error;

	vo.commit_sha = env_or_null("CI_COMMIT_SHA");
	if ((code = cli_parse(c, &verify_spec, argc, argv)) != CLI_CONTINUE)
		return code;
	code = 0;
	if (age && parse_age(&vo.max_age, age) < 0)
		return cli_usage_error(c, "--max-age: \"%s\" is not a duration like 24h, 90m or 3600", age);
	if (vo.commit_sha && !*vo.commit_sha)
		vo.commit_sha = NULL;
	vo.env = c->env;
	vo.now = c->now;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_bundle_verify(&b, bundle, &vo, diag)) < 0) {
		code = cli_fail(c, diag, error, "bundle %s refused", bundle);
		/* Verification refusals are policy outcomes; unreadable input keeps its code. */
		if (platci_bundle_is_refusal(error))
			code = CLI_EXIT_DENY;
	} else {
		const platci_bundle_manifest *m = platci_bundle_get_manifest(b);
		cli_print_diag(c, diag);
		cli_info(c, "platci-plan: %s is intact: %s, commit %.12s, Terraform %s%s%s", bundle,
			m->env, m->commit_sha, m->terraform_version ? m->terraform_version : "?",
			vo.extract_dir ? ", extracted to " : "", vo.extract_dir ? vo.extract_dir : "");
	}
	platci_bundle_free(b);
	platci_diag_free(diag);
	return code;
}
