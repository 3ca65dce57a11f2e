#include "helpers.h"

/* A refresh-only plan with secrets planted where Terraform puts them. */
static const char secret_plan[] =
	"{\"format_version\":\"1.2\",\"errored\":false,\n"
	" \"variables\":{\"db_password\":{\"value\":\"PLANTED-variable-secret\"}},\n"
	" \"resource_drift\":[\n"
	"  {\"address\":\"azurerm_key_vault_secret.db\",\"mode\":\"managed\",\"type\":\"azurerm_key_vault_secret\",\"name\":\"db\",\n"
	"   \"change\":{\"actions\":[\"update\"],\n"
	"     \"before\":{\"value\":\"PLANTED-old-secret\",\"tags\":{\"a\":\"1\"},\"nested\":{\"k\":[\"PLANTED-deep-old\"]}},\n"
	"     \"after\":{\"value\":\"PLANTED-new-secret\",\"tags\":{\"a\":\"2\"},\"nested\":{\"k\":[\"PLANTED-deep-new\"]}},\n"
	"     \"before_sensitive\":{\"value\":true,\"nested\":{\"k\":[true]}},\"after_sensitive\":{\"value\":true,\"nested\":true},\n"
	"     \"after_unknown\":{}}},\n"
	"  {\"address\":\"azurerm_storage_account.logs\",\"mode\":\"managed\",\n"
	"   \"change\":{\"actions\":[\"update\"],\"before\":{\"key\":\"PLANTED-key-old\",\"tls\":\"TLS1_2\"},\n"
	"     \"after\":{\"key\":\"PLANTED-key-new\",\"tls\":\"TLS1_0\",\"etag\":null},\n"
	"     \"before_sensitive\":{\"key\":true},\"after_sensitive\":{\"key\":true},\"after_unknown\":{\"etag\":true}}},\n"
	"  {\"address\":\"random_password.all\",\"change\":{\"actions\":[\"update\"],\"before\":{\"result\":\"PLANTED-whole-old\"},\n"
	"     \"after\":{\"result\":\"PLANTED-whole-new\"},\"before_sensitive\":true,\"after_sensitive\":true}}\n"
	" ]}\n";

Test(drift_terraform, secrets_never_reach_any_output)
{
	drift_case c;
	char *all;

	dc_run(&c, secret_plan, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	all = dc_render_all(&c);
	cr_assert_not_null(all);
	cr_assert(strstr(all, "PLANTED") == NULL, "a planted secret leaked:\n%s", strstr(all, "PLANTED"));
	/* ...and what is not secret is still shown. */
	cr_assert(strstr(all, "tags[\\\"a\\\"]") != NULL || strstr(all, "tags[\"a\"]") != NULL);
	cr_assert(strstr(all, PLATCI_REDACTED) != NULL);
	platci_free(all);
	{
		const platci_drift_item *it =
			dc_find(&c, "terraform.changed", "azurerm_storage_account.logs");
		int saw_unknown = 0;
		cr_assert_not_null(it);
		for (size_t i = 0; i < it->nattrs; i++) {
			if (strcmp(it->attrs[i].path, "etag") == 0) {
				cr_assert_str_eq(it->attrs[i].after, PLATCI_UNKNOWN);
				saw_unknown = 1;
			}
			if (strcmp(it->attrs[i].path, "key") == 0)
				cr_assert(it->attrs[i].sensitive);
		}
		cr_assert(saw_unknown);
	}
	dc_dispose(&c);
}

static const char categories_plan[] =
	"{\"format_version\":\"1.1\",\n"
	" \"resource_drift\":[\n"
	"  {\"address\":\"a.changed\",\"change\":{\"actions\":[\"update\"],\"before\":{\"x\":1},\"after\":{\"x\":2}}},\n"
	"  {\"address\":\"a.gone\",\"change\":{\"actions\":[\"delete\"],\"before\":{\"x\":1},\"after\":null,\"after_sensitive\":false}},\n"
	"  {\"address\":\"a.replaced\",\"action_reason\":\"replace_because_cannot_update\",\"change\":{\"actions\":[\"delete\",\"create\"],\"before\":{\"x\":1},\"after\":{\"x\":3}}},\n"
	"  {\"address\":\"a.same\",\"change\":{\"actions\":[\"no-op\"],\"before\":{\"x\":1},\"after\":{\"x\":1}}},\n"
	"  {\"address\":\"a.new\",\"previous_address\":\"a.old\",\"change\":{\"actions\":[\"no-op\"],\"before\":{},\"after\":{}}}\n"
	" ],\n"
	" \"prior_state\":{\"values\":{\"root_module\":{\"resources\":[{\"address\":\"a.same\"},{\"address\":\"a.quiet\"},{\"address\":\"data.x.y\"}],\n"
	"   \"child_modules\":[{\"resources\":[{\"address\":\"module.m.b.c\"},{\"address\":\"module.m.data.d.e\"}]}]}}}}\n";

Test(drift_terraform, categories_and_checked_objects)
{
	drift_case c;
	platci_drift_counts n;

	dc_run(&c, categories_plan, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_not_null(dc_find(&c, "terraform.changed", "a.changed"));
	cr_assert_not_null(dc_find(&c, "terraform.deleted", "a.gone"));
	cr_assert_eq(dc_find(&c, "terraform.deleted", "a.gone")->nattrs, 0);
	cr_assert_str_eq(dc_find(&c, "terraform.replaced", "a.replaced")->reason,
		"replace_because_cannot_update");
	cr_assert_str_eq(dc_find(&c, "terraform.replaced", "a.replaced")->action, "delete,create");
	cr_assert_not(dc_find(&c, "terraform.moved", "a.new")->is_drift);
	cr_assert_str_eq(dc_find(&c, "terraform.moved", "a.new")->previous, "a.old");
	cr_assert_eq(platci_drift_item_count(c.drift), 4);
	cr_assert_eq(platci_drift_totals(&n, c.drift), 0);
	cr_assert_eq(n.terraform_drift, 3);
	cr_assert_eq(n.notices, 1);
	/* drifted + unchanged + state-only resources, no data sources */
	cr_assert_eq(n.terraform_checked, 7, "checked %zu", n.terraform_checked);
	cr_assert(platci_drift_found(c.drift));
	dc_dispose(&c);
}

Test(drift_terraform, refresh_only_without_drift_is_clean)
{
	drift_case c;
	dc_run(&c, "{\"format_version\":\"1.2\",\"errored\":false,\"applyable\":false}", NULL, NULL,
		0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_not(platci_drift_found(c.drift));
	cr_assert_eq(platci_findings_count(c.findings), 0);
	dc_dispose(&c);
}

static void expect_error(const char *plan, int code, const char *needle)
{
	drift_case c;
	char msg[512] = "";
	dc_run(&c, plan, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, code, "plan %s: rc %d", plan, c.rc);
	cr_assert_null(c.drift);
	cr_assert_geq(platci_diag_count(c.diag), 1);
	platci_diag_format(msg, sizeof(msg), platci_diag_at(c.diag, 0));
	cr_assert(strstr(msg, needle) != NULL, "\"%s\" lacks \"%s\"", msg, needle);
	cr_assert(strstr(msg, "plan.json:") != NULL, "no position in \"%s\"", msg);
	dc_dispose(&c);
}

Test(drift_terraform, messy_inputs_are_clear_errors)
{
	expect_error("", PLATCI_ESYNTAX, "empty");
	expect_error("{\"format_version\":\"1.2\",\"resource_drift\":[{\"address\":", PLATCI_ESYNTAX, "");
	/* a wrapper's line is skipped, as platci-plan does; what follows must still be a plan */
	expect_error("[command]/usr/bin/terraform show -json\n{}", PLATCI_EDATA, "no format_version");
	expect_error("[]", PLATCI_ESYNTAX, "not a JSON object");
	expect_error("{\"format_version\":\"1.2\"}", PLATCI_EDATA, "not a Terraform plan");
	expect_error("{\"resource_drift\":[]}", PLATCI_EDATA, "no format_version");
	expect_error("{\"format_version\":\"2.0\"}", PLATCI_EVERSION, "not supported");
	expect_error("{\"format_version\":\"x\"}", PLATCI_EDATA, "not a version");
	expect_error("{\"format_version\":\"1.2\",\"errored\":true}", PLATCI_EDATA, "errored");
	expect_error("{\"format_version\":\"1.2\",\"resource_drift\":[\n{\"change\":{}}]}",
		PLATCI_EDATA, "no address");
	/* two keys with one name: which one counts would be a guess */
	expect_error("{\"format_version\":\"1.2\",\"resource_drift\":[],\n \"resource_drift\":[]}",
		PLATCI_ESYNTAX, "plan.json:2:2: error: duplicate key \"resource_drift\"");
}

/*
 * terraform_data copies a sensitive `input` into `output` without a marker
 * (issue 13 item 1). Drift reads plans through the plan reader, and gets
 * its masking: neither copy of the old or new secret reaches any output.
 */
static const char terraform_data_plan[] =
	"{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.4\",\n"
	" \"resource_drift\":[{\"address\":\"terraform_data.secret\",\"mode\":\"managed\",\n"
	"  \"type\":\"terraform_data\",\"name\":\"secret\",\"change\":{\"actions\":[\"update\"],\n"
	"  \"before\":{\"id\":\"b1c2\",\"input\":\"S3cr3t-old-value\",\"output\":\"S3cr3t-old-value\","
	"\"triggers_replace\":null},\n"
	"  \"after\":{\"id\":\"b1c2\",\"input\":\"S3cr3t-new-value\",\"output\":\"S3cr3t-new-value\","
	"\"triggers_replace\":null},\n"
	"  \"after_unknown\":{},\"before_sensitive\":{\"input\":true},\"after_sensitive\":{\"input\":true}}}],\n"
	" \"prior_state\":{\"values\":{\"root_module\":{\"resources\":[{\"address\":\"terraform_data.secret\","
	"\"mode\":\"managed\"}]}}}}\n";

Test(drift_terraform, an_unmarked_copy_of_a_sensitive_value_is_masked)
{
	drift_case c;
	const platci_drift_item *it;
	char *all;

	dc_run(&c, terraform_data_plan, NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	it = dc_find(&c, "terraform.changed", "terraform_data.secret");
	cr_assert_not_null(it);
	cr_assert_eq(it->nattrs, 2, "input and output changed");
	for (size_t i = 0; i < it->nattrs; i++) {
		cr_assert(it->attrs[i].sensitive, "%s is not masked", it->attrs[i].path);
		cr_assert_str_eq(it->attrs[i].before, PLATCI_REDACTED);
		cr_assert_str_eq(it->attrs[i].after, PLATCI_REDACTED);
	}
	all = dc_render_all(&c);
	cr_assert(strstr(all, "S3cr3t") == NULL, "a secret leaked:\n%s", strstr(all, "S3cr3t"));
	cr_assert(strstr(all, "output") != NULL, "the masked attribute is still named");
	platci_free(all);
	dc_dispose(&c);
}

/* A secret one resource marks, copied unmarked into another: masked once the plan is read. */
Test(drift_terraform, a_secret_marked_elsewhere_in_the_plan_is_masked)
{
	drift_case c;
	const platci_drift_item *it;

	dc_run(&c,
		"{\"format_version\":\"1.2\",\"resource_drift\":["
		"{\"address\":\"a.copy\",\"change\":{\"actions\":[\"update\"],"
		"\"before\":{\"v\":\"k=S3cr3t-shared\"},\"after\":{\"v\":\"none\"}}},"
		"{\"address\":\"a.owner\",\"change\":{\"actions\":[\"update\"],"
		"\"before\":{\"pw\":\"S3cr3t-shared\"},\"after\":{\"pw\":\"x-other\"},"
		"\"before_sensitive\":{\"pw\":true},\"after_sensitive\":{\"pw\":true}}}]}",
		NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	it = dc_find(&c, "terraform.changed", "a.copy");
	cr_assert_not_null(it);
	cr_assert_eq(it->nattrs, 1);
	cr_assert(it->attrs[0].sensitive);
	cr_assert_str_eq(it->attrs[0].before, PLATCI_REDACTED);
	dc_dispose(&c);
}

/* The same plan saved as UTF-16 with a BOM, or behind setup-terraform's wrapper line. */
Test(drift_terraform, utf16_and_wrapper_inputs_are_read_as_platci_plan_reads_them)
{
	size_t n = strlen(terraform_data_plan);
	char *u16 = malloc(2 + 2 * n), *wrapped = malloc(n + 64);
	drift_case c;

	u16[0] = '\xFF';
	u16[1] = '\xFE';
	for (size_t i = 0; i < n; i++) {
		u16[2 + 2 * i] = terraform_data_plan[i];
		u16[3 + 2 * i] = '\0';
	}
	snprintf(wrapped, n + 64, "[command]/usr/bin/terraform show -json tfplan\n%s", terraform_data_plan);
	for (int k = 0; k < 2; k++) {
		drift_case *cc = &c;
		platci_drift_options o = PLATCI_DRIFT_OPTIONS_INIT;
		char *dir = th_tmpdir(), *path;
		path = k == 0 ? th_write(dir, "plan.json", u16, 2 + 2 * n)
			      : th_write(dir, "plan.json", wrapped, strlen(wrapped));
		memset(cc, 0, sizeof(*cc));
		cr_assert_eq(platci_diag_new(&cc->diag), 0);
		o.env = "dev-uaenorth";
		o.terraform_plan = path;
		cr_assert_eq(platci_drift_run(&cc->drift, &o, NULL, cc->diag), 0,
			"%s input refused", k == 0 ? "UTF-16" : "wrapped");
		cr_assert_not_null(dc_find(cc, "terraform.changed", "terraform_data.secret"));
		cr_assert(platci_diag_count(cc->diag) >= 1, "a warning says what was skipped");
		platci_drift_free(cc->drift);
		platci_diag_free(cc->diag);
		th_rmrf(dir);
		free(dir);
		free(path);
	}
	free(u16);
	free(wrapped);
}

Test(drift_terraform, bom_and_hcp_redacted_shape_are_accepted)
{
	drift_case c;
	dc_run(&c,
		"\xEF\xBB\xBF{\"plan_format_version\":\"1.1\",\"resource_drift\":[{\"address\":\"x.y\","
		"\"change\":{\"actions\":[\"update\"],\"before\":{\"a\":1},\"after\":{\"a\":2}}}]}",
		NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_not_null(dc_find(&c, "terraform.changed", "x.y"));
	dc_dispose(&c);
}

Test(drift_terraform, missing_file_is_enotfound)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	platci_drift *d = NULL;
	opts.env = "dev-uaenorth";
	opts.terraform_plan = "/nonexistent/plan.json";
	cr_assert_eq(platci_drift_run(&d, &opts, NULL, NULL), PLATCI_ENOTFOUND);
	cr_assert_null(d);
	opts.env = NULL;
	cr_assert_eq(platci_drift_run(&d, &opts, NULL, NULL), PLATCI_EINVALID);
	opts.env = "x";
	opts.version = 7;
	cr_assert_eq(platci_drift_run(&d, &opts, NULL, NULL), PLATCI_EINVALID);
}

Test(drift_terraform, every_drift_fixture_gives_its_category)
{
	static const struct {
		const char *file;
		const char *category;
		const char *address;
	} cases[] = {
		{ "terraform__equivalence-drift_refresh_only.json", "terraform.changed",
			"tfcoremock_simple_resource.drift" },
		{ "terraform__equivalence-drift_simple.json", "terraform.changed",
			"tfcoremock_simple_resource.drift" },
		{ "terraform__equivalence-drift_relevant_attributes.json", "terraform.changed",
			"tfcoremock_simple_resource.base" },
		{ "terraform__equivalence-moved_with_drift.json", "terraform.changed",
			"tfcoremock_simple_resource.base_after" },
		{ "terraform__equivalence-moved_with_refresh_only.json", "terraform.moved",
			"tfcoremock_simple_resource.second" },
		{ "terraform__show-json-drift.json", "terraform.changed", "test_instance.should_refresh" },
		{ "terraform__show-json-moved-drift.json", "terraform.changed",
			"test_instance.should_refresh_with_move" },
		{ "terraform__cloud-plan-json-full-redacted.json", "terraform.deleted",
			"tfcoremock_simple_resource.example" },
	};
	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at " PLATCI_TEST_FIXTURES);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
		platci_drift *d = NULL;
		char path[1024];
		int found = 0;
		snprintf(path, sizeof(path), "%s/tfplan/%s", PLATCI_TEST_FIXTURES, cases[i].file);
		opts.env = "dev-uaenorth";
		opts.terraform_plan = path;
		cr_assert_eq(platci_drift_run(&d, &opts, NULL, NULL), 0, "%s", path);
		for (size_t k = 0; k < platci_drift_item_count(d); k++) {
			const platci_drift_item *it = platci_drift_item_at(d, k);
			if (strcmp(it->category, cases[i].category) == 0 &&
				strcmp(it->identity, cases[i].address) == 0)
				found = 1;
		}
		cr_assert(found, "%s: no %s for %s", cases[i].file, cases[i].category, cases[i].address);
		platci_drift_free(d);
	}
}
