/*
 * What arrives before the JSON parser: real plan files are messy. This
 * layer decides the encoding from the first bytes (UTF-8 with or without
 * a byte-order mark, UTF-16 with a mark transcoded, the rest refused),
 * blanks out a setup-terraform `[command]` line, refuses other leading
 * text, and after the document closes accepts only whitespace (or GitHub
 * workflow-command lines `::...`), so a JSON Lines log is not taken for
 * a plan.
 */
#include <stdio.h>
#include <string.h>

#include "tfplan_input.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

void platci_tfplan__input_init(tfplan_input *in, const char *name, int strict_wrapper)
{
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->strict_wrapper = strict_wrapper;
	in->line = 1;
	in->trail_line = 1;
}

static int in_fail(tfplan_input *in, platci_diag *diag, int code, size_t line, size_t col,
	const char *fmt, ...) PLATCI_PRINTF(6, 7);

static int in_fail(tfplan_input *in, platci_diag *diag, int code, size_t line, size_t col,
	const char *fmt, ...)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, in->name, line, col, 0, NULL, NULL };
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e.offset = in->consumed;
	platci_diag_add(diag, &e, "%s", msg);
	in->error = code;
	return code;
}

/* A short, printable excerpt of untrusted text for a message. */
static void excerpt(char *out, size_t size, const char *p, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 4 < size; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == '\n' || ch == '\r')
			break;
		out[j++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (j + 4 >= size || j == 30) {
		out[j++] = '.';
		out[j++] = '.';
		out[j++] = '.';
	}
	out[j] = '\0';
}

/* ---- UTF-16 -> UTF-8 ---------------------------------------------------------- */

static int utf16_decode(tfplan_input *in, const unsigned char *p, size_t n, platci_buf *out,
	platci_diag *diag)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long unit;

		in->u16[in->u16n++] = p[i];
		if (in->u16n < 2)
			continue;
		in->u16n = 0;
		unit = in->encoding == TFPLAN_UTF16LE
			       ? (unsigned long)in->u16[0] | ((unsigned long)in->u16[1] << 8)
			       : ((unsigned long)in->u16[0] << 8) | (unsigned long)in->u16[1];
		if (in->high) {
			if (unit < 0xDC00 || unit > 0xDFFF)
				return in_fail(in, diag, PLATCI_ESYNTAX, 0, 0,
					"invalid UTF-16: a lone high surrogate near byte %zu",
					in->consumed + i);
			if (platci__utf8_put(out,
				    0x10000 + ((in->high - 0xD800) << 10) + (unit - 0xDC00)) < 0)
				return out->error;
			in->high = 0;
		} else if (unit >= 0xD800 && unit <= 0xDBFF) {
			in->high = unit;
		} else if (unit >= 0xDC00 && unit <= 0xDFFF) {
			return in_fail(in, diag, PLATCI_ESYNTAX, 0, 0,
				"invalid UTF-16: a lone low surrogate near byte %zu", in->consumed + i);
		} else if (platci__utf8_put(out, unit) < 0) {
			return out->error;
		}
	}
	return 0;
}

/* ---- the text stage ------------------------------------------------------------ */

static int feed_json(tfplan_input *in, const char *p, size_t n, platci_diag *diag)
{
	int error;

	if (!n)
		return 0;
	in->json_fed_before = in->json_fed;
	in->cur = p;
	error = in->feed(in->payload, p, n, diag);
	in->json_fed += n;
	in->cur = NULL;
	return error;
}

/* After the document: whitespace and `::workflow-command` lines only. */
static int trailer(tfplan_input *in, const char *p, size_t n, platci_diag *diag)
{
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];

		if (in->trail_skip_line) {
			if (ch == '\n') {
				in->trail_skip_line = 0;
				in->trail_line++;
				in->trail_col = 0;
			}
			continue;
		}
		if (ch == '\n') {
			in->trail_line++;
			in->trail_col = 0;
			continue;
		}
		in->trail_col++;
		if (ch == ' ' || ch == '\t' || ch == '\r')
			continue;
		if (ch == ':' && i + 1 < n && p[i + 1] == ':' && in->trail_col == 1) {
			in->trail_skip_line = 1;
			in->warn_trailer = 1;
			continue;
		}
		{
			char ex[48];
			excerpt(ex, sizeof(ex), p + i, n - i < 30 ? n - i : 30);
			return in_fail(in, diag, PLATCI_ESYNTAX, in->trail_line, in->trail_col,
				"more data after the plan's JSON document: found \"%s\"; "
				"a JSON Lines log (terraform plan -json) is not a plan, use the "
				"output of terraform show -json PLANFILE",
				ex);
		}
	}
	return 0;
}

/* Before the document: whitespace, then '{'; a wrapper line is blanked. */
static int leading(tfplan_input *in, char *p, size_t n, size_t *start, platci_diag *diag)
{
	static const char marker[] = "[command]";

	for (size_t i = 0; i < n; i++) {
		char ch = p[i];

		if (in->blanking) {
			if (ch == '\n') {
				in->blanking = 0;
				in->line++;
				in->col = 0;
			} else {
				p[i] = ' ';
			}
			continue;
		}
		if (in->lead_len) {
			/* matching "[command]" across feeds */
			if (ch == marker[in->lead_len]) {
				p[i] = ' ';
				if (++in->lead_len == sizeof(marker) - 1) {
					in->lead_len = 0;
					if (in->strict_wrapper)
						return in_fail(in, diag, PLATCI_ESYNTAX, in->line, 1,
							"a wrapper's \"[command]\" line precedes the JSON "
							"(setup-terraform's terraform_wrapper); turn the wrapper off "
							"or strip the line");
					in->warn_wrapper = 1;
					in->blanking = 1;
				}
				continue;
			}
			return in_fail(in, diag, PLATCI_ESYNTAX, in->line, in->col,
				"expected the JSON of terraform show -json, found text starting "
				"with \"[\" that is not a JSON object");
		}
		if (ch == '\n') {
			in->line++;
			in->col = 0;
			continue;
		}
		in->col++;
		if (ch == ' ' || ch == '\t' || ch == '\r')
			continue;
		if (ch == '{') {
			in->started = 1;
			*start = 0;
			return 0;
		}
		if (ch == '[' && in->col == 1) {
			/* "[command]" or a JSON array: decide on the next bytes */
			p[i] = ' ';
			in->lead_len = 1;
			continue;
		}
		{
			char ex[48];
			const char *what = "text";

			excerpt(ex, sizeof(ex), p + i, n - i < 30 ? n - i : 30);
			if (ch == '"' || ch == '-' || (ch >= '0' && ch <= '9') || ch == 't' ||
				ch == 'f' || ch == 'n')
				what = "a JSON value or text";
			return in_fail(in, diag, PLATCI_ESYNTAX, in->line, in->col,
				"expected a JSON object (the output of terraform show -json PLANFILE), "
				"found %s: \"%s\"",
				what, ex);
		}
	}
	*start = n;
	return 0;
}

static int text_stage(tfplan_input *in, const char *p, size_t n, platci_diag *diag)
{
	int error;

	if (in->done)
		return trailer(in, p, n, diag);
	if (!in->started) {
		/* Wrapper lines are blanked in place: work on a copy, until the JSON starts. */
		size_t start = n;
		platci_buf_clear(&in->lead);
		if (platci_buf_put(&in->lead, p, n) < 0)
			return in->lead.error;
		if ((error = leading(in, in->lead.ptr, n, &start, diag)) < 0)
			return error;
		/* Blanked and leading bytes still go to the parser so that its
		 * lines and columns match the file. */
		p = in->lead.ptr;
	}
	error = feed_json(in, p, n, diag);
	if (error == TFPLAN_ROOT_DONE) {
		size_t used = in->root_end - in->json_fed_before;
		in->done = 1;
		in->trail_line = in->root_line;
		in->trail_col = in->root_col;
		return used < n ? trailer(in, p + used, n - used, diag) : 0;
	}
	return error;
}

/* ---- encoding sniffing ------------------------------------------------------------- */

static int decide_encoding(tfplan_input *in, platci_diag *diag, int final)
{
	const unsigned char *b = in->head;
	size_t n = in->headn;

	if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
		return in_fail(in, diag, PLATCI_ESYNTAX, 1, 1,
			"the file is UTF-32 (little-endian byte-order mark); save the plan JSON as UTF-8");
	if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
		return in_fail(in, diag, PLATCI_ESYNTAX, 1, 1,
			"the file is UTF-32 (big-endian byte-order mark); save the plan JSON as UTF-8");
	if (n < 4 && !final)
		return 0; /* need more bytes */
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		in->encoding = TFPLAN_UTF8;
		in->bom = 3;
		in->warn_bom = 1;
	} else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		in->encoding = TFPLAN_UTF16LE;
		in->bom = 2;
		in->warn_utf16 = 1;
	} else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		in->encoding = TFPLAN_UTF16BE;
		in->bom = 2;
		in->warn_utf16 = 1;
	} else if (n >= 2 && ((b[0] == 0 && b[1] != 0) || (b[0] != 0 && b[1] == 0))) {
		return in_fail(in, diag, PLATCI_ESYNTAX, 1, 1,
			"the file looks like UTF-16 without a byte-order mark (NUL bytes between "
			"characters); save the plan JSON as UTF-8");
	} else {
		in->encoding = TFPLAN_UTF8;
	}
	in->decided = 1;
	return 0;
}

static int decoded(tfplan_input *in, const unsigned char *p, size_t n, platci_diag *diag)
{
	int error;

	if (!n)
		return 0;
	if (in->encoding == TFPLAN_UTF8)
		return text_stage(in, (const char *)p, n, diag);
	platci_buf_clear(&in->scratch);
	if ((error = utf16_decode(in, p, n, &in->scratch, diag)) < 0)
		return error;
	if (!in->scratch.size)
		return 0;
	return text_stage(in, in->scratch.ptr, in->scratch.size, diag);
}

int platci_tfplan__input_feed(tfplan_input *in, const void *data, size_t len, platci_diag *diag)
{
	const unsigned char *p = data;
	int error = 0;

	if (in->error)
		return in->error;
	if (!in->decided) {
		while (len && in->headn < sizeof(in->head)) {
			in->head[in->headn++] = *p++;
			len--;
		}
		if ((error = decide_encoding(in, diag, 0)) < 0)
			return error;
		if (!in->decided)
			return 0;
		/* Decode the sniffed bytes with the rest of this block, so that
		 * messages quoting the start of the file see more than 4 bytes. */
		{
			platci_buf joined = PLATCI_BUF_INIT;
			platci_buf_put(&joined, in->head + in->bom, in->headn - in->bom);
			platci_buf_put(&joined, p, len);
			error = joined.error ? joined.error
					     : decoded(in, (const unsigned char *)joined.ptr,
						       joined.size, diag);
			platci_buf_dispose(&joined);
		}
		in->consumed += in->headn + len;
		goto done;
	}
	error = decoded(in, p, len, diag);
	in->consumed += len;
done:
	if (error < 0 && !in->error)
		in->error = error;
	return error;
}

int platci_tfplan__input_finish(tfplan_input *in, platci_diag *diag)
{
	int error;

	if (in->error)
		return in->error;
	if (!in->decided) {
		if (in->headn == 0)
			return in_fail(in, diag, PLATCI_ESYNTAX, 0, 0,
				"the file is empty (0 bytes): terraform show -json wrote nothing");
		if ((error = decide_encoding(in, diag, 1)) < 0)
			return error;
		if ((error = decoded(in, in->head + in->bom, in->headn - in->bom, diag)) < 0)
			return error;
	}
	if (in->encoding != TFPLAN_UTF8 && (in->u16n || in->high))
		return in_fail(in, diag, PLATCI_ESYNTAX, 0, 0,
			"invalid UTF-16: the file ends in the middle of a character (truncated?)");
	if (!in->started && !in->lead_len)
		return in_fail(in, diag, PLATCI_ESYNTAX, in->line, 0, "no JSON in the file: only %s",
			in->warn_wrapper ? "a wrapper's [command] line and whitespace" : "whitespace");
	if (in->lead_len && !in->started)
		return in_fail(in, diag, PLATCI_ESYNTAX, in->line, 1,
			"expected a JSON object, found \"[\" and the end of the file");
	return 0;
}

void platci_tfplan__input_dispose(tfplan_input *in)
{
	platci_buf_dispose(&in->scratch);
	platci_buf_dispose(&in->lead);
}
