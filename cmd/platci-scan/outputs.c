/* What platci-scan writes and prints once the library has applied the policy. */
#include "outputs.h"

static void print_counts(const char *label, const size_t *n)
{
	printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu\n", label,
		n[PLATCI_TRIVY_CRITICAL], n[PLATCI_TRIVY_HIGH], n[PLATCI_TRIVY_MEDIUM],
		n[PLATCI_TRIVY_LOW], n[PLATCI_TRIVY_UNKNOWN]);
}

void scan_print_counts(const platci_scan_counts *t)
{
	print_counts("read", t->read);
	print_counts("reported", t->reported);
	printf("unique %zu, duplicates %zu, failing %zu\n", t->unique, t->duplicates, t->failing);
}

/* Deny findings go to the log as they are written, with their place. */
static int print_deny(const platci_finding *f, void *payload)
{
	(void)payload;
	if (f->waiver || f->enforcement != PLATCI_ENFORCE_DENY)
		return 0;
	if (f->line)
		fprintf(stderr, "%s:%zu: error: %s [%s]\n", f->file ? f->file : "-", f->line,
			f->message, f->rule_id);
	else
		fprintf(stderr, "%s: error: %s [%s]\n", f->file ? f->file : "-", f->message, f->rule_id);
	return 0;
}

int scan_open_outputs(cli *c, platci_scan *scan, platci_report_stream **out, platci_diag *diag)
{
	platci_scan_cs_options co = PLATCI_SCAN_CS_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	int error;

	ropts.stage = "scan";
	ropts.title = "platci scan";
	ropts.env = c->env;
	ropts.pretty = c->pretty;
	co.start_time = co.end_time = c->now;
	if (cli_reports_begin(c) != 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_report_stream_open(out, c->reports, &ropts, diag)) < 0 ||
		(error = platci_scan_stream_reports(scan, *out, c->reports, &co, diag)) < 0) {
		cli_fail(c, diag, error, "cannot write reports to %s", c->reports);
		return CLI_EXIT_INTERNAL;
	}
	platci_report_stream_listen(*out, print_deny, NULL);
	return 0;
}

int scan_finish(cli *c, platci_scan *scan, platci_junit *junit, platci_diag *diag)
{
	int error;

	if ((error = platci_scan_finish(scan, NULL)) < 0 || (error = platci_scan_junit(junit, scan)) < 0) {
		int code = cli_fail(c, diag, error, "cannot write reports to %s", c->reports);
		return error == PLATCI_EIO ? CLI_EXIT_INTERNAL : code;
	}
	return 0;
}

int scan_write_outputs(cli *c, const platci_scan *scan, platci_report_stream *rs,
	const platci_junit *junit, platci_diag *diag)
{
	platci_buf pre = PLATCI_BUF_INIT;
	int error, code = 0;

	/* what the stream and platci_scan_stream_reports() wrote (report.h, scan.h) */
	static const char *const names[] = { "junit.xml", "gl-code-quality-report.json",
		"summary.md", "findings.json", "gl-container-scanning-report.json" };

	if ((error = platci_scan_render_summary(&pre, scan)) < 0 ||
		(error = platci_report_stream_commit(rs, pre.ptr, junit, diag)) < 0) {
		cli_fail(c, diag, error, "cannot write reports to %s", c->reports);
		code = CLI_EXIT_INTERNAL;
	} else {
		code = cli_reports_written(c, names, sizeof(names) / sizeof(names[0]));
	}
	platci_buf_dispose(&pre);
	return code;
}

void scan_print_results(const cli *c, const platci_scan *scan)
{
	platci_scan_counts totals, *t = &totals;

	platci_scan_totals(&totals, scan);

	for (size_t i = 0; i < platci_scan_image_count(scan); i++) {
		const platci_scan_image *im = platci_scan_image_at(scan, i);
		printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu; other %zu; "
		       "failing %zu; waived %zu\n",
			im->image, im->reported[4], im->reported[3], im->reported[2],
			im->reported[1], im->reported[0], im->other, im->failing, im->waived);
	}
	cli_info(c,
		"platci-scan%s%s: %zu unique findings (%zu duplicates folded), %zu failing, "
		"%zu waived, %zu expired and %zu stale waivers; reports in %s/",
		c->env ? " " : "", c->env ? c->env : "", t->unique, t->duplicates, t->failing,
		t->waived, t->expired_waivers, t->stale_waivers, c->reports);
}
