#include "helpers.h"

static const char plan[] =
	"{\"format_version\":\"1.2\",\"resource_drift\":[\n"
	" {\"address\":\"azurerm_resource_group.rg\",\"change\":{\"actions\":[\"update\"],\n"
	"   \"before\":{\"tags\":{\"env\":\"prd\"}},\"after\":{\"tags\":{\"env\":\"prd\",\"CostCenter\":\"cc-1\"}}}},\n"
	" {\"address\":\"azurerm_storage_account.logs\",\"change\":{\"actions\":[\"update\"],\n"
	"   \"before\":{\"tls\":\"TLS1_2\",\"tags\":{}},\"after\":{\"tls\":\"TLS1_0\",\"tags\":{\"CostCenter\":\"cc-1\"}}}},\n"
	" {\"address\":\"module.legacy.azurerm_dns_zone.z\",\"change\":{\"actions\":[\"delete\"],\"before\":{},\"after\":null}}\n"
	"]}\n";

static const char policy[] =
	"version: 1\n"
	"ignore:\n"
	"  - id: azure-policy-costcenter\n"
	"    address: \"*\"\n"
	"    attribute: 'tags[\"CostCenter\"]'\n"
	"    reason: Azure Policy appends it\n"
	"    owner: team-platform\n"
	"    expires: 2026-12-31\n"
	"  - id: legacy-module\n"
	"    address: module.legacy.*\n"
	"    reason: being decommissioned\n"
	"    ticket: PLAT-1\n"
	"    expires: 2026-06-30\n"
	"    envs: [prd-*]\n";

/* 2026-12-31T12:00:00Z and 2027-01-01T00:00:00Z */
#define MID_DEC31 ((time_t)1798718400)
#define JAN1_2027 ((time_t)1798761600)

Test(drift_policy, attribute_and_address_rules_silence_what_they_name)
{
	drift_case c;
	const platci_drift_item *rg, *st, *zone;
	platci_drift_counts n;

	dc_run(&c, plan, NULL, policy, (time_t)1780000000 /* 2026-05-28 */, NULL);
	cr_assert_eq(c.rc, 0);
	rg = dc_find(&c, "terraform.changed", "azurerm_resource_group.rg");
	cr_assert_not_null(rg);
	cr_assert_str_eq(rg->ignored_by, "azure-policy-costcenter");
	cr_assert_not(rg->is_drift);
	st = dc_find(&c, "terraform.changed", "azurerm_storage_account.logs");
	cr_assert_null(st->ignored_by);
	cr_assert(st->is_drift);
	cr_assert_eq(st->nattrs, 2);
	for (size_t i = 0; i < st->nattrs; i++)
		if (strcmp(st->attrs[i].path, "tags[\"CostCenter\"]") == 0)
			cr_assert_str_eq(st->attrs[i].ignored_by, "azure-policy-costcenter");
		else
			cr_assert_null(st->attrs[i].ignored_by);
	zone = dc_find(&c, "terraform.deleted", "module.legacy.azurerm_dns_zone.z");
	cr_assert_str_eq(zone->ignored_by, "legacy-module");
	cr_assert_eq(platci_drift_totals(&n, c.drift), 0);
	cr_assert_eq(n.terraform_drift, 1);
	cr_assert_eq(n.ignored, 3);
	cr_assert_eq(n.expired_rules, 0);
	/* Ignored items become waived findings, so reports show who silenced them. */
	{
		platci_findings_counts fc;
		platci_findings_count_by(c.findings, &fc);
		cr_assert_eq(fc.waived, 2);
	}
	dc_dispose(&c);
}

Test(drift_policy, envs_limit_a_rule)
{
	platci_drift_options opts = PLATCI_DRIFT_OPTIONS_INIT;
	drift_case c;
	opts.env = "dev-uaenorth";
	dc_run(&c, plan, NULL, policy, (time_t)1780000000, &opts);
	cr_assert_eq(c.rc, 0);
	cr_assert_null(dc_find(&c, "terraform.deleted", "module.legacy.azurerm_dns_zone.z")->ignored_by);
	dc_dispose(&c);
}

Test(drift_policy, a_rule_holds_through_its_expiry_day_then_stops_and_is_reported)
{
	drift_case c;
	const platci_drift_item *rg;
	const platci_finding *f = NULL;

	dc_run(&c, plan, NULL, policy, MID_DEC31, NULL);
	rg = dc_find(&c, "terraform.changed", "azurerm_resource_group.rg");
	cr_assert_str_eq(rg->ignored_by, "azure-policy-costcenter");
	dc_dispose(&c);

	dc_run(&c, plan, NULL, policy, JAN1_2027, NULL);
	cr_assert_eq(c.rc, 0);
	rg = dc_find(&c, "terraform.changed", "azurerm_resource_group.rg");
	cr_assert_null(rg->ignored_by);
	cr_assert(rg->is_drift);
	for (size_t i = 0; i < platci_findings_count(c.findings); i++)
		if (strcmp(platci_findings_at(c.findings, i)->rule_id, "drift.ignore-expired") == 0 &&
			strcmp(platci_findings_at(c.findings, i)->key, "azure-policy-costcenter") == 0)
			f = platci_findings_at(c.findings, i);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->file, "policies/drift.yaml");
	cr_assert_eq(f->line, 3);
	{
		platci_drift_counts n;
		cr_assert_eq(platci_drift_totals(&n, c.drift), 0);
		cr_assert_eq(n.expired_rules, 2);
	}
	dc_dispose(&c);
}

static void expect_bad_policy(const char *yaml, int code, const char *needle, size_t line)
{
	platci_drift_policy *p = NULL;
	platci_diag *diag = NULL;
	char msg[512] = "";
	int found = 0;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_drift_policy_load_buffer(&p, "drift.yaml", yaml, strlen(yaml), NULL, diag),
		code, "%s", yaml);
	cr_assert_null(p);
	for (size_t i = 0; i < platci_diag_count(diag); i++) {
		platci_diag_format(msg, sizeof(msg), platci_diag_at(diag, i));
		if (strstr(msg, needle)) {
			found = 1;
			if (line)
				cr_assert_eq(platci_diag_at(diag, i)->line, line, "%s", msg);
			cr_assert(strstr(msg, "drift.yaml:") == msg, "%s", msg);
			break;
		}
	}
	cr_assert(found, "no diagnostic with \"%s\" for:\n%s", needle, yaml);
	platci_diag_free(diag);
}

Test(drift_policy, bad_policies_are_refused_with_positions)
{
	expect_bad_policy("version: 1\nignore:\n  - id: a\n    address: x\n    reason: r\n    ticket: T\n",
		PLATCI_EDATA, "needs \"expires\"", 3);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    ticket: T\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "needs \"reason\"", 2);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    reason: r\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "needs \"owner\" or \"ticket\"", 2);
	expect_bad_policy(
		"ignore:\n  - id: a\n    address: x\n    reason: r\n    ticket: T\n"
		"    expires: 2026-02-29\n",
		PLATCI_EDATA, "2026-02-29 is not a date (2026-02 has 28 days)", 6);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    reason: r\n    ticket: T\n    expires: soon\n",
		PLATCI_EDATA, "must be a date", 6);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    reason: r\n    ticket: T\n    expires: 2026-13-01\n",
		PLATCI_EDATA, "is not a date (there is no month 13)", 6);
	expect_bad_policy("ignore:\n  - id: a\n    reason: r\n    ticket: T\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "exactly one of", 2);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    object: y\n    reason: r\n    ticket: T\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "exactly one of", 2);
	expect_bad_policy("ignore:\n  - id: a\n    object: K/n/x\n    attribute: tags\n    reason: r\n    ticket: T\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "only applies with", 4);
	expect_bad_policy("ignore:\n  - id: a\n    address: x\n    reson: r\n    expires: 2026-01-01\n",
		PLATCI_EDATA, "unknown key \"reson\"", 4);
	expect_bad_policy(
		"ignore:\n  - {id: a, address: x, reason: r, ticket: T, expires: 2026-01-01}\n"
		"  - {id: a, address: y, reason: r, ticket: T, expires: 2026-01-01}\n",
		PLATCI_EDATA, "duplicate ignore rule id", 3);
	expect_bad_policy("version: 2\n", PLATCI_EVERSION, "unsupported version \"2\"", 1);
	expect_bad_policy("ignore: {a: 1}\n", PLATCI_EDATA, "must be a list", 1);
	expect_bad_policy("- 1\n", PLATCI_EDATA, "must be a mapping", 1);
	expect_bad_policy("ignore:\n  - id: a\n    address: [x\n", PLATCI_ESYNTAX, "drift.yaml", 0);
}

Test(drift_policy, the_repository_policy_loads)
{
	platci_drift_policy *p = NULL;
	platci_diag *diag = NULL;
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_drift_policy_load(&p, PLATCI_SOURCE_DIR "/policies/drift.yaml", NULL, diag), 0);
	cr_assert_gt(platci_drift_policy_count(p), 0);
	platci_drift_policy_free(p);
	cr_assert_eq(platci_drift_policy_load(&p, PLATCI_SOURCE_DIR "/policies/none.yaml", NULL, diag),
		PLATCI_ENOTFOUND);
	platci_diag_free(diag);
}

Test(drift_policy, totals_of_no_result_are_zero)
{
	platci_drift_counts n;

	memset(&n, 0xff, sizeof(n));
	cr_assert_eq(platci_drift_totals(&n, NULL), 0);
	cr_assert_eq(n.terraform_drift + n.flux_drift + n.ignored + n.notices, 0);
	cr_assert_eq(platci_drift_totals(NULL, NULL), PLATCI_EINVALID);
}
