/* platci-promote: promote pinned versions from one environment to the next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hooks.h"

static const char usage[] =
	"--from ENV --to ENV [--only APP,...] [--dry-run | --commit [--push] [--open-mr]]\n"
	"       [--rollback-to REV] [--force --reason TEXT] [--drop-digest] [--flux-status FILE]";
static const char options[] =
	"Copies the version pins (image tags and digests, chart versions, OCI/Git refs,\n"
	"substitute variables, setter-marked values) of one environment into the next,\n"
	"editing the target's files in place. Writes promotion.diff, promotion.json and\n"
	"summary.md (plus the common reports) before anything else.\n\n"
	"Options:\n"
	"  --from ENV          source environment\n"
	"  --to ENV            target environment (its promote_from must be ENV)\n"
	"  --only A,B          only these apps: folder names, short names, ids or keys\n"
	"  --dry-run           plan and write reports only (the default)\n"
	"  --commit            edit the files and commit on promote/<from>-to-<to>/<sha>\n"
	"  --push              push that branch (HTTPS token from PLATCI_GITLAB_TOKEN)\n"
	"  --open-mr           open or reuse the merge request (needs --push)\n"
	"  --rollback-to REV   set the target's pins to their values at git revision REV\n"
	"  --force             promote against the configured order (needs --reason)\n"
	"  --reason TEXT       why --force is needed; recorded in every output\n"
	"  --drop-digest       remove target digests the source does not pin\n"
	"  --flux-status FILE  kubectl get ... -o json of Flux objects: the source must be Ready\n"
	"\nExit codes: 0 promoted or nothing to promote, 1 refused (order, freeze, readiness,\n"
	"digest rule), 64 usage, 65 bad YAML, 66 missing input, 69 unavailable, 70 internal.\n"
	"Commit author: GITLAB_USER_NAME / GITLAB_USER_EMAIL, else git config.\n";

typedef struct args {
	const char *from, *to, *only, *rollback, *reason, *flux_status;
	int dry_run, commit, push, open_mr, force, drop_digest;
} args;

static int parse(cli *c, args *a, int argc, char **argv)
{
	const struct {
		const char *flag;
		const char **dst;
	} values[] = {
		{ "--from", &a->from }, { "--to", &a->to }, { "--only", &a->only },
		{ "--rollback-to", &a->rollback }, { "--reason", &a->reason },
		{ "--flux-status", &a->flux_status },
	};

	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(c, argc, argv, &i), matched = 0;

		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(c, usage, options);
			return -1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(c);
			return -1;
		}
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]) && !matched; k++) {
			if (cli_is_flag(argv[i], values[k].flag)) {
				const char *v = cli_flag_value(c, argc, argv, &i, values[k].flag);
				if (!v)
					return CLI_EXIT_USAGE;
				if (!*v)
					return cli_usage_error(c, "%s needs a non-empty value", values[k].flag);
				*values[k].dst = v;
				matched = 1;
			}
		}
		if (matched)
			continue;
		if (strcmp(argv[i], "--dry-run") == 0)
			a->dry_run = 1;
		else if (strcmp(argv[i], "--commit") == 0)
			a->commit = 1;
		else if (strcmp(argv[i], "--push") == 0)
			a->push = 1;
		else if (strcmp(argv[i], "--open-mr") == 0)
			a->open_mr = 1;
		else if (strcmp(argv[i], "--force") == 0)
			a->force = 1;
		else if (strcmp(argv[i], "--drop-digest") == 0)
			a->drop_digest = 1;
		else
			return cli_usage_error(c, "unknown argument \"%s\"", argv[i]);
	}
	if (!a->to)
		return cli_usage_error(c, "--to ENV is required");
	if (!a->from && !a->rollback)
		return cli_usage_error(c, "--from ENV is required (or --rollback-to REV)");
	if (a->dry_run && a->commit)
		return cli_usage_error(c, "--dry-run and --commit exclude each other");
	if (a->push && !a->commit)
		return cli_usage_error(c, "--push needs --commit");
	if (a->open_mr && !a->push)
		return cli_usage_error(c, "--open-mr needs --push");
	if (a->force && !a->reason)
		return cli_usage_error(c, "--force needs --reason TEXT");
	if (a->reason && !a->force)
		return cli_usage_error(c, "--reason goes with --force");
	return 0;
}

/* Splits "a,b,,c" into a NULL-terminated list (empty items dropped). */
static char **split_only(const char *s)
{
	size_t n = 1;
	char **list, *copy, *p;

	for (const char *q = s; *q; q++)
		n += *q == ',';
	if (!(list = calloc(n + 2, sizeof(*list))) || !(copy = strdup(s))) {
		free(list);
		return NULL;
	}
	list[0] = copy; /* freed through list[-1] bookkeeping below */
	n = 1;
	for (p = copy; p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p)
			list[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	list[n] = NULL;
	return list;
}

static int write_outputs(cli *c, const platci_promotion *p, const char *to)
{
	platci_buf diffb = PLATCI_BUF_INIT, json = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_findings *findings = NULL;
	platci_diag *diag = NULL;
	int code = 0;

	if (platci_diag_new(&diag) < 0 || platci_findings_new(&findings) < 0 ||
	    platci_promotion_render_diff(&diffb, p) < 0 ||
	    platci_promotion_render_json(&json, p) < 0 ||
	    platci_promotion_render_summary(&md, p) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < platci_promotion_refusal_count(p); i++) {
		platci_finding f;
		memset(&f, 0, sizeof(f));
		f.rule_id = "promote.refused";
		f.severity = PLATCI_SEVERITY_MAJOR;
		f.enforcement = PLATCI_ENFORCE_DENY;
		f.message = platci_promotion_refusal(p, i);
		f.env = to;
		if (platci_findings_add(findings, &f) < 0) {
			code = CLI_EXIT_INTERNAL;
			goto done;
		}
	}
	if (platci_fs_mkdirs(c->reports, diag) < 0 ||
	    platci_report_write_file(c->reports, "promotion.diff", diffb.ptr, diffb.size, diag) < 0 ||
	    platci_report_write_file(c->reports, "promotion.json", json.ptr, json.size, diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "promote";
	ropts.title = "platci promote";
	ropts.env = to;
	ropts.preamble_md = md.ptr;
	code = cli_write_reports(c, findings, NULL, &ropts);
done:
	platci_buf_dispose(&diffb);
	platci_buf_dispose(&json);
	platci_buf_dispose(&md);
	platci_findings_free(findings);
	platci_diag_free(diag);
	return code;
}

static void print_changes(const cli *c, const platci_promotion *p)
{
	if (c->quiet)
		return;
	for (size_t i = 0; i < platci_promotion_count(p); i++) {
		const platci_promote_change *ch = platci_promotion_get(p, i);
		if (ch->action == PLATCI_CHANGE_DROP)
			fprintf(stderr, "  drop %s: %s (%s:%zu)\n", ch->key, ch->old_value, ch->file,
				ch->line);
		else
			fprintf(stderr, "  %s %s: %s -> %s (%s:%zu)\n",
				ch->action == PLATCI_CHANGE_ADD ? "add " : "set ", ch->key,
				ch->old_value ? ch->old_value : "(none)", ch->new_value, ch->file, ch->line);
	}
	for (size_t i = 0; i < platci_promotion_note_count(p); i++)
		fprintf(stderr, "  not promoted %s: %s\n", platci_promotion_note(p, i)->key,
			platci_promotion_note(p, i)->message);
}

/* Where to push: the GitLab project over HTTPS in CI, else the remote "origin". */
static char *push_url(void)
{
	const char *server = getenv("CI_SERVER_URL"), *project = getenv("CI_PROJECT_PATH");
	size_t n;
	char *url;

	if (!server || !project || strncmp(server, "https://", 8) != 0)
		return NULL;
	n = strlen(server) + strlen(project) + 8;
	if ((url = malloc(n)) != NULL)
		snprintf(url, n, "%s/%s.git", server, project);
	return url;
}

static int git_steps(cli *c, const args *a, const platci_promotion *p,
	const platci_config *cfg)
{
	platci_promote_git_options gopts = PLATCI_PROMOTE_GIT_OPTIONS_INIT;
	platci_buf branch = PLATCI_BUF_INIT, commit = PLATCI_BUF_INIT, title = PLATCI_BUF_INIT;
	platci_buf md = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	char *url = NULL;
	int created = 0, error, code = 0;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	gopts.author_name = getenv("GITLAB_USER_NAME");
	gopts.author_email = getenv("GITLAB_USER_EMAIL");
	gopts.when = c->now;
	error = platci_promote_commit(&branch, &commit, &created, p, &gopts, diag);
	cli_print_diag(c, diag);
	if (error < 0) {
		cli_error(c, "cannot commit the promotion: %s", platci_strerror(error));
		code = error == PLATCI_ECONFLICT || error == PLATCI_EEXISTS ? CLI_EXIT_DENY :
			cli_exit_for(error);
		goto done;
	}
	cli_info(c, "%s branch %s at %s", created ? "committed on" : "already committed on",
		branch.ptr, commit.ptr);
	if (!a->push)
		goto done;
	gopts.token = getenv("PLATCI_GITLAB_TOKEN");
	gopts.url = url = push_url();
	if (!gopts.token)
		cli_warn(c, "PLATCI_GITLAB_TOKEN is not set: pushing with the remote's own credentials");
	{
		platci_diag *pd = NULL;
		if (platci_diag_new(&pd) < 0) {
			code = CLI_EXIT_INTERNAL;
			goto done;
		}
		error = platci_promote_push(platci_config_root(cfg), branch.ptr, &gopts, pd);
		cli_print_diag(c, pd);
		platci_diag_free(pd);
	}
	if (error < 0) {
		cli_error(c, "cannot push %s: %s", branch.ptr, platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	cli_info(c, "pushed %s", branch.ptr);
	if (!a->open_mr)
		goto done;
	/* The MR description is the summary.md written above, marker included. */
	platci_buf_printf(&title, "%s/summary.md", c->reports);
	if (title.error || platci_fs_read(&md, title.ptr, PLATCI_NOTE_LIMIT, NULL) < 0) {
		cli_error(c, "cannot read %s for the merge request", title.ptr);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	platci_buf_clear(&title);
	if (platci_promotion_render_title(&title, p) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	code = promote_hook_open_mr(c, branch.ptr, getenv("CI_DEFAULT_BRANCH") ?
		getenv("CI_DEFAULT_BRANCH") : "main", title.ptr, md.ptr);
done:
	free(url);
	platci_buf_dispose(&branch);
	platci_buf_dispose(&commit);
	platci_buf_dispose(&title);
	platci_buf_dispose(&md);
	platci_diag_free(diag);
	return code;
}

int main(int argc, char **argv)
{
	platci_promote_options popts = PLATCI_PROMOTE_OPTIONS_INIT;
	platci_config *cfg = NULL;
	platci_promotion *p = NULL;
	platci_diag *diag = NULL;
	char **only = NULL;
	void *flux_payload = NULL;
	args a;
	cli c;
	int code, error;

	memset(&a, 0, sizeof(a));
	cli_init(&c, argv[0]);
	if ((code = parse(&c, &a, argc, argv)) != 0) {
		code = code < 0 ? CLI_EXIT_OK : code;
		goto done;
	}
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (a.only && !(only = split_only(a.only))) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (a.flux_status && (code = promote_hook_flux_prepare(&c, a.flux_status,
				      &popts.source_ready, &flux_payload)) != 0)
		goto done;
	popts.ready_payload = flux_payload;
	popts.from = a.from;
	popts.to = a.to;
	popts.only = only ? (const char *const *)only + 1 : NULL;
	popts.force = a.force;
	popts.reason = a.reason;
	popts.drop_digest = a.drop_digest;
	popts.rollback_to = a.rollback;
	popts.now = c.now;
	popts.frozen = promote_hook_frozen;
	popts.frozen_payload = cfg;
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	cli_section_start(&c, "platci_promote", "platci promote");
	error = platci_promote_plan(&p, cfg, &popts, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "cannot plan the promotion: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	print_changes(&c, p);
	cli_section_end(&c, "platci_promote");
	if ((code = write_outputs(&c, p, a.to)) != 0)
		goto done;
	if (platci_promotion_refusal_count(p)) {
		for (size_t i = 0; i < platci_promotion_refusal_count(p); i++)
			cli_error(&c, "refused: %s", platci_promotion_refusal(p, i));
		code = CLI_EXIT_DENY;
		goto done;
	}
	if (!platci_promotion_count(p)) {
		cli_info(&c, "nothing to promote %s -> %s; reports in %s/", a.rollback ? a.rollback :
			a.from, a.to, c.reports);
		goto done;
	}
	cli_info(&c, "%zu pin%s to change in %zu file%s; reports in %s/", platci_promotion_count(p),
		platci_promotion_count(p) == 1 ? "" : "s", platci_promotion_file_count(p),
		platci_promotion_file_count(p) == 1 ? "" : "s", c.reports);
	if (a.commit)
		code = git_steps(&c, &a, p, cfg);
done:
	if (only) {
		free(only[0]);
		free(only);
	}
	promote_hook_flux_dispose(flux_payload);
	platci_promotion_free(p);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
