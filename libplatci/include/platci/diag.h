/**
 * @file platci/diag.h
 * @brief A list of diagnostics with source positions.
 *
 * Parsers and loaders add one entry per problem they meet. Positions are
 * 1-based (line, column) plus a 0-based byte offset; 0 means "unknown".
 * Every function that takes a `platci_diag *` accepts NULL, meaning
 * "don't collect".
 */
#ifndef PLATCI_DIAG_H
#define PLATCI_DIAG_H

#include <stdarg.h>

#include "common.h"

typedef enum {
	PLATCI_DIAG_ERROR = 0,
	PLATCI_DIAG_WARNING = 1,
	PLATCI_DIAG_NOTE = 2
} platci_diag_level;

/** One diagnostic. Strings are owned by the list. */
typedef struct platci_diag_entry {
	platci_diag_level level;
	int code; /**< a PLATCI_E* code */
	const char *source; /**< file name as given, or NULL */
	size_t line; /**< 1-based, 0 unknown */
	size_t column; /**< 1-based, 0 unknown */
	size_t offset; /**< byte offset from the start of the input */
	const char *path; /**< document path such as `spec.chart.spec.version`, or NULL */
	const char *message; /**< one line, never NULL */
} platci_diag_entry;

typedef struct platci_diag platci_diag;

PLATCI_BEGIN_DECL

/** Creates an empty list. @return 0 or PLATCI_ENOMEM. Free with platci_diag_free(). */
PLATCI_EXTERN(int) platci_diag_new(platci_diag **out);

/** Frees the list and every entry. NULL is a no-op. */
PLATCI_EXTERN(void) platci_diag_free(platci_diag *diag);

/** Number of entries. 0 for NULL. */
PLATCI_EXTERN(size_t) platci_diag_count(const platci_diag *diag);

/** Number of entries at PLATCI_DIAG_ERROR. 0 for NULL. */
PLATCI_EXTERN(size_t) platci_diag_error_count(const platci_diag *diag);

/** Borrowed entry @p i, valid until the list is freed; NULL when out of range. */
PLATCI_EXTERN(const platci_diag_entry *) platci_diag_at(const platci_diag *diag, size_t i);

/**
 * Adds an entry. @p entry's strings are copied; @p entry->message is
 * ignored in favour of the formatted @p fmt.
 *
 * @return 0, or PLATCI_ENOMEM (the list is left as it was). A NULL list is
 *         accepted and returns 0.
 */
PLATCI_EXTERN(int)
platci_diag_add(platci_diag *diag, const platci_diag_entry *entry, const char *fmt, ...)
	PLATCI_PRINTF(3, 4);

/**
 * Adds an error entry at @p source:@p line:@p column (@p offset bytes from
 * the start of the input; 0 for any of them means "unknown") with the
 * formatted message and the PLATCI_E* @p code. This is the one way the
 * library's loaders report a problem: `return platci_diag_error(...)`.
 *
 * @return @p code, or PLATCI_ENOMEM when the entry could not be stored.
 *         A NULL list is accepted and returns @p code.
 */
PLATCI_EXTERN(int)
platci_diag_error(platci_diag *diag, int code, const char *source, size_t line, size_t column,
	size_t offset, const char *fmt, ...) PLATCI_PRINTF(7, 8);

/** platci_diag_error() with a `va_list`, for callers that are printf-like themselves. */
PLATCI_EXTERN(int)
platci_diag_verror(platci_diag *diag, int code, const char *source, size_t line, size_t column,
	size_t offset, const char *fmt, va_list ap) PLATCI_PRINTF(7, 0);

/**
 * Formats entry @p e as `source:line:column: level: message` (omitting
 * parts that are unknown) into @p out, NUL-terminated and cut to @p size.
 * @return the length that the full text would have.
 */
PLATCI_EXTERN(size_t) platci_diag_format(char *out, size_t size, const platci_diag_entry *e);

PLATCI_END_DECL

#endif
