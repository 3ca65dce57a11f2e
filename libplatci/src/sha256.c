#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "platci/sha256.h"
#include "fs_int.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_sha256 {
	EVP_MD_CTX *ctx;
	/*
	 * Fetched once: EVP_sha256() makes OpenSSL 3 look the digest up again
	 * (under a lock) at every reset, which costs more than hashing a
	 * finding's few hundred bytes.
	 */
	EVP_MD *md;
};

int platci_sha256_new(platci_sha256 **out)
{
	platci_sha256 *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h)
		return PLATCI_ENOMEM;
	h->ctx = EVP_MD_CTX_new();
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!h->ctx || !h->md || EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1) {
		platci_sha256_free(h);
		return PLATCI_ENOMEM;
	}
	*out = h;
	return 0;
}

int platci_sha256_reset(platci_sha256 *h)
{
	PLATCI_ASSERT_ARG(h);
	return EVP_DigestInit_ex(h->ctx, h->md, NULL) == 1 ? 0 : PLATCI_ERROR;
}

int platci_sha256_update(platci_sha256 *h, const void *data, size_t len)
{
	PLATCI_ASSERT_ARG(h);
	return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : PLATCI_ERROR;
}

int platci_sha256_final(unsigned char md[PLATCI_SHA256_SIZE], platci_sha256 *h)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	PLATCI_ASSERT_ARG(h && md);
	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != PLATCI_SHA256_SIZE)
		return PLATCI_ERROR;
	memcpy(md, out, PLATCI_SHA256_SIZE);
	return 0;
}

int platci_sha256_final_hex(char hex[PLATCI_SHA256_HEX_SIZE], platci_sha256 *h)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[PLATCI_SHA256_SIZE];
	unsigned int n = PLATCI_SHA256_SIZE;

	PLATCI_ASSERT_ARG(h);
	if (platci_sha256_final(md, h) < 0)
		return PLATCI_ERROR;
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

void platci_sha256_free(platci_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}

int platci_sha256_hex(char hex[PLATCI_SHA256_HEX_SIZE], const void *data, size_t len)
{
	platci_sha256 *h = NULL;
	int error;

	if ((error = platci_sha256_new(&h)) < 0)
		goto done;
	if ((error = platci_sha256_update(h, data, len)) < 0)
		goto done;
	error = platci_sha256_final_hex(hex, h);
done:
	platci_sha256_free(h);
	return error;
}

static int hash_block(void *h, const void *data, size_t len)
{
	return platci_sha256_update(h, data, len);
}

int platci_sha256_file_hex(char hex[PLATCI_SHA256_HEX_SIZE], const char *path, platci_diag *diag)
{
	platci_sha256 *h = NULL;
	int error;

	if ((error = platci_sha256_new(&h)) == 0 &&
		(error = platci_fs__read_blocks(path, "the file", 65536, hash_block, h, diag)) == 0)
		error = platci_sha256_final_hex(hex, h);
	platci_sha256_free(h);
	return error;
}
