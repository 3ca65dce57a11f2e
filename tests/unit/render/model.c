/*
 * The per-cluster model over small trees, built with the real kustomize
 * (kubectl kustomize from .tools/bin or PATH; skipped when absent): Flux's
 * transforms, ArtifactGenerator layouts, substitution, origins, the cache.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "test_helpers.h"

static platci_render_tools tools;

static int have_tools(void)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/.tools/bin:%s", PLATCI_SOURCE_DIR,
		getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	platci_render_tools_find(&tools, path, NULL, NULL);
	return tools.kustomize[0] != '\0';
}

/* Writes NULL-terminated path, content pairs under a new folder. */
static char *tree(const char *const *files)
{
	char *dir = th_tmpdir();
	for (size_t i = 0; files[i]; i += 2)
		free(th_write(dir, files[i], files[i + 1], strlen(files[i + 1])));
	return dir;
}

static platci_fluxmodel *build(const char *root, const char *cluster, platci_findings *f, const char *cache)
{
	platci_fluxmodel_options o = PLATCI_FLUXMODEL_OPTIONS_INIT;
	platci_fluxmodel *m = NULL;

	o.root = root;
	o.cluster = cluster;
	o.env = "test";
	o.tools = &tools;
	o.cache_dir = cache;
	cr_assert_eq(platci_fluxmodel_build(&m, &o, f, NULL), 0);
	return m;
}

static const platci_fluxmodel_object *object(const platci_fluxmodel *m, const char *kind, const char *name)
{
	for (size_t i = 0; i < platci_fluxmodel_object_count(m); i++) {
		const platci_fluxmodel_object *o = platci_fluxmodel_object_at(m, i);
		if (!strcmp(o->kind, kind) && !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

static const platci_finding *finding(const platci_findings *f, const char *rule)
{
	for (size_t i = 0; i < platci_findings_count(f); i++)
		if (!strcmp(platci_findings_at(f, i)->rule_id, rule))
			return platci_findings_at(f, i);
	return NULL;
}

#define KS(name, extra) \
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: " name \
	"\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n" extra

Test(render_model, artifact_layout_follows_source_watcher)
{
	static const char *const files[] = { "deploy/app/kustomization.yaml", "resources: [cm.yaml]\n",
		"deploy/app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
		"deploy/other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
		"config/one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n",
		"config/readme.md", "not copied\n", "clusters/c/ag.yaml",
		"apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata:\n"
		"  name: gen\n  namespace: flux-system\nspec:\n  sources:\n"
		"    - {alias: repo, kind: GitRepository, name: flux-system}\n  artifacts:\n"
		"    - name: art\n      copy:\n"
		"        - {from: \"@repo/deploy/**\", to: \"@artifact/x/\"}\n"
		"        - {from: \"@repo/config/one.yaml\", to: \"@artifact/x/app/one.yaml\"}\n"
		"        - {from: \"@repo/config\", to: \"@artifact/\", exclude: [\"*.md\"]}\n",
		"clusters/c/ks.yaml",
		KS("app", "  path: ./x/app\n  sourceRef: {kind: ExternalArtifact, name: art}\n"), NULL };
	static const char *const want[] = { "x/app/kustomization.yaml", "deploy/app/kustomization.yaml",
		"x/app/cm.yaml", "deploy/app/cm.yaml", "x/other.yaml", "deploy/other.yaml",
		"x/app/one.yaml", "config/one.yaml", "config/one.yaml", "config/one.yaml", NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	const platci_fluxmodel_artifact *a;
	const platci_fluxmodel_object *o;
	char *dir;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	dir = tree(files);
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, NULL);
	cr_assert_eq(platci_fluxmodel_artifact_count(m), 1);
	a = platci_fluxmodel_artifact_at(m, 0);
	cr_expect_str_eq(a->generator, "flux-system/gen");
	cr_assert_eq(a->file_count, 5);
	for (size_t i = 0; want[i]; i += 2) {
		int found = 0;
		for (size_t j = 0; j < a->file_count; j++)
			found |= !strcmp(a->files[2 * j], want[i]) &&
				 !strcmp(a->files[2 * j + 1], want[i + 1]);
		cr_expect(found, "artifact file %s <- %s", want[i], want[i + 1]);
	}
	cr_assert_eq(platci_fluxmodel_ks_count(m), 2);
	cr_expect_str_eq(platci_fluxmodel_ks_at(m, 1)->repo_path, "deploy/app");
	cr_expect(platci_fluxmodel_ks_at(m, 1)->rendered);
	o = object(m, "ConfigMap", "app");
	cr_assert_not_null(o);
	cr_expect_str_eq(o->loc.file, "deploy/app/cm.yaml");
	cr_expect_eq(o->loc.line, 1);
	cr_expect_null(finding(f, "render.build-failed"));
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	free(dir);
}

/*
 * A copy's glob segment longer than 255 bytes is matched whole (it was cut
 * to 255 stars, which matched readme.md too), and a link from the copied
 * folder back to itself is not followed round: each file is copied once.
 */
Test(render_model, artifact_long_glob_and_link_cycle)
{
	char from[400], ag[1024];
	const char *files[] = { "config/one.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n", "config/readme.md",
		"not copied\n", "clusters/c/ag.yaml", ag, "clusters/c/ks.yaml",
		KS("app", "  path: ./g\n  sourceRef: {kind: ExternalArtifact, name: art}\n"), NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	const platci_fluxmodel_artifact *a;
	char *dir;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	memset(from, '*', 300);
	snprintf(from + 300, sizeof(from) - 300, "one.yaml");
	snprintf(ag, sizeof(ag),
		"apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata:\n"
		"  name: gen\n  namespace: flux-system\nspec:\n  sources:\n"
		"    - {alias: repo, kind: GitRepository, name: flux-system}\n  artifacts:\n"
		"    - name: art\n      copy:\n"
		"        - {from: \"@repo/config/%s\", to: \"@artifact/g/\"}\n"
		"        - {from: \"@repo/config\", to: \"@artifact/\"}\n",
		from);
	dir = tree(files);
	th_symlink(dir, "config/loop", ".");
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, NULL);
	cr_assert_eq(platci_fluxmodel_artifact_count(m), 1);
	a = platci_fluxmodel_artifact_at(m, 0);
	cr_assert_eq(a->file_count, 3, "g/config/one.yaml, config/one.yaml, config/readme.md: %zu",
		a->file_count);
	cr_expect_str_eq(a->files[0], "g/config/one.yaml");
	cr_expect_str_eq(a->files[2], "config/one.yaml");
	cr_expect_str_eq(a->files[4], "config/readme.md");
	cr_expect_null(finding(f, "render.artifact-copy"));
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	free(dir);
}

Test(render_model, flux_transforms_and_substitution)
{
	static const char *const files[] = { "clusters/c/vars.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n"
		"  namespace: flux-system\ndata:\n  REPLICAS: \"4\"\n",
		"clusters/c/ks.yaml",
		KS("app",
			"  path: ./app\n  sourceRef: {kind: GitRepository, name: flux-system}\n"
			"  targetNamespace: team\n  namePrefix: p-\n"
			"  commonMetadata:\n    labels: {owner: team}\n"
			"  images:\n    - {name: nginx, newTag: \"1.27\"}\n"
			"  patches:\n    - patch: |\n        - {op: add, path: /metadata/labels, value: {patched: \"yes\"}}\n"
			"      target: {kind: ConfigMap}\n"
			"  postBuild:\n    substitute: {ZONE: a}\n    substituteFrom:\n      - {kind: ConfigMap, name: vars}\n"),
		"app/deploy.yaml",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${REPLICAS}\n"
		"  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
		"    spec:\n      containers:\n        - {name: web, image: nginx, args: [\"${ZONE}\", \"${NOPE}\"]}\n",
		"app/cm.yaml",
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n"
		"    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  x: ${ZONE}\n",
		"app/secret.yaml",
		"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: c2VjcmV0\nstringData:\n"
		"  other: |\n    multi\n    line\n",
		NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	const platci_fluxmodel_object *d, *c;
	const platci_finding *u;
	platci_buf masked = PLATCI_BUF_INIT;
	char *dir;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	dir = tree(files);
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, NULL);
	d = object(m, "Deployment", "p-web");
	cr_assert_not_null(d, "namePrefix applied");
	cr_expect_str_eq(d->namespace_, "team");
	cr_expect_str_eq(platci_node_get_str(platci_node_dig(d->root, "metadata.labels"), "owner"), "team");
	cr_expect_null(platci_node_get(platci_node_dig(d->root, "spec.template.metadata.labels"), "owner"),
		"commonMetadata stays out of templates");
	cr_expect_null(platci_node_get(platci_node_dig(d->root, "spec.selector.matchLabels"), "owner"));
	cr_expect(strstr(d->yaml, "image: nginx:1.27") != NULL, "images applied:\n%s", d->yaml);
	cr_expect(strstr(d->yaml, "replicas: 4") != NULL, "substituteFrom applied:\n%s", d->yaml);
	cr_expect(strstr(d->yaml, "- a\n") != NULL, "substitute applied");
	cr_expect(strstr(d->yaml, "config.kubernetes.io/origin") == NULL, "origin annotation removed");
	cr_expect_str_eq(d->loc.file, "app/deploy.yaml");
	cr_expect_eq(d->loc.line, 1);
	c = object(m, "ConfigMap", "p-raw");
	cr_assert_not_null(c);
	cr_expect(strstr(c->yaml, "x: ${ZONE}") != NULL, "substitution disabled by annotation");
	cr_expect(strstr(c->yaml, "patched: \"yes\"") != NULL, "spec.patches applied:\n%s", c->yaml);
	cr_expect_eq(c->loc.line, 2, "the object's line after ---");
	u = finding(f, "render.substitute-unresolved");
	cr_assert_not_null(u);
	cr_expect(strstr(u->message, "${NOPE}") != NULL);
	cr_expect_str_eq(u->file, "app/deploy.yaml");
	for (size_t i = 0; i < platci_fluxmodel_object_count(m); i++)
		if (!strcmp(platci_fluxmodel_object_at(m, i)->kind, "Secret"))
			cr_assert_eq(platci_fluxmodel_object_yaml_masked(&masked, m, i), 0);
	cr_expect(strstr(masked.ptr, "c2VjcmV0") == NULL && strstr(masked.ptr, "multi") == NULL,
		"Secret values masked:\n%s", masked.ptr);
	cr_expect(strstr(masked.ptr, "token: \"***\"") != NULL, "%s", masked.ptr);
	platci_buf_dispose(&masked);
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	free(dir);
}

Test(render_model, generated_kustomization_refuses_other_yaml)
{
	static const char *const files[] = { "clusters/c/ks.yaml",
		KS("app", "  path: ./app\n  sourceRef: {kind: GitRepository, name: flux-system}\n"),
		"app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"app/values.yaml", "replicas: 3\n", "app/.sops.yaml",
		"creation_rules: []\n", /* source-controller leaves it out */
		NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	const platci_finding *x;
	char *dir;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	dir = tree(files);
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, NULL);
	x = finding(f, "render.build-failed");
	cr_assert_not_null(x);
	cr_expect_str_eq(x->file, "app/values.yaml");
	cr_expect_eq(x->line, 1);
	cr_expect(strstr(x->message, "missing Resource metadata") != NULL, "%s", x->message);
	cr_expect_eq(x->enforcement, PLATCI_ENFORCE_DENY);
	cr_expect_not(platci_fluxmodel_ks_at(m, 1)->rendered);
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	free(dir);
}

Test(render_model, cache_serves_the_second_run)
{
	static const char *const files[] = { "clusters/c/ks.yaml",
		KS("app", "  path: ./app\n  sourceRef: {kind: GitRepository, name: flux-system}\n"),
		"app/kustomization.yaml", "resources: [cm.yaml]\n", "app/cm.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v1\n", NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	size_t builds, hits;
	char *dir, *cache, *p;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	dir = tree(files);
	cache = th_tmpdir();
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, cache);
	platci_fluxmodel_stats(&builds, &hits, m);
	cr_expect_eq(builds, 2);
	cr_expect_eq(hits, 0);
	platci_fluxmodel_free(m);
	m = build(dir, "clusters/c", f, cache);
	platci_fluxmodel_stats(&builds, &hits, m);
	cr_expect_eq(builds, 0);
	cr_expect_eq(hits, 2);
	cr_expect_str_eq(object(m, "ConfigMap", "a")->loc.file, "app/cm.yaml");
	platci_fluxmodel_free(m);
	/* a changed input is built anew */
	{
		const char *v2 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v2\n";
		p = th_write(dir, "app/cm.yaml", v2, strlen(v2));
	}
	free(p);
	m = build(dir, "clusters/c", f, cache);
	platci_fluxmodel_stats(&builds, &hits, m);
	cr_expect_eq(builds, 1, "only the build that reads app/cm.yaml runs again");
	cr_expect_eq(hits, 1);
	cr_expect(strstr(object(m, "ConfigMap", "a")->yaml, "k: v2") != NULL);
	platci_fluxmodel_free(m);
	/* a new file in a folder the build visits counts too (a resolver may miss a reference) */
	free(th_write(dir, "app/extra.txt", "x\n", 2));
	m = build(dir, "clusters/c", f, cache);
	platci_fluxmodel_stats(&builds, &hits, m);
	cr_expect_eq(builds, 1);
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	th_rmrf(cache);
	free(dir);
	free(cache);
}

/* Builds of one wave run as a batch: positions come through it, and a failing member fails alone. */
Test(render_model, batched_builds_keep_positions_and_failures)
{
	static const char *const files[] = { "clusters/c/ks.yaml",
		KS("a", "  path: ./a\n  sourceRef: {kind: GitRepository, name: flux-system}\n") "---\n" KS("b",
			"  path: ./b\n  sourceRef: {kind: GitRepository, name: flux-system}\n") "---\n" KS("bad",
			"  path: ./bad\n  sourceRef: {kind: GitRepository, name: flux-system}\n"),
		"a/kustomization.yaml", "resources: [cm.yaml]\n", "a/cm.yaml",
		"# a comment first\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"b/kustomization.yaml", "namePrefix: x-\nresources: [cm.yaml]\n", "b/cm.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n    keep: me\n",
		"bad/kustomization.yaml", "resources:\n  - missing.yaml\n", NULL };
	platci_findings *f = NULL;
	platci_fluxmodel *m;
	const platci_fluxmodel_object *a, *b;
	const platci_finding *x;
	char *dir;

	if (!have_tools())
		cr_skip_test("kubectl or kustomize is not installed");
	dir = tree(files);
	cr_assert_eq(platci_findings_new(&f), 0);
	m = build(dir, "clusters/c", f, NULL);
	a = object(m, "ConfigMap", "a");
	b = object(m, "ConfigMap", "x-b");
	cr_assert(a && b);
	cr_expect_str_eq(a->loc.file, "a/cm.yaml");
	cr_expect_eq(a->loc.line, 2);
	cr_expect_str_eq(b->loc.file, "b/cm.yaml");
	cr_expect(strstr(b->yaml, "keep: me") != NULL, "other annotations stay:\n%s", b->yaml);
	cr_expect(strstr(b->yaml, "platci.render") == NULL, "the build tag is removed:\n%s", b->yaml);
	cr_expect(strstr(a->yaml, "annotations") == NULL, "an emptied annotations block goes:\n%s", a->yaml);
	x = finding(f, "render.build-failed");
	cr_assert_not_null(x);
	cr_expect_str_eq(x->file, "bad/kustomization.yaml");
	cr_expect_eq(x->line, 2);
	cr_expect(strstr(x->message, "Kustomization flux-system/bad") != NULL, "%s", x->message);
	platci_fluxmodel_free(m);
	platci_findings_free(f);
	th_rmrf(dir);
	free(dir);
}
