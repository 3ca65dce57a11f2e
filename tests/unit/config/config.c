#include "test_helpers.h"

static const char *layout[] = { "infra/envs/dev", "infra/envs/prd", "gitops/clusters/dev",
	"gitops/clusters/prd", "gitops/apps/dev", "gitops/apps/prd", NULL };

static char *repo_with(const char *yaml)
{
	char *dir = th_tmpdir();
	for (int i = 0; layout[i]; i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s/.keep", layout[i]);
		free(th_write(dir, p, "", 0));
	}
	free(th_write(dir, "platci.yaml", yaml, strlen(yaml)));
	return dir;
}

static const char good[] =
	"version: 1\n"
	"environments:\n"
	"  - name: dev\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n    overlay: gitops/apps/dev\n"
	"  - name: prd\n    infra: infra/envs/prd\n    cluster: gitops/clusters/prd\n    overlay: gitops/apps/prd\n"
	"    promote_from: dev\n    protected: true\n";

static int load(const char *yaml, platci_config **cfg, platci_diag **diag, char **dir)
{
	char p[512];
	*dir = repo_with(yaml);
	snprintf(p, sizeof(p), "%s/platci.yaml", *dir);
	platci_diag_new(diag);
	return platci_config_load(cfg, p, NULL, NULL, *diag);
}

static void done(platci_config *cfg, platci_diag *diag, char *dir)
{
	platci_config_free(cfg);
	platci_diag_free(diag);
	th_rmrf(dir);
	free(dir);
}

Test(config, loads_a_good_file)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;
	cr_assert_eq(load(good, &cfg, &diag, &dir), 0);
	cr_assert_eq(platci_config_env_count(cfg), 2);
	cr_assert_str_eq(platci_config_env(cfg, "prd")->promote_from, "dev");
	cr_assert(platci_config_env(cfg, "prd")->is_protected);
	cr_assert_str_eq(platci_config_env_next(cfg, "dev")->name, "prd");
	cr_assert_str_eq(platci_config_env_for_path(cfg, "gitops/apps/prd/k.yaml")->name, "prd");
	cr_assert_null(platci_config_env_for_path(cfg, "gitops/apps/base/k.yaml"));
	cr_assert_str_eq(platci_config_substitute_patterns(cfg)[0], "*_VERSION");
	done(cfg, diag, dir);
}

static void expect_code(const char *yaml, int code, size_t line, const char *needle)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;
	int found = 0;

	cr_assert_eq(load(yaml, &cfg, &diag, &dir), code);
	cr_assert_null(cfg);
	for (size_t i = 0; i < platci_diag_count(diag); i++) {
		const platci_diag_entry *e = platci_diag_at(diag, i);
		if (strstr(e->message, needle) && (line == 0 || e->line == line))
			found = 1;
	}
	cr_assert(found, "no diagnostic \"%s\" at line %zu (first: %s:%zu)", needle, line,
		platci_diag_count(diag) ? platci_diag_at(diag, 0)->message : "none",
		platci_diag_count(diag) ? platci_diag_at(diag, 0)->line : 0);
	done(cfg, diag, dir);
}

static void expect_error(const char *yaml, size_t line, const char *needle)
{
	expect_code(yaml, PLATCI_EDATA, line, needle);
}

Test(config, unknown_keys_have_lines)
{
	expect_error("version: 1\nenvironmentz: []\n", 2, "unknown key \"environmentz\"");
}

Test(config, missing_paths)
{
	expect_error("version: 1\nenvironments:\n  - name: dev\n    infra: infra/envs/nope\n    cluster: gitops/clusters/dev\n",
		4, "does not exist");
}

Test(config, paths_outside_the_repo)
{
	expect_error("version: 1\nenvironments:\n  - name: dev\n    infra: ../../etc\n    cluster: gitops/clusters/dev\n",
		4, "leaves the repository");
}

Test(config, promote_from_cycles_and_unknowns)
{
	expect_error(
		"version: 1\nenvironments:\n"
		"  - name: dev\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n    promote_from: prd\n"
		"  - name: prd\n    infra: infra/envs/prd\n    cluster: gitops/clusters/prd\n    promote_from: dev\n",
		6, "forms a cycle");
	expect_error(
		"version: 1\nenvironments:\n"
		"  - name: dev\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n    promote_from: qa\n",
		6, "names no environment");
}

Test(config, duplicates_versions_and_types)
{
	expect_code("version: 2\nenvironments:\n  - name: dev\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n",
		PLATCI_EVERSION, 1, "unsupported version");
	expect_error(
		"version: 1\nenvironments:\n"
		"  - name: dev\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n"
		"  - name: dev\n    infra: infra/envs/prd\n    cluster: gitops/clusters/prd\n",
		6, "declared twice");
	expect_error("version: 1\nenvironments:\n  - name: Dev_1\n    infra: infra/envs/dev\n    cluster: gitops/clusters/dev\n    protected: maybe\n",
		0, "\"protected\" must be true or false");
	expect_error("version: 1\nenvironments: {}\n", 2, "must be a non-empty list");
}

Test(config, yaml_errors_pass_through)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;
	cr_assert_eq(load("version: 1\nversion: 1\n", &cfg, &diag, &dir), PLATCI_ESYNTAX);
	done(cfg, diag, dir);
}

Test(config, paths_are_normalised_once)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;

	cr_assert_eq(load("version: 1\ninfra: .\ngitops: ./gitops/\nenvironments:\n"
			  "  - name: dev\n    infra: ./infra//envs/dev/\n    cluster: gitops/apps/../clusters/dev\n",
			     &cfg, &diag, &dir),
		0);
	cr_assert_str_eq(platci_config_infra_root(cfg), ".");
	cr_assert_str_eq(platci_config_gitops_root(cfg), "gitops");
	cr_assert_str_eq(platci_config_env(cfg, "dev")->infra, "infra/envs/dev");
	cr_assert_str_eq(platci_config_env(cfg, "dev")->cluster, "gitops/clusters/dev");
	cr_assert_str_eq(platci_config_env_for_path(cfg, "infra/envs/dev/main.tf")->name, "dev");
	done(cfg, diag, dir);
}

Test(config, a_repository_may_lack_infra_or_gitops)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;

	cr_assert_eq(load("version: 1\nenvironments:\n  - name: dev\n    cluster: gitops/clusters/dev\n",
			     &cfg, &diag, &dir),
		0, "Flux only");
	cr_assert_null(platci_config_env(cfg, "dev")->infra);
	done(cfg, diag, dir);
	cr_assert_eq(load("version: 1\nenvironments:\n  - name: dev\n    infra: infra/envs/dev\n",
			     &cfg, &diag, &dir),
		0, "Terraform only");
	cr_assert_null(platci_config_env(cfg, "dev")->cluster);
	done(cfg, diag, dir);
	expect_error("version: 1\nenvironments:\n  - name: dev\n    region: x\n", 3,
		"environment \"dev\" needs \"infra\" (its Terraform root), \"cluster\" (its Flux "
		"cluster path) or both");
}

Test(config, the_platform_zone)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *dir;

	cr_assert_eq(load(good, &cfg, &diag, &dir), 0);
	cr_assert_str_eq(platci_config_timezone(cfg), "Asia/Dubai");
	cr_assert_eq(platci_config_utc_offset(cfg), 240);
	done(cfg, diag, dir);
	cr_assert_eq(load("version: 1\ntimezone: Asia/Kolkata\nenvironments:\n  - name: dev\n"
			  "    infra: infra/envs/dev\n",
			     &cfg, &diag, &dir),
		0);
	cr_assert_eq(platci_config_utc_offset(cfg), 330);
	done(cfg, diag, dir);
	expect_error(
		"version: 1\ntimezone: Europe/Berlin\nenvironments:\n  - name: dev\n"
		"    infra: infra/envs/dev\n",
		2, "unknown time zone \"Europe/Berlin\"");
}

Test(config, near_misses_are_named)
{
	expect_error(
		"version: 1\nenvironments:\n  - name: dev\n    infra: infra/envs/dev\n"
		"    protcted: true\n",
		5,
		"unknown key \"protcted\" in an environment; did you mean "
		"\"protected\"?");
	expect_error(
		"version: 1\nenvironments:\n"
		"  - name: dev\n    infra: infra/envs/dev\n"
		"  - name: prd\n    infra: infra/envs/prd\n    promote_from: dve\n",
		7, "promote_from \"dve\" names no environment; did you mean \"dev\"?");
}

/* schemas: {dir, strict, crds} and an environment's kubernetes_version (docs/schemas.md). */
Test(config, schemas_and_kubernetes_version)
{
	static const char yaml[] =
		"version: 1\n"
		"environments:\n"
		"  - name: dev\n    cluster: gitops/clusters/dev\n    kubernetes_version: \"1.30\"\n"
		"  - name: prd\n    cluster: gitops/clusters/prd\n"
		"schemas:\n  dir: ./schemas/\n  strict: true\n  crds: [gitops/clusters/dev/]\n";
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	const platci_schema_config *sc;
	char *dir;

	cr_assert_eq(load(yaml, &cfg, &diag, &dir), 0);
	cr_assert_str_eq(platci_config_env(cfg, "dev")->kubernetes_version, "1.30");
	cr_assert_null(platci_config_env(cfg, "prd")->kubernetes_version);
	sc = platci_config_schemas(cfg);
	cr_assert_str_eq(sc->dir, "schemas", "normalised; it need not exist yet (a fetch makes it)");
	cr_assert(sc->strict);
	cr_assert_eq(sc->ncrds, 1);
	cr_assert_str_eq(sc->crds[0], "gitops/clusters/dev");
	cr_assert_null(sc->crds[1]);
	done(cfg, diag, dir);
	cr_assert_eq(load(good, &cfg, &diag, &dir), 0);
	cr_assert_null(platci_config_schemas(cfg)->dir);
	cr_assert_eq(platci_config_schemas(cfg)->ncrds, 0);
	done(cfg, diag, dir);
}

Test(config, schemas_errors_have_lines)
{
	expect_error(
		"version: 1\nenvironments:\n  - name: dev\n    cluster: gitops/clusters/dev\n"
		"    kubernetes_version: latest\n",
		5, "is not a Kubernetes version");
	expect_error(
		"version: 1\nenvironments:\n  - name: dev\n    cluster: gitops/clusters/dev\n"
		"schemas:\n  crds: [gitops/none.yaml]\n",
		6, "does not exist");
	expect_error(
		"version: 1\nenvironments:\n  - name: dev\n    cluster: gitops/clusters/dev\n"
		"schemas:\n  dir: ../elsewhere\n",
		6, "leaves the repository");
	expect_error(
		"version: 1\nenvironments:\n  - name: dev\n    cluster: gitops/clusters/dev\n"
		"schemas:\n  strict: maybe\n",
		6, "strict");
}
