/* platci-note: posts a summary as the sticky note of the pipeline's merge request. */
#include <string.h>

#include "cli_gitlab.h"

#define NOTE_INPUT_MAX (16u << 20)

static const char *stage, *file;
static int best_effort;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "stage", 0, &stage, 0, "STAGE",
		"marker stage (default: the marker on the file's first line)", 0 },
	{ CLI_OPT_VALUE, "file", 0, &file, 0, "FILE",
		"the Markdown to post (default: REPORTS/summary.md)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "best-effort", 0, &best_effort, 1, NULL,
		"GitLab off, unreachable or without a token is a warning, exit 0\n"
		"(what the runners do after writing their reports)",
		0 },
};

static const cli_spec spec = { "[--stage STAGE] [--env ENV] [--file FILE] [options]",
	"Posts FILE as the one note on the merge request that carries the marker\n"
	"<!-- platci:STAGE:ENV --> (the file's first line when --stage is not given):\n"
	"updated in place, the previous result collapsed, never a second note.\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0,
	"Needs CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID and PLATCI_GITLAB_TOKEN\n"
	"(a project access token with the api scope; CI_JOB_TOKEN may not post notes).\n"
	"Prints \"<created|updated|unchanged> note <id>\" on success.\n" };

static int plain_name(const char *s)
{
	return *s && !strpbrk(s, ": \n<>");
}

/* The note's body: FILE, text only. Returns 0 or an exit code (printed). */
static int read_body(cli *c, platci_buf *body)
{
	int error;

	if ((error = platci_fs_read(body, file, NOTE_INPUT_MAX, NULL)) < 0) {
		cli_error(c, "cannot read %s: %s", file, platci_strerror(error));
		return error == PLATCI_ENOTFOUND || error == PLATCI_EIO ? CLI_EXIT_NOINPUT : CLI_EXIT_DATA;
	}
	if (memchr(body->ptr, '\0', body->size)) {
		cli_error(c, "%s: not text (it holds NUL bytes)", file);
		return CLI_EXIT_DATA;
	}
	return 0;
}

int main(int argc, char **argv)
{
	platci_buf body = PLATCI_BUF_INIT, marker = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_gitlab_note_result r;
	cli c;
	int code;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE)
		goto done;
	code = 0;
	if (stage && (!plain_name(stage) || (c.env && !plain_name(c.env)))) {
		code = cli_usage_error(&c,
			"--stage and --env must be plain names (no spaces, ':' or "
			"'<>')");
		goto done;
	}
	if (c.gitlab_flag == 0) {
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
	if ((code = read_body(&c, &body)) != 0)
		goto done;
	if (stage && platci_gitlab_marker(&marker, stage, c.env) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	code = cli_gitlab_note(&c, stage ? marker.ptr : NULL, body.ptr, best_effort, &r);
	if (best_effort && code == CLI_EXIT_UNAVAILABLE)
		code = 0;
	if (code == 0)
		printf("%s note %lld\n",
			r.action == PLATCI_GITLAB_CREATED   ? "created"
			: r.action == PLATCI_GITLAB_UPDATED ? "updated"
							    : "unchanged",
			r.note_id);
done:
	platci_buf_dispose(&body);
	platci_buf_dispose(&marker);
	platci_buf_dispose(&path);
	cli_dispose(&c);
	return code;
}
