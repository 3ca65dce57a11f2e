/*
 * String formats: RFC 3339 date-time and date, base64 (`byte`), IPv4,
 * IPv6, RFC 1123 host names, e-mail addresses, RFC 3986 URIs, the
 * integer widths, and Kubernetes quantities. Formats that are not listed
 * here pass, as JSON Schema says unknown formats must.
 */
#include <string.h>

#include "doc.h"
#include "schema_int.h"
#include "util/common.h"
#include "util/banned.h"

int platci_schema__format_id(const char *name)
{
	static const struct {
		const char *name;
		int id;
	} formats[] = {
		{ "date-time", FMT_DATE_TIME },
		{ "datetime", FMT_DATE_TIME },
		{ "date", FMT_DATE },
		{ "int32", FMT_INT32 },
		{ "int64", FMT_INT64 },
		{ "byte", FMT_BYTE },
		{ "ipv4", FMT_IPV4 },
		{ "ipv6", FMT_IPV6 },
		{ "hostname", FMT_HOSTNAME },
		{ "email", FMT_EMAIL },
		{ "uri", FMT_URI },
	};

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(formats); i++)
		if (!strcmp(name, formats[i].name))
			return formats[i].id;
	return FMT_NONE;
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int full_date(const char *s, size_t len)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;

	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
		!digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static int date_time(const char *s, size_t len)
{
	int h, mi, sec, oh = 0, om = 0, sign = 0;
	size_t i = 19;

	if (len < 20 || !full_date(s, 10) || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
		s[16] != ':' || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
		!digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 60)
		return 0;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return 0;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
		   digits(s + i + 1, 2, &oh) && digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		sign = s[i] == '+' ? 1 : -1;
		i += 6;
	} else {
		return 0;
	}
	if (i != len)
		return 0;
	if (sec == 60) { /* a leap second is 23:59:60 in UTC */
		int utc = ((h * 60 + mi - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
		return utc == 23 * 60 + 59;
	}
	return 1;
}

/* Go's StdEncoding: padded, newlines ignored. */
static int base64(const char *s, size_t len)
{
	size_t n = 0, pad = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r')
			continue;
		if (c == '=') {
			pad++;
		} else if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
					  (c >= '0' && c <= '9') || c == '+' || c == '/')) {
			return 0;
		}
		n++;
	}
	return n % 4 == 0 && pad <= 2;
}

static int ipv4(const char *s, size_t len)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return 0;
		if (part < 3 && (i >= len || s[i++] != '.'))
			return 0;
	}
	return i == len;
}

static int ishex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int ipv6(const char *s, size_t len)
{
	size_t i = 0, groups = 0;
	int gap = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 1;
		i = 2;
	} else if (len && s[0] == ':') {
		return 0;
	}
	while (i < len) {
		size_t start = i;
		const char *dot;
		while (i < len && ishex(s[i]) && i - start < 5)
			i++;
		if (i < len && s[i] == '.') { /* an IPv4 tail */
			dot = s + start;
			return ipv4(dot, len - start) && groups + 2 + (size_t)gap <= 8 &&
			       (gap || groups + 2 == 8);
		}
		if (i == start || i - start > 4)
			return 0;
		groups++;
		if (i == len)
			break;
		if (s[i] != ':')
			return 0;
		i++;
		if (i < len && s[i] == ':') {
			if (gap)
				return 0;
			gap = 1;
			i++;
		} else if (i == len) {
			return 0;
		}
	}
	return gap ? groups <= 7 : groups == 8;
}

static int hostname(const char *s, size_t len)
{
	size_t label = 0;

	if (!len || len > 253)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';
		if (c == '.') {
			if (!label || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    (c == '-' && label)))
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

static int email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	size_t local;

	if (!at || at == s || (local = (size_t)(at - s)) + 1 >= len || memchr(at + 1, '@', len - local - 1))
		return 0;
	if (s[0] == '.' || s[local - 1] == '.')
		return 0;
	for (size_t i = 0; i < local; i++)
		if (s[i] == ' ' || s[i] == ',' || s[i] == '"' || s[i] == '<' || s[i] == '>' ||
			(s[i] == '.' && s[i + 1] == '.') || (unsigned char)s[i] < 0x20)
			return 0;
	return hostname(at + 1, len - local - 1) || (at[1] == '[' && s[len - 1] == ']');
}

/* RFC 3986 character classes for the URI grammar. */
static int unreserved(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~", c));
}

static int sub_delim(char c)
{
	return c && strchr("!$&'()*+,;=", c);
}

/* Characters of a component: unreserved, sub-delims, %XX and @p extra. */
static int component(const char *s, size_t len, const char *extra)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (i + 2 >= len || !ishex(s[i + 1]) || !ishex(s[i + 2]))
				return 0;
			i += 2;
		} else if (!unreserved(s[i]) && !sub_delim(s[i]) && !(s[i] && strchr(extra, s[i]))) {
			return 0;
		}
	}
	return 1;
}

static int authority(const char *s, size_t len)
{
	const char *at = NULL, *host = s, *colon = NULL;
	size_t hlen;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '@')
			at = s + i;
	if (at) {
		if (!component(s, (size_t)(at - s), ":"))
			return 0;
		host = at + 1;
	}
	hlen = len - (size_t)(host - s);
	if (hlen && host[0] == '[') {
		const char *close = memchr(host, ']', hlen);
		if (!close || !ipv6(host + 1, (size_t)(close - host - 1)))
			return 0;
		colon = close + 1 < host + hlen ? close + 1 : NULL;
		if (colon && *colon != ':')
			return 0;
	} else {
		colon = memchr(host, ':', hlen);
		if (!component(host, colon ? (size_t)(colon - host) : hlen, ""))
			return 0;
	}
	for (const char *p = colon ? colon + 1 : s + len; p < s + len; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static int uri(const char *s, size_t len)
{
	size_t i = 0, end;

	if (!len || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
		return 0;
	while (i < len && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
				  s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= len || s[i] != ':')
		return 0;
	i++;
	if (i + 1 < len && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		end = i;
		while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#')
			end++;
		if (!authority(s + i, end - i))
			return 0;
		i = end;
	}
	end = i;
	while (end < len && s[end] != '?' && s[end] != '#')
		end++;
	if (!component(s + i, end - i, ":@/"))
		return 0;
	i = end;
	if (i < len && s[i] == '?') {
		end = ++i;
		while (end < len && s[end] != '#')
			end++;
		if (!component(s + i, end - i, ":@/?"))
			return 0;
		i = end;
	}
	return i >= len || component(s + i + 1, len - i - 1, ":@/?");
}

int platci_schema__format_ok(int format, const char *s, size_t len)
{
	switch (format) {
	case FMT_DATE_TIME:
		return date_time(s, len);
	case FMT_DATE:
		return full_date(s, len);
	case FMT_BYTE:
		return base64(s, len);
	case FMT_IPV4:
		return ipv4(s, len);
	case FMT_IPV6:
		return ipv6(s, len);
	case FMT_HOSTNAME:
		return hostname(s, len);
	case FMT_EMAIL:
		return email(s, len);
	case FMT_URI:
		return uri(s, len);
	default:
		return 1;
	}
}

int platci_schema__int_format_ok(int format, const platci_node *n)
{
	long double v;

	if (platci_schema__type_of(n) != T_INT)
		return 1; /* int32/int64 on a number: the type keyword judges it */
	v = platci_schema__number(n);
	if (format == FMT_INT32)
		return v >= -2147483648.0L && v <= 2147483647.0L;
	if (format == FMT_INT64)
		return v >= -9223372036854775808.0L && v <= 9223372036854775807.0L;
	return 1;
}

/* <signedNumber>: [+-]? (digits | digits. | digits.digits | .digits) */
static size_t signed_number(const char *s, size_t len)
{
	size_t i = 0, d = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, d++;
	}
	return d ? i : 0;
}

int platci_schema__quantity_ok(const char *s, size_t len)
{
	static const char *const suffixes[] = { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m",
		"k", "M", "G", "T", "P", "E", "" };
	size_t i = signed_number(s, len), rest;

	if (!i)
		return 0;
	rest = len - i;
	if (rest && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = signed_number(s + i + 1, rest - 1);
		return e && e == rest - 1;
	}
	for (size_t k = 0; k < PLATCI_ARRAY_SIZE(suffixes); k++)
		if (strlen(suffixes[k]) == rest && !memcmp(s + i, suffixes[k], rest))
			return 1;
	return 0;
}
