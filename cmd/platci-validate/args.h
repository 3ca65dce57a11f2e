/* platci-validate's own flags (the common ones come from cmd/common). */
#ifndef PLATCI_VALIDATE_ARGS_H
#define PLATCI_VALIDATE_ARGS_H

#include "child.h"
#include "cli.h"

typedef struct vargs {
	int all;             /* --all */
	int fmt;             /* 0 with --no-terraform-fmt */
	const char *base;    /* --base, else CI_MERGE_REQUEST_DIFF_BASE_SHA / CI_COMMIT_BEFORE_SHA */
	const char *head;    /* --head, default HEAD */
	child_flags child;   /* --child-pipeline and the other --child-* flags */
	unsigned int threads; /* --threads, 0: one per core */
} vargs;

/*
 * Parses argv into @p a. Returns 0 to go on, -1 when --help or --version
 * was printed (exit 0), or a CLI_EXIT_* code to stop with.
 */
int vargs_parse(vargs *a, cli *c, int argc, char **argv);

#endif
