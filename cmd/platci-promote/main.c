/* platci-promote: promote pinned versions from one environment to the next. */
#include "cli.h"
#include "promote_cmd.h"

static const char *from, *to, *rollback, *reason, *flux_status;
static int dry_run, commit, push, open_mr, force, drop_digest;
static cli_list only;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "from", 0, &from, 0, "ENV", "source environment", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "to", 0, &to, 0, "ENV",
		"target environment (its promote_from must be ENV)", CLI_NONEMPTY | CLI_REQUIRED },
	{ CLI_OPT_LIST, "only", 0, &only, 0, "A,B", "only these apps: folder names, short names, ids or keys",
		CLI_NONEMPTY | CLI_SPLIT_COMMAS },
	{ CLI_OPT_SWITCH, "dry-run", 0, &dry_run, 1, NULL, "plan and write reports only (the default)", 0 },
	{ CLI_OPT_SWITCH, "commit", 0, &commit, 1, NULL,
		"edit the files and commit on promote/<from>-to-<to>/<sha>", 0 },
	{ CLI_OPT_SWITCH, "push", 0, &push, 1, NULL,
		"push that branch (HTTPS token from PLATCI_GITLAB_TOKEN)", 0 },
	{ CLI_OPT_SWITCH, "open-mr", 0, &open_mr, 1, NULL,
		"open or reuse the merge request (needs --push)", 0 },
	{ CLI_OPT_VALUE, "rollback-to", 0, &rollback, 0, "REV",
		"set the target's pins to their values at git revision REV", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "force", 0, &force, 1, NULL,
		"promote against the configured order or what the target's\n"
		"policy denies (needs --reason; recorded in every output)",
		0 },
	{ CLI_OPT_VALUE, "reason", 0, &reason, 0, "TEXT", "why --force is needed", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "drop-digest", 0, &drop_digest, 1, NULL,
		"remove target digests the source does not pin", 0 },
	{ CLI_OPT_VALUE, "flux-status", 0, &flux_status, 0, "FILE",
		"kubectl get ... -o json of Flux objects: the source must be Ready", CLI_NONEMPTY },
};

static const cli_spec spec = {
	"--from ENV --to ENV [--only APP,...] [--dry-run | --commit [--push] [--open-mr]]\n"
	"       [--rollback-to REV] [--force --reason TEXT] [--drop-digest] [--flux-status FILE]",
	"Copies the version pins (image tags and digests, chart versions, OCI/Git refs,\n"
	"substitute variables, setter-marked values) of one environment into the next,\n"
	"editing the target's files in place. Refuses what the target environment's policy\n"
	"would deny. Writes promotion.diff, promotion.json and summary.md (plus the common\n"
	"reports) before anything else.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0,
	"Exit codes: 0 promoted or nothing to promote, 1 refused (order, freeze, readiness,\n"
	"the target's policy, digest rule), 64 usage, 65 bad YAML, 66 missing input,\n"
	"69 unavailable, 70 internal.\n"
	"Commit author: GITLAB_USER_NAME / GITLAB_USER_EMAIL, else git config.\n"
};

static int check_flags(cli *c)
{
	if (!from && !rollback)
		return cli_usage_error(c, "--from ENV is required (or --rollback-to REV)");
	if (dry_run && commit)
		return cli_usage_error(c, "--dry-run and --commit exclude each other");
	if (push && !commit)
		return cli_usage_error(c, "--push needs --commit");
	if (open_mr && !push)
		return cli_usage_error(c, "--open-mr needs --push");
	if (force && !reason)
		return cli_usage_error(c, "--force needs --reason TEXT");
	if (reason && !force)
		return cli_usage_error(c, "--reason goes with --force");
	return CLI_CONTINUE;
}

int main(int argc, char **argv)
{
	platci_promote_options popts = PLATCI_PROMOTE_OPTIONS_INIT;
	promote_hooks hooks = PROMOTE_HOOKS_INIT;
	platci_config *cfg = NULL;
	platci_promotion *p = NULL;
	platci_diag *diag = NULL;
	cli c;
	int code, error;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE ||
		(code = check_flags(&c)) != CLI_CONTINUE || (code = cli_load_config(&c, &cfg)) != 0 ||
		(code = promote_hooks_prepare(&c, cfg, flux_status, &hooks, &popts)) != 0)
		goto done;
	popts.from = from;
	popts.to = to;
	popts.only = only.count ? (const char *const *)only.items : NULL;
	popts.force = force;
	popts.reason = reason;
	popts.drop_digest = drop_digest;
	popts.rollback_to = rollback;
	popts.now = c.now;
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	cli_section_start(&c, "platci_promote", "platci promote");
	if ((error = platci_promotion_plan(&p, cfg, &popts, diag)) < 0) {
		code = cli_fail(&c, diag, error, "cannot plan the promotion");
		goto done;
	}
	cli_print_diag(&c, diag);
	promote_print_changes(&c, p);
	cli_section_end(&c, "platci_promote");
	if ((code = promote_write_outputs(&c, p, to)) != 0)
		goto done;
	if (platci_promotion_refusal_count(p)) {
		for (size_t i = 0; i < platci_promotion_refusal_count(p); i++)
			cli_error(&c, "refused: %s", platci_promotion_refusal_at(p, i));
		code = CLI_EXIT_DENY;
		goto done;
	}
	for (size_t i = 0; i < platci_promotion_override_count(p); i++)
		cli_warn(&c, "let through by --force: %s", platci_promotion_override_at(p, i));
	if (!platci_promotion_count(p)) {
		platci_buf why = PLATCI_BUF_INIT;
		platci_promotion_render_nothing(&why, p);
		cli_info(&c, "nothing to promote %s -> %s: %s Reports in %s/",
			rollback ? rollback : from, to, why.ptr, c.reports);
		platci_buf_dispose(&why);
		goto done;
	}
	cli_info(&c, "%zu pin%s to change in %zu file%s; reports in %s/", platci_promotion_count(p),
		platci_promotion_count(p) == 1 ? "" : "s", platci_promotion_file_count(p),
		platci_promotion_file_count(p) == 1 ? "" : "s", c.reports);
	if (commit)
		code = promote_git_steps(&c, p, cfg, push, open_mr);
done:
	promote_hooks_dispose(&hooks);
	platci_promotion_free(p);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
