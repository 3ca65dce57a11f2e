/* One read of a plan for its policy and its fingerprint (platci/plan_check.h). */
#include <stdlib.h>

#include "platci/plan_check.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct check_ctx {
	platci_plan_check *chk;
	size_t *usage;
	platci_diag *diag;
} check_ctx;

static int on_change(const platci_tfplan_change *change, void *payload)
{
	check_ctx *c = payload;
	int error = 0;

	if (c->chk->policy)
		error = platci_policy_eval_change(c->chk->policy, change, c->chk->env, c->chk->file,
			c->chk->findings, c->usage);
	if (!error && c->chk->fingerprint &&
		(error = platci_plan_fingerprint_add(c->chk->fingerprint, change)) == PLATCI_ESYNTAX) {
		/* read from its text (below), `after` was not looked into by the reader */
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDUPLICATE, c->chk->file,
			change->line, 0, 0, NULL, NULL };
		platci_diag_add(c->diag, &e,
			"the change of %s repeats a key in `after`: which of the two values counts would "
			"be a guess, so the input is refused",
			change->address);
	}
	return error;
}

int platci_plan_check_read_file(platci_tfplan **out, const char *path, platci_plan_check *chk,
	platci_diag *diag)
{
	platci_tfplan_options opts = PLATCI_TFPLAN_OPTIONS_INIT;
	check_ctx c;
	int error = 0;

	PLATCI_ASSERT_ARG(out && path && chk && chk->version >= 1 &&
			  chk->version <= PLATCI_PLAN_CHECK_VERSION);
	PLATCI_ASSERT_ARG(!chk->policy || chk->findings);
	*out = NULL;
	c.chk = chk;
	c.usage = NULL;
	c.diag = diag;
	if (chk->policy && platci_policy_exception_count(chk->policy) &&
		!(c.usage = calloc(platci_policy_exception_count(chk->policy), sizeof(size_t))))
		return PLATCI_ENOMEM;
	opts.name = chk->file;
	opts.on_change = on_change;
	opts.payload = &c;
	opts.hash_input = chk->version >= 2 && chk->hash_input; /* version 1 ends before it */
	/* the fingerprint digests `after` alone, from its text; a policy may read any member */
	if (!chk->policy)
		opts.callback_values = PLATCI_TFPLAN_VALUES_NO_BEFORE | PLATCI_TFPLAN_VALUES_AFTER_TEXT;
	if ((error = platci_tfplan_read_file(out, path, &opts, diag)) < 0)
		goto done;
	if (chk->policy && (error = platci_policy_apply(chk->policy, chk->findings, c.usage)) < 0)
		goto done;
	if (chk->fingerprint)
		error = platci_plan_fingerprint_finish(chk->fingerprint);
done:
	if (error < 0) {
		platci_tfplan_free(*out);
		*out = NULL;
	}
	free(c.usage);
	return error;
}
