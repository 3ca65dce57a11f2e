/* Affected environments: the marks, shared by affected.c and affected_child.c. */
#ifndef PLATCI_AFFECTED_INT_H
#define PLATCI_AFFECTED_INT_H

#include "platci/affected.h"

typedef struct platci_affected__mark {
	char *path;
	char *via;
	unsigned int kind; /* PLATCI_AFFECTED_* bits */
} platci_affected__mark;

typedef struct platci_affected__env {
	const platci_env *env;
	platci_affected__mark *marks;
	size_t count, alloc;
	unsigned int kinds; /* union of the marks' kinds */
} platci_affected__env;

struct platci_affected {
	const platci_config *cfg;
	platci_affected__env *envs;
	size_t nenvs;
};

#endif
