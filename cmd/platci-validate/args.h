/* platci-validate's own flags (the common ones come from cmd/common). */
#ifndef PLATCI_VALIDATE_ARGS_H
#define PLATCI_VALIDATE_ARGS_H

#include "child.h"
#include "cli.h"

typedef struct vargs {
	int all; /* --all */
	int no_fmt; /* --no-terraform-fmt */
	const char *base; /* --base, else CI_MERGE_REQUEST_DIFF_BASE_SHA / CI_COMMIT_BEFORE_SHA */
	const char *head; /* --head, default HEAD */
	const char *threads_arg; /* --threads as given */
	unsigned int threads; /* --threads, 0: one per core */
	int no_render; /* --no-render */
	const char *cache_dir; /* --cache-dir */
	int no_cache; /* --no-cache */
	const char *schemas; /* --schemas DIR, overriding platci.yaml's schemas.dir */
	int strict; /* --strict */
	child_flags child; /* --child-pipeline and the other --child-* flags */
} vargs;

/*
 * Parses argv into @p a (which must outlive @p c: lists live in both).
 * Returns CLI_CONTINUE to go on, else the exit code (0 after --help or
 * --version).
 */
int vargs_parse(vargs *a, cli *c, int argc, char **argv);

#endif
