/* A change's `after` value as the plan rules and the fingerprint see it. */
#ifndef PLATCI_SRC_PLAN_VALUE_H
#define PLATCI_SRC_PLAN_VALUE_H

#include "platci/tfplan.h"

/*
 * A copy of @p ch's `change.after` (an empty object when there is none)
 * with every value `after_unknown` marks replaced by PLATCI_UNKNOWN and,
 * when @p masked, every value `after_sensitive` marks by PLATCI_REDACTED.
 * @param[out] out a new reference.
 * @return 0 or PLATCI_ENOMEM.
 */
int platci_plan__after(json_t **out, const platci_tfplan_change *ch, int masked);

/* "create", "update", "delete", "replace", "read", "no-op", "forget" or "other". */
const char *platci_plan__action_word(platci_tfplan_action a);

#endif
