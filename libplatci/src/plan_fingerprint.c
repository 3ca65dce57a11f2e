/*
 * The change fingerprint of a plan (platci/plan_fingerprint.h): what apply
 * will do, hashed so that the plan reviewed in a merge request can be
 * compared with the plan applied on the default branch, without carrying
 * a single value of either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/fs.h"
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
	platci_arena_init(&fp->arena, 64 * 1024);
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

void platci_plan_fingerprint__hex(char hex[PLATCI_SHA256_HEX_SIZE], const unsigned char digest[32])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

/* The words a fingerprint made here uses are not copied: 200k copies of "create" add up. */
static const char *action_word(platci_plan_fingerprint *fp, const char *action)
{
	static const char *const words[] = { "create", "update", "delete", "replace", "forget", "other" };

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(words); i++)
		if (!strcmp(words[i], action))
			return words[i];
	return platci_arena_strdup(&fp->arena, action);
}

int platci_plan_fingerprint__unhex(unsigned char digest[PLATCI_SHA256_SIZE], const char *hex, size_t n)
{
	if (n != 2 * PLATCI_SHA256_SIZE)
		return PLATCI_EINVALID;
	for (size_t i = 0; i < PLATCI_SHA256_SIZE; i++) {
		int hi = platci__hexval(hex[2 * i]), lo = platci__hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return PLATCI_EINVALID;
		digest[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

/* The digest arrives raw: a plan's 200k changes were each written as hex and read back. */
int platci_plan_fingerprint__push(platci_plan_fingerprint *fp, const char *address, size_t alen,
	const char *action, const unsigned char digest[PLATCI_SHA256_SIZE])
{
	fp_change *e;

	if (fp->count == fp->alloc) {
		size_t n = fp->alloc ? fp->alloc * 2 : 64;
		fp_change **g = realloc(fp->items, n * sizeof(*g));
		if (!g)
			return PLATCI_ENOMEM;
		fp->items = g;
		fp->alloc = n;
	}
	if (!(e = platci_arena_alloc(&fp->arena, sizeof(*e) + alen + 1)) ||
		!(e->action = action_word(fp, action)))
		return PLATCI_ENOMEM;
	memcpy(e->digest, digest, PLATCI_SHA256_SIZE);
	memcpy(e->address, address, alen);
	e->address[alen] = '\0';
	fp->items[fp->count++] = e;
	return 0;
}

/* One hashing context for every change: making one per change cost as much as hashing. */
static int digest_text(unsigned char md[PLATCI_SHA256_SIZE], platci_plan_fingerprint *fp)
{
	int error;

	if (!fp->hash)
		error = platci_sha256_new(&fp->hash);
	else
		error = platci_sha256_reset(fp->hash);
	if (error < 0 || (error = platci_sha256_update(fp->hash, fp->text.ptr, fp->text.size)) < 0)
		return error;
	return platci_sha256_final(md, fp->hash);
}

int platci_plan_fingerprint_add(platci_plan_fingerprint *fp, const platci_tfplan_change *ch)
{
	const char *action;
	unsigned char md[PLATCI_SHA256_SIZE];
	int error;

	PLATCI_ASSERT_ARG(fp && ch);
	action = platci_plan__action_word(ch->action);
	/* what apply does not carry out is not part of what was reviewed */
	if (ch->source != PLATCI_TFPLAN_CHANGE || !strcmp(action, "no-op") || !strcmp(action, "read"))
		return 0;
	/* masked: a fingerprint is published, and a hash of a short secret can be guessed */
	platci_buf_clear(&fp->text);
	error = ch->after_text ? platci_plan_fingerprint__canon_text(&fp->text, ch->after_text,
					 ch->after_text_len, ch->change)
			       : platci_plan_fingerprint__canon(&fp->text, ch->change);
	if (error < 0 || (error = digest_text(md, fp)) < 0)
		return error;
	/* the text is hashed: its buffer holds the address now, however long */
	platci_buf_clear(&fp->text);
	platci_buf_puts(&fp->text, ch->address);
	if (ch->deposed)
		platci_buf_printf(&fp->text, " deposed=%s", ch->deposed);
	if (fp->text.error)
		return fp->text.error;
	return platci_plan_fingerprint__push(fp, fp->text.ptr, fp->text.size, action, md);
}

static int by_address(const void *a, const void *b)
{
	const fp_change *x = *(const fp_change *const *)a, *y = *(const fp_change *const *)b;
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
	/* the same bytes as one update per field, handed over in large blocks */
	platci_buf_clear(&fp->text);
	for (size_t i = 0; i < fp->count && !error; i++) {
		const fp_change *e = fp->items[i];
		platci_plan_fingerprint__hex(hex, e->digest);
		platci_buf_put(&fp->text, e->address, strlen(e->address) + 1);
		platci_buf_put(&fp->text, e->action, strlen(e->action) + 1);
		platci_buf_put(&fp->text, hex, sizeof(hex));
		if ((error = fp->text.error) == 0 && (fp->text.size >= 64 * 1024 || i + 1 == fp->count)) {
			error = platci_sha256_update(h, fp->text.ptr, fp->text.size);
			platci_buf_clear(&fp->text);
		}
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

int platci_plan_fingerprint_at(platci_plan_fingerprint_entry *out,
	const platci_plan_fingerprint *fp, size_t i)
{
	PLATCI_ASSERT_ARG(out);
	memset(out, 0, sizeof(*out));
	if (!fp || i >= fp->count)
		return PLATCI_ENOTFOUND;
	out->address = fp->items[i]->address;
	out->action = fp->items[i]->action;
	platci_plan_fingerprint__hex(out->digest, fp->items[i]->digest);
	return 0;
}

int platci_plan_fingerprint_partial(const platci_plan_fingerprint *fp)
{
	return fp && fp->declared > fp->count;
}

/* The document, written as it goes into @p w; with @p f, flushed to the file now and then. */
static int write_json(platci_jsonw *w, const platci_plan_fingerprint *fp, platci_fs_file *f)
{
	int error = 0;

	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "changes");
	platci__jsonw_open(w, '[');
	for (size_t i = 0; i < fp->count && !error; i++) {
		const fp_change *e = fp->items[i];
		char hex[PLATCI_SHA256_HEX_SIZE];
		platci_plan_fingerprint__hex(hex, e->digest);
		platci__jsonw_open(w, '{');
		platci__jsonw_kstr(w, "action", e->action);
		platci__jsonw_kstr(w, "address", e->address);
		platci__jsonw_kstr(w, "digest", hex);
		platci__jsonw_close(w, '}');
		if (f && (i & 1023) == 1023)
			error = platci_fs_atomic_flush(f);
	}
	platci__jsonw_close(w, ']');
	platci__jsonw_kint(w, "count", (long long)fp->declared);
	platci__jsonw_kstr(w, "digest", fp->digest);
	platci__jsonw_key(w, "env");
	platci__jsonw_str(w, fp->env);
	platci__jsonw_kint(w, "version", 1);
	platci__jsonw_close(w, '}');
	return error < 0 ? error : platci__jsonw_end(w);
}

int platci_plan_fingerprint_render_json(platci_buf *out, const platci_plan_fingerprint *fp, int pretty)
{
	platci_jsonw w;

	PLATCI_ASSERT_ARG(out && fp);
	platci__jsonw_init(&w, out, pretty);
	return write_json(&w, fp, NULL);
}

/* write_json() for platci__jsonw_write_file() */
static int write_json_file(platci_jsonw *w, const void *fp, platci_fs_file *f)
{
	return write_json(w, fp, f);
}

int platci_plan_fingerprint_write_file(const platci_plan_fingerprint *fp, const char *path,
	int pretty, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(fp && path);
	/* a plan of 200k changes makes a file of 25 MB: it never stands whole in memory */
	return platci__jsonw_write_file(path, pretty, write_json_file, fp, diag);
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
		char hex[PLATCI_SHA256_HEX_SIZE];
		platci_plan_fingerprint__hex(hex, fp->items[i]->digest);
		platci_buf_printf(out, "%s %s ", fp->items[i]->action, hex);
		put_address(out, fp->items[i]->address);
		platci_buf_putc(out, '\n');
	}
	platci_buf_puts(out, "-->\n");
	return out->error;
}
