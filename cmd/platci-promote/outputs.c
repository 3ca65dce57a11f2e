/* What platci-promote writes and prints once the library has planned the promotion. */
#include "promote_cmd.h"

void promote_print_changes(const cli *c, const platci_promotion *p)
{
	if (c->quiet)
		return;
	for (size_t i = 0; i < platci_promotion_count(p); i++) {
		const platci_promote_change *ch = platci_promotion_at(p, i);
		if (ch->action == PLATCI_CHANGE_DROP)
			fprintf(stderr, "  drop %s: %s (%s:%zu)\n", ch->key, ch->old_value,
				ch->file, ch->line);
		else
			fprintf(stderr, "  %s %s: %s -> %s (%s:%zu)\n",
				ch->action == PLATCI_CHANGE_ADD ? "add " : "set ", ch->key,
				ch->old_value ? ch->old_value : "(none)", ch->new_value, ch->file,
				ch->line);
	}
	for (size_t i = 0; i < platci_promotion_note_count(p); i++)
		fprintf(stderr, "  not promoted %s: %s\n", platci_promotion_note_at(p, i)->key,
			platci_promotion_note_at(p, i)->message);
}

int promote_write_outputs(cli *c, const platci_promotion *p, const char *to)
{
	platci_buf diff = PLATCI_BUF_INIT, json = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_findings *findings = NULL;
	int code = 0;

	if (platci_findings_new(&findings) < 0 || platci_promotion_findings(findings, p) < 0 ||
		platci_promotion_render_diff(&diff, p) < 0 || platci_promotion_render_json(&json, p) < 0 ||
		platci_promotion_render_summary(&md, p) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "promote";
	ropts.title = "platci promote";
	ropts.env = to;
	ropts.preamble_md = md.ptr;
	if ((code = cli_write_report(c, "promotion.diff", diff.ptr, diff.size)) == 0 &&
		(code = cli_write_report(c, "promotion.json", json.ptr, json.size)) == 0)
		code = cli_write_reports(c, findings, NULL, &ropts);
done:
	platci_buf_dispose(&diff);
	platci_buf_dispose(&json);
	platci_buf_dispose(&md);
	platci_findings_free(findings);
	return code;
}
