/**
 * @file platci/json_stream.h
 * @brief A streaming JSON reader with bounded memory.
 *
 * Built for inputs of hundreds of megabytes: the reader makes one pass
 * over the bytes (fed in chunks) and builds a small jansson value only for
 * the paths a caller subscribed to, for example every element of
 * `resource_changes[*]` in a Terraform plan. Each value is handed to a
 * callback and released after it returns, so memory is bounded by the
 * largest single value, not by the input.
 *
 * Path patterns use the query syntax of platci/query.h: dotted keys,
 * `[N]`, `[*]`, `["key.with.dots"]`; the empty pattern is the root value.
 * When a built value contains another subscribed path, only the outer
 * value is delivered.
 *
 * Scalars can also be delivered as raw tokens (PLATCI_JSON_STREAM_SCALAR),
 * without building a value, and an ENTER callback can decline to have the
 * container built, or ask for its JSON text instead: a reader takes the
 * few fields it needs from every element and builds whole values only for
 * the elements it keeps.
 *
 * Every byte is validated; containers no subscription reaches are only
 * scanned (no value, no callback, no copy). Duplicate keys in an object
 * the reader looks into are refused (PLATCI_ESYNTAX, with the second
 * key's line and column): which of two values counts would be a guess.
 */
#ifndef PLATCI_JSON_STREAM_H
#define PLATCI_JSON_STREAM_H

#include <jansson.h>
#include "diag.h"

typedef struct platci_json_stream platci_json_stream;

/** What a subscription asks for. */
typedef enum {
	PLATCI_JSON_STREAM_VALUE = 1, /**< build the value and deliver it */
	PLATCI_JSON_STREAM_ENTER = 2, /**< tell when a container at the path opens (value NULL) */
	PLATCI_JSON_STREAM_EXIT = 4, /**< tell when a container at the path closes (value NULL) */
	PLATCI_JSON_STREAM_SCALAR = 8 /**< deliver scalars at the path as raw tokens (value NULL) */
} platci_json_stream_kind;

/**
 * What an ENTER callback may return besides 0 and an error: do not build
 * this container for the subscription's VALUE kind (its EXIT still comes,
 * and subscriptions below it still see its contents).
 */
#define PLATCI_JSON_STREAM_NO_VALUE 1

/**
 * What an ENTER callback may return instead: deliver this container to the
 * subscription's VALUE kind as its JSON text, not as a built value. The
 * event then has `value` NULL, and `text`/`text_len` hold the bytes from
 * the opening bracket to the closing one as the input has them (checked
 * as JSON; the keys inside are not checked for repeats, since nothing is
 * looked up in them here: a consumer that reads members checks what it
 * reads). Costs a copy of the bytes, no value and no callback inside.
 */
#define PLATCI_JSON_STREAM_TEXT 2

/** One delivery. */
typedef struct platci_json_event {
	int id; /**< the id given to platci_json_stream_on() */
	platci_json_stream_kind kind; /**< which of the subscribed kinds this is */
	json_t *value; /**< borrowed, valid during the callback; json_incref() to keep */
	const char *key; /**< the last key on the path, or NULL inside an array */
	size_t index; /**< the last array index on the path (0 when a key) */
	size_t line; /**< 1-based line where the value ended */
	size_t offset; /**< byte offset where the value ended */
	/**
	 * SCALAR deliveries: the token, valid during the callback and NOT
	 * NUL-terminated (strings decoded, numbers as written). VALUE
	 * deliveries of a container asked for as text (PLATCI_JSON_STREAM_TEXT):
	 * its JSON text, likewise.
	 */
	const char *text;
	size_t text_len; /**< bytes of text (a string may hold NUL) */
	/** SCALAR: the json_type of the token (numbers: JSON_INTEGER or JSON_REAL); ENTER: JSON_OBJECT or JSON_ARRAY */
	int type;
} platci_json_event;

/**
 * Called for each delivery. Return 0 to go on; a negative PLATCI_E* code
 * stops the stream, and that code is returned by the feeding function.
 * An ENTER callback may return PLATCI_JSON_STREAM_NO_VALUE or
 * PLATCI_JSON_STREAM_TEXT.
 */
typedef int (*platci_json_stream_cb)(const platci_json_event *ev, void *payload);

typedef struct platci_json_stream_options {
	unsigned int version; /**< PLATCI_JSON_STREAM_OPTIONS_VERSION */
	size_t max_depth; /**< nesting limit; default 512 */
	size_t max_value_bytes; /**< cap on one built value's string bytes, and on one token; default 64 MiB */
	const char *name; /**< file name for diagnostics, or NULL */
} platci_json_stream_options;

#define PLATCI_JSON_STREAM_OPTIONS_VERSION 1
#define PLATCI_JSON_STREAM_OPTIONS_INIT \
	{ \
		PLATCI_JSON_STREAM_OPTIONS_VERSION, 0, 0, NULL \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int)
platci_json_stream_options_init(platci_json_stream_options *opts, unsigned int version);

/**
 * Creates a reader. @p opts may be NULL. @return 0, PLATCI_ENOMEM or
 * PLATCI_EINVALID. Free with platci_json_stream_free().
 */
PLATCI_EXTERN(int)
platci_json_stream_new(platci_json_stream **out, const platci_json_stream_options *opts);

/** Frees the reader. NULL is a no-op. */
PLATCI_EXTERN(void) platci_json_stream_free(platci_json_stream *s);

/**
 * Subscribes @p cb to the values at @p pattern. @p kinds is a mask of
 * platci_json_stream_kind. At most 128 subscriptions; call before feeding.
 *
 * @return 0, PLATCI_EINVALID (bad pattern, too many, already fed) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_json_stream_on(platci_json_stream *s, const char *pattern, unsigned int kinds, int id,
	platci_json_stream_cb cb, void *payload);

/**
 * Feeds the next @p len bytes. A UTF-8 byte-order mark at the very start
 * is skipped. @return 0; PLATCI_ESYNTAX (invalid JSON, or a duplicate key,
 * with line, column and offset in @p diag), PLATCI_ELIMIT, PLATCI_ENOMEM,
 * or a callback's code.
 */
PLATCI_EXTERN(int)
platci_json_stream_feed(platci_json_stream *s, const char *data, size_t len, platci_diag *diag);

/**
 * Ends the input: a truncated document is PLATCI_ESYNTAX, an empty one
 * too. @return as platci_json_stream_feed().
 */
PLATCI_EXTERN(int) platci_json_stream_finish(platci_json_stream *s, platci_diag *diag);

/**
 * Feeds the whole file @p path (or standard input for "-") in blocks and
 * finishes. @return as platci_json_stream_feed(), plus PLATCI_ENOTFOUND
 * and PLATCI_EIO for the file.
 */
PLATCI_EXTERN(int)
platci_json_stream_file(platci_json_stream *s, const char *path, platci_diag *diag);

/** Bytes consumed so far. */
PLATCI_EXTERN(size_t) platci_json_stream_bytes(const platci_json_stream *s);

/** The JSON type of the root value once it has started: a json_type, or -1 before any byte. */
PLATCI_EXTERN(int) platci_json_stream_root_type(const platci_json_stream *s);

PLATCI_END_DECL

#endif
