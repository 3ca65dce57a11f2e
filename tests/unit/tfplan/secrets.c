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

typedef struct diff_seen {
	int sensitive_output, count;
	char all[1024];
} diff_seen;

static int on_diff_leaf(const platci_value_change *ch, void *payload)
{
	diff_seen *s = payload;
	size_t n = strlen(s->all);
	s->count++;
	if (strcmp(ch->path, "output") == 0 && ch->sensitive)
		s->sensitive_output = 1;
	snprintf(s->all + n, sizeof(s->all) - n, "%s: %s -> %s\n", ch->path,
		ch->before ? ch->before : "-", ch->after ? ch->after : "-");
	return 0;
}

static int on_diff_change(const platci_tfplan_change *c, void *payload)
{
	return platci_tfplan_change_diff(c, on_diff_leaf, payload);
}

/*
 * terraform_data writes `output` as an unmarked copy of a sensitive `input`:
 * the diff itself masks it, for every caller (drift renders its own diff).
 */
Test(tfplan_secrets, the_diff_masks_an_unmarked_copy_in_the_same_change)
{
	static const char tf_data[] =
		"{\"format_version\":\"1.2\",\"resource_drift\":[{\"address\":\"terraform_data.s\","
		"\"type\":\"terraform_data\",\"change\":{\"actions\":[\"update\"],"
		"\"before\":{\"input\":\"S3cr3t-a\",\"output\":\"S3cr3t-a\",\"id\":\"x\"},"
		"\"after\":{\"input\":\"S3cr3t-b\",\"output\":\"S3cr3t-b\",\"id\":\"x\"},"
		"\"before_sensitive\":{\"input\":true},\"after_sensitive\":{\"input\":true}}}]}";
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *p = NULL;
	diff_seen seen;

	memset(&seen, 0, sizeof(seen));
	o.on_drift = on_diff_change;
	o.payload = &seen;
	cr_assert_eq(platci_tfplan_read_buffer(&p, tf_data, sizeof(tf_data) - 1, &o, NULL), 0);
	cr_assert_eq(seen.count, 2, "%s", seen.all);
	cr_assert(seen.sensitive_output, "%s", seen.all);
	cr_assert(strstr(seen.all, "S3cr3t") == NULL, "%s", seen.all);
	platci_tfplan_free(p);
}
