/**
 * @file platci/findings.h
 * @brief Findings: the common currency of every stage and report writer.
 *
 * A finding says which rule, how bad, whether it blocks, where, and in
 * which environment. Its fingerprint is a SHA-256 of the rule id, the
 * environment, the file and a stable key (object identity and field path;
 * never the line number), so GitLab keeps recognising a finding after the
 * lines around it move.
 */
#ifndef PLATCI_FINDINGS_H
#define PLATCI_FINDINGS_H

#include "common.h"
#include "sha256.h"

/** GitLab Code Quality severities, in rising order. */
typedef enum {
	PLATCI_SEVERITY_INFO = 0,
	PLATCI_SEVERITY_MINOR,
	PLATCI_SEVERITY_MAJOR,
	PLATCI_SEVERITY_CRITICAL,
	PLATCI_SEVERITY_BLOCKER
} platci_severity;

/** Whether a finding blocks the stage. */
typedef enum { PLATCI_ENFORCE_WARN = 0, PLATCI_ENFORCE_DENY = 1 } platci_enforcement;

/**
 * How a finding compares with the merge base of a merge request, in
 * diff mode (GitLab's Code Quality widget compares the same way, by
 * fingerprint).
 */
typedef enum {
	PLATCI_BASELINE_NONE = 0, /**< not compared (a full run, or no merge base) */
	PLATCI_BASELINE_NEW, /**< the change introduces it */
	PLATCI_BASELINE_EXISTING, /**< it was already at the merge base */
	PLATCI_BASELINE_FIXED /**< it was at the merge base and the change removes it */
} platci_baseline;

/** One finding. As an argument, strings are borrowed and copied by the list. */
typedef struct platci_finding {
	const char *rule_id; /**< e.g. `yaml.duplicate-key`; required */
	platci_severity severity;
	platci_enforcement enforcement;
	const char *message; /**< one line; required */
	const char *file; /**< repo-relative, or NULL */
	size_t line; /**< 1-based, 0 unknown */
	size_t column; /**< 1-based, 0 unknown */
	const char *env; /**< environment name, or NULL */
	const char *key; /**< stable identity for the fingerprint, or NULL (message used) */
	const char *waiver; /**< what silenced it (id and reason), or NULL */
	const char *details; /**< optional longer text (Markdown-safe), or NULL */
	char fingerprint[PLATCI_SHA256_HEX_SIZE]; /**< filled by platci_findings_add() when empty */
	platci_baseline baseline; /**< comparison with the merge base, or PLATCI_BASELINE_NONE */
} platci_finding;

typedef struct platci_findings platci_findings;

/** Counts over a list. A waived finding counts only in `waived`. */
typedef struct platci_findings_counts {
	size_t total;
	size_t deny;
	size_t warn;
	size_t waived;
	size_t by_severity[5];
} platci_findings_counts;

PLATCI_BEGIN_DECL

/** Creates an empty list. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_findings_new(platci_findings **out);

/** Frees the list. NULL is a no-op. */
PLATCI_EXTERN(void) platci_findings_free(platci_findings *list);

/**
 * Copies @p f into the list, computing its fingerprint when
 * `f->fingerprint[0]` is NUL. @return 0, PLATCI_EINVALID (no rule id or
 * message) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_findings_add(platci_findings *list, const platci_finding *f);

/** Number of findings. */
PLATCI_EXTERN(size_t) platci_findings_count(const platci_findings *list);

/** Borrowed finding @p i, valid until the list changes or is freed; NULL when out of range. */
PLATCI_EXTERN(const platci_finding *) platci_findings_at(const platci_findings *list, size_t i);

/**
 * Sorts by environment, file, line, column, rule id and message, so
 * reports are the same whatever order checks ran in.
 */
PLATCI_EXTERN(void) platci_findings_sort(platci_findings *list);

/**
 * Marks finding @p i as waived by @p waiver (copied). @return 0,
 * PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_findings_waive(platci_findings *list, size_t i, const char *waiver);

/** Tallies the list. */
PLATCI_EXTERN(void)
platci_findings_count_by(const platci_findings *list, platci_findings_counts *out);

/** 1 when any unwaived finding is at deny level. */
PLATCI_EXTERN(int) platci_findings_has_deny(const platci_findings *list);

/** "new", "existing" or "fixed"; NULL for PLATCI_BASELINE_NONE and out-of-range values. */
PLATCI_EXTERN(const char *) platci_baseline_name(platci_baseline b);

/** Lower-case name ("info" ... "blocker"); NULL for out-of-range values. */
PLATCI_EXTERN(const char *) platci_severity_name(platci_severity s);

/** Parses a severity name (case-insensitive). @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_severity_parse(platci_severity *out, const char *name);

/**
 * Computes the fingerprint of @p f into @p hex from rule id, environment,
 * file and key (or message when there is no key).
 */
PLATCI_EXTERN(int)
platci_finding_fingerprint(char hex[PLATCI_SHA256_HEX_SIZE], const platci_finding *f);

PLATCI_END_DECL

#endif
