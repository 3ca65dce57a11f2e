/* Flux object views. */
#include <ctype.h>
#include <string.h>

#include "platci/flux.h"
#include "util/common.h"
#include "util/banned.h"

static int group_is(const char *api, const char *group)
{
	size_t n = strlen(group);
	return api && strncmp(api, group, n) == 0 && api[n] == '/';
}

platci_flux_role platci_flux_classify(const platci_k8s_id *id)
{
	static const char *const sources[] = { "GitRepository", "OCIRepository", "HelmRepository",
		"Bucket", "HelmChart", "ExternalArtifact" };

	if (!id || !id->kind || !id->api_version)
		return PLATCI_FLUX_ROLE_NONE;
	if (group_is(id->api_version, "kustomize.toolkit.fluxcd.io") &&
		strcmp(id->kind, "Kustomization") == 0)
		return PLATCI_FLUX_ROLE_KUSTOMIZATION;
	if (group_is(id->api_version, "helm.toolkit.fluxcd.io") && strcmp(id->kind, "HelmRelease") == 0)
		return PLATCI_FLUX_ROLE_HELMRELEASE;
	if (group_is(id->api_version, "source.extensions.fluxcd.io") &&
		strcmp(id->kind, "ArtifactGenerator") == 0)
		return PLATCI_FLUX_ROLE_ARTIFACT_GENERATOR;
	if (group_is(id->api_version, "source.toolkit.fluxcd.io"))
		for (size_t i = 0; i < PLATCI_ARRAY_SIZE(sources); i++)
			if (strcmp(id->kind, sources[i]) == 0)
				return PLATCI_FLUX_ROLE_SOURCE;
	return PLATCI_FLUX_ROLE_NONE;
}

const char *platci_flux_removed_api(const char *api, const char *kind)
{
	static const struct {
		const char *old, *repl;
	} table[] = {
		{ "kustomize.toolkit.fluxcd.io/v1beta1", "kustomize.toolkit.fluxcd.io/v1" },
		{ "kustomize.toolkit.fluxcd.io/v1beta2", "kustomize.toolkit.fluxcd.io/v1" },
		{ "source.toolkit.fluxcd.io/v1beta1", "source.toolkit.fluxcd.io/v1" },
		{ "source.toolkit.fluxcd.io/v1beta2", "source.toolkit.fluxcd.io/v1" },
		{ "helm.toolkit.fluxcd.io/v2beta1", "helm.toolkit.fluxcd.io/v2" },
		{ "helm.toolkit.fluxcd.io/v2beta2", "helm.toolkit.fluxcd.io/v2" },
		{ "image.toolkit.fluxcd.io/v1beta1", "image.toolkit.fluxcd.io/v1" },
		{ "image.toolkit.fluxcd.io/v1beta2", "image.toolkit.fluxcd.io/v1" },
		{ "notification.toolkit.fluxcd.io/v1beta1", "notification.toolkit.fluxcd.io/v1beta3" },
		{ "notification.toolkit.fluxcd.io/v1beta2", "notification.toolkit.fluxcd.io/v1beta3" },
	};

	if (!api)
		return NULL;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(table); i++) {
		if (strcmp(api, table[i].old) != 0)
			continue;
		/* Receiver went GA in v1; Alert and Provider stay on v1beta3. */
		if (kind && strcmp(kind, "Receiver") == 0 && strncmp(api, "notification.", 13) == 0)
			return "notification.toolkit.fluxcd.io/v1";
		return table[i].repl;
	}
	return NULL;
}

int platci_flux_version_is_pinned(const char *v)
{
	int dots = 0;

	if (!v || !*v)
		return 0;
	if (*v == 'v')
		v++;
	if (!isdigit((unsigned char)*v))
		return 0;
	for (; *v && *v != '-' && *v != '+'; v++) {
		if (*v == '.')
			dots++;
		else if (!isdigit((unsigned char)*v))
			return 0;
	}
	if (dots != 2)
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '.' && *v != '-' && *v != '+')
			return 0;
	return 1;
}
