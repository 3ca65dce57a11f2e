/*
 * Plan policies (`kind: PlanPolicy`): the rules of policies/plan.yaml
 * judge each resource change of a Terraform plan. The set is loaded by the
 * one policy loader (policy_load.c) and its conditions are evaluated by the
 * manifest evaluator (platci_policy__holds()) over `change.after` read as a
 * document; only matching and reporting are the plan's own.
 *
 * Values Terraform knows only after apply (`after_unknown`) stand in the
 * document as PLATCI_UNKNOWN, so a rule can tell them from absent ones;
 * sensitive values are there as they are, to be tested, and no message
 * ever prints a value of the plan.
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "platci/redact.h"
#include "plan_value.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct plan_target {
	const platci_tfplan_change *change;
	const char *action; /* "create", "replace"... */
	const char *env;
	const char *file;
} plan_target;

/* Rules without `actions` judge what apply will make: creates, updates and replaces. */
static int action_ok(const platci_policy *p, const pol_match *m, const char *action)
{
	static const char *const made[] = { "create", "update", "replace", NULL };
	pol_strlist dflt = { (const char **)(uintptr_t)made, 3 };

	return platci_policy__list_ok(p, m->actions.count ? &m->actions : &dflt, action, 0);
}

static int covers_change(const platci_policy *p, const pol_match *m, const void *payload)
{
	const plan_target *t = payload;

	return action_ok(p, m, t->action) && platci_policy__list_ok(p, &m->types, t->change->type, 0) &&
	       platci_policy__list_ok(p, &m->addresses, t->change->address, 0) &&
	       platci_policy__list_ok(p, &m->paths, t->file, 0) &&
	       platci_policy__list_ok(p, &m->environments, t->env, 0);
}

/* `change.after` with unknowns marked, as a document the conditions can read. */
static int after_doc(platci_doc **out, const platci_tfplan_change *ch)
{
	json_t *v = NULL;
	char *text = NULL;
	int error = 0;

	*out = NULL;
	if ((error = platci_plan__after(&v, ch, 0)) < 0)
		return error;
	if (!(text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	error = platci_doc_load_json_buffer(out, ch->address, text, strlen(text), NULL, NULL);
done:
	if (text) {
		/* it may hold sensitive values: do not leave them in freed memory */
		memset(text, 0, strlen(text));
		free(text);
	}
	json_decref(v);
	return error;
}

/* 1 when the path of @p q from @p marker reaches a value marked unknown. */
static int unknown_along(const json_t *marker, const platci_query *q, size_t i)
{
	const platci_query_step *st;
	const json_t *m;
	size_t k;

	if (json_is_true(marker))
		return 1;
	if (!marker || !q || i >= platci_query_step_count(q))
		return 0;
	st = platci_query_step_at(q, i);
	if (st->kind == PLATCI_QUERY_KEY)
		return unknown_along(json_object_get(marker, st->key), q, i + 1);
	if (st->kind == PLATCI_QUERY_INDEX)
		return unknown_along(json_array_get(marker, st->index), q, i + 1);
	json_array_foreach ((json_t *)(uintptr_t)marker, k, m)
		if (unknown_along(m, q, i + 1))
			return 1;
	return 0;
}

static int is_unknown(const pol_cond *cond, const platci_node *fail_at, const json_t *marker)
{
	if (fail_at && platci_node_type_of(fail_at) == PLATCI_NODE_SCALAR &&
		platci_node_is(fail_at, PLATCI_UNKNOWN))
		return 1;
	return cond->base != BASE_POD && unknown_along(marker, cond->q, 0);
}

static int report(const platci_policy *p, const pol_rule *r, const plan_target *t,
	const pol_cond *cond, int failed_op, int unknown, platci_findings *out, size_t *usage)
{
	platci_buf msg = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT;
	const pol_op *op = cond->nops ? &cond->ops[failed_op] : NULL;
	int error = 0;

	platci_buf_printf(&msg, "%s: ", t->change->address);
	platci_policy__failure_text(&msg, r, cond, op, "the change");
	/* the value itself is never printed: it may be sensitive */
	if (unknown)
		platci_buf_puts(&msg,
			" (the value is known only after apply, and this rule does "
			"not let unknown values pass)");
	platci_buf_printf(&key, "%s|%s", t->change->address, cond->path ? cond->path : "");
	if (msg.error || key.error) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	error = platci_policy__add_finding(out, p, r,
		&(platci_finding){ .message = msg.ptr,
			.file = t->file,
			.line = t->change->line,
			.env = t->env,
			.key = key.ptr },
		covers_change, t, usage);
done:
	platci_buf_dispose(&msg);
	platci_buf_dispose(&key);
	return error;
}

static int eval_rule(const platci_policy *p, const pol_rule *r, const plan_target *t,
	const platci_node *root, platci_findings *out, size_t *usage)
{
	const json_t *marker = json_object_get(t->change->change, "after_unknown");
	const platci_node *at;
	int failed_op, error = 0;

	for (size_t i = 0; i < r->when.count; i++)
		if (!platci_policy__holds(p, root, &r->when.items[i], &at, &failed_op))
			return 0;
	for (size_t i = 0; i < r->req.count && !error; i++) {
		const pol_cond *cond = &r->req.items[i];
		int unknown;
		if (platci_policy__holds(p, root, cond, &at, &failed_op))
			continue;
		unknown = is_unknown(cond, at, marker);
		if (!unknown || !r->unknown_passes)
			error = report(p, r, t, cond, failed_op, unknown, out, usage);
	}
	return error;
}

int platci_policy_eval_change(const platci_policy *p, const platci_tfplan_change *change,
	const char *env, const char *file, platci_findings *out, size_t *usage)
{
	plan_target t;
	platci_doc *doc = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(p && change && out);
	if (!p->plan || change->source != PLATCI_TFPLAN_CHANGE)
		return 0;
	t.change = change;
	t.action = platci_plan__action_word(change->action);
	t.env = env;
	t.file = file;
	for (size_t i = 0; i < p->nrules && !error; i++) {
		const pol_rule *r = &p->rules[i];
		if (!covers_change(p, &r->match, &t))
			continue;
		if (!doc && (error = after_doc(&doc, change)) < 0)
			break;
		error = eval_rule(p, r, &t, platci_doc_root_at(doc, 0), out, usage);
	}
	platci_doc_free(doc);
	return error;
}

int platci_policy_is_plan(const platci_policy *p)
{
	return p && p->plan;
}
