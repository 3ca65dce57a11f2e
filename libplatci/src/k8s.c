/* Kubernetes object identity, image references and quantities. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "platci/k8s.h"
#include "util/common.h"
#include "util/banned.h"

int platci_k8s_identity(platci_k8s_id *out, const platci_node *root)
{
	const platci_node *meta;

	memset(out, 0, sizeof(*out));
	if (!root || platci_node_type_of(root) != PLATCI_NODE_MAPPING)
		return 0;
	out->root = root;
	out->pos = platci_node_start(root);
	out->api_version = platci_node_get_str(root, "apiVersion");
	out->kind = platci_node_get_str(root, "kind");
	meta = platci_node_get(root, "metadata");
	if (meta && platci_node_type_of(meta) == PLATCI_NODE_MAPPING) {
		out->namespace_ = platci_node_get_str(meta, "namespace");
		out->name = platci_node_get_str(meta, "name");
		if (!out->name)
			out->name = platci_node_get_str(meta, "generateName");
	}
	return 1;
}

int platci_k8s_is_cluster_scoped(const char *kind)
{
	static const char *const kinds[] = {
		"Namespace",
		"Node",
		"PersistentVolume",
		"ClusterRole",
		"ClusterRoleBinding",
		"CustomResourceDefinition",
		"StorageClass",
		"PriorityClass",
		"APIService",
		"MutatingWebhookConfiguration",
		"ValidatingWebhookConfiguration",
		"ValidatingAdmissionPolicy",
		"ValidatingAdmissionPolicyBinding",
		"IngressClass",
		"RuntimeClass",
		"CSIDriver",
		"CSINode",
		"VolumeSnapshotClass",
		"ClusterIssuer",
		"ClusterPolicy",
		"PodSecurityPolicy",
		"ClusterSecretStore",
		"GatewayClass",
	};

	if (!kind)
		return 0;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

void platci_k8s_api_group(char *out, size_t size, const char *api_version)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;
	size_t n = slash ? (size_t)(slash - api_version) : 0;

	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, api_version, n);
	out[n] = '\0';
}

const char *platci_k8s_pod_spec_path(const char *kind)
{
	static const char *const templ[] = { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
		"Job", "ReplicationController" };

	if (!kind)
		return NULL;
	if (strcmp(kind, "Pod") == 0)
		return "spec";
	if (strcmp(kind, "CronJob") == 0)
		return "spec.jobTemplate.spec.template.spec";
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(templ); i++)
		if (strcmp(kind, templ[i]) == 0)
			return "spec.template.spec";
	return NULL;
}

static int copy_part(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return PLATCI_EINVALID;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int platci_image_parse(platci_image *out, const char *ref)
{
	const char *at, *end, *slash, *rest, *colon;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!ref || !*ref)
		return PLATCI_EINVALID;
	if (*ref == '/' || strstr(ref, "//"))
		return PLATCI_EINVALID;
	for (const char *p = ref; *p; p++)
		if (isspace((unsigned char)*p))
			return PLATCI_EINVALID;
	at = strchr(ref, '@');
	end = at ? at : ref + strlen(ref);
	if (at) {
		if (!strchr(at + 1, ':') || strchr(at + 1, '@') ||
			copy_part(out->digest, sizeof(out->digest), at + 1, strlen(at + 1)) < 0)
			return PLATCI_EINVALID;
	}
	slash = memchr(ref, '/', (size_t)(end - ref));
	rest = ref;
	if (slash) {
		size_t first = (size_t)(slash - ref);
		if (memchr(ref, '.', first) || memchr(ref, ':', first) ||
			(first == 9 && memcmp(ref, "localhost", 9) == 0)) {
			if (first == 0 || copy_part(out->registry, sizeof(out->registry), ref, first) < 0)
				return PLATCI_EINVALID;
			rest = slash + 1;
		}
	}
	if (!out->registry[0]) {
		out->registry_implicit = 1;
		if (copy_part(out->registry, sizeof(out->registry), "docker.io", 9) < 0)
			return PLATCI_EINVALID;
	}
	/* The tag is after the last ':' of the last path component only. */
	{
		const char *last = rest;
		for (const char *p = rest; p < end; p++)
			if (*p == '/')
				last = p + 1;
		colon = memchr(last, ':', (size_t)(end - last));
	}
	n = (size_t)((colon ? colon : end) - rest);
	if (n == 0 || rest[n - 1] == '/')
		return PLATCI_EINVALID;
	if (out->registry_implicit && !memchr(rest, '/', n)) {
		char tmp[512];
		int w = snprintf(tmp, sizeof(tmp), "library/%.*s", (int)n, rest);
		if (w < 0 || (size_t)w >= sizeof(tmp) ||
			copy_part(out->repository, sizeof(out->repository), tmp, (size_t)w) < 0)
			return PLATCI_EINVALID;
	} else if (copy_part(out->repository, sizeof(out->repository), rest, n) < 0) {
		return PLATCI_EINVALID;
	}
	if (colon) {
		size_t tn = (size_t)(end - colon - 1);
		if (tn == 0 || copy_part(out->tag, sizeof(out->tag), colon + 1, tn) < 0)
			return PLATCI_EINVALID;
	}
	return 0;
}

int platci_quantity_parse(double *out, const char *s)
{
	static const struct {
		const char *suffix;
		double mult;
	} units[] = {
		{ "Ki", 1024.0 },
		{ "Mi", 1048576.0 },
		{ "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 },
		{ "Pi", 1125899906842624.0 },
		{ "Ei", 1152921504606846976.0 },
		{ "n", 1e-9 },
		{ "u", 1e-6 },
		{ "m", 1e-3 },
		{ "k", 1e3 },
		{ "M", 1e6 },
		{ "G", 1e9 },
		{ "T", 1e12 },
		{ "P", 1e15 },
		{ "E", 1e18 },
		{ "", 1.0 },
	};
	char *endp = NULL;
	double v;

	*out = 0;
	if (!s || !*s || isspace((unsigned char)*s) || *s == '-')
		return PLATCI_EINVALID;
	if (!isdigit((unsigned char)*s) && *s != '.' && *s != '+')
		return PLATCI_EINVALID;
	errno = 0;
	v = strtod(s, &endp);
	if (errno || endp == s || !isfinite(v) || v < 0)
		return PLATCI_EINVALID;
	/* strtod accepts hex and inf/nan spellings; quantities do not. */
	for (const char *p = s; p < endp; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != 'e' && *p != 'E' &&
			*p != '+' && *p != '-')
			return PLATCI_EINVALID;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(units); i++) {
		if (strcmp(endp, units[i].suffix) == 0) {
			*out = v * units[i].mult;
			return 0;
		}
	}
	return PLATCI_EINVALID;
}
