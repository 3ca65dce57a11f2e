/* The compiled form of a pattern, shared by schema_regex.c (compile) and schema_regex_match.c (run). */
#ifndef PLATCI_SRC_SCHEMA_REGEX_INT_H
#define PLATCI_SRC_SCHEMA_REGEX_INT_H

#include <stdint.h>

#include "schema_regex.h"
#include "util/arena.h"

enum { I_CHAR, I_ANY, I_CLASS, I_SPLIT, I_JMP, I_MATCH, I_BOL, I_EOL, I_WORDB, I_NWORDB };

typedef struct range {
	uint32_t lo, hi;
} range;

typedef struct rclass {
	range *r;
	size_t n;
} rclass;

typedef struct rinst {
	uint8_t op;
	uint32_t x, y;
} rinst;

struct platci_regex {
	rinst *prog;
	size_t n;
	rclass *classes;
	size_t nclasses;
	platci_arena arena; /* class ranges */
};

/* The next code point of UTF-8 input; an invalid byte reads as U+FFFD. */
static inline uint32_t platci_regex__next_cp(const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80             ? 0
		: (c & 0xE0) == 0xC0 ? 1
		: (c & 0xF0) == 0xE0 ? 2
		: (c & 0xF8) == 0xF0 ? 3
				     : -1;

	if (n <= 0 || s + n >= end) {
		*p = s + 1;
		return n == 0 ? c : 0xFFFD;
	}
	c &= n == 1 ? 0x1F : n == 2 ? 0x0F : 0x07;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	return c;
}

#endif
