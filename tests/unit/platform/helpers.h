/* Shared by the platform model's unit tests: a sandbox with the fixture reports and repository. */
#ifndef PLATCI_TEST_PLATFORM_HELPERS_H
#define PLATCI_TEST_PLATFORM_HELPERS_H

#include <jansson.h>

#include "test_helpers.h"

#define PF_NOW 1795662000 /* 2026-11-26T03:00:00Z */

typedef struct pf_case {
	char *dir; /* sandbox: reports/, repo/ and out/ */
	char reports[512];
	char repo[512];
	char out[512];
	platci_config *cfg;
	platci_platform *p;
	platci_diag *diag;
	json_t *json; /* platform.json, after pc_build() */
	char *html; /* index.html, after pc_build() */
} pf_case;

/* Copies tests/resources/report/{reports,repo} into a new sandbox. */
void pc_init(pf_case *c);
void pc_dispose(pf_case *c);
/* Loads the sandbox's platci.yaml (when @p with_config), builds the model from @p dirs (NULL: reports/). */
void pc_build(pf_case *c, int with_config, const platci_platform_options *opts, const char *const *dirs);
/* Writes @p data as sandbox-relative @p name. */
void pc_write(pf_case *c, const char *name, const char *data);
/* The input whose file ends with @p suffix, or NULL. */
const platci_platform_input *pc_input(const pf_case *c, const char *suffix);
/* The element of array @p arr whose member @p key is the string @p value, or NULL. */
json_t *pc_find(json_t *arr, const char *key, const char *value);
/* Number of times @p needle occurs in @p hay. */
size_t pc_count(const char *hay, const char *needle);

#endif
