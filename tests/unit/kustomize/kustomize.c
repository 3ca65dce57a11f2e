#include "test_helpers.h"

/* A tiny in-memory file set: sorted paths with loaded documents. */
typedef struct fset {
	const char *paths[32];
	platci_doc *docs[32];
	size_t n;
	char *dir;
	platci_kustomize *k;
} fset;

static void add(fset *s, const char *path, const char *yaml)
{
	cr_assert_lt(s->n, 32);
	s->paths[s->n] = path;
	cr_assert_eq(platci_doc_load_buffer(&s->docs[s->n], path, yaml, strlen(yaml), NULL, NULL), 0);
	free(th_write(s->dir, path, yaml, strlen(yaml)));
	s->n++;
}

static void open_set(fset *s)
{
	cr_assert_eq(platci_kustomize_new(&s->k, s->dir, s->paths, (const platci_doc *const *)s->docs, s->n),
		0);
}

static void close_set(fset *s)
{
	platci_kustomize_free(s->k);
	for (size_t i = 0; i < s->n; i++)
		platci_doc_free(s->docs[i]);
	th_rmrf(s->dir);
	free(s->dir);
}

static int has_file(const fset *s, const platci_kbuild *b, const char *p)
{
	for (size_t i = 0; i < b->file_count; i++)
		if (!strcmp(s->paths[b->files[i]], p))
			return 1;
	return 0;
}

Test(kustomize, resources_components_patches_and_flux_style_folders)
{
	fset s = { .n = 0 };
	platci_kbuild b;

	s.dir = th_tmpdir();
	add(&s, "apps/base/web/a.yaml", "kind: ConfigMap\nmetadata: {name: a}\n");
	add(&s, "apps/base/web/sub/b.yaml",
		"kind: ConfigMap\nmetadata: {name: b}\n---\nkind: ConfigMap\nmetadata: {name: c}\n");
	add(&s, "apps/comp/kustomization.yaml", "kind: Component\nresources: [x.yaml]\n");
	add(&s, "apps/comp/x.yaml", "kind: ConfigMap\nmetadata: {name: x}\n");
	add(&s, "apps/dev/kustomization.yaml",
		"namespace: dev\nnamePrefix: dev-\nresources: [../base/web]\n"
		"components: [../comp]\npatches: [{path: p.yaml}]\n");
	add(&s, "apps/dev/p.yaml", "kind: ConfigMap\nmetadata: {name: a}\n");
	open_set(&s);
	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "./apps/dev/", NULL), 0);
	cr_expect_eq(b.resource_count, 4,
		"a, b, c from the plain folder (recursively), x from the component");
	cr_expect_str_eq(b.resources[0].namespace_, "dev");
	cr_expect_str_eq(b.resources[0].name_prefix, "dev-");
	cr_expect(has_file(&s, &b, "apps/dev/p.yaml"));
	cr_expect(has_file(&s, &b, "apps/comp/kustomization.yaml"));
	cr_expect_eq(platci_kustomize_problem_count(s.k), 0);
	platci_kbuild_dispose(&b);
	cr_expect_eq(platci_kustomize_resolve(&b, s.k, "nowhere", NULL), PLATCI_ENOTFOUND);
	close_set(&s);
}

Test(kustomize, missing_escaping_and_cyclic_references)
{
	fset s = { .n = 0 };
	platci_kbuild b;
	const platci_kproblem *p;
	int seen[3] = { 0, 0, 0 };

	s.dir = th_tmpdir();
	add(&s, "a/kustomization.yaml",
		"resources:\n  - ../b\n  - gone.yaml\n  - ../../../etc\n"
		"  - https://github.com/x/y//z?ref=v1\n");
	add(&s, "b/kustomization.yaml", "resources: [../a]\n");
	open_set(&s);
	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "a", NULL), 0);
	platci_kbuild_dispose(&b);
	/* resolving again reports nothing new */
	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "a", NULL), 0);
	platci_kbuild_dispose(&b);
	cr_assert_eq(platci_kustomize_problem_count(s.k), 3);
	for (size_t i = 0; i < 3; i++) {
		p = platci_kustomize_problem_at(s.k, i);
		if (!strcmp(p->rule_id, "kustomize.cycle")) {
			seen[0] = 1;
			cr_expect_str_eq(p->file, "b/kustomization.yaml");
			cr_expect_eq(p->line, 1);
		}
		if (!strcmp(p->rule_id, "kustomize.missing-ref")) {
			seen[1] = 1;
			cr_expect_eq(p->line, 3);
			cr_expect_eq(p->column, 5);
		}
		if (!strcmp(p->rule_id, "kustomize.escapes-repo"))
			seen[2] = 1;
	}
	cr_expect(seen[0] && seen[1] && seen[2]);
	close_set(&s);
}

Test(kustomize, unsorted_sets_are_refused)
{
	const char *paths[] = { "b", "a" };
	const platci_doc *docs[] = { NULL, NULL };
	platci_kustomize *k = NULL;
	cr_expect_eq(platci_kustomize_new(&k, NULL, paths, docs, 2), PLATCI_EINVALID);
	cr_expect(platci_kustomize_is_kfile_name("x/kustomization.yml"));
	cr_expect(!platci_kustomize_is_kfile_name("x/kustomization.yaml.bak"));
}

/* The value of @p key in a NULL-terminated key,value... array, or NULL. */
static const char *label(const char *const *kv, const char *key)
{
	for (size_t i = 0; kv && kv[i]; i += 2)
		if (!strcmp(kv[i], key))
			return kv[i + 1];
	return NULL;
}

Test(kustomize, labels_accumulate_down_the_tree)
{
	fset s = { .n = 0 };
	platci_kbuild b;

	s.dir = th_tmpdir();
	/* inner: commonLabels reach templates; a plain labels entry does not, one with includeTemplates does */
	add(&s, "base/d.yaml", "kind: Deployment\nmetadata: {name: d}\n");
	add(&s, "base/kustomization.yaml",
		"commonLabels: {app: web, tier: back}\n"
		"labels:\n  - pairs: {team: a, owner: o}\n  - pairs: {cost: c1}\n    includeTemplates: true\n"
		"resources: [d.yaml]\n");
	/* outer: overrides team (the outer value wins), adds env to templates through includeSelectors */
	add(&s, "dev/kustomization.yaml",
		"resources: [../base, plain]\n"
		"labels:\n  - pairs: {team: b, environment: dev}\n    includeSelectors: true\n");
	add(&s, "dev/plain/x.yaml", "kind: ConfigMap\nmetadata: {name: x}\n");
	add(&s, "nolabels/kustomization.yaml", "resources: [../base]\n");
	open_set(&s);

	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "dev", NULL), 0);
	cr_assert_eq(b.resource_count, 2);
	cr_expect_str_eq(label(b.resources[0].labels, "team"), "b", "the outer kustomization wins");
	cr_expect_str_eq(label(b.resources[0].labels, "owner"), "o");
	cr_expect_str_eq(label(b.resources[0].labels, "app"), "web");
	cr_expect_str_eq(label(b.resources[0].labels, "environment"), "dev");
	cr_expect_str_eq(label(b.resources[0].labels, "cost"), "c1");
	cr_expect_str_eq(label(b.resources[0].template_labels, "app"), "web", "commonLabels reach templates");
	cr_expect_str_eq(label(b.resources[0].template_labels, "cost"), "c1", "includeTemplates");
	cr_expect_str_eq(label(b.resources[0].template_labels, "environment"), "dev", "includeSelectors");
	cr_expect_str_eq(label(b.resources[0].template_labels, "team"), "b",
		"the outer entry reaches templates");
	cr_expect_null(label(b.resources[0].template_labels, "owner"));
	/* the plain folder gets only the outer labels */
	cr_expect_str_eq(label(b.resources[1].labels, "team"), "b");
	cr_expect_null(label(b.resources[1].labels, "app"));
	platci_kbuild_dispose(&b);

	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "nolabels", NULL), 0);
	cr_assert_eq(b.resource_count, 1);
	cr_expect_str_eq(label(b.resources[0].labels, "team"), "a");
	platci_kbuild_dispose(&b);

	cr_assert_eq(platci_kustomize_resolve(&b, s.k, "dev/plain", NULL), 0);
	cr_assert_eq(b.resource_count, 1);
	cr_expect_null(b.resources[0].labels);
	cr_expect_null(b.resources[0].template_labels);
	platci_kbuild_dispose(&b);
	close_set(&s);
}
