/*
 * Compiling a schema document into `sch` nodes. Every schema object is
 * compiled once (a map from source node to compiled node), inline
 * subschemas recursively (bounded by max_depth), `$ref` targets through a
 * work list, so a long chain of references cannot exhaust the stack.
 * Strings and enum values are copied: the compiled schema does not keep
 * the source document alive.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_compile.h"
#include "util/common.h"
#include "util/banned.h"

int platci_schema_options_init(platci_schema_options *opts, unsigned int version)
{
	platci_schema_options init = PLATCI_SCHEMA_OPTIONS_INIT;

	if (version != PLATCI_SCHEMA_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

void platci_schema__error(schema_compiler *cc, int code, const platci_node *at, const char *fmt, ...)
{
	platci_pos pos = platci_node_start(at);
	va_list ap;

	if (cc->error)
		return;
	cc->error = code;
	if (code == PLATCI_ENOMEM)
		return;
	va_start(ap, fmt);
	platci_diag_verror(cc->diag, code, cc->s->name, pos.line, pos.column, pos.offset, fmt, ap);
	va_end(ap);
}

/* ---- node -> sch map (pointer keys, open addressing) ---------------------- */

static size_t ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

sch *platci_schema__map_get(schema_compiler *cc, const platci_node *node)
{
	size_t mask = cc->map_alloc - 1;

	if (!cc->map_alloc)
		return NULL;
	for (size_t i = ptr_hash(node) & mask; cc->map[i].key; i = (i + 1) & mask)
		if (cc->map[i].key == node)
			return cc->map[i].val;
	return NULL;
}

static int map_put(schema_compiler *cc, const platci_node *node, sch *val)
{
	size_t mask;

	if ((cc->map_used + 1) * 2 > cc->map_alloc) {
		size_t n = cc->map_alloc ? cc->map_alloc * 2 : 256;
		map_slot *t = calloc(n, sizeof(*t));
		if (!t)
			return PLATCI_ENOMEM;
		for (size_t k = 0; k < cc->map_alloc; k++) {
			size_t i;
			if (!cc->map[k].key)
				continue;
			for (i = ptr_hash(cc->map[k].key) & (n - 1); t[i].key; i = (i + 1) & (n - 1))
				;
			t[i] = cc->map[k];
		}
		free(cc->map);
		cc->map = t;
		cc->map_alloc = n;
	}
	mask = cc->map_alloc - 1;
	{
		size_t i;
		for (i = ptr_hash(node) & mask; cc->map[i].key; i = (i + 1) & mask)
			;
		cc->map[i].key = node;
		cc->map[i].val = val;
	}
	cc->map_used++;
	return 0;
}

/* A new, empty compiled node for @p node, registered in the map. */
sch *platci_schema__sch_new(schema_compiler *cc, const platci_node *node)
{
	sch *s;
	size_t limit = cc->s->opts.max_nodes ? cc->s->opts.max_nodes : SCHEMA_DEFAULT_MAX_NODES;

	if (++cc->s->nodes > limit) {
		platci_schema__error(cc, PLATCI_ELIMIT, node, "schema has more than %zu subschemas", limit);
		return NULL;
	}
	if (!(s = platci_arena_zalloc(&cc->s->arena, sizeof(*s)))) {
		cc->error = PLATCI_ENOMEM;
		return NULL;
	}
	s->max_length = s->max_items = s->max_props = SIZE_MAX;
	if (map_put(cc, node, s) < 0 || platci__grow_array((void **)&cc->all, &cc->all_alloc,
						cc->nall + 1, sizeof(*cc->all)) < 0) {
		cc->error = PLATCI_ENOMEM;
		return NULL;
	}
	s->idx = (uint32_t)cc->nall;
	cc->all[cc->nall].s = s;
	cc->all[cc->nall++].node = node;
	return s;
}

/* ---- driving the compile ----------------------------------------------------- */

sch *platci_schema__inline(schema_compiler *cc, const platci_node *node, const char *base, size_t depth)
{
	sch *s = platci_schema__map_get(cc, node);

	if (s)
		return s;
	if (!(s = platci_schema__sch_new(cc, node)))
		return NULL;
	return platci_schema__fill(cc, s, node, base, depth) < 0 ? NULL : s;
}

sch *platci_schema__queue(schema_compiler *cc, const platci_node *node, const char *base, const char *name)
{
	sch *s = platci_schema__map_get(cc, node);

	if (s)
		return s;
	if (!(s = platci_schema__sch_new(cc, node)))
		return NULL;
	if (name && !(s->name = platci_arena_strdup(&cc->s->arena, name)))
		goto oom;
	if (platci__grow_array((void **)&cc->work, &cc->work_alloc, cc->nwork + 1, sizeof(*cc->work)) < 0)
		goto oom;
	cc->work[cc->nwork].s = s;
	cc->work[cc->nwork].node = node;
	cc->work[cc->nwork++].base = base;
	return s;
oom:
	cc->error = PLATCI_ENOMEM;
	return NULL;
}

static void compiler_free(schema_compiler *cc)
{
	if (!cc)
		return;
	platci_arena_dispose(&cc->scratch);
	free(cc->map);
	free(cc->all);
	free(cc->work);
	free(cc->ids);
	free(cc);
}

void platci_schema_free(platci_schema *schema)
{
	if (!schema)
		return;
	if (schema->cc) {
		for (size_t i = 0; i < schema->cc->nregexes; i++)
			platci_regex__free(schema->cc->regexes[i]);
		free(schema->cc->regexes);
		compiler_free(schema->cc);
	} else {
		for (size_t i = 0; i < schema->nregexes; i++)
			platci_regex__free(schema->regexes[i]);
		free(schema->regexes);
	}
	platci_arena_dispose(&schema->arena);
	free(schema->name);
	free(schema);
}

int platci_schema__new(platci_schema **out, const platci_node *doc_root, const char *name,
	const platci_schema_options *opts, platci_diag *diag)
{
	platci_schema *s = NULL;
	schema_compiler *cc;
	const platci_node *id;
	int error = 0;

	*out = NULL;
	if (opts && opts->version != PLATCI_SCHEMA_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	PLATCI_CHECK_ALLOC(s = calloc(1, sizeof(*s)));
	platci_arena_init(&s->arena, 64 * 1024);
	if (opts)
		s->opts = *opts;
	else
		platci_schema_options_init(&s->opts, PLATCI_SCHEMA_OPTIONS_VERSION);
	PLATCI_CHECK_ALLOC(s->name = platci__strdup(name ? name : "<schema>"));
	PLATCI_CHECK_ALLOC(cc = calloc(1, sizeof(*cc)));
	s->cc = cc;
	cc->s = s;
	cc->doc_root = doc_root;
	cc->diag = diag;
	platci_arena_init(&cc->scratch, 16 * 1024);
	cc->doc_uri = "";
	id = platci_schema__own(doc_root, "id");
	if (id && platci_schema__type_of(id) == T_STRING && !platci_schema__own(doc_root, "$ref"))
		PLATCI_CHECK_ALLOC(
			cc->doc_uri = platci_schema__join_uri(cc, "", platci_node_scalar(id, NULL)));
	if (platci_schema__index_ids(cc, doc_root, "", 0) < 0)
		error = cc->error ? cc->error : PLATCI_EDATA;
done:
	if (error < 0) {
		platci_schema_free(s);
		return error;
	}
	*out = s;
	return 0;
}

int platci_schema__entry(sch **out, platci_schema *s, const platci_node *node, const char *name,
	platci_diag *diag)
{
	schema_compiler *cc = s->cc;
	sch *root;

	*out = NULL;
	if (!cc)
		return PLATCI_EINVALID;
	cc->diag = diag;
	if (!(root = platci_schema__queue(cc, node, cc->doc_uri, name)))
		return cc->error ? cc->error : PLATCI_ENOMEM;
	while (cc->nwork && !cc->error) {
		pending p = cc->work[--cc->nwork];
		platci_schema__fill(cc, p.s, p.node, p.base, 0);
	}
	if (cc->error)
		return cc->error;
	*out = root;
	return 0;
}

int platci_schema__seal(platci_schema *s, platci_diag *diag)
{
	schema_compiler *cc = s->cc;
	int error;

	if (!cc)
		return 0;
	cc->diag = diag;
	if ((error = platci_schema__check_cycles(cc)) < 0)
		return error;
	s->regexes = cc->regexes;
	s->nregexes = cc->nregexes;
	cc->regexes = NULL;
	cc->nregexes = 0;
	compiler_free(cc);
	s->cc = NULL;
	return 0;
}

int platci_schema_compile(platci_schema **out, const platci_node *doc_root, const char *pointer,
	const char *name, const platci_schema_options *opts, platci_diag *diag)
{
	platci_schema *s = NULL;
	const platci_node *node = doc_root;
	const char *base = "", *def_name = NULL;
	int error;

	*out = NULL;
	if (!doc_root)
		return PLATCI_EINVALID;
	if ((error = platci_schema__new(&s, doc_root, name, opts, diag)) < 0)
		return error;
	if (pointer && *pointer) {
		schema_compiler *cc = s->cc;
		if (platci_schema__resolve_pointer(&node, &base, &def_name, cc, doc_root, pointer) < 0) {
			error = cc->error ? cc->error : PLATCI_ENOTFOUND;
			goto done;
		}
	}
	if ((error = platci_schema__entry(&s->root, s, node, def_name, diag)) < 0)
		goto done;
	error = platci_schema__seal(s, diag);
done:
	if (error < 0) {
		platci_schema_free(s);
		return error;
	}
	*out = s;
	return 0;
}

size_t platci_schema_unsupported_count(const platci_schema *schema)
{
	return schema ? schema->unsupported[0] : 0;
}
