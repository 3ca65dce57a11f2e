#ifndef PLATCI_UTIL_ESCAPE_H
#define PLATCI_UTIL_ESCAPE_H

#include "platci/buf.h"

/*
 * Appends the NUL-terminated @p s to @p out, each byte b for which
 * @p repl[b] is set written as repl[b] instead ("" drops the byte), the
 * others copied in runs. Every escaper of a target format (XML, Markdown)
 * is one such table. Returns out->error.
 */
int platci__escape(platci_buf *out, const char *s, const char *const repl[256]);

#endif
