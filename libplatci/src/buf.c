#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/buf.h"
#include "util/common.h"
#include "util/banned.h"

char platci_buf__empty[1] = { 0 };

void platci_buf_init(platci_buf *buf, size_t max)
{
	buf->ptr = platci_buf__empty;
	buf->size = 0;
	buf->asize = 0;
	buf->max = max;
	buf->error = 0;
}

void platci_buf_dispose(platci_buf *buf)
{
	size_t max;

	if (!buf)
		return;
	max = buf->max;
	if (buf->asize)
		free(buf->ptr);
	platci_buf_init(buf, max);
}

void platci_buf_clear(platci_buf *buf)
{
	buf->size = 0;
	buf->error = 0;
	if (buf->asize)
		buf->ptr[0] = '\0';
}

int platci_buf_grow(platci_buf *buf, size_t extra)
{
	size_t need, n;
	char *p;

	if (buf->error)
		return buf->error;
	if (PLATCI_ADD_OVERFLOW(&need, buf->size, extra) || PLATCI_ADD_OVERFLOW(&need, need, (size_t)1))
		return buf->error = PLATCI_ENOMEM;
	if (buf->max && need - 1 > buf->max)
		return buf->error = PLATCI_ELIMIT;
	if (need <= buf->asize)
		return 0;
	n = buf->asize ? buf->asize : 64;
	while (n < need) {
		if (PLATCI_ADD_OVERFLOW(&n, n, n / 2 + 1))
			return buf->error = PLATCI_ENOMEM;
	}
	p = realloc(buf->asize ? buf->ptr : NULL, n);
	if (!p)
		return buf->error = PLATCI_ENOMEM;
	if (!buf->asize)
		p[0] = '\0';
	buf->ptr = p;
	buf->asize = n;
	return 0;
}

int platci_buf_put(platci_buf *buf, const void *data, size_t len)
{
	int error;

	/* room already (the usual case): no overflow checks, no realloc */
	if (!buf->error && buf->asize - buf->size > len && (!buf->max || buf->size + len <= buf->max)) {
		memmove(buf->ptr + buf->size, data, len);
		buf->size += len;
		buf->ptr[buf->size] = '\0';
		return 0;
	}
	if ((error = platci_buf_grow(buf, len)) < 0)
		return error;
	if (len)
		memmove(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int platci_buf_puts(platci_buf *buf, const char *s)
{
	return platci_buf_put(buf, s, strlen(s));
}

int platci_buf_putc(platci_buf *buf, char c)
{
	if (!buf->error && buf->asize - buf->size > 1 && (!buf->max || buf->size < buf->max)) {
		buf->ptr[buf->size++] = c;
		buf->ptr[buf->size] = '\0';
		return 0;
	}
	return platci_buf_put(buf, &c, 1);
}

int platci_buf_vprintf(platci_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int n, error;

	if (buf->error)
		return buf->error;
	/* Format straight into the room there is; measure and grow only when it does not fit. */
	if (buf->asize > buf->size + 1) {
		size_t room = buf->asize - buf->size;
		va_copy(copy, ap);
		n = vsnprintf(buf->ptr + buf->size, room, fmt, copy);
		va_end(copy);
		if (n < 0) {
			buf->ptr[buf->size] = '\0';
			return buf->error = PLATCI_ERROR;
		}
		if ((size_t)n < room && (!buf->max || buf->size + (size_t)n <= buf->max)) {
			buf->size += (size_t)n;
			return 0;
		}
		buf->ptr[buf->size] = '\0';
	} else {
		va_copy(copy, ap);
		n = vsnprintf(NULL, 0, fmt, copy);
		va_end(copy);
		if (n < 0)
			return buf->error = PLATCI_ERROR;
	}
	if ((error = platci_buf_grow(buf, (size_t)n)) < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return 0;
}

int platci_buf_printf(platci_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = platci_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

void platci_buf_truncate(platci_buf *buf, size_t len)
{
	if (len < buf->size) {
		buf->size = len;
		buf->ptr[len] = '\0';
	}
}

char *platci_buf_detach(platci_buf *buf)
{
	char *p;

	if (buf->error)
		return NULL;
	p = buf->asize ? buf->ptr : platci__strdup("");
	platci_buf_init(buf, buf->max);
	return p;
}
