/* Private model of gates.yaml, shared by gate_*.c. */
#ifndef PLATCI_GATE_INT_H
#define PLATCI_GATE_INT_H

#include "platci/gate.h"
#include "waiver.h"

enum { DESTROY_UNSET = -1, DESTROY_ALLOW = 0, DESTROY_DENY = 1, DESTROY_LABEL = 2 };

typedef struct gate_week {
	const platci_node *node; /* NULL: the window is a date range */
	int from_min, to_min; /* minutes since Monday 00:00, local */
} gate_week;

typedef struct gate_window {
	const char *name;
	const char *reason;
	gate_week weekly;
	time_t from, to; /* range: UTC instants, [from, to) */
	const platci_node *from_node, *to_node;
} gate_window;

typedef struct gate_rules {
	const char *name; /* environment, or NULL for defaults */
	const char *description;
	long min_approvals; /* -1 unset */
	int require_promotion; /* -1 unset */
	int destroy; /* DESTROY_* */
	const char *destroy_label;
	long destroy_extra_approvals; /* -1 unset */
	long max_changes; /* -1 unset */
	long min_soak; /* seconds; -1 unset */
	int require_reviewed; /* require_reviewed_plan; -1 unset */
	double max_increase; /* max_monthly_increase; < 0 unset */
	rf_strs protected_list; /* as written; NULL items: unset */
	const char *const *protected_types;
	size_t nprotected;
	int protected_set;
	rf_list freeze; /* of gate_window */
	const gate_window *windows;
	size_t nwindows;
} gate_rules;

/* A waiver of gate rules in some environments, for a while (waiver.h). */
typedef struct gate_exception {
	waiver_base w;
	rf_strs rule, rules; /* as written */
	rf_strs envs; /* items NULL: every environment */
} gate_exception;

struct platci_gate_policy {
	platci_doc *doc; /* the strings are the document's */
	platci_arena arena;
	const char *zone;
	int offset_min;
	gate_rules defaults;
	rf_list envs; /* of gate_rules */
	rf_list exceptions; /* of gate_exception */
};

#define GATE_MAX_RULES 16

struct platci_gate_result {
	platci_gate_decision decision;
	char *env;
	char *commit;
	time_t now;
	platci_gate_rule rules[GATE_MAX_RULES];
	json_t *inputs[GATE_MAX_RULES]; /* what each rule looked at, for decision.json, or NULL */
	size_t nrules;
};

/*
 * Adds rule @p id with its outcome, its reason (printf) and @p inputs
 * (taken, may be NULL). @return 0, PLATCI_EINVALID (too many) or PLATCI_ENOMEM.
 */
int platci_gate__rule(platci_gate_result *r, const char *id, platci_gate_outcome o, json_t *inputs,
	const char *fmt, ...) PLATCI_PRINTF(5, 6);

/* The rules of gate_checks.c: plan policy, reviewed plan, soak and cost. */
int platci_gate__plan_policy(platci_gate_result *r, const platci_gate_options *o);
int platci_gate__reviewed(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	const platci_gate_options *o);
int platci_gate__soak(platci_gate_result *r, const gate_rules *g, const platci_facts *facts,
	const platci_gate_options *o, const char *sha);
int platci_gate__cost(platci_gate_result *r, const gate_rules *g, const platci_gate_options *o);

/* The rules for @p env: the environment's own, falling back to defaults. */
void platci_gate__resolve(gate_rules *out, const platci_gate_policy *p, const char *env);

/*
 * Applies the policy's exceptions to evaluated rules: a denying or waiting
 * rule that a live exception names for @p env passes, its reason saying
 * which exception and until when; an expired one that would have covered
 * it is named in the reason. Reasons are malloc'd strings (replaced here).
 * @return 0 or PLATCI_ENOMEM.
 */
int platci_gate__waive(const platci_gate_policy *p, const char *env, time_t now,
	platci_gate_rule *rules, size_t n);

#endif
