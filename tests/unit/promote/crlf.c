#include "promote_helpers.h"

static const char cfg_text[] =
	"version: 1\nenvironments:\n"
	"  - name: stg\n    infra: infra\n    cluster: c/stg\n    overlay: a/stg\n"
	"  - name: prd\n    infra: infra\n    cluster: c/prd\n    overlay: a/prd\n    promote_from: stg\n";

static void put(const char *dir, const char *rel, const char *text)
{
	free(th_write(dir, rel, text, strlen(text)));
}

static platci_promotion *plan(const char *dir, platci_config **cfg, int drop)
{
	platci_promote_options o = PLATCI_PROMOTE_OPTIONS_INIT;
	platci_promotion *p = NULL;
	char path[1024];

	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_config_load(cfg, path, NULL, NULL, NULL), 0);
	o.from = "stg";
	o.to = "prd";
	o.drop_digest = drop;
	cr_assert_eq(platci_promotion_plan(&p, *cfg, &o, NULL), 0);
	return p;
}

static void expect_file(const char *dir, const char *rel, const char *want)
{
	char path[1024], *got;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	got = th_read(path, NULL);
	cr_assert_str_eq(got, want);
	free(got);
}

Test(promote_structural, crlf_digest_added_and_git_commit_dropped_keep_line_ends)
{
	char *dir = th_tmpdir();
	platci_config *cfg = NULL;
	platci_promotion *p;

	put(dir, "platci.yaml", cfg_text);
	put(dir, "infra/README.md", "x\n");
	put(dir, "a/stg/README.md", "x\n");
	put(dir, "a/prd/README.md", "x\n");
	put(dir, "c/stg/s.yaml",
		"apiVersion: source.toolkit.fluxcd.io/v1\r\nkind: OCIRepository\r\n"
		"metadata:\r\n  name: m\r\nspec:\r\n  ref:\r\n    tag: \"2.0\"\r\n    digest: sha256:22\r\n"
		"---\r\napiVersion: source.toolkit.fluxcd.io/v1\r\nkind: GitRepository\r\n"
		"metadata:\r\n  name: g\r\nspec:\r\n  ref:\r\n    tag: v2\r\n");
	put(dir, "c/prd/s.yaml",
		"apiVersion: source.toolkit.fluxcd.io/v1\r\nkind: OCIRepository\r\n"
		"metadata:\r\n  name: m\r\nspec:\r\n  ref:\r\n    tag: \"1.0\" # pinned\r\n"
		"---\r\napiVersion: source.toolkit.fluxcd.io/v1\r\nkind: GitRepository\r\n"
		"metadata:\r\n  name: g\r\nspec:\r\n  ref:\r\n    tag: v1\r\n    commit: abc123 # hotfix\r\n"
		"  interval: 1m");
	p = plan(dir, &cfg, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 1, "a Git commit only prd pins is refused");
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "git:-/g.commit") != NULL);
	platci_promotion_free(p);
	platci_config_free(cfg);
	p = plan(dir, &cfg, 1);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_count(p), 4);
	cr_assert_eq(platci_promotion_apply(p, NULL), 0);
	expect_file(dir, "c/prd/s.yaml",
		"apiVersion: source.toolkit.fluxcd.io/v1\r\nkind: OCIRepository\r\n"
		"metadata:\r\n  name: m\r\nspec:\r\n  ref:\r\n    tag: \"2.0\" # pinned\r\n"
		"    digest: sha256:22\r\n"
		"---\r\napiVersion: source.toolkit.fluxcd.io/v1\r\nkind: GitRepository\r\n"
		"metadata:\r\n  name: g\r\nspec:\r\n  ref:\r\n    tag: v2\r\n"
		"  interval: 1m");
	platci_promotion_free(p);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(promote_structural, entry_at_the_end_of_a_file_without_newline)
{
	char *dir = th_tmpdir();
	platci_config *cfg = NULL;
	platci_promotion *p;
	const char *k = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n";
	char buf[512];

	put(dir, "platci.yaml", cfg_text);
	put(dir, "infra/README.md", "x\n");
	put(dir, "c/stg/README.md", "x\n");
	put(dir, "c/prd/README.md", "x\n");
	snprintf(buf, sizeof(buf), "%s  - name: web\n    newTag: 1.2.0\n    digest: sha256:aa\n", k);
	put(dir, "a/stg/kustomization.yaml", buf);
	snprintf(buf, sizeof(buf), "%s  - name: web\n    newTag: 1.1.0", k);
	put(dir, "a/prd/kustomization.yaml", buf);
	snprintf(buf, sizeof(buf), "%s  - {name: api, newTag: 1.0.0}\n", k);
	put(dir, "a/stg/api/kustomization.yaml", buf);
	snprintf(buf, sizeof(buf), "%s  - {name: api}\n", k);
	put(dir, "a/prd/api/kustomization.yaml", buf);
	p = plan(dir, &cfg, 0);
	/* A flow mapping cannot take a new line: said, not guessed. */
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "flow mapping") != NULL);
	platci_promotion_free(p);
	platci_config_free(cfg);
	put(dir, "a/prd/api/kustomization.yaml", "");
	p = plan(dir, &cfg, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_apply(p, NULL), 0);
	snprintf(buf, sizeof(buf), "%s  - name: web\n    newTag: 1.2.0\n    digest: sha256:aa\n", k);
	expect_file(dir, "a/prd/kustomization.yaml", buf);
	cr_assert_eq(platci_promotion_note_count(p), 1, "api only in stg");
	platci_promotion_free(p);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(promote_structural, json6902_op_files_are_promoted)
{
	char *dir = th_tmpdir();
	platci_config *cfg = NULL;
	platci_promotion *p;
	const char *k =
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
		"patches:\n  - path: ops/chart.yaml\n    target: {kind: HelmRelease, name: redis}\n";

	put(dir, "platci.yaml", cfg_text);
	put(dir, "infra/README.md", "x\n");
	put(dir, "c/stg/README.md", "x\n");
	put(dir, "c/prd/README.md", "x\n");
	put(dir, "a/stg/kustomization.yaml", k);
	put(dir, "a/prd/kustomization.yaml", k);
	put(dir, "a/stg/ops/chart.yaml",
		"- op: replace\n  path: /spec/chart/spec/version\n  value: \"18.2\"\n");
	put(dir, "a/prd/ops/chart.yaml",
		"# prd\n- op: replace\n  path: /spec/chart/spec/version\n  value: 18.1.0 # keep\n");
	p = plan(dir, &cfg, 0);
	cr_assert_eq(platci_promotion_count(p), 1);
	cr_assert_str_eq(platci_promotion_at(p, 0)->key, "helm:-/redis.version");
	cr_assert_eq(platci_promotion_apply(p, NULL), 0);
	expect_file(dir, "a/prd/ops/chart.yaml",
		"# prd\n- op: replace\n  path: /spec/chart/spec/version\n  value: \"18.2\" # keep\n");
	platci_promotion_free(p);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(promote_structural, a_digest_set_by_a_patch_op_is_not_dropped_blindly)
{
	char *dir = th_tmpdir();
	platci_config *cfg = NULL;
	platci_promotion *p;
	const char *k =
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
		"patches:\n  - path: ops.yaml\n    target: {kind: OCIRepository, name: m}\n";
	const char *oci =
		"apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n"
		"metadata: {name: m}\nspec:\n  ref:\n    tag: \"1.0\"\n";

	put(dir, "platci.yaml", cfg_text);
	put(dir, "infra/README.md", "x\n");
	put(dir, "c/stg/oci.yaml", oci);
	put(dir, "c/prd/README.md", "x\n");
	put(dir, "a/stg/README.md", "x\n");
	put(dir, "a/prd/kustomization.yaml", k);
	put(dir, "a/prd/ops.yaml", "- op: add\n  path: /spec/ref/digest\n  value: sha256:11\n");
	p = plan(dir, &cfg, 1);
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "set by a patch op") != NULL, "%s",
		platci_promotion_refusal_at(p, 0));
	platci_promotion_free(p);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}
