/* A string -> index map with open addressing, and string interning on top of it. */
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

int scan_map_find(const scan_map *m, const char *key, size_t *val)
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
int scan_map_put(scan_map *m, const char *key, size_t val)
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

void scan_map_dispose(scan_map *m)
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
const char *scan_intern(platci_scan *s, const char *str)
{
	const char *have;
	char *copy;

	if (!str)
		return NULL;
	if ((have = stored_key(&s->interned, str)) != NULL)
		return have;
	if (!(copy = platci_arena_strdup(&s->arena, str)))
		return NULL;
	if (scan_map_put(&s->interned, copy, 0) < 0)
		return NULL;
	return copy;
}
