/* Shared date and time parsing (see platci/clock.h). */
#include <stdio.h>
#include <string.h>

#include "platci/clock.h"
#include "platci/errors.h"
#include "util/banned.h"

long long platci_days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int platci_days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return 0;
}

int platci_time_parse(time_t *out, const char *s, int offset_min, int need_zone)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0, zoned = 0;
	const char *p = s;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return PLATCI_EINVALID;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return PLATCI_EINVALID;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return PLATCI_EINVALID;
			if (*p == '.')
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
			zoned = 1;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '+' ? 1 : -1;
			if (digits(&p, 2, &oh))
				return PLATCI_EINVALID;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om))
				return PLATCI_EINVALID;
			zoned = 1;
		}
	}
	if (*p || d < 1 || d > platci_days_in_month(y, mo) || h > 24 || (h == 24 && (mi || sec)) ||
		mi > 59 || sec > 60 || (need_zone && !zoned))
		return PLATCI_EINVALID;
	if (zoned)
		offset_min = sign * (oh * 60 + om);
	*out = (time_t)(platci_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
			(long long)offset_min * 60);
	return 0;
}

int platci_time_parse_rfc3339(time_t *out, const char *s)
{
	return platci_time_parse(out, s, 0, 1);
}

int platci_time_parse_expiry(time_t *out, const char *s, int offset_min)
{
	time_t t;

	if (!s)
		return PLATCI_EINVALID;
	if (strlen(s) == 10) {
		/* the whole day counts: the waiver ends at the next midnight in the zone */
		if (platci_time_parse(&t, s, offset_min, 0) < 0)
			return PLATCI_EINVALID;
		*out = t + 86400;
		return 0;
	}
	if (platci_time_parse(&t, s, 0, 1) < 0)
		return PLATCI_EINVALID;
	*out = t + 1;
	return 0;
}

/*
 * The platform's zones (Asia/Dubai and its neighbours) keep no daylight
 * saving time, so a documented table of fixed offsets is exact for them
 * and needs no tzdata at run time.
 */
static const struct {
	const char *name;
	int offset; /* minutes east of UTC */
} zones[] = {
	{ "UTC", 0 },
	{ "Etc/UTC", 0 },
	{ "GMT", 0 },
	{ "Etc/GMT", 0 },
	{ "Asia/Dubai", 240 },
	{ "Asia/Muscat", 240 },
	{ "Asia/Baku", 240 },
	{ "Asia/Riyadh", 180 },
	{ "Asia/Qatar", 180 },
	{ "Asia/Kuwait", 180 },
	{ "Asia/Bahrain", 180 },
	{ "Asia/Baghdad", 180 },
	{ "Europe/Istanbul", 180 },
	{ "Asia/Karachi", 300 },
	{ "Asia/Tashkent", 300 },
	{ "Asia/Kolkata", 330 },
	{ "Asia/Dhaka", 360 },
	{ "Asia/Bangkok", 420 },
	{ "Asia/Jakarta", 420 },
	{ "Asia/Singapore", 480 },
	{ "Asia/Shanghai", 480 },
	{ "Asia/Hong_Kong", 480 },
	{ "Asia/Tokyo", 540 },
	{ "Asia/Seoul", 540 },
	{ "Africa/Nairobi", 180 },
	{ "Africa/Johannesburg", 120 },
	{ "Africa/Lagos", 60 },
};

const char *platci_time_zone_list(void)
{
	return "UTC, Asia/Dubai, Asia/Muscat, Asia/Baku, Asia/Riyadh, Asia/Qatar, Asia/Kuwait, "
	       "Asia/Bahrain, Asia/Baghdad, Europe/Istanbul, Asia/Karachi, Asia/Tashkent, "
	       "Asia/Kolkata, Asia/Dhaka, Asia/Bangkok, Asia/Jakarta, Asia/Singapore, "
	       "Asia/Shanghai, Asia/Hong_Kong, Asia/Tokyo, Asia/Seoul, Africa/Nairobi, "
	       "Africa/Johannesburg, Africa/Lagos, or a fixed offset such as UTC+04:00";
}

int platci_time_zone_offset(int *out, const char *zone)
{
	int h = 0, m = 0, sign;
	char extra;

	for (size_t i = 0; zone && i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(zones[i].name, zone) == 0) {
			*out = zones[i].offset;
			return 0;
		}
	/* UTC+04:00, UTC-03:30 */
	if (zone && strncmp(zone, "UTC", 3) == 0 && (zone[3] == '+' || zone[3] == '-')) {
		sign = zone[3] == '+' ? 1 : -1;
		if (sscanf(zone + 4, "%2d:%2d%c", &h, &m, &extra) == 2 && h <= 14 && m < 60 &&
			strlen(zone) == 9) {
			*out = sign * (h * 60 + m);
			return 0;
		}
	}
	return PLATCI_EINVALID;
}

void platci_time_format_utc(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
