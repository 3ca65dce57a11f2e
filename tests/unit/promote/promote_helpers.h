/* Shared by the promotion tests: a copy of the test tree in a temp folder. */
#ifndef PROMOTE_TEST_HELPERS_H
#define PROMOTE_TEST_HELPERS_H

#include "test_helpers.h"

#define PT_TREE PLATCI_TEST_RESOURCES "/promote/tree"
#define PT_EXPECTED PLATCI_TEST_RESOURCES "/promote/expected/stg-to-prd"

typedef struct pt_env {
	char *dir;
	platci_config *cfg;
	platci_diag *diag;
} pt_env;

/* Copies the tree (optionally as a git repository with one commit) and loads its config. */
void pt_setup(pt_env *t, int git);
void pt_teardown(pt_env *t);
/* Runs a shell command in the tree; returns its exit status. */
int pt_sh(const pt_env *t, const char *fmt, ...) PLATCI_PRINTF(2, 3);
/* The file @p rel of the tree (malloc). */
char *pt_read(const pt_env *t, const char *rel, size_t *len);
/* Asserts file @p rel of the tree equals @p path byte for byte. */
void pt_assert_same(const pt_env *t, const char *rel, const char *path);
/* A plan with defaults for from -> to. */
platci_promotion *pt_plan(pt_env *t, platci_promote_options *o, int want);

#endif
