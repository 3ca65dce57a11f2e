/**
 * @file platci/k8s.h
 * @brief Kubernetes views over YAML documents: object identity, image
 *        references and resource quantities.
 *
 * These are views: nothing is copied from the document except where a
 * value has to be parsed (images, quantities).
 */
#ifndef PLATCI_K8S_H
#define PLATCI_K8S_H

#include "doc.h"

/** Who an object is. Strings are borrowed from the document; NULL when absent. */
typedef struct platci_k8s_id {
	const char *api_version;
	const char *kind;
	const char *namespace_; /**< metadata.namespace as written */
	const char *name; /**< metadata.name (or metadata.generateName) */
	const platci_node *root; /**< the document root */
	platci_pos pos; /**< where the object starts */
} platci_k8s_id;

/** A parsed image reference. Every field is NUL-terminated; "" when absent. */
typedef struct platci_image {
	char registry[256]; /**< as written, or "docker.io" when implicit */
	char repository[512]; /**< path without registry (docker.io adds "library/") */
	char tag[129];
	char digest[160]; /**< `sha256:...` */
	int registry_implicit; /**< 1 when the reference named no registry */
} platci_image;

PLATCI_BEGIN_DECL

/**
 * Fills @p out from document root @p root.
 * @return 1 when @p root is a mapping (fields may still be NULL), 0 otherwise.
 */
PLATCI_EXTERN(int) platci_k8s_identity(platci_k8s_id *out, const platci_node *root);

/** 1 for kinds that live outside namespaces (Namespace, ClusterRole, CRDs...). */
PLATCI_EXTERN(int) platci_k8s_is_cluster_scoped(const char *kind);

/** The API group of `group/version` (`""` for `v1`), written into @p out (cut to @p size). */
PLATCI_EXTERN(void) platci_k8s_api_group(char *out, size_t size, const char *api_version);

/**
 * The path (relative to the object) of its pod spec for the workload
 * kinds (`spec` for Pod, `spec.jobTemplate.spec.template.spec` for
 * CronJob, `spec.template.spec` for the rest), or NULL for other kinds.
 */
PLATCI_EXTERN(const char *) platci_k8s_pod_spec_path(const char *kind);

/**
 * Parses an image reference the way container runtimes do: the first
 * component is a registry only when it holds `.` or `:` or is
 * `localhost`, so `host:5000/app` has a registry and no tag; the digest
 * follows `@`.
 * @return 0, or PLATCI_EINVALID for an empty, over-long or malformed reference.
 */
PLATCI_EXTERN(int) platci_image_parse(platci_image *out, const char *ref);

/**
 * Parses a Kubernetes quantity (`500m`, `2`, `1.5Gi`, `1e3`, `100M`) into
 * base units (cores or bytes).
 * @return 0, or PLATCI_EINVALID.
 */
PLATCI_EXTERN(int) platci_quantity_parse(double *out, const char *s);

PLATCI_END_DECL

#endif
