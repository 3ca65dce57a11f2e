/*
 * The image-automation-controller's golden setter edits
 * (../shared/fixtures/setters/): markers found by platci_versions, values
 * written by platci_yamledit, compared byte for byte.
 */
#include "test_helpers.h"

#define SETTERS PLATCI_TEST_FIXTURES "/setters/image-automation-controller/internal"

typedef struct policy {
	const char *ref;
	const char *value;
} policy;

/* What the upstream test's policies resolve to. */
static const policy policies[] = {
	{ "automation-ns:policy", "index.repo.fake/updated:v1.0.1" },
	{ "automation-ns:policy:name", "index.repo.fake/updated" },
	{ "automation-ns:policy:tag", "v1.0.1" },
	{ "automation-ns:policy-with-digest",
		"image:v1.0.0@sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be" },
	{ "automation-ns:policy-with-digest:digest",
		"sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be" },
	{ "automation-ns:unchanged", "image:v1.0.0" },
	{ NULL, NULL },
};

static void need_fixtures(void)
{
	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at %s", PLATCI_TEST_FIXTURES);
}

/* Applies the policies to every marked scalar of @p data. Returns malloc'ed bytes. */
static char *apply_setters(const char *name, const char *data, size_t len, size_t *out_len)
{
	platci_versions *set = NULL;
	platci_yamledit edits[32];
	platci_buf out = PLATCI_BUF_INIT;
	size_t n = 0;

	cr_assert_eq(platci_versions_new(&set, NULL), 0);
	cr_assert_eq(platci_versions_add_data(set, name, "", data, len, NULL), 0, "%s", name);
	for (size_t i = 0; i < platci_versions_count(set); i++) {
		const platci_pin *p = platci_versions_at(set, i);
		if (!p->setter)
			continue;
		for (size_t k = 0; policies[k].ref; k++) {
			if (strcmp(policies[k].ref, p->setter) == 0) {
				cr_assert_lt(n, 32);
				edits[n].start = p->start;
				edits[n].end = p->end;
				edits[n].value = policies[k].value;
				edits[n].style = p->style;
				edits[n].raw = 0;
				n++;
			}
		}
	}
	cr_assert_eq(platci_yamledit_apply(&out, data, len, edits, n, name, NULL), 0);
	*out_len = out.size;
	platci_versions_free(set);
	return platci_buf_detach(&out);
}

static void check_pair(const char *original, const char *expected)
{
	size_t olen, elen, glen;
	char *o = th_read(original, &olen), *e = th_read(expected, &elen), *got;

	cr_assert_not_null(o, "%s missing", original);
	cr_assert_not_null(e, "%s missing", expected);
	got = apply_setters(original, o, olen, &glen);
	cr_assert_eq(glen, elen, "%s: length %zu, expected %zu:\n%s", original, glen, elen, got);
	cr_assert_eq(memcmp(got, e, elen), 0, "%s differs from %s:\n%s", original, expected, got);
	platci_free(got);
	free(o);
	free(e);
}

Test(setters, upstream_setters_goldens_byte_for_byte)
{
	static const char *const files[] = { "Kustomization", "kustomization.yml", "marked.yaml", NULL };
	char a[512], b[512];

	need_fixtures();
	for (size_t i = 0; files[i]; i++) {
		snprintf(a, sizeof(a), "%s/update/testdata/setters/original/%s", SETTERS, files[i]);
		snprintf(b, sizeof(b), "%s/update/testdata/setters/expected/%s", SETTERS, files[i]);
		check_pair(a, b);
	}
	/* A marker for a policy that does not exist, and no marker at all: untouched. */
	snprintf(a, sizeof(a), "%s/update/testdata/setters/original/otherns.yaml", SETTERS);
	check_pair(a, a);
	snprintf(a, sizeof(a), "%s/update/testdata/setters/original/unmarked.yaml", SETTERS);
	check_pair(a, a);
}

/* The policy tests mark `# SETTER_SITE` with a marker before they run. */
static char *with_marker(const char *path, size_t *len)
{
	char *s = th_read(path, NULL), *at, *r;
	const char *marker = "# {\"$imagepolicy\": \"automation-ns:policy\"}";
	size_t n;

	cr_assert_not_null(s, "%s missing", path);
	at = strstr(s, "# SETTER_SITE");
	cr_assert_not_null(at);
	n = strlen(s) - strlen("# SETTER_SITE") + strlen(marker);
	r = malloc(n + 1);
	snprintf(r, n + 1, "%.*s%s%s", (int)(at - s), s, marker, at + strlen("# SETTER_SITE"));
	free(s);
	*len = n;
	return r;
}

Test(setters, upstream_policy_goldens_with_the_setter_site_marked)
{
	static const char *const cases[][2] = {
		{ "appconfig/deploy.yaml", "appconfig-setters-expected/deploy.yaml" },
		{ "pathconfig/yes/deploy.yaml", "pathconfig-expected/yes/deploy.yaml" },
	};
	char a[512], b[512];

	need_fixtures();
	for (size_t i = 0; i < 2; i++) {
		size_t olen, elen, glen;
		char *o, *e, *got;

		snprintf(a, sizeof(a), "%s/policy/testdata/%s", SETTERS, cases[i][0]);
		snprintf(b, sizeof(b), "%s/policy/testdata/%s", SETTERS, cases[i][1]);
		o = with_marker(a, &olen);
		e = with_marker(b, &elen);
		/* The upstream policy resolves to helloworld:1.0.1 here. */
		{
			platci_versions *set = NULL;
			platci_yamledit ed;
			platci_buf out = PLATCI_BUF_INIT;
			const platci_pin *p;
			cr_assert_eq(platci_versions_new(&set, NULL), 0);
			cr_assert_eq(platci_versions_add_data(set, a, "", o, olen, NULL), 0);
			cr_assert_eq(platci_versions_count(set), 1);
			p = platci_versions_at(set, 0);
			ed.start = p->start;
			ed.end = p->end;
			ed.value = "helloworld:1.0.1";
			ed.style = p->style;
			ed.raw = 0;
			cr_assert_eq(platci_yamledit_apply(&out, o, olen, &ed, 1, a, NULL), 0);
			glen = out.size;
			got = platci_buf_detach(&out);
			platci_versions_free(set);
		}
		cr_assert_eq(glen, elen);
		cr_assert_eq(memcmp(got, e, elen), 0, "%s:\n%s", a, got);
		platci_free(got);
		free(o);
		free(e);
	}
}

/* Strips leading blanks of every line, for goldens a re-indenting writer made. */
static void strip_indent(char *s)
{
	char *w = s;
	int bol = 1;

	for (char *r = s; *r; r++) {
		if (bol && *r == ' ')
			continue;
		bol = *r == '\n';
		*w++ = *r;
	}
	*w = '\0';
}

Test(setters, upstream_replace_goldens)
{
	static const char *const cases[][2] = {
		{ "replace/original/deployment.yaml", "replace/expected/deployment.yaml" },
		{ "replace/original/cronjob.yaml", "replace/expected/cronjob.yaml" },
		{ "replace/commented/deployment.yaml", "replace/commented-expected/deployment.yaml" },
	};
	char a[512], b[512];

	need_fixtures();
	for (size_t i = 0; i < 3; i++) {
		platci_doc *doc = NULL;
		const platci_node *c;
		platci_yamledit ed;
		platci_buf out = PLATCI_BUF_INIT;
		char *e;

		snprintf(a, sizeof(a), "%s/update/testdata/%s", SETTERS, cases[i][0]);
		snprintf(b, sizeof(b), "%s/update/testdata/%s", SETTERS, cases[i][1]);
		cr_assert_eq(platci_doc_load_file(&doc, a, NULL, NULL), 0);
		c = platci_node_dig(platci_doc_root_at(doc, 0), "spec.template.spec.containers");
		if (!c)
			c = platci_node_dig(platci_doc_root_at(doc, 0),
				"spec.jobTemplate.spec.template.spec.containers");
		c = platci_node_get(platci_node_item_at(c, 0), "image");
		cr_assert_str_eq(platci_node_scalar(c, NULL), "used:v1.0.0");
		ed.start = platci_node_start(c).offset;
		ed.end = platci_node_end(c).offset;
		ed.value = "used:v1.1.0";
		ed.style = platci_node_style_of(c);
		ed.raw = 0;
		cr_assert_eq(platci_yamledit_apply(&out, platci_doc_source(doc, NULL),
				     strlen(platci_doc_source(doc, NULL)), &ed, 1, a, NULL),
			0);
		e = th_read(b, NULL);
		if (i < 2) {
			cr_assert_str_eq(out.ptr, e, "%s", a);
		} else {
			/* kyaml re-indented the list in this golden; platci never re-indents. */
			char *g = strdup(out.ptr);
			cr_assert_str_neq(g, e);
			strip_indent(g);
			strip_indent(e);
			cr_assert_str_eq(g, e, "%s differs beyond indentation", a);
			free(g);
		}
		free(e);
		platci_buf_dispose(&out);
		platci_doc_free(doc);
	}
}

Test(setters, upstream_leave_goldens_are_left_alone)
{
	static const char *const files[] = { "deployment.yaml", "cronjob.yaml", NULL };
	char a[512], b[512];

	need_fixtures();
	for (size_t i = 0; files[i]; i++) {
		size_t olen, glen;
		char *o, *e, *got;

		snprintf(a, sizeof(a), "%s/update/testdata/leave/original/%s", SETTERS, files[i]);
		snprintf(b, sizeof(b), "%s/update/testdata/leave/expected/%s", SETTERS, files[i]);
		o = th_read(a, &olen);
		e = th_read(b, NULL);
		cr_assert_not_null(o);
		cr_assert_not_null(e);
		/* No marker: no edit, so the bytes stay exactly the original's... */
		got = apply_setters(a, o, olen, &glen);
		cr_assert(glen == olen && memcmp(got, o, olen) == 0, "%s was changed", a);
		/* ...and match upstream's expected file apart from kyaml's re-indentation. */
		strip_indent(got);
		strip_indent(e);
		cr_assert_str_eq(got, e, "%s", a);
		platci_free(got);
		free(o);
		free(e);
	}
}
