/* Shared date and time parsing (see platci/clock.h). */
#include <stdio.h>

#include "platci/clock.h"
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
	*out = (time_t)(platci_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
			sec - (long long)offset_min * 60);
	return 0;
}

int platci_time_parse_rfc3339(time_t *out, const char *s)
{
	return platci_time_parse(out, s, 0, 1);
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
