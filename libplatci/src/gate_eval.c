/*
 * The gate's rules, evaluated in a fixed order so the decision and its
 * reports read the same every time. Missing facts never pass a rule that
 * needs them.
 */
#include <stdio.h>
#include <string.h>

#include "platci/report.h"
#include "gate_int.h"
#include "platci/clock.h"
#include "util/common.h"
#include "util/banned.h"


int platci_gate_options_init(platci_gate_options *opts, unsigned int version)
{
	platci_gate_options init = PLATCI_GATE_OPTIONS_INIT;

	if (version != PLATCI_GATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

const char *platci_gate_decision_name(platci_gate_decision d)
{
	switch (d) {
	case PLATCI_GATE_ALLOW:
		return "allow";
	case PLATCI_GATE_DENY:
		return "deny";
	case PLATCI_GATE_NEEDS_APPROVAL:
		return "needs-approval";
	}
	return "deny";
}

const char *platci_gate_outcome_name(platci_gate_outcome o)
{
	switch (o) {
	case PLATCI_GATE_PASS:
		return "pass";
	case PLATCI_GATE_FAIL:
		return "deny";
	case PLATCI_GATE_APPROVAL:
		return "needs-approval";
	case PLATCI_GATE_SKIP:
		return "skip";
	}
	return "deny";
}

int platci_gate__rule(platci_gate_result *r, const char *id, platci_gate_outcome o, json_t *inputs,
	const char *fmt, ...)
{
	platci_buf msg = PLATCI_BUF_INIT;
	va_list ap;
	platci_gate_rule *g;

	if (r->nrules >= GATE_MAX_RULES) {
		json_decref(inputs);
		return PLATCI_EINVALID;
	}
	va_start(ap, fmt);
	platci_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	g = &r->rules[r->nrules];
	g->id = id;
	g->outcome = o;
	if (msg.error || !(g->reason = platci_buf_detach(&msg))) {
		platci_buf_dispose(&msg);
		json_decref(inputs);
		return PLATCI_ENOMEM;
	}
	r->inputs[r->nrules++] = inputs;
	return 0;
}

/* The rules that look at nothing worth listing besides their reason. */
#define rule(r, id, o, ...) platci_gate__rule((r), (id), (o), NULL, __VA_ARGS__)

static size_t total_changes(const platci_tfplan_counts *c)
{
	/* a replace is one change to the operator, not two */
	return c->add + c->change + c->destroy - c->replace + c->forget + c->other;
}

static int plan_rule(platci_gate_result *r, const platci_tfplan *plan)
{
	platci_tfplan_counts n = { 0 };
	const platci_tfplan_counts *c = &n;
	int changes;

	platci_tfplan_totals(&n, plan);
	changes = c->add || c->change || c->destroy || c->forget || c->other;
	if (platci_tfplan_errored(plan) == 1)
		return rule(r, "gate.plan-valid", PLATCI_GATE_FAIL,
			"the plan errored: Terraform could not finish planning");
	if (platci_tfplan_applyable(plan) == 0 && changes)
		return rule(r, "gate.plan-valid", PLATCI_GATE_FAIL,
			"Terraform marked the plan not applyable although it has changes");
	if (platci_tfplan_complete(plan) == 0)
		return rule(r, "gate.plan-valid", PLATCI_GATE_FAIL,
			"the plan is incomplete: deferred changes need another round");
	for (size_t i = 0; i < platci_tfplan_problem_count(plan); i++)
		if (strcmp(platci_tfplan_problem_at(plan, i)->kind, "check") != 0)
			return rule(r, "gate.plan-valid", PLATCI_GATE_FAIL, "a condition failed: %s",
				platci_tfplan_problem_at(plan, i)->address);
	return rule(r, "gate.plan-valid", PLATCI_GATE_PASS,
		"the plan is complete and applyable "
		"(errored: %s, applyable: %s, complete: %s)",
		platci_tfplan_errored(plan) < 0 ? "not stated" : "no",
		platci_tfplan_applyable(plan) < 0 ? "not stated"
		: platci_tfplan_applyable(plan)   ? "yes"
						  : "no (nothing to apply)",
		platci_tfplan_complete(plan) < 0 ? "not stated" : "yes");
}

static int promotion_rule(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	const platci_gate_options *o, const char *sha)
{
	int dep = 0, error;

	if (g->require_promotion != 1)
		return rule(r, "gate.promotion", PLATCI_GATE_SKIP, "not required for %s", o->env);
	if (!o->promote_from)
		return rule(r, "gate.promotion", PLATCI_GATE_SKIP,
			"%s is first in the promotion order", o->env);
	if (!sha)
		return rule(r, "gate.promotion", PLATCI_GATE_FAIL,
			"the commit is not known (no commit_sha fact, no --commit): cannot check that "
			"%s runs it",
			o->promote_from);
	error = platci_facts_deployed(&dep, NULL, facts, o->promote_from, sha);
	if (error == PLATCI_ENOTFOUND)
		return rule(r, "gate.promotion", PLATCI_GATE_FAIL,
			"no deployment facts for %s: cannot prove it already runs %.12s",
			o->promote_from, sha);
	if (error < 0)
		return error;
	if (dep == 0)
		return rule(r, "gate.promotion", PLATCI_GATE_FAIL,
			"%s has no successful deployment of %.12s yet; promote in order",
			o->promote_from, sha);
	return rule(r, "gate.promotion", PLATCI_GATE_PASS, "%s already runs %.12s", o->promote_from, sha);
}

static int approvals_rule(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	long need, const char *why)
{
	long long have = platci_facts_approvals(facts);

	if (need <= 0)
		return rule(r, "gate.approvals", PLATCI_GATE_SKIP, "no approvals required");
	if (have < 0)
		return rule(r, "gate.approvals", PLATCI_GATE_APPROVAL,
			"%ld approval%s required%s; approval facts are missing", need,
			need == 1 ? "" : "s", why);
	if (have < need)
		return rule(r, "gate.approvals", PLATCI_GATE_APPROVAL,
			"%lld of %ld required approvals%s", have, need, why);
	(void)g;
	return rule(r, "gate.approvals", PLATCI_GATE_PASS, "%lld of %ld required approvals%s", have,
		need, why);
}

static int freeze_rule(platci_gate_result *r, const platci_gate_policy *p, const platci_gate_options *o)
{
	platci_buf reason = PLATCI_BUF_INIT;
	char now[32];
	int error;

	platci_time_format_utc(now, sizeof(now), o->now);
	if ((error = platci_gate_policy_frozen(&reason, p, o->env, o->now)) == 1)
		error = rule(r, "gate.freeze", PLATCI_GATE_FAIL, "%s (now %s)", reason.ptr, now);
	else if (error == 0)
		error = rule(r, "gate.freeze", PLATCI_GATE_PASS,
			"no freeze window is active at %s (%s)", now, p->zone);
	platci_buf_dispose(&reason);
	return error;
}

static int destroy_rule(platci_gate_result *r, const gate_rules *g, const platci_tfplan *plan,
	const platci_facts *facts, int *extra_out)
{
	platci_tfplan_counts n = { 0 };
	const platci_tfplan_counts *c = &n;
	const char *label = g->destroy_label ? g->destroy_label : "allow-destroy";

	platci_tfplan_totals(&n, plan);
	*extra_out = 0;
	if (!c->destroy)
		return rule(r, "gate.destroy", PLATCI_GATE_PASS, "no destructive changes");
	switch (g->destroy) {
	case DESTROY_DENY:
		return rule(r, "gate.destroy", PLATCI_GATE_FAIL,
			"%zu destructive changes (%zu "
			"replacements); this environment allows none",
			c->destroy, c->replace);
	case DESTROY_LABEL:
		if (!platci_facts_has_labels(facts))
			return rule(r, "gate.destroy", PLATCI_GATE_FAIL,
				"%zu destructive changes need "
				"the MR label \"%s\"; label facts are missing",
				c->destroy, label);
		if (!platci_facts_has_label(facts, label))
			return rule(r, "gate.destroy", PLATCI_GATE_FAIL,
				"%zu destructive changes need "
				"the MR label \"%s\"",
				c->destroy, label);
		*extra_out = g->destroy_extra_approvals > 0 ? (int)g->destroy_extra_approvals : 0;
		return rule(r, "gate.destroy", PLATCI_GATE_PASS,
			"%zu destructive changes allowed "
			"by the label \"%s\"%s",
			c->destroy, label, *extra_out ? " (extra approvals required)" : "");
	default:
		return rule(r, "gate.destroy", PLATCI_GATE_PASS,
			"%zu destructive changes; this "
			"environment allows them",
			c->destroy);
	}
}

static int protected_rule(platci_gate_result *r, const gate_rules *g, const platci_tfplan *plan,
	const platci_facts *facts)
{
	const char *label = g->destroy_label ? g->destroy_label : "allow-destroy";
	char hit[300] = "";
	size_t n = 0, len = 0;

	if (!g->nprotected)
		return rule(r, "gate.protected-types", PLATCI_GATE_SKIP, "no protected types");
	for (size_t i = 0; i < platci_tfplan_type_count(plan); i++) {
		const platci_tfplan_type_tally *t = platci_tfplan_type_at(plan, i);
		for (size_t j = 0; j < g->nprotected; j++) {
			if (strcmp(t->type, g->protected_types[j]) != 0)
				continue;
			n += t->deletes + t->replaces;
			if (len < sizeof(hit))
				len += (size_t)snprintf(hit + len, sizeof(hit) - len,
					"%s%s (%zu delete, "
					"%zu replace)",
					len ? ", " : "", t->type, t->deletes, t->replaces);
		}
	}
	if (!n)
		return rule(r, "gate.protected-types", PLATCI_GATE_PASS,
			"no protected resource type is deleted or replaced");
	if (platci_facts_has_label(facts, label))
		return rule(r, "gate.protected-types", PLATCI_GATE_PASS,
			"protected resources deleted or replaced, allowed by the label \"%s\": %s",
			label, hit);
	return rule(r, "gate.protected-types", PLATCI_GATE_FAIL,
		"protected resources would be deleted or replaced without the MR label \"%s\"%s: %s",
		label, platci_facts_has_labels(facts) ? "" : " (label facts are missing)", hit);
}

static int max_rule(platci_gate_result *r, const gate_rules *g, const platci_tfplan *plan)
{
	platci_tfplan_counts counts = { 0 };
	size_t n;

	platci_tfplan_totals(&counts, plan);
	n = total_changes(&counts);
	if (g->max_changes < 0)
		return rule(r, "gate.max-changes", PLATCI_GATE_SKIP, "no limit on changes");
	if (n > (size_t)g->max_changes)
		return rule(r, "gate.max-changes", PLATCI_GATE_FAIL,
			"%zu changes exceed the limit "
			"of %ld for one apply; split the change",
			n, g->max_changes);
	return rule(r, "gate.max-changes", PLATCI_GATE_PASS, "%zu changes within the limit of %ld",
		n, g->max_changes);
}

int platci_gate_evaluate(platci_gate_result **out, const platci_gate_policy *policy,
	const platci_tfplan *plan, const platci_facts *facts, const platci_gate_options *o)
{
	platci_gate_result *r = NULL;
	gate_rules g;
	const char *sha;
	long need;
	int extra = 0, error = 0;
	char why[64] = "";

	PLATCI_ASSERT_ARG(out && policy && plan && o && o->env);
	*out = NULL;
	if (o->version != 1 && o->version != PLATCI_GATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (o->version == 1) {
		/* a caller built for version 1 has none of the later fields */
		platci_gate_options v1 = PLATCI_GATE_OPTIONS_INIT;
		memcpy(&v1, o, offsetof(platci_gate_options, plan_policy));
		v1.version = PLATCI_GATE_OPTIONS_VERSION;
		return platci_gate_evaluate(out, policy, plan, facts, &v1);
	}
	r = calloc(1, sizeof(*r));
	PLATCI_CHECK_ALLOC(r);
	r->now = o->now;
	r->env = platci__strdup(o->env);
	PLATCI_CHECK_ALLOC(r->env);
	sha = o->commit_sha ? o->commit_sha : platci_facts_commit_sha(facts);
	if (sha)
		PLATCI_CHECK_ALLOC(r->commit = platci__strdup(sha));
	platci_gate__resolve(&g, policy, o->env);
	if ((error = plan_rule(r, plan)) < 0 || (error = promotion_rule(r, &g, facts, o, sha)) < 0 ||
		(error = freeze_rule(r, policy, o)) < 0 ||
		(error = destroy_rule(r, &g, plan, facts, &extra)) < 0 ||
		(error = protected_rule(r, &g, plan, facts)) < 0 ||
		(error = max_rule(r, &g, plan)) < 0 || (error = platci_gate__plan_policy(r, o)) < 0 ||
		(error = platci_gate__reviewed(r, &g, facts, o)) < 0 ||
		(error = platci_gate__soak(r, &g, facts, o, sha)) < 0 ||
		(error = platci_gate__cost(r, &g, o)) < 0)
		goto done;
	need = g.min_approvals > 0 ? g.min_approvals : 0;
	if (o->env_protected && need < 1) {
		need = 1;
		snprintf(why, sizeof(why), " (protected environment)");
	}
	if (extra) {
		need += extra;
		snprintf(why, sizeof(why), " (including %d for destructive changes)", extra);
	}
	if ((error = approvals_rule(r, &g, facts, need, why)) < 0 ||
		(error = platci_gate__waive(policy, o->env, o->now, r->rules, r->nrules)) < 0)
		goto done;
	r->decision = PLATCI_GATE_ALLOW;
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].outcome == PLATCI_GATE_APPROVAL)
			r->decision = PLATCI_GATE_NEEDS_APPROVAL;
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].outcome == PLATCI_GATE_FAIL)
			r->decision = PLATCI_GATE_DENY;
	*out = r;
	r = NULL;
done:
	platci_gate_result_free(r);
	return error;
}

int platci_gate_refuse_bundle(platci_gate_result **out, const platci_gate_options *o, const platci_diag *why)
{
	platci_gate_result *r = NULL;
	const char *reason = "the plan bundle is refused";
	int error = 0;

	PLATCI_ASSERT_ARG(out && o && o->env);
	*out = NULL;
	if (o->version != 1 && o->version != PLATCI_GATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	for (size_t i = 0; i < platci_diag_count(why); i++)
		if (platci_diag_at(why, i)->level == PLATCI_DIAG_ERROR) {
			reason = platci_diag_at(why, i)->message;
			break;
		}
	PLATCI_CHECK_ALLOC(r = calloc(1, sizeof(*r)));
	r->now = o->now;
	r->decision = PLATCI_GATE_DENY;
	PLATCI_CHECK_ALLOC(r->env = platci__strdup(o->env));
	if (o->commit_sha)
		PLATCI_CHECK_ALLOC(r->commit = platci__strdup(o->commit_sha));
	/* No rule ran: a plan that cannot be trusted is not looked at. */
	if ((error = rule(r, "gate.bundle", PLATCI_GATE_FAIL, "%s", reason)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	platci_gate_result_free(r);
	return error;
}

void platci_gate_result_free(platci_gate_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrules; i++) {
		free((char *)(uintptr_t)r->rules[i].reason);
		json_decref(r->inputs[i]);
	}
	free(r->env);
	free(r->commit);
	free(r);
}

platci_gate_decision platci_gate_result_decision(const platci_gate_result *r)
{
	return r ? r->decision : PLATCI_GATE_DENY;
}

size_t platci_gate_result_count(const platci_gate_result *r)
{
	return r ? r->nrules : 0;
}

const platci_gate_rule *platci_gate_result_rule_at(const platci_gate_result *r, size_t i)
{
	return r && i < r->nrules ? &r->rules[i] : NULL;
}

int platci_gate_result_to_json(json_t **out, const platci_gate_result *r, const platci_tfplan *plan)
{
	json_t *o = NULL, *rules = NULL, *summary = NULL;
	char now[32];
	int error = 0;

	PLATCI_ASSERT_ARG(out && r);
	*out = NULL;
	platci_time_format_utc(now, sizeof(now), r->now);
	rules = json_array();
	PLATCI_CHECK_ALLOC(rules);
	for (size_t i = 0; i < r->nrules; i++) {
		json_t *x = json_pack("{s:s, s:s, s:s}", "id", r->rules[i].id, "outcome",
			platci_gate_outcome_name(r->rules[i].outcome), "reason", r->rules[i].reason);
		if (x && r->inputs[i] && json_object_set(x, "inputs", r->inputs[i]) < 0) {
			json_decref(x);
			x = NULL;
		}
		if (!x || json_array_append_new(rules, x) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	if (plan && (error = platci_tfplan_to_json(&summary, plan)) < 0)
		goto done;
	o = json_pack("{s:i, s:s, s:s, s:s, s:s?, s:o, s:o}", "version", 1, "decision",
		platci_gate_decision_name(r->decision), "env", r->env, "now", now, "commit_sha",
		r->commit, "rules", rules, "plan", summary ? summary : json_null());
	rules = summary = NULL;
	PLATCI_CHECK_ALLOC(o);
	*out = o;
done:
	json_decref(rules);
	json_decref(summary);
	return error;
}

int platci_gate_render_md(platci_buf *out, const platci_gate_result *r)
{
	static const char *const icon[] = { ":white_check_mark:", ":no_entry:", ":hourglass:", ":heavy_minus_sign:" };

	PLATCI_ASSERT_ARG(out && r);
	platci_buf_printf(out, "### Gate for %s: **%s**\n\n", r->env,
		platci_gate_decision_name(r->decision));
	if (r->commit)
		platci_buf_printf(out, "Commit `%.40s`.\n\n", r->commit);
	platci_buf_puts(out, "| | rule | outcome | reason |\n|---|---|---|---|\n");
	for (size_t i = 0; i < r->nrules; i++) {
		platci_buf_printf(out, "| %s | `%s` | %s | ", icon[r->rules[i].outcome],
			r->rules[i].id, platci_gate_outcome_name(r->rules[i].outcome));
		platci_md_escape(out, r->rules[i].reason);
		platci_buf_puts(out, " |\n");
	}
	platci_buf_putc(out, '\n');
	return out->error;
}

int platci_gate_findings(platci_findings *list, const platci_gate_result *r, const char *file)
{
	PLATCI_ASSERT_ARG(list && r);
	for (size_t i = 0; i < r->nrules; i++) {
		platci_finding f;
		int error;

		if (r->rules[i].outcome != PLATCI_GATE_FAIL && r->rules[i].outcome != PLATCI_GATE_APPROVAL)
			continue;
		memset(&f, 0, sizeof(f));
		f.rule_id = r->rules[i].id;
		f.severity = r->rules[i].outcome == PLATCI_GATE_FAIL ? PLATCI_SEVERITY_CRITICAL
								     : PLATCI_SEVERITY_MAJOR;
		f.enforcement = r->rules[i].outcome == PLATCI_GATE_FAIL ? PLATCI_ENFORCE_DENY
									: PLATCI_ENFORCE_WARN;
		f.message = r->rules[i].reason;
		f.env = r->env;
		f.file = file;
		f.key = r->rules[i].id;
		if ((error = platci_findings_add(list, &f)) < 0)
			return error;
	}
	return 0;
}

int platci_gate_junit(platci_junit *j, const platci_gate_result *r)
{
	PLATCI_ASSERT_ARG(j && r);
	for (size_t i = 0; i < r->nrules; i++) {
		const platci_gate_rule *g = &r->rules[i];
		int error = platci_junit_add(j, r->env, g->id,
			g->outcome == PLATCI_GATE_FAIL || g->outcome == PLATCI_GATE_APPROVAL ? g->reason : NULL,
			g->outcome == PLATCI_GATE_APPROVAL ? "needs approval" : NULL,
			g->outcome == PLATCI_GATE_SKIP ? g->reason : NULL);
		if (error < 0)
			return error;
	}
	return 0;
}
