/* Private model of gates.yaml, shared by gate_*.c. */
#ifndef PLATCI_GATE_INT_H
#define PLATCI_GATE_INT_H

#include "platci/gate.h"

enum { DESTROY_UNSET = -1, DESTROY_ALLOW = 0, DESTROY_DENY = 1, DESTROY_LABEL = 2 };

typedef struct gate_window {
	char *name;
	int weekly;              /* 1: recurring weekly; 0: a date range */
	int from_min, to_min;    /* weekly: minutes since Monday 00:00, local */
	time_t from, to;         /* range: UTC instants, [from, to) */
} gate_window;

typedef struct gate_rules {
	char *name;              /* environment, or NULL for defaults */
	long min_approvals;      /* -1 unset */
	int require_promotion;   /* -1 unset */
	int destroy;             /* DESTROY_* */
	char *destroy_label;
	long destroy_extra_approvals; /* -1 unset */
	long max_changes;        /* -1 unset */
	char **protected_types;
	size_t nprotected;
	int protected_set;
	gate_window *windows;
	size_t nwindows;
} gate_rules;

struct platci_gate_policy {
	char *zone;
	int offset_min;
	gate_rules defaults;
	gate_rules *envs;
	size_t nenvs;
};

/* The rules for @p env: the environment's own, falling back to defaults. */
void platci_gate__resolve(gate_rules *out, const platci_gate_policy *p, const char *env);

#endif
