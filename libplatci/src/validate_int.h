/*
 * Private pieces of the validate stage, one file per concern:
 *
 *   validate.c           the run: its phases in order, and the one place
 *                        every finding passes before it reaches the caller
 *   validate_files.c     the file walk, reading and parsing, YAML findings
 *   validate_pool.c      the worker threads of the load and check phases
 *   validate_tree.c      the per-environment tree model (Flux sources,
 *                        kustomize builds, which environment reaches a file)
 *   validate_labels.c    what the builds reaching a document add to it
 *                        (namespace, inherited labels)
 *   validate_dups.c      object identities and the duplicate-object check
 *   validate_checks.c    per-document and tree-wide checks
 *   validate_affected.c  affected environments and which findings a change keeps
 *   validate_baseline.c  the comparison with the merge base
 *   validate_render.c    each cluster rendered (fluxmodel.h) and judged as rendered;
 *                        the rendered diff against the merge base
 *   validate_tf.c, validate_ci.c  Terraform layout and .gitlab-ci.yml
 *   validate_schema.c    objects against their schemas, pods against node pools
 */
#ifndef PLATCI_SRC_VALIDATE_INT_H
#define PLATCI_SRC_VALIDATE_INT_H

#include <stdint.h>

#include "platci/config.h"
#include "platci/findings.h"
#include "platci/kustomize.h"
#include "platci/policy.h"
#include "platci/validate.h"

/* What the duplicate check needs of a document once the document itself is gone. */
typedef struct idrec {
	char *api_version;
	char *gk; /* group/kind */
	char *ns; /* metadata.namespace, or NULL */
	char *name;
	char *key; /* gk/namespace/name as written: the duplicate key when nothing transforms it */
	uint64_t hash;
	int cluster_scoped;
	size_t line, column;
} idrec;

/*
 * The labels every build reaching a document adds (kustomize `labels`,
 * `commonLabels`): a key stays when each build sets it; its value when
 * they all agree.
 */
typedef struct lblset {
	int seen;
	const char **m; /* metadata: NULL-terminated key,value...; strings borrowed from the resolver */
	const char **t; /* pod templates */
} lblset;

enum { ROLE_OBJECTS = 0, ROLE_KFILE, ROLE_AUX, ROLE_POLICY };

typedef struct file_result {
	platci_diag *diag;
	platci_doc *doc;
	platci_findings *findings; /* per-document checks, filled on workers */
	size_t documents;
	size_t nodes;
	int error;
	int empty;
	char *bytes; /* not yet parsed (ordinary files wait for the check phase) */
	size_t len;
	int structural; /* parsed up front and kept: kustomizations, Flux objects, related kinds */
	idrec *ids; /* per document, for the duplicate check */
	size_t nids;
	/* set by the tree phase */
	const char *env; /* environment of the file, or NULL */
	int env_protected;
	int role; /* ROLE_* */
	const char **ns; /* per document (structural files): namespace override, or NULL */
	const char *ns_all; /* the override for every document of an ordinary file */
	lblset *lbl; /* per document (structural files): inherited labels */
	lblset lbl_all; /* the same for every document of an ordinary file */
	size_t nlbl;
	size_t reach; /* bit i: environment i reaches the file (first 64) */
} file_result;

typedef struct env_tree {
	const platci_env *env;
	platci_kbuild *builds; /* cluster folder first, then each Flux Kustomization's path */
	size_t nbuilds, abuilds;
	char **flux_paths; /* visited "dir|targetNamespace" keys */
	size_t npaths, apaths;
} env_tree;

typedef struct src_def {
	const char *kind, *name, *ns;
} src_def;

typedef struct vschema vschema; /* validate_schema.c's state */

/* Everything one run builds; owned by validate.c, which frees it in one place. */
typedef struct vctx {
	const platci_config *cfg;
	const platci_validate_options *opts;
	char **files;
	size_t count;
	file_result *results;
	platci_kustomize *k;
	const char **kpaths; /* the resolver's view of the files (it borrows both arrays) */
	const platci_doc **kdocs;
	env_tree *trees;
	size_t ntrees;
	src_def *srcs; /* sources, Kustomizations (kind "Kustomization") */
	size_t nsrcs, asrcs;
	const char *own_url; /* spec.url of the GitRepository named flux-system */
	platci_policy *policy;
	platci_policy_index *pindex;
	platci_policy_target *targets;
	size_t ntargets, atargets;
	size_t *usage; /* exception use, summed over the workers */
	struct vrender *render; /* validate_render.c's: the rendered clusters, or NULL */
	vschema *schema; /* schemas and node pools (validate_schema.c), or NULL */
} vctx;

/* A finding with the fields most checks set; @p key may be NULL. */
int platci_validate__find(platci_findings *out, const char *rule, platci_severity sev,
	platci_enforcement enf, const char *file, size_t line, size_t col, const char *env,
	const char *key, const char *fmt, ...) PLATCI_PRINTF(10, 11);

/* validate_files.c: phase 0 for file @p i (read; parse the files the tree needs). */
void platci_validate__load_file(vctx *v, size_t i);
/* Parses the bytes read for @p r, if any. Returns 0 or PLATCI_ENOMEM. */
int platci_validate__parse(vctx *v, file_result *r, const char *file);
/* The YAML problems of one file (syntax, duplicate keys, limits, empty) as findings. */
int platci_validate__file_findings(platci_findings *out, const char *file, const file_result *r);
/* 1 when @p needle occurs in the @p len bytes at @p hay. */
int platci_validate__contains(const char *hay, size_t len, const char *needle);
/* Frees what one file's result holds (not the struct itself). */
void platci_validate__file_dispose(file_result *r);

/* validate_pool.c: runs load (0) or check (1) over every file on @p nthreads threads. */
enum { PHASE_LOAD = 0, PHASE_CHECK = 1 };
int platci_validate__run_phase(vctx *v, int phase, size_t nthreads);

/* validate_tree.c: every environment's tree, each file's role and environment. */
int platci_validate__build_trees(vctx *v, platci_findings *out);
/* The source (or Kustomization) @p kind/@p name defined in the repository, or NULL. */
const src_def *platci_validate__find_source(const vctx *v, const char *kind, const char *name,
	const char *ns);
void platci_validate__trees_dispose(vctx *v);

/* validate_labels.c: the namespace and labels the builds reaching each document give it. */
int platci_validate__inherit(vctx *v);
/* The inherited labels of document @p di of @p r. */
const lblset *platci_validate__labels(const file_result *r, size_t di);
void platci_validate__labels_dispose(file_result *r);

/* validate_dups.c: identities of @p r's documents, and the duplicates in one tree. */
int platci_validate__keep_ids(file_result *r);
void platci_validate__ids_dispose(file_result *r);
int platci_validate__duplicates(const vctx *v, const env_tree *t, platci_findings *out);

/* validate_checks.c: one document's checks (worker threads), and the tree-wide ones. */
int platci_validate__check_doc(vctx *v, size_t fi, size_t di, size_t *usage);
int platci_validate__tree_checks(vctx *v, platci_findings *out);

/* validate_affected.c */
int platci_validate__affected(const vctx *v, platci_affected *a);
/* 1 when the change (opts->changes) keeps finding @p f in the report. */
int platci_validate__keep(const vctx *v, const platci_affected *a, const platci_finding *f);

/*
 * validate_baseline.c: adds @p kept (the findings the change reports) to
 * @p out, each compared by fingerprint with @p base (every finding of the
 * merge base): present there, it is existing and its enforcement drops to
 * @p existing; else it is new. Base findings that @p head_all (every
 * finding of the head) no longer has are added to @p fixed (may be NULL).
 */
int platci_validate__compare(platci_findings *out, const platci_findings *kept,
	const platci_findings *head_all, const platci_findings *base, platci_enforcement existing,
	platci_findings *fixed);

/*
 * validate_render.c: renders every environment's cluster with the tools in
 * opts->render and judges what it applies: the render's own findings
 * (render.*), missing fields and chart version ranges on the rendered
 * objects, and the manifest policy on them, each at the object's source
 * file:line:column (else its Flux Kustomization). Source-level findings
 * the render answers better (the policy's, k8s.duplicate-object, the Flux
 * name checks) are dropped from the per-file lists and *@p tree for the
 * files the render covers. With opts->base, each environment is rendered
 * at the merge base too: opts->rendered_diff gets the diff and @p aff
 * marks each environment whose rendered objects change. Without
 * kustomize, one info finding (render.source-only) says validate judged
 * the sources. Runs after platci_validate__affected(), before the merge.
 * Returns 0 or PLATCI_ENOMEM.
 */
int platci_validate__render(vctx *v, platci_affected *aff, platci_findings **tree);

/*
 * The rendered objects of environment @p e (platci_config_env_at() order)
 * for checks that judge what a cluster applies (a schema check, say):
 * iterate platci_fluxmodel_object_count()/_object_at(); obj->root is the
 * parsed object, obj->loc its source position (else its producer's).
 * NULL when that environment was not rendered (no kustomize, rendering
 * off, its cluster could not be modelled): judge the source files then.
 * Valid after platci_validate__render() until the run ends.
 */
const struct platci_fluxmodel *platci_validate__rendered(const vctx *v, size_t e);
void platci_validate__render_dispose(vctx *v);

/* Terraform layout checks over the infra tree (validate_tf.c). */
int platci_validate__tf(const platci_config *cfg, platci_findings *out);

/* .gitlab-ci.yml and its local includes (validate_ci.c). */
int platci_validate__ci(const platci_config *cfg, platci_findings *out);

/*
 * validate_schema.c. Setup (once, before the check phase): the schema
 * folder, the CRDs of schemas.crds and of the tree, each environment's
 * Kubernetes version and node pools; environment-wide notes go to @p out.
 * Errors in the schema folder or schemas.crds stop the run (diagnostics
 * in @p diag); a CRD in the tree that cannot be used is a finding.
 */
int platci_validate__schema_setup(vctx *v, platci_findings *out, platci_diag *diag);
void platci_validate__schema_dispose(vctx *v);

/* An object to check: a document root and where it was read. */
typedef struct vobject {
	const platci_node *root;
	const char *file; /* repo-relative */
	int partial; /* a kustomize patch: missing required fields are not reported */
} vobject;

/*
 * Checks @p n objects as environment @p env_index (its index in
 * platci.yaml) deploys them: schema.invalid, schema.unknown-kind,
 * k8s.api-removed and the node-pool checks, into @p out. Read-only on
 * @p s: safe on worker threads. Any set of objects may be given (the
 * tree's source objects today; rendered output the same way).
 */
int platci_validate__schema_objects(const vschema *s, size_t env_index, const vobject *objs,
	size_t n, platci_findings *out);
/* The objects of file @p fi, for each environment that reaches it (check phase). */
int platci_validate__schema_file(vctx *v, size_t fi);

#endif
