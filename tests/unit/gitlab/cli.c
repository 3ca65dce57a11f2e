/*
 * cmd/common/cli_gitlab.c, the runners' GitLab glue: the gate's facts
 * (exit 69 when GitLab is down) and publishing summary.md (a warning and
 * the stage's own exit code). The executables' sources are compiled in
 * here because no runner calls them yet.
 */
#include "fake.h"
/* cli.c is not ours; clang flags its vfprintf wrapper (reported to the lead). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#include "../../../cmd/common/cli.c"
#pragma GCC diagnostic pop
#include "../../../cmd/common/cli_gitlab.c"
#include "../../../cmd/common/cli_reports.c" /* cli_dispose() frees the run record */

static char *errfile;

static void ci_env(void)
{
	char path[1100];

	setenv("CI_API_V4_URL", F.url, 1);
	setenv("CI_PROJECT_ID", "1", 1);
	setenv("CI_MERGE_REQUEST_IID", "12", 1);
	setenv("PLATCI_GITLAB_TOKEN", TOKEN, 1);
	setenv("CI_COMMIT_SHA", "abc123", 1);
	setenv("CI_PIPELINE_SOURCE", "merge_request_event", 1);
	setenv("PLATCI_GITLAB_RETRIES", "2", 1);
	setenv("PLATCI_GITLAB_BACKOFF_MS", "1", 1);
	unsetenv("CI_JOB_TOKEN");
	unsetenv("GITLAB_CI");
	setenv("NO_COLOR", "1", 1);
	/* What the runner prints goes to a file the test reads. */
	snprintf(path, sizeof(path), "%s/stderr", F.dir);
	errfile = strdup(path);
	cr_assert_not_null(freopen(errfile, "w", stderr));
}

static char *printed(void)
{
	fflush(stderr);
	return th_read(errfile, NULL);
}

static void fini(void)
{
	free(errfile);
	errfile = NULL;
	fake_stop();
}

TestSuite(cli_gitlab, .fini = fini, .timeout = 60);

#define SEED \
	"{\"merge_requests\": [{\"iid\": 12, \"sha\": \"abc123\", \"labels\": [\"infra\"], " \
	"\"approved_by\": [\"alice\"]}], \"deployments\": [{\"id\": 1, \"environment\": \"stg-uaenorth\", " \
	"\"sha\": \"abc123\", \"status\": \"success\", \"finished_at\": \"2026-01-12T10:00:00Z\"}]}"

Test(cli_gitlab, facts_from_the_ci_variables)
{
	json_t *f = NULL;
	char *text;
	cli c;

	fake_start(SEED, NULL);
	ci_env();
	cli_init(&c, "platci-gate");
	cr_assert_eq(cli_gitlab_facts(&c, "prd-uaenorth", "stg-uaenorth", NULL, &f), 0);
	cr_assert_str_eq(platci_json_str(f, "pipeline_source"), "merge_request_event");
	cr_assert_str_eq(platci_json_str(f, "commit_sha"), "abc123");
	cr_assert_eq(json_array_size(json_object_get(json_object_get(f, "deployments"), "stg-uaenorth")), 1);
	json_decref(f);
	text = printed();
	cr_assert(strstr(text, TOKEN) == NULL);
	free(text);
	cli_dispose(&c);
}

Test(cli_gitlab, facts_with_gitlab_down_is_69)
{
	json_t *f = NULL;
	char *text;
	cli c;

	fake_start(SEED, "--fault", "{\"status\": 503, \"times\": -1}", NULL);
	ci_env();
	cli_init(&c, "platci-gate");
	cr_assert_eq(cli_gitlab_facts(&c, "prd-uaenorth", "stg-uaenorth", NULL, &f), CLI_EXIT_UNAVAILABLE);
	cr_assert_null(f);
	cr_assert_eq(count_requests("GET", "/"), 3, "1 + PLATCI_GITLAB_RETRIES attempts");
	text = printed();
	cr_assert(strstr(text, "GitLab unavailable, cannot read the gate's facts") != NULL, "%s", text);
	cr_assert(strstr(text, "gave up after 3 attempts") != NULL, "%s", text);
	free(text);
	cli_dispose(&c);
}

Test(cli_gitlab, facts_need_the_private_token_and_a_commit)
{
	json_t *f = NULL;
	char *text;
	cli c;

	fake_start(SEED, NULL);
	ci_env();
	cli_init(&c, "platci-gate");
	unsetenv("PLATCI_GITLAB_TOKEN");
	setenv("CI_JOB_TOKEN", JOB_TOKEN, 1);
	cr_assert_eq(cli_gitlab_facts(&c, "prd-uaenorth", "stg-uaenorth", NULL, &f), CLI_EXIT_UNAVAILABLE);
	text = printed();
	cr_assert(strstr(text, "set PLATCI_GITLAB_TOKEN") != NULL, "%s", text);
	cr_assert(strstr(text, JOB_TOKEN) == NULL);
	free(text);
	unsetenv("CI_COMMIT_SHA");
	cr_assert_eq(cli_gitlab_facts(&c, "prd-uaenorth", "stg-uaenorth", NULL, &f), CLI_EXIT_USAGE);
	cr_assert_eq(count_requests("GET", "/"), 0);
	cli_dispose(&c);
}

static char *reports_with_summary(const char *marker_and_body)
{
	char dir[1100];

	snprintf(dir, sizeof(dir), "%s/reports", F.dir);
	free(th_write(F.dir, "reports/summary.md", marker_and_body, strlen(marker_and_body)));
	return strdup(dir);
}

Test(cli_gitlab, publish_summary_posts_and_keeps_the_stage_code)
{
	char *dir, *text;
	cli c;

	fake_start(SEED, NULL);
	ci_env();
	cli_init(&c, "platci-scan");
	c.gitlab = 1;
	dir = reports_with_summary("<!-- platci:scan:dev-uaenorth -->\n### scan: failed\n");
	cr_assert_eq(cli_gitlab_publish_summary(&c, dir, CLI_EXIT_DENY), CLI_EXIT_DENY);
	cr_assert_eq(cli_gitlab_publish_summary(&c, dir, CLI_EXIT_DENY), CLI_EXIT_DENY);
	cr_assert_eq(count_requests("POST", "/notes"), 1);
	c.gitlab = 0;
	cr_assert_eq(cli_gitlab_publish_summary(&c, dir, CLI_EXIT_CHANGES), CLI_EXIT_CHANGES);
	cr_assert_eq(count_requests("GET", "/notes"), 2, "--no-gitlab asks nothing");
	text = printed();
	cr_assert(strstr(text, TOKEN) == NULL);
	free(text);
	free(dir);
	cli_dispose(&c);
}

Test(cli_gitlab, publish_summary_with_gitlab_down_warns)
{
	char *dir, *text;
	cli c;

	fake_start(SEED, "--fault", "{\"status\": 502, \"times\": -1}", NULL);
	ci_env();
	cli_init(&c, "platci-validate");
	c.gitlab = 1;
	dir = reports_with_summary("<!-- platci:validate:all -->\nok\n");
	cr_assert_eq(cli_gitlab_publish_summary(&c, dir, CLI_EXIT_OK), CLI_EXIT_OK);
	text = printed();
	cr_assert(strstr(text, "warning: GitLab unavailable, the MR note was not posted") != NULL,
		"%s", text);
	free(text);
	/* Not a merge request pipeline: nothing to post to, nothing asked. */
	unsetenv("CI_MERGE_REQUEST_IID");
	cr_assert_eq(cli_gitlab_publish_summary(&c, dir, CLI_EXIT_DENY), CLI_EXIT_DENY);
	cr_assert_eq(count_requests("GET", "/"), 3);
	free(dir);
	cli_dispose(&c);
}
