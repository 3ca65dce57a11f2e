/*
 * The text a change's digest covers (plan_fingerprint_int.h): its `after`,
 * masked by `after_sensitive`, with what `after_unknown` marks as
 * PLATCI_UNKNOWN, as compact JSON with sorted keys.
 *
 * The bytes are what jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS |
 * JSON_ENCODE_ANY) wrote of platci_plan__after(masked) (plan_value.c), so
 * that digests published before still compare; a unit test holds the two
 * equal. It is written straight from the three values the reader built,
 * with no masked copy: copying every change's `after`, then marking it,
 * then asking jansson for the text cost more than reading the plan (issue 16).
 *
 * The order of the rules follows that pipeline: a position `after_unknown`
 * marks `true` is PLATCI_UNKNOWN, even one `after` lacks or one that was
 * masked; otherwise a sensitive position, or one nested deeper than
 * PLATCI_REDACT_MAX_DEPTH, is PLATCI_REDACTED; otherwise objects and arrays
 * recurse, an `after_unknown` member only where its shape matches.
 */
#include <stdlib.h>
#include <string.h>

#include "platci/json_stream.h"
#include "platci/redact.h"
#include "json_lex.h"
#include "plan_fingerprint_int.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/banned.h"

typedef struct canon_member {
	const char *key;
	size_t len;
	const json_t *value; /* NULL: a key only after_unknown names (then `unknown` is true) */
	const json_t *unknown;
} canon_member;

/* jansson's order: bytes, then the shorter key first */
static int by_key(const void *a, const void *b)
{
	const canon_member *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void put_string(platci_buf *out, const char *s, size_t n)
{
	platci__json_quote(out, s, n); /* jansson's escapes, \u001F included */
}

static int put_scalar(platci_buf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		put_string(out, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		platci_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_REAL: {
		/* jansson's %.17g with its own touches ("1.0", no "e+"): rare, so asked of it */
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text)
			return PLATCI_ENOMEM;
		platci_buf_puts(out, text);
		free(text);
		return 0;
	}
	case JSON_TRUE:
		platci_buf_puts(out, "true");
		return 0;
	case JSON_FALSE:
		platci_buf_puts(out, "false");
		return 0;
	default:
		platci_buf_puts(out, "null");
		return 0;
	}
}

static int put_value(platci_buf *out, const json_t *v, const json_t *sensitive,
	const json_t *unknown, int depth);

/*
 * What stands in for a value its markers hide: 1 when it was written.
 * Unknown first, even over a sensitive position; the value or its text
 * is written only when this says 0 (both writers below share the rule).
 */
static int put_marker(platci_buf *out, const json_t *sensitive, const json_t *unknown, int depth)
{
	if (json_is_true(unknown)) {
		put_string(out, PLATCI_UNKNOWN, sizeof(PLATCI_UNKNOWN) - 1);
		return 1;
	}
	if (json_is_true(sensitive) || depth > PLATCI_REDACT_MAX_DEPTH) {
		put_string(out, PLATCI_REDACTED, sizeof(PLATCI_REDACTED) - 1);
		return 1;
	}
	return 0;
}

/* How many members the object has to write; the first @p cap of them go into @p m. */
static size_t collect(canon_member *m, size_t cap, const json_t *v, const json_t *unknown)
{
	size_t n = 0;
	const char *key;
	const json_t *child;

	if (v) {
		for (void *it = json_object_iter((json_t *)(uintptr_t)v); it;
			it = json_object_iter_next((json_t *)(uintptr_t)v, it), n++) {
			if (n >= cap)
				continue;
			m[n].key = json_object_iter_key(it);
			m[n].len = json_object_iter_key_len(it);
			m[n].value = json_object_iter_value(it);
			m[n].unknown = json_object_get(unknown, m[n].key);
		}
	}
	/* marking unknowns adds the keys after_unknown marks true that after lacks */
	json_object_foreach ((json_t *)(uintptr_t)unknown, key, child) {
		if (!json_is_true(child) || json_object_get(v, key))
			continue;
		if (n < cap) {
			m[n].key = key;
			m[n].len = strlen(key);
			m[n].value = NULL;
			m[n].unknown = child;
		}
		n++;
	}
	return n;
}

static int sorted(const canon_member *m, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (by_key(&m[i - 1], &m[i]) >= 0)
			return 0;
	return 1;
}

/* @p v NULL: the empty object a change without `after` stands for (nothing to mask) */
static int put_object(platci_buf *out, const json_t *v, const json_t *sensitive,
	const json_t *unknown, int depth)
{
	canon_member small[32], *m = small;
	size_t n, cap = PLATCI_ARRAY_SIZE(small);
	int error = 0;

	if (!json_is_object(unknown))
		unknown = NULL;
	if ((n = collect(m, cap, v, unknown)) > cap) {
		if (!(m = malloc(n * sizeof(*m))))
			return PLATCI_ENOMEM;
		collect(m, n, v, unknown);
	}
	/* Terraform writes keys sorted: the sort is for other writers */
	if (n > 1 && !sorted(m, n))
		qsort(m, n, sizeof(*m), by_key);
	platci_buf_putc(out, '{');
	for (size_t i = 0; i < n && !error; i++) {
		if (i)
			platci_buf_putc(out, ',');
		put_string(out, m[i].key, m[i].len);
		platci_buf_putc(out, ':');
		error = put_value(out, m[i].value,
			json_is_object(sensitive) ? json_object_get(sensitive, m[i].key) : NULL,
			m[i].unknown, depth + 1);
	}
	platci_buf_putc(out, '}');
	if (m != small)
		free(m);
	return error;
}

static int put_value(platci_buf *out, const json_t *v, const json_t *sensitive,
	const json_t *unknown, int depth)
{
	int error = 0;

	if (put_marker(out, sensitive, unknown, depth))
		return 0;
	if (json_is_object(v))
		return put_object(out, v, sensitive, unknown, depth);
	if (!json_is_array(v))
		return put_scalar(out, v);
	if (!json_is_array(unknown))
		unknown = NULL;
	platci_buf_putc(out, '[');
	for (size_t i = 0; i < json_array_size(v) && !error; i++) {
		if (i)
			platci_buf_putc(out, ',');
		error = put_value(out, json_array_get(v, i),
			json_is_array(sensitive) ? json_array_get(sensitive, i) : NULL,
			json_array_get(unknown, i), depth + 1);
	}
	platci_buf_putc(out, ']');
	return error;
}

int platci_plan_fingerprint__canon(platci_buf *out, const json_t *change)
{
	const json_t *after = json_object_get(change, "after");
	const json_t *unknown = json_object_get(change, "after_unknown");
	int error;

	if (json_is_true(unknown))
		error = put_value(out, NULL, NULL, unknown, 0);
	else if (!after || json_is_null(after))
		error = put_object(out, NULL, NULL, unknown, 0);
	else
		error = put_value(out, after, json_object_get(change, "after_sensitive"), unknown, 0);
	return error < 0 ? error : out->error;
}

/* ---- the same text from `after` as the input wrote it (PLATCI_TFPLAN_VALUES_AFTER_TEXT) ---- */

/*
 * The walk below writes what put_value() writes of the value the reader
 * would have built, without building it: a large plan's every change no
 * longer becomes a jansson tree (issue 16). Where the text alone cannot
 * say what that value's text would be (a key with an escape, a number
 * jansson would rewrite, a repeated key), the walk gives up (NOT_PLAIN)
 * and the value is built from the text by the reader's own builder, so
 * the bytes are the same either way; a unit test and fuzz_tfplan hold the
 * two paths equal. The text was checked as JSON by the reader.
 */
#define NOT_PLAIN 1

typedef struct text_member {
	const char *key; /* the raw key, between its quotes */
	size_t len;
	const char *v, *vend; /* the value's text; NULL: a key only after_unknown names */
	const json_t *unknown;
} text_member;

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the string whose opening quote is at @p p; *esc set when it holds an escape. */
static const char *skip_string(const char *p, const char *end, int *esc)
{
	p++;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p)), *bs;
		if (!q)
			return end;
		if (!(bs = memchr(p, '\\', (size_t)(q - p))))
			return q + 1;
		*esc = 1;
		p = bs + 2; /* the escaped byte, a quote too, is not the end */
	}
	return end;
}

/* Past the value at @p p (no leading blanks). */
static const char *skip_value(const char *p, const char *end)
{
	int esc = 0;
	size_t depth = 0;

	if (*p == '"')
		return skip_string(p, end, &esc);
	if (*p != '{' && *p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
			*p != '\n' && *p != '\r')
			p++;
		return p;
	}
	while (p < end) {
		if (*p == '"') {
			p = skip_string(p, end, &esc);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

static int by_text_key(const void *a, const void *b)
{
	const text_member *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int put_text(platci_buf *out, platci_buf *scratch, const char *p, const char *end,
	const json_t *sensitive, const json_t *unknown, int depth);

/* Members of the object [@p p, @p end) into @p m (first @p cap); how many, or NOT_PLAIN as -1. */
static long text_members(text_member *m, size_t cap, const char *p, const char *end, const json_t *unknown)
{
	size_t n = 0;
	const char *key;
	const json_t *child;

	p = skip_ws(p + 1, end);
	while (p < end && *p == '"') {
		int esc = 0;
		const char *ke = skip_string(p, end, &esc), *v;
		if (esc)
			return -1; /* compared and written decoded: rare, left to the builder */
		v = skip_ws(skip_ws(ke, end) + 1, end); /* past ':' */
		if (n < cap) {
			m[n].key = p + 1;
			m[n].len = (size_t)(ke - p - 2);
			m[n].v = v;
			m[n].vend = skip_value(v, end);
			m[n].unknown = json_object_getn(unknown, p + 1, (size_t)(ke - p - 2));
			p = m[n].vend;
		} else {
			p = skip_value(v, end);
		}
		n++;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	/* marking unknowns adds the keys after_unknown marks true that after lacks */
	json_object_foreach ((json_t *)(uintptr_t)unknown, key, child) {
		size_t len = strlen(key), i, have = n < cap ? n : cap;
		if (!json_is_true(child))
			continue;
		for (i = 0; i < have; i++)
			if (m[i].v && m[i].len == len && memcmp(m[i].key, key, len) == 0)
				break;
		if (i < have)
			continue;
		if (n < cap) {
			m[n].key = key;
			m[n].len = len;
			m[n].v = m[n].vend = NULL;
			m[n].unknown = child;
		}
		n++;
	}
	return (long)n;
}

static int put_text_object(platci_buf *out, platci_buf *scratch, const char *p, const char *end,
	const json_t *sensitive, const json_t *unknown, int depth)
{
	text_member small[32], *m = small;
	size_t cap = PLATCI_ARRAY_SIZE(small);
	long n;
	int error = 0, sorted_in = 1;

	if (!json_is_object(unknown))
		unknown = NULL;
	if ((n = text_members(m, cap, p, end, unknown)) > (long)cap) {
		if (!(m = malloc((size_t)n * sizeof(*m))))
			return PLATCI_ENOMEM;
		n = text_members(m, (size_t)n, p, end, unknown);
	}
	for (long i = 1; i < n && sorted_in; i++)
		sorted_in = by_text_key(&m[i - 1], &m[i]) < 0;
	if (n > 1 && !sorted_in) {
		qsort(m, (size_t)n, sizeof(*m), by_text_key);
		for (long i = 1; i < n && !error; i++)
			if (by_text_key(&m[i - 1], &m[i]) == 0)
				error = NOT_PLAIN; /* a repeated key: the builder refuses it, with its reason */
	}
	if (n < 0)
		error = NOT_PLAIN;
	if (!error)
		platci_buf_putc(out, '{');
	for (long i = 0; i < n && !error; i++) {
		if (i)
			platci_buf_putc(out, ',');
		put_string(out, m[i].key, m[i].len); /* no escape in it: its text is its value */
		platci_buf_putc(out, ':');
		if (!m[i].v)
			put_string(out, PLATCI_UNKNOWN, sizeof(PLATCI_UNKNOWN) - 1);
		else
			error = put_text(out, scratch, m[i].v, m[i].vend,
				json_is_object(sensitive) ? json_object_getn(sensitive, m[i].key, m[i].len)
							  : NULL,
				m[i].unknown, depth + 1);
	}
	if (!error)
		platci_buf_putc(out, '}');
	if (m != small)
		free(m);
	return error;
}

static int put_text_array(platci_buf *out, platci_buf *scratch, const char *p, const char *end,
	const json_t *sensitive, const json_t *unknown, int depth)
{
	int error = 0;

	if (!json_is_array(unknown))
		unknown = NULL;
	platci_buf_putc(out, '[');
	p = skip_ws(p + 1, end);
	for (size_t i = 0; p < end && *p != ']' && !error; i++) {
		const char *vend = skip_value(p, end);
		if (i)
			platci_buf_putc(out, ',');
		error = put_text(out, scratch, p, vend,
			json_is_array(sensitive) ? json_array_get(sensitive, i) : NULL,
			json_array_get(unknown, i), depth + 1);
		p = skip_ws(vend, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	platci_buf_putc(out, ']');
	return error;
}

/* An integer jansson writes back as it was written: no fraction, no exponent, in range, not -0. */
static int plain_integer(const char *p, size_t n)
{
	size_t i = p[0] == '-';

	if (n - i < 1 || n > 18 || (n == 2 && p[0] == '-' && p[1] == '0'))
		return 0;
	for (; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int put_text(platci_buf *out, platci_buf *scratch, const char *p, const char *end,
	const json_t *sensitive, const json_t *unknown, int depth)
{
	size_t n = (size_t)(end - p);

	if (put_marker(out, sensitive, unknown, depth))
		return 0;
	switch (*p) {
	case '{':
		return put_text_object(out, scratch, p, end, sensitive, unknown, depth);
	case '[':
		return put_text_array(out, scratch, p, end, sensitive, unknown, depth);
	case '"': {
		int esc = 0, error;
		skip_string(p, end, &esc);
		if (!esc) {
			platci_buf_put(out, p, n); /* nothing in it needs an escape (no control byte is valid) */
			return 0;
		}
		if ((error = platci_json__unescape(scratch, p + 1, n - 2)) < 0)
			return error;
		put_string(out, scratch->ptr, scratch->size);
		return 0;
	}
	case 't':
	case 'f':
	case 'n':
		platci_buf_put(out, p, n);
		return 0;
	default:
		if (!plain_integer(p, n))
			return NOT_PLAIN; /* jansson's reading and writing of it decide: the builder's */
		platci_buf_put(out, p, n);
		return 0;
	}
}

static int keep_built(const platci_json_event *ev, void *payload)
{
	*(json_t **)payload = json_incref(ev->value);
	return 0;
}

/* What the reader would have built of @p text, with its reasons to refuse it. */
static int build_value(json_t **out, const char *text, size_t len)
{
	platci_json_stream *s = NULL;
	int error;

	*out = NULL;
	if ((error = platci_json_stream_new(&s, NULL)) == 0 &&
		(error = platci_json_stream_on(s, "", PLATCI_JSON_STREAM_VALUE, 0, keep_built, out)) == 0 &&
		(error = platci_json_stream_feed(s, text, len, NULL)) == 0)
		error = platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	if (error < 0 || !*out) {
		json_decref(*out);
		*out = NULL;
		return error < 0 ? error : PLATCI_ESYNTAX;
	}
	return 0;
}

int platci_plan_fingerprint__canon_text(platci_buf *out, const char *text, size_t len, const json_t *change)
{
	const json_t *unknown = json_object_get(change, "after_unknown");
	platci_buf scratch = PLATCI_BUF_INIT;
	size_t mark = out->size;
	json_t *copy, *after;
	int error;

	if (json_is_true(unknown))
		return platci_plan_fingerprint__canon(out, change); /* `after` is not read */
	error = put_text(out, &scratch, text, text + len,
		json_object_get(change, "after_sensitive"), unknown, 0);
	platci_buf_dispose(&scratch);
	if (error != NOT_PLAIN)
		return error < 0 ? error : out->error;
	/* the builder's value, and the writer of built values */
	platci_buf_truncate(out, mark);
	if ((error = build_value(&after, text, len)) < 0)
		return error;
	copy = change ? json_copy((json_t *)(uintptr_t)change) : json_object();
	if (!copy) {
		json_decref(after);
		return PLATCI_ENOMEM;
	}
	if (json_object_set_new(copy, "after", after) < 0) { /* it takes `after`, failing or not */
		json_decref(copy);
		return PLATCI_ENOMEM;
	}
	error = platci_plan_fingerprint__canon(out, copy);
	json_decref(copy);
	return error;
}
