/*
 * The HTTP-level rules of the GitLab client that need no network: retry
 * schedule, Retry-After, pagination headers, which URLs may receive the
 * token. Kept pure so the unit tests pin them without a server.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gitlab_private.h"
#include "util/common.h"
#include "platci/clock.h"
#include "util/banned.h"

uint64_t platci_gitlab__rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

unsigned long platci_gitlab__backoff_ms(unsigned int retry, unsigned long base, unsigned long max,
	unsigned long retry_after_ms, uint64_t *rng)
{
	unsigned long d = base, half;

	for (unsigned int i = 0; i < retry && d < max; i++)
		d = d > max / 2 ? max : d * 2;
	if (d > max)
		d = max;
	half = d / 2;
	d = half + (half ? (unsigned long)(platci_gitlab__rand(rng) % (half + 1)) : 0);
	/* The server knows when it will take us again: never come back earlier. */
	return d < retry_after_ms ? retry_after_ms : d;
}

static int parse_http_date(time_t *out, const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = { 0 };
	int d, y, h, mi, sec, m;
	const char *p;

	/* IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"): what RFC 9110 says senders use. */
	if (sscanf(s, "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &d, mon, &y, &h, &mi, &sec) != 6)
		return -1;
	p = strstr(months, mon);
	if (!p || strlen(mon) != 3 || (p - months) % 3)
		return -1;
	m = (int)((p - months) / 3) + 1;
	if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return -1;
	*out = (time_t)(platci_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + sec);
	return 0;
}

int platci_gitlab__retry_after_ms(unsigned long *ms_out, const char *value, time_t now)
{
	char *end;
	unsigned long secs;
	time_t when;

	if (!value)
		return 0;
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value >= '0' && *value <= '9') {
		secs = strtoul(value, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (*end || secs > 86400UL * 7)
			return 0;
		*ms_out = secs * 1000UL;
		return 1;
	}
	if (parse_http_date(&when, value) < 0)
		return 0;
	*ms_out = when > now ? (unsigned long)(when - now) * 1000UL : 0;
	return 1;
}

int platci_gitlab__next_page(unsigned long *page_out, const char *value)
{
	char *end;
	unsigned long v;

	if (!value)
		return 0;
	while (*value == ' ')
		value++;
	if (!*value || *value == '\r' || *value == '\n')
		return 0;
	if (*value < '0' || *value > '9')
		return -1;
	v = strtoul(value, &end, 10);
	while (*end == ' ' || *end == '\r' || *end == '\n')
		end++;
	if (*end || v == 0)
		return -1;
	*page_out = v;
	return 1;
}

/* Length of "scheme://authority/api-root" that @p url must share with the base. */
static int under_base(const char *url, const char *base)
{
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	if (strncmp(url, base, n) != 0)
		return 0;
	/* "https://h/api/v4" must not accept "https://h/api/v4evil" nor "https://h.evil". */
	return url[n] == '/' || url[n] == '?' || url[n] == '\0';
}

static int rel_is_next(const char *params, size_t len)
{
	const char *p = params, *end = params + len;

	while (p < end) {
		const char *q;
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > 4 && strncasecmp(p, "rel=", 4) == 0) {
			p += 4;
			if (p < end && *p == '"') {
				/* rel="next last": a space-separated list of relation types. */
				p++;
				for (q = p; q < end && *q != '"'; q++)
					;
				for (const char *t = p; t < q;) {
					const char *te = t;
					while (te < q && *te != ' ')
						te++;
					if (te - t == 4 && strncasecmp(t, "next", 4) == 0)
						return 1;
					t = te < q ? te + 1 : te;
				}
				p = q < end ? q + 1 : q;
			} else {
				for (q = p; q < end && *q != ';' && *q != ' '; q++)
					;
				if (q - p == 4 && strncasecmp(p, "next", 4) == 0)
					return 1;
				p = q;
			}
		} else {
			while (p < end && *p != ';')
				p++;
		}
	}
	return 0;
}

int platci_gitlab__link_next(platci_buf *out, const char *link, const char *base_url)
{
	const char *p = link;

	if (!link)
		return 0;
	while (*p) {
		const char *lt = strchr(p, '<'), *gt, *params, *pend;
		if (!lt)
			break;
		gt = strchr(lt + 1, '>');
		if (!gt)
			break;
		params = gt + 1;
		/* The parameters run to the next comma that starts a new link-value. */
		for (pend = params; *pend && *pend != ','; pend++)
			;
		if (rel_is_next(params, (size_t)(pend - params))) {
			char *url = platci__strndup(lt + 1, (size_t)(gt - lt - 1));
			int ok;
			if (!url)
				return PLATCI_ENOMEM;
			ok = under_base(url, base_url);
			if (ok)
				platci_buf_puts(out, url);
			free(url);
			if (!ok)
				return PLATCI_EUNSAFE;
			return out->error ? out->error : 1;
		}
		p = *pend ? pend + 1 : pend;
	}
	return 0;
}

int platci_gitlab__is_loopback_http(const char *url)
{
	const char *h, *e;
	size_t n;

	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	if (*h == '[')
		return strncmp(h, "[::1]", 5) == 0 && (h[5] == ':' || h[5] == '/' || h[5] == '\0');
	for (e = h; *e && *e != ':' && *e != '/' && *e != '?'; e++)
		if (*e == '@')
			return 0; /* userinfo: not something we produce; refuse */
	n = (size_t)(e - h);
	if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
		return 1;
	if (n >= 9 && strncmp(h, "127.", 4) == 0) {
		for (const char *c = h + 4; c < e; c++)
			if (!isdigit((unsigned char)*c) && *c != '.')
				return 0;
		return 1;
	}
	return 0;
}

int platci_gitlab__escape(platci_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			platci_buf_putc(out, (char)*p);
		} else {
			char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			platci_buf_put(out, enc, 3);
		}
	}
	return out->error;
}
