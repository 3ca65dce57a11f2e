/**
 * @file platci/flux.h
 * @brief Flux views: which objects are Flux Kustomizations, HelmReleases
 *        and sources, which API versions Flux has removed, and whether a
 *        chart version is a pin or a range.
 */
#ifndef PLATCI_FLUX_H
#define PLATCI_FLUX_H

#include "k8s.h"

typedef enum {
	PLATCI_FLUX_ROLE_NONE = 0,
	PLATCI_FLUX_ROLE_KUSTOMIZATION, /**< kustomize.toolkit.fluxcd.io Kustomization */
	PLATCI_FLUX_ROLE_HELMRELEASE, /**< helm.toolkit.fluxcd.io HelmRelease */
	PLATCI_FLUX_ROLE_SOURCE, /**< GitRepository, OCIRepository, HelmRepository, Bucket, HelmChart, ExternalArtifact */
	PLATCI_FLUX_ROLE_ARTIFACT_GENERATOR /**< source.extensions.fluxcd.io ArtifactGenerator (defines ExternalArtifacts) */
} platci_flux_role;

PLATCI_BEGIN_DECL

/** What Flux object @p id is. */
PLATCI_EXTERN(platci_flux_role) platci_flux_classify(const platci_k8s_id *id);

/**
 * The API version that replaces @p api_version when Flux has removed it
 * (`helm.toolkit.fluxcd.io/v2beta1` -> `helm.toolkit.fluxcd.io/v2`), or
 * NULL when it is current or not Flux's.
 */
PLATCI_EXTERN(const char *) platci_flux_removed_api(const char *api_version, const char *kind);

/**
 * 1 when @p version pins one chart version (`1.2.3`, `v1.2.3-rc.1`), 0
 * for ranges (`>=1.0.0`, `1.x`, `~1.2`, `^1`, `*`, NULL = Flux's default `*`).
 */
PLATCI_EXTERN(int) platci_flux_version_is_pinned(const char *version);

PLATCI_END_DECL

#endif
