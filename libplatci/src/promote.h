/* Private layout of a promotion plan, shared by the planner, the renderers and git. */
#ifndef PLATCI_SRC_PROMOTE_H
#define PLATCI_SRC_PROMOTE_H

#include "platci/promote.h"
#include "platci/yamledit.h"
#include "util/arena.h"

typedef struct promote_file {
	const char *path; /* repository-relative */
	char *old_data; /* malloc */
	size_t old_len;
	char *new_data; /* malloc */
	size_t new_len;
	platci_yamledit *edits; /* byte edits, for the diff's hunks */
	size_t nedits, aedits;
} promote_file;

struct platci_promotion {
	platci_arena arena;
	const char *from, *to, *rollback_to, *reason, *root;
	int force, drop_digest;
	platci_promote_change *changes;
	size_t nchanges, achanges;
	platci_promote_note *notes;
	size_t nnotes, anotes;
	const char **refusals;
	size_t nrefusals, arefusals;
	const char **overridden; /* policy denials --force let through */
	size_t noverridden, aoverridden;
	size_t source_pins, target_pins; /* pins read in each environment (after --only) */
	int only; /* --only narrowed the pins */
	const char *substitute; /* the substitute patterns, comma-separated, for messages */
	promote_file *files;
	size_t nfiles, afiles;
	/* Values of every changed key in every environment, for the flowchart. */
	const char **env_names;
	size_t nenvs;
	const char **env_values; /* nchanges x nenvs, row-major; NULL: absent */
};

/* A deny of the target's policy: a refusal, or with --force an override on record. */
int platci_promote__policy_deny(platci_promotion *p, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* Refuses (or records) what the target environment's policy would deny in the new files. */
int platci_promote__check_policy(platci_promotion *p, const platci_config *cfg,
	const platci_promote_options *opts);

#endif
