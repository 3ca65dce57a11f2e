#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "banned.h"

char *platci__strndup(const char *s, size_t n)
{
	char *p;

	if (!s || n == SIZE_MAX)
		return NULL;
	p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *platci__strdup(const char *s)
{
	return s ? platci__strndup(s, strlen(s)) : NULL;
}

int platci__grow_array(void **items, size_t *alloc, size_t need, size_t elem_size)
{
	size_t n = *alloc ? *alloc : 8, bytes;
	void *p;

	if (need <= *alloc)
		return 0;
	while (n < need) {
		if (PLATCI_MUL_OVERFLOW(&n, n, (size_t)2))
			return PLATCI_ENOMEM;
	}
	if (PLATCI_MUL_OVERFLOW(&bytes, n, elem_size))
		return PLATCI_ENOMEM;
	p = realloc(*items, bytes);
	if (!p)
		return PLATCI_ENOMEM;
	*items = p;
	*alloc = n;
	return 0;
}

int platci__glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int platci__strs_push(char ***items, size_t *count, size_t *alloc, const char *s)
{
	if (platci__grow_array((void **)items, alloc, *count + 1, sizeof(char *)) < 0 ||
		!((*items)[*count] = platci__strdup(s)))
		return PLATCI_ENOMEM;
	(*count)++;
	return 0;
}

int platci__write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}
