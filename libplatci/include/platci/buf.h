/**
 * @file platci/buf.h
 * @brief A growable, always NUL-terminated byte buffer with a size cap.
 *
 * `ptr` is never NULL (it starts on a static empty string), so a buffer
 * can be printed at any time. A failed growth (out of memory or past
 * `max`) is sticky: later appends do nothing and return the same error,
 * so a run of appends needs one check at the end.
 */
#ifndef PLATCI_BUF_H
#define PLATCI_BUF_H

#include <stdarg.h>
#include "common.h"

typedef struct platci_buf {
	char *ptr; /**< contents, NUL-terminated; never NULL */
	size_t size; /**< bytes used, not counting the NUL */
	size_t asize; /**< bytes allocated; 0 while ptr is the static empty string */
	size_t max; /**< cap on size; 0 means no cap */
	int error; /**< sticky: 0, PLATCI_ENOMEM or PLATCI_ELIMIT */
} platci_buf;

PLATCI_BEGIN_DECL

extern PLATCI_EXTERN(char) platci_buf__empty[1];

#define PLATCI_BUF_INIT \
	{ \
		platci_buf__empty, 0, 0, 0, 0 \
	}

/** Initialises @p buf empty with the cap @p max (0: none). Allocates nothing. */
PLATCI_EXTERN(void) platci_buf_init(platci_buf *buf, size_t max);

/** Frees the contents and leaves @p buf empty and reusable. NULL is a no-op. */
PLATCI_EXTERN(void) platci_buf_dispose(platci_buf *buf);

/** Empties @p buf, keeping its memory and its cap; clears a sticky error. */
PLATCI_EXTERN(void) platci_buf_clear(platci_buf *buf);

/** Makes room for @p extra more bytes. @return 0, PLATCI_ENOMEM or PLATCI_ELIMIT. */
PLATCI_EXTERN(int) platci_buf_grow(platci_buf *buf, size_t extra);

/** Appends @p len bytes. @return 0 or the sticky error. */
PLATCI_EXTERN(int) platci_buf_put(platci_buf *buf, const void *data, size_t len);

/** Appends a NUL-terminated string. @return 0 or the sticky error. */
PLATCI_EXTERN(int) platci_buf_puts(platci_buf *buf, const char *s);

/** Appends one byte. @return 0 or the sticky error. */
PLATCI_EXTERN(int) platci_buf_putc(platci_buf *buf, char c);

/** Appends printf-formatted text. @return 0 or the sticky error. */
PLATCI_EXTERN(int) platci_buf_printf(platci_buf *buf, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/** Appends vprintf-formatted text. @return 0 or the sticky error. */
PLATCI_EXTERN(int)
platci_buf_vprintf(platci_buf *buf, const char *fmt, va_list ap) PLATCI_PRINTF(2, 0);

/** Cuts the contents to @p len bytes (no-op when already shorter). */
PLATCI_EXTERN(void) platci_buf_truncate(platci_buf *buf, size_t len);

/**
 * Takes the contents out of @p buf, which is left empty.
 *
 * @return a NUL-terminated string the caller frees with platci_free(),
 *         or NULL when @p buf has a sticky error or allocation fails.
 */
PLATCI_EXTERN(char *) platci_buf_detach(platci_buf *buf);

PLATCI_END_DECL

#endif
