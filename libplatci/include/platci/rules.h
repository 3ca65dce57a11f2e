/**
 * @file platci/rules.h
 * @brief The rule ids platci raises itself, as one list.
 *
 * Every finding names a rule: either one a policy file defines (manifest
 * rules such as `PCI-K8S-005`) or one of platci's own, listed here
 * (`flux.helm-version-range`, `tf.no-backend`, `scan.vulnerability`...).
 * Rules files check against this list: an exception may name any rule of
 * it, or a glob over it (`tf.*`), and a misspelt id is an error with a
 * "did you mean". A new built-in check adds its id here.
 */
#ifndef PLATCI_RULES_H
#define PLATCI_RULES_H

#include <stddef.h>

#include "common.h"

/** One built-in rule. Strings are static. */
typedef struct platci_rule_info {
	const char *id; /**< e.g. `flux.helm-version-range` */
	const char *stage; /**< the runner that raises it: validate, plan, gate, scan, drift, promote */
} platci_rule_info;

PLATCI_BEGIN_DECL

/** Number of built-in rules. */
PLATCI_EXTERN(size_t) platci_rules_count(void);

/** Built-in rule @p i (static), or NULL past the end. Sorted by id. */
PLATCI_EXTERN(const platci_rule_info *) platci_rules_at(size_t i);

/** The built-in rule @p id (static), or NULL when platci raises no such rule. */
PLATCI_EXTERN(const platci_rule_info *) platci_rules_find(const char *id);

PLATCI_END_DECL

#endif
