/* What platci-scan writes and prints once the library has applied the policy. */
#include "outputs.h"

static void print_counts(const char *label, const size_t *n)
{
	printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu\n", label,
		n[PLATCI_TRIVY_CRITICAL], n[PLATCI_TRIVY_HIGH], n[PLATCI_TRIVY_MEDIUM],
		n[PLATCI_TRIVY_LOW], n[PLATCI_TRIVY_UNKNOWN]);
}

void scan_print_counts(const platci_scan_totals *t)
{
	print_counts("read", t->read);
	print_counts("reported", t->reported);
	printf("unique %zu, duplicates %zu, failing %zu\n", t->unique, t->duplicates, t->failing);
}

int scan_write_outputs(cli *c, const platci_scan *scan, const platci_findings *findings,
	const platci_junit *junit)
{
	platci_scan_cs_options co = PLATCI_SCAN_CS_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf pre = PLATCI_BUF_INIT, cs = PLATCI_BUF_INIT;
	int code;

	co.start_time = c->now;
	co.end_time = c->now;
	if (platci_scan_render_summary(&pre, scan) < 0 ||
	    platci_scan_render_container_scanning(&cs, scan, &co) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ropts.stage = "scan";
	ropts.title = "platci scan";
	ropts.env = c->env;
	ropts.preamble_md = pre.ptr;
	if ((code = cli_write_reports(c, findings, junit, &ropts)) == 0)
		code = cli_write_report(c, "gl-container-scanning-report.json", cs.ptr, cs.size);
done:
	platci_buf_dispose(&pre);
	platci_buf_dispose(&cs);
	return code;
}

void scan_print_results(const cli *c, const platci_scan *scan, const platci_findings *findings)
{
	const platci_scan_totals *t = platci_scan_get_totals(scan);

	for (size_t i = 0; i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_get(findings, i);
		if (f->waiver || f->enforcement != PLATCI_ENFORCE_DENY)
			continue;
		if (f->line)
			fprintf(stderr, "%s:%zu: error: %s [%s]\n", f->file ? f->file : "-", f->line,
				f->message, f->rule_id);
		else
			fprintf(stderr, "%s: error: %s [%s]\n", f->file ? f->file : "-", f->message,
				f->rule_id);
	}
	for (size_t i = 0; i < platci_scan_image_count(scan); i++) {
		const platci_scan_image *im = platci_scan_image_at(scan, i);
		printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu; other %zu; "
			"failing %zu; waived %zu\n", im->image, im->reported[4], im->reported[3],
			im->reported[2], im->reported[1], im->reported[0], im->other, im->failing,
			im->waived);
	}
	cli_info(c, "platci-scan%s%s: %zu unique findings (%zu duplicates folded), %zu failing, "
		"%zu waived, %zu expired and %zu stale waivers; reports in %s/",
		c->env ? " " : "", c->env ? c->env : "", t->unique, t->duplicates, t->failing,
		t->waived, t->expired_waivers, t->stale_waivers, c->reports);
}
