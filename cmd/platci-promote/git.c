/* platci-promote's side effects after the reports: commit, push, merge request. */
#include <stdlib.h>
#include <string.h>

#include "cli_gitlab.h"
#include "promote_cmd.h"

/* Where to push: the GitLab project over HTTPS in CI, else the remote "origin". */
static char *push_url(void)
{
	const char *server = getenv("CI_SERVER_URL"), *project = getenv("CI_PROJECT_PATH");
	size_t n;
	char *url;

	if (!server || !project || strncmp(server, "https://", 8) != 0)
		return NULL;
	n = strlen(server) + strlen(project) + 8;
	if ((url = malloc(n)) != NULL)
		snprintf(url, n, "%s/%s.git", server, project);
	return url;
}

/* The MR: summary.md (marker included) as its description, the plan's title. */
static int open_mr(cli *c, const platci_promotion *p, const char *branch)
{
	platci_buf path = PLATCI_BUF_INIT, md = PLATCI_BUF_INIT, title = PLATCI_BUF_INIT;
	const char *target = getenv("CI_DEFAULT_BRANCH") ? getenv("CI_DEFAULT_BRANCH") : "main";
	int code;

	platci_buf_printf(&path, "%s/summary.md", c->reports);
	if (path.error || platci_fs_read(&md, path.ptr, PLATCI_NOTE_LIMIT, NULL) < 0) {
		cli_error(c, "cannot read %s for the merge request", path.ptr);
		code = CLI_EXIT_INTERNAL;
	} else if (platci_promotion_render_title(&title, p) < 0) {
		code = CLI_EXIT_INTERNAL;
	} else {
		code = cli_gitlab_mr(c, branch, target, title.ptr, md.ptr);
	}
	platci_buf_dispose(&path);
	platci_buf_dispose(&md);
	platci_buf_dispose(&title);
	return code;
}

int promote_git_steps(cli *c, const platci_promotion *p, const platci_config *cfg, int push, int mr)
{
	platci_promote_git_options gopts = PLATCI_PROMOTE_GIT_OPTIONS_INIT;
	platci_buf branch = PLATCI_BUF_INIT, commit = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	char *url = NULL;
	int created = 0, error, code = 0;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	gopts.author_name = getenv("GITLAB_USER_NAME");
	gopts.author_email = getenv("GITLAB_USER_EMAIL");
	gopts.when = c->now;
	if ((error = platci_promote_commit(&branch, &commit, &created, p, &gopts, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot commit the promotion");
		if (error == PLATCI_ECONFLICT || error == PLATCI_EEXISTS)
			code = CLI_EXIT_DENY;
		goto done;
	}
	cli_print_diag(c, diag);
	cli_info(c, "%s branch %s at %s", created ? "committed on" : "already committed on",
		branch.ptr, commit.ptr);
	if (!push)
		goto done;
	gopts.token = getenv("PLATCI_GITLAB_TOKEN");
	gopts.url = url = push_url();
	if (!gopts.token)
		cli_warn(c, "PLATCI_GITLAB_TOKEN is not set: pushing with the remote's own credentials");
	platci_diag_free(diag);
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((error = platci_promote_push(platci_config_root(cfg), branch.ptr, &gopts, diag)) < 0) {
		code = cli_fail(c, diag, error, "cannot push %s", branch.ptr);
		goto done;
	}
	cli_print_diag(c, diag);
	cli_info(c, "pushed %s", branch.ptr);
	if (mr)
		code = open_mr(c, p, branch.ptr);
done:
	free(url);
	platci_buf_dispose(&branch);
	platci_buf_dispose(&commit);
	platci_diag_free(diag);
	return code;
}
