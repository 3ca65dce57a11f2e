/* The --child-* flags of platci-validate and the child pipeline they write. */
#ifndef PLATCI_VALIDATE_CHILD_H
#define PLATCI_VALIDATE_CHILD_H

#include "cli.h"

typedef struct child_flags {
	const char *file; /* --child-pipeline FILE, or NULL */
	platci_affected_child_options opts; /* --child-component, --child-local, --child-needs */
	cli_list inputs; /* --child-input KEY=VALUE... (freed by cli_dispose) */
} child_flags;

/* The option table rows of the --child-* flags, filling the child_flags at @p f. */
#define CHILD_OPTS(f) \
	{ CLI_OPT_VALUE, "child-pipeline", 0, &(f)->file, 0, "FILE", \
		"also write a GitLab child pipeline planning the envs whose\n" \
		"Terraform the change reaches (docs/validate.md)", \
		CLI_NONEMPTY }, \
		{ CLI_OPT_VALUE, "child-component", 0, &(f)->opts.component, 0, "ADDR", \
			"the plan component it includes (host/path/plan@ref; default\n" \
			"$CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA)", \
			CLI_NONEMPTY }, \
		{ CLI_OPT_VALUE, "child-local", 0, &(f)->opts.local, 0, "FILE", \
			"include this plan template file instead of a component", CLI_NONEMPTY }, \
		{ CLI_OPT_VALUE, "child-needs", 0, &(f)->opts.parent_job, 0, "JOB", \
			"the parent job whose artifacts hold platci (needs:pipeline:job)", CLI_NONEMPTY }, \
	{ \
		CLI_OPT_LIST, "child-input", 0, &(f)->inputs, 0, "KEY=VAL", \
			"pass an input to the plan template (repeatable; JSON stays typed)", CLI_NONEMPTY \
	}

void child_init(child_flags *f);

/* Refuses bad --child-* values before any work: 0, or CLI_EXIT_USAGE (printed). */
int child_check(cli *c, child_flags *f);

/* Writes the child pipeline when --child-pipeline was given; returns an exit code. */
int child_write(cli *c, const child_flags *f, const platci_affected *a);

#endif
