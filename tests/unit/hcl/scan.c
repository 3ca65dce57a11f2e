#include "test_helpers.h"
#include "hcl.h"

static int scan(hcl_file *f, const char *src)
{
	return platci__hcl_scan(f, src, strlen(src), "t.tf", NULL);
}

Test(hcl, blocks_labels_and_string_attributes)
{
	hcl_file f;
	const hcl_attr *at = NULL;
	cr_assert_eq(scan(&f, "terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n"), 0);
	cr_assert_eq(f.nblocks, 2);
	cr_assert_str_eq(f.blocks[1].labels[0], "azurerm");
	cr_assert_str_eq(platci__hcl_attr(&f, 1, "key", &at), "dev.tfstate");
	cr_assert_eq(at->line, 3);
	platci__hcl_dispose(&f);
}

/* The forms real modules use; each was once a false syntax error. */
Test(hcl, object_literals_with_quoted_keys_and_for_expressions)
{
	const char *srcs[] = {
		"x = {\n  \"platform.io/pool\" = \"system\"\n}\n",
		"node_labels = { \"platform.io/workload\" = \"general\" }\n",
		"m = {\n  \"a-b\" = { principal = var.p, role = \"Reader\", scope = var.s }\n}\n",
		"value = { for k, id in azurerm_user_assigned_identity.w : k => id.client_id }\n",
		"for_each = { for k, v in local.s : k => v if v.egress }\n",
		"pools = {\n  for k, v in var.node_pools : k => { min = v.a, max = v.b }\n}\n",
		"l = [for s in var.list : upper(s)]\n",
		"h = <<-EOT\n  {not hcl}\n  EOT\n",
	};
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		hcl_file f;
		platci_diag *diag = NULL;
		platci_diag_new(&diag);
		cr_assert_eq(platci__hcl_scan(&f, srcs[i], strlen(srcs[i]), "t.tf", diag), 0,
			"case %zu: %s", i, platci_diag_count(diag) ? platci_diag_get(diag, 0)->message : "");
		platci__hcl_dispose(&f);
		platci_diag_free(diag);
	}
}

Test(hcl, real_errors_keep_their_position)
{
	hcl_file f;
	platci_diag *diag = NULL;
	platci_diag_new(&diag);
	cr_assert_eq(platci__hcl_scan(&f, "a {\n  b = 1\n", 12, "t.tf", diag), PLATCI_ESYNTAX);
	cr_assert_eq(platci_diag_get(diag, 0)->line, 1);
	platci_diag_free(diag);
	platci_diag_new(&diag);
	cr_assert_eq(platci__hcl_scan(&f, "}\n", 2, "t.tf", diag), PLATCI_ESYNTAX);
	platci_diag_free(diag);
}

/* Every .tf file of the repository's own infra/ scans. */
Test(hcl, the_repository_infra_scans)
{
	char cmd[1024];
	FILE *p;
	char path[4096];
	int n = 0;

	snprintf(cmd, sizeof(cmd), "find '%s/infra' -name '*.tf'", PLATCI_SOURCE_DIR);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(path, sizeof(path), p)) {
		size_t len;
		char *src;
		hcl_file f;
		path[strcspn(path, "\n")] = '\0';
		src = th_read(path, &len);
		cr_assert_not_null(src);
		cr_assert_eq(platci__hcl_scan(&f, src, len, path, NULL), 0, "%s", path);
		platci__hcl_dispose(&f);
		free(src);
		n++;
	}
	pclose(p);
	cr_assert_gt(n, 20);
}
