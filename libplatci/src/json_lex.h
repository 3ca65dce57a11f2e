/*
 * The tokenizer under json_stream.c (see json_lex.c for the why). It
 * validates every byte of the input and calls the stream directly for
 * each token outside the containers the stream asked it to skip.
 */
#ifndef PLATCI_JSON_LEX_H
#define PLATCI_JSON_LEX_H

#include <stddef.h>

#include "platci/buf.h"

typedef struct platci_json_stream platci_json_stream;

/* A start callback's answer besides 0 and an error: skip the container's contents. */
#define JSON_LEX_SKIP 1
/* ...and tell the stream where it ends (platci_json_stream__on_text_end()). */
#define JSON_LEX_SKIP_TEXT 2

typedef enum {
	JSON_LEX_NULL = 0,
	JSON_LEX_TRUE,
	JSON_LEX_FALSE,
	JSON_LEX_NUMBER,
	JSON_LEX_STRING
} json_lex_type;

/* How the bytes given to platci_json_lex__run() end. */
typedef enum {
	JSON_LEX_MORE = 0, /* more bytes follow: a token at the end may be cut */
	JSON_LEX_TOKEN_END, /* the last token ends with the buffer; the document goes on */
	JSON_LEX_FINAL /* the document ends with the buffer */
} json_lex_mode;

typedef struct json_lex {
	platci_json_stream *stream;
	size_t max_depth;
	size_t max_token;

	/* grammar */
	unsigned char *stack; /* 1 per open object, 0 per open array */
	size_t depth, stack_alloc;
	size_t skip_from; /* depth of the container being skipped; 0 when none */
	int skip_text; /* the stream wants to know where it ends */
	int state;
	int started, done;

	/* positions: absolute byte offsets, 1-based lines */
	size_t base; /* offset of the buffer being read */
	size_t offset; /* just past the token last handed to the stream */
	size_t line, line_start;
	size_t tok_offset; /* where the key or value last handed over starts */

	/* a token cut by the end of a feed */
	platci_buf carry;
	size_t carry_base; /* offset of carry[0] */
	size_t carry_at; /* the same, as run() saw it */
	const void *cut_at; /* where scan_string() stopped at the end of a feed */
	int carry_string, carry_esc;
	int carry_skipped; /* a string nobody reads: only its last bytes are kept */
	int carry_unread; /* ...in a container the stream tracks */

	platci_buf unescaped;

	/* the first error */
	const void *bad_at; /* where scan_string() found it */
	int error;
	size_t err_offset, err_line, err_column;
	char err_message[200];
} json_lex;

void platci_json_lex__init(json_lex *lx, platci_json_stream *stream, size_t max_depth, size_t max_token);
void platci_json_lex__dispose(json_lex *lx);

/*
 * Reads @p len bytes at absolute offset lx->base. Returns 0 or a negative
 * code: the lexer's own (lx->error and the message are set) or a
 * callback's.
 */
int platci_json_lex__feed(json_lex *lx, const char *data, size_t len);

/* The input is over. Returns 0, or PLATCI_ESYNTAX for a cut or empty document. */
int platci_json_lex__finish(json_lex *lx);

/* Decodes the escapes of a raw string token. @p out stays valid until the next call. */
int platci_json_lex__unescape(json_lex *lx, const char *raw, size_t n, const char **out, size_t *outn);

/*
 * The same decoding into @p b (cleared first), for a string body that
 * scan_string() accepted, for instance inside a container's text.
 * @return 0 or PLATCI_ENOMEM.
 */
int platci_json__unescape(platci_buf *b, const char *raw, size_t n);

/* Between json_lex.c (the grammar) and json_lex_string.c (strings). */

/* Records the first error (its message, offset, line, column) and returns @p code. */
int platci_json_lex__fail(json_lex *lx, int code, size_t abs, const char *fmt, ...) PLATCI_PRINTF(4, 5);
/* A byte as a message shows it. */
const char *platci_json_lex__show(unsigned char c, char buf[8]);
/*
 * Scans a string's body from @p p (just past the opening quote). Returns
 * the closing quote, NULL when the buffer ends first (*cut set), or NULL
 * with lx->error set.
 */
const unsigned char *platci_json_lex__scan_string(json_lex *lx, const unsigned char *p,
	const unsigned char *end, int *escaped, int *cut);

/* Column of absolute offset @p abs on the current line (1-based, in bytes). */
size_t platci_json_lex__column(const json_lex *lx, size_t abs);

/* The stream's side, called for every token outside skipped containers. */
int platci_json_stream__on_start(platci_json_stream *s, int is_map);
int platci_json_stream__on_end(platci_json_stream *s);
/* The end of a container whose start answered JSON_LEX_SKIP_TEXT; lx->offset is past it. */
int platci_json_stream__on_text_end(platci_json_stream *s);
int platci_json_stream__on_key(platci_json_stream *s, const char *raw, size_t n, int escaped);
int platci_json_stream__on_scalar(platci_json_stream *s, json_lex_type type, const char *raw,
	size_t n, int escaped);
/* 1 when the value starting now is read (subscribed or built), 0 when only its place counts. */
int platci_json_stream__wants(const platci_json_stream *s);

#endif
