/*
 * JSON into the document model, through yajl. OpenAPI documents and the
 * JSON Schema test suite are JSON; libyaml reads most JSON but not all
 * (it refuses \u surrogate pairs) and is several times slower than yajl
 * on multi-megabyte documents. The nodes look exactly as if the JSON had
 * been read as YAML: strings are double-quoted scalars, numbers, true,
 * false and null are plain scalars with their source text, containers
 * are flow collections, and every node keeps its position.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "doc.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

#define DEFAULT_MAX_FILE (64u * 1024 * 1024)
#define DEFAULT_MAX_DEPTH 256
#define DEFAULT_MAX_NODES 4000000

typedef struct jopen {
	platci_node *node;
	size_t first_child;
} jopen;

typedef struct jloader {
	platci_doc *doc;
	yajl_handle yajl;
	platci_diag *diag;
	size_t max_depth, max_nodes;
	int error;
	int dup_keys_ok;
	/* Incremental offset -> line/column: positions only move forward. */
	size_t cur_off, cur_line;
	size_t line_start; /* byte offset where the current line starts */
	size_t col_off, cur_col; /* non-ASCII input: characters counted up to col_off */
	int ascii;
	size_t token_from; /* where the previous token ended */
	size_t base; /* bytes before what yajl reads (a byte-order mark) */
	jopen *stack;
	size_t depth, stack_alloc;
	platci_node **children;
	size_t nchildren, children_alloc;
	platci_node *root;
} jloader;

static platci_pos pos_at(jloader *ld, size_t off)
{
	const char *s = ld->doc->source, *nl;
	size_t at = ld->cur_off;
	platci_pos p;

	/* Jump newline to newline; columns from the line's start. */
	if (off > at) {
		while ((nl = memchr(s + at, '\n', off - at)) != NULL) {
			ld->cur_line++;
			at = (size_t)(nl - s) + 1;
			ld->line_start = at;
			ld->col_off = at;
			ld->cur_col = 1;
		}
		ld->cur_off = off;
	}
	p.line = ld->cur_line;
	p.offset = off;
	if (ld->ascii) {
		p.column = off - ld->line_start + 1;
		return p;
	}
	{
		size_t col = ld->cur_col, i = ld->col_off;
		for (; i < off; i++)
			col += ((unsigned char)s[i] & 0xC0) != 0x80;
		ld->col_off = i;
		p.column = ld->cur_col = col;
	}
	return p;
}

static void fail(jloader *ld, int code, platci_pos pos, const char *msg)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, ld->doc->name, pos.line, pos.column,
		pos.offset, NULL, NULL };

	if (ld->error)
		return;
	ld->error = code;
	platci_diag_add(ld->diag, &e, "%s", msg);
}

/* Start of the token yajl just read: the first byte after the previous
 * token that is not whitespace or a separator. */
static size_t token_start(jloader *ld)
{
	const char *s = ld->doc->source;
	size_t i = ld->token_from, end = ld->base + yajl_get_bytes_consumed(ld->yajl);

	while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
				  s[i] == ',' || s[i] == ':'))
		i++;
	return i;
}

static platci_node *new_node(jloader *ld, platci_node_type type, platci_node_style style)
{
	platci_node *n;
	size_t start = token_start(ld);

	if (++ld->doc->nodes > ld->max_nodes) {
		char msg[96];
		snprintf(msg, sizeof(msg), "document has more than %zu nodes", ld->max_nodes);
		fail(ld, PLATCI_ELIMIT, pos_at(ld, start), msg);
		return NULL;
	}
	if (!(n = platci_arena_zalloc(&ld->doc->arena, sizeof(*n)))) {
		ld->error = PLATCI_ENOMEM;
		return NULL;
	}
	n->type = (unsigned char)type;
	n->style = (unsigned char)style;
	n->start = pos_at(ld, start);
	n->weight = 1;
	return n;
}

static int add_child(jloader *ld, platci_node *n)
{
	if (ld->depth == 0) {
		ld->root = n;
		return 1;
	}
	if (platci__grow_array((void **)&ld->children, &ld->children_alloc, ld->nchildren + 1,
		    sizeof(*ld->children)) < 0) {
		ld->error = PLATCI_ENOMEM;
		return 0;
	}
	ld->children[ld->nchildren++] = n;
	return 1;
}

static int scalar(jloader *ld, const char *v, size_t len, platci_node_style style)
{
	platci_node *n = new_node(ld, PLATCI_NODE_SCALAR, style);

	if (!n)
		return 0;
	ld->token_from = ld->base + yajl_get_bytes_consumed(ld->yajl);
	n->end = pos_at(ld, ld->token_from);
	n->value = platci_arena_strndup(&ld->doc->arena, v, len);
	n->len = len;
	if (!n->value) {
		ld->error = PLATCI_ENOMEM;
		return 0;
	}
	return add_child(ld, n);
}

static int cb_null(void *ctx)
{
	return scalar(ctx, "null", 4, PLATCI_STYLE_PLAIN);
}

static int cb_boolean(void *ctx, int b)
{
	return scalar(ctx, b ? "true" : "false", b ? 4 : 5, PLATCI_STYLE_PLAIN);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	return scalar(ctx, s, len, PLATCI_STYLE_PLAIN);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, (const char *)s, len, PLATCI_STYLE_DOUBLE_QUOTED);
}

static int open_container(jloader *ld, platci_node_type type)
{
	platci_node *n;

	if (ld->depth >= ld->max_depth) {
		char msg[96];
		snprintf(msg, sizeof(msg), "nesting deeper than %zu levels", ld->max_depth);
		fail(ld, PLATCI_ELIMIT, pos_at(ld, token_start(ld)), msg);
		return 0;
	}
	if (!(n = new_node(ld, type, PLATCI_STYLE_FLOW)))
		return 0;
	ld->token_from = ld->base + yajl_get_bytes_consumed(ld->yajl);
	if (platci__grow_array((void **)&ld->stack, &ld->stack_alloc, ld->depth + 1,
		    sizeof(*ld->stack)) < 0) {
		ld->error = PLATCI_ENOMEM;
		return 0;
	}
	ld->stack[ld->depth].node = n;
	ld->stack[ld->depth].first_child = ld->nchildren;
	ld->depth++;
	return 1;
}

static int cb_start_map(void *ctx)
{
	return open_container(ctx, PLATCI_NODE_MAPPING);
}

static int cb_start_array(void *ctx)
{
	return open_container(ctx, PLATCI_NODE_SEQUENCE);
}

/* RFC 8259 leaves duplicate names to the reader; Kubernetes rejects them,
 * and the YAML loader does too, so they are an error here as well. */
static int check_duplicates(jloader *ld, platci_node **items, size_t pairs)
{
	size_t n = 16, *table;

	if (ld->dup_keys_ok || pairs < 2)
		return 1;
	while (n < pairs * 2)
		n *= 2;
	if (!(table = calloc(n, sizeof(*table)))) {
		ld->error = PLATCI_ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < pairs && !ld->error; i++) {
		const platci_node *k = items[2 * i];
		size_t h = (size_t)platci__strhash(k->value, k->len), slot;

		for (slot = h & (n - 1); table[slot]; slot = (slot + 1) & (n - 1)) {
			const platci_node *o = items[2 * (table[slot] - 1)];
			if (o->len == k->len && memcmp(o->value, k->value, k->len) == 0) {
				char msg[300];
				snprintf(msg, sizeof(msg),
					"duplicate key \"%.200s\" (first defined at line %zu)",
					k->value, o->start.line);
				fail(ld, PLATCI_ESYNTAX, k->start, msg);
				break;
			}
		}
		if (!table[slot])
			table[slot] = i + 1;
	}
	free(table);
	return !ld->error;
}

static int cb_end(void *ctx)
{
	jloader *ld = ctx;
	jopen *top = &ld->stack[--ld->depth];
	platci_node *n = top->node;
	size_t count = ld->nchildren - top->first_child, weight = 1;

	ld->token_from = ld->base + yajl_get_bytes_consumed(ld->yajl);
	n->end = pos_at(ld, ld->token_from);
	if (count) {
		if (!(n->items = platci_arena_alloc(&ld->doc->arena, count * sizeof(*n->items)))) {
			ld->error = PLATCI_ENOMEM;
			return 0;
		}
		memcpy(n->items, ld->children + top->first_child, count * sizeof(*n->items));
	}
	for (size_t i = 0; i < count; i++)
		weight += n->items[i]->weight;
	n->weight = weight;
	n->len = n->type == PLATCI_NODE_MAPPING ? count / 2 : count;
	ld->nchildren = top->first_child;
	if (n->type == PLATCI_NODE_MAPPING && !check_duplicates(ld, n->items, n->len))
		return 0;
	return add_child(ld, n);
}

static const yajl_callbacks callbacks = { cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_string, cb_end, cb_start_array, cb_end };

/* Eight bytes at a time: the common case is a large all-ASCII document. */
static int is_ascii(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t acc = 0, w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

static void syntax_error(jloader *ld, const char *data, size_t len)
{
	unsigned char *msg = yajl_get_error(ld->yajl, 0, (const unsigned char *)data, len);
	size_t at = yajl_get_bytes_consumed(ld->yajl);
	char text[300];

	if (at > len)
		at = len;
	snprintf(text, sizeof(text), "invalid JSON: %s", msg ? (const char *)msg : "syntax error");
	/* yajl ends its messages with a newline; a diagnostic is one line. */
	text[strcspn(text, "\r\n")] = '\0';
	fail(ld, PLATCI_ESYNTAX, pos_at(ld, ld->base + at), text);
	if (msg)
		yajl_free_error(ld->yajl, msg);
}

static int parse(jloader *ld)
{
	const char *data = ld->doc->source;
	size_t len = ld->doc->source_len;
	yajl_status st;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		ld->base = 3;
	ld->cur_off = ld->token_from = ld->col_off = ld->line_start = ld->base;
	ld->cur_line = ld->cur_col = 1;
	ld->ascii = is_ascii(data, len);
	if (!(ld->yajl = yajl_alloc(&callbacks, NULL, ld)))
		return PLATCI_ENOMEM;
	st = yajl_parse(ld->yajl, (const unsigned char *)data + ld->base, len - ld->base);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(ld->yajl);
	if (st != yajl_status_ok && !ld->error)
		syntax_error(ld, data + ld->base, len - ld->base);
	yajl_free(ld->yajl);
	return ld->error;
}

static int load(platci_doc *doc, const platci_doc_options *opts, platci_diag *diag)
{
	jloader ld;
	int error;

	memset(&ld, 0, sizeof(ld));
	ld.doc = doc;
	ld.diag = diag;
	ld.max_depth = opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
	ld.max_nodes = opts->max_nodes ? opts->max_nodes : DEFAULT_MAX_NODES;
	ld.dup_keys_ok = opts->allow_duplicate_keys;
	error = parse(&ld);
	if (!error && ld.root) {
		if (!(doc->roots = platci_arena_alloc(&doc->arena, sizeof(*doc->roots))))
			error = PLATCI_ENOMEM;
		else
			doc->roots[doc->count++] = ld.root;
	}
	free(ld.stack);
	free(ld.children);
	return error;
}

static int load_owned(platci_doc **out, const char *name, char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag)
{
	platci_doc_options defaults = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *doc = NULL;
	int error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_DOC_OPTIONS_VERSION) {
		free(data);
		return PLATCI_EINVALID;
	}
	if (!(doc = calloc(1, sizeof(*doc)))) {
		free(data);
		return PLATCI_ENOMEM;
	}
	platci_arena_init(&doc->arena, 64 * 1024);
	doc->source = data;
	doc->source_len = len;
	PLATCI_CHECK_ALLOC(doc->name = platci__strdup(name ? name : "<buffer>"));
	error = load(doc, opts, diag);
done:
	if (error < 0) {
		platci_doc_free(doc);
		return error;
	}
	*out = doc;
	return 0;
}

int platci_doc_load_json_file(platci_doc **out, const char *path, const platci_doc_options *opts,
	platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	char *bytes;
	size_t len;
	int error;

	*out = NULL;
	if ((error = platci_fs_read(&data, path, max, diag)) < 0) {
		platci_buf_dispose(&data);
		return error;
	}
	len = data.size;
	if (!(bytes = platci_buf_detach(&data)))
		return PLATCI_ENOMEM;
	return load_owned(out, path, bytes, len, opts, diag);
}

int platci_doc_load_json_buffer(platci_doc **out, const char *name, const char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag)
{
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	char *copy;

	*out = NULL;
	if (len > max) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, name, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "input is %zu bytes, over the limit of %zu bytes", len, max);
		return PLATCI_ELIMIT;
	}
	if (!(copy = platci__strndup(data, len)))
		return PLATCI_ENOMEM;
	return load_owned(out, name, copy, len, opts, diag);
}
