/* Diff mode: what changed since the merge base, and the merge base's own tree for comparison. */
#ifndef PLATCI_VALIDATE_DIFF_H
#define PLATCI_VALIDATE_DIFF_H

#include "args.h"
#include "cli.h"

typedef struct vdiff {
	platci_git *git;
	platci_changes *changes; /* NULL outside diff mode */
	platci_config *base_cfg; /* the merge base's platci.yaml, or NULL: not compared */
	platci_findings *fixed; /* the merge base's findings the change removes */
	char base_dir[4096]; /* a temporary folder holding the merge base's files, or "" */
	char merge_base[PLATCI_GIT_OID_HEX_SIZE];
	char head_sha[PLATCI_GIT_OID_HEX_SIZE];
	platci_affected_meta meta;
} vdiff;

/*
 * In diff mode (a->base): the merge base, the changed files, and the merge
 * base's tree exported to a temporary folder (never the working tree) with
 * its configuration. Returns 0 or an exit code (the problem printed).
 * A merge base that cannot be compared is a warning, not a stop.
 */
int vdiff_open(vdiff *d, cli *c, const platci_config *cfg, const vargs *a);

/* Frees @p d and removes its temporary folder. */
void vdiff_close(vdiff *d);

#endif
