/* platci-validate: merge-request validation of what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_gitlab.h"
#include "tffmt.h"

static const char *base, *head, *child, *threads;
static int all, no_fmt;

static const cli_opt opts[] = {
	{ CLI_OPT_SWITCH, "all", 0, &all, 1, NULL,
		"validate and report every file (default without a base)", 0 },
	{ CLI_OPT_VALUE, "base", 0, &base, 0, "REV",
		"compare with REV (default: CI_MERGE_REQUEST_DIFF_BASE_SHA,\n"
		"else CI_COMMIT_BEFORE_SHA; all zeros means --all)", 0 },
	{ CLI_OPT_VALUE, "head", 0, &head, 0, "REV",
		"the change's head (default HEAD; must be the checked-out tree)", 0 },
	{ CLI_OPT_VALUE, "child-pipeline", 0, &child, 0, "FILE",
		"also write a GitLab child pipeline planning the affected envs", 0 },
	{ CLI_OPT_SWITCH, "no-terraform-fmt", 0, &no_fmt, 1, NULL, "skip `terraform fmt -check`", 0 },
	{ CLI_OPT_VALUE, "threads", 0, &threads, 0, "N", "worker threads (default: one per core)", 0 },
};

static const cli_spec spec = {
	"[--all | --base REV [--head REV]] [--child-pipeline FILE] [options]",
	"Validates what a merge request changes: YAML, Kubernetes/Flux/Kustomize structure,\n"
	"the manifest policy, Terraform layout and .gitlab-ci.yml; maps the change to the\n"
	"environments it touches (affected.json).\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL
};

typedef struct fmt_filter {
	const platci_changes *changes;
} fmt_filter;

static int fmt_want(const char *file, void *payload)
{
	const fmt_filter *ff = payload;
	if (!ff->changes)
		return 1;
	for (size_t i = 0; i < platci_changes_count(ff->changes); i++)
		if (strcmp(platci_changes_get(ff->changes, i)->path, file) == 0)
			return 1;
	return 0;
}

static int write_file(cli *c, const char *path, const platci_buf *b)
{
	platci_diag *diag = NULL;
	int error;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_fs_write_atomic(path, b->ptr, b->size, diag);
	if (error < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write %s: %s", path, platci_strerror(error));
	}
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_INTERNAL : 0;
}

int main(int argc, char **argv)
{
	platci_config *cfg = NULL;
	platci_findings *findings = NULL;
	platci_diag *diag = NULL;
	platci_git *git = NULL;
	platci_changes *changes = NULL;
	platci_affected *affected = NULL;
	platci_validate_options vopts = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_affected_meta meta = { "all", NULL, NULL, NULL, NULL };
	platci_validate_stats stats = { 0, 0, 0 };
	platci_findings_counts counts;
	platci_buf out = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	char merge_base[PLATCI_GIT_OID_HEX_SIZE], head_sha[PLATCI_GIT_OID_HEX_SIZE];
	int code = 0, error;
	cli c;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE)
		goto done;
	if (threads) {
		char *end = NULL;
		long n = strtol(threads, &end, 10);
		if (!*threads || *end || n < 1 || n > 64) {
			code = cli_usage_error(&c, "--threads: \"%s\" is not a number from 1 to 64", threads);
			goto done;
		}
		vopts.threads = (unsigned int)n;
	}
	if (all && base) {
		code = cli_usage_error(&c, "--all and --base exclude each other");
		goto done;
	}
	if (!all && !base) {
		base = getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
		if (!base || !*base)
			base = getenv("CI_COMMIT_BEFORE_SHA");
		if (base && (!*base || platci_git_is_null_rev(base)))
			base = NULL; /* a new branch: validate everything */
	}
	if (!head)
		head = "HEAD";
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (platci_findings_new(&findings) < 0 || platci_diag_new(&diag) < 0 ||
	    platci_affected_new(&affected, cfg) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (base && !all) {
		char head_now[PLATCI_GIT_OID_HEX_SIZE];
		if ((error = platci_git_open(&git, platci_config_root(cfg), diag)) < 0) {
			cli_print_diag(&c, diag);
			cli_error(&c, "--base needs a git repository");
			code = CLI_EXIT_NOINPUT;
			goto done;
		}
		if ((error = platci_git_merge_base(merge_base, git, base, head, diag)) < 0 ||
		    (error = platci_git_resolve(head_sha, git, head, diag)) < 0 ||
		    (error = platci_git_changes(&changes, git, merge_base, head_sha, diag)) < 0) {
			cli_print_diag(&c, diag);
			cli_error(&c, "cannot compare %s with %s", base, head);
			code = error == PLATCI_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_DATA;
			goto done;
		}
		if (platci_git_resolve(head_now, git, "HEAD", NULL) == 0 && strcmp(head_now, head_sha) != 0)
			cli_warn(&c, "--head %s is not the checked-out commit; files are read from the "
				"working tree", head);
		meta.mode = "diff";
		meta.base = base;
		meta.head = head;
		meta.merge_base = merge_base;
		meta.head_sha = head_sha;
		vopts.changes = changes;
	}
	vopts.all = all || !changes;
	vopts.affected = affected;
	vopts.now = c.now;
	cli_section_start(&c, "platci_validate", "platci validate");
	error = platci_validate_run(cfg, &vopts, findings, &stats, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "validation could not run: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (!no_fmt) {
		fmt_filter ff = { changes };
		if (tffmt_findings(cfg, findings, fmt_want, &ff) < 0)
			cli_warn(&c, "terraform fmt -check could not run");
		platci_findings_sort(findings);
	}
	ropts.stage = "validate";
	ropts.title = "platci validate";
	ropts.env = c.env;
	if ((code = cli_write_reports(&c, findings, NULL, &ropts)) != 0)
		goto done;
	if (platci_affected_render_json(&out, affected, &meta, changes) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	platci_buf_printf(&path, "%s/affected.json", c.reports);
	if (path.error || (code = write_file(&c, path.ptr, &out)) != 0)
		goto done;
	if (child) {
		platci_buf_clear(&out);
		if (platci_affected_render_child_pipeline(&out, affected) < 0) {
			code = CLI_EXIT_INTERNAL;
			goto done;
		}
		if ((code = write_file(&c, child, &out)) != 0)
			goto done;
	}

	for (size_t i = 0; !c.quiet && i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->waiver)
			continue;
		fprintf(stderr, "%s:%zu:%zu: %s: %s [%s]\n", f->file ? f->file : "-", f->line,
			f->column, f->enforcement == PLATCI_ENFORCE_DENY ? "error" : "warning",
			f->message, f->rule_id);
	}
	cli_section_end(&c, "platci_validate");
	platci_findings_count_by(findings, &counts);
	cli_info(&c, "platci-validate: %zu files, %zu documents: %zu deny, %zu warn, %zu waived; "
		"%zu of %zu environments affected; reports in %s/", stats.files, stats.documents,
		counts.deny, counts.warn, counts.waived, platci_affected_count(affected),
		platci_config_env_count(cfg), c.reports);
	code = counts.deny ? CLI_EXIT_DENY : CLI_EXIT_OK;
	code = cli_gitlab_publish_summary(&c, c.reports, code);
done:
	platci_buf_dispose(&out);
	platci_buf_dispose(&path);
	platci_changes_free(changes);
	platci_git_free(git);
	platci_affected_free(affected);
	platci_findings_free(findings);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
