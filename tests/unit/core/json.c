#include "test_helpers.h"

Test(json, parse_errors_have_positions)
{
	json_t *v = NULL;
	platci_diag *diag = NULL;
	platci_diag_new(&diag);
	cr_assert_eq(platci_json_parse(&v, "x.json", "{\n \"a\": 1,\n}", 12, diag), PLATCI_ESYNTAX);
	cr_assert_eq(platci_diag_get(diag, 0)->line, 3);
	cr_assert_str_eq(platci_diag_get(diag, 0)->source, "x.json");
	platci_diag_free(diag);
}

Test(json, bom_and_duplicates)
{
	json_t *v = NULL;
	cr_assert_eq(platci_json_parse(&v, "x", "\xEF\xBB\xBF{\"a\":1}", 10, NULL), 0);
	json_decref(v);
	cr_assert_eq(platci_json_parse(&v, "x", "{\"a\":1,\"a\":2}", 13, NULL), PLATCI_ESYNTAX);
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
