#include "test_helpers.h"

static platci_config *config(char **dir)
{
	const char *y = "version: 1\nenvironments:\n"
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
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a), 0);
	cr_expect(strstr(b.ptr, "no-affected-environments:") != NULL);
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
	cr_assert_eq(platci_affected_render_child_pipeline(&b, a), 0);
	cr_expect(strstr(b.ptr, "\"plan:prd\":") != NULL, "%s", b.ptr);
	cr_expect(strstr(b.ptr, "resource_group: \"prd\"") != NULL);
	cr_expect(strstr(b.ptr, "action: prepare") != NULL);
	cr_expect(strstr(b.ptr, "platci-plan summarize --env") != NULL);
	cr_expect(strstr(b.ptr, "plan:dev") == NULL);
	platci_buf_dispose(&b);
	platci_affected_free(a);
	platci_config_free(cfg);
	th_rmrf(dir);
	free(dir);
}

Test(affected, terraform_modules_are_followed_transitively)
{
	char *dir = th_tmpdir(), **dirs = NULL;
	const char *env = "module \"a\" {\n  source = \"../../modules/a\"\n}\nmodule \"r\" {\n"
		"  source = \"Azure/aks/azurerm\"\n  version = \"1.0.0\"\n}\n";
	const char *a = "# comment with module \"x\" { source = \"../nope\" }\nmodule \"b\" {\n"
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
