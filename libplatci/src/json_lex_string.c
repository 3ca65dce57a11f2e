/*
 * Strings for the JSON tokenizer (json_lex.c): scanning a string's body in
 * place (escapes and UTF-8 checked, eight bytes at a step while nothing
 * needs a look) and decoding it for the stream when a callback wants it.
 */
#include <stdint.h>
#include <string.h>

#include "json_lex.h"
#include "platci/errors.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

/* Bytes that end the fast run of a string: '"', '\\', controls, and non-ASCII. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define HAS_ZERO(v) (((v)-ONES) & ~(v)&HIGHS)

static int hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Length of the UTF-8 sequence at @p p (0: invalid), as RFC 3629 allows. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end, int *cut)
{
	unsigned c = p[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;

	*cut = 0;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p + i >= end) {
			*cut = 1;
			return 0;
		}
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
			return 0;
	}
	return n;
}

/*
 * Scans a string's body from @p p (just past the opening quote). Returns
 * the closing quote, NULL when the buffer ends first (*cut set), or NULL
 * with lx->error set.
 */
const unsigned char *platci_json_lex__scan_string(json_lex *lx, const unsigned char *p,
	const unsigned char *end, int *escaped, int *cut)
{
	*cut = 0;
	for (;;) {
		while (end - p >= 8) {
			uint64_t x;
			memcpy(&x, p, 8);
			if (HAS_ZERO(x ^ (ONES * '"')) | HAS_ZERO(x ^ (ONES * '\\')) |
				((x - ONES * 0x20) & ~x & HIGHS) | (x & HIGHS))
				break;
			p += 8;
		}
		for (; p < end; p++) {
			unsigned c = *p;
			if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80)
				continue;
			break;
		}
		if (p >= end) {
			*cut = 1;
			lx->cut_at = p;
			return NULL;
		}
		if (*p == '"')
			return p;
		if (*p == '\\') {
			unsigned u, lo;
			*escaped = 1;
			if (end - p < 2)
				goto cut;
			switch (p[1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				p += 2;
				continue;
			case 'u':
				break;
			default: {
				char b[8];
				lx->bad_at = p;
				platci_json_lex__fail(lx, PLATCI_ESYNTAX, 0,
					"invalid JSON: invalid escape \\ followed by %s "
					"in a string",
					platci_json_lex__show(p[1], b));
				return NULL;
			}
			}
			if (end - p < 6)
				goto cut;
			if (hex4(p + 2, &u) < 0)
				goto bad_u;
			if (u >= 0xDC00 && u <= 0xDFFF)
				goto bad_surrogate;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (end - p < 12)
					goto cut;
				if (p[6] != '\\' || p[7] != 'u' || hex4(p + 8, &lo) < 0 ||
					lo < 0xDC00 || lo > 0xDFFF)
					goto bad_surrogate;
				p += 12;
			} else {
				p += 6;
			}
			continue;
		}
		if (*p < 0x20)
			goto control;
		{
			int c8;
			size_t n = utf8_len(p, end, &c8);
			if (c8)
				goto cut;
			if (!n)
				goto bad_utf8;
			p += n;
		}
	}
cut:
	*cut = 1;
	lx->cut_at = p;
	return NULL;
control:
	lx->bad_at = p;
	platci_json_lex__fail(lx, PLATCI_ESYNTAX, 0,
		"invalid JSON: a control character (0x%02x) inside a string "
		"must be escaped",
		*p);
	return NULL;
bad_u:
	lx->bad_at = p;
	platci_json_lex__fail(lx, PLATCI_ESYNTAX, 0, "invalid JSON: \\u must be followed by four hex digits");
	return NULL;
bad_surrogate:
	lx->bad_at = p;
	platci_json_lex__fail(lx, PLATCI_ESYNTAX, 0,
		"invalid JSON: a \\u escape is half of a UTF-16 surrogate "
		"pair");
	return NULL;
bad_utf8:
	lx->bad_at = p;
	platci_json_lex__fail(lx, PLATCI_ESYNTAX, 0, "invalid JSON: a string holds bytes that are not UTF-8");
	return NULL;
}

/* The raw token was validated by scan_string(): every escape here is well formed. */
int platci_json_lex__unescape(json_lex *lx, const char *raw, size_t n, const char **out, size_t *outn)
{
	int error = platci_json__unescape(&lx->unescaped, raw, n);

	if (error < 0)
		return error;
	*out = lx->unescaped.ptr ? lx->unescaped.ptr : "";
	*outn = lx->unescaped.size;
	return 0;
}

int platci_json__unescape(platci_buf *b, const char *raw, size_t n)
{
	const char *p = raw, *end = raw + n;

	platci_buf_clear(b);
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		unsigned u = 0, lo = 0;
		char c;

		if (!bs) {
			platci_buf_put(b, p, (size_t)(end - p));
			break;
		}
		platci_buf_put(b, p, (size_t)(bs - p));
		switch (bs[1]) {
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			hex4((const unsigned char *)bs + 2, &u);
			if (u >= 0xD800 && u <= 0xDBFF) {
				hex4((const unsigned char *)bs + 8, &lo);
				platci__utf8_put(b,
					0x10000 + ((unsigned long)(u - 0xD800) << 10) + (lo - 0xDC00));
				p = bs + 12;
			} else {
				platci__utf8_put(b, u);
				p = bs + 6;
			}
			continue;
		default:
			c = bs[1];
			break; /* '"', '\\', '/' */
		}
		platci_buf_putc(b, c);
		p = bs + 2;
	}
	return b->error;
}
