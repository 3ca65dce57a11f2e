#include "test_helpers.h"

#define TREE PLATCI_TEST_RESOURCES "/promote/tree"

static const char *const patterns[] = { "*_VERSION", NULL };

static platci_versions *from_text(const char *file, const char *yaml, platci_diag *diag)
{
	platci_versions_options o = PLATCI_VERSIONS_OPTIONS_INIT;
	platci_versions *set = NULL;

	o.substitute_patterns = patterns;
	cr_assert_eq(platci_versions_new(&set, &o), 0);
	cr_assert_eq(platci_versions_add_data(set, file, "apps", yaml, strlen(yaml), diag), 0);
	return set;
}

/* The scalar's bytes in the source are what the pin says they are. */
static void assert_bytes(const char *src, const platci_pin *p, const char *raw)
{
	cr_assert_eq(p->end - p->start, strlen(raw), "%s: range %zu-%zu", p->key, p->start, p->end);
	cr_assert_eq(memcmp(src + p->start, raw, strlen(raw)), 0, "%s: bytes differ", p->key);
}

Test(versions, kustomize_images_with_fields_positions_and_styles)
{
	const char *y =
		"apiVersion: kustomize.config.k8s.io/v1beta1\n"
		"kind: Kustomization\n"
		"images:\n"
		"  - name: ghcr.io/acme/web\n"
		"    newTag: \"1.2.3\" # c\n"
		"    digest: sha256:abc\n"
		"  - name: nginx\n"
		"    newName: mirror/nginx\n"
		"    newTag: '1.10'\n";
	platci_versions *set = from_text("apps/web/kustomization.yaml", y, NULL);
	const platci_pin *p;

	cr_assert_eq(platci_versions_count(set), 4);
	p = platci_versions_find(set, "image:ghcr.io/acme/web.newTag");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->value, "1.2.3");
	cr_assert_eq(p->style, PLATCI_STYLE_DOUBLE_QUOTED);
	cr_assert_eq(p->line, 5);
	cr_assert_eq(p->column, 13);
	cr_assert_str_eq(p->name, "web");
	cr_assert_str_eq(p->app, "web");
	assert_bytes(y, p, "\"1.2.3\"");
	p = platci_versions_find(set, "image:nginx.newTag");
	cr_assert_eq(p->style, PLATCI_STYLE_SINGLE_QUOTED);
	assert_bytes(y, p, "'1.10'");
	cr_assert_not_null(platci_versions_find(set, "image:nginx.newName"));
	cr_assert_not_null(platci_versions_find(set, "image:ghcr.io/acme/web.digest"));
	platci_versions_free(set);
}

Test(versions, flux_objects_and_substitute_patterns)
{
	const char *y =
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
		"metadata: {name: podinfo, namespace: apps}\n"
		"spec:\n  chart:\n    spec:\n      version: 6.5.3\n"
		"---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n"
		"metadata:\n  name: m\nspec:\n  ref:\n    tag: 1.2.0\n    semver: '>=1.0'\n"
		"---\napiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: GitRepository\n"
		"metadata:\n  name: g\n  namespace: flux-system\nspec:\n  ref:\n    branch: main\n"
		"    commit: 0123456789abcdef\n"
		"---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
		"metadata:\n  name: apps\nspec:\n  postBuild:\n    substitute:\n"
		"      APP_VERSION: \"1.0\"\n      REGION: uaenorth\n      URL: ${BASE}/x\n";
	platci_versions *set = from_text("c/apps.yaml", y, NULL);

	cr_assert_str_eq(platci_versions_find(set, "helm:apps/podinfo.version")->value, "6.5.3");
	cr_assert_str_eq(platci_versions_find(set, "oci:-/m.tag")->value, "1.2.0");
	cr_assert_str_eq(platci_versions_find(set, "oci:-/m.semver")->value, ">=1.0");
	cr_assert_str_eq(platci_versions_find(set, "git:flux-system/g.commit")->value, "0123456789abcdef");
	cr_assert_null(platci_versions_find(set, "git:flux-system/g.branch"));
	cr_assert_str_eq(platci_versions_find(set, "subst:-/apps.APP_VERSION")->value, "1.0");
	cr_assert_null(platci_versions_find(set, "subst:-/apps.REGION"));
	cr_assert_eq(platci_versions_count(set), 5);
	cr_assert_eq(platci_versions_find(set, "oci:-/m.tag")->kind, PLATCI_PIN_OCI);
	cr_assert_str_eq(platci_pin_kind_name(PLATCI_PIN_SUBSTITUTE), "substitute");
	platci_versions_free(set);
}

Test(versions, setter_markers_with_and_without_space)
{
	const char *y =
		"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
		"      containers:\n"
		"        - image: ghcr.io/a/web:1.0.0 # {\"$imagepolicy\": \"flux-system:web\"}\n"
		"          env:\n"
		"            - value: v2 #{\"$imagepolicy\":\"ns:pol:tag\"}\n"
		"            - value: v3 # {\"$imagepolicy\": \"nocolon\"}\n"
		"            - value: v4 # $imagepolicy in prose only\n";
	platci_versions *set = from_text("d.yaml", y, NULL);
	const platci_pin *p = platci_versions_find(set, "setter:flux-system:web.full");

	cr_assert_eq(platci_versions_count(set), 2);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->value, "ghcr.io/a/web:1.0.0");
	cr_assert_str_eq(p->setter, "flux-system:web");
	cr_assert_str_eq(p->name, "web");
	assert_bytes(y, p, "ghcr.io/a/web:1.0.0");
	p = platci_versions_find(set, "setter:ns:pol.tag");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->value, "v2");
	cr_assert_str_eq(p->name, "pol");
	platci_versions_free(set);
}

Test(versions, marker_on_an_image_field_is_attached_not_duplicated)
{
	const char *y =
		"kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\n"
		"images:\n  - name: c\n    newTag: v1 # {\"$imagepolicy\": \"ns:p:tag\"}\n";
	platci_versions *set = from_text("kustomization.yaml", y, NULL);

	cr_assert_eq(platci_versions_count(set), 1);
	cr_assert_str_eq(platci_versions_at(set, 0)->key, "image:c.newTag");
	cr_assert_str_eq(platci_versions_at(set, 0)->setter, "ns:p:tag");
	platci_versions_free(set);
}

Test(versions, inline_patches_map_positions_to_the_outer_file)
{
	const char *y =
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
		"patches:\n"
		"  - target: {kind: HelmRelease, name: redis, namespace: apps}\n"
		"    patch: |-\n"
		"      - op: replace\n"
		"        path: /spec/chart/spec/version\n"
		"        value: \"18.1.0\"\n"
		"  - patch: |\n"
		"      apiVersion: source.toolkit.fluxcd.io/v1\n"
		"      kind: GitRepository\n"
		"      metadata:\n        name: config\n"
		"      spec:\n        ref:\n          tag: v0.3.0 # {\"$imagepolicy\": \"a:b:tag\"}\n";
	platci_versions *set = from_text("kustomization.yaml", y, NULL);
	const platci_pin *p = platci_versions_find(set, "helm:apps/redis.version");

	cr_assert_not_null(p);
	cr_assert_str_eq(p->value, "18.1.0");
	assert_bytes(y, p, "\"18.1.0\"");
	cr_assert_eq(p->line, 8);
	cr_assert_eq(p->column, 16);
	p = platci_versions_find(set, "git:-/config.tag");
	cr_assert_not_null(p);
	assert_bytes(y, p, "v0.3.0");
	cr_assert_eq(p->line, 16);
	cr_assert_str_eq(p->setter, "a:b:tag");
	platci_versions_free(set);
}

Test(versions, crlf_files_have_exact_byte_ranges)
{
	const char *y =
		"apiVersion: source.toolkit.fluxcd.io/v1\r\nkind: OCIRepository\r\n"
		"metadata:\r\n  name: m\r\nspec:\r\n  ref:\r\n    tag: 1.2.0\r\n";
	platci_versions *set = from_text("a.yaml", y, NULL);
	const platci_pin *p = platci_versions_find(set, "oci:-/m.tag");

	cr_assert_not_null(p);
	assert_bytes(y, p, "1.2.0");
	cr_assert_eq(p->line, 7);
	platci_versions_free(set);
}

Test(versions, what_cannot_be_edited_in_place_is_skipped_with_a_warning)
{
	const char *y =
		"apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n"
		"metadata: {name: m, labels: {v: &s 1.x}}\nspec:\n  ref:\n    tag: |\n      1.2.0\n"
		"    semver: *s\n    digest: !!str sha256:00\n"
		"---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n"
		"metadata: {name: n}\nspec:\n  ref:\n    tag: &t 2.0\n    semver:\n";
	platci_diag *diag = NULL;
	platci_versions *set;

	cr_assert_eq(platci_diag_new(&diag), 0);
	set = from_text("a.yaml", y, diag);
	cr_assert_eq(platci_versions_count(set), 0, "got %zu pins", platci_versions_count(set));
	cr_assert_geq(platci_diag_count(diag), 3);
	cr_assert_eq(platci_diag_at(diag, 0)->level, PLATCI_DIAG_WARNING);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 6);
	platci_versions_free(set);
	platci_diag_free(diag);
}

Test(versions, garbage_is_a_syntax_error_with_a_position)
{
	platci_versions *set = NULL;
	platci_diag *diag = NULL;
	const char *y = "images:\n  - name: x\n    newTag: [1, 2\n";
	const platci_diag_entry *e;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_versions_new(&set, NULL), 0);
	cr_assert_eq(platci_versions_add_data(set, "k.yaml", "", y, strlen(y), diag), PLATCI_ESYNTAX);
	e = platci_diag_at(diag, 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->source, "k.yaml");
	cr_assert_geq(e->line, 3);
	cr_assert_gt(e->column, 0);
	platci_versions_free(set);
	platci_diag_free(diag);
}

Test(versions, options_version_is_checked)
{
	platci_versions_options o = PLATCI_VERSIONS_OPTIONS_INIT;
	platci_versions *set = NULL;

	o.version = 99;
	cr_assert_eq(platci_versions_new(&set, &o), PLATCI_EINVALID);
	cr_assert_null(set);
	cr_assert_eq(platci_versions_options_init(&o, 99), PLATCI_EINVALID);
	cr_assert_eq(platci_versions_options_init(&o, PLATCI_VERSIONS_OPTIONS_VERSION), 0);
}

Test(versions, load_an_environment_from_platci_yaml)
{
	platci_config *cfg = NULL;
	platci_versions *set = NULL;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_config_load(&cfg, TREE "/platci.yaml", NULL, NULL, diag), 0);
	cr_assert_eq(platci_versions_load(&set, cfg, "prd-uaenorth", NULL, diag), 0);
	cr_assert_str_eq(platci_versions_find(set, "image:ghcr.io/acme/web.newTag")->value, "1.4.0");
	cr_assert_str_eq(platci_versions_find(set, "image:ghcr.io/acme/web.newTag")->setter,
		"flux-system:web:tag");
	cr_assert_str_eq(platci_versions_find(set, "helm:apps/podinfo.version")->value, "6.5.3");
	cr_assert_str_eq(platci_versions_find(set, "helm:-/redis.version")->value, "18.1.0");
	cr_assert_str_eq(platci_versions_find(set, "git:flux-system/config.tag")->value, "v0.3.0");
	cr_assert_str_eq(platci_versions_find(set, "subst:flux-system/apps.DB_VERSION")->value, "15");
	cr_assert_str_eq(platci_versions_find(set, "oci:flux-system/manifests.digest")->file,
		"gitops/clusters/prd-uaenorth/apps.yaml");
	cr_assert_str_eq(platci_versions_find(set, "setter:flux-system:web.full")->value,
		"ghcr.io/acme/web:1.4.0");
	cr_assert_eq(platci_versions_count(set), 17, "got %zu", platci_versions_count(set));
	platci_versions_free(set);
	set = NULL;
	cr_assert_eq(platci_versions_load(&set, cfg, "nope", NULL, diag), PLATCI_ENOTFOUND);
	platci_config_free(cfg);
	platci_diag_free(diag);
}

Test(versions, diff_changed_only_source_only_target_ambiguous)
{
	platci_versions *s = from_text("a.yaml",
		"kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nimages:\n"
		"  - {name: a, newTag: '2'}\n  - {name: b, newTag: '1'}\n  - {name: c, newTag: '1'}\n"
		"  - {name: d, newTag: '1'}\n  - {name: d, newTag: '2'}\n",
		NULL);
	platci_versions *t = from_text("b.yaml",
		"kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nimages:\n"
		"  - {name: a, newTag: '1'}\n  - {name: b, newTag: '1'}\n  - {name: e, newTag: '1'}\n"
		"  - {name: d, newTag: '1'}\n",
		NULL);
	platci_vdiff *d = NULL;

	cr_assert_eq(platci_versions_diff(&d, s, t), 0);
	cr_assert_eq(platci_vdiff_count(d), 4);
	cr_assert_eq(platci_vdiff_at(d, 0)->kind, PLATCI_VDIFF_CHANGED);
	cr_assert_str_eq(platci_vdiff_at(d, 0)->key, "image:a.newTag");
	cr_assert_str_eq(platci_vdiff_at(d, 0)->source->value, "2");
	cr_assert_str_eq(platci_vdiff_at(d, 0)->target->value, "1");
	cr_assert_eq(platci_vdiff_at(d, 1)->kind, PLATCI_VDIFF_ONLY_SOURCE);
	cr_assert_null(platci_vdiff_at(d, 1)->target);
	cr_assert_eq(platci_vdiff_at(d, 2)->kind, PLATCI_VDIFF_AMBIGUOUS);
	cr_assert_eq(platci_vdiff_at(d, 3)->kind, PLATCI_VDIFF_ONLY_TARGET);
	cr_assert_str_eq(platci_vdiff_at(d, 3)->key, "image:e.newTag");
	cr_assert_null(platci_vdiff_at(d, 4));
	platci_vdiff_free(d);
	platci_versions_free(s);
	platci_versions_free(t);
}

Test(versions, overlay_and_cluster_in_one_folder_are_read_once)
{
	char *dir = th_tmpdir(), cfgpath[1024];
	const char *y =
		"kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\n"
		"images:\n  - name: a\n    newTag: v1\n";
	platci_config *cfg = NULL;
	platci_versions *set = NULL;

	free(th_write(dir, "platci.yaml",
		"version: 1\nenvironments:\n  - name: one\n    infra: infra\n    cluster: gitops/one\n"
		"    overlay: gitops/one\n",
		104));
	free(th_write(dir, "gitops/one/app/kustomization.yaml", y, strlen(y)));
	free(th_write(dir, "infra/README.md", "x\n", 2));
	snprintf(cfgpath, sizeof(cfgpath), "%s/platci.yaml", dir);
	cr_assert_eq(platci_config_load(&cfg, cfgpath, NULL, NULL, NULL), 0);
	cr_assert_eq(platci_versions_load(&set, cfg, "one", NULL, NULL), 0);
	cr_assert_eq(platci_versions_count(set), 1);
	cr_assert_str_eq(platci_versions_at(set, 0)->app, "app");
	cr_assert_str_eq(platci_versions_at(set, 0)->file, "gitops/one/app/kustomization.yaml");
	platci_versions_free(set);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

static const char k_ops[] =
	"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
	"patches:\n  - path: patches/redis-version.yaml\n    target:\n      kind: HelmRelease\n"
	"      name: redis\n      namespace: apps\n"
	"  - path: ../stg/ignored.yaml\n    target: {kind: OCIRepository, name: m}\n";
static const char ops[] =
	"- op: replace\n  path: /spec/chart/spec/version\n  value: 18.1.0\n"
	"- op: replace\n  path: /spec/values/replicaCount\n  value: 3\n";

Test(versions, json6902_op_files_take_the_identity_of_their_target)
{
	platci_versions *set = NULL;
	const platci_pin *p;

	/* The op file is read before the kustomization that names it, and after. */
	for (int order = 0; order < 2; order++) {
		cr_assert_eq(platci_versions_new(&set, NULL), 0);
		if (order == 0) {
			cr_assert_eq(platci_versions_add_data(set, "apps/prd/patches/redis-version.yaml",
					     "apps/prd", ops, strlen(ops), NULL),
				0);
			cr_assert_eq(platci_versions_count(set), 0, "unresolved ops are not pins yet");
			cr_assert_eq(platci_versions_add_data(set, "apps/prd/kustomization.yaml",
					     "apps/prd", k_ops, strlen(k_ops), NULL),
				0);
		} else {
			cr_assert_eq(platci_versions_add_data(set, "apps/prd/kustomization.yaml",
					     "apps/prd", k_ops, strlen(k_ops), NULL),
				0);
			cr_assert_eq(platci_versions_add_data(set, "apps/prd/patches/redis-version.yaml",
					     "apps/prd", ops, strlen(ops), NULL),
				0);
		}
		cr_assert_eq(platci_versions_count(set), 1);
		p = platci_versions_find(set, "helm:apps/redis.version");
		cr_assert_not_null(p, "order %d", order);
		cr_assert_eq(p->kind, PLATCI_PIN_HELM);
		cr_assert_str_eq(p->value, "18.1.0");
		cr_assert_str_eq(p->name, "redis");
		cr_assert_str_eq(p->file, "apps/prd/patches/redis-version.yaml");
		cr_assert_eq(p->line, 3);
		assert_bytes(ops, p, "18.1.0");
		platci_versions_free(set);
	}
}

Test(versions, an_empty_folder_holds_no_pins)
{
	static const char cfg_text[] =
		"version: 1\nenvironments:\n"
		"  - name: dev\n    infra: infra\n    cluster: c/dev\n    overlay: a/dev\n";
	platci_versions *set = NULL;
	platci_config *cfg = NULL;
	char *dir = th_tmpdir(), path[1024];

	free(th_write(dir, "platci.yaml", cfg_text, strlen(cfg_text)));
	free(th_write(dir, "infra/README.md", "x\n", 2));
	/* both folders exist and are empty: no entries to sort, no pins, no error */
	snprintf(path, sizeof(path), "%s/c/dev", dir);
	cr_assert_eq(platci_fs_mkdirs(path, NULL), 0);
	snprintf(path, sizeof(path), "%s/a/dev", dir);
	cr_assert_eq(platci_fs_mkdirs(path, NULL), 0);
	snprintf(path, sizeof(path), "%s/platci.yaml", dir);
	cr_assert_eq(platci_config_load(&cfg, path, NULL, NULL, NULL), 0);
	cr_assert_eq(platci_versions_load(&set, cfg, "dev", NULL, NULL), 0);
	cr_assert_eq(platci_versions_count(set), 0);
	platci_versions_free(set);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}
