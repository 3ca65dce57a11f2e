/* Starting the fake GitLab (tests/gitlab/fake_gitlab.py) from a unit test. */
#ifndef PLATCI_TEST_FAKE_GITLAB_H
#define PLATCI_TEST_FAKE_GITLAB_H

#include <sys/types.h>

#include "test_helpers.h"

#define TOKEN "glpat-TESTSECRET-0123456789"
#define JOB_TOKEN "jobtok-TESTSECRET-987"

struct fake {
	pid_t pid;
	char *dir;
	char url[128];
	char port[16];
	unsigned long slept[64];
	int nslept;
	char logged[8192];
};

/* One fake per test process (Criterion forks a process per test). */
extern struct fake F;

/* Starts the fake with @p seed (JSON or NULL) and extra flags, NULL-terminated. Skips without python3. */
void fake_start(const char *seed, ...);
/* Stops it and removes its folder; use as the suite's .fini. */
void fake_stop(void);
/* The request log, one object per request (new reference). */
json_t *fake_log(void);
size_t count_requests(const char *method, const char *path_part);
/* A client for project 1 with an injected sleep and log (both recorded in F). */
platci_gitlab *client_with(platci_gitlab_token_kind kind, unsigned long iid);
platci_gitlab *client(void);
/* The test's diagnostics: what every client call reports into (one list per test process). */
platci_diag *fake_diag(void);
/* The message of the last diagnostic reported, or "". */
const char *last_error(void);
/* The injected sleep: records instead of waiting. */
void record_sleep(unsigned long ms, void *payload);

#endif
