#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "platci/query.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_query {
	platci_arena arena;
	platci_query_step *steps;
	size_t count;
};

static int syntax(platci_diag *diag, const char *expr, size_t col, const char *what)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ESYNTAX, "query", 1, col + 1, col, NULL, NULL };
	platci_diag_add(diag, &e, "%s in path \"%s\"", what, expr);
	return PLATCI_ESYNTAX;
}

static int add_step(platci_query *q, size_t *alloc, platci_query_step st)
{
	if (platci__grow_array((void **)&q->steps, alloc, q->count + 1, sizeof(*q->steps)) < 0)
		return PLATCI_ENOMEM;
	q->steps[q->count++] = st;
	return 0;
}

static int parse_bracket(platci_query *q, size_t *alloc, const char *expr, const char **pp, platci_diag *diag)
{
	const char *p = *pp + 1;
	platci_query_step st = { PLATCI_QUERY_ANY, NULL, 0 };

	if (*p == '*' && p[1] == ']') {
		p += 2;
	} else if (*p == '"' || *p == '\'') {
		char quote = *p++;
		const char *start = p;
		while (*p && *p != quote)
			p++;
		if (*p != quote || p[1] != ']')
			return syntax(diag, expr, (size_t)(p - expr), "unterminated quoted key");
		st.kind = PLATCI_QUERY_KEY;
		st.key = platci_arena_strndup(&q->arena, start, (size_t)(p - start));
		if (!st.key)
			return PLATCI_ENOMEM;
		p += 2;
	} else if (*p >= '0' && *p <= '9') {
		size_t n = 0;
		while (*p >= '0' && *p <= '9') {
			if (n > (SIZE_MAX - 9) / 10)
				return syntax(diag, expr, (size_t)(p - expr), "index too large");
			n = n * 10 + (size_t)(*p++ - '0');
		}
		if (*p != ']')
			return syntax(diag, expr, (size_t)(p - expr), "expected ']'");
		st.kind = PLATCI_QUERY_INDEX;
		st.index = n;
		p++;
	} else {
		return syntax(diag, expr, (size_t)(p - expr), "expected a number, '*' or a quoted key");
	}
	*pp = p;
	return add_step(q, alloc, st);
}

int platci_query_compile(platci_query **out, const char *expr, platci_diag *diag)
{
	platci_query *q = calloc(1, sizeof(*q));
	const char *p = expr;
	size_t alloc = 0;
	int error = 0;

	*out = NULL;
	if (!q)
		return PLATCI_ENOMEM;
	platci_arena_init(&q->arena, 1024);
	while (*p) {
		if (*p == '[') {
			if ((error = parse_bracket(q, &alloc, expr, &p, diag)) < 0)
				goto done;
		} else {
			const char *start;
			platci_query_step st = { PLATCI_QUERY_KEY, NULL, 0 };

			if (*p == '.') {
				if (p == expr || p[1] == '\0' || p[1] == '.' || p[1] == '[') {
					error = syntax(diag, expr, (size_t)(p - expr), "empty key");
					goto done;
				}
				p++;
			} else if (p != expr) {
				error = syntax(diag, expr, (size_t)(p - expr), "expected '.' or '['");
				goto done;
			}
			start = p;
			while (*p && *p != '.' && *p != '[') {
				if (*p == ']') {
					error = syntax(diag, expr, (size_t)(p - expr), "unexpected ']'");
					goto done;
				}
				p++;
			}
			if (p - start == 1 && *start == '*') {
				st.kind = PLATCI_QUERY_ANY;
			} else {
				st.key = platci_arena_strndup(&q->arena, start, (size_t)(p - start));
				PLATCI_CHECK_ALLOC(st.key);
			}
			if ((error = add_step(q, &alloc, st)) < 0)
				goto done;
		}
	}
done:
	if (error < 0) {
		platci_query_free(q);
		return error;
	}
	*out = q;
	return 0;
}

void platci_query_free(platci_query *q)
{
	if (!q)
		return;
	platci_arena_dispose(&q->arena);
	free(q->steps);
	free(q);
}

size_t platci_query_step_count(const platci_query *q)
{
	return q ? q->count : 0;
}

const platci_query_step *platci_query_step_at(const platci_query *q, size_t i)
{
	return q && i < q->count ? &q->steps[i] : NULL;
}

typedef struct node_walk {
	const platci_query *q;
	platci_query_node_cb cb;
	void *payload;
	size_t visited;
	int stop;
} node_walk;

static void walk_node(node_walk *w, const platci_node *n, size_t step)
{
	const platci_query_step *st;

	if (w->stop || !n)
		return;
	if (step == w->q->count) {
		w->visited++;
		if (w->cb && w->cb(n, w->payload))
			w->stop = 1;
		return;
	}
	st = &w->q->steps[step];
	switch (st->kind) {
	case PLATCI_QUERY_KEY:
		walk_node(w, platci_node_get(n, st->key), step + 1);
		break;
	case PLATCI_QUERY_INDEX:
		walk_node(w, platci_node_item_at(n, st->index), step + 1);
		break;
	case PLATCI_QUERY_ANY:
		if (n->type == PLATCI_NODE_SEQUENCE)
			for (size_t i = 0; i < n->len && !w->stop; i++)
				walk_node(w, n->items[i], step + 1);
		else if (n->type == PLATCI_NODE_MAPPING)
			for (size_t i = 0; i < n->len && !w->stop; i++)
				walk_node(w, n->items[2 * i + 1], step + 1);
		break;
	}
}

size_t platci_query_nodes(const platci_query *q, const platci_node *root, platci_query_node_cb cb,
	void *payload)
{
	node_walk w = { q, cb, payload, 0, 0 };

	if (q)
		walk_node(&w, root, 0);
	return w.visited;
}

static int first_node_cb(const platci_node *node, void *payload)
{
	*(const platci_node **)payload = node;
	return 1;
}

const platci_node *platci_query_first_node(const platci_query *q, const platci_node *root)
{
	const platci_node *found = NULL;
	platci_query_nodes(q, root, first_node_cb, &found);
	return found;
}

typedef struct json_walk {
	const platci_query *q;
	platci_query_json_cb cb;
	void *payload;
	size_t visited;
	int stop;
} json_walk;

static void walk_json(json_walk *w, json_t *v, size_t step)
{
	const platci_query_step *st;

	if (w->stop || !v)
		return;
	if (step == w->q->count) {
		w->visited++;
		if (w->cb && w->cb(v, w->payload))
			w->stop = 1;
		return;
	}
	st = &w->q->steps[step];
	switch (st->kind) {
	case PLATCI_QUERY_KEY:
		walk_json(w, json_object_get(v, st->key), step + 1);
		break;
	case PLATCI_QUERY_INDEX:
		walk_json(w, json_array_get(v, st->index), step + 1);
		break;
	case PLATCI_QUERY_ANY:
		if (json_is_array(v)) {
			size_t i;
			json_t *item;
			json_array_foreach (v, i, item) {
				walk_json(w, item, step + 1);
				if (w->stop)
					break;
			}
		} else if (json_is_object(v)) {
			const char *k;
			json_t *item;
			json_object_foreach (v, k, item) {
				walk_json(w, item, step + 1);
				if (w->stop)
					break;
			}
		}
		break;
	}
}

size_t platci_query_json(const platci_query *q, json_t *root, platci_query_json_cb cb, void *payload)
{
	json_walk w = { q, cb, payload, 0, 0 };

	if (q)
		walk_json(&w, root, 0);
	return w.visited;
}

static int first_json_cb(json_t *value, void *payload)
{
	*(json_t **)payload = value;
	return 1;
}

json_t *platci_query_first_json(const platci_query *q, json_t *root)
{
	json_t *found = NULL;
	platci_query_json(q, root, first_json_cb, &found);
	return found;
}
