/* Secrets planted in a plan never reach anything the module renders. */
#include "test_helpers.h"

static const char plan[] =
	"{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.4\","
	"\"variables\":{\"db_password\":{\"value\":\"S3cr3t-variable-value\"},"
	"\"env\":{\"value\":\"dev\"},\"unknown_var\":{\"value\":\"S3cr3t-unknown-sensitivity\"}},"
	"\"resource_changes\":["
	" {\"address\":\"azurerm_key_vault_secret.db\",\"type\":\"azurerm_key_vault_secret\","
	"  \"change\":{\"actions\":[\"update\"],"
	"   \"before\":{\"name\":\"db\",\"value\":\"S3cr3t-old-attr\",\"nested\":{\"list\":[\"open\",\"S3cr3t-in-list\"]}},"
	"   \"after\":{\"name\":\"db\",\"value\":\"S3cr3t-new-attr\",\"nested\":{\"list\":[\"open\",\"S3cr3t-in-list-2\"]},"
	"             \"copy\":\"S3cr3t-old-attr\"},"
	"   \"after_unknown\":{},"
	"   \"before_sensitive\":{\"value\":true,\"nested\":{\"list\":[false,true]}},"
	"   \"after_sensitive\":{\"value\":true,\"nested\":{\"list\":[false,true]}}}},"
	" {\"address\":\"azurerm_storage_account.st\",\"type\":\"azurerm_storage_account\","
	"  \"change\":{\"actions\":[\"delete\"],\"before\":{\"key\":\"S3cr3t-whole-object\"},"
	"   \"after\":null,\"before_sensitive\":true,\"after_sensitive\":false}}],"
	"\"output_changes\":{"
	" \"conn\":{\"actions\":[\"update\"],\"before\":\"S3cr3t-output-before\",\"after\":\"S3cr3t-output-after\","
	"   \"after_unknown\":false,\"before_sensitive\":true,\"after_sensitive\":true},"
	" \"conf_only\":{\"actions\":[\"create\"],\"before\":null,\"after\":\"S3cr3t-config-sensitive-output\","
	"   \"after_unknown\":false,\"before_sensitive\":false,\"after_sensitive\":false}},"
	"\"configuration\":{\"root_module\":{"
	" \"variables\":{\"db_password\":{\"sensitive\":true},\"env\":{}},"
	" \"outputs\":{\"conn\":{\"sensitive\":true},\"conf_only\":{\"sensitive\":true}}}}}";

Test(tfplan_secrets, nothing_rendered_holds_a_planted_secret)
{
	platci_tfplan *p = NULL;
	platci_findings *f = NULL;
	platci_buf md = PLATCI_BUF_INIT, widget = PLATCI_BUF_INIT, fj = PLATCI_BUF_INIT;
	platci_report_options ro = PLATCI_REPORT_OPTIONS_INIT;
	json_t *j = NULL;
	char *js;

	cr_assert_eq(platci_tfplan_read_buffer(&p, plan, sizeof(plan) - 1, NULL, NULL), 0);
	cr_assert_eq(platci_tfplan_render_md(&md, p, 0), 0);
	cr_assert_eq(platci_tfplan_render_widget(&widget, p), 0);
	cr_assert_eq(platci_tfplan_to_json(&j, p), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_tfplan_findings(f, p, "dev", "plan.json"), 0);
	cr_assert_eq(platci_report_findings_json(&fj, f, &ro), 0);
	js = json_dumps(j, 0);
	cr_assert(strstr(md.ptr, "S3cr3t") == NULL, "summary leaks:\n%s", md.ptr);
	cr_assert(strstr(js, "S3cr3t") == NULL, "json leaks: %s", js);
	cr_assert(strstr(fj.ptr, "S3cr3t") == NULL, "findings leak: %s", fj.ptr);
	/* what is not secret is still shown */
	cr_assert(strstr(md.ptr, "open") != NULL || strstr(md.ptr, "db") != NULL);
	cr_assert(strstr(md.ptr, "\"dev\"") != NULL, "%s", md.ptr);
	cr_assert(strstr(md.ptr, PLATCI_REDACTED) != NULL);
	free(js);
	json_decref(j);
	platci_findings_free(f);
	platci_buf_dispose(&md);
	platci_buf_dispose(&widget);
	platci_buf_dispose(&fj);
	platci_tfplan_free(p);
}

Test(tfplan_secrets, an_unmarked_copy_of_a_marked_value_is_scrubbed)
{
	platci_tfplan *p = NULL;
	platci_buf md = PLATCI_BUF_INIT;

	cr_assert_eq(platci_tfplan_read_buffer(&p, plan, sizeof(plan) - 1, NULL, NULL), 0);
	cr_assert_eq(platci_tfplan_render_md(&md, p, 0), 0);
	cr_assert(strstr(md.ptr, "copy") != NULL, "%s", md.ptr);
	cr_assert(strstr(md.ptr, "S3cr3t-old-attr") == NULL, "%s", md.ptr);
	platci_buf_dispose(&md);
	platci_tfplan_free(p);
}
