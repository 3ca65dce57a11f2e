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

static int seen_grow(scan_seen *set)
{
	/* four times larger each time: fewer passes over a table that misses the cache */
	size_t cap = set->cap ? set->cap * 4 : 16384;
	uint64_t *slots = calloc(cap * 2, sizeof(*slots));

	if (!slots)
		return PLATCI_ENOMEM;
	for (size_t j = 0; j < set->cap; j++) {
		size_t i;
		if (!set->slots[2 * j])
			continue;
		for (i = set->slots[2 * j + 1] & (cap - 1); slots[2 * i]; i = (i + 1) & (cap - 1))
			;
		slots[2 * i] = set->slots[2 * j];
		slots[2 * i + 1] = set->slots[2 * j + 1];
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

int platci_scan__seen_add(scan_seen *set, const char *key, size_t len)
{
	uint64_t h[2];
	size_t i;

	if ((set->len + 1) * 2 > set->cap && seen_grow(set) < 0)
		return PLATCI_ENOMEM;
	hash128(key, len, h);
	for (i = h[1] & (set->cap - 1); set->slots[2 * i]; i = (i + 1) & (set->cap - 1))
		if (set->slots[2 * i] == h[0] && set->slots[2 * i + 1] == h[1])
			return 1;
	set->slots[2 * i] = h[0];
	set->slots[2 * i + 1] = h[1];
	set->len++;
	return 0;
}

void platci_scan__seen_dispose(scan_seen *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
