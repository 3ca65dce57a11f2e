#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "platci/errors.h"
#include "banned.h"

void platci__jsonw_init(platci_jsonw *w, platci_buf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void newline(platci_jsonw *w, size_t depth)
{
	static const char spaces[] = "                                                                ";

	platci_buf_putc(w->out, '\n');
	for (size_t n = 2 * depth; n;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		platci_buf_put(w->out, spaces, k);
		n -= k;
	}
}

/* Before a value: the separator, unless a key just placed it. */
static void before_value(platci_jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (!w->depth)
		return;
	if (!w->empty[w->depth - 1])
		platci_buf_putc(w->out, ',');
	w->empty[w->depth - 1] = 0;
	if (w->pretty)
		newline(w, w->depth);
}

void platci__jsonw_open(platci_jsonw *w, char c)
{
	before_value(w);
	platci_buf_putc(w->out, c);
	if (w->depth < PLATCI_JSONW_MAX_DEPTH)
		w->empty[w->depth] = 1;
	w->depth++;
}

void platci__jsonw_close(platci_jsonw *w, char c)
{
	int was_empty = w->depth <= PLATCI_JSONW_MAX_DEPTH ? w->empty[w->depth - 1] : 0;

	w->depth--;
	if (w->pretty && !was_empty)
		newline(w, w->depth);
	platci_buf_putc(w->out, c);
}

void platci__jsonw_key(platci_jsonw *w, const char *key)
{
	before_value(w);
	platci__json_quote(w->out, key, strlen(key));
	platci_buf_puts(w->out, w->pretty ? ": " : ":");
	w->after_key = 1;
}

void platci__json_quote(platci_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F */
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	platci_buf_putc(out, '"');
	while (p < end) {
		const unsigned char *run = p;
		/* eight bytes at a step while none needs escaping */
		while (end - p >= 8) {
			uint64_t x, ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
			uint64_t q, b;
			memcpy(&x, p, 8);
			q = x ^ (ones * '"');
			b = x ^ (ones * '\\');
			if (((q - ones) & ~q & highs) | ((b - ones) & ~b & highs) |
				((x - ones * 0x20) & ~x & highs))
				break;
			p += 8;
		}
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		platci_buf_put(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		switch (*p) {
		case '"':
			platci_buf_puts(out, "\\\"");
			break;
		case '\\':
			platci_buf_puts(out, "\\\\");
			break;
		case '\n':
			platci_buf_puts(out, "\\n");
			break;
		case '\t':
			platci_buf_puts(out, "\\t");
			break;
		case '\r':
			platci_buf_puts(out, "\\r");
			break;
		case '\b':
			platci_buf_puts(out, "\\b");
			break;
		case '\f':
			platci_buf_puts(out, "\\f");
			break;
		default: {
			char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
			platci_buf_puts(out, esc);
		}
		}
		p++;
	}
	platci_buf_putc(out, '"');
}

void platci__jsonw_strn(platci_jsonw *w, const char *s, size_t n)
{
	before_value(w);
	platci__json_quote(w->out, s, n);
}

void platci__jsonw_str(platci_jsonw *w, const char *s)
{
	if (!s) {
		platci__jsonw_null(w);
		return;
	}
	platci__jsonw_strn(w, s, strlen(s));
}

void platci__jsonw_int(platci_jsonw *w, long long v)
{
	before_value(w);
	platci_buf_printf(w->out, "%lld", v);
}

void platci__jsonw_bool(platci_jsonw *w, int v)
{
	before_value(w);
	platci_buf_puts(w->out, v ? "true" : "false");
}

void platci__jsonw_null(platci_jsonw *w)
{
	before_value(w);
	platci_buf_puts(w->out, "null");
}

void platci__jsonw_kstr(platci_jsonw *w, const char *key, const char *s)
{
	if (!s)
		return;
	platci__jsonw_key(w, key);
	platci__jsonw_str(w, s);
}

void platci__jsonw_kint(platci_jsonw *w, const char *key, long long v)
{
	platci__jsonw_key(w, key);
	platci__jsonw_int(w, v);
}

void platci__jsonw_kbool(platci_jsonw *w, const char *key, int v)
{
	platci__jsonw_key(w, key);
	platci__jsonw_bool(w, v);
}

int platci__jsonw_end(platci_jsonw *w)
{
	platci_buf_putc(w->out, '\n');
	return w->out->error;
}

int platci__json_dump(platci_buf *out, const json_t *v, size_t flags)
{
	char *text = json_dumps(v, flags);

	if (!text)
		return PLATCI_ENOMEM;
	platci_buf_puts(out, text);
	platci_buf_putc(out, '\n');
	free(text);
	return out->error;
}

int platci__jsonw_write_file(const char *path, int pretty, platci__jsonw_doc_cb doc,
	const void *payload, platci_diag *diag)
{
	platci_fs_file *f = NULL;
	platci_jsonw w;
	int error;

	if ((error = platci_fs_atomic_open(&f, path, diag)) < 0)
		return error;
	platci__jsonw_init(&w, platci_fs_atomic_buf(f), pretty);
	/* its error is the file's (a flush or the buffer): the commit reports it */
	(void)doc(&w, payload, f);
	return platci_fs_atomic_commit(f, diag);
}
