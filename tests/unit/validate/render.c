/*
 * validate on rendered objects (validate_render.c): each cluster rendered
 * with the real kustomize, the render's findings per environment, the
 * source-level findings it answers dropped, and a finding that says so
 * when kustomize is absent. Skipped when kustomize/kubectl is not at hand.
 */
#include "test_helpers.h"
#include "validate_int.h"

static char *dir;
static platci_render_tools tools;

static void put(const char *name, const char *text)
{
	free(th_write(dir, name, text, strlen(text)));
}

#define KS(name, path, extra) \
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: " name \
	", namespace: flux-system}\nspec: {interval: 1m, prune: true, path: " path ", " extra \
	"sourceRef: {kind: GitRepository, name: flux-system}}\n"

static void setup(void)
{
	char path[8192];

	dir = th_tmpdir();
	snprintf(path, sizeof(path), "%s/.tools/bin:%s", PLATCI_SOURCE_DIR,
		getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	platci_render_tools_find(&tools, path, NULL, NULL);
	put("platci.yaml",
		"version: 1\nenvironments:\n"
		"  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev}\n"
		"  - {name: prd, infra: infra/envs/prd, cluster: gitops/clusters/prd, protected: true}\n");
	/* dev: a dependsOn cycle; prd: the same names, no cycle */
	put("gitops/clusters/dev/ks.yaml",
		KS("a", "./gitops/apps", "dependsOn: [{name: b}], ") "---\n" KS("b",
			"./gitops/apps/extra", "dependsOn: [{name: a}], "));
	put("gitops/clusters/prd/ks.yaml", KS("a", "./gitops/apps", "") "---\n" KS("b",
						   "./gitops/apps/extra", "dependsOn: [{name: a}], "));
	put("gitops/apps/kustomization.yaml", "resources: [cm.yaml]\n");
	put("gitops/apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n");
	/* the same ConfigMap again from a second build: a duplicate in each cluster */
	put("gitops/apps/extra/kustomization.yaml", "resources: [cm.yaml]\n");
	put("gitops/apps/extra/cm.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n");
	put("infra/envs/dev/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n");
	put("infra/envs/prd/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"prd.tfstate\"\n  }\n}\n");
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(validate_render, .init = setup, .fini = teardown);

static platci_findings *run(const platci_render_tools *t)
{
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_validate_options o = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_diag *diag = NULL;
	char path[1024];

	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	o.threads = 2;
	o.render = t;
	cr_assert_eq(platci_validate_run(cfg, &o, f, NULL, diag), 0);
	platci_config_free(cfg);
	platci_diag_free(diag);
	return f;
}

/* How many findings of @p rule in environment @p env (NULL: any). */
static size_t count(const platci_findings *f, const char *rule, const char *env)
{
	size_t n = 0;
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		n += !strcmp(x->rule_id, rule) && (!env || (x->env && !strcmp(x->env, env)));
	}
	return n;
}

Test(validate_render, names_resolve_per_cluster_and_the_render_supersedes_the_source)
{
	platci_findings *f;

	if (!tools.kustomize[0])
		cr_skip_test("neither kustomize nor kubectl is installed");
	f = run(&tools);
	cr_expect_gt(count(f, "render.dependson-cycle", "dev"), 0);
	cr_expect_eq(count(f, "render.dependson-cycle", "prd"), 0);
	cr_expect_eq(count(f, "flux.dependson-cycle", NULL), 0, "the source-level cycle check still reports");
	cr_expect_eq(count(f, "render.duplicate-object", "dev"), 1);
	cr_expect_eq(count(f, "render.duplicate-object", "prd"), 1);
	cr_expect_eq(count(f, "k8s.duplicate-object", NULL), 0);
	cr_expect_eq(count(f, "render.source-only", NULL), 0);
	platci_findings_free(f);
}

Test(validate_render, without_kustomize_it_says_so)
{
	platci_render_tools none;
	platci_findings *f;
	const platci_finding *x = NULL;

	memset(&none, 0, sizeof(none));
	f = run(&none);
	for (size_t i = 0; i < platci_findings_count(f); i++)
		if (!strcmp(platci_findings_at(f, i)->rule_id, "render.source-only"))
			x = platci_findings_at(f, i);
	cr_assert_not_null(x);
	cr_expect_str_eq(x->file, "platci.yaml");
	cr_expect_eq(x->severity, PLATCI_SEVERITY_INFO);
	cr_expect(strstr(x->message, "neither kustomize nor kubectl is on PATH"), "%s", x->message);
	/* the source checks run as before */
	cr_expect_gt(count(f, "flux.dependson-cycle", NULL), 0);
	platci_findings_free(f);
}
