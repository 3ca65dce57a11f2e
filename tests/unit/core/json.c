#include "test_helpers.h"

Test(json, parse_errors_have_positions)
{
	json_t *v = NULL;
	platci_diag *diag = NULL;
	platci_diag_new(&diag);
	cr_assert_eq(platci_json_parse(&v, "x.json", "{\n \"a\": 1,\n}", 12, diag), PLATCI_ESYNTAX);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 3);
	cr_assert_str_eq(platci_diag_at(diag, 0)->source, "x.json");
	platci_diag_free(diag);
}

Test(json, bom_and_duplicates)
{
	json_t *v = NULL;
	cr_assert_eq(platci_json_parse(&v, "x", "\xEF\xBB\xBF{\"a\":1}", 10, NULL), 0);
	json_decref(v);
	cr_assert_eq(platci_json_parse(&v, "x", "{\"a\":1,\"a\":2}", 13, NULL), PLATCI_ESYNTAX);
}

/* Issue 20.5: refused at the second key's opening quote, in the streaming reader's words. */
Test(json, duplicate_key_at_the_second_key)
{
	static const struct {
		const char *json;
		size_t line, column;
		const char *key;
	} cases[] = {
		{ "{\n\"a\": 1,\n  \"a\": {\"x\": [1]}}", 3, 3, "\"a\"" },
		{ "{\"k\\\"q\": 1, \"k\\\"q\": 2}", 1, 13, "\"k\\\"q\"" },
		{ "{\"\xc3\xa9t\xc3\xa9\": 1,\n\"\xc3\xa9t\xc3\xa9\": 2}", 2, 1, "\"\xc3\xa9t\xc3\xa9\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		platci_diag *diag = NULL;
		const platci_diag_entry *e;
		json_t *v = NULL;
		cr_assert_eq(platci_diag_new(&diag), 0);
		cr_assert_eq(platci_json_parse(&v, "f.json", cases[i].json, strlen(cases[i].json), diag),
			PLATCI_ESYNTAX, "%s", cases[i].json);
		e = platci_diag_at(diag, 0);
		cr_assert_eq(e->code, PLATCI_EDUPLICATE);
		cr_expect_eq(e->line, cases[i].line, "%s: line %zu", cases[i].json, e->line);
		cr_expect_eq(e->column, cases[i].column, "%s: column %zu", cases[i].json, e->column);
		cr_expect(strstr(e->message, "duplicate key ") && strstr(e->message, cases[i].key),
			"%s", e->message);
		platci_diag_free(diag);
	}
}

Test(json, write_file_is_sorted_and_atomic)
{
	char *dir = th_tmpdir();
	char path[512];
	json_t *v = json_pack("{s:i, s:i}", "b", 2, "a", 1);
	char *got;
	snprintf(path, sizeof(path), "%s/o.json", dir);
	cr_assert_eq(platci_json_write_file(path, v, NULL), 0);
	got = th_read(path, NULL);
	cr_assert_str_eq(got, "{\n  \"a\": 1,\n  \"b\": 2\n}\n");
	free(got);
	json_decref(v);
	th_rmrf(dir);
	free(dir);
}
