/*
 * The drift issue (platci_drift_issue_build) and the drift-set hash: what
 * the GitLab issue says is a function of the drift set alone.
 */
#include "helpers.h"

#define CHANGED \
	"{\"address\":\"azurerm_storage_account.logs\",\"change\":{\"actions\":[\"update\"]," \
	"\"before\":{\"tags\":{},\"secret\":\"S3cr3t-old\"},\"after\":{\"tags\":{\"k\":\"v\"},\"secret\":\"S3cr3t-new\"}," \
	"\"before_sensitive\":{\"secret\":true},\"after_sensitive\":{\"secret\":true}}}"
#define DELETED \
	"{\"address\":\"azurerm_dns_zone.old\",\"change\":{\"actions\":[\"delete\"],\"before\":{\"x\":1},\"after\":null}}"
#define NOOP \
	"{\"address\":\"azurerm_vnet.ok\",\"change\":{\"actions\":[\"no-op\"],\"before\":{\"x\":1},\"after\":{\"x\":1}}}"
#define PLAN(items) "{\"format_version\":\"1.2\",\"resource_drift\":[" items "]}"

/* The body, worked out by hand from docs/drift.md: marker with the set hash, one table per category. */
static const char want_body[] =
	"<!-- platci:drift:prd-uaenorth set=%s -->\n"
	"The scheduled drift check found differences between what the repository declares and what "
	"runs in `prd-uaenorth`. This issue is updated when the set of drifted objects changes and "
	"closed when drift is gone. Values and details are in the job's `drift.json` and `summary.md`.\n"
	"\n### Changed outside Terraform\n\n"
	"| Resource | Changed attributes |\n|---|---|\n"
	"| `azurerm_storage_account.logs` | `secret`, `tags[\"k\"]` |\n"
	"\n### Deleted outside Terraform\n\n"
	"| Resource | Action |\n|---|---|\n"
	"| `azurerm_dns_zone.old` | delete |\n";

Test(drift_issue, body_title_and_comment_from_the_drift_set)
{
	platci_drift_issue issue = PLATCI_DRIFT_ISSUE_INIT;
	platci_buf want = PLATCI_BUF_INIT;
	drift_case c;

	dc_run(&c, PLAN(CHANGED "," DELETED "," NOOP), NULL, NULL, 0, NULL);
	cr_assert_eq(c.rc, 0);
	cr_assert_eq(platci_drift_issue_build(&issue, c.drift, "https://gitlab.example.com/p/-/pipelines/7"),
		0);
	cr_assert_str_eq(issue.title.ptr, "Drift: prd-uaenorth");
	cr_assert_str_eq(issue.label, "platci-drift");
	cr_assert_eq(strlen(issue.set_hash), 64);
	platci_buf_printf(&want, want_body, issue.set_hash);
	cr_assert_str_eq(issue.body.ptr, want.ptr);
	/* No values, no secrets, no pipeline in the body: only the set. */
	cr_assert(strstr(issue.body.ptr, "S3cr3t") == NULL);
	cr_assert(strstr(issue.body.ptr, "pipelines") == NULL);
	cr_assert(strstr(issue.close_comment.ptr, "No drift in `prd-uaenorth`") != NULL);
	cr_assert(strstr(issue.close_comment.ptr, "Pipeline: https://gitlab.example.com/p/-/pipelines/7"));
	platci_buf_dispose(&want);
	platci_drift_issue_dispose(&issue);
	dc_dispose(&c);
}

Test(drift_issue, no_drift_no_body)
{
	platci_drift_issue issue = PLATCI_DRIFT_ISSUE_INIT;
	drift_case c;

	dc_run(&c, PLAN(NOOP), NULL, NULL, 0, NULL);
	cr_assert_eq(platci_drift_issue_build(&issue, c.drift, NULL), 0);
	cr_assert_eq(issue.body.size, 0);
	cr_assert_str_eq(issue.set_hash, "");
	cr_assert(strstr(issue.close_comment.ptr, "Pipeline") == NULL);
	platci_drift_issue_dispose(&issue);
	platci_drift_issue_dispose(NULL);
	dc_dispose(&c);
}

Test(drift_issue, the_hash_follows_the_set_and_nothing_else)
{
	char a[PLATCI_SHA256_HEX_SIZE], b[PLATCI_SHA256_HEX_SIZE], d[PLATCI_SHA256_HEX_SIZE];
	char e[PLATCI_SHA256_HEX_SIZE], set[4096];
	drift_case c1, c2, c3, c4;

	dc_run(&c1, PLAN(CHANGED "," DELETED), NULL, NULL, 0, NULL);
	/* other order, a no-op more, other values: the same set */
	dc_run(&c2, PLAN(DELETED "," NOOP "," CHANGED), NULL, NULL, 0, NULL);
	dc_run(&c3, PLAN(DELETED), NULL, NULL, 0, NULL);
	cr_assert_eq(platci_drift_set_hash(a, c1.drift), 0);
	cr_assert_eq(platci_drift_set_hash(b, c2.drift), 0);
	cr_assert_eq(platci_drift_set_hash(d, c3.drift), 0);
	cr_assert_str_eq(a, b);
	cr_assert_str_neq(a, d);
	/* The set is one line per drift item: category, identity, reason, paths, tab-separated. */
	snprintf(set, sizeof(set),
		"terraform.changed\tazurerm_storage_account.logs\t\tsecret\ttags[\"k\"]\n"
		"terraform.deleted\tazurerm_dns_zone.old\t\n");
	cr_assert_eq(platci_sha256_hex(e, set, strlen(set)), 0);
	cr_assert_str_eq(a, e);
	/* An ignored attribute leaves the set. */
	dc_run(&c4, PLAN(CHANGED "," DELETED), NULL,
		"version: 1\nignore:\n  - id: tags\n"
		"    address: azurerm_storage_account.logs\n    attribute: 'tags[\"k\"]'\n"
		"    reason: Azure Policy\n    owner: platform\n    expires: 2099-01-01\n",
		0, NULL);
	cr_assert_eq(c4.rc, 0, "%s", platci_diag_count(c4.diag) ? platci_diag_at(c4.diag, 0)->message : "");
	cr_assert_eq(platci_drift_set_hash(d, c4.drift), 0);
	cr_assert_str_neq(a, d);
	dc_dispose(&c1);
	dc_dispose(&c2);
	dc_dispose(&c3);
	dc_dispose(&c4);
}
