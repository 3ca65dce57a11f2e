/*
 * The GitLab issue a drift run wants to exist: one per environment. Its
 * body depends only on the drift set (categories, identities, reasons,
 * attribute paths; no values, no times), so the same drift gives the same
 * bytes and the sync makes no edit.
 */
#include <string.h>

#include "drift_internal.h"
#include "platci/report.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/banned.h"

static void code(platci_buf *b, const char *s)
{
	platci_buf_puts(b, "`");
	platci_md_escape(b, s ? s : "");
	platci_buf_puts(b, "`");
}

/* The canonical drift set: one line per drift item, in the result's sorted order. */
static int drift_set(platci_buf *set, const platci_drift *d)
{
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		if (!it->is_drift)
			continue;
		platci_buf_printf(set, "%s\t%s\t%s", it->category, it->identity,
			it->reason ? it->reason : "");
		for (size_t a = 0; a < it->nattrs; a++)
			if (!it->attrs[a].ignored_by)
				platci_buf_printf(set, "\t%s", it->attrs[a].path);
		platci_buf_putc(set, '\n');
	}
	return set->error;
}

int platci_drift_set_hash(char hex[PLATCI_SHA256_HEX_SIZE], const platci_drift *d)
{
	platci_buf set = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(hex && d);
	if ((error = drift_set(&set, d)) == 0)
		error = platci_sha256_hex(hex, set.ptr, set.size);
	platci_buf_dispose(&set);
	return error;
}

static void table_head(platci_buf *b, const platci_drift_item *it)
{
	platci_buf_printf(b, "\n### %s\n\n", platci_drift_category_title(it->category));
	if (it->source != PLATCI_DRIFT_TERRAFORM)
		platci_buf_puts(b, "| Object | Reason |\n|---|---|\n");
	else if (strcmp(it->category, "terraform.changed") == 0)
		platci_buf_puts(b, "| Resource | Changed attributes |\n|---|---|\n");
	else
		platci_buf_puts(b, "| Resource | Action |\n|---|---|\n");
}

static void table_row(platci_buf *b, const platci_drift_item *it)
{
	size_t shown = 0;

	platci_buf_puts(b, "| ");
	code(b, it->identity);
	platci_buf_puts(b, " | ");
	if (it->source != PLATCI_DRIFT_TERRAFORM) {
		platci_md_escape(b, it->reason ? it->reason : "-");
	} else {
		for (size_t a = 0; a < it->nattrs; a++) {
			if (it->attrs[a].ignored_by)
				continue;
			if (shown++)
				platci_buf_puts(b, ", ");
			code(b, it->attrs[a].path);
		}
		if (!shown)
			platci_md_escape(b, it->action ? it->action : "");
	}
	platci_buf_puts(b, " |\n");
}

static int render_body(platci_buf *b, const platci_drift *d, const char *set_hash)
{
	const char *current = NULL;

	platci_buf_printf(b, "<!-- platci:drift:%s set=%s -->\n", d->env, set_hash);
	platci_buf_puts(b,
		"The scheduled drift check found differences between what the "
		"repository declares and what runs in ");
	code(b, d->env);
	platci_buf_puts(b,
		". This issue is updated when the set of drifted objects changes "
		"and closed when drift is gone. Values and details are in the job's `drift.json` "
		"and `summary.md`.\n");
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		if (!it->is_drift)
			continue;
		if (!current || strcmp(current, it->category) != 0) {
			current = it->category;
			table_head(b, it);
		}
		table_row(b, it);
	}
	return b->error;
}

int platci_drift_issue_build(platci_drift_issue *out, const platci_drift *d, const char *pipeline_url)
{
	platci_drift_issue init = PLATCI_DRIFT_ISSUE_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(out && d);
	*out = init;
	platci_buf_printf(&out->title, "Drift: %s", d->env);
	platci_buf_printf(&out->close_comment,
		"No drift in `%s` any more: the scheduled check "
		"found nothing to report, so this issue is closed.",
		d->env);
	if (pipeline_url)
		platci_buf_printf(&out->close_comment, " Pipeline: %s", pipeline_url);
	if ((error = out->title.error ? out->title.error : out->close_comment.error) < 0)
		goto done;
	if (platci_drift_found(d) && ((error = platci_drift_set_hash(out->set_hash, d)) < 0 ||
					     (error = render_body(&out->body, d, out->set_hash)) < 0))
		goto done;
done:
	if (error < 0)
		platci_drift_issue_dispose(out);
	return error;
}

void platci_drift_issue_dispose(platci_drift_issue *issue)
{
	if (!issue)
		return;
	platci_buf_dispose(&issue->title);
	platci_buf_dispose(&issue->body);
	platci_buf_dispose(&issue->close_comment);
	issue->set_hash[0] = '\0';
}
