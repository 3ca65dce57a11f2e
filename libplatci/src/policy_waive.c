/*
 * Applying exceptions: one lookup for the set's own findings (matched on
 * their object while evaluating) and for built-in ones (matched on file and
 * environment once the run's findings are in), then the one report of
 * invalid, expired and unused exceptions (waiver.h).
 */
#include <stdio.h>
#include <string.h>

#include "policy_int.h"
#include "util/common.h"
#include "util/banned.h"

static int names(const pol_exception *x, const char *rule_id)
{
	for (size_t i = 0; i < x->ids.count; i++)
		if (platci__glob_match(x->ids.items[i], rule_id))
			return 1;
	return 0;
}

const pol_exception *platci_policy__exception(const platci_policy *p, const char *rule_id,
	pol_covers covers, const void *payload, size_t *usage)
{
	for (size_t i = 0; i < p->nexc; i++) {
		const pol_exception *x = &p->exc[i];
		if (x->w.invalid || !names(x, rule_id) || !covers(p, &x->match, payload))
			continue;
		if (usage)
			usage[i]++;
		if (!platci_waiver__expired(&x->w, p->now))
			return x;
	}
	return NULL;
}

int platci_policy__add_finding(platci_findings *out, const platci_policy *p, const pol_rule *r,
	const platci_finding *where, pol_covers covers, const void *payload, size_t *usage)
{
	platci_finding f = *where;
	const pol_exception *x;
	int error;

	f.rule_id = r->id;
	f.severity = r->severity;
	f.enforcement = (platci_enforcement)platci_policy__enforcement(p, r, f.env);
	if ((error = platci_findings_add(out, &f)) < 0)
		return error;
	if ((x = platci_policy__exception(p, r->id, covers, payload, usage)) != NULL)
		error = platci_findings_waive(out, platci_findings_count(out) - 1, x->label);
	return error;
}

static int set_rule(const platci_policy *p, const char *id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].id && strcmp(p->rules[i].id, id) == 0)
			return 1;
	return 0;
}

/* A built-in finding names a file and an environment, no object: match on those only. */
static int covers_finding(const platci_policy *p, const pol_match *m, const void *payload)
{
	const platci_finding *f = payload;

	if (m->kinds.count || m->namespaces.count || m->names.count || m->labels || m->protected_only >= 0)
		return 0;
	return platci_policy__list_ok(p, &m->paths, f->file, 0) &&
	       platci_policy__list_ok(p, &m->environments, f->env, 0);
}

int platci_policy_apply(const platci_policy *p, platci_findings *list, size_t *usage)
{
	static const waiver_rules rules = { "policy.exception-invalid", "policy.exception-expired",
		"policy.exception-unused", "this run", 1 };
	size_t n = platci_findings_count(list);
	int error = 0;

	PLATCI_ASSERT_ARG(list);
	if (!p)
		return 0;
	for (size_t k = 0; k < n && !error; k++) {
		const platci_finding *f = platci_findings_at(list, k);
		const pol_exception *x;
		/* the set's own findings were matched on their object by platci_policy_eval() */
		if (f->waiver || set_rule(p, f->rule_id))
			continue;
		if ((x = platci_policy__exception(p, f->rule_id, covers_finding, f, usage)) != NULL)
			error = platci_findings_waive(list, k, x->label);
	}
	for (size_t i = 0; i < p->nexc && error >= 0; i++) {
		const pol_exception *x = &p->exc[i];
		waiver_base w = x->w;
		char label[300], key[64];
		int len;

		w.seen = w.used_expired = usage ? usage[i] : 0;
		len = snprintf(label, sizeof(label), "exception #%zu for ", i + 1);
		for (size_t j = 0; j < x->ids.count && len > 0 && (size_t)len < sizeof(label); j++)
			len += snprintf(label + len, sizeof(label) - (size_t)len, "%s%s",
				j ? ", " : "", x->ids.items[j]);
		snprintf(key, sizeof(key), "exception#%zu", i + 1);
		error = platci_waiver__report(&w, &rules, label, key, NULL, p->now, list);
	}
	return error < 0 ? error : 0;
}
