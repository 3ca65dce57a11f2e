/*
 * Time zones without the TZ environment variable: the platform's zones
 * (Asia/Dubai and its neighbours) keep no daylight saving time, so a
 * documented table of fixed offsets is exact for them and needs no tzdata
 * at run time. Unknown names are refused, never guessed.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate_time.h"
#include "util/banned.h"

static const struct {
	const char *name;
	int offset; /* minutes east of UTC */
} zones[] = {
	{ "UTC", 0 }, { "Etc/UTC", 0 }, { "GMT", 0 }, { "Etc/GMT", 0 },
	{ "Asia/Dubai", 240 }, { "Asia/Muscat", 240 }, { "Asia/Baku", 240 },
	{ "Asia/Riyadh", 180 }, { "Asia/Qatar", 180 }, { "Asia/Kuwait", 180 },
	{ "Asia/Bahrain", 180 }, { "Asia/Baghdad", 180 }, { "Europe/Istanbul", 180 },
	{ "Asia/Karachi", 300 }, { "Asia/Tashkent", 300 }, { "Asia/Kolkata", 330 },
	{ "Asia/Dhaka", 360 }, { "Asia/Bangkok", 420 }, { "Asia/Jakarta", 420 },
	{ "Asia/Singapore", 480 }, { "Asia/Shanghai", 480 }, { "Asia/Hong_Kong", 480 },
	{ "Asia/Tokyo", 540 }, { "Asia/Seoul", 540 }, { "Africa/Nairobi", 180 },
	{ "Africa/Johannesburg", 120 }, { "Africa/Lagos", 60 },
};

const char *platci_gate__zone_list(void)
{
	return "UTC, Asia/Dubai, Asia/Muscat, Asia/Baku, Asia/Riyadh, Asia/Qatar, Asia/Kuwait, "
	       "Asia/Bahrain, Asia/Baghdad, Europe/Istanbul, Asia/Karachi, Asia/Tashkent, "
	       "Asia/Kolkata, Asia/Dhaka, Asia/Bangkok, Asia/Jakarta, Asia/Singapore, "
	       "Asia/Shanghai, Asia/Hong_Kong, Asia/Tokyo, Asia/Seoul, Africa/Nairobi, "
	       "Africa/Johannesburg, Africa/Lagos, or a fixed offset such as UTC+04:00";
}

int platci_gate__zone_offset(int *out, const char *zone)
{
	int h = 0, m = 0, sign;
	char extra;

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(zones[i].name, zone) == 0) {
			*out = zones[i].offset;
			return 0;
		}
	/* UTC+04:00, UTC-03:30 */
	if (strncmp(zone, "UTC", 3) == 0 && (zone[3] == '+' || zone[3] == '-')) {
		sign = zone[3] == '+' ? 1 : -1;
		if (sscanf(zone + 4, "%2d:%2d%c", &h, &m, &extra) == 2 && h <= 14 && m < 60 &&
		    strlen(zone) == 9) {
			*out = sign * (h * 60 + m);
			return 0;
		}
	}
	return -1;
}

long long platci_gate__days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
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

static int parse_common(time_t *out, const char *s, int offset_min, int need_zone)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0, zoned = 0;
	const char *p = s;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
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
				return -1;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om))
				return -1;
			zoned = 1;
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || (h == 24 && (mi || sec)) ||
	    mi > 59 || sec > 60 || (need_zone && !zoned))
		return -1;
	if (zoned)
		offset_min = sign * (oh * 60 + om);
	*out = (time_t)(platci_gate__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
			sec - (long long)offset_min * 60);
	return 0;
}

int platci_gate__parse_rfc3339(time_t *out, const char *s)
{
	return parse_common(out, s, 0, 1);
}

int platci_gate__parse_local(time_t *out, const char *s, int offset_min)
{
	return parse_common(out, s, offset_min, 0);
}

void platci_gate__format_utc(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
