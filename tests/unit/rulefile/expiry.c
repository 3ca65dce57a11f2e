/*
 * The one expiry boundary (clock.h) and the one waiver report (waiver.h):
 * a waiver dated D holds through the last second of D in the platform's
 * zone and not one second more; an impossible date is refused.
 */
#include "test_helpers.h"
#include "waiver.h"

/* 2026-12-31 ends at 2027-01-01T00:00:00+04:00, that is 2026-12-31T20:00:00Z. */
#define LAST_SECOND ((time_t)1798747199)
#define FIRST_AFTER ((time_t)1798747200)

Test(expiry, a_date_holds_through_its_last_second_in_the_zone)
{
	time_t at = 0;

	cr_assert_eq(platci_time_parse_expiry(&at, "2026-12-31", 240), 0);
	cr_assert_eq(at, FIRST_AFTER);
	cr_assert(LAST_SECOND < at, "the last second of the day is still valid");
	cr_assert_not(FIRST_AFTER < at, "the first second after it is not");
	cr_assert_eq(platci_time_parse_expiry(&at, "2026-12-31", 0), 0);
	cr_assert_eq(at, (time_t)1798761600, "in UTC the day ends at midnight UTC");
	/* a zoned time holds through that second */
	cr_assert_eq(platci_time_parse_expiry(&at, "2026-12-31T18:00:00Z", 240), 0);
	cr_assert_eq(at, (time_t)1798740001);
	cr_assert_eq(platci_time_parse_expiry(&at, "2026-12-31T18:00:00", 240), PLATCI_EINVALID,
		"a time needs its zone");
}

Test(expiry, impossible_dates_are_refused)
{
	static const char *const bad[] = { "2026-02-31", "2026-13-01", "2026-00-10", "2026-02-29",
		"2026-04-31", "2026-12-32", "2026-1-01", "26-01-01", "2026-01-01x", "", "soon" };
	time_t at;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(platci_time_parse_expiry(&at, bad[i], 240), PLATCI_EINVALID, "%s", bad[i]);
	cr_assert_eq(platci_time_parse_expiry(&at, "2028-02-29", 240), 0);
	cr_assert_eq(platci_time_parse_expiry(&at, "2000-02-29", 240), 0);
	cr_assert_eq(platci_time_parse_expiry(&at, "1900-02-29", 240), PLATCI_EINVALID);
	/* the general parser refuses them too (it read 2026-02-31 as 2026-03-03) */
	cr_assert_lt(platci_time_parse(&at, "2026-02-31T10:00:00Z", 0, 1), 0);
	cr_assert_eq(platci_days_in_month(2024, 2), 29);
	cr_assert_eq(platci_days_in_month(2026, 13), 0);
}

Test(expiry, zones_come_from_one_table)
{
	int off = 1;

	cr_assert_eq(platci_time_zone_offset(&off, "Asia/Dubai"), 0);
	cr_assert_eq(off, 240);
	cr_assert_eq(platci_time_zone_offset(&off, "UTC-03:30"), 0);
	cr_assert_eq(off, -210);
	cr_assert_eq(platci_time_zone_offset(&off, "Europe/Berlin"), PLATCI_EINVALID);
	cr_assert_eq(platci_config_utc_offset(NULL), 240, "the default zone is Asia/Dubai");
}

static waiver_base waiver_on(const char *date)
{
	waiver_base w;

	memset(&w, 0, sizeof(w));
	w.file = "w.yaml";
	w.line = 3;
	w.column = 5;
	w.reason = "r";
	w.owner = "team-a";
	w.expires.text = date;
	cr_assert_eq(platci_time_parse_expiry(&w.expires.at, date, 240), 0);
	return w;
}

static const platci_finding *report(const waiver_base *w, const waiver_rules *rules, time_t now,
	platci_findings *list)
{
	size_t before = platci_findings_count(list);
	int rc = platci_waiver__report(w, rules, "waiver for X", "k", "prd", now, list);

	cr_assert_geq(rc, 0);
	cr_assert_eq(platci_findings_count(list), before + (size_t)rc);
	return rc ? platci_findings_at(list, before) : NULL;
}

Test(expiry, expired_unused_and_invalid_are_reported_one_way)
{
	static const waiver_rules rules = { "x.invalid", "x.expired", "x.unused", "this run", 1 };
	static const waiver_rules uncounted = { NULL, "x.expired", NULL, NULL, 0 };
	platci_findings *list = NULL;
	waiver_base w = waiver_on("2026-12-31");
	const platci_finding *f;

	cr_assert_eq(platci_findings_new(&list), 0);
	w.seen = w.used = 1;
	cr_assert_null(report(&w, &rules, LAST_SECOND, list), "live and used: nothing to say");
	w.used_expired = 2;
	f = report(&w, &rules, FIRST_AFTER, list);
	cr_assert_str_eq(f->rule_id, "x.expired");
	cr_assert_str_eq(f->message,
		"waiver for X expired on 2026-12-31; the 2 finding(s) it "
		"covered are reported again (owner team-a)");
	cr_assert_eq(f->severity, PLATCI_SEVERITY_MAJOR);
	cr_assert_eq(f->enforcement, PLATCI_ENFORCE_WARN);
	cr_assert_str_eq(f->file, "w.yaml");
	cr_assert_eq(f->line, 3);
	cr_assert_eq(f->column, 5);
	cr_assert_str_eq(f->env, "prd");
	w.used_expired = 0;
	f = report(&w, &rules, FIRST_AFTER, list);
	cr_assert_str_eq(f->message,
		"waiver for X expired on 2026-12-31; it matches nothing now "
		"either: remove it (owner team-a)");
	cr_assert_eq(f->severity, PLATCI_SEVERITY_MINOR);
	f = report(&w, &uncounted, FIRST_AFTER, list);
	cr_assert_str_eq(f->message,
		"waiver for X expired on 2026-12-31; it waives nothing any "
		"more: renew it with a new date, or delete it (owner team-a)");
	w.seen = 0;
	w.owner = NULL;
	w.ticket = "T-1";
	f = report(&w, &rules, LAST_SECOND, list);
	cr_assert_str_eq(f->rule_id, "x.unused");
	cr_assert_str_eq(f->message,
		"waiver for X matched nothing in this run (stale): remove it "
		"or fix its scope (ticket T-1)");
	cr_assert_eq(f->severity, PLATCI_SEVERITY_INFO);
	cr_assert_null(report(&w, &uncounted, LAST_SECOND, list),
		"a domain that cannot count "
		"does not call waivers unused");
	w.invalid = "it lives too long";
	f = report(&w, &rules, LAST_SECOND, list);
	cr_assert_str_eq(f->rule_id, "x.invalid");
	cr_assert_eq(f->enforcement, PLATCI_ENFORCE_DENY);
	cr_assert_str_eq(f->message, "waiver for X cannot be used: it lives too long (ticket T-1)");
	cr_assert_not(platci_waiver__live(&w, LAST_SECOND));
	platci_findings_free(list);
}
