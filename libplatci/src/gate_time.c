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

