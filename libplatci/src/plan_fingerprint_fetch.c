/*
 * The reviewed plan's fingerprint from GitLab: the merge request's sticky
 * plan note carries it (platci-plan summarize puts it there), so the gate
 * on the default branch asks the MR that brought the commit for it.
 */
#include <string.h>

#include "platci/plan_fingerprint.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/banned.h"

/* The note's first line is exactly @p marker (the sticky note's rule). */
static int starts_with_marker(const char *body, const char *marker)
{
	size_t n = strlen(marker);

	while (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')
		body++;
	return strncmp(body, marker, n) == 0 && (body[n] == '\0' || body[n] == '\n' || body[n] == '\r');
}

int platci_plan_fingerprint_fetch(platci_plan_fingerprint **out, platci_gitlab *gl,
	unsigned long mr_iid, const char *env, platci_diag *diag)
{
	platci_buf marker = PLATCI_BUF_INIT;
	json_t *notes = NULL, *n;
	size_t i;
	int error = 0;

	PLATCI_ASSERT_ARG(out && gl && mr_iid);
	*out = NULL;
	if ((error = platci_gitlab_marker(&marker, "plan", env)) < 0 ||
		(error = platci_gitlab_notes_list(&notes, gl, mr_iid, diag)) < 0)
		goto done;
	error = PLATCI_ENOTFOUND;
	json_array_foreach (notes, i, n) {
		const char *body = platci_json_str(n, "body");
		if (json_is_true(json_object_get(n, "system")) || !body ||
			!starts_with_marker(body, marker.ptr))
			continue;
		error = platci_plan_fingerprint_parse(out, body, env, diag);
		break;
	}
done:
	json_decref(notes);
	platci_buf_dispose(&marker);
	return error;
}
