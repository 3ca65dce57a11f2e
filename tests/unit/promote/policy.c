/*
 * The target environment's policy and promotion: what validate would deny
 * in the promoted files refuses the promotion unless --force with a reason
 * lets it through (recorded); "nothing to promote" says why.
 */
#include "test_helpers.h"

static const char cfg_text[] =
	"version: 1\nenvironments:\n"
	"  - name: stg\n    infra: infra\n    cluster: c/stg\n    overlay: a/stg\n"
	"  - name: prd\n    infra: infra\n    cluster: c/prd\n    overlay: a/prd\n    promote_from: stg\n"
	"    protected: true\n";

#define HR(version) \
	"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n" \
	"  name: podinfo\n  namespace: apps\nspec:\n  chart:\n    spec:\n      version: " version "\n"

typedef struct tree {
	char *dir;
	platci_config *cfg;
	platci_policy *policy;
} tree;

static void put(const char *dir, const char *rel, const char *text)
{
	free(th_write(dir, rel, text, strlen(text)));
}

static void setup(tree *t, const char *stg, const char *prd)
{
	char path[1024];

	memset(t, 0, sizeof(*t));
	t->dir = th_tmpdir();
	put(t->dir, "platci.yaml", cfg_text);
	put(t->dir, "infra/README.md", "x\n");
	put(t->dir, "c/stg/README.md", "x\n");
	put(t->dir, "c/prd/README.md", "x\n");
	put(t->dir, "a/stg/podinfo.yaml", stg);
	put(t->dir, "a/prd/podinfo.yaml", prd);
	snprintf(path, sizeof(path), "%s/platci.yaml", t->dir);
	cr_assert_eq(platci_config_load(&t->cfg, path, NULL, NULL, NULL), 0);
}

static void teardown(tree *t)
{
	platci_policy_free(t->policy);
	platci_config_free(t->cfg);
	th_rmrf(t->dir);
	free(t->dir);
}

static platci_promotion *plan(tree *t, const char *reason)
{
	platci_promote_options o = PLATCI_PROMOTE_OPTIONS_INIT;
	platci_promotion *p = NULL;

	o.from = "stg";
	o.to = "prd";
	o.force = reason != NULL;
	o.reason = reason;
	o.policy = t->policy;
	cr_assert_eq(platci_promotion_plan(&p, t->cfg, &o, NULL), 0);
	return p;
}

Test(promote_policy, a_range_over_a_pin_in_a_protected_environment_is_refused)
{
	platci_findings *f = NULL;
	platci_promotion *p;
	tree t;

	setup(&t, HR("\">=1.0.0-alpha\""), HR("\"6.9.0\""));
	p = plan(&t, NULL);
	cr_assert_eq(platci_promotion_count(p), 1, "the change is planned, and refused");
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert_str_eq(platci_promotion_refusal_at(p, 0),
		"helm:apps/podinfo.version: "
		"a/prd/podinfo.yaml:9: chart version \">=1.0.0-alpha\" is a range, which "
		"flux.helm-version-range denies in protected environment prd (was \"6.9.0\"); pin one "
		"version");
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_promotion_findings(f, p), 0);
	cr_assert_eq(platci_findings_count(f), 1);
	cr_assert_str_eq(platci_findings_at(f, 0)->rule_id, "promote.refused");
	cr_assert_eq(platci_findings_at(f, 0)->enforcement, PLATCI_ENFORCE_DENY);
	cr_assert_str_eq(platci_findings_at(f, 0)->env, "prd");
	cr_assert_eq(platci_promotion_apply(p, NULL), PLATCI_ECONFLICT, "a refused plan writes nothing");
	platci_findings_free(f);
	platci_promotion_free(p);
	teardown(&t);
}

Test(promote_policy, force_with_a_reason_lets_it_through_on_record)
{
	platci_buf json = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_findings *f = NULL;
	platci_promotion *p;
	tree t;

	setup(&t, HR("\">=1.0.0-alpha\""), HR("\"6.9.0\""));
	p = plan(&t, "INC-42: the chart is pulled from the registry");
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_override_count(p), 1);
	cr_assert(strstr(platci_promotion_override_at(p, 0), "flux.helm-version-range"));
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_promotion_findings(f, p), 0);
	cr_assert_str_eq(platci_findings_at(f, 0)->rule_id, "promote.forced");
	cr_assert_eq(platci_findings_at(f, 0)->enforcement, PLATCI_ENFORCE_WARN);
	cr_assert_eq(platci_promotion_render_json(&json, p), 0);
	cr_assert(strstr(json.ptr, "\"overridden\": [") != NULL, "%s", json.ptr);
	cr_assert(strstr(json.ptr, "INC-42") != NULL);
	cr_assert_eq(platci_promotion_render_summary(&md, p), 0);
	cr_assert(strstr(md.ptr, "past the promotion order and the target's policy") != NULL, "%s", md.ptr);
	cr_assert(strstr(md.ptr, "### Let through by --force") != NULL, "%s", md.ptr);
	platci_buf_dispose(&json);
	platci_buf_dispose(&md);
	platci_findings_free(f);
	platci_promotion_free(p);
	teardown(&t);
}

Test(promote_policy, what_the_target_already_has_is_not_the_promotions_doing)
{
	platci_promotion *p;
	tree t;

	/* a range over a range: validate denies prd either way; promotion does not make it worse */
	setup(&t, HR("\">=1.0.0-alpha\""), HR("\"6.x\""));
	p = plan(&t, NULL);
	cr_assert_eq(platci_promotion_count(p), 1);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	platci_promotion_free(p);
	teardown(&t);
	/* a pin over a range fixes it */
	setup(&t, HR("\"6.9.1\""), HR("\"6.x\""));
	p = plan(&t, NULL);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	platci_promotion_free(p);
	teardown(&t);
}

Test(promote_policy, the_manifest_policy_of_the_target_applies)
{
	static const char pol[] =
		"apiVersion: platci/v1alpha1\nkind: PolicySet\nmetadata:\n  name: t\n"
		"enforcement:\n  default: deny\n  stg: warn\n"
		"rules:\n"
		"  - id: HELM-STABLE\n    title: no pre-releases in production\n    severity: critical\n"
		"    match: {kinds: [HelmRelease], environments: [prd]}\n"
		"    require:\n      - path: spec.chart.spec.version\n        notRegex: '-'\n";
	platci_promotion *p;
	tree t;

	/* not protected here: only the manifest policy can say no */
	setup(&t, HR("\"7.0.0-rc.1\""), HR("\"6.9.0\""));
	put(t.dir, "pol.yaml", pol);
	{
		char path[1024];
		snprintf(path, sizeof(path), "%s/pol.yaml", t.dir);
		cr_assert_eq(platci_policy_load_file(&t.policy, path, "pol.yaml", NULL, 0, NULL), 0);
	}
	p = plan(&t, NULL);
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "a/prd/podinfo.yaml:") != NULL, "%s",
		platci_promotion_refusal_at(p, 0));
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "[HELM-STABLE, the policy of prd]") != NULL,
		"%s", platci_promotion_refusal_at(p, 0));
	platci_promotion_free(p);
	teardown(&t);
}

Test(promote_policy, nothing_to_promote_says_why)
{
	platci_buf why = PLATCI_BUF_INIT;
	platci_promotion *p;
	tree t;

	/* an image tag in a strategic-merge patch is not a pin */
	setup(&t,
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
		"    spec:\n      containers:\n        - name: web\n          image: web:1.6.0\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
		"    spec:\n      containers:\n        - name: web\n          image: web:1.5.0\n");
	p = plan(&t, NULL);
	cr_assert_eq(platci_promotion_count(p), 0);
	cr_assert_eq(platci_promotion_render_nothing(&why, p), 0);
	cr_assert(strstr(why.ptr,
			  "no version pins were found in stg or prd. Pins are: kustomize "
			  "`images:` entries") == why.ptr,
		"%s", why.ptr);
	cr_assert(strstr(why.ptr, "HelmRelease spec.chart.spec.version") != NULL);
	cr_assert(strstr(why.ptr, "strategic-merge patches") != NULL);
	cr_assert(strstr(why.ptr, "named like *_VERSION") != NULL, "%s", why.ptr);
	platci_buf_clear(&why);
	cr_assert_eq(platci_promotion_render_summary(&why, p), 0);
	cr_assert(strstr(why.ptr, "Nothing to promote: no version pins were found") != NULL);
	platci_promotion_free(p);
	teardown(&t);
	/* pins in both, all equal: the old sentence */
	setup(&t, HR("\"6.9.0\""), HR("\"6.9.0\""));
	p = plan(&t, NULL);
	platci_buf_clear(&why);
	cr_assert_eq(platci_promotion_render_nothing(&why, p), 0);
	cr_assert_str_eq(why.ptr,
		"every pin the target shares with the source already has the "
		"source's value.");
	platci_promotion_free(p);
	teardown(&t);
	platci_buf_dispose(&why);
}
