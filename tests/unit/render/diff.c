/*
 * The rendered diff (platci_fluxmodel_diff) over two renders of a small
 * cluster, and its MR-note Markdown: objects matched by identity, a change
 * shown as a unified diff, Secret and credential values never shown.
 * Needs kustomize (kubectl kustomize from .tools/bin or PATH); skipped
 * when absent.
 */
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

static platci_fluxmodel *render(const char *objects)
{
	char *dir = th_tmpdir();
	platci_fluxmodel_options o = PLATCI_FLUXMODEL_OPTIONS_INIT;
	platci_fluxmodel *m = NULL;
	platci_findings *f = NULL;

	free(th_write(dir, "clusters/c/objects.yaml", objects, strlen(objects)));
	o.root = dir;
	o.cluster = "clusters/c";
	o.env = "c";
	o.tools = &tools;
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_fluxmodel_build(&m, &o, f, NULL), 0);
	platci_findings_free(f);
	free(dir);
	return m;
}

#define CM(name, data) \
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " name "\n  namespace: app\ndata:\n" data "---\n"
#define DEPLOY(pw) \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: app\n" \
	"spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n" \
	"          env:\n            - name: DB_PASSWORD\n              value: " pw \
	"\n" \
	"            - name: LOG_LEVEL\n              value: " pw "-level\n---\n"
#define SECRET(pw) \
	"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: app\n" \
	"stringData:\n  password: " pw "\n---\n"

Test(render_diff, objects_by_identity_values_masked)
{
	platci_fluxmodel *base, *head;
	platci_fluxmodel_diff_counts c;
	platci_buf out = PLATCI_BUF_INIT;

	if (!have_tools())
		cr_skip_test("neither kustomize nor kubectl is installed");
	base = render(CM("keep", "  a: \"1\"\n") CM("gone", "  x: \"1\"\n")
			CM("cfg", "  level: info\n  apiToken: tok-old\n  tokenSecretName: name-old\n")
				SECRET("pw-old") DEPLOY("env-old"));
	head = render(CM("keep", "  a: \"1\"\n") CM("new", "  y: \"2\"\n")
			CM("cfg", "  level: debug\n  apiToken: tok-new\n  tokenSecretName: name-new\n")
				SECRET("pw-new") DEPLOY("env-new"));
	cr_assert_eq(platci_fluxmodel_diff(&out, &c, base, head), 0);
	cr_expect_eq(c.added, 1);
	cr_expect_eq(c.removed, 1);
	cr_expect_eq(c.changed, 3); /* cfg, the Secret (only a masked value), the Deployment */
	cr_expect(strstr(out.ptr, "--- a/app/ConfigMap.gone.yaml\n+++ /dev/null\n"), "%s", out.ptr);
	cr_expect(strstr(out.ptr, "--- /dev/null\n+++ b/app/ConfigMap.new.yaml\n"), "%s", out.ptr);
	cr_expect(strstr(out.ptr, "-  level: info\n"), "%s", out.ptr);
	cr_expect(strstr(out.ptr, "+  level: debug\n"), "%s", out.ptr);
	/* a reference to a Secret is not a credential: shown */
	cr_expect(strstr(out.ptr, "+  tokenSecretName: name-new\n"), "%s", out.ptr);
	cr_expect(strstr(out.ptr,
			  "--- a/app/Secret.db.yaml\n+++ b/app/Secret.db.yaml\n"
			  "@@ values masked"),
		"%s", out.ptr);
	cr_expect_null(strstr(out.ptr, "ConfigMap.keep"), "%s", out.ptr);
	cr_expect_null(strstr(out.ptr, "pw-"), "a Secret value leaked: %s", out.ptr);
	cr_expect_null(strstr(out.ptr, "tok-"), "a credential value leaked: %s", out.ptr);
	/* an env entry named like a credential: its value masked; the others shown */
	cr_expect_null(strstr(out.ptr, "env-new\n"), "an env credential leaked: %s", out.ptr);
	cr_expect_null(strstr(out.ptr, "env-old\n"), "an env credential leaked: %s", out.ptr);
	cr_expect(strstr(out.ptr, "-          value: env-old-level\n+          value: env-new-level\n"),
		"%s", out.ptr);
	platci_buf_dispose(&out);
	/* nothing at the merge base: everything is added */
	cr_assert_eq(platci_fluxmodel_diff(&out, &c, NULL, head), 0);
	cr_expect_eq(c.added, 5);
	cr_expect_eq(c.changed + c.removed, 0);
	platci_buf_dispose(&out);
	platci_fluxmodel_free(base);
	platci_fluxmodel_free(head);
}

Test(render_diff, markdown_keeps_the_note_within_its_budget)
{
	platci_buf diff = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;

	platci_buf_puts(&diff,
		"# environment stg: 0 added, 0 removed, 1 changed\n--- a/x\n+++ b/x\n"
		"@@ -1,1 +1,1 @@\n-a\n+b\n# environment prd: 1 added, 0 removed, 0 changed\n");
	for (int i = 0; i < 5000; i++)
		platci_buf_printf(&diff, "+line %d with ``` fences\n", i);
	cr_assert_eq(platci_fluxmodel_diff_markdown(&md, diff.ptr, diff.size, 20000,
			     "https://gitlab.example.com/job/1/artifacts/file/r/rendered.diff"),
		0);
	cr_expect(md.size <= 20000 + 1000, "%zu bytes", md.size);
	cr_expect(strstr(md.ptr, "<summary>environment stg: 0 added, 0 removed, 1 changed</summary>"));
	cr_expect(strstr(md.ptr, "<summary>environment prd: 1 added"));
	cr_expect(strstr(md.ptr, "````diff\n"), "a fence longer than the body's backticks");
	cr_expect(strstr(md.ptr, "-a\n+b\n"));
	cr_expect(strstr(md.ptr, "1 environment diff was cut"), "%s", md.ptr + md.size - 300);
	cr_expect(strstr(md.ptr, "(https://gitlab.example.com/job/1/artifacts/file/r/rendered.diff)"));
	platci_buf_clear(&md);
	cr_assert_eq(platci_fluxmodel_diff_markdown(&md, "", 0, 0, NULL), 0);
	cr_expect(strstr(md.ptr, "No environment's rendered objects change."));
	platci_buf_dispose(&md);
	platci_buf_dispose(&diff);
}
