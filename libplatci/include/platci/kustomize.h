/**
 * @file platci/kustomize.h
 * @brief Kustomize directory resolution over already-loaded documents.
 *
 * A resolver answers "which files and objects does this directory
 * build?" without running kustomize: it follows kustomization.yaml
 * `resources` (and the older `bases`), `components`, `patches`,
 * `patchesStrategicMerge`, `patchesJson6902`, `crds` and generator files;
 * carries `namespace`, `namePrefix`, `nameSuffix` and the labels of
 * `labels` and `commonLabels` down to the objects;
 * and treats a directory without a kustomization file as all of its YAML
 * files, recursively, as Flux's kustomize-controller does. Remote
 * references (URLs, `?ref=`) are skipped.
 *
 * Problems found on the way (a reference that does not exist, leaves the
 * repository or forms a cycle) are collected once per place in the
 * resolver, however many times the directory is resolved.
 */
#ifndef PLATCI_KUSTOMIZE_H
#define PLATCI_KUSTOMIZE_H

#include "doc.h"

typedef struct platci_kustomize platci_kustomize;

/** One object a build produces, with the transformations applied on the way. */
/** platci_kresource.doc for a file whose documents were not loaded: all of them. */
#define PLATCI_KRESOURCE_ALL_DOCS ((size_t)-1)

typedef struct platci_kresource {
	size_t file; /**< index into the resolver's file set */
	size_t doc; /**< document index in that file, or PLATCI_KRESOURCE_ALL_DOCS */
	const char *namespace_; /**< `namespace:` override (the outermost kustomization wins), or NULL */
	const char *name_prefix; /**< accumulated prefix ("" when none) */
	const char *name_suffix; /**< accumulated suffix ("" when none) */
	/**
	 * Labels the build sets in metadata.labels, as a NULL-terminated
	 * key, value, key, value... array (NULL when none), from `labels:`
	 * pairs and `commonLabels:`. Inner kustomizations apply first, so an
	 * outer one's value wins for the same key, as with kustomize.
	 */
	const char *const *labels;
	/**
	 * The same for pod templates (spec.template.metadata.labels and the
	 * CronJob's job template): `commonLabels` and `labels` entries with
	 * `includeSelectors` or `includeTemplates`. NULL when none.
	 */
	const char *const *template_labels;
} platci_kresource;

/** A problem met while resolving. Strings are owned by the resolver. */
typedef struct platci_kproblem {
	const char *rule_id; /**< kustomize.missing-ref, kustomize.escapes-repo, kustomize.cycle */
	const char *file; /**< the kustomization file holding the reference */
	size_t line, column;
	const char *message;
} platci_kproblem;

/** What one resolution reached. Arrays are owned by the result. */
typedef struct platci_kbuild {
	platci_kresource *resources; /**< in build order */
	size_t resource_count;
	size_t *files; /**< every file the build reads (kustomization files, patches...), sorted indexes */
	size_t file_count;
	char **dirs; /**< every directory the build visits, sorted */
	size_t dir_count;
} platci_kbuild;

PLATCI_BEGIN_DECL

/**
 * Creates a resolver over @p count loaded files: @p paths (repo-relative,
 * sorted ascending) and their documents @p docs. A NULL entry is a file
 * whose documents are not loaded (yet): used as a resource it yields one
 * entry with doc = PLATCI_KRESOURCE_ALL_DOCS; as a kustomization file it
 * has no references. Callers load kustomization files up front. Both arrays are borrowed and must outlive the
 * resolver. @p root is the repository folder, used for references to
 * files outside the set. @return 0, PLATCI_EINVALID (unsorted) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_kustomize_new(platci_kustomize **out, const char *root, const char *const *paths,
	const platci_doc *const *docs, size_t count);

/** Frees the resolver. NULL is a no-op. */
PLATCI_EXTERN(void) platci_kustomize_free(platci_kustomize *k);

/** Index of @p path in the file set, or (size_t)-1. */
PLATCI_EXTERN(size_t) platci_kustomize_find(const platci_kustomize *k, const char *path);

/** 1 when @p dir (repo-relative) holds a file of the set or exists on disk. */
PLATCI_EXTERN(int) platci_kustomize_is_dir(const platci_kustomize *k, const char *dir);

/**
 * Resolves directory @p dir (repo-relative; `./` and trailing `/`
 * accepted) into @p out (zeroed first; free with platci_kbuild_dispose()).
 * @p namespace_ is an outer namespace override (Flux `targetNamespace`),
 * or NULL. @return 0, PLATCI_ENOTFOUND (the directory does not exist) or
 * PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_kustomize_resolve(platci_kbuild *out, platci_kustomize *k, const char *dir, const char *namespace_);

/** Frees the arrays of @p b. */
PLATCI_EXTERN(void) platci_kbuild_dispose(platci_kbuild *b);

/** Problems collected so far, in the order met. */
PLATCI_EXTERN(size_t) platci_kustomize_problem_count(const platci_kustomize *k);
PLATCI_EXTERN(const platci_kproblem *)
platci_kustomize_problem_at(const platci_kustomize *k, size_t i);

/** 1 when @p name is a kustomization file name (kustomization.yaml, .yml, Kustomization). */
PLATCI_EXTERN(int) platci_kustomize_is_kfile_name(const char *name);

PLATCI_END_DECL

#endif
