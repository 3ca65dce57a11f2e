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

/**
 * Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.frac]]` and a
 * zone (`Z` or `+HH:MM`/`-HHMM`). Without a zone the time is read at
 * @p offset_min minutes east of UTC; @p need_zone non-zero refuses that.
 * @return 0, or -1 for anything else (no partial reads).
 */
PLATCI_EXTERN(int) platci_time_parse(time_t *out, const char *s, int offset_min, int need_zone);

/** RFC 3339 with a zone (`2026-01-31T10:00:00Z`, `+04:00`, fractions). 0 or -1. */
PLATCI_EXTERN(int) platci_time_parse_rfc3339(time_t *out, const char *s);

/** Formats @p t as RFC 3339 UTC (`2026-01-31T10:00:00Z`) into @p buf (21 bytes or more). */
PLATCI_EXTERN(void) platci_time_format_utc(char *buf, size_t size, time_t t);

PLATCI_END_DECL

#endif
