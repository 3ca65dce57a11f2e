#ifndef PLATCI_UTIL_UTF8_H
#define PLATCI_UTIL_UTF8_H

#include <stddef.h>

#include "platci/buf.h"

/* Length of the longest prefix of s that is valid UTF-8. */
size_t platci__utf8_valid_prefix(const unsigned char *s, size_t len);

/* Replaces every byte that is not part of valid UTF-8 with '?', in place. */
void platci__utf8_sanitize(char *s);

/* Appends code point @p cp (at most U+10FFFF, no surrogate: the caller checked) as UTF-8. */
int platci__utf8_put(platci_buf *out, unsigned long cp);

#endif
