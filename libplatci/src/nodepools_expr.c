/*
 * The few Terraform expressions the node-pool facts need, evaluated over
 * the scanned source of one frame (nodepools_int.h). Everything else is
 * TV_UNKNOWN, never a guess: references other than var., local. and
 * each., functions other than merge, concat, distinct, tolist and toset,
 * interpolated strings, arithmetic. A conditional is followed only when
 * its condition compares values that are known.
 */
#include <ctype.h>
#include <string.h>

#include "nodepools_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_EVAL_DEPTH 48

typedef struct px {
	tf_tree *t;
	size_t frame, file;
	const char *s, *end;
	const tv_each *each;
	size_t depth;
} px;

static tv unknown(void)
{
	tv v;

	memset(&v, 0, sizeof(v));
	return v;
}

static tv of_kind(tv_kind k, const char *s)
{
	tv v = unknown();

	v.k = k;
	v.s = s;
	return v;
}

static void ws(px *p)
{
	while (p->s < p->end) {
		if (isspace((unsigned char)*p->s)) {
			p->s++;
		} else if (*p->s == '#' || (*p->s == '/' && p->s + 1 < p->end && p->s[1] == '/')) {
			while (p->s < p->end && *p->s != '\n')
				p->s++;
		} else {
			return;
		}
	}
}

static int eat(px *p, char c)
{
	ws(p);
	if (p->s < p->end && *p->s == c) {
		p->s++;
		return 1;
	}
	return 0;
}

static const char *ident(px *p)
{
	const char *b = p->s;

	while (p->s < p->end && (isalnum((unsigned char)*p->s) || *p->s == '_' || *p->s == '-'))
		p->s++;
	return p->s > b ? platci_arena_strndup(&p->t->arena, b, (size_t)(p->s - b)) : NULL;
}

/* A quoted string: its text when it has no interpolation, else TV_UNKNOWN. */
static tv string(px *p)
{
	platci_buf b = PLATCI_BUF_INIT;
	int interp = 0;
	tv v = unknown();

	p->s++;
	while (p->s < p->end && *p->s != '"') {
		char c = *p->s++;
		if (c == '\\' && p->s < p->end) {
			c = *p->s++;
			c = (char)(c == 'n' ? '\n' : c == 't' ? '\t' : c);
		} else if ((c == '$' || c == '%') && p->s < p->end && *p->s == '{') {
			interp = 1;
		}
		platci_buf_putc(&b, c);
	}
	if (p->s < p->end)
		p->s++;
	if (!interp && !b.error)
		v = of_kind(TV_STR, platci_arena_strdup(&p->t->arena, b.ptr));
	platci_buf_dispose(&b);
	return v;
}

static tv expr(px *p);

/* Items of `[...]` or a call's arguments, up to @p close. */
static tv list(px *p, char close)
{
	tv items[64], v = of_kind(TV_LIST, NULL);

	v.n = 0;
	while (!eat(p, close)) {
		if (p->s >= p->end || v.n >= 64)
			return unknown();
		items[v.n++] = expr(p);
		eat(p, ',');
	}
	v.items = platci_arena_alloc(&p->t->arena, (v.n + 1) * sizeof(tv));
	if (!v.items)
		return unknown();
	memcpy(v.items, items, v.n * sizeof(tv));
	return v;
}

static tv object(px *p)
{
	const char *keys[64];
	tv vals[64], v = of_kind(TV_MAP, NULL);

	while (!eat(p, '}')) {
		tv k;
		ws(p);
		if (p->s >= p->end || v.n >= 64)
			return unknown();
		if (*p->s == '"')
			k = string(p);
		else
			k = of_kind(TV_STR, ident(p));
		if (k.k != TV_STR || !k.s || !(eat(p, '=') || eat(p, ':')))
			return unknown();
		keys[v.n] = k.s;
		vals[v.n++] = expr(p);
		eat(p, ',');
	}
	v.keys = platci_arena_alloc(&p->t->arena, (v.n + 1) * sizeof(char *));
	v.items = platci_arena_alloc(&p->t->arena, (v.n + 1) * sizeof(tv));
	if (!v.keys || !v.items)
		return unknown();
	memcpy(v.keys, keys, v.n * sizeof(char *));
	memcpy(v.items, vals, v.n * sizeof(tv));
	return v;
}

/* merge(), concat(), distinct(), tolist(), toset(); anything else is unknown. */
static tv call(px *p, const char *fn)
{
	tv args = list(p, ')'), out;
	size_t total = 0;

	if (args.k != TV_LIST)
		return unknown();
	if (!strcmp(fn, "tolist") || !strcmp(fn, "toset"))
		return args.n == 1 ? args.items[0] : unknown();
	if (!strcmp(fn, "merge")) {
		const char *keys[128];
		tv vals[128];
		out = of_kind(TV_MAP, NULL);
		for (size_t i = 0; i < args.n; i++) {
			tv m = platci_nodepools__as_map(p->t, &args.items[i]);
			if (m.k != TV_MAP)
				return unknown();
			for (size_t k = 0; k < m.n; k++) {
				size_t at = 0;
				while (at < out.n && strcmp(keys[at], m.keys[k]) != 0)
					at++;
				if (at == out.n && out.n == 128)
					return unknown();
				keys[at] = m.keys[k];
				vals[at] = m.items[k];
				out.n += at == out.n;
			}
		}
		out.keys = platci_arena_alloc(&p->t->arena, (out.n + 1) * sizeof(char *));
		out.items = platci_arena_alloc(&p->t->arena, (out.n + 1) * sizeof(tv));
		if (!out.keys || !out.items)
			return unknown();
		memcpy(out.keys, keys, out.n * sizeof(char *));
		memcpy(out.items, vals, out.n * sizeof(tv));
		return out;
	}
	if (strcmp(fn, "concat") != 0 && strcmp(fn, "distinct") != 0)
		return unknown();
	for (size_t i = 0; i < args.n; i++) {
		if (args.items[i].k == TV_MISSING || args.items[i].k == TV_NULL)
			continue;
		if (args.items[i].k != TV_LIST)
			return unknown();
		total += args.items[i].n;
	}
	out = of_kind(TV_LIST, NULL);
	if (!(out.items = platci_arena_alloc(&p->t->arena, (total + 1) * sizeof(tv))))
		return unknown();
	for (size_t i = 0; i < args.n; i++) {
		for (size_t k = 0; args.items[i].k == TV_LIST && k < args.items[i].n; k++) {
			const tv *it = &args.items[i].items[k];
			int dup = 0;
			for (size_t j = 0; !strcmp(fn, "distinct") && j < out.n; j++)
				dup |= it->k == TV_STR && out.items[j].k == TV_STR &&
				       !strcmp(it->s, out.items[j].s);
			if (!dup)
				out.items[out.n++] = *it;
		}
	}
	return out;
}

/* A top-level attribute or object block named @p name in a block of type @p btype of frame @p f. */
static tv frame_lookup(tf_tree *t, size_t f, const char *btype, const char *name, int tfvars)
{
	const tf_frame *fr = &t->frames[f];

	for (size_t i = 0; i < fr->nfiles; i++) {
		const hcl_file *h = &fr->files[i].f;
		if (fr->files[i].is_tfvars != tfvars)
			continue;
		for (size_t b = 0; !tfvars && b < h->nblocks; b++) {
			if (h->blocks[b].parent != HCL_TOP || strcmp(h->blocks[b].type, btype) != 0)
				continue;
			tv blk = of_kind(TV_OBJ, NULL), r;
			blk.frame = f;
			blk.file = i;
			blk.block = b;
			if ((r = platci_nodepools__field(t, &blk, name)).k != TV_MISSING)
				return r;
		}
		for (size_t a = 0; tfvars && a < h->nattrs; a++)
			if (h->attrs[a].block == HCL_TOP && !strcmp(h->attrs[a].name, name))
				return platci_nodepools__eval_attr(t, f, i, &h->attrs[a], NULL);
	}
	return of_kind(TV_MISSING, NULL);
}

/* var.NAME: the caller's argument; at the root, terraform.tfvars, else the variable's default. */
static tv variable(tf_tree *t, size_t f, const char *name)
{
	const tf_frame *fr = &t->frames[f];
	tv r;

	if (fr->parent != (size_t)-1) {
		tv call = of_kind(TV_OBJ, NULL);
		call.frame = fr->parent;
		call.file = fr->call_file;
		call.block = fr->call_block;
		if ((r = platci_nodepools__field(t, &call, name)).k != TV_MISSING)
			return r;
	} else if ((r = frame_lookup(t, f, NULL, name, 1)).k != TV_MISSING) {
		return r;
	}
	for (size_t i = 0; i < fr->nfiles; i++) {
		const hcl_file *h = &fr->files[i].f;
		for (size_t b = 0; !fr->files[i].is_tfvars && b < h->nblocks; b++) {
			const hcl_block *blk = &h->blocks[b];
			if (blk->parent == HCL_TOP && !strcmp(blk->type, "variable") &&
				blk->nlabels && !strcmp(blk->labels[0], name)) {
				tv var = of_kind(TV_OBJ, NULL);
				var.frame = f;
				var.file = i;
				var.block = b;
				r = platci_nodepools__field(t, &var, "default");
				return r.k == TV_MISSING ? unknown() : r; /* no default: the caller must set it */
			}
		}
	}
	return unknown();
}

/* A reference: var.X, local.X, each.key, each.value, then .field and ["key"] steps. */
static tv reference(px *p, const char *root)
{
	tv v = unknown();
	const char *name = NULL;

	if (eat(p, '.')) {
		ws(p);
		name = ident(p);
	}
	if (name && !strcmp(root, "var"))
		v = variable(p->t, p->frame, name);
	else if (name && !strcmp(root, "local"))
		v = frame_lookup(p->t, p->frame, "locals", name, 0);
	else if (name && !strcmp(root, "each") && p->each && p->each->set)
		v = !strcmp(name, "key")     ? of_kind(TV_STR, p->each->key)
		    : !strcmp(name, "value") ? p->each->value
					     : unknown();
	for (;;) {
		ws(p);
		if (p->s < p->end && *p->s == '.') {
			p->s++;
			name = ident(p);
			v = name ? platci_nodepools__field(p->t, &v, name) : unknown();
		} else if (p->s < p->end && *p->s == '[') {
			tv k;
			p->s++;
			k = expr(p);
			if (!eat(p, ']'))
				return unknown();
			v = k.k == TV_STR ? platci_nodepools__field(p->t, &v, k.s) : unknown();
		} else {
			return v;
		}
	}
}

static tv primary_in(px *p);

/* Nesting of brackets, calls and parentheses is bounded, so is the recursion. */
static tv primary(px *p)
{
	tv v;

	if (p->depth >= MAX_EVAL_DEPTH)
		return unknown();
	p->depth++;
	v = primary_in(p);
	p->depth--;
	return v;
}

static tv primary_in(px *p)
{
	const char *id;

	ws(p);
	if (p->s >= p->end)
		return unknown();
	if (*p->s == '"')
		return string(p);
	if (*p->s == '[') {
		p->s++;
		return list(p, ']');
	}
	if (*p->s == '{') {
		p->s++;
		return object(p);
	}
	if (*p->s == '(') {
		tv v;
		p->s++;
		v = expr(p);
		return eat(p, ')') ? v : unknown();
	}
	if (isdigit((unsigned char)*p->s) || *p->s == '-') {
		const char *b = p->s++;
		while (p->s < p->end && (isalnum((unsigned char)*p->s) || *p->s == '.'))
			p->s++;
		return of_kind(TV_STR, platci_arena_strndup(&p->t->arena, b, (size_t)(p->s - b)));
	}
	if (!(id = ident(p)))
		return unknown();
	if (!strcmp(id, "true") || !strcmp(id, "false"))
		return of_kind(TV_BOOL, id);
	if (!strcmp(id, "null"))
		return of_kind(TV_NULL, NULL);
	if (eat(p, '('))
		return call(p, id);
	return reference(p, id);
}

static int known_scalar(const tv *v)
{
	return v->k == TV_STR || v->k == TV_BOOL || v->k == TV_NULL || v->k == TV_MISSING;
}

static tv compare(px *p)
{
	tv l = primary(p), r;
	int eq;

	ws(p);
	if (p->s + 1 >= p->end || (p->s[0] != '=' && p->s[0] != '!') || p->s[1] != '=')
		return l;
	eq = p->s[0] == '=';
	p->s += 2;
	r = primary(p);
	if (!known_scalar(&l) || !known_scalar(&r))
		return unknown();
	if (l.k == TV_MISSING)
		l.k = TV_NULL; /* an optional attribute left out is null */
	if (r.k == TV_MISSING)
		r.k = TV_NULL;
	if (l.k != r.k)
		return of_kind(TV_BOOL, eq ? "false" : "true");
	return of_kind(TV_BOOL, ((l.s == r.s) || (l.s && r.s && !strcmp(l.s, r.s))) == eq ? "true" : "false");
}

static tv expr(px *p)
{
	tv c = compare(p), a, b;

	if (!eat(p, '?'))
		return c;
	a = expr(p);
	if (!eat(p, ':'))
		return unknown();
	b = expr(p);
	if (c.k != TV_BOOL)
		return unknown();
	return !strcmp(c.s, "true") ? a : b;
}

tv platci_nodepools__eval_attr(tf_tree *t, size_t frame, size_t file, const hcl_attr *a, const tv_each *each)
{
	const tf_file *tf = &t->frames[frame].files[file];
	px p;
	tv v;

	if (!a->expr_end || a->expr_end > tf->src.size || t->depth >= MAX_EVAL_DEPTH)
		return unknown();
	p.t = t;
	p.frame = frame;
	p.file = file;
	p.s = tf->src.ptr + a->expr_start;
	p.end = tf->src.ptr + a->expr_end;
	p.each = each;
	p.depth = 0;
	t->depth++;
	v = expr(&p);
	t->depth--;
	return v;
}

tv platci_nodepools__field(tf_tree *t, const tv *obj, const char *name)
{
	if (obj->k == TV_MAP) {
		for (size_t i = 0; i < obj->n; i++)
			if (!strcmp(obj->keys[i], name))
				return obj->items[i];
		return of_kind(TV_MISSING, NULL);
	}
	if (obj->k == TV_OBJ) {
		const hcl_file *h = &t->frames[obj->frame].files[obj->file].f;
		for (size_t a = 0; a < h->nattrs; a++)
			if (h->attrs[a].block == obj->block && !strcmp(h->attrs[a].name, name))
				return h->attrs[a].expr_end ? platci_nodepools__eval_attr(t, obj->frame,
								      obj->file, &h->attrs[a], NULL)
							    : unknown();
		for (size_t b = 0; b < h->nblocks; b++)
			if (h->blocks[b].parent == obj->block && !strcmp(h->blocks[b].type, name)) {
				tv child = *obj;
				child.block = b;
				return child;
			}
		return of_kind(TV_MISSING, NULL);
	}
	return obj->k == TV_MISSING || obj->k == TV_NULL ? of_kind(TV_MISSING, NULL) : unknown();
}

long platci_nodepools__instances(tf_tree *t, const tv *v, const char ***keys, tv **vals)
{
	const hcl_file *h;
	size_t n = 0;

	if (v->k == TV_MAP) {
		*keys = v->keys;
		*vals = v->items;
		return (long)v->n;
	}
	if (v->k != TV_OBJ)
		return -1;
	h = &t->frames[v->frame].files[v->file].f;
	*keys = platci_arena_alloc(&t->arena, (h->nblocks + h->nattrs + 1) * sizeof(char *));
	*vals = platci_arena_alloc(&t->arena, (h->nblocks + h->nattrs + 1) * sizeof(tv));
	if (!*keys || !*vals)
		return -1;
	for (size_t b = 0; b < h->nblocks; b++) {
		if (h->blocks[b].parent != v->block)
			continue;
		(*keys)[n] = h->blocks[b].type;
		(*vals)[n] = *v;
		(*vals)[n++].block = b;
	}
	for (size_t a = 0; a < h->nattrs; a++) {
		if (h->attrs[a].block != v->block)
			continue;
		(*keys)[n] = h->attrs[a].name;
		(*vals)[n++] = platci_nodepools__eval_attr(t, v->frame, v->file, &h->attrs[a], NULL);
	}
	return (long)n;
}

tv platci_nodepools__as_map(tf_tree *t, const tv *v)
{
	const char **keys;
	tv *vals, m = of_kind(TV_MAP, NULL);
	long n;

	if (v->k == TV_MISSING || v->k == TV_NULL)
		return m;
	if (v->k == TV_MAP)
		return *v;
	if ((n = platci_nodepools__instances(t, v, &keys, &vals)) < 0)
		return unknown();
	m.keys = keys;
	m.items = vals;
	m.n = (size_t)n;
	return m;
}
