#ifndef PLATCI_UTIL_UTF8_H
#define PLATCI_UTIL_UTF8_H

#include <stddef.h>

/* Length of the longest prefix of s that is valid UTF-8. */
size_t platci__utf8_valid_prefix(const unsigned char *s, size_t len);

/* Replaces every byte that is not part of valid UTF-8 with '?', in place. */
void platci__utf8_sanitize(char *s);

#endif
