/* util/strmap: the one string hash map. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "platci/errors.h"
#include "util/strmap.h"

Test(strmap, empty_map_finds_nothing)
{
	platci__strmap m = PLATCI__STRMAP_INIT;

	cr_assert_null(platci__strmap_get(&m, "a", 1));
	cr_assert_eq(platci__strmap_count(&m), 0);
	platci__strmap_dispose(&m);
}

Test(strmap, insert_keeps_the_first_value_and_says_so)
{
	platci__strmap m = PLATCI__STRMAP_INIT;
	int one = 1, two = 2;
	void *had = NULL;

	cr_assert_eq(platci__strmap_insert(&m, "key", 3, &one, &had), 0);
	cr_assert_null(had);
	cr_assert_eq(platci__strmap_insert(&m, "key", 3, &two, &had), 1);
	cr_assert_eq(had, &one);
	cr_assert_eq(platci__strmap_get(&m, "key", 3), &one);
	cr_assert_eq(platci__strmap_count(&m), 1);
	platci__strmap_dispose(&m);
}

Test(strmap, put_replaces)
{
	platci__strmap m = PLATCI__STRMAP_INIT;
	int one = 1, two = 2;

	cr_assert_eq(platci__strmap_put(&m, "a", 1, &one), 0);
	cr_assert_eq(platci__strmap_put(&m, "a", 1, &two), 0);
	cr_assert_eq(platci__strmap_get(&m, "a", 1), &two);
	cr_assert_eq(platci__strmap_count(&m), 1);
	platci__strmap_dispose(&m);
}

/* Keys are bytes with a length: a prefix, or a key with a NUL inside, is another key. */
Test(strmap, keys_are_compared_by_length_and_bytes)
{
	platci__strmap m = PLATCI__STRMAP_INIT;
	int a = 1, b = 2, c = 3;

	cr_assert_eq(platci__strmap_put(&m, "ab", 2, &a), 0);
	cr_assert_eq(platci__strmap_put(&m, "ab", 1, &b), 0);
	cr_assert_eq(platci__strmap_put(&m, "a\0b", 3, &c), 0);
	cr_assert_eq(platci__strmap_get(&m, "ab", 2), &a);
	cr_assert_eq(platci__strmap_get(&m, "a", 1), &b);
	cr_assert_eq(platci__strmap_get(&m, "a\0b", 3), &c);
	cr_assert_null(platci__strmap_get(&m, "abc", 3));
	cr_assert_eq(platci__strmap_count(&m), 3);
	platci__strmap_dispose(&m);
}

/* Growth rehashes every entry: all of 5,000 keys are still found after it. */
Test(strmap, grows_and_keeps_every_entry)
{
	platci__strmap m = PLATCI__STRMAP_INIT;
	static char keys[5000][16];

	for (size_t i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		cr_assert_eq(platci__strmap_put(&m, keys[i], strlen(keys[i]), keys[i]), 0);
	}
	cr_assert_eq(platci__strmap_count(&m), 5000);
	cr_assert_leq(platci__strmap_count(&m) * 2, m.alloc, "kept at most half full");
	for (size_t i = 0; i < 5000; i++)
		cr_assert_eq(platci__strmap_get(&m, keys[i], strlen(keys[i])), keys[i], "%s", keys[i]);
	cr_assert_null(platci__strmap_get(&m, "k5000", 5));
	platci__strmap_dispose(&m);
}

Test(strmap, clear_empties_and_the_map_is_reusable)
{
	platci__strmap m = PLATCI__STRMAP_INIT;
	int one = 1;

	cr_assert_eq(platci__strmap_put(&m, "a", 1, &one), 0);
	platci__strmap_clear(&m);
	cr_assert_null(platci__strmap_get(&m, "a", 1));
	cr_assert_eq(platci__strmap_count(&m), 0);
	cr_assert_eq(platci__strmap_insert(&m, "a", 1, &one, NULL), 0);
	platci__strmap_dispose(&m);
	cr_assert_null(platci__strmap_get(&m, "a", 1));
}

/*
 * FNV-1a's steps and 64-bit prime over the start value the tree's tables
 * have always used, 1469598103934665603 (a tenth of FNV's published
 * 14695981039346656037). Kept so that what sorts by the hash (validate's
 * duplicate check) orders exactly as before. Values worked out by hand
 * from the definition: h = (h ^ byte) * 0x100000001b3 mod 2^64.
 */
Test(strmap, hash_is_fnv1a_steps_over_the_trees_start_value)
{
	cr_assert_eq(platci__strhash("", 0), 0x14650fb0739d0383u);
	cr_assert_eq(platci__strhash("a", 1), 0x44bd8ad473cd9906u);
	cr_assert_eq(platci__strhash("foobar", 6), 0x88fad7c0a8ff07f2u);
}
