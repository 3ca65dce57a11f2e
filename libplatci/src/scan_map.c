/*
 * String interning and string -> index maps over util/strmap, and the set
 * of the findings' fingerprints.
 */
#include <string.h>

#include "scan_int.h"
#include "util/common.h"
#include "util/banned.h"

/* Values are stored plus one: the map's NULL means absent. */
int platci_scan__map_find(const platci__strmap *m, const char *key, size_t *val)
{
	void *v = platci__strmap_get(m, key, strlen(key));

	if (!v)
		return 0;
	if (val)
		*val = (size_t)((uintptr_t)v - 1);
	return 1;
}

int platci_scan__map_put(platci__strmap *m, const char *key, size_t val)
{
	return platci__strmap_put(m, key, strlen(key), (void *)((uintptr_t)val + 1));
}

/* Findings repeat images, targets and vectors: keep one copy of each. */
const char *platci_scan__intern(platci_scan *s, const char *str)
{
	size_t n;
	char *copy;
	const char *have;

	if (!str)
		return NULL;
	n = strlen(str);
	if ((have = platci__strmap_get(&s->interned, str, n)) != NULL)
		return have;
	if (!(copy = platci_arena_strdup(&s->arena, str)))
		return NULL;
	if (platci__strmap_put(&s->interned, copy, n, copy) < 0)
		return NULL;
	return copy;
}

/* ---- the fingerprints of the findings seen ---------------------------------------------- */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/*
 * Two independent 64-bit hashes of the key, eight bytes at a step: a set
 * of 200,000 keys never meets a collision of both.
 */
static void hash128(const char *k, size_t n, uint64_t out[2])
{
	uint64_t a = 0x243f6a8885a308d3ull ^ n, b = 0x13198a2e03707344ull + n;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, k + i, 8);
		a = (a ^ w) * 0x9e3779b97f4a7c15ull;
		a ^= a >> 29;
		b = (b + w) * 0xbf58476d1ce4e5b9ull;
		b ^= b >> 31;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, k + i, n - i);
		a = (a ^ w) * 0x9e3779b97f4a7c15ull;
		b = (b + w) * 0xbf58476d1ce4e5b9ull;
	}
	out[0] = mix(a) | 1; /* never 0: 0,0 marks a free slot */
	out[1] = mix(b);
}

/* A slot for @p h in a table of @p cap (any size): the top 32 bits scaled down, no division. */
static size_t home(uint64_t h, size_t cap)
{
	return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static void part_put(uint64_t *slots, size_t cap, uint64_t a, uint64_t b)
{
	size_t i = home(b, cap);

	while (slots[2 * i])
		i = i + 1 == cap ? 0 : i + 1;
	slots[2 * i] = a;
	slots[2 * i + 1] = b;
}

/* Half as large again: load stays between 1/2 and 3/4, whatever the number of findings. */
static int part_grow(scan_seen_part *p)
{
	size_t cap = p->cap ? p->cap + p->cap / 2 : 32;
	uint64_t *slots = calloc(cap * 2, sizeof(*slots));

	if (!slots)
		return PLATCI_ENOMEM;
	for (size_t j = 0; j < p->cap; j++)
		if (p->slots[2 * j])
			part_put(slots, cap, p->slots[2 * j], p->slots[2 * j + 1]);
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
	return 0;
}

int platci_scan__seen_add(scan_seen *set, const char *key, size_t len)
{
	scan_seen_part *p;
	uint64_t h[2];
	size_t i;

	hash128(key, len, h);
	p = &set->part[h[0] >> 56];
	if ((p->len + 1) * 4 > p->cap * 3 && part_grow(p) < 0)
		return PLATCI_ENOMEM;
	for (i = home(h[1], p->cap); p->slots[2 * i]; i = i + 1 == p->cap ? 0 : i + 1)
		if (p->slots[2 * i] == h[0] && p->slots[2 * i + 1] == h[1])
			return 1;
	p->slots[2 * i] = h[0];
	p->slots[2 * i + 1] = h[1];
	p->len++;
	set->len++;
	return 0;
}

void platci_scan__seen_dispose(scan_seen *set)
{
	for (size_t i = 0; i < SCAN_SEEN_PARTS; i++)
		free(set->part[i].slots);
	memset(set, 0, sizeof(*set));
}
