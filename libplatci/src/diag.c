#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/buf.h"
#include "platci/diag.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_diag {
	platci_diag_entry *items;
	size_t count;
	size_t alloc;
	size_t errors;
	platci_arena strings;
};

int platci_diag_new(platci_diag **out)
{
	platci_diag *d = calloc(1, sizeof(*d));

	*out = d;
	if (!d)
		return PLATCI_ENOMEM;
	platci_arena_init(&d->strings, 8192);
	return 0;
}

void platci_diag_free(platci_diag *diag)
{
	if (!diag)
		return;
	free(diag->items);
	platci_arena_dispose(&diag->strings);
	free(diag);
}

size_t platci_diag_count(const platci_diag *diag)
{
	return diag ? diag->count : 0;
}

size_t platci_diag_error_count(const platci_diag *diag)
{
	return diag ? diag->errors : 0;
}

const platci_diag_entry *platci_diag_at(const platci_diag *diag, size_t i)
{
	return diag && i < diag->count ? &diag->items[i] : NULL;
}

static const char *diag_copy(platci_diag *d, const char *s, int *failed)
{
	char *c;

	if (!s)
		return NULL;
	c = platci_arena_strdup(&d->strings, s);
	if (!c)
		*failed = 1;
	return c;
}

static int diag_vadd(platci_diag *diag, const platci_diag_entry *entry, const char *fmt, va_list ap)
	PLATCI_PRINTF(3, 0);

static int diag_vadd(platci_diag *diag, const platci_diag_entry *entry, const char *fmt, va_list ap)
{
	platci_buf msg = PLATCI_BUF_INIT;
	platci_diag_entry e;
	int failed = 0, error = 0;

	if (!diag)
		return 0;
	/* One line per diagnostic, however long the input that caused it. */
	platci_buf_init(&msg, 4096);
	platci_buf_vprintf(&msg, fmt, ap);
	if (msg.error == PLATCI_ELIMIT) {
		msg.error = 0;
		platci_buf_truncate(&msg, 4000);
		platci_buf_puts(&msg, "...");
	}
	if (msg.error) {
		error = msg.error;
		goto done;
	}
	for (size_t i = 0; i < msg.size; i++)
		if (msg.ptr[i] == '\n' || msg.ptr[i] == '\r')
			msg.ptr[i] = ' ';

	if ((error = platci__grow_array((void **)&diag->items, &diag->alloc, diag->count + 1,
		     sizeof(*diag->items))) < 0)
		goto done;
	e = *entry;
	e.source = diag_copy(diag, entry->source, &failed);
	e.path = diag_copy(diag, entry->path, &failed);
	e.message = diag_copy(diag, msg.ptr, &failed);
	if (failed) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	diag->items[diag->count++] = e;
	if (e.level == PLATCI_DIAG_ERROR)
		diag->errors++;
done:
	platci_buf_dispose(&msg);
	return error;
}

int platci_diag_add(platci_diag *diag, const platci_diag_entry *entry, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = diag_vadd(diag, entry, fmt, ap);
	va_end(ap);
	return error;
}

int platci_diag_verror(platci_diag *diag, int code, const char *source, size_t line, size_t column,
	size_t offset, const char *fmt, va_list ap)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, source, line, column, offset, NULL, NULL };

	return diag_vadd(diag, &e, fmt, ap) < 0 ? PLATCI_ENOMEM : code;
}

int platci_diag_error(platci_diag *diag, int code, const char *source, size_t line, size_t column,
	size_t offset, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = platci_diag_verror(diag, code, source, line, column, offset, fmt, ap);
	va_end(ap);
	return error;
}

size_t platci_diag_format(char *out, size_t size, const platci_diag_entry *e)
{
	static const char *levels[] = { "error", "warning", "note" };
	const char *level = (unsigned)e->level < 3 ? levels[e->level] : "error";
	char where[512] = "";
	int n;

	if (e->source && e->line && e->column)
		snprintf(where, sizeof(where), "%s:%zu:%zu: ", e->source, e->line, e->column);
	else if (e->source && e->line)
		snprintf(where, sizeof(where), "%s:%zu: ", e->source, e->line);
	else if (e->source)
		snprintf(where, sizeof(where), "%s: ", e->source);
	n = snprintf(out, size, "%s%s: %s%s%s%s", where, level, e->message, e->path ? " (at " : "",
		e->path ? e->path : "", e->path ? ")" : "");
	return n < 0 ? 0 : (size_t)n;
}
