#include "test_helpers.h"

static platci_config *config(char **dir)
{
	const char *y =
		"version: 1\nenvironments:\n"
		"  - {name: dev, infra: infra/envs/dev, cluster: c/dev, overlay: o/dev}\n"
		"  - {name: prd, infra: infra/envs/prd, cluster: c/prd, overlay: o/prd, promote_from: dev, protected: true}\n";
	platci_config *cfg = NULL;
	platci_config_options o = PLATCI_CONFIG_OPTIONS_INIT;
	char *p;

	*dir = th_tmpdir();
	p = th_write(*dir, "platci.yaml", y, strlen(y));
	o.skip_path_checks = 1;
	cr_assert_eq(platci_config_load(&cfg, p, NULL, &o, NULL), 0);
	free(p);
	return cfg;
}

Test(affected, marks_json_and_child_pipeline)
{
	char *dir;
	platci_config *cfg = config(&dir);
	platci_affected *a = NULL;
	platci_buf b = PLATCI_BUF_INIT;
	platci_affected_meta meta = { "diff", "main", "HEAD", "abc", "def" };

	cr_assert_eq(platci_affected_new(&a, cfg), 0);
	cr_expect_eq(platci_affected_count(a), 0);
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a, NULL, NULL), 0);
	cr_expect(strstr(b.ptr, "no-terraform-to-plan:") != NULL);
	cr_assert_eq(platci_affected_mark(a, "prd", "infra/modules/x/main.tf", "terraform"), 0);
	cr_assert_eq(platci_affected_mark(a, "prd", "infra/modules/x/main.tf", "terraform"), 0);
	cr_expect_eq(platci_affected_mark(a, "nope", "x", "path"), PLATCI_ENOTFOUND);
	cr_expect(platci_affected_is(a, "prd"));
	cr_expect(!platci_affected_is(a, "dev"));
	platci_buf_clear(&b);
	cr_assert_eq(platci_affected_render_json(&b, a, &meta, NULL), 0);
	cr_expect(strstr(b.ptr, "\"via\": \"terraform\"") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "\"merge_base\": \"abc\"") != NULL);
	platci_buf_clear(&b);
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a, NULL, NULL), 0);
	cr_expect(strstr(b.ptr,
			  "  - component: \"$CI_SERVER_FQDN/$CI_PROJECT_PATH/plan@$CI_COMMIT_SHA\"\n"
			  "    inputs:\n      environment: \"prd\"\n      root: \"infra/envs/prd\"\n") != NULL,
		"%s", b.ptr);
	cr_expect(strstr(b.ptr, "\"dev\"") == NULL);
	platci_buf_dispose(&b);
	platci_affected_free(a);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(affected, terraform_modules_are_followed_transitively)
{
	char *dir = th_tmpdir(), **dirs = NULL;
	const char *env =
		"module \"a\" {\n  source = \"../../modules/a\"\n}\nmodule \"r\" {\n"
		"  source = \"Azure/aks/azurerm\"\n  version = \"1.0.0\"\n}\n";
	const char *a =
		"# comment with module \"x\" { source = \"../nope\" }\nmodule \"b\" {\n"
		"  source = \"../b\" // the next one\n}\nlocals {\n  s = <<EOT\nmodule \"c\" { source = \"../c\" }\nEOT\n}\n";
	size_t n = 0;

	free(th_write(dir, "infra/envs/dev/main.tf", env, strlen(env)));
	free(th_write(dir, "infra/modules/a/main.tf", a, strlen(a)));
	free(th_write(dir, "infra/modules/b/main.tf", "module \"back\" {\n  source = \"../a\"\n}\n", 35));
	free(th_write(dir, "infra/modules/c/main.tf", "", 0));
	cr_assert_eq(platci_affected_tf_dirs(&dirs, dir, "infra/envs/dev"), 0);
	for (; dirs[n]; n++)
		;
	cr_assert_eq(n, 3, "env, a, b (not c: it is in a heredoc; not nope: a comment)");
	cr_expect_str_eq(dirs[0], "infra/envs/dev");
	cr_expect_str_eq(dirs[1], "infra/modules/a");
	cr_expect_str_eq(dirs[2], "infra/modules/b");
	platci_affected_dirs_free(dirs);
	th_rmrf(dir);
	free(dir);
}

/* Issue 13.4: a GitOps-only change must not plan Terraform; before, any mark planned. */
Test(affected, kinds_tell_terraform_from_gitops)
{
	char *dir;
	platci_config *cfg = config(&dir);
	platci_affected *a = NULL;
	platci_buf b = PLATCI_BUF_INIT;

	cr_assert_eq(platci_affected_new(&a, cfg), 0);
	cr_assert_eq(platci_affected_mark(a, "prd", "o/prd/kustomization.yaml", "path"), 0);
	cr_assert_eq(platci_affected_mark(a, "dev", "gitops/apps/base/web.yaml", "flux"), 0);
	cr_assert_eq(platci_affected_mark_all(a, "policies/manifests.yaml", "config"), 0);
	cr_expect_eq(platci_affected_kinds(a, "prd"), PLATCI_AFFECTED_GITOPS);
	cr_expect_eq(platci_affected_kinds(a, "dev"), PLATCI_AFFECTED_GITOPS);
	cr_expect_eq(platci_affected_kind_count(a, PLATCI_AFFECTED_TERRAFORM), 0);
	cr_expect_eq(platci_affected_count(a), 2, "both are still affected (validation, scans)");
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a, NULL, NULL), 0);
	cr_expect(strstr(b.ptr, "include:") == NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "no-terraform-to-plan:") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "GitOps only: dev, prd") != NULL, "%s", b.ptr);

	/* the env's Terraform root, a module it reaches, platci.yaml, --all: Terraform */
	cr_assert_eq(platci_affected_mark(a, "prd", "infra/envs/prd/main.tf", "path"), 0);
	cr_expect_eq(platci_affected_kinds(a, "prd"), PLATCI_AFFECTED_GITOPS | PLATCI_AFFECTED_TERRAFORM);
	cr_assert_eq(platci_affected_mark(a, "dev", "platci.yaml", "config"), 0);
	cr_expect(platci_affected_kinds(a, "dev") & PLATCI_AFFECTED_TERRAFORM);
	cr_expect_eq(platci_affected_kinds(a, "nope"), 0);
	platci_buf_clear(&b);
	cr_assert_eq(platci_affected_render_json(&b, a, NULL, NULL), 0);
	cr_expect(strstr(b.ptr, "\"terraform\": true") != NULL, "%s", b.ptr);
	platci_buf_dispose(&b);
	platci_affected_free(a);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

/* Issue 13.4: the child includes the parent's template with needs, rules and forwarded inputs. */
Test(affected, child_reuses_the_parent_template)
{
	char *dir;
	platci_config *cfg = config(&dir);
	platci_affected *a = NULL;
	platci_buf b = PLATCI_BUF_INIT;
	platci_affected_child_options o;
	const char *inputs[] = { "image=registry.example.com/platci-ci@sha256:00",
		"tags=[\"platform-uaenorth\"]", "gate_preview=true", "stage=tf-plan", "note=\"x\"", NULL };

	cr_assert_eq(platci_affected_child_options_init(&o, PLATCI_AFFECTED_CHILD_OPTIONS_VERSION), 0);
	cr_expect_eq(platci_affected_child_options_init(&o, 99), PLATCI_EINVALID);
	cr_assert_eq(platci_affected_child_options_init(&o, PLATCI_AFFECTED_CHILD_OPTIONS_VERSION), 0);
	o.component = "gitlab.example.com/platform/platci/plan@1.2.0";
	o.parent_job = "build:platci";
	o.inputs = inputs;
	cr_assert_eq(platci_affected_new(&a, cfg), 0);
	cr_assert_eq(platci_affected_mark(a, "dev", "infra/modules/x/main.tf", "terraform"), 0);
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a, &o, NULL), 0);
	cr_expect(strstr(b.ptr,
			  "stages: [\"tf-plan\"]\ninclude:\n"
			  "  - component: \"gitlab.example.com/platform/platci/plan@1.2.0\"\n"
			  "    inputs:\n"
			  "      environment: \"dev\"\n"
			  "      root: \"infra/envs/dev\"\n"
			  "      needs: [{pipeline: $PARENT_PIPELINE_ID, job: \"build:platci\"}]\n"
			  "      rules: [{when: on_success}]\n"
			  "      image: \"registry.example.com/platci-ci@sha256:00\"\n"
			  "      tags: [\"platform-uaenorth\"]\n"
			  "      gate_preview: true\n"
			  "      stage: \"tf-plan\"\n"
			  "      note: \"\\\"x\\\"\"\n") != NULL,
		"%s", b.ptr);
	cr_expect(strstr(b.ptr, "prd") == NULL, "%s", b.ptr);
	platci_buf_dispose(&b);
	platci_affected_free(a);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(affected, child_options_are_checked)
{
	char *dir;
	platci_config *cfg = config(&dir);
	platci_affected *a = NULL;
	platci_buf b = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	platci_affected_child_options o = PLATCI_AFFECTED_CHILD_OPTIONS_INIT;
	const char *reserved[] = { "needs=[]", NULL }, *noeq[] = { "image", NULL },
		   *badkey[] = { "a b=1", NULL };

	cr_assert_eq(platci_affected_new(&a, cfg), 0);
	cr_assert_eq(platci_diag_new(&diag), 0);
	o.inputs = reserved;
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), PLATCI_EINVALID);
	cr_expect(strstr(platci_diag_at(diag, 0)->message, "needs=[]") != NULL);
	o.inputs = noeq;
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), PLATCI_EINVALID);
	o.inputs = badkey;
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), PLATCI_EINVALID);
	o.inputs = NULL;
	o.component = "gitlab.example.com/platform/platci/plan";
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), PLATCI_EINVALID);
	o.local = "templates/plan.yml";
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), PLATCI_EINVALID);
	o.component = NULL;
	cr_assert_eq(platci_affected_mark(a, "prd", "infra/envs/prd/x.tf", "path"), 0);
	cr_expect_eq(platci_affected_render_child_pipeline(&b, a, &o, diag), 0);
	cr_expect(strstr(b.ptr, "  - local: \"templates/plan.yml\"\n") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "      needs: []\n") != NULL, "%s", b.ptr);
	platci_diag_free(diag);
	platci_buf_dispose(&b);
	platci_affected_free(a);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}
