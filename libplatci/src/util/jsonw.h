/*
 * A JSON writer that streams into a buffer: reports of hundreds of
 * thousands of findings are written as they are made, never held as a
 * document. Compact by default; pretty prints exactly as jansson's
 * JSON_INDENT(2) does, so a --pretty report reads as it always did.
 */
#ifndef PLATCI_UTIL_JSONW_H
#define PLATCI_UTIL_JSONW_H

#include <jansson.h>
#include <stddef.h>

#include "platci/buf.h"
#include "platci/fs.h"

#define PLATCI_JSONW_MAX_DEPTH 32

typedef struct platci_jsonw {
	platci_buf *out;
	int pretty;
	size_t depth;
	unsigned char empty[PLATCI_JSONW_MAX_DEPTH]; /* no member written yet, per open container */
	int after_key;
} platci_jsonw;

void platci__jsonw_init(platci_jsonw *w, platci_buf *out, int pretty);
/* '{' or '[' opens, '}' or ']' closes. */
void platci__jsonw_open(platci_jsonw *w, char c);
void platci__jsonw_close(platci_jsonw *w, char c);
void platci__jsonw_key(platci_jsonw *w, const char *key);
/* A string (valid UTF-8), or null for NULL. */
void platci__jsonw_str(platci_jsonw *w, const char *s);
void platci__jsonw_strn(platci_jsonw *w, const char *s, size_t n);
void platci__jsonw_int(platci_jsonw *w, long long v);
void platci__jsonw_bool(platci_jsonw *w, int v);
void platci__jsonw_null(platci_jsonw *w);
/* A member in one call; the string form writes nothing for NULL. */
void platci__jsonw_kstr(platci_jsonw *w, const char *key, const char *s);
void platci__jsonw_kint(platci_jsonw *w, const char *key, long long v);
void platci__jsonw_kbool(platci_jsonw *w, const char *key, int v);
/* Ends the document (a newline). Returns the buffer's error. */
int platci__jsonw_end(platci_jsonw *w);

/*
 * Appends jansson's text of @p v (json_dumps() @p flags) and a newline: the
 * one way a document built with jansson becomes a report. Returns
 * PLATCI_ENOMEM or the buffer's error.
 */
int platci__json_dump(platci_buf *out, const json_t *v, size_t flags);

/*
 * Writes a document to the file @p path atomically, streamed: @p doc writes
 * it into @p w, calling platci_fs_atomic_flush(@p f) now and then. A failed
 * render or write is the file's error, which the commit reports (with a
 * diagnostic) and which leaves no file behind.
 * @return 0, PLATCI_ENOMEM or PLATCI_EIO.
 */
typedef int (*platci__jsonw_doc_cb)(platci_jsonw *w, const void *payload, platci_fs_file *f);
int platci__jsonw_write_file(const char *path, int pretty, platci__jsonw_doc_cb doc,
	const void *payload, platci_diag *diag);

/* Writes @p s as a JSON string literal, as jansson escapes it. */
void platci__json_quote(platci_buf *out, const char *s, size_t n);

#endif
