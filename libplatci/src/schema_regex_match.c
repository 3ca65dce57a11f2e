/*
 * Running a compiled pattern: a Pike VM (Thompson's construction run
 * breadth-first), so time is linear in the input for a given program.
 */
#include <stdint.h>
#include <string.h>

#include "schema_regex_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_WORK 400000000 /* input code points x program size, per search */

static int in_class(const rclass *c, uint32_t cp)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < c->r[mid].lo)
			hi = mid;
		else if (cp > c->r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static int is_word(int64_t c)
{
	return c >= 0 &&
	       ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_');
}

typedef struct vm {
	const platci_regex *re;
	uint32_t *list[2];
	size_t count[2];
	uint32_t *mark; /* generation that last added each pc */
	uint32_t *stack;
	uint32_t gen;
} vm;

/* Adds pc and its epsilon closure to list @p l; returns 1 when MATCH is reached. */
static int add_thread(vm *v, int l, uint32_t pc, int64_t prev, int64_t next)
{
	size_t sp = 0;

	v->stack[sp++] = pc;
	while (sp) {
		const rinst *in;
		pc = v->stack[--sp];
		if (v->mark[pc] == v->gen)
			continue;
		v->mark[pc] = v->gen;
		in = &v->re->prog[pc];
		switch (in->op) {
		case I_MATCH:
			return 1;
		case I_JMP:
			v->stack[sp++] = in->x;
			break;
		case I_SPLIT:
			v->stack[sp++] = in->y;
			v->stack[sp++] = in->x;
			break;
		case I_BOL:
			if (prev < 0)
				v->stack[sp++] = pc + 1;
			break;
		case I_EOL:
			if (next < 0)
				v->stack[sp++] = pc + 1;
			break;
		case I_WORDB:
		case I_NWORDB:
			if ((is_word(prev) != is_word(next)) == (in->op == I_WORDB))
				v->stack[sp++] = pc + 1;
			break;
		default:
			v->list[l][v->count[l]++] = pc;
			break;
		}
	}
	return 0;
}

static int step_matches(const platci_regex *re, const rinst *in, uint32_t c)
{
	switch (in->op) {
	case I_CHAR:
		return in->x == c;
	case I_ANY:
		return c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
	case I_CLASS:
		return in_class(&re->classes[in->x], c);
	default:
		return 0;
	}
}

int platci_regex__search(const platci_regex *re, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len, *p = s, *q;
	vm v;
	int cur = 0, found = 0;
	int64_t c, after;
	size_t n = re->n;

	if (len && (len + 1) > MAX_WORK / n)
		return PLATCI_ELIMIT;
	memset(&v, 0, sizeof(v));
	v.re = re;
	v.list[0] = malloc(n * sizeof(uint32_t));
	v.list[1] = malloc(n * sizeof(uint32_t));
	v.mark = calloc(n, sizeof(uint32_t));
	/* a pc is pushed once per SPLIT arm that reaches it: at most 2n + 1 pushes */
	v.stack = malloc((2 * n + 1) * sizeof(uint32_t));
	if (!v.list[0] || !v.list[1] || !v.mark || !v.stack) {
		found = PLATCI_ENOMEM;
		goto done;
	}
	q = p;
	after = p < end ? (int64_t)platci_regex__next_cp(&q, end) : -1;
	v.gen = 1;
	if ((found = add_thread(&v, cur, 0, -1, after)) != 0)
		goto done;
	while (p < end) {
		const unsigned char *r;
		q = p;
		c = (int64_t)platci_regex__next_cp(&q, end);
		r = q;
		after = q < end ? (int64_t)platci_regex__next_cp(&r, end) : -1;
		v.gen++;
		v.count[!cur] = 0;
		for (size_t i = 0; i < v.count[cur]; i++) {
			const rinst *in = &re->prog[v.list[cur][i]];
			if (step_matches(re, in, (uint32_t)c) &&
				(found = add_thread(&v, !cur, v.list[cur][i] + 1, c, after)) != 0)
				goto done;
		}
		/* unanchored search: a new attempt starts at every position */
		if ((found = add_thread(&v, !cur, 0, c, after)) != 0)
			goto done;
		cur = !cur;
		p = q;
	}
done:
	free(v.list[0]);
	free(v.list[1]);
	free(v.mark);
	free(v.stack);
	return found;
}
