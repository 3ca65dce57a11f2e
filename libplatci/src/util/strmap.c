/* The one string hash map (util/strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "platci/errors.h"
#include "util/strmap.h"
#include "util/banned.h"

#define STRMAP_MIN 64

uint64_t platci__strhash_more(uint64_t h, const char *key, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211u;
	return h;
}

uint64_t platci__strhash(const char *key, size_t len)
{
	return platci__strhash_more(PLATCI__STRHASH_INIT, key, len);
}

/* The slot holding @p key, or the empty slot where it belongs. */
static platci__strmap_slot *find(const platci__strmap *m, const char *key, size_t len)
{
	size_t mask = m->alloc - 1;
	size_t i = (size_t)platci__strhash(key, len) & mask;

	while (m->slots[i].key && !(m->slots[i].len == len && memcmp(m->slots[i].key, key, len) == 0))
		i = (i + 1) & mask;
	return &m->slots[i];
}

/* Keeps the table at most half full once one more entry is added. */
static int reserve(platci__strmap *m)
{
	platci__strmap old = *m;
	size_t n = m->alloc ? m->alloc : STRMAP_MIN;

	if (m->alloc && (m->used + 1) * 2 <= m->alloc)
		return 0;
	while ((m->used + 1) * 2 > n) {
		if (n > SIZE_MAX / 2 / sizeof(*m->slots))
			return PLATCI_ENOMEM;
		n *= 2;
	}
	if (!(m->slots = calloc(n, sizeof(*m->slots)))) {
		m->slots = old.slots;
		return PLATCI_ENOMEM;
	}
	m->alloc = n;
	for (size_t i = 0; i < old.alloc; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].len) = old.slots[i];
	free(old.slots);
	return 0;
}

int platci__strmap_insert(platci__strmap *m, const char *key, size_t len, void *value, void **existing_out)
{
	platci__strmap_slot *s;
	int error;

	if (m->alloc) {
		s = find(m, key, len);
		if (s->key) {
			if (existing_out)
				*existing_out = s->value;
			return 1;
		}
	}
	if ((error = reserve(m)) < 0)
		return error;
	s = find(m, key, len);
	s->key = key;
	s->len = len;
	s->value = value;
	m->used++;
	return 0;
}

int platci__strmap_put(platci__strmap *m, const char *key, size_t len, void *value)
{
	platci__strmap_slot *s;
	int error = platci__strmap_insert(m, key, len, value, NULL);

	if (error != 1)
		return error;
	s = find(m, key, len);
	s->key = key;
	s->value = value;
	return 0;
}

void *platci__strmap_get(const platci__strmap *m, const char *key, size_t len)
{
	return m->alloc ? find(m, key, len)->value : NULL;
}

size_t platci__strmap_count(const platci__strmap *m)
{
	return m->used;
}

void platci__strmap_clear(platci__strmap *m)
{
	if (m->slots)
		memset(m->slots, 0, m->alloc * sizeof(*m->slots));
	m->used = 0;
}

void platci__strmap_dispose(platci__strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->used = m->alloc = 0;
}
