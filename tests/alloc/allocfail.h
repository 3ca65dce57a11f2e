/*
 * Allocation-failure injection (issue 20, item 3), in the spirit of
 * SQLite's test harness: test_allocfail links the static library with
 * -Wl,--wrap=malloc,calloc,realloc,strdup,strndup, so every allocation
 * the library makes goes through af_tick(), and jansson's go there too
 * (json_set_alloc_funcs). libyaml, yajl and libarchive allocate inside
 * their own shared objects and are not reached.
 */
#ifndef PLATCI_TEST_ALLOCFAIL_H
#define PLATCI_TEST_ALLOCFAIL_H

#include <stddef.h>

/* One call of a parser or writer over a fixed input; frees all it made. Returns its code. */
typedef int (*af_scenario)(void *payload);

/*
 * Runs @p fn with allocation N = 1, 2, ... failing, until a run sees no
 * injected failure (and must return 0). Every run with a failure must
 * return PLATCI_ENOMEM (checked with cr_expect, naming @p name and N);
 * crashes and leaks are the sanitizers' and valgrind's to report. Returns
 * the number of allocations the complete call made.
 */
size_t af_exhaust(const char *name, af_scenario fn, void *payload);

/*
 * Bytes the library asked malloc, calloc and realloc for since the last
 * af_bytes_reset() (a realloc counts its new size): for tests that a
 * loader's memory grows linearly with its input.
 */
void af_bytes_reset(void);
size_t af_bytes(void);

#endif
