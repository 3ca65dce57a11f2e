/* The fake GitLab as a child process of a unit test. */
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake.h"

struct fake F;

void record_sleep(unsigned long ms, void *payload)
{
	(void)payload;
	if (F.nslept < 64)
		F.slept[F.nslept++] = ms;
}

static void record_log(platci_gitlab_log_level level, const char *msg, void *payload)
{
	size_t n = strlen(F.logged);
	(void)level;
	(void)payload;
	snprintf(F.logged + n, sizeof(F.logged) - n, "%s\n", msg);
}

void fake_start(const char *seed, ...)
{
	char script[1024], portfile[1024], logfile[1024], seedfile[1024];
	const char *argv[32];
	int argc = 0;
	va_list ap;
	char *port = NULL;

	/* The fake is on loopback: a proxy from the environment must not get in between. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	F.dir = th_tmpdir();
	snprintf(script, sizeof(script), "%s/tests/gitlab/fake_gitlab.py", PLATCI_SOURCE_DIR);
	snprintf(portfile, sizeof(portfile), "%s/port", F.dir);
	snprintf(logfile, sizeof(logfile), "%s/log.jsonl", F.dir);
	snprintf(seedfile, sizeof(seedfile), "%s/seed.json", F.dir);
	argv[argc++] = "python3";
	argv[argc++] = script;
	argv[argc++] = "--port-file";
	argv[argc++] = portfile;
	argv[argc++] = "--log";
	argv[argc++] = logfile;
	argv[argc++] = "--token";
	argv[argc++] = TOKEN;
	argv[argc++] = "--job-token";
	argv[argc++] = JOB_TOKEN;
	if (seed) {
		free(th_write(F.dir, "seed.json", seed, strlen(seed)));
		argv[argc++] = "--seed";
		argv[argc++] = seedfile;
	}
	va_start(ap, seed);
	for (const char *a; argc < 30 && (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	F.pid = fork();
	cr_assert(F.pid >= 0);
	if (F.pid == 0) {
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 400 && !port; i++) {
		int status;
		port = th_read(portfile, NULL);
		if (port)
			break;
		if (waitpid(F.pid, &status, WNOHANG) == F.pid) {
			F.pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
				cr_skip_test("python3 is not available for the fake GitLab");
			cr_assert_fail("the fake GitLab exited at start");
		}
		usleep(10000);
	}
	cr_assert_not_null(port, "the fake GitLab did not start");
	snprintf(F.port, sizeof(F.port), "%ld", strtol(port, NULL, 10));
	snprintf(F.url, sizeof(F.url), "http://127.0.0.1:%s/api/v4", F.port);
	free(port);
}

void fake_stop(void)
{
	if (F.pid > 0) {
		kill(F.pid, SIGTERM);
		waitpid(F.pid, NULL, 0);
	}
	if (F.dir) {
		th_rmrf(F.dir);
		free(F.dir);
	}
	memset(&F, 0, sizeof(F));
}

/* The fake's request log, one object per request. */
json_t *fake_log(void)
{
	char path[1024], *text, *line, *save = NULL;
	json_t *all = json_array();

	snprintf(path, sizeof(path), "%s/log.jsonl", F.dir);
	text = th_read(path, NULL);
	if (!text)
		return all;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(all, json_loads(line, 0, NULL));
	free(text);
	return all;
}

size_t count_requests(const char *method, const char *path_part)
{
	json_t *log = fake_log(), *e;
	size_t i, n = 0;

	json_array_foreach (log, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "method")), method) == 0 &&
			strstr(json_string_value(json_object_get(e, "path")), path_part))
			n++;
	}
	json_decref(log);
	return n;
}

platci_gitlab *client_with(platci_gitlab_token_kind kind, unsigned long iid)
{
	platci_gitlab_options o = PLATCI_GITLAB_OPTIONS_INIT;
	platci_gitlab *gl = NULL;

	o.base_url = F.url;
	o.project_id = "1";
	o.mr_iid = iid;
	o.token = kind == PLATCI_GITLAB_TOKEN_JOB ? JOB_TOKEN : TOKEN;
	o.token_kind = kind;
	o.sleep = record_sleep;
	o.jitter_seed = 99;
	o.timeout_ms = 5000;
	o.log = record_log;
	o.user_agent = "unit";
	o.pipeline_source = "push";
	cr_assert_eq(platci_gitlab_new(&gl, &o, fake_diag()), 0);
	return gl;
}

platci_gitlab *client(void)
{
	return client_with(PLATCI_GITLAB_TOKEN_PRIVATE, 12);
}

static platci_diag *the_diag;

platci_diag *fake_diag(void)
{
	if (!the_diag)
		cr_assert_eq(platci_diag_new(&the_diag), 0);
	return the_diag;
}

const char *last_error(void)
{
	size_t n = platci_diag_count(the_diag);
	return n ? platci_diag_at(the_diag, n - 1)->message : "";
}
