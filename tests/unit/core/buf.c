#include "test_helpers.h"

Test(buf, starts_empty_and_never_null)
{
	platci_buf b = PLATCI_BUF_INIT;
	cr_assert_not_null(b.ptr);
	cr_assert_str_eq(b.ptr, "");
	platci_buf_dispose(&b);
	cr_assert_str_eq(b.ptr, "");
}

Test(buf, appends_and_formats)
{
	platci_buf b = PLATCI_BUF_INIT;
	cr_assert_eq(platci_buf_puts(&b, "hello"), 0);
	cr_assert_eq(platci_buf_printf(&b, " %d %s", 42, "x"), 0);
	cr_assert_str_eq(b.ptr, "hello 42 x");
	cr_assert_eq(b.size, 10);
	platci_buf_truncate(&b, 5);
	cr_assert_str_eq(b.ptr, "hello");
	platci_buf_dispose(&b);
}

Test(buf, cap_is_sticky)
{
	platci_buf b;
	platci_buf_init(&b, 8);
	cr_assert_eq(platci_buf_puts(&b, "12345678"), 0);
	cr_assert_eq(platci_buf_putc(&b, '9'), PLATCI_ELIMIT);
	cr_assert_eq(platci_buf_puts(&b, "a"), PLATCI_ELIMIT);
	cr_assert_str_eq(b.ptr, "12345678");
	cr_assert_null(platci_buf_detach(&b));
	platci_buf_clear(&b);
	cr_assert_eq(platci_buf_puts(&b, "ok"), 0);
	platci_buf_dispose(&b);
}

Test(buf, detach_transfers_ownership)
{
	platci_buf b = PLATCI_BUF_INIT;
	char *s;
	platci_buf_puts(&b, "take me");
	s = platci_buf_detach(&b);
	cr_assert_str_eq(s, "take me");
	cr_assert_str_eq(b.ptr, "");
	platci_free(s);
	s = platci_buf_detach(&b);
	cr_assert_str_eq(s, "");
	platci_free(s);
}

Test(errors, table_gives_names_and_messages)
{
	cr_assert_str_eq(platci_err_name(PLATCI_ENOTFOUND), "ENOTFOUND");
	cr_assert_str_eq(platci_strerror(PLATCI_ENOMEM), "out of memory");
	cr_assert_str_eq(platci_err_name(-999), "EUNKNOWN");
	cr_assert_str_eq(platci_version(), PLATCI_VERSION);
}
