/* The validator's walk state, shared by schema_validate.c and schema_validate_object.c. */
#ifndef PLATCI_SRC_SCHEMA_EVAL_H
#define PLATCI_SRC_SCHEMA_EVAL_H

#include "schema_int.h"
#include "schema_violation.h"

typedef struct vctx {
	const sch *object_meta;
	platci_schema_violations *out;
	const char *source;
	int strict, k8s, partial;
	size_t max_violations, max_depth, depth, recorded;
	int quiet; /* > 0: speculative, record nothing, stop at the first failure */
	int stopped; /* the violation cap was reached: stop everywhere */
	int error; /* PLATCI_ENOMEM */
	platci_schema_seg *path;
	size_t npath, path_alloc;
} vctx;

/* Records a violation at @p at (nothing while quiet). */
void platci_schema__report(vctx *c, platci_schema_problem problem, const char *keyword,
	const platci_node *at, const char *fmt, ...) PLATCI_PRINTF(5, 6);
/* Applies @p s to @p n: 0 valid, 1 invalid. */
int platci_schema__eval(vctx *c, const sch *s, const platci_node *n);
/* Applies @p s to a child: a mapping value under @p key, or item @p index. */
int platci_schema__eval_child(vctx *c, const sch *s, const platci_node *key, size_t index,
	const platci_node *n);
int platci_schema__push_key(vctx *c, const platci_node *key);
int platci_schema__push_index(vctx *c, size_t i);
int platci_schema__check_type(vctx *c, const sch *s, const platci_node *n, unsigned t);
const char *platci_schema__short_name(const sch *s);

/* schema_validate_object.c */
int platci_schema__check_array(vctx *c, const sch *s, const platci_node *n);
int platci_schema__check_object(vctx *c, const sch *s, const platci_node *n);
int platci_schema__check_any_of(vctx *c, const sch *s, const platci_node *n);
int platci_schema__check_one_of(vctx *c, const sch *s, const platci_node *n);

#endif
