#include <stdlib.h>
#include <string.h>

#include "issue.h"

static void code(platci_buf *b, const char *s)
{
	platci_buf_puts(b, "`");
	platci_md_escape(b, s ? s : "");
	platci_buf_puts(b, "`");
}

/* The canonical drift set: what the body shows, one line per item, already sorted. */
static int drift_set(platci_buf *set, const platci_drift *d)
{
	for (size_t i = 0; i < platci_drift_item_count(d); i++) {
		const platci_drift_item *it = platci_drift_item_at(d, i);
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

static int render_body(platci_buf *b, const platci_drift *d, const char *set_hash)
{
	const char *env = platci_drift_env(d);
	const char *current = NULL;

	platci_buf_printf(b, "<!-- platci:drift:%s set=%s -->\n", env, set_hash);
	platci_buf_puts(b, "The scheduled drift check found differences between what the "
		"repository declares and what runs in ");
	code(b, env);
	platci_buf_puts(b, ". This issue is updated when the set of drifted objects changes "
		"and closed when drift is gone. Values and details are in the job's `drift.json` "
		"and `summary.md`.\n");
	for (size_t i = 0; i < platci_drift_item_count(d); i++) {
		const platci_drift_item *it = platci_drift_item_at(d, i);
		if (!it->is_drift)
			continue;
		if (!current || strcmp(current, it->category) != 0) {
			current = it->category;
			platci_buf_printf(b, "\n### %s\n\n", platci_drift_category_title(current));
			if (it->source != PLATCI_DRIFT_TERRAFORM)
				platci_buf_puts(b, "| Object | Reason |\n|---|---|\n");
			else if (strcmp(current, "terraform.changed") == 0)
				platci_buf_puts(b, "| Resource | Changed attributes |\n|---|---|\n");
			else
				platci_buf_puts(b, "| Resource | Action |\n|---|---|\n");
		}
		platci_buf_puts(b, "| ");
		code(b, it->identity);
		platci_buf_puts(b, " | ");
		if (it->source == PLATCI_DRIFT_TERRAFORM) {
			size_t shown = 0;
			for (size_t a = 0; a < it->nattrs; a++) {
				if (it->attrs[a].ignored_by)
					continue;
				if (shown++)
					platci_buf_puts(b, ", ");
				code(b, it->attrs[a].path);
			}
			if (!shown)
				platci_md_escape(b, it->action ? it->action : "");
		} else {
			platci_md_escape(b, it->reason ? it->reason : "-");
		}
		platci_buf_puts(b, " |\n");
	}
	return b->error;
}

int drift_issue_state_build(drift_issue_state *out, const platci_drift *d,
	const char *pipeline_url)
{
	platci_buf title = PLATCI_BUF_INIT, body = PLATCI_BUF_INIT, close = PLATCI_BUF_INIT;
	platci_buf set = PLATCI_BUF_INIT;
	char hex[PLATCI_SHA256_HEX_SIZE];
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->label = DRIFT_ISSUE_LABEL;
	platci_buf_printf(&title, "Drift: %s", platci_drift_env(d));
	platci_buf_printf(&close, "No drift in `%s` any more: the scheduled check found "
		"nothing to report, so this issue is closed.", platci_drift_env(d));
	if (pipeline_url)
		platci_buf_printf(&close, " Pipeline: %s", pipeline_url);
	if (platci_drift_found(d)) {
		if ((error = drift_set(&set, d)) < 0 ||
		    (error = platci_sha256_hex(hex, set.ptr, set.size)) < 0 ||
		    (error = render_body(&body, d, hex)) < 0)
			goto done;
		if (!(out->body = platci_buf_detach(&body))) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	out->title = platci_buf_detach(&title);
	out->close_comment = platci_buf_detach(&close);
	if (!out->title || !out->close_comment)
		error = PLATCI_ENOMEM;
done:
	if (error < 0)
		drift_issue_state_dispose(out);
	platci_buf_dispose(&title);
	platci_buf_dispose(&body);
	platci_buf_dispose(&close);
	platci_buf_dispose(&set);
	return error;
}

void drift_issue_state_dispose(drift_issue_state *s)
{
	if (!s)
		return;
	platci_free(s->title);
	platci_free(s->body);
	platci_free(s->close_comment);
	s->title = s->body = s->close_comment = NULL;
}
