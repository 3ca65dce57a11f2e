#include "test_helpers.h"

static platci_flux_role classify(const char *api, const char *kind)
{
	platci_k8s_id id;
	memset(&id, 0, sizeof(id));
	id.api_version = api;
	id.kind = kind;
	return platci_flux_classify(&id);
}

Test(flux, classify)
{
	cr_expect_eq(classify("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
		PLATCI_FLUX_ROLE_KUSTOMIZATION);
	cr_expect_eq(classify("kustomize.config.k8s.io/v1beta1", "Kustomization"), PLATCI_FLUX_ROLE_NONE);
	cr_expect_eq(classify("helm.toolkit.fluxcd.io/v2beta1", "HelmRelease"), PLATCI_FLUX_ROLE_HELMRELEASE);
	cr_expect_eq(classify("source.toolkit.fluxcd.io/v1", "OCIRepository"), PLATCI_FLUX_ROLE_SOURCE);
	cr_expect_eq(classify("source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator"),
		PLATCI_FLUX_ROLE_ARTIFACT_GENERATOR);
	cr_expect_eq(classify(NULL, "HelmRelease"), PLATCI_FLUX_ROLE_NONE);
	cr_expect_eq(classify("source.toolkit.fluxcd.iox/v1", "GitRepository"), PLATCI_FLUX_ROLE_NONE);
}

Test(flux, removed_apis)
{
	cr_expect_str_eq(platci_flux_removed_api("helm.toolkit.fluxcd.io/v2beta2", "HelmRelease"),
		"helm.toolkit.fluxcd.io/v2");
	cr_expect_str_eq(platci_flux_removed_api("source.toolkit.fluxcd.io/v1beta1", "GitRepository"),
		"source.toolkit.fluxcd.io/v1");
	cr_expect_str_eq(platci_flux_removed_api("notification.toolkit.fluxcd.io/v1beta2", "Receiver"),
		"notification.toolkit.fluxcd.io/v1");
	cr_expect_null(platci_flux_removed_api("kustomize.toolkit.fluxcd.io/v1", "Kustomization"));
	cr_expect_null(platci_flux_removed_api("apps/v1", "Deployment"));
	cr_expect_null(platci_flux_removed_api(NULL, NULL));
}

Test(flux, pinned_versions)
{
	const char *pinned[] = { "1.2.3", "v1.2.3", "1.0.0-rc.1", "1.0.0+build.5" };
	const char *ranges[] = { ">=1.0.0", "1.x", "~1.2", "^1", "*", "1.2", "1.2.3 - 1.4.0", "", "1.2.x" };
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++)
		cr_expect(platci_flux_version_is_pinned(pinned[i]), "%s", pinned[i]);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		cr_expect(!platci_flux_version_is_pinned(ranges[i]), "%s", ranges[i]);
	cr_expect(!platci_flux_version_is_pinned(NULL));
}
