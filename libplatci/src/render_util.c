/*
 * Helpers of the render: a worker pool for child processes, YAML nodes
 * written as JSON (which kustomize and helm read as YAML),
 * and removing a staging tree.
 */
#include <stdarg.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluxmodel_int.h"
#include "util/common.h"
#include "util/banned.h"

int platci_render__fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

typedef struct pool {
	render_job *jobs;
	size_t count, next;
	pthread_mutex_t lock;
} pool;

static void *worker(void *arg)
{
	pool *p = arg;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->count)
			return NULL;
		platci_render__run_job(&p->jobs[i]);
	}
}

void platci_render__pool(render_job *jobs, size_t count, unsigned int workers)
{
	pthread_t threads[64];
	pool p = { jobs, count, 0, PTHREAD_MUTEX_INITIALIZER };
	size_t started = 0;

	if (workers > 64)
		workers = 64;
	if (workers > count)
		workers = (unsigned int)count;
	for (size_t i = 0; i + 1 < workers; i++)
		if (pthread_create(&threads[started], NULL, worker, &p) == 0)
			started++;
	worker(&p); /* this thread works too, so a failed pthread_create only costs speed */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

static void json_string(platci_buf *out, const char *s, size_t len)
{
	platci_buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			platci_buf_printf(out, "\\%c", c);
		else if (c == '\n')
			platci_buf_puts(out, "\\n");
		else if (c == '\t')
			platci_buf_puts(out, "\\t");
		else if (c == '\r')
			platci_buf_puts(out, "\\r");
		else if (c < 0x20)
			platci_buf_printf(out, "\\u%04x", c);
		else
			platci_buf_putc(out, (char)c);
	}
	platci_buf_putc(out, '"');
}

/* A plain YAML 1.2 core number. */
static int is_number(const char *s)
{
	char *end = NULL;

	if (!*s || (s[0] == '0' && s[1] && s[1] != '.' && s[1] != 'e' && s[1] != 'E'))
		return 0;
	strtod(s, &end);
	return end && !*end && strpbrk(s, "0123456789") && !strpbrk(s, "xXnN");
}

/*
 * Writes @p n as JSON. @p typed: plain scalars become null, booleans and
 * numbers as YAML 1.2's core schema reads them (Helm values); otherwise
 * only booleans are typed (Flux spec fields are strings or booleans).
 */
int platci_render__emit_json(platci_buf *out, const platci_node *n, int typed)
{
	size_t len = 0;
	const char *s;

	switch (n ? platci_node_type_of(n) : PLATCI_NODE_SCALAR) {
	case PLATCI_NODE_MAPPING:
		platci_buf_putc(out, '{');
		for (size_t i = 0; i < platci_node_count(n); i++) {
			const char *k = platci_node_scalar(platci_node_key_at(n, i), &len);
			if (i)
				platci_buf_putc(out, ',');
			json_string(out, k ? k : "", k ? len : 0);
			platci_buf_putc(out, ':');
			platci_render__emit_json(out, platci_node_value_at(n, i), typed);
		}
		return platci_buf_putc(out, '}');
	case PLATCI_NODE_SEQUENCE:
		platci_buf_putc(out, '[');
		for (size_t i = 0; i < platci_node_count(n); i++) {
			if (i)
				platci_buf_putc(out, ',');
			platci_render__emit_json(out, platci_node_item_at(n, i), typed);
		}
		return platci_buf_putc(out, ']');
	default:
		break;
	}
	if (!n)
		return platci_buf_puts(out, "null");
	s = platci_node_scalar(n, &len);
	if (platci_node_style_of(n) == PLATCI_STYLE_PLAIN && !platci_node_tag(n)) {
		if (platci_node_is_null(n))
			return platci_buf_puts(out, "null");
		if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "True") ||
			!strcmp(s, "False") || !strcmp(s, "TRUE") || !strcmp(s, "FALSE")) {
			return platci_buf_puts(out, s[0] == 't' || s[0] == 'T' ? "true" : "false");
		}
		if (typed && is_number(s))
			return platci_buf_puts(out, s);
	}
	json_string(out, s ? s : "", s ? len : 0);
	return out->error;
}
