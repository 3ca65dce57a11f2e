/* platci-validate: merge-request validation of what changed. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "[--all] [options]";
static const char options[] =
	"Validates the repository's YAML: syntax, duplicate keys, limits.\n\n"
	"Options:\n"
	"  --all           validate every file (the default for now)\n";

int main(int argc, char **argv)
{
	platci_config *cfg = NULL;
	platci_findings *findings = NULL;
	platci_diag *diag = NULL;
	platci_validate_options vopts = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_validate_stats stats = { 0, 0, 0 };
	platci_findings_counts counts;
	cli c;
	int code = 0, error;

	cli_init(&c, argv[0]);
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(&c, argc, argv, &i);
		if (r < 0) {
			code = CLI_EXIT_USAGE;
			goto done;
		}
		if (r)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(&c, usage, options);
			goto done;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(&c);
			goto done;
		} else if (strcmp(argv[i], "--all") == 0) {
			vopts.all = 1;
		} else {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
			goto done;
		}
	}
	if ((code = cli_load_config(&c, &cfg)) != 0)
		goto done;
	if (platci_findings_new(&findings) < 0 || platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	cli_section_start(&c, "platci_validate", "platci validate");
	error = platci_validate_run(cfg, &vopts, findings, &stats, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "validation could not run: %s", platci_strerror(error));
		code = cli_exit_for(error);
		goto done;
	}
	ropts.stage = "validate";
	ropts.title = "platci validate";
	ropts.env = c.env;
	if ((code = cli_write_reports(&c, findings, NULL, &ropts)) != 0)
		goto done;

	for (size_t i = 0; i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->waiver)
			continue;
		fprintf(stderr, "%s:%zu:%zu: %s: %s [%s]\n", f->file ? f->file : "-", f->line,
			f->column, f->enforcement == PLATCI_ENFORCE_DENY ? "error" : "warning",
			f->message, f->rule_id);
	}
	cli_section_end(&c, "platci_validate");
	platci_findings_count_by(findings, &counts);
	cli_info(&c, "platci-validate: %zu files, %zu documents: %zu deny, %zu warn, %zu waived; "
		"reports in %s/", stats.files, stats.documents, counts.deny, counts.warn,
		counts.waived, c.reports);
	code = counts.deny ? CLI_EXIT_DENY : CLI_EXIT_OK;
done:
	platci_findings_free(findings);
	platci_diag_free(diag);
	platci_config_free(cfg);
	cli_dispose(&c);
	return code;
}
