/*
 * Flux readiness, the one definition drift reports and promotion requires
 * (platci_flux_object_readiness, platci_flux_status_ready).
 */
#include "test_helpers.h"

#define A40 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B40 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define GIT \
	"{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\",\"kind\":\"GitRepository\"," \
	"\"metadata\":{\"name\":\"flux-system\",\"namespace\":\"flux-system\"},\"spec\":{}," \
	"\"status\":{\"artifact\":{\"revision\":\"main@sha1:" B40 \
	"\"}," \
	"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"
#define CHART \
	"{\"apiVersion\":\"source.toolkit.fluxcd.io/v1\",\"kind\":\"HelmChart\"," \
	"\"metadata\":{\"name\":\"apps-web\",\"namespace\":\"flux-system\"},\"spec\":{}," \
	"\"status\":{\"artifact\":{\"revision\":\"1.2.4\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"
/* A Kustomization: %s suspend, %s applied revision, %s conditions. */
#define KS(suspend, applied, conds) \
	"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\"," \
	"\"kind\":\"Kustomization\",\"metadata\":{\"name\":\"apps\",\"namespace\":\"flux-system\"," \
	"\"generation\":2},\"spec\":{\"suspend\":" suspend \
	",\"sourceRef\":{\"kind\":\"GitRepository\"," \
	"\"name\":\"flux-system\"}},\"status\":{\"observedGeneration\":2,\"lastAppliedRevision\":\"" applied \
	"\",\"conditions\":[" conds "]}}"
#define READY "{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"ReconciliationSucceeded\"}"
#define HR(chart) \
	"{\"apiVersion\":\"helm.toolkit.fluxcd.io/v2\",\"kind\":\"HelmRelease\"," \
	"\"metadata\":{\"name\":\"web\",\"namespace\":\"apps\"},\"spec\":{},\"status\":{\"history\":" \
	"[{\"chartVersion\":\"" chart \
	"\"}],\"helmChart\":\"flux-system/apps-web\"," \
	"\"conditions\":[" READY "]}}"
#define LIST(items) "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" items "]}"

/* platci_flux_status_ready() over @p json: its answer, and the reason in @p why. */
static int ready(const char *json, platci_buf *why)
{
	platci_flux_status *st = NULL;
	int rc;

	platci_buf_clear(why);
	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "s.json", json, strlen(json), NULL), 0);
	rc = platci_flux_status_ready(st, why);
	platci_flux_status_free(st);
	return rc;
}

Test(flux_ready, what_promotion_requires_of_the_source)
{
	platci_buf why = PLATCI_BUF_INIT;

	cr_assert_eq(ready(LIST(GIT "," CHART "," KS("false", "main@sha1:" B40, READY) "," HR("1.2.4")), &why),
		1, "%s", why.ptr);
	cr_assert_eq(why.size, 0);
	cr_assert_eq(ready(LIST(GIT "," KS("true", "main@sha1:" B40, READY)), &why), 0);
	cr_assert_str_eq(why.ptr, "Kustomization/flux-system/apps is suspended");
	cr_assert_eq(ready(LIST(GIT "," KS("false", "main@sha1:" B40,
				   "{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"HealthCheckFailed\"}")),
			     &why),
		0);
	cr_assert_str_eq(why.ptr,
		"Kustomization/flux-system/apps is not Ready on its latest generation "
		"(HealthCheckFailed)");
	cr_assert_eq(ready(LIST(GIT "," KS("false", "main@sha1:" A40, READY)), &why), 0);
	cr_assert_str_eq(why.ptr,
		"Kustomization/flux-system/apps applied main@sha1:aaaaaaaa but its "
		"source serves main@sha1:bbbbbbbb");
	/* A HelmRelease behind its chart: drift calls it apply-behind, so promotion refuses it too. */
	cr_assert_eq(ready(LIST(CHART "," HR("1.2.3")), &why), 0);
	cr_assert_str_eq(why.ptr, "HelmRelease/apps/web runs chart 1.2.3 but its source serves 1.2.4");
	/* Only Kustomizations and HelmReleases are judged: a source alone says nothing. */
	cr_assert_eq(ready(LIST(GIT), &why), 1);
	platci_buf_dispose(&why);
}

Test(flux_ready, every_reason_is_a_bit)
{
	static const char json[] = LIST(GIT
		","
		"{\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\",\"kind\":\"Kustomization\","
		"\"metadata\":{\"name\":\"k\",\"namespace\":\"ns\",\"generation\":5},"
		"\"spec\":{\"sourceRef\":{\"kind\":\"GitRepository\",\"name\":\"flux-system\",\"namespace\":\"flux-system\"}},"
		"\"status\":{\"observedGeneration\":4,"
		"\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"},"
		"{\"type\":\"Reconciling\",\"status\":\"True\",\"reason\":\"Progressing\"},"
		"{\"type\":\"Stalled\",\"status\":\"True\"}]}}");
	platci_flux_status *st = NULL;
	platci_flux_readiness r;

	cr_assert_eq(platci_flux_status_new(&st, NULL), 0);
	cr_assert_eq(platci_flux_status_read_buffer(st, "s.json", json, strlen(json), NULL), 0);
	cr_assert_eq(platci_flux_object_readiness(&r, st, platci_flux_status_at(st, 1)), 0);
	cr_assert_eq(r.blocked,
		PLATCI_FLUX_RECONCILING | PLATCI_FLUX_STALLED | PLATCI_FLUX_STALE_STATUS |
			PLATCI_FLUX_APPLY_BEHIND,
		"%#x", r.blocked);
	cr_assert_null(r.applied, "never applied");
	cr_assert_str_eq(r.target, "main@sha1:" B40);
	cr_assert_eq(r.source, platci_flux_status_at(st, 0));
	cr_assert_eq(platci_flux_object_readiness(&r, st, platci_flux_status_at(st, 0)), 0);
	cr_assert_eq(r.blocked, 0, "a Ready source");
	platci_flux_status_free(st);
}
