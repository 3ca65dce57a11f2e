/*
 * Known secret values. Terraform marks sensitive paths, but a value can
 * leak through an unmarked attribute derived from a marked one
 * (terraform_data's `output` copies a sensitive `input` without a marker).
 * Every string the markers hide is remembered, and every rendered text is
 * scrubbed of those strings as a second line of defence.
 */
#include <string.h>

#include "platci/report.h"
#include "tfplan_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_SECRETS 256
#define MIN_SECRET 4 /* shorter values would mask ordinary words */

static int remember(platci_tfplan *p, const char *s)
{
	if (strlen(s) < MIN_SECRET)
		return 0;
	if (!p->secrets && !(p->secrets = json_object()))
		return PLATCI_ENOMEM;
	if (json_object_get(p->secrets, s))
		return 0;
	if (json_object_size(p->secrets) >= MAX_SECRETS) {
		p->secrets_dropped++;
		return 0;
	}
	return json_object_set_new(p->secrets, s, json_true()) < 0 ? PLATCI_ENOMEM : 0;
}

static int collect_all(platci_tfplan *p, const json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	int error = 0;

	if (depth > 64)
		return 0;
	if (json_is_string(v))
		return remember(p, json_string_value(v));
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, c)
			if ((error = collect_all(p, c, depth + 1)) < 0)
				return error;
	} else if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i, c)
			if ((error = collect_all(p, c, depth + 1)) < 0)
				return error;
	}
	return 0;
}

static int collect_rec(platci_tfplan *p, const json_t *v, const json_t *m, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	int error = 0;

	if (!v || !m || depth > 64)
		return 0;
	if (json_is_true(m))
		return collect_all(p, v, depth);
	if (json_is_object(v) && json_is_object(m)) {
		json_object_foreach((json_t *)v, k, c)
			if ((error = collect_rec(p, c, json_object_get(m, k), depth + 1)) < 0)
				return error;
	} else if (json_is_array(v) && json_is_array(m)) {
		json_array_foreach((json_t *)v, i, c)
			if ((error = collect_rec(p, c, json_array_get(m, i), depth + 1)) < 0)
				return error;
	}
	return 0;
}

int platci_tfplan__collect(platci_tfplan *p, const json_t *value, const json_t *marker)
{
	return collect_rec(p, value, marker, 0);
}

int platci_tfplan__collect_all(platci_tfplan *p, const json_t *value)
{
	return collect_all(p, value, 0);
}

/* Replaces every occurrence of @p needle in @p text. */
static int replace_all(platci_buf *text, const char *needle, size_t nlen)
{
	platci_buf out = PLATCI_BUF_INIT;
	const char *p, *hit;
	int error;

	if (!nlen || !strstr(text->ptr, needle))
		return 0;
	for (p = text->ptr; (hit = strstr(p, needle)) != NULL; p = hit + nlen) {
		platci_buf_put(&out, p, (size_t)(hit - p));
		platci_buf_puts(&out, PLATCI_REDACTED);
	}
	platci_buf_puts(&out, p);
	if ((error = out.error) == 0) {
		platci_buf_clear(text);
		platci_buf_put(text, out.ptr, out.size);
		error = text->error;
	}
	platci_buf_dispose(&out);
	return error;
}

int platci_tfplan__scrub(const platci_tfplan *p, platci_buf *text)
{
	const char *s;
	json_t *v;
	int error = 0;

	json_object_foreach(p->secrets, s, v) {
		platci_buf md = PLATCI_BUF_INIT;
		json_t *str = json_string(s);
		char *enc = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;

		(void)v;
		json_decref(str);
		if (!enc)
			return PLATCI_ENOMEM;
		/* the raw text, its JSON-escaped form, and the Markdown-escaped forms of both */
		enc[strlen(enc) - 1] = '\0';
		if ((error = replace_all(text, s, strlen(s))) < 0 ||
		    (error = replace_all(text, enc + 1, strlen(enc + 1))) < 0)
			goto next;
		platci_md_escape(&md, s);
		if ((error = replace_all(text, md.ptr, md.size)) < 0)
			goto next;
		platci_buf_clear(&md);
		platci_md_escape(&md, enc + 1);
		error = replace_all(text, md.ptr, md.size);
next:
		free(enc);
		platci_buf_dispose(&md);
		if (error < 0)
			return error;
	}
	return 0;
}
