/**
 * @file platci/fluxstatus.h
 * @brief Live Flux objects read from `kubectl get ... -A -o json`, and Flux revisions.
 *
 * `flux get` has no JSON output, so the live state of a cluster comes from
 * `kubectl get kustomizations,helmreleases,gitrepositories,... -A -o json`:
 * a `kind: List` envelope whose `items[*]` are whole objects. The reader
 * streams the items (bounded memory whatever the cluster size) and keeps
 * only what drift and promotion checks need: conditions, suspend,
 * generations, revisions, source references and dependencies. A single
 * object (`kubectl get ks name -o json`) is accepted too.
 *
 * Several files may be read into one status set, for example one list of
 * Kustomizations and one of sources; lookups then cross files.
 *
 * Revisions follow Flux RFC-0005, `[<named pointer>@]<algo>:<checksum>`
 * (`main@sha1:<40 hex>`, `refs/heads/main@sha1:...`, `sha1:...`,
 * `v1.2.3@sha256:...`), the legacy `<branch>/<sha>` form of pre-2.0
 * objects, bare digests, and plain chart versions (`6.3.5`).
 */
#ifndef PLATCI_FLUXSTATUS_H
#define PLATCI_FLUXSTATUS_H

#include "buf.h"
#include "diag.h"

/** The Flux kinds the reader knows. Other kinds are kept as UNKNOWN. */
typedef enum {
	PLATCI_FLUX_UNKNOWN = 0,
	PLATCI_FLUX_KUSTOMIZATION,
	PLATCI_FLUX_HELMRELEASE,
	PLATCI_FLUX_GITREPOSITORY,
	PLATCI_FLUX_OCIREPOSITORY,
	PLATCI_FLUX_HELMREPOSITORY,
	PLATCI_FLUX_BUCKET,
	PLATCI_FLUX_HELMCHART,
	PLATCI_FLUX_EXTERNALARTIFACT
} platci_flux_kind;

/** A condition's status; ABSENT when the object has no such condition. */
typedef enum {
	PLATCI_FLUX_COND_ABSENT = 0,
	PLATCI_FLUX_COND_TRUE,
	PLATCI_FLUX_COND_FALSE,
	PLATCI_FLUX_COND_UNKNOWN
} platci_flux_cond_status;

/** One entry of `status.conditions`. Strings may be NULL when absent. */
typedef struct platci_flux_condition {
	const char *type; /**< Ready, Reconciling, Stalled, Drifted, ... */
	platci_flux_cond_status status;
	const char *reason;
	const char *message;
} platci_flux_condition;

/** A reference to another object: sourceRef, chartRef or a dependsOn entry. */
typedef struct platci_flux_ref {
	const char *kind; /**< NULL for dependsOn (same kind as the referrer) */
	const char *name;
	const char *namespace_; /**< defaulted to the referrer's namespace */
} platci_flux_ref;

/**
 * One object. Every string is owned by the status set and NULL when the
 * field is absent. `generation` and `observed_generation` are -1 when
 * absent (source-controller itself writes -1 before its first success).
 */
typedef struct platci_flux_object {
	platci_flux_kind kind;
	const char *kind_name; /**< metadata kind as written, e.g. "Kustomization" */
	const char *api_version;
	const char *name;
	const char *namespace_;
	int eol_api; /**< 1 for v1beta*, v2beta* group versions (removed in Flux 2.8) */
	int suspended; /**< spec.suspend == true */
	long long generation;
	long long observed_generation;
	const platci_flux_condition *conditions;
	size_t nconditions;
	const char *last_applied_revision; /**< Kustomization, HelmRelease (v2beta1) */
	const char *last_attempted_revision;
	const char *last_applied_origin_revision; /**< ExternalArtifact sources */
	const char *artifact_revision; /**< sources: status.artifact.revision */
	const char *helm_chart; /**< HelmRelease: status.helmChart "ns/name" */
	const char *chart_version; /**< HelmRelease: spec.chart.spec.version; HelmChart: spec.version */
	const char *history_chart_version; /**< HelmRelease v2: status.history[0].chartVersion */
	platci_flux_ref source; /**< sourceRef / chart.spec.sourceRef / chartRef; name NULL when none */
	const platci_flux_ref *depends_on;
	size_t ndepends_on;
	const char *ref_branch; /**< GitRepository spec.ref.branch */
	const char *ref_tag; /**< spec.ref.tag (Git and OCI) */
	const char *ref_semver;
	const char *ref_name; /**< GitRepository spec.ref.name (a full ref) */
	const char *ref_commit;
	const char *ref_digest; /**< OCIRepository spec.ref.digest */
	const char *url; /**< sources: spec.url */
	const char *file; /**< the file it was read from */
	size_t line; /**< 1-based line where the object ends in that file */
} platci_flux_object;

/** The pieces of a revision string; spans point into the parsed string. */
typedef struct platci_flux_revision {
	const char *pointer; /**< branch, tag, ref or version; NULL when none */
	size_t pointer_len;
	const char *algo; /**< "sha1", "sha256", ...; NULL when not written and not inferable */
	size_t algo_len;
	const char *digest; /**< the checksum; NULL for a plain version such as "6.3.5" */
	size_t digest_len;
	int legacy; /**< 1 for the pre-2.0 `<branch>/<sha>` form */
} platci_flux_revision;

typedef struct platci_flux_status platci_flux_status;

typedef struct platci_flux_status_options {
	unsigned int version; /**< PLATCI_FLUX_STATUS_OPTIONS_VERSION */
	size_t max_objects; /**< refuse more objects than this (PLATCI_ELIMIT); default 1,000,000 */
	size_t max_object_bytes; /**< cap on one object's string bytes; default 16 MiB */
} platci_flux_status_options;

#define PLATCI_FLUX_STATUS_OPTIONS_VERSION 1
#define PLATCI_FLUX_STATUS_OPTIONS_INIT \
	{ \
		PLATCI_FLUX_STATUS_OPTIONS_VERSION, 0, 0 \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int)
platci_flux_status_options_init(platci_flux_status_options *opts, unsigned int version);

/**
 * Creates an empty status set. @p opts may be NULL.
 * @return 0, PLATCI_ENOMEM or PLATCI_EINVALID (unknown options version).
 * Free with platci_flux_status_free().
 */
PLATCI_EXTERN(int)
platci_flux_status_new(platci_flux_status **out, const platci_flux_status_options *opts);

/** Frees the set and every object. NULL is a no-op. */
PLATCI_EXTERN(void) platci_flux_status_free(platci_flux_status *st);

/**
 * Streams the file @p path ("-" for standard input) and appends its
 * objects. On failure the set keeps the objects of earlier files only.
 *
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (not
 *         JSON, empty, truncated; with line and column); PLATCI_EDATA
 *         (JSON that is not a Kubernetes object or List, an item without
 *         kind or metadata.name); PLATCI_ELIMIT; PLATCI_ENOMEM. Each
 *         failure adds a diagnostic naming the file.
 */
PLATCI_EXTERN(int)
platci_flux_status_read_file(platci_flux_status *st, const char *path, platci_diag *diag);

/** As platci_flux_status_read_file(), over @p len bytes in memory named @p name. */
PLATCI_EXTERN(int)
platci_flux_status_read_buffer(platci_flux_status *st, const char *name, const char *data,
	size_t len, platci_diag *diag);

/** Number of objects read so far. */
PLATCI_EXTERN(size_t) platci_flux_status_count(const platci_flux_status *st);

/** Object @p i in reading order (borrowed, valid until the set is freed), or NULL. */
PLATCI_EXTERN(const platci_flux_object *)
platci_flux_status_at(const platci_flux_status *st, size_t i);

/**
 * The first object of @p kind named @p name in @p namespace_ (borrowed),
 * or NULL.
 */
PLATCI_EXTERN(const platci_flux_object *)
platci_flux_status_find(const platci_flux_status *st, platci_flux_kind kind, const char *namespace_,
	const char *name);

/** The condition of @p type (borrowed), or NULL when the object has none. */
PLATCI_EXTERN(const platci_flux_condition *)
platci_flux_object_condition(const platci_flux_object *obj, const char *type);

/** The status of condition @p type; PLATCI_FLUX_COND_ABSENT when missing. */
PLATCI_EXTERN(platci_flux_cond_status)
platci_flux_object_cond(const platci_flux_object *obj, const char *type);

/**
 * 1 when the object is Ready=True and has observed its latest generation;
 * the check a promotion makes before trusting an environment.
 */
PLATCI_EXTERN(int) platci_flux_object_is_ready(const platci_flux_object *obj);

/**
 * What keeps an object from being Ready on the revision its source serves:
 * the one definition of Flux readiness, which drift reports (one category
 * per bit) and promotion requires of the source environment.
 */
enum {
	PLATCI_FLUX_SUSPENDED = 1 << 0, /**< spec.suspend: nothing else is judged */
	PLATCI_FLUX_NOT_READY = 1 << 1, /**< Ready missing, False, or Unknown without Reconciling */
	PLATCI_FLUX_RECONCILING = 1 << 2, /**< Ready Unknown while Reconciling: a rollout in progress */
	PLATCI_FLUX_STALLED = 1 << 3, /**< Stalled=True */
	PLATCI_FLUX_STALE_STATUS = 1 << 4, /**< observedGeneration behind generation */
	PLATCI_FLUX_APPLY_BEHIND = 1 << 5 /**< applied (or never applied) another revision than @p target */
};

/** The readiness of one object. Pointers are borrowed from the status set. */
typedef struct platci_flux_readiness {
	unsigned int blocked; /**< the bits above; 0: ready */
	const platci_flux_condition *ready; /**< the Ready condition, or NULL */
	const platci_flux_condition *reconciling; /**< or NULL */
	const platci_flux_condition *stalled; /**< or NULL */
	/** The source serving @p target when it has an artifact (a Kustomization's
	 *  sourceRef, a HelmRelease's HelmChart), or NULL. */
	const platci_flux_object *source;
	const char *applied; /**< the applied revision (HelmRelease: chart version), or NULL */
	const char *target; /**< the source's artifact, else the last attempted revision */
} platci_flux_readiness;

/**
 * Judges @p obj (Kustomization and HelmRelease get the applied-revision
 * check; every kind gets the conditions and generations). Suspended
 * objects get PLATCI_FLUX_SUSPENDED only.
 * @return 0 or PLATCI_EINVALID.
 */
PLATCI_EXTERN(int)
platci_flux_object_readiness(platci_flux_readiness *out, const platci_flux_status *st,
	const platci_flux_object *obj);

/**
 * 1 when every Kustomization and HelmRelease in @p st is ready
 * (platci_flux_object_readiness() finds nothing), 0 when one is not (its
 * identity and why appended to @p why, may be NULL), or a negative
 * PLATCI_E* code.
 */
PLATCI_EXTERN(int) platci_flux_status_ready(const platci_flux_status *st, platci_buf *why);

/** The kind for a name such as "Kustomization" (case-insensitive); UNKNOWN otherwise. */
PLATCI_EXTERN(platci_flux_kind) platci_flux_kind_parse(const char *name);

/** The canonical name of @p kind ("Kustomization", ...); "Unknown" for UNKNOWN. */
PLATCI_EXTERN(const char *) platci_flux_kind_name(platci_flux_kind kind);

/** 1 for source kinds (GitRepository, OCIRepository, HelmRepository, Bucket, HelmChart, ExternalArtifact). */
PLATCI_EXTERN(int) platci_flux_kind_is_source(platci_flux_kind kind);

/**
 * Splits @p rev into pointer, algorithm and digest. The digest is what
 * follows the last `@`; without `@`, a `<pointer>/<hex>` tail is the
 * legacy form; `algo:hex` is a bare digest; a bare run of 40 or 64 hex
 * characters is a digest whose algorithm is inferred from its length;
 * anything else is a pointer only (a chart version).
 *
 * @return 0, or PLATCI_EINVALID for NULL or an empty string, or a
 *         revision whose digest part is empty (`main@`, `sha1:`).
 */
PLATCI_EXTERN(int) platci_flux_revision_parse(platci_flux_revision *out, const char *rev);

/**
 * 1 when revisions @p a and @p b name the same content: equal digests
 * when both carry one (so `main@sha1:X`, `refs/heads/main@sha1:X`,
 * `sha1:X` and `main/X` agree), otherwise equal pointers. 0 when either
 * does not parse.
 */
PLATCI_EXTERN(int) platci_flux_revision_same(const char *a, const char *b);

/**
 * 1 when the digest of @p rev equals @p sha, or starts with it when
 * @p sha is an abbreviation of at least 7 hex characters; case-insensitive.
 */
PLATCI_EXTERN(int) platci_flux_revision_matches(const char *rev, const char *sha);

/**
 * 1 when the branch named by a revision's pointer is @p branch:
 * `main`, `refs/heads/main` and legacy `main/<sha>` all name `main`.
 */
PLATCI_EXTERN(int) platci_flux_revision_on_branch(const char *rev, const char *branch);

/**
 * Writes a display form of @p rev into @p out (size @p size, always
 * NUL-terminated): the checksum cut to 8 characters, the algorithm kept,
 * as the flux CLI shows them. @return the length of the full display form.
 */
PLATCI_EXTERN(size_t) platci_flux_revision_short(char *out, size_t size, const char *rev);

PLATCI_END_DECL

#endif
