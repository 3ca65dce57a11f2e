/* Private layout of a promotion plan, shared by the planner, the renderers and git. */
#ifndef PLATCI_SRC_PROMOTE_H
#define PLATCI_SRC_PROMOTE_H

#include "platci/promote.h"
#include "platci/yamledit.h"
#include "util/arena.h"

typedef struct promote_file {
	const char *path;   /* repository-relative */
	char *old_data;     /* malloc */
	size_t old_len;
	char *new_data;     /* malloc */
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
	promote_file *files;
	size_t nfiles, afiles;
	/* Values of every changed key in every environment, for the flowchart. */
	const char **env_names;
	size_t nenvs;
	const char **env_values; /* nchanges x nenvs, row-major; NULL: absent */
};

#endif
