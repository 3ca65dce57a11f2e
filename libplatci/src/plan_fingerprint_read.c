/*
 * Reading a plan fingerprint back (from plan-fingerprint.json or the
 * sticky note's hidden comment) and saying what changed since review.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/json.h"
#include "plan_fingerprint_int.h"
#include "util/common.h"
#include "util/banned.h"

#define PREVIOUS_MARK "\n<!-- platci:previous -->"

static int bad(platci_diag *diag, const char *what)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, NULL, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "plan fingerprint: %s", what);
	return PLATCI_EDATA;
}

static int from_json(platci_plan_fingerprint *fp, const char *text, platci_diag *diag)
{
	json_t *doc = NULL, *e;
	const char *digest;
	size_t i;
	int error;

	if ((error = platci_json_parse(&doc, "plan-fingerprint.json", text, strlen(text), diag)) < 0)
		return error;
	digest = platci_json_str(doc, "digest");
	if (!json_is_array(json_object_get(doc, "changes")) || !digest || strlen(digest) != 71 ||
		strncmp(digest, "sha256:", 7) != 0) {
		error = bad(diag,
			"plan-fingerprint.json needs \"digest\": \"sha256:...\" and "
			"\"changes\"");
		goto done;
	}
	memcpy(fp->digest, digest, 72);
	json_array_foreach (json_object_get(doc, "changes"), i, e) {
		const char *a = platci_json_str(e, "address"), *act = platci_json_str(e, "action");
		const char *d = platci_json_str(e, "digest");
		unsigned char md[PLATCI_SHA256_SIZE];
		if (!a || !act || !d || platci_plan_fingerprint__unhex(md, d, strlen(d)) < 0) {
			error = bad(diag, "a change needs address, action and a SHA-256 digest");
			goto done;
		}
		if ((error = platci_plan_fingerprint__push(fp, a, strlen(a), act, md)) < 0)
			goto done;
	}
	fp->declared = json_is_integer(json_object_get(doc, "count"))
			       ? (size_t)json_integer_value(json_object_get(doc, "count"))
			       : fp->count;
done:
	json_decref(doc);
	return error;
}

/* One `<action> <digest> <address>` line of the note. */
static int note_line(platci_plan_fingerprint *fp, const char *s, size_t n, platci_diag *diag)
{
	const char *sp1 = memchr(s, ' ', n), *sp2;
	platci_buf *addr = &fp->text; /* however long the address: nothing is cut */
	char action[17];
	unsigned char md[PLATCI_SHA256_SIZE];

	if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - s))) ||
		platci_plan_fingerprint__unhex(md, sp1 + 1, (size_t)(sp2 - sp1 - 1)) < 0 || sp1 - s > 16)
		return bad(diag, "a line of the note's fingerprint is not \"action digest address\"");
	platci_buf_clear(addr);
	for (const char *p = sp2 + 1; p < s + n; p++) {
		int hi, lo;
		if (*p == '%' && p + 2 < s + n && (hi = platci__hexval(p[1])) >= 0 &&
			(lo = platci__hexval(p[2])) >= 0) {
			platci_buf_putc(addr, (char)(hi * 16 + lo));
			p += 2;
		} else {
			platci_buf_putc(addr, *p);
		}
	}
	if (addr->error)
		return addr->error;
	memcpy(action, s, (size_t)(sp1 - s));
	action[sp1 - s] = '\0';
	return platci_plan_fingerprint__push(fp, addr->ptr, addr->size, action, md);
}

static int from_note(platci_plan_fingerprint *fp, const char *text, const char *env, platci_diag *diag)
{
	const char *end = strstr(text, PREVIOUS_MARK), *p = text, *eol;
	char head[300];
	unsigned long long declared;
	char digest[72];
	int n, error;

	if (!end)
		end = text + strlen(text);
	n = snprintf(head, sizeof(head), NOTE_HEAD "%s ", env ? env : "all");
	if (n < 0 || (size_t)n >= sizeof(head))
		return PLATCI_EINVALID;
	for (;;) {
		if (!(p = strstr(p, head)) || p >= end)
			return PLATCI_ENOTFOUND;
		if (p == text || p[-1] == '\n')
			break;
		p++;
	}
	p += n;
	if (sscanf(p, "v1 %71s changes=%llu", digest, &declared) != 2 || strlen(digest) != 71 ||
		strncmp(digest, "sha256:", 7) != 0)
		return bad(diag, "the note's fingerprint comment has no \"v1 sha256:... changes=N\"");
	memcpy(fp->digest, digest, 72);
	fp->declared = (size_t)declared;
	if (!(eol = strchr(p, '\n')))
		return bad(diag, "the note's fingerprint comment ends early");
	for (p = eol + 1; p < end && strncmp(p, "-->", 3) != 0; p = eol + 1) {
		size_t len;
		if (!(eol = strchr(p, '\n')) || eol > end)
			return bad(diag, "the note's fingerprint comment is not closed");
		len = (size_t)(eol - p);
		if (len && p[len - 1] == '\r')
			len--;
		if ((error = note_line(fp, p, len, diag)) < 0)
			return error;
	}
	return 0;
}

int platci_plan_fingerprint_parse(platci_plan_fingerprint **out, const char *text, const char *env,
	platci_diag *diag)
{
	platci_plan_fingerprint *fp = NULL;
	const char *s = text;
	int error;

	PLATCI_ASSERT_ARG(out && text);
	*out = NULL;
	if ((error = platci_plan_fingerprint_new(&fp, env)) < 0)
		return error;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	error = *s == '{' ? from_json(fp, s, diag) : from_note(fp, text, env, diag);
	if (error < 0) {
		platci_plan_fingerprint_free(fp);
		return error;
	}
	*out = fp;
	return 0;
}

/* One difference: `address`: what, with the action(s) around @p what. */
static void line(platci_buf *out, size_t *n, size_t max, const char *address, const char *before,
	const char *what, const char *after)
{
	if (++*n > max)
		return;
	platci_buf_puts(out, "- `");
	for (const char *p = address; *p; p++)
		platci_buf_putc(out, (char)(*p == '`' ? '\'' : *p));
	platci_buf_printf(out, "`: %s%s%s\n", before, what, after);
}

int platci_plan_fingerprint_diff(platci_buf *out, size_t *differences_out,
	const platci_plan_fingerprint *reviewed, const platci_plan_fingerprint *current, size_t max)
{
	size_t i = 0, j = 0, n = 0;

	PLATCI_ASSERT_ARG(out && differences_out && reviewed && current);
	*differences_out = 0;
	if (strcmp(reviewed->digest, current->digest) == 0)
		return 0;
	while (i < reviewed->count || j < current->count) {
		const fp_change *r = i < reviewed->count ? reviewed->items[i] : NULL;
		const fp_change *c = j < current->count ? current->items[j] : NULL;
		int cmp = !r ? 1 : !c ? -1 : strcmp(r->address, c->address);
		if (cmp < 0) {
			line(out, &n, max, r->address, r->action, " no longer planned", "");
			i++;
		} else if (cmp > 0) {
			/* a partial note does not list every reviewed change */
			if (!platci_plan_fingerprint_partial(reviewed))
				line(out, &n, max, c->address, c->action, ", new since review", "");
			j++;
		} else {
			if (strcmp(r->action, c->action) != 0)
				line(out, &n, max, c->address, r->action, " -> ", c->action);
			else if (memcmp(r->digest, c->digest, sizeof(r->digest)) != 0)
				line(out, &n, max, c->address, c->action,
					" with other values than "
					"reviewed",
					"");
			i++;
			j++;
		}
	}
	if (!n) {
		/* the digests differ although the listed changes agree: a cut note */
		n = 1;
		platci_buf_printf(out,
			"- the plan's digest %s is not the reviewed %s (the review "
			"listed %zu of its %zu changes)\n",
			current->digest, reviewed->digest, reviewed->count, reviewed->declared);
	} else if (n > max) {
		platci_buf_printf(out, "- and %zu more\n", n - max);
	}
	*differences_out = n;
	return out->error;
}
