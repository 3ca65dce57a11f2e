/*
 * Routing keys to subscriptions, and refusing duplicate keys: the two
 * things the streaming reader does for every key of every object it looks
 * into, so both are one hash lookup, whatever the number of subscriptions.
 */
#include <string.h>

#include "json_stream_int.h"
#include "util/common.h"
#include "util/banned.h"

/* Keys are short: eight bytes at a step, then a final mix. */
uint32_t platci_json_stream__hash(const char *k, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, k + i, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, k + i, n - i);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
	}
	h ^= h >> 29;
	h *= 0x94d049bb133111ebull;
	return (uint32_t)(h ^ (h >> 32));
}

const key_route *platci_json_stream__find_key(const dispatch *d, const char *k, size_t n, uint32_t h)
{
	size_t mask = d->keys_cap - 1;

	if (!d->keys_cap)
		return NULL;
	for (size_t j = h & mask; d->keys[j].key; j = (j + 1) & mask)
		if (d->keys[j].hash == h && d->keys[j].len == n && memcmp(d->keys[j].key, k, n) == 0)
			return &d->keys[j];
	return NULL;
}

void platci_json_stream__table_free(dispatch *d)
{
	if (!d)
		return;
	free(d->keys);
	free(d->idx);
	free(d);
}

/* Adds subscription @p i to the route its step at d->depth names. */
static int dispatch_add(dispatch *d, const sub *u, size_t i)
{
	const step *st = &u->steps[d->depth];
	submask bit = (submask)1 << i;
	route *r;

	if (st->kind == PLATCI_QUERY_ANY) {
		r = &d->any;
	} else if (st->kind == PLATCI_QUERY_INDEX) {
		size_t k;
		for (k = 0; k < d->nidx && d->idx[k].index != st->index; k++)
			;
		if (k == d->nidx) {
			index_route *n = realloc(d->idx, (d->nidx + 1) * sizeof(*n));
			if (!n)
				return PLATCI_ENOMEM;
			d->idx = n;
			memset(&d->idx[d->nidx], 0, sizeof(*n));
			d->idx[d->nidx++].index = st->index;
		}
		r = &d->idx[k].r;
	} else {
		uint32_t h = platci_json_stream__hash(st->key, st->key_len);
		key_route *kr = (key_route *)platci_json_stream__find_key(d, st->key, st->key_len, h);
		size_t j;
		if (!kr) {
			for (j = h & (d->keys_cap - 1); d->keys[j].key; j = (j + 1) & (d->keys_cap - 1))
				;
			kr = &d->keys[j];
			kr->key = st->key;
			kr->len = st->key_len;
			kr->hash = h;
		}
		r = &kr->r;
	}
	if (u->nsteps == d->depth + 1) {
		r->here |= bit;
		r->kinds |= u->kinds;
	} else {
		r->below |= bit;
	}
	return 0;
}

/* The table for the subscriptions @p mask at @p depth: an existing one, or a new one. */
dispatch *platci_json_stream__table(platci_json_stream *s, submask mask, size_t depth)
{
	dispatch *d;
	size_t cap = 4;

	for (size_t i = 0; i < s->ntables; i++)
		if (s->tables[i]->mask == mask && s->tables[i]->depth == depth)
			return s->tables[i];
	if (platci__grow_array((void **)&s->tables, &s->tables_alloc, s->ntables + 1,
		    sizeof(*s->tables)) < 0 ||
		!(d = calloc(1, sizeof(*d))))
		return NULL;
	while (cap < 2 * platci_json_stream__count(mask))
		cap *= 2;
	d->depth = depth;
	d->mask = mask;
	d->keys_cap = cap;
	if (!(d->keys = calloc(cap, sizeof(*d->keys))))
		goto fail;
	for (submask m = mask; m; m &= m - 1) {
		size_t i = platci_json_stream__lowest(m);
		if (dispatch_add(d, &s->subs[i], i) < 0)
			goto fail;
	}
	/* A named key or index also takes the steps that match any. */
	for (size_t j = 0; j < d->keys_cap; j++)
		if (d->keys[j].key) {
			d->keys[j].r.here |= d->any.here;
			d->keys[j].r.kinds |= d->any.kinds;
			d->keys[j].r.below |= d->any.below;
		}
	for (size_t k = 0; k < d->nidx; k++) {
		d->idx[k].r.here |= d->any.here;
		d->idx[k].r.kinds |= d->any.kinds;
		d->idx[k].r.below |= d->any.below;
	}
	s->tables[s->ntables++] = d;
	return d;
fail:
	platci_json_stream__table_free(d);
	return NULL;
}

/* The route of the next value in array frame @p f. */
const route *platci_json_stream__index_route(const frame *f, size_t index)
{
	for (size_t k = 0; k < f->d->nidx; k++)
		if (f->d->idx[k].index == index)
			return &f->d->idx[k].r;
	return &f->d->any;
}

void platci_json_stream__keys_reset(keyset *ks)
{
	platci_buf_clear(&ks->text);
	if (ks->n)
		memset(ks->slots, 0, ks->cap * sizeof(*ks->slots));
	ks->n = 0;
}

void platci_json_stream__keys_dispose(keyset *ks)
{
	platci_buf_dispose(&ks->text);
	free(ks->slots);
	free(ks->hashes);
}

static int keyset_grow(keyset *ks)
{
	size_t cap = ks->cap ? ks->cap * 2 : 32;
	uint32_t *slots = calloc(cap, sizeof(*slots)), *hashes = calloc(cap, sizeof(*hashes));

	if (!slots || !hashes) {
		free(slots);
		free(hashes);
		return PLATCI_ENOMEM;
	}
	for (size_t i = 0; i < ks->cap; i++) {
		size_t j;
		if (!ks->slots[i])
			continue;
		for (j = ks->hashes[i] & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = ks->slots[i];
		hashes[j] = ks->hashes[i];
	}
	free(ks->slots);
	free(ks->hashes);
	ks->slots = slots;
	ks->hashes = hashes;
	ks->cap = cap;
	return 0;
}

/* 1 when @p k (hash @p h) was in the set already; else adds it. */
int platci_json_stream__keys_add(keyset *ks, const char *k, size_t n, uint32_t h, size_t *at)
{
	size_t j, off;

	if ((ks->n + 1) * 2 > ks->cap && keyset_grow(ks) < 0)
		return PLATCI_ENOMEM;
	for (j = h & (ks->cap - 1); ks->slots[j]; j = (j + 1) & (ks->cap - 1)) {
		const char *seen = ks->text.ptr + ks->slots[j] - 1;
		if (ks->hashes[j] == h && memcmp(seen, k, n) == 0 && seen[n] == '\0')
			return 1;
	}
	off = ks->text.size;
	if (off >= UINT32_MAX - n - 1 || platci_buf_put(&ks->text, k, n) < 0 ||
		platci_buf_putc(&ks->text, '\0') < 0)
		return PLATCI_ENOMEM;
	ks->slots[j] = (uint32_t)off + 1;
	ks->hashes[j] = h;
	ks->n++;
	*at = off;
	return 0;
}
