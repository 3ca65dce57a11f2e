/* Private layout of a loaded policy set, shared by the loader and the evaluator. */
#ifndef PLATCI_SRC_POLICY_INT_H
#define PLATCI_SRC_POLICY_INT_H

#include <regex.h>

#include "platci/buf.h"
#include "platci/policy.h"
#include "platci/query.h"
#include "waiver.h"

typedef enum { Q_ALL = 0, Q_ANY, Q_NONE } pol_quant;

typedef enum {
	OP_EXISTS = 1,
	OP_ABSENT,
	OP_ABSENT_OR,
	OP_EQUALS,
	OP_NOT_EQUALS,
	OP_IN,
	OP_NOT_IN,
	OP_REGEX,
	OP_NOT_REGEX,
	OP_GLOB,
	OP_QUANTITY,
	OP_IMAGE_REGISTRY,
	OP_IMAGE_TAG,
	OP_IMAGE_DIGEST,
	OP_ALL_OF,
	OP_ANY_OF,
	OP_NOT,
	OP_HAS_KEY,
	OP_RELATED
} pol_op_type;

typedef enum { BASE_CURRENT = 0, BASE_POD, BASE_ROOT } pol_base;

typedef struct pol_cond pol_cond;

typedef struct pol_conds {
	pol_cond *items;
	size_t count;
} pol_conds;

typedef struct pol_op {
	pol_op_type type;
	int flag; /* exists/absent/present value */
	const platci_node *value; /* equals/in/glob value (borrowed from the policy doc) */
	const platci_node *in; /* image in / tag in lists */
	const platci_node *not_in;
	regex_t re;
	int has_re;
	int has_flag;
	double q[4]; /* gte, lte, gt, lt */
	int has_q[4];
	pol_conds subs;
	/* related */
	const char *rel_kind;
	const char *rel_ns_text; /* namespaceFrom as written */
	platci_query *rel_ns; /* where the namespace comes from, relative to the object */
} pol_op;

struct pol_cond {
	const char *path; /* as written, for messages */
	pol_base base;
	platci_query *q; /* NULL: the base node itself */
	pol_quant quant;
	pol_op *ops;
	size_t nops;
};

typedef rf_strs pol_strlist;

typedef struct pol_match {
	pol_strlist kinds, namespaces, names, paths, environments;
	pol_strlist types, addresses, actions; /* plan policies (kind: PlanPolicy) */
	const platci_node *labels; /* mapping key -> glob */
	int protected_only; /* -1 any, 0 unprotected, 1 protected */
	const platci_node *node; /* where it is written, or NULL */
} pol_match;

typedef struct pol_each {
	pol_base base;
	platci_query *q;
	const char *path;
} pol_each;

typedef struct pol_rule {
	const char *id;
	const char *title;
	const char *message;
	const char *description;
	platci_severity severity;
	pol_match match;
	pol_conds when;
	pol_strlist each_paths; /* forEach as written */
	pol_each *each;
	size_t neach;
	pol_conds req;
	const platci_node *enforcement; /* mapping env -> warn|deny, or NULL */
	int unknown_passes; /* plan rules: a value known only after apply passes */
	size_t line;
} pol_rule;

/* An exception is a waiver (waiver.h) of rules, built-in or the set's own, where match holds. */
typedef struct pol_exception {
	waiver_base w;
	pol_strlist rule, rules; /* as written: `rule: X` or `rules: [..]` */
	pol_strlist ids; /* both together */
	int builtin_only; /* names no rule of the set: findings carry no object */
	pol_match match;
	const char *label; /* "exception #n (ticket, expires ...): reason", for waived findings */
} pol_exception;

typedef struct pol_settings {
	long max_days; /* maxExceptionDays */
} pol_settings;

struct platci_policy {
	platci_doc *doc;
	platci_arena arena; /* conditions, lists, labels */
	const char *name;
	const char *api_version, *kind;
	int plan; /* kind: PlanPolicy, rules over Terraform plan changes */
	time_t now; /* the clock the exceptions were judged with */
	pol_settings settings;
	const platci_node *kind_sets; /* mapping name -> list of kinds */
	const platci_node *enforcement; /* default mapping */
	rf_list rule_list; /* of pol_rule */
	pol_rule *rules;
	size_t nrules;
	rf_list exc_list; /* of pol_exception */
	pol_exception *exc;
	size_t nexc;
	const char *related_kinds[16];
	size_t nrelated;
};

/* include/exclude list: "!x" excludes; when any plain entry exists one must match. */
int platci_policy__list_ok(const platci_policy *p, const pol_strlist *l, const char *v, int kinds);

/*
 * The first live exception that names @p rule_id and whose match @p covers
 * accepts, or NULL. Every exception that matches, live or expired, counts
 * in @p usage (may be NULL): an expired one's report says what came back.
 */
typedef int (*pol_covers)(const platci_policy *p, const pol_match *m, const void *payload);
const pol_exception *platci_policy__exception(const platci_policy *p, const char *rule_id,
	pol_covers covers, const void *payload, size_t *usage);

/*
 * Adds the finding of rule @p r that @p where places (message, file, line,
 * column, env, key; the rest zero): the rule's id and severity, its
 * enforcement in where->env. Then waives it when an exception of the set
 * covers it (as platci_policy__exception() finds one). 0 or PLATCI_ENOMEM.
 */
int platci_policy__add_finding(platci_findings *out, const platci_policy *p, const pol_rule *r,
	const platci_finding *where, pol_covers covers, const void *payload, size_t *usage);

/*
 * Whether @p cond holds on @p node (`$` is @p root): 1 or 0. When it does
 * not, *fail_at is the deepest node reached (NULL when none) and
 * *failed_op the operator that failed. For plan changes, where there is
 * no pod and no related object.
 */
int platci_policy__holds(const platci_policy *p, const platci_node *root, const pol_cond *cond,
	const platci_node **fail_at, int *failed_op);

/* "must equal" and the like, for messages (policy_text.c). */
const char *platci_policy__op_text(const pol_op *op);

/* The values an operator compares with, as ` "x"` or ` [a, b]`, appended to @p b. */
void platci_policy__describe_op(platci_buf *b, const pol_op *op);

/*
 * A failed condition in words, appended to @p b: the rule's own message, or
 * "<title>: <cond's path, or @p subject> <op> <values>" (@p op NULL: "fails").
 * Returns 1 when it wrote that generated text (a caller may add detail), 0
 * when it wrote the rule's message.
 */
int platci_policy__failure_text(platci_buf *b, const pol_rule *r, const pol_cond *cond,
	const pol_op *op, const char *subject);

/* The enforcement of rule @p r in @p env (the rule's, the set's, then warn). */
int platci_policy__enforcement(const platci_policy *p, const pol_rule *r, const char *env);

/*
 * The labels kustomize gives @p t (platci_policy_target.labels and
 * template_labels) as YAML nodes, so every operator reads them as it reads
 * the document: *m for the object, *tmpl for its pod template (each NULL
 * when none). *doc owns them (NULL when there are none); free it.
 */
int platci_policy__inherited(platci_doc **doc, const platci_node **m, const platci_node **tmpl,
	const platci_policy_target *t);

#endif
