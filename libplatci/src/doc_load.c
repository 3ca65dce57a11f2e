/*
 * YAML loading: libyaml events -> nodes in an arena, with positions,
 * limits, duplicate-key detection and bounded alias expansion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "doc.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

#define DEFAULT_MAX_FILE (64u * 1024 * 1024)
#define DEFAULT_MAX_DEPTH 256
#define DEFAULT_MAX_NODES 4000000
#define DEFAULT_MAX_ALIAS 1000000
#define CHECKPOINT_EVERY 4096

typedef struct open_node {
	platci_node *node;
	size_t first_child; /* index into loader.children */
	const char *anchor; /* registered when the node closes */
} open_node;

typedef struct loader {
	platci_doc *doc;
	const platci_doc_options *opts;
	platci_diag *diag;
	int error; /* first error; loading goes on for duplicate keys only */
	int dup_found;
	int last_fatal; /* a problem that stops loading (anything but a duplicate key) */

	/* Converts libyaml's character index to a byte offset (non-ASCII input). */
	int ascii;
	size_t bom;
	size_t *checkpoints; /* byte offset of every CHECKPOINT_EVERY-th character */
	size_t ncheckpoints;

	open_node *stack;
	size_t depth, stack_alloc;
	platci_node **children;
	size_t nchildren, children_alloc;

	platci__strmap anchors; /* name -> platci_node (names live in the arena) */
	size_t alias_nodes;
	platci_node *root;
	size_t roots_alloc; /* capacity of doc->roots (an arena block) */
} loader;

int platci_doc_options_init(platci_doc_options *opts, unsigned int version)
{
	platci_doc_options init = PLATCI_DOC_OPTIONS_INIT;

	if (version != PLATCI_DOC_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static size_t opt_or(size_t v, size_t def)
{
	return v ? v : def;
}

/* ---- positions ------------------------------------------------------- */

static int utf8_width(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static int build_checkpoints(loader *ld)
{
	const unsigned char *s = (const unsigned char *)ld->doc->source + ld->bom;
	size_t len = ld->doc->source_len - ld->bom, chars = 0, alloc = 0;

	for (size_t i = 0; i < len; i += (size_t)utf8_width(s[i]), chars++) {
		if (chars % CHECKPOINT_EVERY == 0) {
			if (platci__grow_array((void **)&ld->checkpoints, &alloc,
				    ld->ncheckpoints + 1, sizeof(size_t)) < 0)
				return PLATCI_ENOMEM;
			ld->checkpoints[ld->ncheckpoints++] = i;
		}
	}
	return 0;
}

static size_t byte_offset(const loader *ld, size_t char_index)
{
	const unsigned char *s = (const unsigned char *)ld->doc->source + ld->bom;
	size_t len = ld->doc->source_len - ld->bom, cp, off;

	if (ld->ascii)
		return ld->bom + char_index;
	cp = char_index / CHECKPOINT_EVERY;
	if (cp >= ld->ncheckpoints)
		return ld->doc->source_len;
	off = ld->checkpoints[cp];
	for (size_t k = cp * CHECKPOINT_EVERY; k < char_index && off < len; k++)
		off += (size_t)utf8_width(s[off]);
	return ld->bom + (off < len ? off : len);
}

static platci_pos mark_pos(const loader *ld, yaml_mark_t m)
{
	platci_pos p;

	p.line = m.line + 1;
	p.column = m.column + 1;
	p.offset = byte_offset(ld, m.index);
	return p;
}

/* Line and column (in characters) of a byte offset, for reader errors. */
static platci_pos offset_pos(const platci_doc *doc, size_t offset)
{
	platci_pos p = { 1, 1, offset };
	const unsigned char *s = (const unsigned char *)doc->source;

	if (offset > doc->source_len)
		offset = doc->source_len;
	for (size_t i = 0; i < offset; i++) {
		if (s[i] == '\n') {
			p.line++;
			p.column = 1;
		} else if ((s[i] & 0xC0) != 0x80) {
			p.column++;
		}
	}
	return p;
}

static void report(loader *ld, int code, platci_pos pos, const char *fmt, ...) PLATCI_PRINTF(4, 5);

static void report(loader *ld, int code, platci_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	platci_diag_verror(ld->diag, code, ld->doc->name, pos.line, pos.column, pos.offset, fmt, ap);
	va_end(ap);
	if (code != PLATCI_EDUPLICATE)
		ld->last_fatal = code;
	if (!ld->error)
		ld->error = code == PLATCI_EDUPLICATE ? PLATCI_ESYNTAX : code;
}

/* ---- anchors --------------------------------------------------------- */

/* A redefined anchor replaces the old one from here on, as YAML says. */
static int anchor_put(loader *ld, const char *name, platci_node *node)
{
	return platci__strmap_put(&ld->anchors, name, strlen(name), node);
}

static platci_node *anchor_get(const loader *ld, const char *name)
{
	return platci__strmap_get(&ld->anchors, name, strlen(name));
}

/* ---- tree building ------------------------------------------------------ */

static int add_child(loader *ld, platci_node *n)
{
	int error;

	if (ld->depth == 0) {
		ld->root = n;
		return 0;
	}
	if ((error = platci__grow_array((void **)&ld->children, &ld->children_alloc,
		     ld->nchildren + 1, sizeof(*ld->children))) < 0)
		return error;
	ld->children[ld->nchildren++] = n;
	return 0;
}

static platci_node *new_node(loader *ld, platci_node_type type, yaml_mark_t start)
{
	platci_node *n;

	if (++ld->doc->nodes > opt_or(ld->opts->max_nodes, DEFAULT_MAX_NODES)) {
		report(ld, PLATCI_ELIMIT, mark_pos(ld, start), "document has more than %zu nodes",
			opt_or(ld->opts->max_nodes, DEFAULT_MAX_NODES));
		return NULL;
	}
	n = platci_arena_zalloc(&ld->doc->arena, sizeof(*n));
	if (!n) {
		ld->error = PLATCI_ENOMEM;
		return NULL;
	}
	n->type = (unsigned char)type;
	n->start = mark_pos(ld, start);
	n->weight = 1;
	return n;
}

static const char *arena_copy(loader *ld, const yaml_char_t *s)
{
	const char *c;

	if (!s)
		return NULL;
	c = platci_arena_strdup(&ld->doc->arena, (const char *)s);
	if (!c)
		ld->error = PLATCI_ENOMEM;
	return c;
}

static int register_anchor(loader *ld, const char *anchor, platci_node *n)
{
	if (!anchor)
		return 0;
	return anchor_put(ld, anchor, n);
}

static int on_scalar(loader *ld, const yaml_event_t *ev)
{
	platci_node *n = new_node(ld, PLATCI_NODE_SCALAR, ev->start_mark);
	const char *anchor;

	if (!n)
		return ld->error;
	n->end = mark_pos(ld, ev->end_mark);
	n->value = platci_arena_strndup(&ld->doc->arena, (const char *)ev->data.scalar.value,
		ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	if (!n->value)
		return ld->error = PLATCI_ENOMEM;
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		n->style = PLATCI_STYLE_SINGLE_QUOTED;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = PLATCI_STYLE_DOUBLE_QUOTED;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
		n->style = PLATCI_STYLE_LITERAL;
		break;
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = PLATCI_STYLE_FOLDED;
		break;
	default:
		n->style = PLATCI_STYLE_PLAIN;
		break;
	}
	if (ev->data.scalar.tag && !ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit)
		n->tag = arena_copy(ld, ev->data.scalar.tag);
	anchor = arena_copy(ld, ev->data.scalar.anchor);
	if (ld->error)
		return ld->error;
	if (register_anchor(ld, anchor, n) < 0)
		return ld->error = PLATCI_ENOMEM;
	return add_child(ld, n);
}

static int on_alias(loader *ld, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	platci_node *target = anchor_get(ld, name);
	size_t max = opt_or(ld->opts->max_alias_nodes, DEFAULT_MAX_ALIAS);

	if (!target) {
		report(ld, PLATCI_ESYNTAX, mark_pos(ld, ev->start_mark),
			"alias *%s names no anchor defined before it", name);
		return ld->error;
	}
	if (PLATCI_ADD_OVERFLOW(&ld->alias_nodes, ld->alias_nodes, target->weight) || ld->alias_nodes > max) {
		report(ld, PLATCI_ELIMIT, mark_pos(ld, ev->start_mark),
			"aliases expand to more than %zu nodes (an alias bomb?)", max);
		return ld->error;
	}
	return add_child(ld, target);
}

static int on_start(loader *ld, const yaml_event_t *ev, platci_node_type type)
{
	platci_node *n;
	const yaml_char_t *tag, *anchor;
	int implicit, flow;
	int error;

	if (ld->depth >= opt_or(ld->opts->max_depth, DEFAULT_MAX_DEPTH)) {
		report(ld, PLATCI_ELIMIT, mark_pos(ld, ev->start_mark), "nesting deeper than %zu levels",
			opt_or(ld->opts->max_depth, DEFAULT_MAX_DEPTH));
		return ld->error;
	}
	if (!(n = new_node(ld, type, ev->start_mark)))
		return ld->error;
	if (type == PLATCI_NODE_SEQUENCE) {
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
		implicit = ev->data.sequence_start.implicit;
		flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	} else {
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
		implicit = ev->data.mapping_start.implicit;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	}
	n->style = flow ? PLATCI_STYLE_FLOW : PLATCI_STYLE_PLAIN;
	if (tag && !implicit)
		n->tag = arena_copy(ld, tag);
	if ((error = platci__grow_array((void **)&ld->stack, &ld->stack_alloc, ld->depth + 1,
		     sizeof(*ld->stack))) < 0)
		return ld->error = error;
	ld->stack[ld->depth].node = n;
	ld->stack[ld->depth].first_child = ld->nchildren;
	ld->stack[ld->depth].anchor = arena_copy(ld, anchor);
	ld->depth++;
	return ld->error;
}

static int same_scalar(const platci_node *a, const platci_node *b)
{
	return a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

static int is_merge_key(const platci_node *k)
{
	return k->style == PLATCI_STYLE_PLAIN && k->len == 2 && k->value[0] == '<' && k->value[1] == '<';
}

static void report_duplicate(loader *ld, const platci_node *first, const platci_node *dup)
{
	char msg[400];

	snprintf(msg, sizeof(msg), "duplicate key \"%.200s\" (first defined at line %zu)",
		dup->value, first->start.line);
	report(ld, PLATCI_EDUPLICATE, dup->start, "%s", msg);
	ld->dup_found = 1;
}

/* Small mappings compare pairwise; larger ones go through a hash table. */
static int check_duplicates(loader *ld, platci_node **items, size_t pairs)
{
	platci__strmap keys = PLATCI__STRMAP_INIT; /* key text -> its first key node */
	int found = 0;

	if (ld->opts->allow_duplicate_keys)
		return 0;
	if (pairs <= 16) {
		for (size_t i = 1; i < pairs; i++) {
			const platci_node *k = items[2 * i];
			if (k->type != PLATCI_NODE_SCALAR || is_merge_key(k))
				continue;
			for (size_t j = 0; j < i; j++) {
				const platci_node *o = items[2 * j];
				if (o->type == PLATCI_NODE_SCALAR && same_scalar(k, o)) {
					report_duplicate(ld, o, k);
					break;
				}
			}
		}
		return 0;
	}
	for (size_t i = 0; i < pairs; i++) {
		platci_node *k = items[2 * i];
		void *first = NULL;

		if (k->type != PLATCI_NODE_SCALAR || is_merge_key(k))
			continue;
		if ((found = platci__strmap_insert(&keys, k->value, k->len, k, &first)) < 0)
			break;
		if (found)
			report_duplicate(ld, first, k);
	}
	platci__strmap_dispose(&keys);
	return found < 0 ? found : 0;
}

static int on_end(loader *ld, const yaml_event_t *ev)
{
	open_node *top;
	platci_node *n;
	size_t count, weight = 1;

	if (ld->depth == 0)
		return 0;
	top = &ld->stack[--ld->depth];
	n = top->node;
	count = ld->nchildren - top->first_child;
	n->end = mark_pos(ld, ev->end_mark);
	if (count) {
		n->items = platci_arena_alloc(&ld->doc->arena, count * sizeof(*n->items));
		if (!n->items)
			return ld->error = PLATCI_ENOMEM;
		memcpy(n->items, ld->children + top->first_child, count * sizeof(*n->items));
	}
	for (size_t i = 0; i < count; i++)
		if (PLATCI_ADD_OVERFLOW(&weight, weight, n->items[i]->weight))
			weight = SIZE_MAX;
	n->weight = weight;
	n->len = n->type == PLATCI_NODE_MAPPING ? count / 2 : count;
	ld->nchildren = top->first_child;
	if (n->type == PLATCI_NODE_MAPPING && check_duplicates(ld, n->items, n->len) < 0)
		return ld->error = PLATCI_ENOMEM;
	if (register_anchor(ld, top->anchor, n) < 0)
		return ld->error = PLATCI_ENOMEM;
	return add_child(ld, n);
}

static int push_root(loader *ld)
{
	platci_doc *doc = ld->doc;
	platci_node **roots;

	/* The capacity doubles: a stream of n documents (a cluster's apps.yaml
	 * with one Kustomization per app) costs O(n) copying and arena, where
	 * growing by one entry cost O(n^2) of both. */
	if (doc->count == ld->roots_alloc) {
		size_t n = ld->roots_alloc ? ld->roots_alloc * 2 : 4;

		roots = n <= SIZE_MAX / sizeof(*roots)
				? platci_arena_alloc(&doc->arena, n * sizeof(*roots))
				: NULL;
		if (!roots)
			return ld->error = PLATCI_ENOMEM;
		if (doc->count)
			memcpy(roots, doc->roots, doc->count * sizeof(*roots));
		doc->roots = roots;
		ld->roots_alloc = n;
	}
	doc->roots[doc->count++] = ld->root;
	ld->root = NULL;
	/* Anchors do not cross document boundaries. */
	platci__strmap_clear(&ld->anchors);
	return 0;
}

static void report_parser_error(loader *ld, const yaml_parser_t *p)
{
	platci_pos pos;
	char msg[400];

	if (p->error == YAML_READER_ERROR) {
		pos = offset_pos(ld->doc, p->problem_offset);
		if (p->problem_value != -1)
			snprintf(msg, sizeof(msg), "%s (byte 0x%02x)", p->problem,
				(unsigned)p->problem_value & 0xffu);
		else
			snprintf(msg, sizeof(msg), "%s", p->problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		ld->error = PLATCI_ENOMEM;
		return;
	} else {
		pos = mark_pos(ld, p->problem_mark);
		if (p->context)
			snprintf(msg, sizeof(msg), "%s %s started at line %zu",
				p->problem ? p->problem : "error", p->context, p->context_mark.line + 1);
		else
			snprintf(msg, sizeof(msg), "%s", p->problem ? p->problem : "syntax error");
	}
	report(ld, PLATCI_ESYNTAX, pos, "%s", msg);
}

static int parse(loader *ld)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0, error = 0;

	if (!yaml_parser_initialize(&parser))
		return PLATCI_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)ld->doc->source, ld->doc->source_len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			report_parser_error(ld, &parser);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (ld->root)
				error = push_root(ld);
			break;
		case YAML_ALIAS_EVENT:
			error = on_alias(ld, &ev);
			break;
		case YAML_SCALAR_EVENT:
			error = on_scalar(ld, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			error = on_start(ld, &ev, PLATCI_NODE_SEQUENCE);
			break;
		case YAML_MAPPING_START_EVENT:
			error = on_start(ld, &ev, PLATCI_NODE_MAPPING);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			error = on_end(ld, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		/* Duplicate keys are collected to the end; anything else stops here. */
		if (error < 0 || (ld->error && !(ld->error == PLATCI_ESYNTAX && ld->dup_found &&
						       ld->last_fatal == 0)))
			break;
	}
	yaml_parser_delete(&parser);
	if (error < 0 && !ld->error)
		ld->error = error;
	return ld->error;
}

static int load(platci_doc **out, platci_doc *doc, const platci_doc_options *opts, platci_diag *diag)
{
	platci_doc_options defaults = PLATCI_DOC_OPTIONS_INIT;
	loader ld;
	int error;

	memset(&ld, 0, sizeof(ld));
	ld.doc = doc;
	ld.opts = opts ? opts : &defaults;
	ld.diag = diag;
	if (ld.opts->version != PLATCI_DOC_OPTIONS_VERSION) {
		error = PLATCI_EINVALID;
		goto done;
	}
	if (doc->source_len >= 3 && memcmp(doc->source, "\xEF\xBB\xBF", 3) == 0)
		ld.bom = 3;
	ld.ascii = 1;
	for (size_t i = 0; i < doc->source_len; i++) {
		if ((unsigned char)doc->source[i] >= 0x80) {
			ld.ascii = 0;
			break;
		}
	}
	if (!ld.ascii && (error = build_checkpoints(&ld)) < 0)
		goto done;
	error = parse(&ld);
done:
	free(ld.checkpoints);
	free(ld.stack);
	free(ld.children);
	platci__strmap_dispose(&ld.anchors);
	if (error < 0) {
		platci_doc_free(doc);
		doc = NULL;
	}
	*out = doc;
	return error;
}

static platci_doc *doc_new(const char *name)
{
	platci_doc *doc = calloc(1, sizeof(*doc));

	if (!doc)
		return NULL;
	platci_arena_init(&doc->arena, 64 * 1024);
	doc->name = platci__strdup(name ? name : "<buffer>");
	if (!doc->name) {
		free(doc);
		return NULL;
	}
	return doc;
}

int platci_doc_load_file(platci_doc **out, const char *path, const platci_doc_options *opts,
	platci_diag *diag)
{
	platci_doc_options defaults = PLATCI_DOC_OPTIONS_INIT;
	platci_buf data = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!(doc = doc_new(path)))
		return PLATCI_ENOMEM;
	if ((error = platci_fs_read(&data, path, opt_or(opts->max_file_size, DEFAULT_MAX_FILE), diag)) < 0) {
		platci_buf_dispose(&data);
		platci_doc_free(doc);
		return error;
	}
	doc->source_len = data.size;
	doc->source = platci_buf_detach(&data);
	if (!doc->source) {
		platci_doc_free(doc);
		return PLATCI_ENOMEM;
	}
	return load(out, doc, opts, diag);
}

int platci_doc__load_owned(platci_doc **out, const char *name, char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag)
{
	platci_doc *doc;

	*out = NULL;
	if (!(doc = doc_new(name))) {
		free(data);
		return PLATCI_ENOMEM;
	}
	doc->source = data;
	doc->source_len = len;
	return load(out, doc, opts, diag);
}

int platci_doc_load_buffer(platci_doc **out, const char *name, const char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag)
{
	platci_doc_options defaults = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *doc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (len > opt_or(opts->max_file_size, DEFAULT_MAX_FILE)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, name, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "input is %zu bytes, over the limit of %zu bytes", len,
			opt_or(opts->max_file_size, DEFAULT_MAX_FILE));
		return PLATCI_ELIMIT;
	}
	if (!(doc = doc_new(name)))
		return PLATCI_ENOMEM;
	doc->source = platci__strndup(data, len);
	doc->source_len = len;
	if (!doc->source) {
		platci_doc_free(doc);
		return PLATCI_ENOMEM;
	}
	return load(out, doc, opts, diag);
}

void platci_doc_free(platci_doc *doc)
{
	if (!doc)
		return;
	platci_arena_dispose(&doc->arena);
	free(doc->name);
	free(doc->source);
	free(doc);
}
