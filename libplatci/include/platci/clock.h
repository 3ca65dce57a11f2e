/**
 * @file platci/clock.h
 * @brief Dates and times without the TZ environment or any global state.
 *
 * Every stage compares times from its inputs (expiry dates of waivers and
 * exceptions, deployment times, bundle ages, freeze windows) with an
 * injectable clock; these are the shared parsers.
 */
#ifndef PLATCI_CLOCK_H
#define PLATCI_CLOCK_H

#include <time.h>
#include "common.h"

PLATCI_BEGIN_DECL

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's algorithm). */
PLATCI_EXTERN(long long) platci_days_from_civil(int y, int m, int d);

/** Days in month @p m (1..12) of year @p y: 28 to 31, or 0 when @p m is out of range. */
PLATCI_EXTERN(int) platci_days_in_month(int y, int m);

/**
 * Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.frac]]` and a
 * zone (`Z` or `+HH:MM`/`-HHMM`). Without a zone the time is read at
 * @p offset_min minutes east of UTC; @p need_zone non-zero refuses that.
 * Impossible calendar dates (2026-02-31, 2026-13-01) are refused.
 * @return 0, or PLATCI_EINVALID for anything else (no partial reads).
 */
PLATCI_EXTERN(int) platci_time_parse(time_t *out, const char *s, int offset_min, int need_zone);

/** RFC 3339 with a zone (`2026-01-31T10:00:00Z`, `+04:00`, fractions). 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_time_parse_rfc3339(time_t *out, const char *s);

/**
 * Parses the expiry of a waiver, an exception or an ignore rule: the one
 * boundary every rules file shares. A calendar date `YYYY-MM-DD` is valid
 * through the end of that day at @p offset_min minutes east of UTC (the
 * platform's zone, platci_config_utc_offset()); a time with a zone
 * (`2026-12-31T18:00:00Z`) is valid through that second. @p out receives
 * the first second after: a waiver holds while `now < *out`.
 *
 * @return 0, or PLATCI_EINVALID for anything else, impossible dates
 *         (2026-02-31, 2026-13-01) included.
 */
PLATCI_EXTERN(int) platci_time_parse_expiry(time_t *out, const char *s, int offset_min);

/**
 * Offset in minutes east of UTC of the time zone @p zone: a documented
 * table of zones without daylight saving time (Asia/Dubai and its
 * neighbours, UTC) or a fixed offset such as `UTC+04:00`. Needs no tzdata
 * and no TZ environment; unknown names are refused, never guessed.
 *
 * @return 0, or PLATCI_EINVALID for a zone the table does not know.
 */
PLATCI_EXTERN(int) platci_time_zone_offset(int *out, const char *zone);

/** The zones platci_time_zone_offset() knows, comma-separated (for messages). Static. */
PLATCI_EXTERN(const char *) platci_time_zone_list(void);

/** Formats @p t as RFC 3339 UTC (`2026-01-31T10:00:00Z`) into @p buf (21 bytes or more). */
PLATCI_EXTERN(void) platci_time_format_utc(char *buf, size_t size, time_t t);

PLATCI_END_DECL

#endif
