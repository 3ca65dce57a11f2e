#include "test_helpers.h"

Test(clock, days_from_civil_known_dates)
{
	cr_assert_eq(platci_days_from_civil(1970, 1, 1), 0);
	cr_assert_eq(platci_days_from_civil(2000, 3, 1), 11017);
	cr_assert_eq(platci_days_from_civil(2026, 11, 26), 20783);
	cr_assert_eq(platci_days_from_civil(1969, 12, 31), -1);
}

Test(clock, parses_rfc3339_forms_and_offsets)
{
	time_t t;
	cr_assert_eq(platci_time_parse_rfc3339(&t, "2026-11-26T10:00:00Z"), 0);
	cr_assert_eq(t, (time_t)20783 * 86400 + 36000);
	cr_assert_eq(platci_time_parse_rfc3339(&t, "2026-11-26T14:00:00+04:00"), 0);
	cr_assert_eq(t, (time_t)20783 * 86400 + 36000, "Dubai 14:00 is 10:00 UTC");
	cr_assert_eq(platci_time_parse_rfc3339(&t, "2026-11-26T10:00:00.123456Z"), 0);
	cr_assert_eq(platci_time_parse_rfc3339(&t, "2026-11-26T05:30:00-0430"), 0);
	cr_assert_eq(platci_time_parse_rfc3339(&t, "2026-11-26"), PLATCI_EINVALID, "no zone");
	cr_assert_eq(t, (time_t)20783 * 86400 + 36000);
}

Test(clock, local_times_and_dates)
{
	time_t t;
	cr_assert_eq(platci_time_parse(&t, "2026-11-26 14:00", 240, 0), 0);
	cr_assert_eq(t, (time_t)20783 * 86400 + 36000);
	cr_assert_eq(platci_time_parse(&t, "2026-11-26", 0, 0), 0);
	cr_assert_eq(t, (time_t)20783 * 86400);
	cr_assert_eq(platci_time_parse(&t, "2026-11-26", 0, 1), PLATCI_EINVALID, "a zone was required");
}

Test(clock, refuses_garbage)
{
	const char *bad[] = { "", "2026", "2026-13-01", "2026-11-32", "2026-11-26T25:00:00Z",
		"2026-11-26T10:60:00Z", "2026-11-26T10:00:00Zjunk", "26-11-2026", "2026-11-26 10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		time_t t;
		cr_assert_eq(platci_time_parse(&t, bad[i], 0, 0), PLATCI_EINVALID,
			"accepted \"%s\"", bad[i]);
	}
}

Test(clock, formats_utc)
{
	char buf[32];
	platci_time_format_utc(buf, sizeof(buf), (time_t)20783 * 86400 + 36000);
	cr_assert_str_eq(buf, "2026-11-26T10:00:00Z");
}
