/* The injecting allocator and the loop over N (allocfail.h). */
#include <criterion/criterion.h>
#include <execinfo.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

#include "allocfail.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long fail_at; /* 0: never */
static unsigned long seen;
static int injected;
static size_t requested; /* bytes asked for since af_bytes_reset() */

void af_bytes_reset(void)
{
	requested = 0;
}

size_t af_bytes(void)
{
	return requested;
}

/* 1 when this allocation is the one to fail. */
static int tick(void)
{
	if (!fail_at)
		return 0;
	if (++seen != fail_at)
		return 0;
	injected = 1;
	if (getenv("AF_TRACE")) { /* AF_TRACE=1: where each injected failure lands */
		void *frames[24];
		int n = backtrace(frames, 24);
		fprintf(stderr, "-- allocation %lu fails:\n", fail_at);
		backtrace_symbols_fd(frames, n, 2);
	}
	return 1;
}

void *__wrap_malloc(size_t n)
{
	requested += n;
	return tick() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	requested += n * size;
	return tick() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	requested += n;
	return tick() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return tick() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return tick() ? NULL : __real_strndup(s, n);
}

static void *json_malloc(size_t n)
{
	return __wrap_malloc(n);
}

size_t af_exhaust(const char *name, af_scenario fn, void *payload)
{
	unsigned long n;
	int rc;

	json_set_alloc_funcs(json_malloc, free);
	fail_at = 0;
	cr_assert_eq(rc = fn(payload), 0, "%s: the call fails without injection: %s", name,
		platci_strerror(rc));
	for (n = 1;; n++) {
		seen = 0;
		injected = 0;
		fail_at = n;
		rc = fn(payload);
		fail_at = 0;
		if (!injected) {
			cr_expect_eq(rc, 0, "%s: no allocation failed, yet it returned %s", name,
				platci_strerror(rc));
			break;
		}
		cr_expect_eq(rc, PLATCI_ENOMEM, "%s: allocation %lu of %s failed, it returned %d (%s)",
			name, n, name, rc, platci_strerror(rc));
	}
	cr_log_info("%s: %lu allocations, each failed in turn: PLATCI_ENOMEM every time", name, n - 1);
	return n - 1;
}
