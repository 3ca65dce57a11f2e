/*
 * Private pieces of nodepools.h:
 *
 *   nodepools_tf.c     the Terraform root and its local modules, as frames
 *   nodepools_expr.c   the few expressions followed (var., local., each.,
 *                      merge, concat, distinct, X == "lit" ? a : b)
 *   nodepools_facts.c  the cluster and its pools, from the frames
 *   nodepools_check.c  pods against the pools
 *   nodepools_vm.c     the VM size table
 */
#ifndef PLATCI_SRC_NODEPOOLS_INT_H
#define PLATCI_SRC_NODEPOOLS_INT_H

#include "platci/buf.h"
#include "platci/nodepools.h"
#include "hcl.h"
#include "util/arena.h"

/* One .tf (or .tfvars) file: its source is kept, attribute expressions point into it. */
typedef struct tf_file {
	char *path; /* repo-relative */
	platci_buf src;
	hcl_file f;
	int is_tfvars;
} tf_file;

/* One module instance: a folder's files, and the module block that calls it. */
typedef struct tf_frame {
	char *dir; /* repo-relative */
	tf_file *files;
	size_t nfiles, afiles;
	size_t parent; /* frame index; (size_t)-1 for the root */
	size_t call_file, call_block; /* the `module` block in the parent */
} tf_frame;

typedef struct tf_tree {
	tf_frame *frames;
	size_t nframes, aframes;
	platci_arena arena; /* values */
	size_t depth; /* nested attribute evaluations: `local.a = local.b`, `local.b = local.a` ends */
} tf_tree;

typedef enum {
	TV_UNKNOWN = 0, /* an expression not followed */
	TV_MISSING, /* an attribute an object does not have (an optional one) */
	TV_NULL,
	TV_BOOL, /* s is "true" or "false" */
	TV_STR, /* strings and numbers */
	TV_LIST,
	TV_MAP, /* an object written inline, or built by merge() */
	TV_OBJ /* an object value the scanner entered as a block (lazy) */
} tv_kind;

typedef struct tv {
	tv_kind k;
	const char *s;
	struct tv *items; /* TV_LIST, TV_MAP values */
	const char **keys; /* TV_MAP */
	size_t n;
	size_t frame, file, block; /* TV_OBJ */
} tv;

/* What `each` means where an expression is evaluated. */
typedef struct tv_each {
	const char *key;
	tv value;
	int set;
} tv_each;

/* nodepools_tf.c */
/* @return 0, PLATCI_ENOTFOUND (no root folder), PLATCI_ENOMEM; unreadable files are left out. */
int platci_nodepools__tree_read(tf_tree *t, const char *repo_root, const char *root_dir);
void platci_nodepools__tree_dispose(tf_tree *t);

/* nodepools_expr.c: the value of attribute @p a of file @p file in frame @p frame. */
tv platci_nodepools__eval_attr(tf_tree *t, size_t frame, size_t file, const hcl_attr *a,
	const tv_each *each);
/* Field @p name of an object or map value (TV_MISSING when it lacks one). */
tv platci_nodepools__field(tf_tree *t, const tv *obj, const char *name);
/* @p v as a map of strings (TV_MAP), TV_MAP with n = 0 for missing or null, else TV_UNKNOWN. */
tv platci_nodepools__as_map(tf_tree *t, const tv *v);
/* Instances of a for_each value: *keys and *vals (arena), or -1 when it cannot be followed. */
long platci_nodepools__instances(tf_tree *t, const tv *v, const char ***keys, tv **vals);

#endif
