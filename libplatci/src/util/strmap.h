/*
 * The library's one string hash map: keys are byte strings with a length
 * (they may hold NUL), values are pointers. Open addressing with linear
 * probing over a power-of-two table kept at most half full. The hash
 * (platci__strhash) is FNV-1a's steps and 64-bit prime over the start
 * value the tree's hand-made tables used (1469598103934665603, a tenth of
 * FNV's published basis): callers that sort by it keep their order.
 *
 * Keys are borrowed: the map stores the pointer, so a key must outlive its
 * entry (arena strings, or the record the value points at). Nothing is
 * removed one by one; platci__strmap_clear() empties the map for reuse.
 */
#ifndef PLATCI_UTIL_STRMAP_H
#define PLATCI_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct platci__strmap_slot {
	const char *key; /* NULL: empty */
	size_t len;
	void *value;
} platci__strmap_slot;

typedef struct platci__strmap {
	platci__strmap_slot *slots;
	size_t used, alloc;
} platci__strmap;

#define PLATCI__STRMAP_INIT \
	{ \
		NULL, 0, 0 \
	}

/* The 64-bit hash of @p len bytes at @p key (FNV-1a steps; see above). */
uint64_t platci__strhash(const char *key, size_t len);

/*
 * The same hash continued over more bytes, for keys made of several parts:
 * start from PLATCI__STRHASH_INIT, and feed a byte no part holds between
 * the parts so that ("ab", "c") and ("a", "bc") differ.
 */
#define PLATCI__STRHASH_INIT 1469598103934665603u
uint64_t platci__strhash_more(uint64_t h, const char *key, size_t len);

/*
 * Adds @p key (@p len bytes) with @p value, or, when the key is there
 * already, leaves the map as it is and sets *@p existing_out (may be NULL)
 * to the value it holds. @return 0 when added, 1 when present,
 * PLATCI_ENOMEM.
 */
int platci__strmap_insert(platci__strmap *m, const char *key, size_t len, void *value, void **existing_out);

/* Adds @p key or replaces its value. @return 0 or PLATCI_ENOMEM. */
int platci__strmap_put(platci__strmap *m, const char *key, size_t len, void *value);

/* The value stored for @p key, or NULL when absent. */
void *platci__strmap_get(const platci__strmap *m, const char *key, size_t len);

/* Number of entries. */
size_t platci__strmap_count(const platci__strmap *m);

/* Removes every entry and keeps the table for reuse. */
void platci__strmap_clear(platci__strmap *m);

/* Frees the table (not the keys or values); the map is empty and reusable after. */
void platci__strmap_dispose(platci__strmap *m);

#endif
