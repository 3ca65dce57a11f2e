/*
 * A string -> index map with open addressing, string interning on top of
 * it, and the set of the findings' fingerprints.
 */
#include <string.h>

#include "scan_int.h"
#include "util/common.h"
#include "util/banned.h"

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

int platci_scan__map_find(const scan_map *m, const char *key, size_t *val)
{
	size_t i;

	size_t h;

	if (!m->cap)
		return 0;
	h = hash(key);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->hashes[i] == h && strcmp(m->keys[i], key) == 0) {
			if (val)
				*val = m->vals[i];
			return 1;
		}
	return 0;
}

static int grow(scan_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	const char **keys = calloc(cap, sizeof(*keys));
	size_t *vals = calloc(cap, sizeof(*vals));
	size_t *hashes = calloc(cap, sizeof(*hashes));

	if (!keys || !vals || !hashes) {
		free(keys);
		free(vals);
		free(hashes);
		return PLATCI_ENOMEM;
	}
	for (size_t j = 0; j < m->cap; j++) {
		size_t i;
		if (!m->keys[j])
			continue;
		for (i = m->hashes[j] & (cap - 1); keys[i]; i = (i + 1) & (cap - 1))
			;
		keys[i] = m->keys[j];
		vals[i] = m->vals[j];
		hashes[i] = m->hashes[j];
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	m->keys = keys;
	m->vals = vals;
	m->hashes = hashes;
	m->cap = cap;
	return 0;
}

/* @p key must outlive the map (it is interned or arena-owned). */
int platci_scan__map_put(scan_map *m, const char *key, size_t val)
{
	size_t i, h = hash(key);
	int error;

	/* Half full at most: linear probing stays short. */
	if ((m->len + 1) * 2 >= m->cap && (error = grow(m)) < 0)
		return error;
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->hashes[i] == h && strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return 0;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->hashes[i] = h;
	m->len++;
	return 0;
}

void platci_scan__map_dispose(scan_map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	memset(m, 0, sizeof(*m));
}

static const char *stored_key(const scan_map *m, const char *key)
{
	size_t i, h;

	if (!m->cap)
		return NULL;
	h = hash(key);
	for (i = h & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->hashes[i] == h && strcmp(m->keys[i], key) == 0)
			return m->keys[i];
	return NULL;
}

/* Findings repeat images, targets, titles and descriptions: keep one copy of each. */
const char *platci_scan__intern(platci_scan *s, const char *str)
{
	const char *have;
	char *copy;

	if (!str)
		return NULL;
	if ((have = stored_key(&s->interned, str)) != NULL)
		return have;
	if (!(copy = platci_arena_strdup(&s->arena, str)))
		return NULL;
	if (platci_scan__map_put(&s->interned, copy, 0) < 0)
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
