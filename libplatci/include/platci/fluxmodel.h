/**
 * @file platci/fluxmodel.h
 * @brief What one cluster applies: the Flux objects of one environment,
 *        every object rendered by the real kustomize (and helm), and the
 *        findings met on the way.
 *
 * A model starts at a cluster folder (an environment's `cluster:` in
 * platci.yaml, or any folder) as `flux bootstrap` leaves it: a
 * GitRepository `flux-system/flux-system` for this repository and a
 * Kustomization `flux-system/flux-system` that builds the folder. Both
 * are assumed (marked `implicit`) when the tree does not define them.
 * Each Flux Kustomization found in a build is built in turn, as
 * kustomize-controller builds it (docs/render.md says exactly how), until
 * nothing new appears. Names (sourceRef, dependsOn, chartRef, chart
 * sourceRef, valuesFrom, substituteFrom) resolve inside this cluster
 * only, namespaces defaulting to the referring object's own.
 *
 * Everything returned is owned by the model and lives until
 * platci_fluxmodel_free().
 */
#ifndef PLATCI_FLUXMODEL_H
#define PLATCI_FLUXMODEL_H

#include "doc.h"
#include "findings.h"
#include "render.h"

/** No index (a root object has no parent, an object no HelmRelease). */
#define PLATCI_FLUX_NONE ((size_t)-1)

typedef struct platci_fluxmodel platci_fluxmodel;

/** A reference to a Flux object, namespace already defaulted. */
typedef struct platci_fluxmodel_ref {
	const char *kind;
	const char *namespace_;
	const char *name;
} platci_fluxmodel_ref;

/** Where something is written: repo-relative file, 1-based line and column (0 unknown). */
typedef struct platci_fluxmodel_loc {
	const char *file; /**< NULL for implicit (bootstrap) objects */
	size_t line;
	size_t column;
} platci_fluxmodel_loc;

/** A Flux Kustomization of the cluster. */
typedef struct platci_fluxmodel_ks {
	const char *namespace_;
	const char *name;
	const char *path; /**< spec.path as written ("" when absent) */
	const char *repo_path; /**< the repo-relative folder it builds, or NULL (external source) */
	platci_fluxmodel_ref source; /**< spec.sourceRef */
	platci_fluxmodel_ref *depends_on;
	size_t depends_on_count;
	platci_fluxmodel_loc loc; /**< the object's position */
	size_t parent; /**< the Kustomization whose build holds it, or PLATCI_FLUX_NONE */
	int implicit; /**< 1: the bootstrap root, assumed */
	int rendered; /**< 1: kustomize built it */
	size_t object_count; /**< objects its build applies */
	const char *reason; /**< why it was not rendered, or NULL */
} platci_fluxmodel_ks;

/** A HelmRelease of the cluster. */
typedef struct platci_fluxmodel_hr {
	const char *namespace_;
	const char *name;
	const char *chart; /**< chart name or path; for chartRef the referenced object's name */
	const char *version; /**< chart.spec.version, or the OCIRepository's ref (tag, semver or digest) */
	platci_fluxmodel_ref chart_source; /**< chart.spec.sourceRef or chartRef */
	int uses_chart_ref; /**< 1: spec.chartRef */
	platci_fluxmodel_loc loc;
	size_t parent; /**< the Kustomization that applies it */
	int rendered; /**< 1: helm template ran */
	size_t object_count;
	const char *reason; /**< why it was not rendered, or NULL */
} platci_fluxmodel_hr;

/** A source (GitRepository, OCIRepository, HelmRepository, HelmChart, Bucket, ExternalArtifact). */
typedef struct platci_fluxmodel_source {
	const char *kind;
	const char *namespace_;
	const char *name;
	const char *url; /**< spec.url, or NULL */
	const char *ref; /**< `branch:main`, `tag:v1`, `semver:>=4.0.0`, `digest:...`, `commit:...`, or NULL */
	const char *dir; /**< local folder (repo-relative, "." for the root, or absolute for
				     --sources folders outside it), or NULL when external */
	const char *generator; /**< ExternalArtifact: `namespace/name` of its ArtifactGenerator, or NULL */
	platci_fluxmodel_loc loc;
	size_t parent;
	int implicit;
} platci_fluxmodel_source;

/** An ExternalArtifact an ArtifactGenerator produces, and what it holds. */
typedef struct platci_fluxmodel_artifact {
	const char *namespace_;
	const char *name;
	const char *generator; /**< `namespace/name` */
	platci_fluxmodel_loc loc; /**< the artifact's entry in the generator */
	const char *const *files; /**< artifact path, repo path, artifact path, repo path... NULL-terminated */
	size_t file_count; /**< pairs */
	const char *reason; /**< why its layout is unknown (an external source), or NULL */
} platci_fluxmodel_artifact;

/** One object the cluster applies, as rendered. */
typedef struct platci_fluxmodel_object {
	const char *api_version;
	const char *kind;
	const char *namespace_; /**< NULL for cluster-scoped objects */
	const char *name;
	const char *yaml; /**< the object as applied, substitution done; Secret values NOT
				     masked (mask with platci_fluxmodel_object_yaml_masked()) */
	size_t yaml_len;
	const platci_node *root; /**< the parsed object */
	platci_fluxmodel_loc loc; /**< where it comes from; the producer's position when unknown */
	size_t kustomization; /**< the Kustomization that applies it */
	size_t helmrelease; /**< the HelmRelease whose chart made it, or PLATCI_FLUX_NONE */
} platci_fluxmodel_object;

/** A `--sources NAME=DIR` entry: a source read from a local folder. */
typedef struct platci_fluxmodel_local_source {
	const char *name; /**< a source name, or `namespace/name` */
	const char *dir; /**< folder (absolute or relative to the working directory) */
} platci_fluxmodel_local_source;

typedef struct platci_fluxmodel_options {
	unsigned int version; /**< PLATCI_FLUXMODEL_OPTIONS_VERSION */
	const char *root; /**< repository folder */
	const char *cluster; /**< repo-relative cluster folder to start from */
	const char *env; /**< environment name for findings (NULL: the folder) */
	const platci_render_tools *tools;
	const platci_fluxmodel_local_source *sources;
	size_t source_count;
	const char *chart_cache; /**< folder of charts (`NAME-VERSION.tgz` or `NAME/`), or NULL */
	const char *cache_dir; /**< render cache folder, or NULL for none */
	const char *const *cache_exclude; /**< repo-relative folders not hashed into cache keys */
	unsigned int jobs; /**< parallel renders; 0: 2 */
	int strict; /**< non-zero: "not rendered" findings deny */
	unsigned int timeout_ms; /**< per child process; 0: 120 s */
	size_t max_kustomizations; /**< 0: 2,000 per cluster */
	const char *const *child_env; /**< environment of the children (NULL: a minimal one) */
	size_t max_generated; /**< documents a generated kustomization may list; 0: 2,000 */
} platci_fluxmodel_options;

#define PLATCI_FLUXMODEL_OPTIONS_VERSION 1
#define PLATCI_FLUXMODEL_OPTIONS_INIT \
	{ \
		PLATCI_FLUXMODEL_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, \
			NULL, 0, 0, 0, 0, NULL, 0 \
	}

PLATCI_BEGIN_DECL

/**
 * Builds the model of one cluster. Findings (rule ids `render.*`, each at
 * file:line:column, env set) are appended to @p findings; tool and I/O
 * trouble that stops the run goes to @p diag.
 * @return 0 (even with findings); PLATCI_EINVALID (bad options),
 *         PLATCI_ENOTFOUND (the cluster folder is missing),
 *         PLATCI_EUNSAFE (it leaves the root), PLATCI_ENOMEM, PLATCI_EIO.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_build(platci_fluxmodel **out, const platci_fluxmodel_options *opts,
	platci_findings *findings, platci_diag *diag);

/** Frees @p m. NULL is a no-op. */
PLATCI_EXTERN(void) platci_fluxmodel_free(platci_fluxmodel *m);

/** The environment (or folder) the model is about. */
PLATCI_EXTERN(const char *) platci_fluxmodel_env(const platci_fluxmodel *m);
/** The cluster folder it started from (repo-relative). */
PLATCI_EXTERN(const char *) platci_fluxmodel_cluster(const platci_fluxmodel *m);

PLATCI_EXTERN(size_t) platci_fluxmodel_ks_count(const platci_fluxmodel *m);
PLATCI_EXTERN(const platci_fluxmodel_ks *)
platci_fluxmodel_ks_at(const platci_fluxmodel *m, size_t i);
PLATCI_EXTERN(size_t) platci_fluxmodel_hr_count(const platci_fluxmodel *m);
PLATCI_EXTERN(const platci_fluxmodel_hr *)
platci_fluxmodel_hr_at(const platci_fluxmodel *m, size_t i);
PLATCI_EXTERN(size_t) platci_fluxmodel_source_count(const platci_fluxmodel *m);
PLATCI_EXTERN(const platci_fluxmodel_source *)
platci_fluxmodel_source_at(const platci_fluxmodel *m, size_t i);
PLATCI_EXTERN(size_t) platci_fluxmodel_artifact_count(const platci_fluxmodel *m);
PLATCI_EXTERN(const platci_fluxmodel_artifact *)
platci_fluxmodel_artifact_at(const platci_fluxmodel *m, size_t i);
/** Objects in a stable order: by Kustomization, then as the build emitted them. */
PLATCI_EXTERN(size_t) platci_fluxmodel_object_count(const platci_fluxmodel *m);
PLATCI_EXTERN(const platci_fluxmodel_object *)
platci_fluxmodel_object_at(const platci_fluxmodel *m, size_t i);

/**
 * Renders built and served from the cache during platci_fluxmodel_build().
 * Either output may be NULL; both are 0 when @p m is NULL.
 */
PLATCI_EXTERN(void)
platci_fluxmodel_stats(size_t *builds_out, size_t *cache_hits_out, const platci_fluxmodel *m);

/**
 * Appends object @p i's YAML to @p out with every value under a Secret's
 * `data` and `stringData` replaced by `"***"`.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_object_yaml_masked(platci_buf *out, const platci_fluxmodel *m, size_t i);

/**
 * Appends the JSON of one cluster for render.json (docs/render.md):
 * environment, cluster path, Kustomizations, HelmReleases, sources,
 * artifacts, and the findings of @p findings whose env is this model's.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_json(platci_buf *out, const platci_fluxmodel *m, const platci_findings *findings);

/**
 * Writes every object of @p m to `@p dir/<namespace or _cluster>/<kind>.<name>.yaml`
 * (Secret values masked), atomically, after removing what @p dir held.
 * @return 0, PLATCI_EIO (with a diagnostic) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_write_objects(const platci_fluxmodel *m, const char *dir, platci_diag *diag);

/**
 * Renders the whole render.json (docs/render.md, docs/render.schema.json):
 * the tools and their versions, then one entry per model.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_render_json(platci_buf *out, const platci_fluxmodel *const *models, size_t count,
	const platci_render_tools *tools, const platci_findings *findings);

/** What a rendered diff found. */
typedef struct platci_fluxmodel_diff_counts {
	size_t added;
	size_t removed;
	size_t changed;
} platci_fluxmodel_diff_counts;

/**
 * Compares two renders of one environment by object identity (API group,
 * kind, namespace, name) and appends a unified diff to @p out: per object
 * added (`--- /dev/null`), removed (`+++ /dev/null`) or changed, named as
 * in platci_fluxmodel_write_objects() (`a/<namespace or _cluster>/<kind>.<name>.yaml`),
 * in identity order. Secret `data`/`stringData` and every value under a
 * key that looks like a credential (password, token, secret, apiKey,
 * privateKey...; not `secretName`, `...Ref`) are `"***"`; a change only
 * a masked value makes is listed as "values masked", never shown.
 * @p base or @p head may be NULL (nothing rendered there).
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_diff(platci_buf *out, platci_fluxmodel_diff_counts *counts,
	const platci_fluxmodel *base, const platci_fluxmodel *head);

/**
 * The Markdown for a merge request note of a rendered diff made of
 * `# environment NAME...` sections (platci_validate_options.rendered_diff):
 * one collapsible section per environment, within @p budget bytes in all
 * (0: 60,000); a section that does not fit is cut at a line and a closing
 * line points at @p artifact_url (NULL: names the `rendered.diff` artifact).
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_fluxmodel_diff_markdown(platci_buf *out, const char *diff, size_t len, size_t budget,
	const char *artifact_url);

PLATCI_END_DECL

#endif
