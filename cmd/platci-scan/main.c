/* platci-scan: Trivy JSON reports -> the environment's scan policy -> GitLab reports. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_gitlab.h"

static const char usage[] = "[--env ENV] [--policy FILE] [--ignore FILE]... REPORT.json...";
static const char options[] =
	"Reads Trivy JSON reports (every shape Trivy has written), applies the scan\n"
	"policy of the environment and the waivers, and writes junit.xml,\n"
	"gl-code-quality-report.json, summary.md, findings.json and\n"
	"gl-container-scanning-report.json. Exit 1 when a finding at the fail\n"
	"severity remains after waivers.\n\n"
	"Options:\n"
	"  --policy FILE   scan policy (default: policies.scan of platci.yaml)\n"
	"  --ignore FILE   waivers: .trivyignore, .trivyignore.yaml, GitLab's\n"
	"                  vulnerability-allowlist.yml or platci waivers (repeatable)\n"
	"  --counts        print the vulnerability counts per severity as read and\n"
	"                  after policy; write no reports\n";

#define MAX_FILES 256

static void print_diag(const cli *c, platci_diag *diag)
{
	cli_print_diag(c, diag);
}

static int load_policy(cli *c, const char *policy_path, platci_scan_policy **out)
{
	platci_config *cfg = NULL;
	platci_diag *diag = NULL;
	char *joined = NULL;
	const char *path = policy_path;
	int code = 0, error;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if (!path) {
		const platci_policy_paths *pp;
		if ((code = cli_load_config(c, &cfg)) != 0)
			goto done;
		pp = platci_config_policies(cfg);
		if (!pp->scan) {
			cli_error(c, "%s names no scan policy (policies: scan:); pass --policy FILE",
				platci_config_path(cfg));
			code = CLI_EXIT_DATA;
			goto done;
		}
		{
			size_t n = strlen(platci_config_root(cfg)) + strlen(pp->scan) + 2;
			if (!(joined = malloc(n))) {
				code = CLI_EXIT_INTERNAL;
				goto done;
			}
			snprintf(joined, n, "%s/%s", platci_config_root(cfg), pp->scan);
			path = joined;
		}
	}
	error = platci_scan_policy_load(out, path, diag);
	print_diag(c, diag);
	if (error < 0) {
		cli_error(c, "cannot use the scan policy %s: %s", path, platci_strerror(error));
		code = cli_exit_for(error);
	}
done:
	free(joined);
	platci_config_free(cfg);
	platci_diag_free(diag);
	return code;
}

static void print_counts(const char *label, const size_t *n)
{
	printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu\n", label,
		n[PLATCI_TRIVY_CRITICAL], n[PLATCI_TRIVY_HIGH], n[PLATCI_TRIVY_MEDIUM],
		n[PLATCI_TRIVY_LOW], n[PLATCI_TRIVY_UNKNOWN]);
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
		fprintf(stderr, "%s: error: %s [%s]\n", f->file ? f->file : "-", f->message,
			f->rule_id);
	return 0;
}

int main(int argc, char **argv)
{
	platci_scan_policy *policy = NULL;
	platci_scan *scan = NULL;
	platci_report_stream *rs = NULL;
	platci_junit *junit = NULL;
	platci_diag *diag = NULL;
	platci_scan_options so = PLATCI_SCAN_OPTIONS_INIT;
	platci_report_options ropts = PLATCI_REPORT_OPTIONS_INIT;
	platci_scan_cs_options co = PLATCI_SCAN_CS_OPTIONS_INIT;
	platci_buf pre = PLATCI_BUF_INIT;
	const char *ignores[MAX_FILES], *reports[MAX_FILES], *policy_path = NULL;
	size_t nignores = 0, nreports = 0;
	int counts_only = 0, code = 0, error;
	const platci_scan_totals *t;
	cli c;

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
		} else if (cli_is_flag(argv[i], "--ignore")) {
			const char *v = cli_flag_value(&c, argc, argv, &i, "--ignore");
			if (!v) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
			if (nignores == MAX_FILES) {
				code = cli_usage_error(&c, "too many --ignore files (at most %d)", MAX_FILES);
				goto done;
			}
			ignores[nignores++] = v;
		} else if (cli_is_flag(argv[i], "--policy")) {
			if (!(policy_path = cli_flag_value(&c, argc, argv, &i, "--policy"))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		} else if (strcmp(argv[i], "--counts") == 0) {
			counts_only = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
			goto done;
		} else {
			if (nreports == MAX_FILES) {
				code = cli_usage_error(&c, "too many reports (at most %d)", MAX_FILES);
				goto done;
			}
			reports[nreports++] = argv[i];
		}
	}
	if (!nreports) {
		code = cli_usage_error(&c, "no Trivy report given (usage: %s)", usage);
		goto done;
	}
	if ((code = load_policy(&c, policy_path, &policy)) != 0)
		goto done;
	if (c.env && !platci_scan_policy_has_env(policy, c.env)) {
		code = cli_usage_error(&c, "the scan policy has no environment \"%s\"", c.env);
		goto done;
	}
	so.env = c.env;
	so.now = c.now;
	so.pretty = c.pretty;
	so.counts_only = counts_only;
	if (platci_scan_new(&scan, policy, &so) < 0 || platci_diag_new(&diag) < 0 ||
	    platci_junit_new(&junit) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < nignores; i++) {
		if ((error = platci_scan_add_waivers(scan, ignores[i], diag)) < 0) {
			cli_print_diag(&c, diag);
			cli_error(&c, "cannot use the waivers in %s: %s", ignores[i],
				platci_strerror(error));
			code = cli_exit_for(error);
			goto done;
		}
	}
	/* Reports are written as findings arrive: memory does not grow with them. */
	ropts.stage = "scan";
	ropts.title = "platci scan";
	ropts.env = c.env;
	ropts.pretty = c.pretty;
	co.start_time = co.end_time = c.now;
	if (!counts_only && ((error = platci_report_stream_open(&rs, c.reports, &ropts, diag)) < 0 ||
		    (error = platci_scan_stream_reports(scan, rs, c.reports, &co, diag)) < 0)) {
		cli_print_diag(&c, diag);
		cli_error(&c, "cannot write reports to %s: %s", c.reports, platci_strerror(error));
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	platci_report_stream_listen(rs, print_deny, NULL);
	cli_section_start(&c, "platci_scan", "platci scan");
	for (size_t i = 0; i < nreports; i++) {
		platci_trivy_stats st;
		error = platci_scan_add_report(scan, reports[i], &st, diag);
		cli_print_diag(&c, diag);
		platci_diag_free(diag);
		diag = NULL;
		if (platci_diag_new(&diag) < 0) {
			code = CLI_EXIT_INTERNAL;
			goto done;
		}
		if (error < 0) {
			cli_error(&c, "%s: %s", reports[i], error == PLATCI_EDATA ?
				"not a Trivy report platci can use" : platci_strerror(error));
			code = cli_exit_for(error);
			goto done;
		}
		if (!c.quiet)
			cli_info(&c, "%s: %s report, %zu results, %zu vulnerabilities, %zu "
				"misconfigurations, %zu secrets, %zu licences", reports[i],
				platci_trivy_shape_name(st.shape), st.results, st.read[0], st.read[1],
				st.read[2], st.read[3]);
	}
	if ((error = platci_scan_finish(scan, NULL)) < 0 || platci_scan_junit(junit, scan) < 0) {
		cli_print_diag(&c, diag);
		code = error == PLATCI_EIO ? CLI_EXIT_INTERNAL : cli_exit_for(error);
		goto done;
	}
	t = platci_scan_get_totals(scan);
	if (counts_only) {
		print_counts("read", t->read);
		print_counts("reported", t->reported);
		printf("unique %zu, duplicates %zu, failing %zu\n", t->unique, t->duplicates,
			t->failing);
		cli_section_end(&c, "platci_scan");
		code = t->failing ? CLI_EXIT_DENY : CLI_EXIT_OK;
		goto done;
	}
	if (platci_scan_render_summary(&pre, scan) < 0 ||
	    (error = platci_report_stream_commit(rs, pre.ptr, junit, diag)) < 0) {
		cli_print_diag(&c, diag);
		cli_error(&c, "cannot write reports to %s", c.reports);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < platci_scan_image_count(scan); i++) {
		const platci_scan_image *im = platci_scan_image_at(scan, i);
		printf("%s: critical %zu, high %zu, medium %zu, low %zu, unknown %zu; other %zu; "
			"failing %zu; waived %zu\n", im->image, im->reported[4], im->reported[3],
			im->reported[2], im->reported[1], im->reported[0], im->other, im->failing,
			im->waived);
	}
	cli_section_end(&c, "platci_scan");
	cli_info(&c, "platci-scan%s%s: %zu unique findings (%zu duplicates folded), %zu failing, "
		"%zu waived, %zu expired and %zu stale waivers; reports in %s/",
		c.env ? " " : "", c.env ? c.env : "", t->unique, t->duplicates, t->failing,
		t->waived, t->expired_waivers, t->stale_waivers, c.reports);
	code = t->failing ? CLI_EXIT_DENY : CLI_EXIT_OK;
	/* Reports are written; GitLab is only a place to post them. */
	code = cli_gitlab_publish_summary(&c, c.reports, code);
done:
	platci_buf_dispose(&pre);
	platci_junit_free(junit);
	platci_report_stream_free(rs);
	platci_diag_free(diag);
	platci_scan_free(scan);
	platci_scan_policy_free(policy);
	cli_dispose(&c);
	return code;
}
