#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "banned.h"

struct platci_arena_block {
	platci_arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN (alignof(max_align_t))

void platci_arena_init(platci_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->total = 0;
}

void platci_arena_dispose(platci_arena *a)
{
	platci_arena_block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->total = 0;
}

void *platci_arena_alloc(platci_arena *a, size_t size)
{
	platci_arena_block *b;
	size_t rounded, bsize;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);

#ifndef PLATCI_DEBUG_POOL
	b = a->head;
	if (b && b->size - b->used >= rounded) {
		void *p = b->data + b->used;
		b->used += rounded;
		a->total += rounded;
		return p;
	}
	bsize = rounded > a->block_size / 4 ? rounded : a->block_size;
#else
	bsize = size;
#endif
	b = malloc(sizeof(*b) + bsize);
	if (!b)
		return NULL;
	b->size = bsize;
	b->used = rounded < bsize ? rounded : bsize;
	/* A large one-off block goes behind the head so the head keeps its free space. */
	if (a->head && bsize != a->block_size) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	a->total += rounded;
	return b->data;
}

void *platci_arena_zalloc(platci_arena *a, size_t size)
{
	void *p = platci_arena_alloc(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

char *platci_arena_strndup(platci_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = platci_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *platci_arena_strdup(platci_arena *a, const char *s)
{
	return platci_arena_strndup(a, s, strlen(s));
}
