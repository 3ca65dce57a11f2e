/* The violation list: entries in an array, their strings in an arena. */
#include <stdio.h>
#include <string.h>

#include "schema_violation.h"
#include "util/common.h"
#include "util/banned.h"

int platci_schema_check_options_init(platci_schema_check_options *opts, unsigned int version)
{
	platci_schema_check_options init = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;

	if (version != PLATCI_SCHEMA_CHECK_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_schema_violations_new(platci_schema_violations **out)
{
	platci_schema_violations *v = calloc(1, sizeof(*v));

	*out = v;
	if (!v)
		return PLATCI_ENOMEM;
	platci_arena_init(&v->arena, 8 * 1024);
	return 0;
}

void platci_schema_violations_free(platci_schema_violations *list)
{
	if (!list)
		return;
	platci_arena_dispose(&list->arena);
	free(list->items);
	free(list);
}

void platci_schema_violations_clear(platci_schema_violations *list)
{
	if (!list)
		return;
	platci_arena_dispose(&list->arena);
	platci_arena_init(&list->arena, 8 * 1024);
	list->n = 0;
}

size_t platci_schema_violations_count(const platci_schema_violations *list)
{
	return list ? list->n : 0;
}

const platci_schema_violation *platci_schema_violations_at(const platci_schema_violations *list, size_t i)
{
	return list && i < list->n ? &list->items[i] : NULL;
}

int platci_schema__violation_add(platci_schema_violations *list, const platci_schema_violation *v)
{
	platci_schema_violation *e;

	if (platci__grow_array((void **)&list->items, &list->alloc, list->n + 1, sizeof(*list->items)) < 0)
		return PLATCI_ENOMEM;
	e = &list->items[list->n];
	*e = *v;
	e->source = v->source ? platci_arena_strdup(&list->arena, v->source) : NULL;
	e->path = platci_arena_strdup(&list->arena, v->path ? v->path : "");
	e->message = platci_arena_strdup(&list->arena, v->message ? v->message : "");
	if ((v->source && !e->source) || !e->path || !e->message)
		return PLATCI_ENOMEM;
	list->n++;
	return 0;
}

size_t platci_schema_violation_format(char *out, size_t size, const platci_schema_violation *v)
{
	int n;

	if (v->pos.line)
		n = snprintf(out, size, "%s:%zu:%zu: error: %s%s%s",
			v->source ? v->source : "<input>", v->pos.line, v->pos.column,
			*v->path ? v->path : "", *v->path ? ": " : "", v->message);
	else
		n = snprintf(out, size, "%s: error: %s%s%s", v->source ? v->source : "<input>",
			*v->path ? v->path : "", *v->path ? ": " : "", v->message);
	return n < 0 ? 0 : (size_t)n;
}

/* A key that needs no quoting in a dotted path. */
static int plain_key(const char *k, size_t len)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '_' || c == '-' || c == '$'))
			return 0;
	}
	return 1;
}

void platci_schema__path_format(platci_buf *out, const platci_schema_seg *segs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const platci_schema_seg *s = &segs[i];
		if (s->is_index) {
			platci_buf_printf(out, "[%zu]", s->index);
		} else if (plain_key(s->key, s->len)) {
			if (out->size)
				platci_buf_putc(out, '.');
			platci_buf_put(out, s->key, s->len);
		} else {
			platci_buf_puts(out, "[\"");
			for (size_t k = 0; k < s->len; k++) {
				unsigned char c = (unsigned char)s->key[k];
				if (c == '"' || c == '\\')
					platci_buf_printf(out, "\\%c", c);
				else if (c < 0x20)
					platci_buf_printf(out, "\\u%04x", c);
				else
					platci_buf_putc(out, (char)c);
			}
			platci_buf_puts(out, "\"]");
		}
	}
}
