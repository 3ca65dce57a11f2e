/* Private layout of a plan fingerprint, shared by its writer and its reader. */
#ifndef PLATCI_SRC_PLAN_FINGERPRINT_INT_H
#define PLATCI_SRC_PLAN_FINGERPRINT_INT_H

#include "platci/plan_fingerprint.h"
#include "platci/sha256.h"
#include "util/arena.h"

#define NOTE_MAX_LINES 2000
/*
 * The hidden block rides in the sticky note, whose whole text stays under
 * 60 kB (issue 16): past this many bytes the block lists no more changes.
 * The digest covers them all, and the reader knows a partial list.
 */
#define NOTE_MAX_BYTES 12000
#define NOTE_HEAD "<!-- platci:fingerprint:"

/*
 * One change, packed: a plan of 200k changes holds them all until they are
 * sorted, within the 32 MB a summary may take (issue 16).
 */
typedef struct fp_change {
	const char *action; /* a word of platci_plan__action_word(), or a copy in the arena */
	unsigned char digest[32]; /* SHA-256, raw */
	char address[]; /* NUL-terminated */
} fp_change;

struct platci_plan_fingerprint {
	platci_arena arena;
	const char *env;
	fp_change **items;
	size_t count, alloc;
	size_t declared; /* changes the source said it had (a note lists at most NOTE_MAX_LINES) */
	char digest[7 + PLATCI_SHA256_HEX_SIZE];
	platci_buf text; /* one change's canonical JSON, reused */
	platci_sha256 *hash; /* reused likewise */
};

/* Appends a change (copied) with its raw digest. @return 0 or PLATCI_ENOMEM. */
int platci_plan_fingerprint__push(platci_plan_fingerprint *fp, const char *address, size_t alen,
	const char *action, const unsigned char digest[PLATCI_SHA256_SIZE]);

/* Reads the @p n bytes at @p hex, 64 hex digits (either case), into @p digest. @return 0 or PLATCI_EINVALID. */
int platci_plan_fingerprint__unhex(unsigned char digest[PLATCI_SHA256_SIZE], const char *hex, size_t n);

/* Writes a packed digest as 64 lower-case hex digits and a NUL. */
void platci_plan_fingerprint__hex(char hex[PLATCI_SHA256_HEX_SIZE], const unsigned char digest[32]);

/*
 * Appends the text a change's digest covers (plan_fingerprint_canon.c):
 * its masked `after`, unknowns marked, as compact JSON with sorted keys.
 * @return 0 or PLATCI_ENOMEM.
 */
int platci_plan_fingerprint__canon(platci_buf *out, const json_t *change);

/*
 * The same text when `after` came as its JSON text (@p len bytes at
 * @p text) and @p change holds its markers. @return 0, PLATCI_ENOMEM, or
 * PLATCI_ESYNTAX for a value the reader would refuse (a repeated key).
 */
int platci_plan_fingerprint__canon_text(platci_buf *out, const char *text, size_t len, const json_t *change);

#endif
