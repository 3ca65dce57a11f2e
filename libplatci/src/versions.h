/* Private layout of a version set, shared by the loader, the extractor and promotion. */
#ifndef PLATCI_SRC_VERSIONS_H
#define PLATCI_SRC_VERSIONS_H

#include "platci/versions.h"
#include "util/arena.h"

/*
 * Where a new `key: value` line can go in the mapping that holds a pin
 * group (an images[] entry, an OCI/Git spec.ref), so promotion can add a
 * digest the target lacks.
 */
typedef struct platci_pin_group {
	const char *id;
	const char *file;
	int insertable; /* 0 for flow mappings and unmappable inline patches */
	size_t insert_at; /* byte offset of the start of the line after the mapping */
	size_t indent; /* columns before the mapping's keys */
	int lead_eol; /* the mapping ends the file without a newline */
	int crlf; /* the file uses \r\n there */
} platci_pin_group;

/*
 * A kustomize patch kept in its own file (`patches: [{path, target}]`):
 * JSON 6902 ops there become pins once the target is known.
 */
typedef struct platci_patch_target {
	const char *file; /* the op file, repository-relative */
	const char *kind, *name, *ns;
} platci_patch_target;

typedef struct platci_versions_index {
	platci_pin **sorted;
	size_t n;
	size_t built_for; /* npins when the view was built */
	int built;
} platci_versions_index;

struct platci_versions {
	platci_versions_options opts;
	platci_arena arena;
	platci_pin **pins; /* insertion order */
	size_t npins, apins;
	platci_pin_group *groups;
	size_t ngroups, agroups;
	platci_versions_index *index; /* sorted view, rebuilt lazily */
	platci_pin **pending; /* ops from patch files whose target is not known yet */
	size_t npending, apending;
	platci_patch_target *targets;
	size_t ntargets, atargets;
};

/* Adds a pin (strings copied into the arena). Returns the pin or NULL on ENOMEM. */
platci_pin *platci_versions__add_pin(platci_versions *set, const platci_pin *pin);

/* Parks @p pin (already added) until a patch target names its file. 0 or PLATCI_ENOMEM. */
int platci_versions__add_pending(platci_versions *set, platci_pin *pin);

/* Gives parked ops the identity of their patch target, when known now. 0 or PLATCI_ENOMEM. */
int platci_versions__resolve(platci_versions *set);

/* Records a patch file's target (strings copied). 0 or PLATCI_ENOMEM. */
int platci_versions__add_target(platci_versions *set, const platci_patch_target *t);

/* Copies every patch target of @p src into @p dst. 0 or PLATCI_ENOMEM. */
int platci_versions__copy_targets(platci_versions *dst, const platci_versions *src);

/* Adds a group (strings copied). 0 or PLATCI_ENOMEM. */
int platci_versions__add_group(platci_versions *set, const platci_pin_group *group);

/* The first group with @p id in @p file (file NULL: any), or NULL. */
const platci_pin_group *platci_versions__group(const platci_versions *set, const char *id, const char *file);

/* Index in the sorted view (platci_versions_at) of the first pin with @p key; count when none. */
size_t platci_versions__first(const platci_versions *set, const char *key);

/* Pins of one parsed file into @p set (versions_extract.c). */
int platci_versions__extract(platci_versions *set, const platci_doc *doc, const char *file,
	const char *app, platci_diag *diag);

#endif
