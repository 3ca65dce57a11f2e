/*
 * The gate's rules about what is applied rather than when: the plan
 * policy's verdict, the reviewed plan being the applied plan, soak time in
 * the environment before, and the cost. Each lists its inputs for
 * decision.json.
 */
#include <stdio.h>
#include <string.h>

#include "platci/clock.h"
#include "gate_int.h"
#include "util/common.h"
#include "util/banned.h"

/* "20h 25m": how a person reads a wait. */
static void span(char *out, size_t size, long long s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(out, size, "%lldd %lldh %lldm", s / 86400, s % 86400 / 3600, s % 3600 / 60);
	else if (s >= 3600)
		snprintf(out, size, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, size, "%lldm %llds", s / 60, s % 60);
}

int platci_gate__plan_policy(platci_gate_result *r, const platci_gate_options *o)
{
	platci_buf why = PLATCI_BUF_INIT;
	size_t deny = 0, warn = 0, waived = 0;
	json_t *in;
	int error;

	if (!o->plan_policy)
		return platci_gate__rule(r, "gate.plan-policy", PLATCI_GATE_SKIP, NULL,
			"no plan policy (policies.plan in platci.yaml)");
	for (size_t i = 0; i < platci_findings_count(o->plan_policy); i++) {
		const platci_finding *f = platci_findings_at(o->plan_policy, i);
		if (f->waiver) {
			waived++;
		} else if (f->enforcement == PLATCI_ENFORCE_DENY) {
			/* the messages are the policy's: they name addresses and rules, no values */
			if (deny < 3)
				platci_buf_printf(&why, "%s%s [%s]", deny ? "; " : "", f->message,
					f->rule_id);
			deny++;
		} else {
			warn++;
		}
	}
	in = json_pack("{s:I, s:I, s:I}", "deny", (json_int_t)deny, "warn", (json_int_t)warn,
		"waived", (json_int_t)waived);
	if (deny)
		error = platci_gate__rule(r, "gate.plan-policy", PLATCI_GATE_FAIL, in,
			"%zu plan "
			"policy denial%s: %s%s",
			deny, deny == 1 ? "" : "s", why.ptr, deny > 3 ? "; ..." : "");
	else
		error = platci_gate__rule(r, "gate.plan-policy", PLATCI_GATE_PASS, in,
			"no plan "
			"policy denial (%zu warning%s, %zu waived)",
			warn, warn == 1 ? "" : "s", waived);
	platci_buf_dispose(&why);
	return error;
}

int platci_gate__reviewed(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	const platci_gate_options *o)
{
	const char *src = platci_facts_pipeline_source(facts);
	platci_buf diff = PLATCI_BUF_INIT;
	size_t n = 0;
	json_t *in;
	int error;

	if (g->require_reviewed != 1)
		return platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_SKIP, NULL,
			"not required for %s", o->env);
	if (src && strcmp(src, "merge_request_event") == 0)
		return platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_SKIP, NULL,
			"a merge request pipeline: this plan is the one under review");
	if (!o->fingerprint)
		return platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_APPROVAL, NULL,
			"this plan's fingerprint is missing: cannot compare it with the reviewed plan");
	in = json_pack("{s:s, s:s?, s:I}", "applied", platci_plan_fingerprint_digest(o->fingerprint),
		"reviewed", o->reviewed ? platci_plan_fingerprint_digest(o->reviewed) : NULL,
		"merge_request", (json_int_t)o->reviewed_mr);
	if (!o->reviewed)
		return platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_APPROVAL, in,
			"no reviewed plan found for %s (the merge request's plan note or "
			"plan-fingerprint.json): nobody has seen this plan",
			o->env);
	if ((error = platci_plan_fingerprint_diff(&diff, &n, o->reviewed, o->fingerprint, 20)) < 0) {
		json_decref(in);
		platci_buf_dispose(&diff);
		return error;
	}
	/* a reason is one line: the diff's list items become "; "-separated */
	for (size_t i = 0, w = 0; i <= diff.size; i++) {
		if (i + 2 < diff.size && diff.ptr[i] == '\n' && diff.ptr[i + 1] == '-' &&
			diff.ptr[i + 2] == ' ') {
			diff.ptr[w++] = ';';
			diff.ptr[w++] = ' ';
			i += 2;
		} else if (i == 0 && diff.size > 1 && diff.ptr[0] == '-' && diff.ptr[1] == ' ') {
			i++;
		} else if (i < diff.size && diff.ptr[i] == '\n') {
			continue;
		} else {
			diff.ptr[w++] = (char)(i < diff.size ? diff.ptr[i] : '\0');
		}
	}
	if (!n)
		error = platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_PASS, in,
			"the plan is "
			"the one reviewed%s%.0lld (%s, %zu changes)",
			o->reviewed_mr ? " in !" : "", o->reviewed_mr,
			platci_plan_fingerprint_digest(o->fingerprint),
			platci_plan_fingerprint_count(o->fingerprint));
	else
		error = platci_gate__rule(r, "gate.reviewed-plan", PLATCI_GATE_APPROVAL, in,
			"the "
			"plan differs from the one reviewed%s%.0lld in %zu change%s since review: %s",
			o->reviewed_mr ? " in !" : "", o->reviewed_mr, n, n == 1 ? "" : "s", diff.ptr);
	platci_buf_dispose(&diff);
	return error;
}

int platci_gate__soak(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	const platci_gate_options *o, const char *sha)
{
	char want[48], have[48], left[48], at[32], until[32];
	time_t since = 0;
	int deployed = 0, error;
	json_t *in;

	if (g->min_soak < 0)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_SKIP, NULL,
			"no soak time for %s", o->env);
	span(want, sizeof(want), g->min_soak);
	if (!o->promote_from)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_SKIP, NULL,
			"%s is first in the promotion order: nothing to soak in", o->env);
	if (!sha)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_FAIL, NULL,
			"the commit is not "
			"known: cannot tell how long %s has run it",
			o->promote_from);
	error = platci_facts_deployed(&deployed, &since, facts, o->promote_from, sha);
	if (error == PLATCI_ENOTFOUND)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_FAIL, NULL,
			"no deployment "
			"facts for %s: cannot tell how long it has run %.12s",
			o->promote_from, sha);
	if (error < 0)
		return error;
	if (!deployed)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_FAIL, NULL,
			"%s has not run "
			"%.12s yet; it must run it for %s first",
			o->promote_from, sha, want);
	if (!since)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_FAIL, NULL,
			"%s's deployment "
			"of %.12s has no finish time: cannot count %s of soak",
			o->promote_from, sha, want);
	platci_time_format_utc(at, sizeof(at), since);
	platci_time_format_utc(until, sizeof(until), since + g->min_soak);
	span(have, sizeof(have), (long long)(o->now - since));
	span(left, sizeof(left), (long long)(since + g->min_soak - o->now));
	in = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "previous_env", o->promote_from, "commit",
		sha, "deployed_at", at, "min_soak_seconds", (json_int_t)g->min_soak,
		"soaked_seconds", (json_int_t)(o->now - since), "remaining_seconds",
		(json_int_t)(o->now - since >= g->min_soak ? 0 : since + g->min_soak - o->now));
	if (o->now - since < g->min_soak)
		return platci_gate__rule(r, "gate.soak", PLATCI_GATE_FAIL, in,
			"soaking: %s has run "
			"%.12s for %s of %s; %s remain (until %s)",
			o->promote_from, sha, have, want, left, until);
	return platci_gate__rule(r, "gate.soak", PLATCI_GATE_PASS, in,
		"%s has run %.12s for %s "
		"(at least %s) since %s",
		o->promote_from, sha, have, want, at);
}

int platci_gate__cost(platci_gate_result *r, const gate_rules *g, const platci_gate_options *o)
{
	const platci_cost_totals *t = platci_cost_get_totals(o->cost);
	json_t *in;

	if (g->max_increase < 0)
		return platci_gate__rule(r, "gate.cost", PLATCI_GATE_SKIP, NULL,
			"no limit on the monthly cost increase for %s", o->env);
	if (!t)
		return platci_gate__rule(r, "gate.cost", PLATCI_GATE_APPROVAL, NULL,
			"an increase "
			"above %.2f a month needs approval, and no cost estimate was given (--cost)",
			g->max_increase);
	in = json_pack("{s:s, s:f, s:f, s:f, s:f, s:b}", "currency", t->currency, "monthly",
		t->monthly, "past_monthly", t->past_monthly, "diff_monthly", t->diff_monthly,
		"max_monthly_increase", g->max_increase, "known", t->known);
	if (!t->known)
		return platci_gate__rule(r, "gate.cost", PLATCI_GATE_APPROVAL, in,
			"Infracost could "
			"not price the plan: the increase may be above %.2f %s a month",
			g->max_increase, t->currency);
	if (t->diff_monthly > g->max_increase)
		return platci_gate__rule(r, "gate.cost", PLATCI_GATE_APPROVAL, in,
			"the monthly cost "
			"rises by %.2f %s (to %.2f), above the %.2f this environment allows without "
			"approval",
			t->diff_monthly, t->currency, t->monthly, g->max_increase);
	return platci_gate__rule(r, "gate.cost", PLATCI_GATE_PASS, in,
		"the monthly cost changes "
		"by %+.2f %s (to %.2f), within %.2f",
		t->diff_monthly, t->currency, t->monthly, g->max_increase);
}
