/* platci-note: posts a summary as the sticky note of the pipeline's merge request. */
#include <stdio.h>
#include <string.h>

#include "cli_gitlab.h"

#define NOTE_INPUT_MAX (16u << 20)

static const char usage[] = "[--stage STAGE] [--env ENV] [--file FILE] [options]";
static const char options[] =
	"Posts FILE as the one note on the merge request that carries the marker\n"
	"<!-- platci:STAGE:ENV --> (the file's first line when --stage is not given):\n"
	"updated in place, the previous result collapsed, never a second note.\n\n"
	"Options:\n"
	"  --stage STAGE   marker stage (default: the marker on the file's first line)\n"
	"  --file FILE     the Markdown to post (default: REPORTS/summary.md)\n"
	"  --best-effort   GitLab off, unreachable or without a token is a warning, exit 0\n"
	"                  (what the runners do after writing their reports)\n\n"
	"Needs CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID and PLATCI_GITLAB_TOKEN\n"
	"(a project access token with the api scope; CI_JOB_TOKEN may not post notes).\n"
	"Prints \"<created|updated|unchanged> note <id>\" on success.\n";

int main(int argc, char **argv)
{
	platci_buf body = PLATCI_BUF_INIT, marker = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_gitlab_note_result r;
	const char *stage = NULL, *file = NULL;
	int code = 0, off = 0, best_effort = 0, error;
	cli c;

	cli_init(&c, argv[0]);
	for (int i = 1; i < argc; i++) {
		int rc;
		if (strcmp(argv[i], "--no-gitlab") == 0)
			off = 1;
		rc = cli_common_flag(&c, argc, argv, &i);
		if (rc < 0) {
			code = CLI_EXIT_USAGE;
			goto done;
		}
		if (rc)
			continue;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(&c, usage, options);
			goto done;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(&c);
			goto done;
		} else if (strcmp(argv[i], "--best-effort") == 0) {
			best_effort = 1;
		} else if (cli_is_flag(argv[i], "--stage")) {
			if (!(stage = cli_flag_value(&c, argc, argv, &i, "--stage"))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		} else if (cli_is_flag(argv[i], "--file")) {
			if (!(file = cli_flag_value(&c, argc, argv, &i, "--file"))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		} else {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
			goto done;
		}
	}
	if (stage && (!*stage || strpbrk(stage, ": \n<>") ||
		      (c.env && (!*c.env || strpbrk(c.env, ": \n<>"))))) {
		code = cli_usage_error(&c, "--stage and --env must be plain names (no spaces, ':' or '<>')");
		goto done;
	}
	if (off) {
		cli_info(&c, "%s: --no-gitlab: nothing posted", c.prog);
		goto done;
	}
	if (best_effort && !file && !stage) {
		code = cli_gitlab_publish_summary(&c, c.reports, 0);
		goto done;
	}
	if (!file) {
		platci_buf_printf(&path, "%s/summary.md", c.reports);
		file = path.ptr;
	}
	error = platci_fs_read(&body, file, NOTE_INPUT_MAX, NULL);
	if (error < 0) {
		cli_error(&c, "cannot read %s: %s", file, platci_strerror(error));
		code = error == PLATCI_ENOTFOUND || error == PLATCI_EIO ? CLI_EXIT_NOINPUT : CLI_EXIT_DATA;
		goto done;
	}
	if (memchr(body.ptr, '\0', body.size)) {
		cli_error(&c, "%s: not text (it holds NUL bytes)", file);
		code = CLI_EXIT_DATA;
		goto done;
	}
	if (stage && platci_gitlab_marker(&marker, stage, c.env) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	code = cli_gitlab_note(&c, stage ? marker.ptr : NULL, body.ptr, best_effort, &r);
	if (best_effort && code == CLI_EXIT_UNAVAILABLE)
		code = 0;
	if (code == 0)
		printf("%s note %lld\n",
			r.action == PLATCI_GITLAB_CREATED ? "created"
			: r.action == PLATCI_GITLAB_UPDATED ? "updated" : "unchanged", r.note_id);
done:
	platci_buf_dispose(&body);
	platci_buf_dispose(&marker);
	platci_buf_dispose(&path);
	cli_dispose(&c);
	return code;
}
