#include "test_helpers.h"

/* platci_diag_error: one error entry at the place given, the code returned for `return`. */
Test(diag, error_adds_an_entry_and_returns_the_code)
{
	platci_diag *d = NULL;
	const platci_diag_entry *e;
	char line[256];

	cr_assert_eq(platci_diag_new(&d), 0);
	cr_assert_eq(platci_diag_error(d, PLATCI_EDATA, "f.yaml", 3, 7, 42, "bad %s:\n%d", "key", 5),
		PLATCI_EDATA);
	cr_assert_eq(platci_diag_error_count(d), 1);
	e = platci_diag_at(d, 0);
	cr_assert_eq(e->level, PLATCI_DIAG_ERROR);
	cr_assert_eq(e->code, PLATCI_EDATA);
	cr_assert_eq(e->line, 3);
	cr_assert_eq(e->column, 7);
	cr_assert_eq(e->offset, 42);
	platci_diag_format(line, sizeof(line), e);
	cr_assert_str_eq(line, "f.yaml:3:7: error: bad key: 5", "one line");
	cr_assert_eq(platci_diag_error(NULL, PLATCI_EIO, NULL, 0, 0, 0, "x"), PLATCI_EIO,
		"a NULL list still gives the code back");
	cr_assert_eq(platci_diag_error(d, PLATCI_EIO, NULL, 0, 0, 0, "no place"), PLATCI_EIO);
	platci_diag_format(line, sizeof(line), platci_diag_at(d, 1));
	cr_assert_str_eq(line, "error: no place");
	platci_diag_free(d);
}
