/**
 * @file platci/sha256.h
 * @brief SHA-256 through OpenSSL's libcrypto (already linked by libcurl and libgit2).
 */
#ifndef PLATCI_SHA256_H
#define PLATCI_SHA256_H

#include "common.h"
#include "diag.h"

#define PLATCI_SHA256_HEX_SIZE 65 /**< 64 hex digits and a NUL */
#define PLATCI_SHA256_SIZE 32 /**< a digest's bytes */

typedef struct platci_sha256 platci_sha256;

PLATCI_BEGIN_DECL

/** Starts an incremental hash. @return 0 or PLATCI_ENOMEM. Free with platci_sha256_free(). */
PLATCI_EXTERN(int) platci_sha256_new(platci_sha256 **out);

/** Adds @p len bytes. @return 0 or PLATCI_ERROR. */
PLATCI_EXTERN(int) platci_sha256_update(platci_sha256 *h, const void *data, size_t len);

/**
 * Starts a new digest with @p h, after platci_sha256_final_hex() or not:
 * a run that hashes many short strings keeps one. @return 0 or PLATCI_ERROR.
 */
PLATCI_EXTERN(int) platci_sha256_reset(platci_sha256 *h);

/** Writes the lower-case hex digest into @p hex. The hash may not be updated after. */
PLATCI_EXTERN(int) platci_sha256_final_hex(char hex[PLATCI_SHA256_HEX_SIZE], platci_sha256 *h);

/** Writes the digest's bytes into @p md, as platci_sha256_final_hex() does its hex. */
PLATCI_EXTERN(int) platci_sha256_final(unsigned char md[PLATCI_SHA256_SIZE], platci_sha256 *h);

/** Frees @p h. NULL is a no-op. */
PLATCI_EXTERN(void) platci_sha256_free(platci_sha256 *h);

/** One-shot digest of a buffer. @return 0 or PLATCI_ERROR. */
PLATCI_EXTERN(int)
platci_sha256_hex(char hex[PLATCI_SHA256_HEX_SIZE], const void *data, size_t len);

/**
 * Digest of the file @p path, read in blocks.
 * @return 0, PLATCI_ENOTFOUND or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_sha256_file_hex(char hex[PLATCI_SHA256_HEX_SIZE], const char *path, platci_diag *diag);

PLATCI_END_DECL

#endif
