/*
 * Flux postBuild substitution (kustomize-controller docs, "Post build
 * variable substitution"): `${var}`, `${var:=default}`, `${var:-default}`
 * and `$${var}` for a literal `${var}`. Defaults may hold further
 * `${...}`, which are substituted too.
 */
#include <ctype.h>
#include <string.h>

#include "platci/render.h"
#include "util/common.h"
#include "util/banned.h"

int platci_render_var_name_ok(const char *name, size_t len)
{
	if (!name || !len || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!(isalnum((unsigned char)name[i]) || name[i] == '_'))
			return 0;
	return 1;
}

/* Index of the `}` closing the `${` whose body starts at @p i, or len when none. */
static size_t closing(const char *in, size_t i, size_t len)
{
	int depth = 1;

	for (; i < len; i++) {
		if (in[i] == '$' && i + 1 < len && in[i + 1] == '{') {
			depth++;
			i++;
		} else if (in[i] == '}' && --depth == 0) {
			return i;
		}
	}
	return len;
}

static int note_missing(platci_buf *missing, const char *name, size_t len)
{
	const char *p;

	if (!missing)
		return 0;
	for (p = missing->ptr; *p;) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		if ((size_t)(nl - p) == len && memcmp(p, name, len) == 0)
			return 0;
		p = nl + 1;
	}
	platci_buf_put(missing, name, len);
	return platci_buf_putc(missing, '\n');
}

static int expand(platci_buf *out, const char *in, size_t len, platci_render_lookup_fn lookup,
	void *payload, platci_buf *missing, int depth);

/* One `${body}`; @p body_len excludes the braces. */
static int one(platci_buf *out, const char *body, size_t body_len, platci_render_lookup_fn lookup,
	void *payload, platci_buf *missing, int depth)
{
	size_t n = 0;
	const char *value, *def = NULL;
	size_t def_len = 0;
	int colon = 0;

	while (n < body_len && (isalnum((unsigned char)body[n]) || body[n] == '_'))
		n++;
	if (!platci_render_var_name_ok(body, n))
		goto literal;
	if (n < body_len) {
		size_t op = n;
		if (body[op] == ':') {
			colon = 1;
			op++;
		}
		if (op >= body_len || (body[op] != '=' && body[op] != '-'))
			goto literal; /* ${var^}, ${var/a/b}...: not a form Flux documents */
		def = body + op + 1;
		def_len = body_len - op - 1;
	}
	value = lookup(body, n, payload);
	if (value && !(colon && def && !*value))
		return platci_buf_puts(out, value);
	if (def)
		return expand(out, def, def_len, lookup, payload, missing, depth + 1);
	return note_missing(missing, body, n);
literal:
	platci_buf_puts(out, "${");
	platci_buf_put(out, body, body_len);
	return platci_buf_putc(out, '}');
}

static int expand(platci_buf *out, const char *in, size_t len, platci_render_lookup_fn lookup,
	void *payload, platci_buf *missing, int depth)
{
	size_t i = 0;

	if (depth > 16)
		return PLATCI_ELIMIT;
	while (i < len) {
		const char *dollar = memchr(in + i, '$', len - i);
		size_t at, end;
		int error;

		if (!dollar)
			return platci_buf_put(out, in + i, len - i);
		at = (size_t)(dollar - in);
		platci_buf_put(out, in + i, at - i);
		if (at + 2 < len && in[at + 1] == '$' && in[at + 2] == '{') {
			/* $${var}: the escape for a literal ${var} */
			end = closing(in, at + 3, len);
			if (end >= len)
				return PLATCI_ESYNTAX;
			platci_buf_put(out, in + at + 1, end + 1 - (at + 1));
			i = end + 1;
			continue;
		}
		if (at + 1 < len && in[at + 1] == '{') {
			end = closing(in, at + 2, len);
			if (end >= len)
				return PLATCI_ESYNTAX;
			error = one(out, in + at + 2, end - at - 2, lookup, payload, missing, depth);
			if (error < 0)
				return error;
			i = end + 1;
			continue;
		}
		platci_buf_putc(out, '$');
		i = at + 1;
	}
	return out->error;
}

int platci_render_substitute(platci_buf *out, const char *in, size_t len,
	platci_render_lookup_fn lookup, void *payload, platci_buf *missing)
{
	int error;

	PLATCI_ASSERT_ARG(out && (in || !len) && lookup);
	error = expand(out, in, len, lookup, payload, missing, 0);
	if (error == 0 && out->error)
		error = out->error;
	return error;
}
