/* platci-drift: Terraform and Flux drift for one environment, and what waits to be promoted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_gitlab.h"
#include "issue.h"

static const char usage[] =
	"--env ENV [--terraform PLAN.json] [--flux STATUS.json]... [--expect-revision [BRANCH=]SHA]... "
	"[options]";
static const char options[] =
	"Reports drift for one environment: Terraform resources changed outside Terraform\n"
	"(from `terraform show -json` of a refresh-only plan), Flux objects that are not\n"
	"Ready, suspended or behind their source (from `kubectl get ... -A -o json`), and\n"
	"what waits to be promoted. Exit 2 when drift is found, 0 when none.\n\n"
	"Options:\n"
	"  --terraform FILE         a `terraform show -json` plan (\"-\" for stdin)\n"
	"  --flux FILE              a kubectl List of Flux objects; repeat for several files\n"
	"  --expect-revision [BRANCH=]SHA\n"
	"                           the commit GitRepositories (tracking BRANCH) should have\n"
	"                           fetched; default in CI: CI_COMMIT_BRANCH=CI_COMMIT_SHA\n"
	"                           for GitRepositories whose url is CI_PROJECT_PATH\n"
	"  --pending FILE           pending promotions as JSON: [{identity, file, line,\n"
	"                           current, source}] (the promotion module's diff)\n"
	"  --policy FILE            ignore rules (default: policies.drift in platci.yaml)\n";

typedef struct args {
	const char *terraform;
	const char **flux;
	size_t nflux;
	platci_drift_expect *expect;
	size_t nexpect;
	const char *pending;
	const char *policy;
} args;

static int push_flux(args *a, const char *file)
{
	const char **n = realloc(a->flux, (a->nflux + 1) * sizeof(*n));
	if (!n)
		return -1;
	a->flux = n;
	a->flux[a->nflux++] = file;
	return 0;
}

/* "[BRANCH=]SHA": the value stays in argv, so the pieces point into a copy we own. */
static int push_expect(cli *c, args *a, const char *v, char **owned)
{
	platci_drift_expect *n;
	char *copy, *eq;
	size_t len;

	if (!(copy = strdup(v)))
		return -1;
	*owned = copy;
	eq = strchr(copy, '=');
	if (eq)
		*eq = '\0';
	len = strlen(eq ? eq + 1 : copy);
	if (len < 7 || strspn(eq ? eq + 1 : copy, "0123456789abcdefABCDEF") != len ||
	    (eq && eq == copy)) {
		cli_usage_error(c, "--expect-revision: \"%s\" is not [BRANCH=]SHA (7 to 64 hex)", v);
		return -2;
	}
	if (!(n = realloc(a->expect, (a->nexpect + 1) * sizeof(*n))))
		return -1;
	a->expect = n;
	a->expect[a->nexpect].branch = eq ? copy : NULL;
	a->expect[a->nexpect].sha = eq ? eq + 1 : copy;
	a->expect[a->nexpect].repo = NULL;
	a->nexpect++;
	return 0;
}

static void free_pending(platci_drift_pending *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		free((char *)p[i].identity);
		free((char *)p[i].file);
		free((char *)p[i].current);
		free((char *)p[i].source_value);
	}
	free(p);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/*
 * What waits to be promoted into this environment: the pins whose value
 * differs from the environment it promotes from (the promotion module's
 * version sets). Pins only in one environment are not pending.
 */
static int pending_from_versions(const platci_config *cfg, const platci_env *env,
	platci_drift_pending **out, size_t *n_out, platci_diag *diag)
{
	platci_versions *here = NULL, *from = NULL;
	platci_vdiff *d = NULL;
	platci_drift_pending *p = NULL;
	size_t n = 0;
	int error;

	*out = NULL;
	*n_out = 0;
	if ((error = platci_versions_load(&from, cfg, env->promote_from, NULL, diag)) < 0 ||
	    (error = platci_versions_load(&here, cfg, env->name, NULL, diag)) < 0 ||
	    (error = platci_versions_diff(&d, from, here)) < 0)
		goto done;
	p = calloc(platci_vdiff_count(d) + 1, sizeof(*p));
	if (!p) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < platci_vdiff_count(d); i++) {
		const platci_vdiff_entry *e = platci_vdiff_get(d, i);
		if (e->kind != PLATCI_VDIFF_CHANGED)
			continue;
		p[n].identity = dup_or_null(e->key);
		p[n].file = dup_or_null(e->target->file);
		p[n].line = e->target->line;
		p[n].current = dup_or_null(e->target->value);
		p[n].source_value = dup_or_null(e->source->value);
		n++;
	}
	*out = p;
	*n_out = n;
	p = NULL;
done:
	free_pending(p, n);
	platci_vdiff_free(d);
	platci_versions_free(here);
	platci_versions_free(from);
	return error;
}

/* The pending list file: a JSON array the promotion module (or a test) writes. */
static int load_pending(const char *path, platci_drift_pending **out, size_t *n_out,
	platci_diag *diag)
{
	json_t *root = NULL, *item;
	platci_drift_pending *p = NULL;
	size_t i;
	int error;

	*out = NULL;
	*n_out = 0;
	if ((error = platci_json_load_file(&root, path, 0, diag)) < 0)
		return error;
	if (!json_is_array(root)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, 1, 1, 0, NULL, NULL };
		platci_diag_add(diag, &e, "pending promotions must be a JSON array of objects");
		error = PLATCI_EDATA;
		goto done;
	}
	if (json_array_size(root) && !(p = calloc(json_array_size(root), sizeof(*p)))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	json_array_foreach(root, i, item) {
		json_t *line = json_object_get(item, "line");
		if (!platci_json_str(item, "identity")) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, 0, 0, 0, NULL,
				NULL };
			platci_diag_add(diag, &e, "pending[%zu] has no \"identity\" string", i);
			error = PLATCI_EDATA;
			goto done;
		}
		p[i].identity = dup_or_null(platci_json_str(item, "identity"));
		p[i].file = dup_or_null(platci_json_str(item, "file"));
		p[i].current = dup_or_null(platci_json_str(item, "current"));
		p[i].source_value = dup_or_null(platci_json_str(item, "source"));
		p[i].line = json_is_integer(line) && json_integer_value(line) > 0 ?
				    (size_t)json_integer_value(line) : 0;
		*n_out = i + 1;
	}
	*out = p;
	p = NULL;
done:
	if (p)
		free_pending(p, json_array_size(root));
	json_decref(root);
	return error;
}

static void print_items(const cli *c, const platci_drift *d)
{
	if (c->quiet)
		return;
	for (size_t i = 0; i < platci_drift_item_count(d); i++) {
		const platci_drift_item *it = platci_drift_item_at(d, i);
		if (!it->is_drift)
			continue;
		fprintf(stderr, "%s:%zu: drift: %s [%s]\n", it->file ? it->file : "-", it->line,
			it->message ? it->message : it->identity, it->category);
	}
}

/*
 * One open issue per environment, in line with the drift set. GitLab is
 * only a place to post: problems are warnings and the exit code stays.
 */
static void sync_issue(cli *c, const drift_issue_state *issue)
{
	platci_gitlab *gl = NULL;
	platci_gitlab_issue_result res;
	int error;

	if (cli_gitlab_open(c, &gl, CLI_GITLAB_PRIVATE, "keep the drift issue", 1) != 0)
		return;
	error = platci_gitlab_issue_sync(gl, issue->title, issue->label, issue->body,
		issue->close_comment, &res);
	if (error < 0)
		cli_warn(c, "could not update the drift issue \"%s\": %s", issue->title,
			platci_gitlab_last_error(gl) ? platci_gitlab_last_error(gl) : platci_strerror(error));
	else if (res.action != PLATCI_GITLAB_NOOP)
		cli_info(c, "drift issue \"%s\": %s (#%lld)", issue->title,
			res.action == PLATCI_GITLAB_CREATED ? "opened" :
			res.action == PLATCI_GITLAB_CLOSED ? "closed" :
			res.action == PLATCI_GITLAB_REOPENED ? "reopened" :
			res.action == PLATCI_GITLAB_UPDATED ? "updated" : "unchanged", res.iid);
	platci_gitlab_free(gl);
}

static int write_outputs(cli *c, const platci_drift *d, const platci_findings *findings)
{
	platci_drift_render_options dopts = PLATCI_DRIFT_RENDER_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf json = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_junit *junit = NULL;
	platci_diag *diag = NULL;
	drift_issue_state issue;
	char when[32], title[64];
	struct tm tm;
	int code = 0;

	memset(&issue, 0, sizeof(issue));
	if (gmtime_r(&c->now, &tm) == NULL || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
		&tm) == 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	dopts.generated_at = when;
	dopts.pretty = c->pretty;
	if (platci_diag_new(&diag) < 0 || platci_junit_new(&junit) < 0 ||
	    platci_drift_junit(junit, d) < 0 || platci_drift_render_json(&json, d, &dopts) < 0 ||
	    platci_drift_render_markdown(&md, d, &dopts) < 0 ||
	    drift_issue_state_build(&issue, d, getenv("CI_PIPELINE_URL")) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	snprintf(title, sizeof(title), "platci drift");
	ropts.stage = "drift";
	ropts.title = title;
	ropts.env = platci_drift_env(d);
	ropts.preamble_md = md.ptr;
	if (platci_drift_found(d))
		ropts.verdict = ":warning: drift found";
	if ((code = cli_write_reports(c, findings, junit, &ropts)) != 0)
		goto done;
	if (platci_report_write_file(c->reports, "drift.json", json.ptr, json.size, diag) < 0 ||
	    platci_report_write_file(c->reports, "drift-issue.md", issue.body ? issue.body : "",
		    issue.body ? strlen(issue.body) : 0, diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (c->gitlab)
		sync_issue(c, &issue);
done:
	drift_issue_state_dispose(&issue);
	platci_junit_free(junit);
	platci_diag_free(diag);
	platci_buf_dispose(&json);
	platci_buf_dispose(&md);
	return code;
}

static int parse_args(cli *c, args *a, char ***owned, size_t *nowned, int argc, char **argv,
	int *done_out)
{
	const char *v;

	*done_out = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(c, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(c, usage, options);
			*done_out = 1;
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(c);
			*done_out = 1;
			return 0;
		} else if (cli_is_flag(argv[i], "--terraform")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--terraform")))
				return CLI_EXIT_USAGE;
			a->terraform = v;
		} else if (cli_is_flag(argv[i], "--flux")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--flux")))
				return CLI_EXIT_USAGE;
			if (push_flux(a, v) < 0)
				return CLI_EXIT_INTERNAL;
		} else if (cli_is_flag(argv[i], "--expect-revision")) {
			char **n;
			int r2;
			if (!(v = cli_flag_value(c, argc, argv, &i, "--expect-revision")))
				return CLI_EXIT_USAGE;
			if (!(n = realloc(*owned, (*nowned + 1) * sizeof(*n))))
				return CLI_EXIT_INTERNAL;
			*owned = n;
			n[*nowned] = NULL;
			r2 = push_expect(c, a, v, &n[*nowned]);
			(*nowned)++;
			if (r2 == -2)
				return CLI_EXIT_USAGE;
			if (r2 < 0)
				return CLI_EXIT_INTERNAL;
		} else if (cli_is_flag(argv[i], "--pending")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--pending")))
				return CLI_EXIT_USAGE;
			a->pending = v;
		} else if (cli_is_flag(argv[i], "--policy")) {
			if (!(v = cli_flag_value(c, argc, argv, &i, "--policy")))
				return CLI_EXIT_USAGE;
			a->policy = v;
		} else {
			return cli_usage_error(c, "unknown argument \"%s\"", argv[i]);
		}
	}
	if (!c->env)
		return cli_usage_error(c, "--env ENV is required");
	if (!a->terraform && !a->nflux && !a->pending)
		return cli_usage_error(c, "nothing to check: give --terraform, --flux or --pending");
	return 0;
}

int main(int argc, char **argv)
{
	platci_config *cfg = NULL;
	platci_findings *findings = NULL;
	platci_diag *diag = NULL;
	platci_drift_policy *policy = NULL;
	platci_drift *drift = NULL;
	platci_drift_pending *pending = NULL;
	platci_drift_options dopts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift_expect ci_expect;
	platci_drift_counts counts;
	const platci_env *env;
	char **owned = NULL, *policy_path = NULL;
	size_t nowned = 0, npending = 0;
	args a;
	cli c;
	int code = 0, error, finished;

	memset(&a, 0, sizeof(a));
	cli_init(&c, argv[0]);
	if ((code = parse_args(&c, &a, &owned, &nowned, argc, argv, &finished)) != 0 || finished)
		goto done;
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (!(env = platci_config_env(cfg, c.env))) {
		code = cli_usage_error(&c, "--env: \"%s\" is not an environment in %s", c.env,
			platci_config_path(cfg));
		goto done;
	}
	if (platci_findings_new(&findings) < 0 || platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (!a.policy && platci_config_policies(cfg)->drift) {
		size_t n = strlen(platci_config_root(cfg)) + strlen(platci_config_policies(cfg)->drift) + 2;
		if (!(policy_path = malloc(n))) {
			code = CLI_EXIT_INTERNAL;
			goto done;
		}
		snprintf(policy_path, n, "%s/%s", platci_config_root(cfg),
			platci_config_policies(cfg)->drift);
		a.policy = policy_path;
	}
	if (a.policy && (error = platci_drift_policy_load(&policy, a.policy, diag)) < 0) {
		cli_print_diag(&c, diag);
		cli_error(&c, "cannot use the drift policy %s: %s", a.policy, platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (a.pending && (error = load_pending(a.pending, &pending, &npending, diag)) < 0) {
		cli_print_diag(&c, diag);
		cli_error(&c, "cannot read pending promotions %s: %s", a.pending,
			platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (!a.pending && env->promote_from &&
	    (error = pending_from_versions(cfg, env, &pending, &npending, diag)) < 0) {
		/* Pending promotion is information, not drift: say so and go on. */
		cli_print_diag(&c, diag);
		cli_warn(&c, "cannot compare versions with %s: %s", env->promote_from,
			platci_strerror(error));
	}
	/* In a scheduled pipeline the branch head is the commit the job runs on. */
	if (!a.nexpect && getenv("CI_COMMIT_SHA") && getenv("CI_COMMIT_BRANCH")) {
		ci_expect.branch = getenv("CI_COMMIT_BRANCH");
		ci_expect.sha = getenv("CI_COMMIT_SHA");
		/* Only sources that fetch this very project follow its branch head. */
		ci_expect.repo = getenv("CI_PROJECT_PATH");
		dopts.expect = &ci_expect;
		dopts.nexpect = 1;
	} else {
		dopts.expect = a.expect;
		dopts.nexpect = a.nexpect;
	}
	dopts.env = c.env;
	dopts.terraform_plan = a.terraform;
	dopts.flux_files = a.flux;
	dopts.nflux_files = a.nflux;
	dopts.pending = pending;
	dopts.npending = npending;
	dopts.pending_from = env->promote_from;
	dopts.policy = policy;
	dopts.now = c.now;

	cli_section_start(&c, "platci_drift", "platci drift");
	error = platci_drift_run(&drift, &dopts, findings, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "drift could not be computed: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	print_items(&c, drift);
	if ((code = write_outputs(&c, drift, findings)) != 0)
		goto done;
	cli_section_end(&c, "platci_drift");
	platci_drift_count(drift, &counts);
	cli_info(&c, "platci-drift %s: %s; Terraform %zu drifted of %zu, Flux %zu findings over %zu "
		"objects, %zu waiting to be promoted, %zu ignored; reports in %s/", c.env,
		platci_drift_found(drift) ? "drift found" : "no drift", counts.terraform_drift,
		counts.terraform_checked, counts.flux_drift, counts.flux_checked, counts.pending,
		counts.ignored, c.reports);
	code = platci_drift_found(drift) ? CLI_EXIT_CHANGES : CLI_EXIT_OK;
done:
	platci_drift_free(drift);
	platci_drift_policy_free(policy);
	free_pending(pending, npending);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(a.flux);
	free(a.expect);
	free(policy_path);
	platci_findings_free(findings);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
