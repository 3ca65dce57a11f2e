#include <unistd.h>
#include "test_helpers.h"
#include "validate_int.h"

/* A repository with one environment; each test adds files and checks the rule ids found. */
static char *dir;

static void put(const char *name, const char *text)
{
	free(th_write(dir, name, text, strlen(text)));
}

static void setup_tree(void)
{
	put("platci.yaml",
		"version: 1\nenvironments:\n"
		"  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev, overlay: gitops/apps/dev}\n"
		"  - {name: prd, infra: infra/envs/prd, cluster: gitops/clusters/prd, overlay: gitops/apps/prd, "
		"promote_from: dev, protected: true}\n");
	put("gitops/clusters/dev/sync.yaml",
		"apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\n"
		"spec: {interval: 1m, url: 'ssh://x/y.git'}\n---\n"
		"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\n"
		"spec: {interval: 1m, prune: true, path: ./gitops/apps/dev, sourceRef: {kind: GitRepository, name: flux-system}}\n");
	put("gitops/clusters/prd/sync.yaml",
		"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps-prd, namespace: flux-system}\n"
		"spec: {interval: 1m, prune: true, path: ./gitops/apps/prd, sourceRef: {kind: GitRepository, name: flux-system}}\n");
	put("gitops/apps/dev/cm.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n");
	put("gitops/apps/prd/cm.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n");
	put("infra/envs/dev/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n");
	put("infra/envs/prd/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"prd.tfstate\"\n  }\n}\n");
}

static void setup(void)
{
	dir = th_tmpdir();
	setup_tree();
}

static void unlink_file(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(unlink(path), 0);
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(validate, .init = setup, .fini = teardown);

static platci_findings *run(void)
{
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_validate_options o = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_diag *diag = NULL;
	char path[1024];
	int rc;

	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	o.threads = 2;
	rc = platci_validate_run(cfg, &o, f, NULL, diag);
	cr_assert_eq(rc, 0, "run: %d", rc);
	platci_config_free(cfg);
	platci_diag_free(diag);
	return f;
}

static size_t count(const platci_findings *f, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < platci_findings_count(f); i++)
		n += !strcmp(platci_findings_at(f, i)->rule_id, rule);
	return n;
}

static const platci_finding *first(const platci_findings *f, const char *rule)
{
	for (size_t i = 0; i < platci_findings_count(f); i++)
		if (!strcmp(platci_findings_at(f, i)->rule_id, rule))
			return platci_findings_at(f, i);
	return NULL;
}

Test(validate, the_base_tree_is_clean)
{
	platci_findings *f = run();
	size_t n = 0;
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		if (!strcmp(platci_findings_at(f, i)->rule_id, "schema.unavailable"))
			continue; /* the one note: no schema folder is configured */
		n++;
		cr_log_error("%s:%zu %s %s", platci_findings_at(f, i)->file,
			platci_findings_at(f, i)->line, platci_findings_at(f, i)->rule_id,
			platci_findings_at(f, i)->message);
	}
	cr_expect_eq(n, 0);
	platci_findings_free(f);
}

Test(validate, kubernetes_fields_and_duplicates)
{
	platci_findings *f;
	put("gitops/apps/dev/bad.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\n"
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\nvalues: {only: data}\n");
	f = run();
	cr_expect_eq(count(f, "k8s.missing-field"), 1);
	cr_expect_eq(first(f, "k8s.missing-field")->line, 1);
	cr_expect_eq(count(f, "k8s.duplicate-object"), 1);
	cr_expect_str_eq(first(f, "k8s.duplicate-object")->env, "dev");
	cr_expect_str_eq(first(f, "k8s.duplicate-object")->message,
		"ConfigMap x/a is defined twice in dev's tree (also gitops/apps/dev/bad.yaml)");
	platci_findings_free(f);
}

/* A duplicate names the object as a reader would: kind, namespace/name, the API group's version. */
Test(validate, duplicates_name_the_object_readably)
{
	platci_findings *f;
	const char *objs =
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: podinfo}\n---\n"
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: podinfo}\n";
	put("gitops/apps/dev/one.yaml", objs);
	put("gitops/apps/dev/two.yaml", objs);
	f = run();
	cr_assert_eq(count(f, "k8s.duplicate-object"), 2);
	for (size_t i = 0, n = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		static const char *const want[] = {
			"Namespace podinfo is defined twice in dev's tree (also gitops/apps/dev/one.yaml)",
			"apps/v1 Deployment podinfo/web is defined twice in dev's tree (also gitops/apps/dev/one.yaml)",
		};
		if (strcmp(x->rule_id, "k8s.duplicate-object") != 0)
			continue;
		cr_expect_str_eq(x->message, want[n]);
		cr_expect_str_eq(x->file, "gitops/apps/dev/two.yaml");
		n++;
	}
	platci_findings_free(f);
}

Test(validate, namespace_overrides_keep_copies_apart)
{
	platci_findings *f;
	put("gitops/apps/dev/kustomization.yaml", "resources: [cm.yaml, one, two]\n");
	put("gitops/apps/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\n");
	put("gitops/apps/dev/one/kustomization.yaml", "namespace: one\nresources: [../../base]\n");
	put("gitops/apps/dev/two/kustomization.yaml", "namespace: two\nresources: [../../base]\n");
	f = run();
	cr_expect_eq(count(f, "k8s.duplicate-object"), 0);
	platci_findings_free(f);
	put("gitops/apps/dev/two/kustomization.yaml", "namespace: one\nresources: [../../base]\n");
	f = run();
	cr_expect_eq(count(f, "k8s.duplicate-object"), 1);
	cr_expect_str_eq(first(f, "k8s.duplicate-object")->message,
		"ConfigMap one/shared is defined twice in dev's tree (also gitops/apps/base/cm.yaml)",
		"the namespace the kustomization gives it");
	platci_findings_free(f);
}

Test(validate, flux_kustomization_checks)
{
	platci_findings *f;
	put("gitops/apps/dev/ks.yaml",
		"apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata: {name: k1, namespace: flux-system}\n"
		"spec:\n  path: ./gitops/nowhere\n  sourceRef: {kind: GitRepository, name: flux-system}\n"
		"  dependsOn: [{name: k2}, {name: ghost}]\n---\n"
		"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: k2, namespace: flux-system}\n"
		"spec: {interval: 1m, prune: false, sourceRef: {kind: OCIRepository, name: missing}, dependsOn: [{name: k1}]}\n");
	f = run();
	cr_expect_eq(count(f, "flux.path-missing"), 1);
	cr_expect_eq(count(f, "flux.kustomization-interval"), 1);
	cr_expect_eq(count(f, "flux.kustomization-prune"), 1);
	cr_expect_eq(count(f, "flux.source-undefined"), 1);
	cr_expect_eq(count(f, "flux.dependson-undefined"), 1);
	cr_expect_eq(count(f, "flux.dependson-cycle"), 2);
	cr_expect_eq(count(f, "flux.api-removed"), 1);
	cr_expect_eq(first(f, "flux.api-removed")->enforcement, PLATCI_ENFORCE_WARN);
	cr_expect(strstr(first(f, "flux.api-removed")->message, "kustomize.toolkit.fluxcd.io/v1") != NULL);
	platci_findings_free(f);
}

Test(validate, helm_releases)
{
	platci_findings *f;
	const char *hr =
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: h, namespace: x}\n"
		"spec:\n  interval: 1h\n  chart:\n    spec:\n      chart: c\n      version: '>=1.0.0'\n"
		"      sourceRef: {kind: HelmRepository, name: repo}\n";
	put("gitops/apps/dev/hr.yaml", hr);
	put("gitops/apps/prd/hr.yaml", hr);
	f = run();
	cr_expect_eq(count(f, "flux.helm-source-undefined"), 2);
	cr_expect_eq(count(f, "flux.helm-version-range"), 1, "only the protected environment");
	cr_expect_str_eq(first(f, "flux.helm-version-range")->env, "prd");
	cr_expect_eq(first(f, "flux.helm-version-range")->line, 9);
	platci_findings_free(f);
	put("gitops/apps/prd/repo.yaml",
		"apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n"
		"metadata: {name: repo, namespace: x}\nspec: {interval: 1h, url: 'https://x'}\n");
	put("gitops/apps/prd/hr.yaml",
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: h, namespace: x}\n"
		"spec:\n  chart:\n    spec: {chart: c, version: 1.2.3, sourceRef: {kind: HelmRepository, name: repo}}\n");
	f = run();
	cr_expect_eq(count(f, "flux.helm-version-range"), 0);
	cr_expect_eq(count(f, "flux.helm-source-undefined"), 0);
	platci_findings_free(f);
}

Test(validate, helm_versions_after_the_protected_overlay_patches)
{
	platci_findings *f;
	put("gitops/apps/base/hr.yaml",
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
		"metadata: {name: h, namespace: x}\nspec:\n  chart:\n    spec:\n      chart: c\n"
		"      version: '1.x'\n      sourceRef: {kind: HelmRepository, name: flux-system}\n");
	put("gitops/apps/prd/kustomization.yaml", "resources: [cm.yaml, ../base/hr.yaml]\n");
	f = run();
	cr_expect_eq(count(f, "flux.helm-version-range"), 1, "the base range reaches prd");
	cr_expect_str_eq(first(f, "flux.helm-version-range")->file, "gitops/apps/base/hr.yaml");
	cr_expect_str_eq(first(f, "flux.helm-version-range")->env, "prd");
	platci_findings_free(f);
	put("gitops/apps/prd/kustomization.yaml",
		"resources: [cm.yaml, ../base/hr.yaml]\npatches: [{path: pin.yaml}]\n");
	put("gitops/apps/prd/pin.yaml",
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
		"metadata: {name: h, namespace: x}\nspec: {chart: {spec: {version: 1.4.2}}}\n");
	f = run();
	cr_expect_eq(count(f, "flux.helm-version-range"), 0, "prd pins it with a patch");
	platci_findings_free(f);
}

Test(validate, terraform_layout)
{
	platci_findings *f;
	put("infra/envs/prd/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n"
		"  required_providers {\n    azurerm = {\n      source = \"hashicorp/azurerm\"\n    }\n"
		"    random = \">= 3.0\"\n    null = { version = \"~> 3.2\" }\n  }\n}\n"
		"module \"a\" {\n  source = \"git::https://example.com/m.git\"\n}\n"
		"module \"b\" {\n  source = \"Azure/aks/azurerm\"\n}\n"
		"module \"c\" {\n  source = \"git::https://example.com/m.git?ref=v1.2.0\"\n}\n");
	put("infra/envs/dev/main.tf", "# no backend\n");
	put("infra/modules/broken/main.tf", "resource \"x\" \"y\" {\n  a = \"unterminated\n}\n");
	f = run();
	cr_expect_eq(count(f, "tf.shared-state-key"), 0, "dev has no key any more");
	cr_expect_eq(count(f, "tf.no-backend"), 1);
	cr_assert_not_null(first(f, "tf.no-backend"));
	cr_expect_str_eq(first(f, "tf.no-backend")->file, "infra/envs/dev/main.tf", "a file, not the folder");
	cr_expect_eq(first(f, "tf.no-backend")->line, 1);
	cr_expect_eq(first(f, "tf.no-backend")->column, 1);
	cr_expect_eq(count(f, "tf.unpinned-provider"), 2);
	cr_expect_eq(count(f, "tf.unpinned-module"), 2);
	/* the scanner reads facts, not syntax: a file it cannot read is a warning with its position */
	cr_expect_eq(count(f, "tf.syntax"), 0);
	cr_expect_eq(count(f, "tf.facts-unreadable"), 1);
	cr_assert_not_null(first(f, "tf.facts-unreadable"));
	cr_expect_eq(first(f, "tf.facts-unreadable")->line, 2);
	cr_expect_eq(first(f, "tf.facts-unreadable")->enforcement, PLATCI_ENFORCE_WARN);
	cr_expect(strstr(first(f, "tf.facts-unreadable")->message,
			  "could not read facts from infra/modules/broken/main.tf at 2:7") != NULL);
	platci_findings_free(f);
	put("infra/envs/dev/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n");
	f = run();
	cr_expect_eq(count(f, "tf.shared-state-key"), 1);
	cr_expect_eq(count(f, "tf.no-backend"), 0);
	platci_findings_free(f);
}

Test(validate, gitlab_ci)
{
	platci_findings *f;
	put(".gitlab-ci.yml",
		"stages: [build]\ninclude:\n  - local: ci/a.yml\n  - local: ci/missing.yml\n"
		"job1:\n  stage: build\n  script: [x]\n"
		"job2:\n  stage: deploy\n  needs: [job1, nojob, {job: opt, optional: true}]\n  dependencies: [ghost]\n"
		"  extends: [.tpl, .none]\n  script: [x]\n");
	put("ci/a.yml", ".tpl:\n  image: x\n");
	f = run();
	cr_expect_eq(count(f, "ci.missing-include"), 1);
	cr_expect_eq(count(f, "ci.undeclared-stage"), 1);
	cr_expect_eq(count(f, "ci.unknown-target"), 3);
	cr_expect_eq(first(f, "ci.undeclared-stage")->line, 9);
	platci_findings_free(f);
}

Test(validate, yaml_problems_are_findings_with_positions)
{
	platci_findings *f;
	put("gitops/apps/dev/broken.yaml", "a: [1,\n");
	put("gitops/apps/dev/dup.yaml", "a: 1\na: 2\n");
	f = run();
	cr_expect_eq(count(f, "yaml.syntax"), 1);
	cr_expect_eq(count(f, "yaml.duplicate-key"), 1);
	cr_expect_eq(first(f, "yaml.duplicate-key")->line, 2);
	platci_findings_free(f);
}

Test(validate, a_broken_policy_stops_the_run)
{
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_diag *diag = NULL;
	char path[1024];

	put("platci.yaml",
		"version: 1\nenvironments:\n  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev, overlay: gitops/apps/dev}\n"
		"policies: {manifests: policies/manifests.yaml}\n");
	put("policies/manifests.yaml", "rules:\n  - id: X\n    require: [{path: a, bogus: 1}]\n");
	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_expect_eq(platci_validate_run(cfg, NULL, f, NULL, diag), PLATCI_EDATA);
	cr_expect_eq(platci_diag_at(diag, 0)->line, 3);
	platci_findings_free(f);
	platci_config_free(cfg);
	platci_diag_free(diag);
}

Test(validate, labels_every_overlay_adds_count)
{
	platci_findings *f;

	put("platci.yaml",
		"version: 1\nenvironments:\n"
		"  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev, overlay: gitops/apps/dev}\n"
		"  - {name: prd, infra: infra/envs/prd, cluster: gitops/clusters/prd, overlay: gitops/apps/prd, "
		"promote_from: dev, protected: true}\n"
		"policies: {manifests: policies/manifests.yaml}\n");
	put("policies/manifests.yaml",
		"rules:\n"
		"  - id: OWN\n    severity: major\n    match: {kinds: [Namespace, Deployment]}\n"
		"    require:\n      - {path: metadata.labels.team, exists: true}\n"
		"      - {path: metadata.labels.environment, exists: true}\n"
		"  - id: TMPL\n    severity: major\n    match: {kinds: [Deployment]}\n"
		"    require: [{path: spec.template.metadata.labels.team, exists: true}]\n");
	put("gitops/apps/base/kustomization.yaml",
		"resources: [ns.yaml, deploy.yaml]\nlabels:\n  - pairs: {team: platform}\n    includeTemplates: true\n");
	put("gitops/apps/base/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n");
	put("gitops/apps/base/deploy.yaml",
		"apiVersion: apps/v1\nkind: Deployment\n"
		"metadata: {name: web, namespace: web}\nspec: {template: {spec: {containers: [{name: c, image: x}]}}}\n");
	put("gitops/apps/dev/kustomization.yaml",
		"resources: [../base]\nlabels:\n  - pairs: {environment: dev}\n");
	put("gitops/apps/prd/kustomization.yaml",
		"resources: [../base]\nlabels:\n  - pairs: {environment: prd}\n");
	f = run();
	cr_expect_eq(count(f, "OWN"), 0, "both overlays add environment, the base adds team");
	cr_expect_eq(count(f, "TMPL"), 0, "includeTemplates reaches the pod template");
	platci_findings_free(f);

	/* only one overlay adds it: prd's copies would have no environment label */
	put("gitops/apps/prd/kustomization.yaml", "resources: [../base]\n");
	f = run();
	cr_expect_eq(count(f, "OWN"), 2, "the Namespace and the Deployment");
	cr_expect(first(f, "OWN") && strstr(first(f, "OWN")->message, "environment"));
	platci_findings_free(f);

	/* labels without includeTemplates stay off the pod template */
	put("gitops/apps/base/kustomization.yaml",
		"resources: [ns.yaml, deploy.yaml]\nlabels:\n  - pairs: {team: platform}\n");
	f = run();
	cr_expect_eq(count(f, "TMPL"), 1);
	platci_findings_free(f);
}

/*
 * A run that stops before its checks frees what it made and touches no
 * lock it did not create: the run holds no lock outside a phase, and its
 * state is zeroed before the first step that can fail. (The path that
 * destroyed uninitialised mutexes was an allocation failure, which these
 * tests cannot inject; run them under valgrind or ASan.)
 */
Test(validate, a_run_that_stops_early_frees_everything)
{
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_diag *diag = NULL;
	platci_validate_options o = PLATCI_VALIDATE_OPTIONS_INIT;
	char path[1024];

	put("platci.yaml",
		"version: 1\nenvironments:\n  - {name: dev, infra: infra/envs/dev, cluster: gitops/clusters/dev, overlay: gitops/apps/dev}\n"
		"policies: {manifests: policies/manifests.yaml}\n");
	put("policies/manifests.yaml", "rules: []\n");
	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	snprintf(path, sizeof(path), "%s/policies/manifests.yaml", dir);
	cr_assert_eq(unlink(path), 0);
	cr_expect_lt(platci_validate_run(cfg, &o, f, NULL, diag), 0, "the policy is gone");
	cr_expect_eq(platci_findings_count(f), 0);
	o.version = 99;
	cr_expect_eq(platci_validate_run(cfg, &o, f, NULL, diag), PLATCI_EINVALID);
	platci_findings_free(f);
	platci_config_free(cfg);
	platci_diag_free(diag);
}

/* tf.no-backend points where the backend belongs: the root's terraform block, else main.tf, else its first file. */
Test(validate, a_missing_backend_is_reported_where_it_belongs)
{
	platci_findings *f;
	put("infra/envs/dev/main.tf", "# no backend\n");
	put("infra/envs/dev/a.tf", "variable \"x\" {}\n");
	put("infra/envs/prd/main.tf", "locals {\n  a = 1\n}\n");
	put("infra/envs/prd/versions.tf", "\n\n  terraform {\n  required_version = \">= 1.5\"\n}\n");
	f = run();
	cr_assert_eq(count(f, "tf.no-backend"), 2);
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		if (strcmp(x->rule_id, "tf.no-backend") != 0)
			continue;
		if (strcmp(x->env, "dev") == 0) {
			cr_expect_str_eq(x->file, "infra/envs/dev/main.tf");
			cr_expect_eq(x->line, 1);
		} else {
			cr_expect_str_eq(x->file, "infra/envs/prd/versions.tf");
			cr_expect_eq(x->line, 3);
			cr_expect_eq(x->column, 3);
		}
	}
	platci_findings_free(f);
	unlink_file("infra/envs/dev/main.tf");
	f = run();
	cr_assert_not_null(first(f, "tf.no-backend"));
	cr_expect_str_eq(first(f, "tf.no-backend")->file, "infra/envs/dev/a.tf",
		"no main.tf: the first file");
	platci_findings_free(f);
}

/* Valid Terraform the scanner once refused at deny (issue 13, item 5) passes, and its facts count. */
Test(validate, valid_terraform_the_scanner_once_refused)
{
	platci_findings *f;
	put("infra/envs/dev/main.tf",
		"locals {\n  labels = {\n    \"pool\" : \"system\"\n  }\n"
		"  name = \"${format(\"%s-{x}\", var.a)}\"\n}\n"
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n"
		"module \"m\" {\n  source = \"git::https://example.com/m.git\"\n}\n");
	f = run();
	cr_expect_eq(count(f, "tf.syntax"), 0);
	cr_expect_eq(count(f, "tf.facts-unreadable"), 0);
	cr_expect_eq(count(f, "tf.no-backend"), 0, "the backend after them is read");
	cr_expect_eq(count(f, "tf.unpinned-module"), 1, "so is the module");
	cr_expect_eq(platci_findings_has_deny(f), 1);
	platci_findings_free(f);
}

/* A root whose facts cannot be read is not said to lack a backend: the warning says what is unknown. */
Test(validate, an_unread_root_file_is_not_a_missing_backend)
{
	platci_findings *f;
	put("infra/envs/dev/main.tf",
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\n  }\n}\n");
	f = run();
	cr_expect_eq(count(f, "tf.no-backend"), 0);
	cr_expect_eq(count(f, "tf.facts-unreadable"), 1);
	cr_expect_eq(platci_findings_has_deny(f), 0);
	platci_findings_free(f);
}

/*
 * terraform fmt's output, as terraform 1.11 prints it with -no-color
 * (recorded from `terraform fmt -check -recursive -list=true -no-color
 * infra` on two broken files), becomes tf.fmt and tf.syntax findings.
 */
Test(validate, terraform_fmt_output_becomes_findings)
{
	static const char listed[] = "infra/envs/dev/main.tf\ninfra/modules/x/a.tf\n";
	static const char errors[] =
		"There are some problems with the CLI configuration:\n\xe2\x95\xb7\n"
		"\xe2\x94\x82 Warning: Unable to open CLI configuration file\n\xe2\x94\x82\n"
		"\xe2\x94\x82 The CLI configuration file at \"x\" does not exist.\n\xe2\x95\xb5\n\n"
		"Error: Invalid multi-line string\n\n  on infra/envs/dev/bad.tf line 2, in resource \"x\" \"y\":\n"
		"   2:   a = \"unterminated\n   3: }\n\nQuoted strings may not be split over multiple lines.\n\n"
		"Error: Invalid multi-line string\n\n  on infra/envs/dev/bad.tf line 3, in resource \"x\" \"y\":\n"
		"   3: }\n\n"
		"Error: Unclosed configuration block\n\n  on infra/modules/x/bad2.tf line 1:\n   1: locals {\n\n"
		"Error: Failed to read directory\n\nno such folder\n";
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_diag *diag = NULL;
	char path[1024];

	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_validate_terraform_fmt(f, cfg, listed, errors, NULL, NULL, diag), 0);
	cr_assert_eq(platci_findings_count(f), 5);
	cr_expect_str_eq(platci_findings_at(f, 0)->rule_id, "tf.fmt");
	cr_expect_str_eq(platci_findings_at(f, 0)->env, "dev");
	cr_expect_eq(platci_findings_at(f, 0)->enforcement, PLATCI_ENFORCE_WARN);
	cr_expect_str_eq(platci_findings_at(f, 1)->file, "infra/modules/x/a.tf");
	cr_expect_str_eq(platci_findings_at(f, 2)->rule_id, "tf.syntax");
	cr_expect_str_eq(platci_findings_at(f, 2)->file, "infra/envs/dev/bad.tf");
	cr_expect_eq(platci_findings_at(f, 2)->line, 2);
	cr_expect_eq(platci_findings_at(f, 2)->enforcement, PLATCI_ENFORCE_DENY);
	cr_expect_str_eq(platci_findings_at(f, 2)->message, "terraform fmt: Invalid multi-line string");
	cr_expect_eq(platci_findings_at(f, 3)->line, 3);
	cr_expect_str_neq(platci_findings_at(f, 2)->fingerprint, platci_findings_at(f, 3)->fingerprint,
		"the same error twice in a file: two fingerprints");
	cr_expect_str_eq(platci_findings_at(f, 4)->file, "infra/modules/x/bad2.tf");
	cr_expect_eq(platci_findings_at(f, 4)->line, 1);
	cr_expect_eq(platci_diag_count(diag), 1, "the error without a position is a warning");
	cr_expect(strstr(platci_diag_at(diag, 0)->message, "Failed to read directory") != NULL);
	platci_findings_free(f);
	platci_config_free(cfg);
	platci_diag_free(diag);
}

static void add_f(platci_findings *l, const char *rule, const char *file, const char *key)
{
	platci_finding f;
	memset(&f, 0, sizeof(f));
	f.rule_id = rule;
	f.message = "m";
	f.file = file;
	f.key = key;
	f.enforcement = PLATCI_ENFORCE_DENY;
	f.severity = PLATCI_SEVERITY_MAJOR;
	cr_assert_eq(platci_findings_add(l, &f), 0);
}

/*
 * Fingerprints are compared as a multiset, as GitLab's Code Quality
 * widget compares reports: two copies at the head and one at the base
 * are one existing and one new.
 */
Test(validate, comparing_fingerprints_with_the_merge_base)
{
	platci_findings *base, *all, *kept, *out, *fixed;

	platci_findings_new(&base);
	platci_findings_new(&all);
	platci_findings_new(&kept);
	platci_findings_new(&out);
	platci_findings_new(&fixed);
	add_f(base, "r.twice", "a.yaml", "k");
	add_f(base, "r.gone", "b.yaml", "k");
	add_f(base, "r.untouched", "c.yaml", "k");
	add_f(all, "r.twice", "a.yaml", "k");
	add_f(all, "r.twice", "a.yaml", "k");
	add_f(all, "r.untouched", "c.yaml", "k");
	add_f(kept, "r.twice", "a.yaml", "k");
	add_f(kept, "r.twice", "a.yaml", "k");
	cr_assert_eq(platci_validate__compare(out, kept, all, base, PLATCI_ENFORCE_WARN, fixed), 0);
	cr_assert_eq(platci_findings_count(out), 2);
	cr_expect_eq(platci_findings_at(out, 0)->baseline, PLATCI_BASELINE_EXISTING);
	cr_expect_eq(platci_findings_at(out, 0)->enforcement, PLATCI_ENFORCE_WARN);
	cr_expect_eq(platci_findings_at(out, 1)->baseline, PLATCI_BASELINE_NEW);
	cr_expect_eq(platci_findings_at(out, 1)->enforcement, PLATCI_ENFORCE_DENY);
	cr_expect_str_eq(platci_findings_at(out, 0)->fingerprint,
		platci_findings_at(kept, 0)->fingerprint, "the identity stays");
	cr_assert_eq(platci_findings_count(fixed), 1, "only what the head no longer has is fixed");
	cr_expect_str_eq(platci_findings_at(fixed, 0)->rule_id, "r.gone");
	cr_expect_eq(platci_findings_at(fixed, 0)->baseline, PLATCI_BASELINE_FIXED);
	platci_findings_free(out);
	platci_findings_new(&out);
	cr_assert_eq(platci_validate__compare(out, kept, all, base, PLATCI_ENFORCE_DENY, NULL), 0);
	cr_expect_eq(platci_findings_at(out, 0)->enforcement, PLATCI_ENFORCE_DENY,
		"validate.existing: deny keeps the level");
	platci_findings_free(base);
	platci_findings_free(all);
	platci_findings_free(kept);
	platci_findings_free(out);
	platci_findings_free(fixed);
}

/* A HelmRelease @p name whose chart version is a range. */
static void put_range(const char *file, const char *name)
{
	char text[512];
	snprintf(text, sizeof(text),
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
		"metadata: {name: %s, namespace: x}\nspec:\n  interval: 1h\n  chart:\n    spec:\n"
		"      chart: c\n      version: '>=1.0.0'\n"
		"      sourceRef: {kind: HelmRepository, name: flux-system}\n",
		name);
	put(file, text);
}

/* A full run with a merge base: the same tree twice, then one finding fixed and one added. */
Test(validate, a_run_compared_with_its_merge_base)
{
	char *head = dir, *base_dir, path[1024];
	platci_config *cfg = NULL, *base = NULL;
	platci_findings *f = NULL, *fixed = NULL;
	platci_validate_options o = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_validate_stats st = { 0, 0, 0, 0 };

	/* the merge base: the set-up tree plus two ranges in protected prd */
	base_dir = th_tmpdir();
	dir = base_dir;
	setup_tree();
	put_range("gitops/apps/prd/one.yaml", "one");
	put_range("gitops/apps/prd/two.yaml", "two");
	dir = head;
	/* the head: "one" stays, "two" is pinned, "three" is new */
	put_range("gitops/apps/prd/one.yaml", "one");
	put_range("gitops/apps/prd/three.yaml", "three");
	snprintf(path, sizeof(path), "%s/platci.yaml", head);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, NULL), 0);
	snprintf(path, sizeof(path), "%s/platci.yaml", base_dir);
	cr_assert_eq(platci_config_load(&base, path, NULL, NULL, NULL), 0);
	platci_findings_new(&f);
	platci_findings_new(&fixed);
	o.base = base;
	o.fixed = fixed;
	cr_assert_eq(platci_validate_run(cfg, &o, f, &st, NULL), 0);
	cr_expect_eq(st.compared, 1);
	cr_assert_eq(count(f, "flux.helm-version-range"), 2);
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		int is_one = strstr(x->file, "one.yaml") != NULL;
		if (strcmp(x->rule_id, "flux.helm-version-range") != 0)
			continue;
		cr_expect_eq(x->baseline, is_one ? PLATCI_BASELINE_EXISTING : PLATCI_BASELINE_NEW,
			"%s", x->file);
		cr_expect_eq(x->enforcement, is_one ? PLATCI_ENFORCE_WARN : PLATCI_ENFORCE_DENY,
			"%s", x->file);
	}
	/* two.yaml's range and its undefined chart source (HelmRepository flux-system) are gone */
	cr_assert_eq(platci_findings_count(fixed), 2);
	for (size_t i = 0; i < 2; i++)
		cr_expect_str_eq(platci_findings_at(fixed, i)->file, "gitops/apps/prd/two.yaml");
	cr_expect_eq(count(fixed, "flux.helm-version-range"), 1);
	platci_findings_free(f);
	platci_findings_free(fixed);
	platci_config_free(cfg);
	platci_config_free(base);
	th_rmrf(base_dir);
	free(base_dir);
}
