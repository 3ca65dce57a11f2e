/* Private layout of a loaded policy set, shared by the loader and the evaluator. */
#ifndef PLATCI_SRC_POLICY_INT_H
#define PLATCI_SRC_POLICY_INT_H

#include <regex.h>

#include "platci/policy.h"
#include "platci/query.h"

typedef enum {
	Q_ALL = 0,
	Q_ANY,
	Q_NONE
} pol_quant;

typedef enum {
	OP_EXISTS = 1, OP_ABSENT, OP_ABSENT_OR, OP_EQUALS, OP_NOT_EQUALS, OP_IN, OP_NOT_IN,
	OP_REGEX, OP_NOT_REGEX, OP_GLOB, OP_QUANTITY, OP_IMAGE_REGISTRY, OP_IMAGE_TAG,
	OP_IMAGE_DIGEST, OP_ALL_OF, OP_ANY_OF, OP_NOT, OP_HAS_KEY, OP_RELATED
} pol_op_type;

typedef enum { BASE_CURRENT = 0, BASE_POD, BASE_ROOT } pol_base;

typedef struct pol_cond pol_cond;

typedef struct pol_op {
	pol_op_type type;
	int flag;                 /* exists/absent/present value */
	const platci_node *value; /* equals/in/glob value (borrowed from the policy doc) */
	const platci_node *in;    /* image in / tag in lists */
	const platci_node *not_in;
	regex_t re;
	int has_re;
	int has_flag;
	double q[4];              /* gte, lte, gt, lt */
	int has_q[4];
	pol_cond *subs;
	size_t nsubs;
	/* related */
	const char *rel_kind;
	platci_query *rel_ns;     /* where the namespace comes from, relative to the object */
} pol_op;

struct pol_cond {
	char *path;          /* as written, for messages */
	pol_base base;
	platci_query *q;     /* NULL: the base node itself */
	pol_quant quant;
	pol_op *ops;
	size_t nops;
	size_t line, column;
};

typedef struct pol_strlist {
	const char **items;
	size_t count;
} pol_strlist;

typedef struct pol_match {
	pol_strlist kinds, namespaces, names, paths, environments;
	const platci_node *labels; /* mapping key -> glob */
	int protected_only;        /* -1 any, 0 unprotected, 1 protected */
} pol_match;

typedef struct pol_each {
	pol_base base;
	platci_query *q;
	char *path;
} pol_each;

typedef struct pol_rule {
	const char *id;
	const char *title;
	const char *message;
	platci_severity severity;
	pol_match match;
	pol_cond *when;
	size_t nwhen;
	pol_each *each;
	size_t neach;
	pol_cond *req;
	size_t nreq;
	const platci_node *enforcement; /* mapping env -> warn|deny, or NULL */
	size_t line;
} pol_rule;

typedef struct pol_exception {
	pol_strlist rules;
	pol_match match;
	const char *reason, *ticket, *expires_text;
	time_t expires;
	int expired;
	const char *invalid; /* why it cannot be used, or NULL */
	size_t line, column;
	char *label;         /* "exception <n> (ticket)" for waivers */
} pol_exception;

struct platci_policy {
	platci_doc *doc;
	char *name;
	const platci_node *kind_sets;   /* mapping name -> list of kinds */
	const platci_node *enforcement; /* default mapping */
	pol_rule *rules;
	size_t nrules;
	pol_exception *exc;
	size_t nexc;
	long max_days;
	const char *related_kinds[16];
	size_t nrelated;
	char **strings;
	size_t nstrings, astrings;
};

void platci_policy__cond_dispose(pol_cond *c);

#endif
