/* platci-report: the model from the report folders and the repository, then the two files. */
#include <stdio.h>
#include <string.h>

#include "page.h"

/* Renders and writes platform.json, then index.html: the page last, as the thing people open. */
static int write_files(cli *c, const page_args *a, const platci_platform *p, size_t *html_size)
{
	platci_buf html = PLATCI_BUF_INIT, json = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int code = 0;

	if (platci_diag_new(&diag) < 0 || platci_platform_render_json(&json, p) < 0 ||
		platci_platform_render_html(&html, p) < 0) {
		cli_error(c, "out of memory rendering the page");
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (platci_report_write_file(a->out, "platform.json", json.ptr, json.size, diag) < 0 ||
		platci_report_write_file(a->out, "index.html", html.ptr, html.size, diag) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write the page to %s", a->out);
		code = CLI_EXIT_INTERNAL;
	}
	*html_size = html.size;
done:
	platci_buf_dispose(&html);
	platci_buf_dispose(&json);
	platci_diag_free(diag);
	return code;
}

int page_run(cli *c, const page_args *a)
{
	platci_platform_options po = PLATCI_PLATFORM_OPTIONS_INIT;
	platci_config *cfg = NULL;
	platci_platform *p = NULL;
	platci_diag *diag = NULL;
	size_t html_size = 0;
	int code = 0, cfg_code, missing_dir = 0, error = 0;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	/* Without platci.yaml the reports still make a page; only the version matrix is lost. */
	if ((cfg_code = cli_load_config(c, &cfg)) != 0)
		cli_warn(c, "the page is built without platci.yaml: no version matrix");
	if (platci_fs_mkdirs(a->out, diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	po.config = cfg;
	po.out_dir = a->out;
	po.now = c->now;
	po.project_url = a->project_url && *a->project_url ? a->project_url : NULL;
	po.max_list = a->max_list;
	po.title = a->title;
	if (platci_platform_new(&p, &po) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < a->ndirs && error >= 0; i++) {
		error = platci_platform_add_reports(p, a->dirs[i], NULL);
		if (error == PLATCI_ENOTFOUND) {
			missing_dir = 1;
			error = 0;
		}
	}
	if (error < 0 || platci_platform_load_versions(p, NULL) < 0 || platci_platform_finish(p) < 0) {
		cli_error(c, "out of memory reading the reports");
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	/* Every unusable input, including those only known at the end, with its position. */
	for (size_t i = 0; i < platci_platform_input_count(p); i++) {
		const platci_platform_input *in = platci_platform_input_at(p, i);
		if (in->status == PLATCI_PLATFORM_UNREADABLE)
			cli_warn(c, "%s", in->message);
	}
	if ((code = write_files(c, a, p, &html_size)) != 0)
		goto done;
	if (!c->quiet)
		cli_info(c,
			"%zu reports read (%zu superseded), %zu missing, %zu unreadable; "
			"%s/index.html (%zu kB) and %s/platform.json",
			platci_platform_status_count(p, PLATCI_PLATFORM_OK) +
				platci_platform_status_count(p, PLATCI_PLATFORM_SUPERSEDED),
			platci_platform_status_count(p, PLATCI_PLATFORM_SUPERSEDED),
			platci_platform_status_count(p, PLATCI_PLATFORM_MISSING),
			platci_platform_status_count(p, PLATCI_PLATFORM_UNREADABLE), a->out,
			(html_size + 1023) / 1024, a->out);
	if (missing_dir)
		code = CLI_EXIT_NOINPUT;
	else if (platci_platform_status_count(p, PLATCI_PLATFORM_UNREADABLE))
		code = CLI_EXIT_DATA;
	else
		code = cfg_code;
done:
	platci_platform_free(p);
	platci_config_free(cfg);
	platci_diag_free(diag);
	return code;
}
