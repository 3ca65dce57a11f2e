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

struct platci_plan_fingerprint {
	platci_arena arena;
	const char *env;
	platci_plan_fingerprint_entry *items;
	size_t count, alloc;
	size_t declared; /* changes the source said it had (a note lists at most NOTE_MAX_LINES) */
	char digest[7 + PLATCI_SHA256_HEX_SIZE];
	platci_buf text; /* one change's canonical JSON, reused */
	platci_sha256 *hash; /* reused likewise */
};

/* Appends a change (copied). @return 0 or PLATCI_ENOMEM. */
int platci_plan_fingerprint__push(platci_plan_fingerprint *fp, const char *address, size_t alen,
	const char *action, const char *digest);

#endif
