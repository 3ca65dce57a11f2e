/*
 * Regular expressions for JSON Schema `pattern` and `patternProperties`.
 *
 * The dialect is the common ground of ECMA 262 (what JSON Schema names)
 * and RE2 (what the Kubernetes API server runs on CRD patterns):
 * literals, `.`, classes with ranges and negation, `\d \w \s` and their
 * negations, `\b \B`, `^ $`, groups `( )` `(?: )` `(?P<n> )`, `|`, and the
 * quantifiers `* + ? {n} {n,} {n,m}` (lazy forms match the same strings).
 * A leading `(?i)` makes ASCII letters case-insensitive. Lookaround and
 * backreferences are refused: neither engine the schemas are written for
 * has both, and they cannot run in linear time.
 *
 * Matching is a Pike VM over UTF-8 code points: time linear in the input
 * for a given pattern, no recursion, no backtracking, so a hostile pattern
 * or string cannot make it hang.
 */
#ifndef PLATCI_SRC_SCHEMA_REGEX_H
#define PLATCI_SRC_SCHEMA_REGEX_H

#include <stddef.h>

typedef struct platci_regex platci_regex;

/* Most instructions a pattern may compile to (counted repetition is expanded). */
#define PLATCI_REGEX_MAX_PROGRAM 20000

/*
 * Compiles @p pattern (@p len bytes, UTF-8). On failure returns
 * PLATCI_ESYNTAX (malformed), PLATCI_EVERSION (a feature outside the
 * dialect) or PLATCI_ELIMIT (too large), with a reason in @p why.
 */
int platci_regex__compile(platci_regex **out, const char *pattern, size_t len, char *why, size_t why_size);

void platci_regex__free(platci_regex *re);

/*
 * Searches @p s (@p len bytes) for a match anywhere, as JSON Schema's
 * `pattern` does. Returns 1 (match), 0 (no match), or PLATCI_ENOMEM.
 * Invalid UTF-8 bytes are read as U+FFFD.
 */
int platci_regex__search(const platci_regex *re, const char *s, size_t len);

#endif
