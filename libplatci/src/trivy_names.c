/*
 * The Trivy module's small public helpers: options, and the names of
 * severities, kinds and shapes (the reader is trivy.c).
 */
#include <strings.h>

#include "platci/trivy.h"
#include "util/common.h"
#include "util/banned.h"

int platci_trivy_options_init(platci_trivy_options *opts, unsigned int version)
{
	platci_trivy_options init = PLATCI_TRIVY_OPTIONS_INIT;

	if (version != PLATCI_TRIVY_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static const char *const sev_names[PLATCI_TRIVY_SEVERITIES] = { "UNKNOWN", "LOW", "MEDIUM", "HIGH",
	"CRITICAL" };

const char *platci_trivy_severity_name(platci_trivy_severity s)
{
	return (unsigned)s < PLATCI_TRIVY_SEVERITIES ? sev_names[s] : NULL;
}

int platci_trivy_severity_parse(platci_trivy_severity *out, const char *name)
{
	PLATCI_ASSERT_ARG(out && name);
	for (size_t i = 0; i < PLATCI_TRIVY_SEVERITIES; i++)
		if (strcasecmp(name, sev_names[i]) == 0) {
			*out = (platci_trivy_severity)i;
			return 0;
		}
	return PLATCI_EINVALID;
}

const char *platci_trivy_kind_name(platci_trivy_kind k)
{
	static const char *const names[] = { "vulnerability", "misconfiguration", "secret", "license" };
	return (unsigned)k < PLATCI_TRIVY_KINDS ? names[k] : NULL;
}

const char *platci_trivy_shape_name(platci_trivy_shape s)
{
	static const char *const names[] = { "none", "v2", "legacy", "null", "k8s", "k8s-summary",
		"k8s-old" };
	return (unsigned)s < PLATCI_ARRAY_SIZE(names) ? names[s] : "none";
}
