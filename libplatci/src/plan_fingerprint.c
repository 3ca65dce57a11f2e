/*
 * The change fingerprint of a plan (platci/plan_fingerprint.h): what apply
 * will do, hashed so that the plan reviewed in a merge request can be
 * compared with the plan applied on the default branch, without carrying
 * a single value of either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/plan_fingerprint.h"
#include "platci/sha256.h"
#include "plan_value.h"
#include "plan_fingerprint_int.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/banned.h"


int platci_plan_fingerprint_new(platci_plan_fingerprint **out, const char *env)
{
	platci_plan_fingerprint *fp;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (!(fp = calloc(1, sizeof(*fp))))
		return PLATCI_ENOMEM;
	platci_arena_init(&fp->arena, 8192);
	platci_buf_init(&fp->text, 0);
	if (env && !(fp->env = platci_arena_strdup(&fp->arena, env))) {
		platci_plan_fingerprint_free(fp);
		return PLATCI_ENOMEM;
	}
	*out = fp;
	return 0;
}

void platci_plan_fingerprint_free(platci_plan_fingerprint *fp)
{
	if (!fp)
		return;
	platci_arena_dispose(&fp->arena);
	platci_buf_dispose(&fp->text);
	platci_sha256_free(fp->hash);
	free(fp->items);
	free(fp);
}

int platci_plan_fingerprint__push(platci_plan_fingerprint *fp, const char *address, size_t alen,
	const char *action, const char *digest)
{
	platci_plan_fingerprint_entry *e;

	if (fp->count == fp->alloc) {
		size_t n = fp->alloc ? fp->alloc * 2 : 64;
		platci_plan_fingerprint_entry *g = realloc(fp->items, n * sizeof(*g));
		if (!g)
			return PLATCI_ENOMEM;
		fp->items = g;
		fp->alloc = n;
	}
	e = &fp->items[fp->count];
	e->address = platci_arena_strndup(&fp->arena, address, alen);
	e->action = platci_arena_strdup(&fp->arena, action);
	e->digest = platci_arena_strdup(&fp->arena, digest);
	if (!e->address || !e->action || !e->digest)
		return PLATCI_ENOMEM;
	fp->count++;
	return 0;
}

/*
 * The bytes a change's digest covers: compact JSON with sorted keys, byte
 * for byte what jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS |
 * JSON_ENCODE_ANY) wrote, so that digests published before still compare.
 * Written here because json_dumps (a callback per piece, an allocated key
 * list per object) cost more than reading the plan (issue 16).
 */
static void canon_string(platci_buf *out, const char *s, size_t n)
{
	platci__json_quote(out, s, n); /* jansson's escapes, \u001F included */
}

typedef struct canon_member {
	const char *key;
	size_t len;
	const json_t *value;
} canon_member;

/* jansson's order: bytes, then the shorter key first */
static int by_key(const void *a, const void *b)
{
	const canon_member *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int canon(platci_buf *out, const json_t *v);

static int canon_object(platci_buf *out, const json_t *v)
{
	canon_member small[16], *m = small;
	size_t n = json_object_size(v), i = 0;
	int error = 0;

	if (n > sizeof(small) / sizeof(small[0]) && !(m = malloc(n * sizeof(*m))))
		return PLATCI_ENOMEM;
	for (void *it = json_object_iter((json_t *)v); it && i < n;
		it = json_object_iter_next((json_t *)v, it), i++) {
		m[i].key = json_object_iter_key(it);
		m[i].len = json_object_iter_key_len(it);
		m[i].value = json_object_iter_value(it);
	}
	if (i > 1)
		qsort(m, i, sizeof(*m), by_key);
	platci_buf_putc(out, '{');
	for (size_t k = 0; k < i && !error; k++) {
		if (k)
			platci_buf_putc(out, ',');
		canon_string(out, m[k].key, m[k].len);
		platci_buf_putc(out, ':');
		error = canon(out, m[k].value);
	}
	platci_buf_putc(out, '}');
	if (m != small)
		free(m);
	return error;
}

static int canon(platci_buf *out, const json_t *v)
{
	int error = 0;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return canon_object(out, v);
	case JSON_ARRAY:
		platci_buf_putc(out, '[');
		for (size_t i = 0; i < json_array_size(v) && !error; i++) {
			if (i)
				platci_buf_putc(out, ',');
			error = canon(out, json_array_get(v, i));
		}
		platci_buf_putc(out, ']');
		return error;
	case JSON_STRING:
		canon_string(out, json_string_value(v), json_string_length(v));
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

/* One hashing context for every change: making one per change cost as much as hashing. */
static int digest_text(char hex[PLATCI_SHA256_HEX_SIZE], platci_plan_fingerprint *fp)
{
	int error;

	if (!fp->hash)
		error = platci_sha256_new(&fp->hash);
	else
		error = platci_sha256_reset(fp->hash);
	if (error < 0 || (error = platci_sha256_update(fp->hash, fp->text.ptr, fp->text.size)) < 0)
		return error;
	return platci_sha256_final_hex(hex, fp->hash);
}

int platci_plan_fingerprint_add(platci_plan_fingerprint *fp, const platci_tfplan_change *ch)
{
	const char *action;
	char hex[PLATCI_SHA256_HEX_SIZE], addr[1024];
	json_t *v = NULL;
	int n, error = 0;

	PLATCI_ASSERT_ARG(fp && ch);
	action = platci_plan__action_word(ch->action);
	/* what apply does not carry out is not part of what was reviewed */
	if (ch->source != PLATCI_TFPLAN_CHANGE || !strcmp(action, "no-op") || !strcmp(action, "read"))
		return 0;
	/* masked: a fingerprint is published, and a hash of a short secret can be guessed */
	if ((error = platci_plan__after(&v, ch, 1)) < 0)
		return error;
	platci_buf_clear(&fp->text);
	if ((error = canon(&fp->text, v)) < 0 || (error = fp->text.error) < 0 ||
		(error = digest_text(hex, fp)) < 0)
		goto done;
	n = snprintf(addr, sizeof(addr), "%s%s%s", ch->address, ch->deposed ? " deposed=" : "",
		ch->deposed ? ch->deposed : "");
	error = platci_plan_fingerprint__push(fp, addr,
		n > 0 && (size_t)n < sizeof(addr) ? (size_t)n : sizeof(addr) - 1, action, hex);
done:
	json_decref(v);
	return error;
}

static int by_address(const void *a, const void *b)
{
	const platci_plan_fingerprint_entry *x = a, *y = b;
	int c = strcmp(x->address, y->address);

	return c ? c : strcmp(x->action, y->action);
}

int platci_plan_fingerprint_finish(platci_plan_fingerprint *fp)
{
	platci_sha256 *h = NULL;
	char hex[PLATCI_SHA256_HEX_SIZE];
	int error = 0;

	PLATCI_ASSERT_ARG(fp);
	if (fp->count > 1)
		qsort(fp->items, fp->count, sizeof(*fp->items), by_address);
	fp->declared = fp->count;
	if ((error = platci_sha256_new(&h)) < 0)
		return error;
	for (size_t i = 0; i < fp->count && !error; i++) {
		const platci_plan_fingerprint_entry *e = &fp->items[i];
		if ((error = platci_sha256_update(h, e->address, strlen(e->address) + 1)) < 0 ||
			(error = platci_sha256_update(h, e->action, strlen(e->action) + 1)) < 0)
			break;
		error = platci_sha256_update(h, e->digest, strlen(e->digest) + 1);
	}
	if (!error && (error = platci_sha256_final_hex(hex, h)) == 0)
		snprintf(fp->digest, sizeof(fp->digest), "sha256:%s", hex);
	platci_sha256_free(h);
	return error;
}

const char *platci_plan_fingerprint_digest(const platci_plan_fingerprint *fp)
{
	return fp ? fp->digest : "";
}

const char *platci_plan_fingerprint_env(const platci_plan_fingerprint *fp)
{
	return fp ? fp->env : NULL;
}

size_t platci_plan_fingerprint_count(const platci_plan_fingerprint *fp)
{
	return fp ? fp->count : 0;
}

const platci_plan_fingerprint_entry *platci_plan_fingerprint_at(const platci_plan_fingerprint *fp, size_t i)
{
	return fp && i < fp->count ? &fp->items[i] : NULL;
}

int platci_plan_fingerprint_partial(const platci_plan_fingerprint *fp)
{
	return fp && fp->declared > fp->count;
}

int platci_plan_fingerprint_render_json(platci_buf *out, const platci_plan_fingerprint *fp, int pretty)
{
	platci_jsonw w;

	PLATCI_ASSERT_ARG(out && fp);
	/* written as it goes: a plan of 200k changes would be a jansson tree of 100 MB */
	platci__jsonw_init(&w, out, pretty);
	platci__jsonw_open(&w, '{');
	platci__jsonw_key(&w, "changes");
	platci__jsonw_open(&w, '[');
	for (size_t i = 0; i < fp->count; i++) {
		const platci_plan_fingerprint_entry *e = &fp->items[i];
		platci__jsonw_open(&w, '{');
		platci__jsonw_kstr(&w, "action", e->action);
		platci__jsonw_kstr(&w, "address", e->address);
		platci__jsonw_kstr(&w, "digest", e->digest);
		platci__jsonw_close(&w, '}');
	}
	platci__jsonw_close(&w, ']');
	platci__jsonw_kint(&w, "count", (long long)fp->declared);
	platci__jsonw_kstr(&w, "digest", fp->digest);
	platci__jsonw_key(&w, "env");
	platci__jsonw_str(&w, fp->env);
	platci__jsonw_kint(&w, "version", 1);
	platci__jsonw_close(&w, '}');
	return platci__jsonw_end(&w);
}

/* Addresses hold for_each keys, which may hold anything: nothing may end the comment. */
static void put_address(platci_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '%' || ch == '>' || ch <= ' ' || ch == 0x7f)
			platci_buf_printf(out, "%%%02X", ch);
		else
			platci_buf_putc(out, (char)ch);
	}
}

int platci_plan_fingerprint_render_note(platci_buf *out, const platci_plan_fingerprint *fp)
{
	size_t start;

	PLATCI_ASSERT_ARG(out && fp);
	start = out->size;
	platci_buf_printf(out, NOTE_HEAD "%s v1 %s changes=%zu\n", fp->env ? fp->env : "all",
		fp->digest, fp->declared);
	for (size_t i = 0; i < fp->count && i < NOTE_MAX_LINES && out->size - start < NOTE_MAX_BYTES; i++) {
		platci_buf_printf(out, "%s %s ", fp->items[i].action, fp->items[i].digest);
		put_address(out, fp->items[i].address);
		platci_buf_putc(out, '\n');
	}
	platci_buf_puts(out, "-->\n");
	return out->error;
}
