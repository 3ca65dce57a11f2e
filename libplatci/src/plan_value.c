/* The `after` value of a plan change, with unknowns marked (plan_value.h). */
#include "plan_value.h"
#include "platci/redact.h"
#include "util/common.h"
#include "util/banned.h"

/* Puts PLATCI_UNKNOWN wherever @p marker (after_unknown) says `true`. */
static int mark_unknown(json_t *value, const json_t *marker)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_object(marker) && json_is_object(value)) {
		json_object_foreach ((json_t *)(uintptr_t)marker, key, m) {
			if (json_is_true(m) ? json_object_set_new(value, key, json_string(PLATCI_UNKNOWN)) < 0
					    : mark_unknown(json_object_get(value, key), m) < 0)
				return PLATCI_ENOMEM;
		}
	} else if (json_is_array(marker) && json_is_array(value)) {
		json_array_foreach ((json_t *)(uintptr_t)marker, i, m) {
			if (i >= json_array_size(value))
				break;
			if (json_is_true(m) ? json_array_set_new(value, i, json_string(PLATCI_UNKNOWN)) < 0
					    : mark_unknown(json_array_get(value, i), m) < 0)
				return PLATCI_ENOMEM;
		}
	}
	return 0;
}

int platci_plan__after(json_t **out, const platci_tfplan_change *ch, int masked)
{
	const json_t *after = json_object_get(ch->change, "after");
	const json_t *unknown = json_object_get(ch->change, "after_unknown");
	json_t *v = NULL;
	int error = 0;

	*out = NULL;
	if (json_is_true(unknown)) {
		*out = json_string(PLATCI_UNKNOWN);
		return *out ? 0 : PLATCI_ENOMEM;
	}
	if (!after || json_is_null(after))
		v = json_object();
	else if (masked)
		error = platci_redact(&v, after, json_object_get(ch->change, "after_sensitive"));
	else
		v = json_deep_copy(after);
	if (error < 0)
		return error;
	if (!v)
		return PLATCI_ENOMEM;
	if ((error = mark_unknown(v, unknown)) < 0) {
		json_decref(v);
		return error;
	}
	*out = v;
	return 0;
}

const char *platci_plan__action_word(platci_tfplan_action a)
{
	switch (a) {
	case PLATCI_TFPLAN_NOOP:
		return "no-op";
	case PLATCI_TFPLAN_CREATE:
		return "create";
	case PLATCI_TFPLAN_READ:
		return "read";
	case PLATCI_TFPLAN_UPDATE:
		return "update";
	case PLATCI_TFPLAN_DELETE:
		return "delete";
	case PLATCI_TFPLAN_DELETE_THEN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_DELETE:
		return "replace";
	case PLATCI_TFPLAN_FORGET:
		return "forget";
	case PLATCI_TFPLAN_CREATE_THEN_FORGET:
		return "create";
	case PLATCI_TFPLAN_OTHER:
		break;
	}
	return "other";
}
