#include <sys/mman.h>
#include <unistd.h>
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
	cr_assert_eq(scan(&f, "terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n"),
		0);
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
		cr_assert_eq(platci__hcl_scan(&f, srcs[i], strlen(srcs[i]), "t.tf", diag), 0, "case %zu: %s",
			i, platci_diag_count(diag) ? platci_diag_at(diag, 0)->message : "");
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
	cr_assert_eq(platci_diag_at(diag, 0)->line, 1);
	platci_diag_free(diag);
	platci_diag_new(&diag);
	cr_assert_eq(platci__hcl_scan(&f, "}\n", 2, "t.tf", diag), PLATCI_ESYNTAX);
	platci_diag_free(diag);
}

/* The facts validation reads, as text: backends, module sources, provider pins. */
static void facts_of(platci_buf *out, const char *file, const hcl_file *f)
{
	for (size_t b = 0; b < f->nblocks; b++) {
		const hcl_block *blk = &f->blocks[b];
		const char *parent = blk->parent == HCL_TOP ? NULL : f->blocks[blk->parent].type;
		const char *src = platci__hcl_attr(f, b, "source", NULL);
		const char *ver = platci__hcl_attr(f, b, "version", NULL);

		if (!strcmp(blk->type, "backend") && parent && !strcmp(parent, "terraform"))
			platci_buf_printf(out, "backend %s %s key=%s\n", file, blk->labels[0],
				platci__hcl_attr(f, b, "key", NULL));
		else if (!strcmp(blk->type, "module") && !parent)
			platci_buf_printf(out, "module %s %s source=%s\n", file, blk->labels[0], src);
		else if (parent && !strcmp(parent, "required_providers"))
			platci_buf_printf(out, "provider %s %s source=%s version=%s\n", file,
				blk->type, src ? src : "-", ver ? ver : "-");
	}
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every .tf file of the repository's own infra/ scans, and what it holds
 * is read right. The expected lists were worked out by reading the files:
 * the four `backend "azurerm"` blocks (infra/envs/<env>/versions.tf and
 * infra/global/versions.tf) with their keys, every top-level module block
 * with its source, and every required_providers entry with its source and
 * version. Change them with infra/.
 */
Test(hcl, the_repository_infra_scans_and_its_facts_are_read)
{
	static const char *const want[] = {
		"backend infra/envs/dev-uaenorth/versions.tf azurerm key=dev-uaenorth.tfstate",
		"backend infra/envs/prd-uaenorth/versions.tf azurerm key=prd-uaenorth.tfstate",
		"backend infra/envs/stg-uaenorth/versions.tf azurerm key=stg-uaenorth.tfstate",
		"backend infra/global/versions.tf azurerm key=global-uaenorth.tfstate",
		"module infra/envs/dev-uaenorth/main.tf platform source=../../modules/platform",
		"module infra/envs/prd-uaenorth/main.tf platform source=../../modules/platform",
		"module infra/envs/stg-uaenorth/main.tf platform source=../../modules/platform",
		"module infra/global/main.tf acr source=../modules/acr",
		"module infra/global/main.tf state_backend source=../modules/state-backend",
		"module infra/modules/platform/main.tf aks source=../aks",
		"module infra/modules/platform/main.tf cosmosdb source=../cosmosdb-mongo",
		"module infra/modules/platform/main.tf datalake source=../datalake",
		"module infra/modules/platform/main.tf identity_rbac source=../identity-rbac",
		"module infra/modules/platform/main.tf key_vault source=../key-vault",
		"module infra/modules/platform/main.tf monitoring source=../monitoring",
		"module infra/modules/platform/main.tf network source=../network",
		"module infra/modules/platform/main.tf private_dns source=../private-dns",
		"module infra/modules/platform/main.tf private_endpoint source=../private-endpoint",
		"module infra/modules/platform/main.tf scheduled_scaling source=../scheduled-scaling",
		"module infra/modules/platform/main.tf sp_rotation source=../sp-rotation",
		"provider infra/envs/dev-uaenorth/versions.tf azuread source=hashicorp/azuread version=~> 2.53",
		"provider infra/envs/dev-uaenorth/versions.tf azurerm source=hashicorp/azurerm version=~> 3.116",
		"provider infra/envs/dev-uaenorth/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/envs/prd-uaenorth/versions.tf azuread source=hashicorp/azuread version=~> 2.53",
		"provider infra/envs/prd-uaenorth/versions.tf azurerm source=hashicorp/azurerm version=~> 3.116",
		"provider infra/envs/prd-uaenorth/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/envs/stg-uaenorth/versions.tf azuread source=hashicorp/azuread version=~> 2.53",
		"provider infra/envs/stg-uaenorth/versions.tf azurerm source=hashicorp/azurerm version=~> 3.116",
		"provider infra/envs/stg-uaenorth/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/global/versions.tf azurerm source=hashicorp/azurerm version=~> 3.116",
		"provider infra/modules/acr/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/aks/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/cosmosdb-mongo/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/datalake/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/identity-rbac/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/key-vault/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/monitoring/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/network/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/platform/versions.tf azuread source=hashicorp/azuread version=~> 2.53",
		"provider infra/modules/platform/versions.tf azurerm source=hashicorp/azurerm version=~> 3.116",
		"provider infra/modules/platform/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/modules/private-dns/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/private-endpoint/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/scheduled-scaling/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/scheduled-scaling/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/modules/sp-rotation/versions.tf azuread source=hashicorp/azuread version=~> 2.53",
		"provider infra/modules/sp-rotation/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
		"provider infra/modules/sp-rotation/versions.tf time source=hashicorp/time version=~> 0.12",
		"provider infra/modules/state-backend/versions.tf azurerm source=hashicorp/azurerm version=~> 3.110",
	};
	const size_t NWANT = sizeof(want) / sizeof(want[0]);
	platci_buf facts = PLATCI_BUF_INIT;
	char cmd[1024], path[4096], *lines[256];
	size_t n = 0, nfiles = 0, root = strlen(PLATCI_SOURCE_DIR) + 1;
	FILE *p;

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
		facts_of(&facts, path + root, &f);
		platci__hcl_dispose(&f);
		free(src);
		nfiles++;
	}
	pclose(p);
	cr_assert_gt(nfiles, 20);
	for (char *line = facts.ptr, *nl; *line && n < 256; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		lines[n++] = line;
	}
	qsort(lines, n, sizeof(char *), cmp_line);
	for (size_t i = 0; i < n && i < NWANT; i++)
		cr_expect_str_eq(lines[i], want[i], "fact %zu", i);
	cr_expect_eq(n, NWANT, "%zu facts, wanted %zu", n, NWANT);
	platci_buf_dispose(&facts);
}

/*
 * Valid Terraform the scanner once refused (issue 13, item 5): object
 * constructors with `:` (as in Azure/terraform-azurerm-aks
 * examples/startup/main.tf, `agents_labels`), and strings inside an
 * interpolation. The facts after them must still be read.
 */
Test(hcl, colons_in_objects_and_strings_in_interpolations)
{
	const char *src =
		"locals {\n"
		"  v      = { a : 1 }\n"
		"  labels = {\n    \"pool\" : \"system\"\n    team : \"platform\"\n  }\n"
		"  name   = \"${format(\"%s-{x}\", var.a)}\"\n"
		"  nested = \"${jsonencode({ k = \"}\" })}-${var.b}\"\n"
		"  cond   = var.a ? \"${var.b}\" : \"{\"\n"
		"}\n"
		"terraform {\n  backend \"azurerm\" {\n    key = \"dev.tfstate\"\n  }\n}\n";
	hcl_file f;
	const hcl_attr *at = NULL;
	platci_diag *diag = NULL;
	size_t labels = (size_t)-1, backend = (size_t)-1;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci__hcl_scan(&f, src, strlen(src), "t.tf", diag), 0, "%s",
		platci_diag_count(diag) ? platci_diag_at(diag, 0)->message : "");
	for (size_t b = 0; b < f.nblocks; b++) {
		if (!strcmp(f.blocks[b].type, "labels"))
			labels = b;
		if (!strcmp(f.blocks[b].type, "backend"))
			backend = b;
	}
	cr_assert_neq(labels, (size_t)-1);
	cr_expect_str_eq(platci__hcl_attr(&f, labels, "pool", NULL), "system");
	cr_expect_str_eq(platci__hcl_attr(&f, labels, "team", NULL), "platform");
	cr_expect_str_eq(platci__hcl_attr(&f, 0, "name", NULL), "", "an interpolation is no literal");
	cr_assert_neq(backend, (size_t)-1);
	cr_expect_str_eq(f.blocks[backend].labels[0], "azurerm");
	cr_expect_str_eq(platci__hcl_attr(&f, backend, "key", &at), "dev.tfstate");
	cr_expect_eq(at->line, 13);
	platci__hcl_dispose(&f);
	platci_diag_free(diag);
}

/* Items on one line: `{ source = "...", version = "..." }` keeps both. */
Test(hcl, every_item_of_a_one_line_object)
{
	const char *src =
		"terraform {\n  required_providers {\n"
		"    aws = { source = \"hashicorp/aws\", version = \"~> 5.0\" }\n  }\n}\n";
	hcl_file f;

	cr_assert_eq(scan(&f, src), 0);
	cr_assert_eq(f.nblocks, 3);
	cr_expect_str_eq(f.blocks[2].type, "aws");
	cr_expect_str_eq(platci__hcl_attr(&f, 2, "source", NULL), "hashicorp/aws");
	cr_expect_str_eq(platci__hcl_attr(&f, 2, "version", NULL), "~> 5.0");
	platci__hcl_dispose(&f);
}

/* Keys that are expressions, and `$${` (a literal `${`): read, no crash, no literal value. */
Test(hcl, expression_keys_and_escaped_interpolation)
{
	const char *src =
		"locals {\n  m = { \"${var.k}\" = 1, (local.k) = 2, 3 = \"c\" }\n"
		"  e = \"$${not} %%{not}\"\n  after = \"yes\"\n}\n";
	hcl_file f;

	cr_assert_eq(scan(&f, src), 0);
	cr_expect_str_eq(platci__hcl_attr(&f, 1, "3", NULL), "c");
	cr_expect_str_eq(platci__hcl_attr(&f, 0, "e", NULL), "");
	cr_expect_str_eq(platci__hcl_attr(&f, 0, "after", NULL), "yes");
	platci__hcl_dispose(&f);
}

/*
 * A hand-written scanner must never read past its input: every prefix of
 * tricky inputs is placed against a page it may not touch (house style
 * 15, guard-page tests for hand-written scanners).
 */
Test(hcl, never_reads_past_the_input)
{
	static const char *const srcs[] = {
		"locals {\n  v = { \"a\" : \"${format(\"%s-{x}\", var.a)}\" }\n}\n",
		"x = <<-EOT\n  body ${var.a}\n  EOT\n",
		"m = { (local.k) = [1, 2], 3 = \"c\" } # tail\n/* block",
		"a = \"$${x}\\\"\"\nb \"l\" { c = 1 }\n",
	};
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(mem, MAP_FAILED);
	cr_assert_eq(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		size_t n = strlen(srcs[i]);
		for (size_t len = 0; len <= n; len++) {
			char *at = mem + page - len;
			hcl_file f;
			memcpy(at, srcs[i], len);
			if (platci__hcl_scan(&f, at, len, "t.tf", NULL) == 0)
				platci__hcl_dispose(&f);
		}
	}
	munmap(mem, (size_t)page * 2);
}
