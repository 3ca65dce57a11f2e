/*
 * A validating JSON tokenizer for the streaming reader.
 *
 * Why not yajl any more: measured on a 90 MB plan, a yajl pass with
 * callbacks that do nothing costs more than everything platci does with
 * the few parts of the plan it reads. Most of a plan (prior_state,
 * planned_values, before/after values) is read by nobody, and yajl still
 * makes a callback, and decodes the string, for each of its tokens. This
 * tokenizer checks the same grammar (RFC 8259: strings, escapes, UTF-8,
 * numbers, nesting), but inside a container the stream does not want it
 * only scans: no callback, no decoding, no copy. docs/architecture.md has
 * the figures.
 *
 * Tokens are read in place from the caller's buffer; one cut by the end
 * of a feed is completed in a small carry buffer with the bytes of the
 * next feed that finish it, so no block is ever copied whole.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_lex.h"
#include "platci/errors.h"
#include "util/common.h"
#include "util/banned.h"

enum {
	ST_VALUE = 0, /* a value (the document, after ':', after ',' in an array) */
	ST_VALUE_OR_END, /* after '[' */
	ST_KEY_OR_END, /* after '{' */
	ST_KEY, /* after ',' in an object */
	ST_COLON, /* after a key */
	ST_COMMA_OR_END, /* after a value inside a container */
	ST_DONE /* after the document */
};

void platci_json_lex__init(json_lex *lx, platci_json_stream *stream, size_t max_depth, size_t max_token)
{
	memset(lx, 0, sizeof(*lx));
	lx->stream = stream;
	lx->max_depth = max_depth;
	lx->max_token = max_token;
	lx->line = 1;
	platci_buf_init(&lx->carry, 0);
	platci_buf_init(&lx->unescaped, 0);
}

void platci_json_lex__dispose(json_lex *lx)
{
	free(lx->stack);
	lx->stack = NULL;
	platci_buf_dispose(&lx->carry);
	platci_buf_dispose(&lx->unescaped);
}

size_t platci_json_lex__column(const json_lex *lx, size_t abs)
{
	return abs >= lx->line_start ? abs - lx->line_start + 1 : 1;
}

int platci_json_lex__fail(json_lex *lx, int code, size_t abs, const char *fmt, ...)
{
	va_list ap;

	if (lx->error)
		return lx->error;
	lx->error = code;
	lx->err_offset = abs;
	lx->err_line = lx->line;
	lx->err_column = platci_json_lex__column(lx, abs);
	va_start(ap, fmt);
	vsnprintf(lx->err_message, sizeof(lx->err_message), fmt, ap);
	va_end(ap);
	return code;
}

const char *platci_json_lex__show(unsigned char c, char buf[8])
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", c);
	return buf;
}

/* ---- numbers and literals ---------------------------------------------------------------- */

static int is_token_byte(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '+' || c == '-';
}

/* RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int valid_number(const unsigned char *p, const unsigned char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p == end || *p < '0' || *p > '9')
		return 0;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		if (++p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return p == end;
}

/* ---- the grammar -------------------------------------------------------------------------- */

static int push(json_lex *lx, int is_map, size_t at)
{
	if (lx->depth >= lx->max_depth)
		return platci_json_lex__fail(lx, PLATCI_ELIMIT, at,
			"JSON nested deeper than the limit (%zu)", lx->max_depth);
	if (lx->depth >= lx->stack_alloc &&
		platci__grow_array((void **)&lx->stack, &lx->stack_alloc, lx->depth + 1, 1) < 0)
		return PLATCI_ENOMEM;
	lx->stack[lx->depth++] = (unsigned char)is_map;
	return 0;
}

/* After a value: the document ends, or its container expects ',' or its end. */
static void after_value(json_lex *lx)
{
	if (lx->depth == 0) {
		lx->state = ST_DONE;
		lx->done = 1;
	} else {
		lx->state = ST_COMMA_OR_END;
	}
}

/*
 * A string inside a skipped container needs no content, only its end:
 * keep the bytes scan_string() could not finish (an escape or a UTF-8
 * sequence, a few bytes) behind a quote, so that a huge skipped string
 * never grows the carry. The quote sits one byte before them.
 */
static int keep_skipped_cut(json_lex *lx, const void *from_ptr, const unsigned char *end, size_t at)
{
	const unsigned char *from = from_ptr;

	platci_buf_clear(&lx->carry);
	if (platci_buf_putc(&lx->carry, '"') < 0 ||
		platci_buf_put(&lx->carry, from, (size_t)(end - from)) < 0)
		return PLATCI_ENOMEM;
	lx->carry_string = 1;
	lx->carry_skipped = 1;
	lx->carry_esc = 0;
	lx->carry_at = at - 1;
	for (size_t i = 1; i < lx->carry.size; i++)
		lx->carry_esc = lx->carry_esc ? 0 : lx->carry.ptr[i] == '\\';
	return 0;
}

/* Saves a cut token for the next feed. */
static int keep_cut(json_lex *lx, const unsigned char *tok, const unsigned char *end, int string, size_t at)
{
	size_t n = (size_t)(end - tok);

	if (n > lx->max_token)
		return platci_json_lex__fail(lx, PLATCI_ELIMIT, at,
			"a JSON token is larger than the limit "
			"(%zu bytes)",
			lx->max_token);
	platci_buf_clear(&lx->carry);
	if (platci_buf_put(&lx->carry, tok, n) < 0)
		return PLATCI_ENOMEM;
	lx->carry_string = string;
	lx->carry_skipped = 0;
	lx->carry_esc = 0;
	lx->carry_at = at;
	if (string)
		for (size_t i = 1; i < n; i++)
			lx->carry_esc = lx->carry_esc ? 0 : tok[i] == '\\';
	return 0;
}

#define AT(ptr) (lx->base + (size_t)((ptr) - (const unsigned char *)buf))

static int run(json_lex *lx, const char *buf, size_t len, json_lex_mode mode)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	int rc;
	char b[8];

	for (;;) {
		const unsigned char *tok;
		unsigned c;

		while (p < end && *p <= ' ') {
			if (*p == '\n') {
				lx->line++;
				lx->line_start = AT(p) + 1;
			} else if (*p != ' ' && *p != '\t' && *p != '\r') {
				return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
					"invalid JSON: unexpected control "
					"character 0x%02x",
					*p);
			}
			p++;
		}
		if (p >= end)
			return 0;
		tok = p;
		c = *p;
		switch (lx->state) {
		case ST_COLON:
			if (c != ':')
				return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
					"invalid JSON: expected ':' after "
					"an object key, found %s",
					platci_json_lex__show((unsigned char)c, b));
			p++;
			lx->state = ST_VALUE;
			continue;
		case ST_COMMA_OR_END:
			if (c == ',') {
				p++;
				lx->state = lx->stack[lx->depth - 1] ? ST_KEY : ST_VALUE;
				continue;
			}
			if (c == '}' || c == ']')
				goto close;
			return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
				"invalid JSON: expected ',' or '%c', "
				"found %s",
				lx->stack[lx->depth - 1] ? '}' : ']',
				platci_json_lex__show((unsigned char)c, b));
		case ST_KEY_OR_END:
			if (c == '}')
				goto close;
			/* fall through */
		case ST_KEY: {
			const unsigned char *q;
			int escaped = 0, cut;

			if (c != '"')
				return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
					"invalid JSON: expected %s, found %s",
					lx->state == ST_KEY ? "an object key (a string) after ','"
							    : "an object key (a string) or '}'",
					platci_json_lex__show((unsigned char)c, b));
			q = platci_json_lex__scan_string(lx, p + 1, end, &escaped, &cut);
			if (!q) {
				if (lx->error)
					goto string_error;
				if (mode == JSON_LEX_FINAL)
					goto truncated;
				if (lx->skip_from) {
					lx->carry_unread = 0;
					return keep_skipped_cut(lx, lx->cut_at, end,
						AT((const unsigned char *)lx->cut_at));
				}
				return keep_cut(lx, tok, end, 1, AT(tok));
			}
			p = q + 1;
			lx->state = ST_COLON;
			if (lx->skip_from)
				continue;
			lx->tok_offset = AT(tok);
			lx->offset = AT(p);
			if ((rc = platci_json_stream__on_key(lx->stream, (const char *)tok + 1,
				     (size_t)(q - tok - 1), escaped)) < 0)
				return rc;
			continue;
		}
		case ST_DONE:
			return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
				"invalid JSON: more data after the end "
				"of the document, starting with %s",
				platci_json_lex__show((unsigned char)c, b));
		case ST_VALUE_OR_END:
			if (c == ']')
				goto close;
			break;
		default:
			break;
		}

		/* A value. */
		lx->started = 1;
		if (c == '{' || c == '[') {
			int is_map = c == '{';
			p++;
			if ((rc = push(lx, is_map, AT(tok))) < 0)
				return rc;
			lx->state = is_map ? ST_KEY_OR_END : ST_VALUE_OR_END;
			if (lx->skip_from)
				continue;
			lx->tok_offset = AT(tok);
			lx->offset = AT(p);
			rc = platci_json_stream__on_start(lx->stream, is_map);
			if (rc < 0)
				return rc;
			if (rc == JSON_LEX_SKIP || rc == JSON_LEX_SKIP_TEXT) {
				lx->skip_from = lx->depth;
				lx->skip_text = rc == JSON_LEX_SKIP_TEXT;
			}
			continue;
		}
		if (c == '"') {
			const unsigned char *q;
			int escaped = 0, cut;

			q = platci_json_lex__scan_string(lx, p + 1, end, &escaped, &cut);
			if (!q) {
				if (lx->error)
					goto string_error;
				if (mode == JSON_LEX_FINAL)
					goto truncated;
				/* a string nobody reads needs no copy, however long */
				if (lx->skip_from || !platci_json_stream__wants(lx->stream)) {
					lx->tok_offset = AT(tok);
					rc = keep_skipped_cut(lx, lx->cut_at, end,
						AT((const unsigned char *)lx->cut_at));
					lx->carry_unread = !lx->skip_from;
					return rc;
				}
				return keep_cut(lx, tok, end, 1, AT(tok));
			}
			p = q + 1;
			after_value(lx);
			if (lx->skip_from)
				continue;
			lx->tok_offset = AT(tok);
			lx->offset = AT(p);
			if ((rc = platci_json_stream__on_scalar(lx->stream, JSON_LEX_STRING,
				     (const char *)tok + 1, (size_t)(q - tok - 1), escaped)) < 0)
				return rc;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
			json_lex_type type;

			while (p < end && is_token_byte(*p))
				p++;
			if (p == end && mode == JSON_LEX_MORE)
				return keep_cut(lx, tok, end, 0, AT(tok));
			if (c == 't' && p - tok == 4 && memcmp(tok, "true", 4) == 0)
				type = JSON_LEX_TRUE;
			else if (c == 'f' && p - tok == 5 && memcmp(tok, "false", 5) == 0)
				type = JSON_LEX_FALSE;
			else if (c == 'n' && p - tok == 4 && memcmp(tok, "null", 4) == 0)
				type = JSON_LEX_NULL;
			else if (c != 't' && c != 'f' && c != 'n' && valid_number(tok, p))
				type = JSON_LEX_NUMBER;
			else
				return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(tok),
					"invalid JSON: \"%.*s\" is not a "
					"number, true, false or null",
					(int)(p - tok > 40 ? 40 : p - tok), (const char *)tok);
			after_value(lx);
			if (lx->skip_from)
				continue;
			lx->tok_offset = AT(tok);
			lx->offset = AT(p);
			if ((rc = platci_json_stream__on_scalar(lx->stream, type, (const char *)tok,
				     (size_t)(p - tok), 0)) < 0)
				return rc;
			continue;
		}
		return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
			"invalid JSON: expected a value, found %s",
			platci_json_lex__show((unsigned char)c, b));

	close:
		if ((c == '}') != (lx->stack[lx->depth - 1] == 1))
			return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(p),
				"invalid JSON: '%c' closes an %s", c,
				lx->stack[lx->depth - 1] ? "object" : "array");
		p++;
		lx->depth--;
		after_value(lx);
		if (lx->skip_from) {
			if (lx->depth >= lx->skip_from)
				continue;
			lx->skip_from = 0; /* the skipped container itself: no callback... */
			if (!lx->skip_text)
				continue;
			/* ...unless the stream copies its text */
			lx->skip_text = 0;
			lx->offset = AT(p);
			if ((rc = platci_json_stream__on_text_end(lx->stream)) < 0)
				return rc;
			continue;
		}
		lx->offset = AT(p);
		if ((rc = platci_json_stream__on_end(lx->stream)) < 0)
			return rc;
		continue;

	string_error:
		/* scan_string() cannot know where it is: place its message here. */
		lx->err_offset = AT((const unsigned char *)lx->bad_at);
		lx->err_column = platci_json_lex__column(lx, lx->err_offset);
		return lx->error;
	truncated:
		return platci_json_lex__fail(lx, PLATCI_ESYNTAX, AT(end),
			"invalid JSON: the input ends inside a string "
			"(truncated?)");
	}
}

#undef AT

/* How many of @p n bytes finish the cut token; *whole when they do. */
static size_t finish_cut(json_lex *lx, const unsigned char *d, size_t n, int *whole)
{
	size_t i = 0;

	*whole = 0;
	if (lx->carry_string) {
		for (; i < n; i++) {
			if (lx->carry_esc) {
				lx->carry_esc = 0;
				continue;
			}
			if (d[i] == '\\')
				lx->carry_esc = 1;
			else if (d[i] == '"') {
				*whole = 1;
				return i + 1;
			}
		}
		return n;
	}
	while (i < n && is_token_byte(d[i]))
		i++;
	*whole = i < n;
	return i;
}

/*
 * After a skipped string: the grammar moves on as if the lexer had read it,
 * and a string no subscription wanted in a container the stream tracks
 * still takes its place there (an array's numbering).
 */
static int skipped_string_read(json_lex *lx, size_t end_offset)
{
	int unread = lx->carry_unread;

	if (lx->state == ST_KEY || lx->state == ST_KEY_OR_END)
		lx->state = ST_COLON;
	else
		after_value(lx);
	platci_buf_clear(&lx->carry);
	lx->carry_skipped = lx->carry_unread = 0;
	if (!unread)
		return 0;
	lx->offset = end_offset;
	return platci_json_stream__on_scalar(lx->stream, JSON_LEX_STRING, "", 0, 0);
}

/* Places an error scan_string() found at @p bad, in a buffer at absolute offset @p base. */
static int string_error_at(json_lex *lx, const void *buf, size_t base)
{
	lx->err_offset = base + (size_t)((const char *)lx->bad_at - (const char *)buf);
	lx->err_column = platci_json_lex__column(lx, lx->err_offset);
	return lx->error;
}

/*
 * The rest of a string inside a skipped container: first the few bytes an
 * escape or a UTF-8 sequence still needs (joined to the carry), then the
 * new bytes in place. *used says how much of @p data the string took.
 */
static int skip_string_rest(json_lex *lx, const char *data, size_t len, size_t *used)
{
	size_t head = lx->carry.size, take = len < 16 ? len : 16, from;
	const unsigned char *q, *c;
	int escaped, cut;

	if (platci_buf_put(&lx->carry, data, take) < 0)
		return PLATCI_ENOMEM;
	c = (const unsigned char *)lx->carry.ptr;
	q = platci_json_lex__scan_string(lx, c + 1, c + lx->carry.size, &escaped, &cut);
	if (lx->error)
		return string_error_at(lx, c, lx->carry_base);
	if (q) {
		*used = (size_t)(q - c) + 1 - head;
		return skipped_string_read(lx, lx->carry_base + (size_t)(q - c) + 1);
	}
	if ((const unsigned char *)lx->cut_at < c + head) {
		/* still inside the sequence (the feed was tiny): keep its bytes, all taken */
		size_t from_carry = (size_t)((const unsigned char *)lx->cut_at - c);
		memmove(lx->carry.ptr + 1, lx->carry.ptr + from_carry, lx->carry.size - from_carry);
		lx->carry.size = 1 + lx->carry.size - from_carry;
		lx->carry_at = lx->carry_base + from_carry - 1;
		*used = take;
		return 1;
	}
	from = (size_t)((const unsigned char *)lx->cut_at - c) - head;
	q = platci_json_lex__scan_string(lx, (const unsigned char *)data + from,
		(const unsigned char *)data + len, &escaped, &cut);
	if (lx->error)
		return string_error_at(lx, data, lx->base);
	if (q) {
		*used = (size_t)(q - (const unsigned char *)data) + 1;
		return skipped_string_read(lx, lx->base + *used);
	}
	*used = len;
	return keep_skipped_cut(lx, (const unsigned char *)lx->cut_at, (const unsigned char *)data + len,
		       lx->base + (size_t)((const char *)lx->cut_at - data)) < 0
		       ? PLATCI_ENOMEM
		       : 1;
}

int platci_json_lex__feed(json_lex *lx, const char *data, size_t len)
{
	int rc, whole;
	size_t need;

	if (lx->error)
		return lx->error;
	if (lx->carry.size && lx->carry_skipped) {
		size_t used = 0;
		if (!len)
			return 0;
		if ((rc = skip_string_rest(lx, data, len, &used)) < 0)
			return rc;
		if (rc == 1) {
			lx->carry_base = lx->carry_at;
			lx->base += len;
			return 0;
		}
		data += used;
		len -= used;
		lx->base += used;
	}
	if (lx->carry.size) {
		need = finish_cut(lx, (const unsigned char *)data, len, &whole);
		if (lx->carry.size + need > lx->max_token)
			return platci_json_lex__fail(lx, PLATCI_ELIMIT, lx->carry_base,
				"a JSON token is larger than the "
				"limit (%zu bytes)",
				lx->max_token);
		if (platci_buf_put(&lx->carry, data, need) < 0)
			return PLATCI_ENOMEM;
		if (!whole) {
			lx->base += need;
			return 0;
		}
		{
			size_t after = lx->base + need;
			platci_buf cut = lx->carry;
			/* run() may cut nothing now, but keep_cut() must not write into what it reads */
			platci_buf_init(&lx->carry, 0);
			lx->base = lx->carry_base;
			rc = run(lx, cut.ptr, cut.size, JSON_LEX_TOKEN_END);
			platci_buf_dispose(&lx->carry);
			lx->carry = cut;
			platci_buf_clear(&lx->carry);
			lx->base = after;
		}
		if (rc < 0)
			return rc;
		data += need;
		len -= need;
	}
	rc = run(lx, data, len, JSON_LEX_MORE);
	if (lx->carry.size)
		lx->carry_base = lx->carry_at;
	lx->base += len;
	return rc;
}

int platci_json_lex__finish(json_lex *lx)
{
	int rc;

	if (lx->error)
		return lx->error;
	if (lx->carry.size) {
		platci_buf cut = lx->carry;
		size_t after = lx->base;
		platci_buf_init(&lx->carry, 0);
		lx->base = lx->carry_base;
		rc = run(lx, cut.ptr, cut.size, JSON_LEX_FINAL);
		platci_buf_dispose(&cut);
		lx->base = after;
		if (rc < 0)
			return rc;
	}
	if (!lx->started)
		return platci_json_lex__fail(lx, PLATCI_ESYNTAX, lx->base,
			"no JSON value: the input is empty");
	if (!lx->done)
		return platci_json_lex__fail(lx, PLATCI_ESYNTAX, lx->base,
			"invalid JSON: the input ends before the "
			"document does (truncated?)");
	return 0;
}
