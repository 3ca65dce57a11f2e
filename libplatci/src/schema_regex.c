/*
 * A small regex engine for schema patterns: parse to a tree, emit a
 * Thompson program, run it as a Pike VM (see schema_regex.h for the
 * dialect and why).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "schema_regex_int.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_NEST 64 /* group nesting while parsing */
#define MAX_REPEAT 1000 /* largest {n,m} bound */
#define MAX_CLASSES 4096

enum { N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_CAT, N_ALT, N_REP, N_BOL, N_EOL, N_WORDB, N_NWORDB };

typedef struct rnode {
	int type;
	uint32_t c; /* N_CHAR: code point; N_CLASS: class index */
	int min, max; /* N_REP; max -1 = unbounded */
	struct rnode *a, *b;
} rnode;

typedef struct parser {
	const unsigned char *s, *end;
	platci_arena *tree;
	platci_regex *re;
	int icase;
	int depth;
	int error;
	char *why;
	size_t why_size;
} parser;

/* ---- parsing --------------------------------------------------------------- */

static int perr(parser *p, int code, const char *msg)
{
	if (!p->error) {
		p->error = code;
		snprintf(p->why, p->why_size, "%s", msg);
	}
	return code;
}

static rnode *node(parser *p, int type, rnode *a, rnode *b)
{
	rnode *n = platci_arena_zalloc(p->tree, sizeof(*n));

	if (!n) {
		perr(p, PLATCI_ENOMEM, "out of memory");
		return NULL;
	}
	n->type = type;
	n->a = a;
	n->b = b;
	return n;
}

static int add_range(parser *p, range **r, size_t *n, size_t *alloc, uint32_t lo, uint32_t hi)
{
	if (platci__grow_array((void **)r, alloc, *n + 1, sizeof(**r)) < 0)
		return perr(p, PLATCI_ENOMEM, "out of memory");
	(*r)[*n].lo = lo;
	(*r)[(*n)++].hi = hi;
	return 0;
}

/* \d \w \s (upper case: negated) as ranges. */
static int add_shorthand(parser *p, range **r, size_t *n, size_t *alloc, char which)
{
	static const range digit[] = { { '0', '9' } };
	static const range word[] = { { '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' } };
	static const range space[] = { { '\t', '\r' }, { ' ', ' ' }, { 0xA0, 0xA0 },
		{ 0x1680, 0x1680 }, { 0x2000, 0x200A }, { 0x2028, 0x2029 }, { 0x202F, 0x202F },
		{ 0x205F, 0x205F }, { 0x3000, 0x3000 }, { 0xFEFF, 0xFEFF } };
	const range *set;
	size_t count;
	uint32_t from = 0;
	char lower = (char)(which | 0x20);

	set = lower == 'd' ? digit : lower == 'w' ? word : space;
	count = lower == 'd'   ? PLATCI_ARRAY_SIZE(digit)
		: lower == 'w' ? PLATCI_ARRAY_SIZE(word)
			       : PLATCI_ARRAY_SIZE(space);
	for (size_t i = 0; i < count; i++) {
		if (which == lower) {
			if (add_range(p, r, n, alloc, set[i].lo, set[i].hi) < 0)
				return p->error;
		} else {
			if (set[i].lo > from && add_range(p, r, n, alloc, from, set[i].lo - 1) < 0)
				return p->error;
			from = set[i].hi + 1;
		}
	}
	if (which != lower && add_range(p, r, n, alloc, from, 0x10FFFF) < 0)
		return p->error;
	return 0;
}

/* A character escape after '\' (not a shorthand class or assertion). */
static int escape_char(parser *p, uint32_t *out)
{
	int c, digits;

	if (p->s >= p->end)
		return perr(p, PLATCI_ESYNTAX, "pattern ends with a backslash");
	c = *p->s++;
	switch (c) {
	case 't':
		*out = '\t';
		return 0;
	case 'n':
		*out = '\n';
		return 0;
	case 'r':
		*out = '\r';
		return 0;
	case 'f':
		*out = '\f';
		return 0;
	case 'v':
		*out = '\v';
		return 0;
	case '0':
		*out = 0;
		return 0;
	case 'c':
		if (p->s < p->end && ((*p->s | 0x20) >= 'a' && (*p->s | 0x20) <= 'z')) {
			*out = (uint32_t)(*p->s++ % 32);
			return 0;
		}
		*out = '\\';
		p->s--;
		return 0;
	case 'x':
	case 'u':
		digits = c == 'x' ? 2 : 4;
		*out = 0;
		for (int i = 0; i < digits; i++) {
			if (p->s >= p->end || platci__hexval(*p->s) < 0)
				return perr(p, PLATCI_ESYNTAX, "bad \\x or \\u escape");
			*out = *out * 16 + (uint32_t)platci__hexval(*p->s++);
		}
		return 0;
	default:
		if (c >= '1' && c <= '9')
			return perr(p, PLATCI_EVERSION, "backreferences are not supported");
		if (c == 'p' || c == 'P')
			return perr(p, PLATCI_EVERSION,
				"Unicode property classes (\\p{...}) are not supported");
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return perr(p, PLATCI_EVERSION, "unknown escape in pattern");
		p->s--;
		*out = platci_regex__next_cp(&p->s, p->end);
		return 0;
	}
}

/* (?i): adds the other case of every ASCII letter in the ranges. */
static void fold_ranges(parser *p, range **r, size_t *n, size_t *alloc)
{
	size_t count = *n;

	for (size_t i = 0; i < count; i++) {
		uint32_t lo = (*r)[i].lo, hi = (*r)[i].hi;
		uint32_t a = lo < 'A' ? 'A' : lo, b = hi > 'Z' ? 'Z' : hi;
		if (a <= b)
			add_range(p, r, n, alloc, a + 32, b + 32);
		a = lo < 'a' ? 'a' : lo;
		b = hi > 'z' ? 'z' : hi;
		if (a <= b)
			add_range(p, r, n, alloc, a - 32, b - 32);
	}
}

/* Stores ranges as class @p out; negated classes are complemented here. */
static int finish_class(parser *p, range *r, size_t n, size_t alloc, int negate, uint32_t *out)
{
	rclass *cls;
	range *sorted = NULL;
	size_t m = 0;

	if (p->icase)
		fold_ranges(p, &r, &n, &alloc);
	if (p->error) {
		free(r);
		return p->error;
	}
	/* sort (insertion: classes are small) and merge */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && r[j - 1].lo > r[j].lo; j--) {
			range t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		if (m && r[i].lo <= r[m - 1].hi + 1) {
			if (r[i].hi > r[m - 1].hi)
				r[m - 1].hi = r[i].hi;
		} else {
			r[m++] = r[i];
		}
	}
	if (negate) {
		uint32_t from = 0;
		size_t k = 0;
		if (!(sorted = platci_arena_alloc(&p->re->arena, (m + 1) * sizeof(*sorted))))
			goto oom;
		for (size_t i = 0; i < m; i++) {
			if (r[i].lo > from) {
				sorted[k].lo = from;
				sorted[k++].hi = r[i].lo - 1;
			}
			from = r[i].hi + 1;
		}
		if (from <= 0x10FFFF) {
			sorted[k].lo = from;
			sorted[k++].hi = 0x10FFFF;
		}
		m = k;
	} else {
		if (!(sorted = platci_arena_alloc(&p->re->arena, (m ? m : 1) * sizeof(*sorted))))
			goto oom;
		if (m)
			memcpy(sorted, r, m * sizeof(*sorted));
	}
	free(r);
	if (p->re->nclasses >= MAX_CLASSES)
		return perr(p, PLATCI_ELIMIT, "pattern has too many character classes");
	cls = realloc(p->re->classes, (p->re->nclasses + 1) * sizeof(*cls));
	if (!cls)
		return perr(p, PLATCI_ENOMEM, "out of memory");
	p->re->classes = cls;
	cls[p->re->nclasses].r = sorted;
	cls[p->re->nclasses].n = m;
	*out = (uint32_t)p->re->nclasses++;
	return 0;
oom:
	free(r);
	return perr(p, PLATCI_ENOMEM, "out of memory");
}

static rnode *parse_class(parser *p)
{
	range *r = NULL;
	size_t n = 0, alloc = 0;
	int negate = 0;
	rnode *nd;

	if (p->s < p->end && *p->s == '^') {
		negate = 1;
		p->s++;
	}
	while (p->s < p->end && *p->s != ']') {
		uint32_t lo, hi;
		if (*p->s == '\\') {
			p->s++;
			if (p->s < p->end && strchr("dDwWsS", *p->s) && *p->s) {
				if (add_shorthand(p, &r, &n, &alloc, (char)*p->s++) < 0)
					goto fail;
				continue;
			}
			if (p->s < p->end && *p->s == 'b') {
				p->s++;
				lo = '\b';
			} else if (escape_char(p, &lo) < 0) {
				goto fail;
			}
		} else {
			lo = platci_regex__next_cp(&p->s, p->end);
		}
		hi = lo;
		if (p->s + 1 < p->end && *p->s == '-' && p->s[1] != ']') {
			p->s++;
			if (*p->s == '\\') {
				p->s++;
				if (p->s < p->end && strchr("dDwWsS", *p->s) && *p->s) {
					perr(p, PLATCI_ESYNTAX, "a class shorthand cannot end a range");
					goto fail;
				}
				if (escape_char(p, &hi) < 0)
					goto fail;
			} else {
				hi = platci_regex__next_cp(&p->s, p->end);
			}
			if (hi < lo) {
				perr(p, PLATCI_ESYNTAX, "range out of order in character class");
				goto fail;
			}
		}
		if (add_range(p, &r, &n, &alloc, lo, hi) < 0)
			goto fail;
	}
	if (p->s >= p->end) {
		perr(p, PLATCI_ESYNTAX, "missing ] in character class");
		goto fail;
	}
	p->s++;
	if (!(nd = node(p, N_CLASS, NULL, NULL)))
		goto fail;
	if (finish_class(p, r, n, alloc, negate, &nd->c) < 0)
		return NULL;
	return nd;
fail:
	free(r);
	return NULL;
}

static rnode *parse_alt(parser *p);

static rnode *shorthand_node(parser *p, char which)
{
	range *r = NULL;
	size_t n = 0, alloc = 0;
	rnode *nd;

	if (add_shorthand(p, &r, &n, &alloc, which) < 0 || !(nd = node(p, N_CLASS, NULL, NULL))) {
		free(r);
		return NULL;
	}
	return finish_class(p, r, n, alloc, 0, &nd->c) < 0 ? NULL : nd;
}

static rnode *char_node(parser *p, uint32_t c)
{
	rnode *nd;

	if (p->icase && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
		range *r = NULL;
		size_t n = 0, alloc = 0;
		if (add_range(p, &r, &n, &alloc, c, c) < 0 || !(nd = node(p, N_CLASS, NULL, NULL))) {
			free(r);
			return NULL;
		}
		return finish_class(p, r, n, alloc, 0, &nd->c) < 0 ? NULL : nd;
	}
	if ((nd = node(p, N_CHAR, NULL, NULL)))
		nd->c = c;
	return nd;
}

static rnode *parse_group(parser *p)
{
	rnode *inner;

	if (p->s < p->end && *p->s == '?') {
		if (p->s + 1 < p->end && p->s[1] == ':') {
			p->s += 2;
		} else if (p->s + 2 < p->end && (p->s[1] == 'P' || p->s[1] == '<') &&
			   p->s[1 + (p->s[1] == 'P')] == '<' && p->s[2] != '=' && p->s[2] != '!') {
			const unsigned char *close = memchr(p->s, '>', (size_t)(p->end - p->s));
			if (!close) {
				perr(p, PLATCI_ESYNTAX, "unterminated group name");
				return NULL;
			}
			p->s = close + 1;
		} else {
			perr(p, PLATCI_EVERSION,
				"lookaround and inline flags inside a pattern are not supported");
			return NULL;
		}
	}
	if (++p->depth > MAX_NEST) {
		perr(p, PLATCI_ELIMIT, "groups nested too deeply");
		return NULL;
	}
	inner = parse_alt(p);
	p->depth--;
	if (!inner)
		return NULL;
	if (p->s >= p->end || *p->s != ')') {
		perr(p, PLATCI_ESYNTAX, "missing )");
		return NULL;
	}
	p->s++;
	return inner;
}

static rnode *parse_atom(parser *p)
{
	unsigned char c = *p->s;
	uint32_t cp;

	switch (c) {
	case '(':
		p->s++;
		return parse_group(p);
	case '[':
		p->s++;
		return parse_class(p);
	case '.':
		p->s++;
		return node(p, N_ANY, NULL, NULL);
	case '^':
		p->s++;
		return node(p, N_BOL, NULL, NULL);
	case '$':
		p->s++;
		return node(p, N_EOL, NULL, NULL);
	case '*':
	case '+':
	case '?':
		perr(p, PLATCI_ESYNTAX, "nothing to repeat");
		return NULL;
	case '\\':
		p->s++;
		if (p->s < p->end && strchr("dDwWsS", *p->s) && *p->s)
			return shorthand_node(p, (char)*p->s++);
		if (p->s < p->end && (*p->s == 'b' || *p->s == 'B'))
			return node(p, *p->s++ == 'b' ? N_WORDB : N_NWORDB, NULL, NULL);
		if (escape_char(p, &cp) < 0)
			return NULL;
		return char_node(p, cp);
	default:
		cp = platci_regex__next_cp(&p->s, p->end);
		return char_node(p, cp);
	}
}

/* {n}, {n,}, {n,m}; anything else after '{' is a literal brace (ECMA Annex B). */
static int parse_braces(parser *p, int *min, int *max)
{
	const unsigned char *s = p->s + 1;
	long a = 0, b;

	if (s >= p->end || *s < '0' || *s > '9')
		return 0;
	while (s < p->end && *s >= '0' && *s <= '9' && a <= MAX_REPEAT)
		a = a * 10 + (*s++ - '0');
	b = a;
	if (s < p->end && *s == ',') {
		s++;
		b = -1;
		if (s < p->end && *s >= '0' && *s <= '9') {
			b = 0;
			while (s < p->end && *s >= '0' && *s <= '9' && b <= MAX_REPEAT)
				b = b * 10 + (*s++ - '0');
		}
	}
	if (s >= p->end || *s != '}')
		return 0;
	if (a > MAX_REPEAT || b > MAX_REPEAT)
		return perr(p, PLATCI_ELIMIT, "repetition count over 1000");
	if (b >= 0 && b < a)
		return perr(p, PLATCI_ESYNTAX, "repetition {n,m} with m < n");
	p->s = s + 1;
	*min = (int)a;
	*max = (int)b;
	return 1;
}

static rnode *parse_repeat(parser *p)
{
	rnode *atom = parse_atom(p);

	while (atom && p->s < p->end) {
		int min, max, rc;
		rnode *rep;
		if (*p->s == '*') {
			min = 0, max = -1, p->s++;
		} else if (*p->s == '+') {
			min = 1, max = -1, p->s++;
		} else if (*p->s == '?') {
			min = 0, max = 1, p->s++;
		} else if (*p->s == '{' && (rc = parse_braces(p, &min, &max)) != 0) {
			if (rc < 0)
				return NULL;
		} else {
			break;
		}
		if (atom->type == N_BOL || atom->type == N_EOL || atom->type == N_WORDB ||
			atom->type == N_NWORDB) {
			perr(p, PLATCI_ESYNTAX, "nothing to repeat");
			return NULL;
		}
		if (p->s < p->end && *p->s == '?')
			p->s++; /* lazy: the same strings match */
		if (!(rep = node(p, N_REP, atom, NULL)))
			return NULL;
		rep->min = min;
		rep->max = max;
		atom = rep;
	}
	return atom;
}

static rnode *parse_concat(parser *p)
{
	rnode *left = NULL;

	while (p->s < p->end && *p->s != '|' && *p->s != ')') {
		rnode *r = parse_repeat(p);
		if (!r)
			return NULL;
		left = left ? node(p, N_CAT, left, r) : r;
		if (!left)
			return NULL;
	}
	return left ? left : node(p, N_EMPTY, NULL, NULL);
}

static rnode *parse_alt(parser *p)
{
	rnode *left = parse_concat(p);

	while (left && p->s < p->end && *p->s == '|') {
		rnode *right;
		p->s++;
		if (!(right = parse_concat(p)))
			return NULL;
		left = node(p, N_ALT, left, right);
	}
	return left;
}

/* ---- emitting ------------------------------------------------------------- */

typedef struct emitter {
	rinst *prog;
	size_t n, alloc;
	int error;
} emitter;

static size_t emit(emitter *e, uint8_t op, uint32_t x, uint32_t y)
{
	if (e->error)
		return 0;
	if (e->n >= PLATCI_REGEX_MAX_PROGRAM) {
		e->error = PLATCI_ELIMIT;
		return 0;
	}
	if (platci__grow_array((void **)&e->prog, &e->alloc, e->n + 1, sizeof(*e->prog)) < 0) {
		e->error = PLATCI_ENOMEM;
		return 0;
	}
	e->prog[e->n].op = op;
	e->prog[e->n].x = x;
	e->prog[e->n].y = y;
	return e->n++;
}

static void gen(emitter *e, const rnode *n)
{
	size_t split, jmp;

	if (e->error)
		return;
	switch (n->type) {
	case N_EMPTY:
		break;
	case N_CHAR:
		emit(e, I_CHAR, n->c, 0);
		break;
	case N_ANY:
		emit(e, I_ANY, 0, 0);
		break;
	case N_CLASS:
		emit(e, I_CLASS, n->c, 0);
		break;
	case N_BOL:
		emit(e, I_BOL, 0, 0);
		break;
	case N_EOL:
		emit(e, I_EOL, 0, 0);
		break;
	case N_WORDB:
		emit(e, I_WORDB, 0, 0);
		break;
	case N_NWORDB:
		emit(e, I_NWORDB, 0, 0);
		break;
	case N_CAT:
		gen(e, n->a);
		gen(e, n->b);
		break;
	case N_ALT:
		split = emit(e, I_SPLIT, 0, 0);
		gen(e, n->a);
		jmp = emit(e, I_JMP, 0, 0);
		if (e->error)
			return;
		e->prog[split].x = (uint32_t)split + 1;
		e->prog[split].y = (uint32_t)e->n;
		gen(e, n->b);
		if (!e->error)
			e->prog[jmp].x = (uint32_t)e->n;
		break;
	case N_REP:
		for (int i = 0; i < n->min && !e->error; i++)
			gen(e, n->a);
		if (n->max < 0) {
			split = emit(e, I_SPLIT, 0, 0);
			gen(e, n->a);
			emit(e, I_JMP, (uint32_t)split, 0);
			if (!e->error) {
				e->prog[split].x = (uint32_t)split + 1;
				e->prog[split].y = (uint32_t)e->n;
			}
		} else {
			size_t first = e->n, opt = (size_t)(n->max - n->min);
			for (size_t i = 0; i < opt && !e->error; i++) {
				split = emit(e, I_SPLIT, (uint32_t)e->n + 1, 0);
				gen(e, n->a);
			}
			/* every optional copy may stop: point each split past the last copy */
			for (size_t pc = first; pc < e->n && !e->error; pc++)
				if (e->prog[pc].op == I_SPLIT && e->prog[pc].y == 0 &&
					e->prog[pc].x == pc + 1)
					e->prog[pc].y = (uint32_t)e->n;
		}
		break;
	}
}

int platci_regex__compile(platci_regex **out, const char *pattern, size_t len, char *why, size_t why_size)
{
	platci_arena tree;
	platci_regex *re = NULL;
	emitter e = { NULL, 0, 0, 0 };
	parser p;
	rnode *root;
	int error = 0;

	*out = NULL;
	if (why_size)
		why[0] = '\0';
	platci_arena_init(&tree, 4096);
	PLATCI_CHECK_ALLOC(re = calloc(1, sizeof(*re)));
	platci_arena_init(&re->arena, 1024);
	memset(&p, 0, sizeof(p));
	p.s = (const unsigned char *)pattern;
	p.end = p.s + len;
	p.tree = &tree;
	p.re = re;
	p.why = why;
	p.why_size = why_size;
	if (len >= 4 && memcmp(pattern, "(?i)", 4) == 0) {
		p.icase = 1;
		p.s += 4;
	}
	root = parse_alt(&p);
	if (!p.error && p.s < p.end)
		perr(&p, PLATCI_ESYNTAX, "unmatched )");
	if ((error = p.error) < 0 || !root) {
		error = error ? error : PLATCI_ENOMEM;
		goto done;
	}
	gen(&e, root);
	emit(&e, I_MATCH, 0, 0);
	if ((error = e.error) < 0) {
		if (error == PLATCI_ELIMIT)
			snprintf(why, why_size, "pattern compiles to more than %d instructions",
				PLATCI_REGEX_MAX_PROGRAM);
		goto done;
	}
	re->prog = e.prog;
	re->n = e.n;
	e.prog = NULL;
	*out = re;
	re = NULL;
done:
	free(e.prog);
	platci_regex__free(re);
	platci_arena_dispose(&tree);
	return error;
}

void platci_regex__free(platci_regex *re)
{
	if (!re)
		return;
	free(re->prog);
	free(re->classes);
	platci_arena_dispose(&re->arena);
	free(re);
}
