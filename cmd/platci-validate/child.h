/* The --child-* flags of platci-validate and the child pipeline they write. */
#ifndef PLATCI_VALIDATE_CHILD_H
#define PLATCI_VALIDATE_CHILD_H

#include "cli.h"

typedef struct child_flags {
	const char *file;                    /* --child-pipeline FILE, or NULL */
	platci_affected_child_options opts;  /* --child-component, --child-local, --child-needs */
	const char **inputs;                 /* --child-input KEY=VALUE..., NULL-terminated */
	size_t ninputs;
} child_flags;

#define CHILD_HELP \
	"  --child-pipeline FILE   also write a GitLab child pipeline planning the envs whose\n" \
	"                          Terraform the change reaches (docs/validate.md)\n" \
	"  --child-component ADDR  the plan component it includes (host/path/plan@ref; default\n" \
	"                          $CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA)\n" \
	"  --child-local FILE      include this plan template file instead of a component\n" \
	"  --child-needs JOB       the parent job whose artifacts hold platci (needs:pipeline:job)\n" \
	"  --child-input KEY=VAL   pass an input to the plan template (repeatable; JSON stays typed)\n"

void child_init(child_flags *f);
void child_dispose(child_flags *f);

/* Consumes a --child-* flag: 1 consumed, 0 not one, CLI_EXIT_USAGE on a usage error. */
int child_flag(cli *c, child_flags *f, int argc, char **argv, int *i);

/* Refuses bad --child-* values before any work: 0, or CLI_EXIT_USAGE (printed). */
int child_check(cli *c, const child_flags *f);

/* Writes the child pipeline when --child-pipeline was given; returns an exit code. */
int child_write(cli *c, const child_flags *f, const platci_affected *a);

#endif
