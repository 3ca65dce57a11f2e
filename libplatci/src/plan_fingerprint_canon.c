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

#include "platci/redact.h"
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

	if (json_is_true(unknown)) {
		put_string(out, PLATCI_UNKNOWN, sizeof(PLATCI_UNKNOWN) - 1);
		return 0;
	}
	if (json_is_true(sensitive) || depth > PLATCI_REDACT_MAX_DEPTH) {
		put_string(out, PLATCI_REDACTED, sizeof(PLATCI_REDACTED) - 1);
		return 0;
	}
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
