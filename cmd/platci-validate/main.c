/* platci-validate: merge-request validation of what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cli_gitlab.h"
#include "diff.h"
#include "output.h"
#include "render.h"
#include "tffmt.h"

int main(int argc, char **argv)
{
	platci_config *cfg = NULL;
	platci_findings *findings = NULL;
	platci_diag *diag = NULL;
	platci_affected *affected = NULL;
	platci_validate_options vopts = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_validate_stats stats = { 0, 0, 0, 0 };
	const platci_findings *fixed;
	platci_findings_counts counts;
	vargs a;
	vdiff d;
	vrender rd;
	int code, error;
	cli c;

	cli_init(&c, argv[0]);
	memset(&d, 0, sizeof(d));
	memset(&rd, 0, sizeof(rd));
	if ((code = vargs_parse(&a, &c, argc, argv)) != CLI_CONTINUE)
		goto done;
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (platci_findings_new(&findings) < 0 || platci_diag_new(&diag) < 0 ||
		platci_affected_new(&affected, cfg) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((code = vdiff_open(&d, &c, cfg, &a)) != 0)
		goto done;
	vopts.changes = d.changes;
	vopts.all = a.all || !d.changes;
	vopts.affected = affected;
	vopts.now = c.now;
	vopts.threads = a.threads;
	vopts.schemas_dir = a.schemas;
	vopts.strict = a.strict;
	vopts.base = d.base_cfg; /* NULL: not compared with the merge base */
	vopts.fixed = d.fixed;
	vrender_setup(&rd, &c, cfg, a.cache_dir, a.no_cache, a.no_render, &vopts);
	cli_section_start(&c, "platci_validate", "platci validate");
	error = platci_validate_run(cfg, &vopts, findings, &stats, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "validation could not run: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	if (!a.no_fmt)
		tffmt_run(&c, cfg, findings, d.changes);
	fixed = stats.compared ? d.fixed : NULL;
	if ((code = vrender_write(&rd, &c, vopts.base != NULL)) != 0 ||
		(code = write_reports(&c, findings, fixed, affected, &d.meta, d.changes,
			 rd.md.size ? rd.md.ptr : NULL)) != 0)
		goto done;
	if ((code = child_write(&c, &a.child, affected)) != 0)
		goto done;

	print_findings(&c, findings);
	cli_section_end(&c, "platci_validate");
	print_totals(&c, cfg, findings, fixed, &stats, affected);
	platci_findings_count_by(findings, &counts);
	code = counts.deny ? CLI_EXIT_DENY : CLI_EXIT_OK;
	code = cli_gitlab_publish_summary(&c, c.reports, code);
done:
	vdiff_close(&d);
	vrender_dispose(&rd);
	platci_affected_free(affected);
	platci_findings_free(findings);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
