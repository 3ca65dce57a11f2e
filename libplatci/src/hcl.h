/*
 * A small, careful HCL scanner: the few Terraform facts validation needs
 * (blocks with their labels, attributes whose value is one string
 * literal), not an evaluator. Object values (`aws = { source = ... }`)
 * are entered like blocks named after the attribute.
 */
#ifndef PLATCI_SRC_HCL_H
#define PLATCI_SRC_HCL_H

#include "platci/diag.h"

#define HCL_TOP ((size_t)-1)

typedef struct hcl_block {
	char *type;
	char *labels[2];
	size_t nlabels;
	size_t parent; /* HCL_TOP at the top level */
	size_t line, column;
} hcl_block;

typedef struct hcl_attr {
	char *name;
	char *value; /* the string literal, or NULL for any other expression */
	size_t block; /* enclosing block, HCL_TOP at the top level */
	size_t line, column;
	/*
	 * The expression's bytes in the scanned source, [expr_start,
	 * expr_end): for the callers that follow references (nodepools_tf.c).
	 * An object value (entered as a block) has none (both 0).
	 */
	size_t expr_start, expr_end;
} hcl_attr;

typedef struct hcl_file {
	hcl_block *blocks;
	size_t nblocks, ablocks;
	hcl_attr *attrs;
	size_t nattrs, aattrs;
} hcl_file;

/* Scans @p src. Returns 0, PLATCI_ESYNTAX (diagnostic with position) or PLATCI_ENOMEM. */
int platci__hcl_scan(hcl_file *out, const char *src, size_t len, const char *name, platci_diag *diag);
void platci__hcl_dispose(hcl_file *f);

/* The string value of attribute @p name directly in block @p b, or NULL. */
const char *platci__hcl_attr(const hcl_file *f, size_t b, const char *name, const hcl_attr **at);

#endif
