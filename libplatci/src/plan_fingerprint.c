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
#include "util/banned.h"


int platci_plan_fingerprint_new(platci_plan_fingerprint **out, const char *env)
{
	platci_plan_fingerprint *fp;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (!(fp = calloc(1, sizeof(*fp))))
		return PLATCI_ENOMEM;
	platci_arena_init(&fp->arena, 8192);
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

int platci_plan_fingerprint_add(platci_plan_fingerprint *fp, const platci_tfplan_change *ch)
{
	const char *action;
	char hex[PLATCI_SHA256_HEX_SIZE], addr[1024];
	json_t *v = NULL;
	char *text = NULL;
	int n, error = 0;

	PLATCI_ASSERT_ARG(fp && ch);
	action = platci_plan__action_word(ch->action);
	/* what apply does not carry out is not part of what was reviewed */
	if (ch->source != PLATCI_TFPLAN_CHANGE || !strcmp(action, "no-op") || !strcmp(action, "read"))
		return 0;
	/* masked: a fingerprint is published, and a hash of a short secret can be guessed */
	if ((error = platci_plan__after(&v, ch, 1)) < 0)
		return error;
	if (!(text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = platci_sha256_hex(hex, text, strlen(text))) < 0)
		goto done;
	n = snprintf(addr, sizeof(addr), "%s%s%s", ch->address, ch->deposed ? " deposed=" : "",
		ch->deposed ? ch->deposed : "");
	error = platci_plan_fingerprint__push(fp, addr,
		n > 0 && (size_t)n < sizeof(addr) ? (size_t)n : sizeof(addr) - 1, action, hex);
done:
	free(text);
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

int platci_plan_fingerprint_to_json(json_t **out, const platci_plan_fingerprint *fp)
{
	json_t *list = NULL, *o = NULL;

	PLATCI_ASSERT_ARG(out && fp);
	*out = NULL;
	if (!(list = json_array()))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < fp->count; i++) {
		const platci_plan_fingerprint_entry *e = &fp->items[i];
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "address", e->address,
							"action", e->action, "digest", e->digest)) < 0) {
			json_decref(list);
			return PLATCI_ENOMEM;
		}
	}
	o = json_pack("{s:i, s:s?, s:s, s:I, s:o}", "version", 1, "env", fp->env, "digest",
		fp->digest, "count", (json_int_t)fp->declared, "changes", list);
	if (!o)
		return PLATCI_ENOMEM;
	*out = o;
	return 0;
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
