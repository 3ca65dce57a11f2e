/* platci_discover: the rules of platci/discover.h on small trees made here. */
#include "test_helpers.h"

static const char *flux_sync =
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
	"metadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  path: ./x\n";
static const char *kustomization =
	"apiVersion: kustomize.config.k8s.io/v1beta1\n"
	"kind: Kustomization\nresources: []\n";
static const char *backend = "terraform {\n  backend \"azurerm\" {\n    key = \"x\"\n  }\n}\n";

static void put(const char *dir, const char *name, const char *data)
{
	free(th_write(dir, name, data, strlen(data)));
}

static platci_discover *run(const char *dir, int want)
{
	platci_discover *d = NULL;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_discover_run(&d, dir, NULL, diag), want, "%s",
		platci_diag_count(diag) ? platci_diag_at(diag, 0)->message : "");
	platci_diag_free(diag);
	return d;
}

static char *render(const platci_discover *d)
{
	platci_buf b = PLATCI_BUF_INIT;
	char *s;
	cr_assert_eq(platci_discover_render(&b, d), 0);
	s = strdup(b.ptr);
	platci_buf_dispose(&b);
	return s;
}

/* The layout of this repository: gitops/clusters/<env>/flux-system, gitops/apps/<env>,
 * infra/envs/<env> with a backend, policies/. Expected text worked out from the rules. */
Test(discover, flux_and_terraform_pair_by_name)
{
	char *dir = th_tmpdir(), *y;
	const char *envs[] = { "prd-uaenorth", "dev-uaenorth", "stg-uaenorth" };
	platci_discover *d;

	for (size_t i = 0; i < 3; i++) {
		char p[128];
		snprintf(p, sizeof(p), "gitops/clusters/%s/flux-system/gotk-sync.yaml", envs[i]);
		put(dir, p, flux_sync);
		snprintf(p, sizeof(p), "gitops/apps/%s/kustomization.yaml", envs[i]);
		put(dir, p, kustomization);
		snprintf(p, sizeof(p), "infra/envs/%s/versions.tf", envs[i]);
		put(dir, p, backend);
	}
	put(dir, "infra/modules/aks/main.tf", "resource \"x\" \"y\" {}\n");
	/* a root named after no cluster, beside clusters: shared, not an environment */
	put(dir, "infra/global/backend.tf", backend);
	put(dir, "policies/gates.yaml", "version: 1\n");
	put(dir, ".git/clusters/evil/flux-system/gotk-sync.yaml", flux_sync);
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 3);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->name, "dev-uaenorth");
	cr_expect_str_eq(platci_discover_env_at(d, 2)->name, "prd-uaenorth");
	cr_expect_str_eq(platci_discover_env_at(d, 1)->infra, "infra/envs/stg-uaenorth");
	cr_expect_str_eq(platci_discover_env_at(d, 1)->overlay, "gitops/apps/stg-uaenorth");
	cr_expect_str_eq(platci_discover_policy(d, "gates"), "policies/gates.yaml");
	cr_expect_null(platci_discover_policy(d, "scan"));
	cr_expect_null(platci_discover_env_at(d, 3));
	y = render(d);
	cr_expect(strstr(y, "version: 1\ngitops: gitops\ninfra: infra\nenvironments:") != NULL, "%s", y);
	cr_expect(strstr(y,
			  "  - name: stg-uaenorth\n"
			  "    infra:   infra/envs/stg-uaenorth             # Terraform root with a backend\n"
			  "    cluster: gitops/clusters/stg-uaenorth        # holds flux-system/ (Flux bootstrap)\n"
			  "    overlay: gitops/apps/stg-uaenorth            # apps overlay (promotion edits it)\n"
			  "    # promote_from: dev-uaenorth\n") != NULL,
		"%s", y);
	cr_expect(strstr(y,
			  "# infra/global is a Terraform root too, named after no cluster: shared, "
			  "not an environment\npolicies:\n  gates: policies/gates.yaml\n") != NULL,
		"%s", y);
	cr_expect(strstr(y, "evil") == NULL, "hidden folders are skipped");
	free(y);
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);
}

Test(discover, flux_only_has_no_infra)
{
	char *dir = th_tmpdir(), *y;
	platci_discover *d;

	put(dir, "clusters/production/flux-system/kustomization.yaml", kustomization);
	put(dir, "clusters/staging/flux-system/gotk-components.yaml", "---\n");
	put(dir, "apps/production/kustomization.yaml", kustomization);
	put(dir, "envs/production/main.tf", "# no backend here: not a root\n");
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 2);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->name, "staging");
	cr_expect_null(platci_discover_env_at(d, 0)->overlay);
	cr_expect_str_eq(platci_discover_env_at(d, 1)->overlay, "apps/production");
	y = render(d);
	cr_expect(strstr(y, "infra") == NULL, "%s", y);
	cr_expect(strstr(y, "gitops: .\n") != NULL, "%s", y);
	free(y);
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);
}

Test(discover, terraform_only)
{
	char *dir = th_tmpdir(), *y;
	platci_discover *d;

	put(dir, "envs/prod/backend.tf", backend);
	put(dir, "envs/dev/backend.tf", backend);
	/* "backend" in a comment and in a string is no backend block */
	put(dir, "envs/tmp/main.tf", "# terraform { backend \"s3\" {} }\nlocals { s = \"backend\" }\n");
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 2);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->name, "dev");
	cr_expect_null(platci_discover_env_at(d, 0)->cluster);
	y = render(d);
	cr_expect(strstr(y, "gitops") == NULL && strstr(y, "cluster") == NULL, "%s", y);
	cr_expect(strstr(y, "infra: .\n") != NULL, "%s", y);
	free(y);
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);
}

Test(discover, flux_kustomizations_outermost_then_overlays)
{
	char *dir = th_tmpdir();
	platci_discover *d;

	/* rule 2: no flux-system anywhere; the nested folder is part of the outer one */
	put(dir, "flux/apps.yaml", flux_sync);
	put(dir, "flux/config/cluster.yaml", flux_sync);
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 1);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->cluster, "flux");
	cr_expect_str_eq(platci_discover_env_at(d, 0)->why, "holds Flux Kustomizations");
	/* a generic folder name gives way to the repository's folder name, made a valid name
	 * (th_tmpdir makes platci-unit.XXXXXX: lower case, '.' becomes '-') */
	cr_expect(strncmp(platci_discover_env_at(d, 0)->name, "platci-unit-", 12) == 0, "%s",
		platci_discover_env_at(d, 0)->name);
	for (const char *c = platci_discover_env_at(d, 0)->name; *c; c++)
		cr_expect((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);

	/* rule 3: overlays beside base/ */
	dir = th_tmpdir();
	put(dir, "base/kustomization.yaml", kustomization);
	put(dir, "Production/kustomization.yaml", kustomization);
	put(dir, "qa/kustomization.yaml", kustomization);
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 2);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->name, "qa");
	cr_expect_str_eq(platci_discover_env_at(d, 1)->name, "production");
	cr_expect_str_eq(platci_discover_env_at(d, 1)->overlay, "Production");
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);
}

Test(discover, same_names_are_made_unique)
{
	char *dir = th_tmpdir();
	platci_discover *d;

	put(dir, "a/clusters/prod/flux-system/gotk-sync.yaml", flux_sync);
	put(dir, "b/clusters/prod/flux-system/gotk-sync.yaml", flux_sync);
	put(dir, "site-x/cluster/flux-system/gotk-sync.yaml", flux_sync);
	d = run(dir, 0);
	cr_assert_eq(platci_discover_env_count(d), 3);
	cr_expect_str_eq(platci_discover_env_at(d, 0)->name, "site-x");
	cr_expect_str_eq(platci_discover_env_at(d, 1)->name, "prod");
	cr_expect_str_eq(platci_discover_env_at(d, 2)->name, "prod-2");
	platci_discover_free(d);
	th_rmrf(dir);
	free(dir);
}

Test(discover, nothing_found_says_what_was_looked_for)
{
	char *dir = th_tmpdir();
	platci_discover *d = (platci_discover *)1;
	platci_diag *diag = NULL;
	platci_discover_options o;

	put(dir, "README.md", "hello\n");
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_expect_eq(platci_discover_run(&d, dir, NULL, diag), PLATCI_ENOTFOUND);
	cr_expect_null(d);
	cr_expect(strstr(platci_diag_at(diag, 0)->message, "Terraform roots with a backend") != NULL);
	cr_expect_eq(platci_discover_run(&d, "/nonexistent/x", NULL, NULL), PLATCI_ENOTFOUND);
	cr_expect_eq(platci_discover_options_init(&o, 7), PLATCI_EINVALID);
	cr_assert_eq(platci_discover_options_init(&o, PLATCI_DISCOVER_OPTIONS_VERSION), 0);
	o.max_dirs = 2;
	put(dir, "a/b/c/kustomization.yaml", kustomization);
	cr_expect_eq(platci_discover_run(&d, dir, &o, diag), PLATCI_ELIMIT);
	cr_expect_eq(platci_discover_env_count(NULL), 0);
	platci_discover_free(NULL);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}
