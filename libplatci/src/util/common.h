/* Private helpers shared by the library's sources. */
#ifndef PLATCI_UTIL_COMMON_H
#define PLATCI_UTIL_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platci/errors.h"

#define PLATCI_CHECK_ALLOC(p) \
	do { \
		if ((p) == NULL) { \
			error = PLATCI_ENOMEM; \
			goto done; \
		} \
	} while (0)

/* Programming errors return PLATCI_EINVALID instead of crashing. */
#define PLATCI_ASSERT_ARG(cond) \
	do { \
		if (!(cond)) \
			return PLATCI_EINVALID; \
	} while (0)

#define PLATCI_ADD_OVERFLOW(out, a, b) __builtin_add_overflow((a), (b), (out))
#define PLATCI_MUL_OVERFLOW(out, a, b) __builtin_mul_overflow((a), (b), (out))

#define PLATCI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* strdup that says so in the name, and a length-bounded variant. */
char *platci__strdup(const char *s);
char *platci__strndup(const char *s, size_t n);

/* Grows *items (of elem_size each) so that it holds at least need; doubles. */
int platci__grow_array(void **items, size_t *alloc, size_t need, size_t elem_size);

/* Appends a copy of @p s to the string array *items (count, alloc). 0 or PLATCI_ENOMEM. */
int platci__strs_push(char ***items, size_t *count, size_t *alloc, const char *s);

/* Writes all @p len bytes to @p fd, again after EINTR. 0, or -1 with errno set. */
int platci__write_all(int fd, const void *data, size_t len);

/* fnmatch-style glob with '*' and '?' only; '*' does not stop at '/'. */
int platci__glob_match(const char *pattern, const char *s);

/* The value of hex digit @p c (either case), or -1. */
static inline int platci__hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

#endif
