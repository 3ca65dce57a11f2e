/**
 * @file platci/errors.h
 * @brief Error codes: one table gives the enum, the names and the messages.
 *
 * Fallible functions return 0 on success or one of these negative codes.
 * Details (file, line, column, message) go to a platci_diag list.
 */
#ifndef PLATCI_ERRORS_H
#define PLATCI_ERRORS_H

#include "common.h"

/* X(name, value, message) */
#define PLATCI_ERROR_TABLE(X) \
	X(OK, 0, "success") \
	X(ERROR, -1, "generic error") \
	X(ENOMEM, -2, "out of memory") \
	X(EINVALID, -3, "invalid argument") \
	X(ENOTFOUND, -4, "not found") \
	X(EIO, -5, "input/output error") \
	X(ESYNTAX, -6, "syntax error in input data") \
	X(ELIMIT, -7, "input exceeds a configured limit") \
	X(EDATA, -8, "invalid input data") \
	X(EUNSAFE, -9, "path or member would leave its root") \
	X(ENETWORK, -10, "service unavailable") \
	X(EAUTH, -11, "authentication or permission failure") \
	X(EEXISTS, -12, "already exists") \
	X(EVERSION, -13, "unsupported version") \
	X(EUSER, -14, "stopped by a callback") \
	X(ECONFLICT, -15, "conflicting state") \
	X(EDUPLICATE, -16, "duplicate key or entry")

/** Error codes. Success is PLATCI_OK (0); failures are negative. */
typedef enum {
#define PLATCI__ERR_ENUM(name, value, msg) PLATCI_##name = (value),
	PLATCI_ERROR_TABLE(PLATCI__ERR_ENUM)
#undef PLATCI__ERR_ENUM
} platci_error_code;

PLATCI_BEGIN_DECL

/** A one-line English message for @p code. Never NULL; unknown codes get a generic text. */
PLATCI_EXTERN(const char *) platci_strerror(int code);

/** The symbolic name of @p code without prefix, e.g. "ENOTFOUND". Never NULL. */
PLATCI_EXTERN(const char *) platci_err_name(int code);

PLATCI_END_DECL

#endif
