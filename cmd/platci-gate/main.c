/* platci-gate: may this plan be applied to this environment now? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_gitlab.h"

static const char usage[] = "--env ENV --plan PLAN.json [--facts FACTS.json] [options]";
static const char options[] =
	"Decides allow (exit 0), deny (1) or needs-approval (3) from the plan, the\n"
	"environment's rules in the gates policy and the facts, and writes\n"
	"decision.json, summary.md, junit.xml, findings.json, gl-code-quality-report.json.\n\n"
	"Options:\n"
	"  --plan FILE       the output of terraform show -json PLANFILE, or a plan\n"
	"                    bundle (.tar.gz), verified first (env, commit, members)\n"
	"  --facts FILE      approvals, labels, deployments (docs/gates.md); default none\n"
	"  --policy FILE     the gates policy (default: policies.gates of platci.yaml)\n"
	"  --commit SHA      the commit being applied (default: facts, then CI_COMMIT_SHA)\n";

static int is_bundle(const char *path)
{
	size_t n = strlen(path);
	return (n > 7 && strcmp(path + n - 7, ".tar.gz") == 0) ||
	       (n > 4 && strcmp(path + n - 4, ".tgz") == 0);
}

/* A refused bundle is a deny with reports, like any other rule. */
static int refuse_bundle(cli *c, const platci_diag *diag, platci_findings *findings,
	platci_junit *junit, const char *plan_path, const char *commit)
{
	const platci_diag_entry *e = NULL;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_finding f;
	platci_buf path = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	json_t *decision = NULL;
	char now[32];
	struct tm tm;
	int code;

	for (size_t i = 0; i < platci_diag_count(diag); i++)
		if (platci_diag_get(diag, i)->level == PLATCI_DIAG_ERROR && !e)
			e = platci_diag_get(diag, i);
	memset(&f, 0, sizeof(f));
	f.rule_id = "gate.bundle";
	f.severity = PLATCI_SEVERITY_BLOCKER;
	f.enforcement = PLATCI_ENFORCE_DENY;
	f.message = e ? e->message : "the plan bundle is refused";
	f.env = c->env;
	f.file = plan_path;
	f.key = "bundle";
	gmtime_r(&c->now, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	decision = json_pack("{s:i, s:s, s:s, s:s, s:s?, s:[{s:s, s:s, s:s}], s:n}", "version", 1,
		"decision", "deny", "env", c->env, "now", now, "commit_sha", commit, "rules", "id",
		"gate.bundle", "outcome", "deny", "reason", f.message, "plan");
	platci_buf_printf(&md, "### Gate for %s: **deny**\n\nThe plan bundle is refused: ", c->env);
	platci_md_escape(&md, f.message);
	platci_buf_puts(&md, "\n\n");
	ropts.stage = "gate";
	ropts.title = "platci gate";
	ropts.env = c->env;
	ropts.preamble_md = md.ptr;
	if (!decision || platci_findings_add(findings, &f) < 0 ||
	    platci_junit_add(junit, c->env, "gate.bundle", f.message, NULL, NULL) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((code = cli_write_reports(c, findings, junit, &ropts)) != 0)
		goto done;
	platci_buf_printf(&path, "%s/decision.json", c->reports);
	code = platci_json_write_file(path.ptr, decision, NULL) < 0 ? CLI_EXIT_INTERNAL :
								     CLI_EXIT_DENY;
	printf("%s: deny\n", c->env);
done:
	json_decref(decision);
	platci_buf_dispose(&path);
	platci_buf_dispose(&md);
	return code;
}

int main(int argc, char **argv)
{
	platci_config *cfg = NULL;
	platci_gate_policy *policy = NULL;
	platci_facts *facts = NULL;
	platci_tfplan *plan = NULL;
	platci_bundle *bundle = NULL;
	platci_gate_result *res = NULL;
	platci_diag *diag = NULL;
	platci_findings *findings = NULL;
	platci_junit *junit = NULL;
	platci_buf md = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_gate_options gopts = PLATCI_GATE_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	const char *plan_path = NULL, *facts_path = NULL, *policy_path = NULL, *commit = NULL;
	const platci_env *env;
	json_t *decision = NULL;
	cli c;
	int code = 0, error;

	cli_init(&c, argv[0]);
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(&c, argc, argv, &i);
		const char **slot = NULL;
		if (r < 0) {
			code = CLI_EXIT_USAGE;
			goto done;
		}
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(&c, usage, options);
			goto done;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(&c);
			goto done;
		}
		if (cli_is_flag(argv[i], "--plan"))
			slot = &plan_path;
		else if (cli_is_flag(argv[i], "--facts"))
			slot = &facts_path;
		else if (cli_is_flag(argv[i], "--policy"))
			slot = &policy_path;
		else if (cli_is_flag(argv[i], "--commit"))
			slot = &commit;
		if (!slot) {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
			goto done;
		}
		{
			char flag[16];
			size_t n = strcspn(argv[i], "=");
			snprintf(flag, sizeof(flag), "%.*s", (int)n, argv[i]);
			if (!(*slot = cli_flag_value(&c, argc, argv, &i, flag))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		}
	}
	if (!c.env) {
		code = cli_usage_error(&c, "--env is required");
		goto done;
	}
	if (!plan_path) {
		code = cli_usage_error(&c, "--plan is required");
		goto done;
	}
	if (!commit)
		commit = getenv("CI_COMMIT_SHA");
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (!(env = platci_config_env(cfg, c.env))) {
		cli_error(&c, "environment \"%s\" is not in %s", c.env, c.config);
		code = CLI_EXIT_USAGE;
		goto done;
	}
	if (platci_diag_new(&diag) < 0 || platci_findings_new(&findings) < 0 ||
	    platci_junit_new(&junit) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (!policy_path) {
		const platci_policy_paths *pp = platci_config_policies(cfg);
		if (!pp->gates) {
			cli_error(&c, "no gates policy: set policies.gates in %s or pass --policy",
				c.config);
			code = CLI_EXIT_NOINPUT;
			goto done;
		}
		platci_buf_printf(&path, "%s/%s", platci_config_root(cfg), pp->gates);
		policy_path = path.ptr;
	}
	error = platci_gate_policy_load(&policy, policy_path, cfg, diag);
	if (!error && facts_path) {
		error = platci_facts_load_file(&facts, facts_path, diag);
	} else if (!error && c.gitlab) {
		/* The gate needs these facts: GitLab down means no decision (69), not a guess. */
		json_t *doc = NULL;
		if ((code = cli_gitlab_facts(&c, c.env, env->promote_from, commit, &doc)) != 0)
			goto done;
		error = platci_facts_from_json(&facts, doc, diag);
		json_decref(doc);
	}
	if (!error && is_bundle(plan_path)) {
		/* a bundle is verified (env, commit, members) before its plan is read */
		platci_bundle_verify_options vo = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
		vo.env = c.env;
		vo.commit_sha = commit;
		vo.now = c.now;
		error = platci_bundle_verify(&bundle, plan_path, &vo, diag);
		if (!error)
			error = platci_bundle_read_plan(&plan, bundle, plan_path, NULL, diag);
		if (error == PLATCI_EDATA || error == PLATCI_EUNSAFE || error == PLATCI_ECONFLICT) {
			cli_print_diag(&c, diag);
			cli_error(&c, "deny: the plan bundle is refused: %s", platci_strerror(error));
			code = refuse_bundle(&c, diag, findings, junit, plan_path, commit);
			goto done;
		}
	} else if (!error) {
		error = platci_tfplan_read_file(&plan, plan_path, NULL, diag);
	}
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "cannot decide: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (!platci_gate_policy_has_env(policy, c.env))
		cli_warn(&c, "%s has no rules for %s: the defaults apply", policy_path, c.env);
	gopts.env = c.env;
	gopts.promote_from = env->promote_from;
	gopts.env_protected = env->is_protected;
	gopts.now = c.now;
	gopts.commit_sha = commit;
	if (platci_gate_evaluate(&res, policy, plan, facts, &gopts) < 0 ||
	    platci_gate_findings(findings, res, plan_path) < 0 ||
	    platci_gate_junit(junit, res) < 0 || platci_gate_render_md(&md, res) < 0 ||
	    platci_tfplan_render_md(&md, plan, 600000) < 0 ||
	    platci_gate_result_to_json(&decision, res, plan) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "gate";
	ropts.title = "platci gate";
	ropts.env = c.env;
	ropts.preamble_md = md.ptr;
	if ((code = cli_write_reports(&c, findings, junit, &ropts)) != 0)
		goto done;
	platci_buf_clear(&path);
	platci_buf_printf(&path, "%s/decision.json", c.reports);
	if (platci_json_write_file(path.ptr, decision, diag) < 0) {
		cli_print_diag(&c, diag);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < platci_gate_result_count(res); i++) {
		const platci_gate_rule *g = platci_gate_result_rule(res, i);
		if (!c.quiet || g->outcome == PLATCI_GATE_FAIL || g->outcome == PLATCI_GATE_APPROVAL)
			fprintf(stderr, "  %-15s %-20s %s\n", platci_gate_outcome_name(g->outcome), g->id,
				g->reason);
	}
	printf("%s: %s\n", c.env, platci_gate_decision_name(platci_gate_result_decision(res)));
	code = (int)platci_gate_result_decision(res);
	code = cli_gitlab_publish_summary(&c, c.reports, code);
done:
	json_decref(decision);
	platci_buf_dispose(&md);
	platci_buf_dispose(&path);
	platci_junit_free(junit);
	platci_findings_free(findings);
	platci_gate_result_free(res);
	platci_tfplan_free(plan);
	platci_bundle_free(bundle);
	platci_facts_free(facts);
	platci_gate_policy_free(policy);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
