/* Time helpers for facts and gate policies: no TZ environment, no global state. */
#ifndef PLATCI_GATE_TIME_H
#define PLATCI_GATE_TIME_H

#include <time.h>

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long long platci_gate__days_from_civil(int y, int m, int d);

/* Parses RFC 3339 (`2026-01-31T10:00:00Z`, `+04:00`, fractions). 0 or -1. */
int platci_gate__parse_rfc3339(time_t *out, const char *s);

/*
 * Parses a local `YYYY-MM-DD[ HH:MM]` (a `T` also separates) as a time in
 * the zone @p offset_min minutes east of UTC. 0 or -1.
 */
int platci_gate__parse_local(time_t *out, const char *s, int offset_min);

/* Offset in minutes east of UTC of a zone name (fixed-offset table). 0 or -1. */
int platci_gate__zone_offset(int *out, const char *zone);

/* Formats @p t as RFC 3339 UTC into @p buf (at least 21 bytes). */
void platci_gate__format_utc(char *buf, size_t size, time_t t);

/* The zones the table knows, comma-separated (for messages). */
const char *platci_gate__zone_list(void);

#endif
