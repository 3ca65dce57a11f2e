#include "test_helpers.h"

static json_t *J(const char *s)
{
	json_error_t e;
	json_t *v = json_loads(s, JSON_DECODE_ANY, &e);
	cr_assert_not_null(v, "bad test JSON: %s", e.text);
	return v;
}

Test(redact, masks_at_any_depth)
{
	json_t *v = J("{\"a\": \"open\", \"b\": {\"pw\": \"hunter2\", \"list\": [\"x\", \"s3cr3t\"]}}");
	json_t *m = J("{\"b\": {\"pw\": true, \"list\": [false, true]}}");
	json_t *r = NULL;
	char *text;

	cr_assert_eq(platci_redact(&r, v, m), 0);
	text = json_dumps(r, JSON_COMPACT);
	cr_assert(strstr(text, "hunter2") == NULL && strstr(text, "s3cr3t") == NULL, "%s", text);
	cr_assert(strstr(text, "open") != NULL);
	free(text);
	json_decref(r);
	cr_assert_eq(platci_redact(&r, v, json_true()), 0);
	cr_assert_str_eq(json_string_value(r), PLATCI_REDACTED);
	json_decref(r);
	json_decref(v);
	json_decref(m);
}

typedef struct changes {
	int n;
	char all[2048];
} changes;

static int collect(const platci_value_change *c, void *payload)
{
	changes *ch = payload;
	size_t len = strlen(ch->all);
	snprintf(ch->all + len, sizeof(ch->all) - len, "%s: %s -> %s\n", c->path,
		c->before ? c->before : "null", c->after ? c->after : "null");
	ch->n++;
	return 0;
}

Test(redact, diff_masks_sensitive_and_marks_unknown)
{
	json_t *b = J("{\"name\": \"a\", \"password\": \"old-secret\", \"tags\": {\"env\": \"dev\"}, \"id\": \"1\"}");
	json_t *a = J("{\"name\": \"b\", \"password\": \"new-secret\", \"tags\": {\"env\": \"prd\", \"team\": \"x\"}}");
	json_t *bs = J("{\"password\": true}");
	json_t *as = J("{\"password\": true}");
	json_t *unk = J("{\"id\": true}");
	changes ch = { 0, "" };

	cr_assert_eq(platci_value_diff(b, a, bs, as, unk, collect, &ch), 0);
	cr_assert(strstr(ch.all, "secret") == NULL, "%s", ch.all);
	cr_assert(strstr(ch.all, "password: " PLATCI_REDACTED) != NULL, "%s", ch.all);
	cr_assert(strstr(ch.all, "tags[\"env\"]: \"dev\" -> \"prd\"") != NULL, "%s", ch.all);
	cr_assert(strstr(ch.all, "tags[\"team\"]: null -> \"x\"") != NULL, "%s", ch.all);
	cr_assert(strstr(ch.all, "id: \"1\" -> " PLATCI_UNKNOWN) != NULL, "%s", ch.all);
	cr_assert_eq(ch.n, 5, "%s", ch.all);
	json_decref(b);
	json_decref(a);
	json_decref(bs);
	json_decref(as);
	json_decref(unk);
}

Test(redact, new_subtree_with_nested_secret_is_masked)
{
	json_t *a = J("{\"conn\": {\"user\": \"u\", \"key\": \"AKIA-SECRET\"}}");
	json_t *as = J("{\"conn\": {\"key\": true}}");
	changes ch = { 0, "" };

	cr_assert_eq(platci_value_diff(NULL, a, NULL, as, NULL, collect, &ch), 0);
	cr_assert(strstr(ch.all, "AKIA") == NULL, "%s", ch.all);
	json_decref(a);
	json_decref(as);
}

Test(redact, unchanged_sensitive_values_are_not_reported)
{
	json_t *b = J("{\"p\": \"same\"}");
	json_t *m = J("{\"p\": true}");
	changes ch = { 0, "" };
	cr_assert_eq(platci_value_diff(b, b, m, m, NULL, collect, &ch), 0);
	cr_assert_eq(ch.n, 0);
	json_decref(b);
	json_decref(m);
}
