/*
 * A bump allocator for a parsed model: many small objects, freed in one
 * call. With PLATCI_DEBUG_POOL defined every allocation is a malloc of
 * its own, so ASan and valgrind still see overruns.
 */
#ifndef PLATCI_UTIL_ARENA_H
#define PLATCI_UTIL_ARENA_H

#include <stddef.h>

typedef struct platci_arena_block platci_arena_block;

typedef struct platci_arena {
	platci_arena_block *head;
	size_t block_size;
	size_t total; /* bytes handed out */
} platci_arena;

void platci_arena_init(platci_arena *a, size_t block_size);
void platci_arena_dispose(platci_arena *a);
/* Aligned to max_align_t; NULL on failure. */
void *platci_arena_alloc(platci_arena *a, size_t size);
void *platci_arena_zalloc(platci_arena *a, size_t size);
/* Copies n bytes and a NUL. */
char *platci_arena_strndup(platci_arena *a, const char *s, size_t n);
char *platci_arena_strdup(platci_arena *a, const char *s);

#endif
