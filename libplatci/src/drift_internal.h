/* Shared between the drift sources: the result under construction and the ignore rules. */
#ifndef PLATCI_DRIFT_INTERNAL_H
#define PLATCI_DRIFT_INTERNAL_H

#include "platci/drift.h"
#include "util/arena.h"

struct platci_drift {
	platci_arena arena; /* every string and attribute array */
	const char *env;
	platci_drift_item *items;
	size_t nitems, aitems;
	platci_drift_checked *checked;
	size_t nchecked, achecked;
	size_t expired_rules;
	/* What was read, for the renderers. */
	const char *tf_plan;
	const char *tf_format;
	const char *tf_sha256; /* of the plan's bytes, hashed as they were read */
	int tf_refresh_only; /* no resource_changes key */
	const char **flux_files;
	size_t nflux_files;
	const char *pending_from;
	int flux_given, pending_given;
};

/* One category: its id, title, and whether it counts as drift by default. */
typedef struct drift_category {
	const char *id;
	const char *title;
	int is_drift;
} drift_category;

const drift_category *platci_drift__category(const char *id);
size_t platci_drift__category_rank(const char *id);

/* Copies @p s into the result's arena; NULL stays NULL. Sets *oom on failure. */
const char *platci_drift__keep(platci_drift *d, const char *s, int *oom);

/* Appends a zeroed item with @p category (is_drift from the table); NULL on OOM. */
platci_drift_item *platci_drift__add_item(platci_drift *d, platci_drift_source source,
	const char *category, const char *identity, const char *file, size_t line);

/* Records a checked object. */
int platci_drift__add_checked(platci_drift *d, platci_drift_source source, const char *identity);

/* The first rule matching, or NULL. @p attr NULL asks for a whole-item rule. */
const char *platci_drift__policy_match(const platci_drift_policy *p, const char *env, time_t now,
	platci_drift_source source, const char *identity, const char *category, const char *attr);

/* Adds a finding per expired rule and returns how many. */
size_t platci_drift__policy_expired(const platci_drift_policy *p, const char *env, time_t now,
	platci_findings *findings);

int platci_drift__check_flux(platci_drift *d, const platci_flux_status *st,
	const platci_drift_options *opts);

#endif
