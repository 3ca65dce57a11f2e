/*
 * Every client operation and helper against the fake GitLab
 * (tests/gitlab/fake_gitlab.py) on loopback, faults included. Retries
 * sleep through an injected function, so no test waits for real.
 */
#include "fake.h"
#include "gitlab_private.h"

#define MR12 \
	"{\"merge_requests\": [{\"iid\": 12, \"title\": \"t\", \"source_branch\": \"feature\", " \
	"\"target_branch\": \"main\", \"sha\": \"abc123\", \"labels\": [\"infra\", \"allow-destroy\"], " \
	"\"detailed_merge_status\": \"not_approved\", \"diverged_commits_count\": 3, " \
	"\"approved_by\": [\"alice\", \"bob\"], \"approvals_required\": 2}]"

TestSuite(gitlab_api, .fini = fake_stop, .timeout = 60);

Test(gitlab_api, merge_request_and_the_right_headers)
{
	platci_gitlab_mr mr;
	platci_gitlab *gl;
	json_t *log, *h;

	fake_start(MR12 "}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 12, fake_diag()), 0, "%s", last_error());
	cr_assert_eq(mr.iid, 12);
	cr_assert_str_eq(mr.detailed_merge_status, "not_approved");
	cr_assert_eq(mr.diverged_commits_count, 3);
	cr_assert_str_eq(mr.head_sha, "abc123");
	cr_assert_str_eq(mr.base_sha, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	cr_assert_eq(mr.label_count, 2);
	cr_assert_str_eq(mr.labels[1], "allow-destroy");
	cr_assert_null(mr.labels[2]);
	platci_gitlab_mr_dispose(&mr);

	log = fake_log();
	h = json_object_get(json_array_get(log, 0), "headers");
	cr_assert_str_eq(json_string_value(json_object_get(h, "PRIVATE-TOKEN")), TOKEN);
	cr_assert_null(json_object_get(h, "JOB-TOKEN"));
	cr_assert(strncmp(json_string_value(json_object_get(h, "User-Agent")),
			  "platci/" PLATCI_VERSION " (unit)", 20) == 0,
		"%s", json_string_value(json_object_get(h, "User-Agent")));
	cr_assert_str_eq(json_string_value(json_object_get(h, "Accept")), "application/json");
	cr_assert(strstr(json_string_value(json_object_get(json_array_get(log, 0), "path")),
		"include_diverged_commits_count=true"));
	json_decref(log);
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 99, fake_diag()), PLATCI_ENOTFOUND);
	platci_gitlab_mr_dispose(&mr);
	platci_gitlab_free(gl);
}

Test(gitlab_api, merge_status_is_polled_while_gitlab_computes_it)
{
	platci_gitlab_mr mr;
	platci_gitlab *gl;

	fake_start(
		"{\"merge_requests\": [{\"iid\": 12, \"detailed_merge_status_sequence\": "
		"[\"unchecked\", \"checking\", \"approvals_syncing\", \"ci_still_running\"]}, "
		"{\"iid\": 13, \"detailed_merge_status\": \"checking\"}]}",
		NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 12, fake_diag()), 0);
	cr_assert_str_eq(mr.detailed_merge_status, "ci_still_running");
	cr_assert_eq(count_requests("GET", "/merge_requests/12"), 4);
	cr_assert_eq(F.nslept, 3);
	platci_gitlab_mr_dispose(&mr);
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 13, fake_diag()), 0);
	cr_assert_str_eq(mr.detailed_merge_status, "checking", "bounded: the last answer stands");
	cr_assert_eq(count_requests("GET", "/merge_requests/13"), 6);
	platci_gitlab_mr_dispose(&mr);
	platci_gitlab_free(gl);
}

Test(gitlab_api, approvals_need_a_private_token)
{
	platci_gitlab *gl, *job;
	json_t *a = NULL;
	json_t *log, *h;

	fake_start(MR12 "}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_approvals(&a, gl, 12, fake_diag()), 0);
	cr_assert_eq(json_array_size(json_object_get(a, "approved_by")), 2);
	json_decref(a);
	job = client_with(PLATCI_GITLAB_TOKEN_JOB, 12);
	cr_assert_eq(platci_gitlab_mr_approvals(&a, job, 12, fake_diag()), PLATCI_EAUTH);
	cr_assert_null(a);
	cr_assert(strstr(last_error(), "403") != NULL, "%s", last_error());
	cr_assert(strstr(last_error(), JOB_TOKEN) == NULL);
	cr_assert_eq(platci_gitlab_attempts(job), 1, "a refusal is not retried");
	log = fake_log();
	h = json_object_get(json_array_get(log, 1), "headers");
	cr_assert_str_eq(json_string_value(json_object_get(h, "JOB-TOKEN")), JOB_TOKEN);
	cr_assert_null(json_object_get(h, "PRIVATE-TOKEN"));
	json_decref(log);
	cr_assert(strstr(F.logged, TOKEN) == NULL && strstr(F.logged, JOB_TOKEN) == NULL);
	platci_gitlab_free(gl);
	platci_gitlab_free(job);
}

Test(gitlab_api, wrong_token_is_eauth_not_retried)
{
	platci_gitlab_options o = PLATCI_GITLAB_OPTIONS_INIT;
	platci_gitlab *gl = NULL;
	json_t *a = NULL;

	fake_start(MR12 "}", NULL);
	o.base_url = F.url;
	o.project_id = "1";
	o.token = "glpat-WRONG-but-secret";
	o.sleep = record_sleep;
	cr_assert_eq(platci_gitlab_new(&gl, &o, fake_diag()), 0);
	cr_assert_eq(platci_gitlab_mr_approvals(&a, gl, 12, fake_diag()), PLATCI_EAUTH);
	cr_assert_eq(platci_gitlab_attempts(gl), 1);
	cr_assert(strstr(last_error(), "glpat-WRONG") == NULL);
	platci_gitlab_free(gl);
}

#define FIVE_NOTES \
	", \"notes\": {\"12\": [{\"body\": \"a\"}, {\"body\": \"b\", \"system\": true}, " \
	"{\"body\": \"c\"}, {\"body\": \"d\"}, {\"body\": \"e\"}]}}"

static void list_five(void)
{
	platci_gitlab *gl = client();
	json_t *notes = NULL;

	cr_assert_eq(platci_gitlab_notes_list(&notes, gl, 12, fake_diag()), 0, "%s", last_error());
	cr_assert_eq(json_array_size(notes), 5);
	cr_assert_str_eq(platci_json_str(json_array_get(notes, 4), "body"), "e");
	cr_assert_eq(count_requests("GET", "/notes"), 3, "pages of 2");
	json_decref(notes);
	platci_gitlab_free(gl);
}

Test(gitlab_api, notes_pages_by_both_headers)
{
	fake_start(MR12 FIVE_NOTES, "--max-per-page", "2", NULL);
	list_five();
}

Test(gitlab_api, notes_pages_by_link_only)
{
	fake_start(MR12 FIVE_NOTES, "--max-per-page", "2", "--pagination", "link", NULL);
	list_five();
}

Test(gitlab_api, notes_pages_by_x_next_page_only)
{
	fake_start(MR12 FIVE_NOTES, "--max-per-page", "2", "--pagination", "header", NULL);
	list_five();
}

Test(gitlab_api, next_link_to_another_host_is_ignored)
{
	fake_start(MR12 FIVE_NOTES, "--max-per-page", "2", "--evil-link", NULL);
	list_five();
	cr_assert(strstr(F.logged, "ignoring a next-page link") != NULL, "%s", F.logged);
}

Test(gitlab_api, page_cap)
{
	platci_gitlab_options o = PLATCI_GITLAB_OPTIONS_INIT;
	platci_gitlab *gl = NULL;
	json_t *notes = NULL;

	fake_start(MR12 FIVE_NOTES, "--max-per-page", "1", NULL);
	o.base_url = F.url;
	o.project_id = "1";
	o.token = TOKEN;
	o.max_pages = 3;
	cr_assert_eq(platci_gitlab_new(&gl, &o, fake_diag()), 0);
	cr_assert_eq(platci_gitlab_notes_list(&notes, gl, 12, fake_diag()), PLATCI_ELIMIT);
	cr_assert_null(notes);
	platci_gitlab_free(gl);
}

Test(gitlab_api, note_create_and_update)
{
	platci_gitlab *gl;
	json_t *n = NULL, *log;
	long long id;

	fake_start(MR12 "}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_note_create(&n, gl, 12, "hello", fake_diag()), 0);
	id = (long long)json_integer_value(json_object_get(n, "id"));
	json_decref(n);
	cr_assert_eq(platci_gitlab_note_update(NULL, gl, 12, id, "bye", fake_diag()), 0);
	cr_assert_eq(platci_gitlab_notes_list(&n, gl, 12, fake_diag()), 0);
	cr_assert_eq(json_array_size(n), 1);
	cr_assert_str_eq(platci_json_str(json_array_get(n, 0), "body"), "bye");
	json_decref(n);
	log = fake_log();
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(log, 0), "headers"),
				 "Content-Type")),
		"application/json");
	json_decref(log);
	cr_assert_eq(platci_gitlab_note_update(NULL, gl, 12, 424242, "x", fake_diag()), PLATCI_ENOTFOUND);
	platci_gitlab_free(gl);
}

#define DEPLOYS \
	MR12 ", \"deployments\": [" \
	     "{\"id\": 1, \"environment\": \"stg-uaenorth\", \"sha\": \"old\", \"status\": \"success\", \"finished_at\": \"2026-01-10T10:00:00Z\"}," \
	     "{\"id\": 2, \"environment\": \"stg-uaenorth\", \"sha\": \"new\", \"status\": \"success\", \"finished_at\": \"2026-01-12T10:00:00Z\"}," \
	     "{\"id\": 3, \"environment\": \"stg-uaenorth\", \"sha\": \"bad\", \"status\": \"failed\", \"finished_at\": \"2026-01-13T10:00:00Z\"}," \
	     "{\"id\": 4, \"environment\": \"dev-uaenorth\", \"sha\": \"dev\", \"status\": \"success\", \"finished_at\": \"2026-01-14T10:00:00Z\"}]," \
	     "\"environments\": [{\"id\": 1, \"name\": \"dev-uaenorth\", \"state\": \"available\"}, {\"id\": 2, \"name\": \"stg-uaenorth\", \"state\": \"available\"}]," \
	     "\"commit_merge_requests\": {\"abc123\": [12]}}"

Test(gitlab_api, deployments_and_environments_with_a_job_token)
{
	platci_gitlab *gl;
	json_t *d = NULL, *e = NULL;

	fake_start(DEPLOYS, NULL);
	gl = client_with(PLATCI_GITLAB_TOKEN_JOB, 0);
	cr_assert_eq(platci_gitlab_deployments(&d, gl, "stg-uaenorth", "success", 20, fake_diag()),
		0, "%s", last_error());
	cr_assert_eq(json_array_size(d), 2);
	cr_assert_str_eq(platci_json_str(json_array_get(d, 0), "sha"), "new", "newest first");
	json_decref(d);
	cr_assert_eq(platci_gitlab_deployments(&d, gl, "stg-uaenorth", NULL, 0, fake_diag()), 0);
	cr_assert_eq(json_array_size(d), 3);
	json_decref(d);
	cr_assert_eq(platci_gitlab_environments(&e, gl, NULL, fake_diag()), 0);
	cr_assert_eq(json_array_size(e), 2);
	json_decref(e);
	cr_assert_eq(platci_gitlab_environments(&e, gl, "stg-uaenorth", fake_diag()), 0);
	cr_assert_eq(json_array_size(e), 1);
	json_decref(e);
	platci_gitlab_free(gl);
}

static void check_facts(json_t *f)
{
	json_t *want = json_loads(
		"{\"version\": 1, \"commit_sha\": \"abc123\", \"pipeline_source\": \"push\","
		"\"merge_request\": {\"iid\": 12, \"labels\": [\"infra\", \"allow-destroy\"],"
		"  \"approvals\": {\"count\": 2, \"approved_by\": [\"alice\", \"bob\"]}},"
		"\"deployments\": {\"stg-uaenorth\": ["
		"  {\"sha\": \"new\", \"status\": \"success\", \"finished_at\": \"2026-01-12T10:00:00Z\"},"
		"  {\"sha\": \"old\", \"status\": \"success\", \"finished_at\": \"2026-01-10T10:00:00Z\"}]}}",
		0, NULL);
	char *got = json_dumps(f, JSON_SORT_KEYS | JSON_COMPACT);

	cr_assert(json_equal(f, want), "facts: %s", got);
	free(got);
	json_decref(want);
}

Test(gitlab_api, facts_exact_shape)
{
	platci_gitlab *gl;
	json_t *f = NULL;

	fake_start(DEPLOYS, NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_fetch_facts(gl, "prd-uaenorth", "stg-uaenorth", "abc123", &f,
			     fake_diag()),
		0, "%s", last_error());
	check_facts(f);
	json_decref(f);
	platci_gitlab_free(gl);
}

Test(gitlab_api, facts_find_the_mr_of_a_merged_commit)
{
	platci_gitlab *gl;
	json_t *f = NULL;

	fake_start(DEPLOYS, NULL);
	gl = client_with(PLATCI_GITLAB_TOKEN_PRIVATE, 0);
	/* The default-branch pipeline has no MR of its own: the commit leads to it. */
	cr_assert_eq(platci_gitlab_fetch_facts(gl, "prd-uaenorth", "stg-uaenorth", "abc123", &f,
			     fake_diag()),
		0);
	cr_assert(json_is_null(json_object_get(f, "merge_request")) == 0);
	json_decref(f);
	cr_assert_eq(platci_gitlab_fetch_facts(gl, "dev-uaenorth", NULL, "unknown-sha", &f, fake_diag()), 0);
	cr_assert(json_is_null(json_object_get(f, "merge_request")));
	cr_assert_eq(json_object_size(json_object_get(f, "deployments")), 0);
	json_decref(f);
	cr_assert_eq(platci_gitlab_fetch_facts(gl, "dev-uaenorth", NULL, NULL, &f, fake_diag()),
		PLATCI_EINVALID);
	platci_gitlab_free(gl);
}

Test(gitlab_api, issue_lifecycle)
{
	platci_gitlab_issue_result r;
	platci_gitlab *gl;
	json_t *found = NULL;

	fake_start(
		"{\"issues\": [{\"id\": 1, \"iid\": 1, \"title\": \"Drift: dev-uaenorth extra\","
		" \"labels\": [\"platci-drift\"], \"state\": \"opened\", \"description\": \"other\"}]}",
		NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift", NULL,
			     "gone", &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_NOOP, "a longer title is another issue");
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift",
			     "3 resources", NULL, &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	cr_assert_eq(r.iid, 2);
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift",
			     "3 resources\n", NULL, &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_UNCHANGED);
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift",
			     "4 resources", NULL, &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_UPDATED);
	cr_assert_eq(platci_gitlab_issues_find(&found, gl, "Drift: dev-uaenorth", "platci-drift",
			     fake_diag()),
		0);
	cr_assert_eq(json_array_size(found), 1);
	cr_assert_str_eq(platci_json_str(json_array_get(found, 0), "description"), "4 resources");
	json_decref(found);
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift", NULL,
			     "Drift is gone.", &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_CLOSED);
	cr_assert_eq(r.iid, 2);
	cr_assert_eq(count_requests("POST", "/issues/2/notes"), 1, "closed with a comment");
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift", NULL, "x",
			     &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_NOOP);
	cr_assert_eq(count_requests("POST", "/issues"), 2, "one create, one close comment");
	cr_assert_eq(count_requests("PUT", "/issues/2"), 2, "one update, one close");
	/* Drift again: the same issue comes back with its history rather than a new one. */
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift",
			     "1 resource", NULL, &r, fake_diag()),
		0);
	cr_assert_eq(r.action, PLATCI_GITLAB_REOPENED);
	cr_assert_eq(r.iid, 2);
	cr_assert_eq(platci_gitlab_issues_find(&found, gl, "Drift: dev-uaenorth", "platci-drift",
			     fake_diag()),
		0);
	cr_assert_eq(json_array_size(found), 1);
	cr_assert_str_eq(platci_json_str(json_array_get(found, 0), "description"), "1 resource");
	json_decref(found);
	cr_assert_eq(count_requests("POST", "/issues"), 2, "never a second issue");
	cr_assert_eq(platci_gitlab_issue_sync(gl, "", "platci-drift", "x", NULL, &r, fake_diag()),
		PLATCI_EINVALID);
	platci_gitlab_free(gl);
}

Test(gitlab_api, mr_ensure_reuses_the_open_one)
{
	platci_buf url = PLATCI_BUF_INIT, url2 = PLATCI_BUF_INIT;
	platci_gitlab *gl;

	fake_start(MR12 "}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_ensure(gl, "promote/stg-to-prd/abc", "main", "Promote",
			     "body", &url, fake_diag()),
		0, "%s", last_error());
	cr_assert_str_eq(url.ptr, "https://gitlab.example.com/g/p/-/merge_requests/13");
	cr_assert_eq(platci_gitlab_mr_ensure(gl, "promote/stg-to-prd/abc", "main", "Promote",
			     "body", &url2, fake_diag()),
		0);
	cr_assert_str_eq(url2.ptr, url.ptr);
	cr_assert_eq(platci_gitlab_mr_ensure(gl, "feature", "main", "x", NULL, &url2, fake_diag()), 0);
	cr_assert(strstr(url2.ptr, "merge_requests/12") != NULL, "the seeded MR is reused");
	cr_assert_eq(count_requests("POST", "/merge_requests"), 1);
	platci_buf_dispose(&url);
	platci_buf_dispose(&url2);
	platci_gitlab_free(gl);
}

/* ---- Faults ------------------------------------------------------------- */

static void get_mr_through(const char *fault, int want_error, unsigned long want_attempts)
{
	platci_gitlab_mr mr;
	platci_gitlab *gl;
	int error;

	fake_start(MR12 "}", "--fault", fault, NULL);
	gl = client();
	error = platci_gitlab_mr_get(&mr, gl, 12, fake_diag());
	cr_assert_eq(error, want_error, "%s: got %d (%s)", fault, error, last_error());
	cr_assert_eq(platci_gitlab_attempts(gl), want_attempts, "%s: %lu attempts", fault,
		platci_gitlab_attempts(gl));
	cr_assert_eq((unsigned long)F.nslept, want_attempts - 1);
	if (!want_error)
		cr_assert_eq(mr.iid, 12);
	platci_gitlab_mr_dispose(&mr);
	platci_gitlab_free(gl);
}

Test(gitlab_api, fault_500_then_ok)
{
	get_mr_through("{\"status\": 500, \"times\": 2}", 0, 3);
}

Test(gitlab_api, fault_502_then_ok)
{
	get_mr_through("{\"status\": 502, \"times\": 1}", 0, 2);
}

Test(gitlab_api, fault_503_forever_gives_up_bounded)
{
	get_mr_through("{\"status\": 503, \"times\": -1}", PLATCI_ENETWORK, 5);
	(void)0;
}

Test(gitlab_api, fault_429_honours_retry_after)
{
	get_mr_through("{\"status\": 429, \"retry_after\": \"7\", \"times\": 1}", 0, 2);
}

Test(gitlab_api, fault_429_retry_after_sleep_is_at_least_the_header)
{
	platci_gitlab_mr mr;
	platci_gitlab *gl;

	fake_start(MR12 "}", "--fault", "{\"status\": 429, \"retry_after\": \"7\", \"times\": 2}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 12, fake_diag()), 0);
	cr_assert_eq(F.nslept, 2);
	cr_assert(F.slept[0] >= 7000 && F.slept[1] >= 7000, "%lu %lu", F.slept[0], F.slept[1]);
	platci_gitlab_mr_dispose(&mr);
	platci_gitlab_free(gl);
}

Test(gitlab_api, fault_429_with_a_long_retry_after_gives_up_at_once)
{
	get_mr_through("{\"status\": 429, \"retry_after\": \"3600\", \"times\": -1}", PLATCI_ENETWORK, 1);
}

Test(gitlab_api, fault_dropped_connection_is_retried)
{
	get_mr_through("{\"drop\": true, \"times\": 2}", 0, 3);
}

Test(gitlab_api, fault_truncated_json_is_retried)
{
	get_mr_through("{\"body\": \"truncated\", \"times\": 1}", 0, 2);
}

Test(gitlab_api, fault_malformed_json_is_retried_then_given_up)
{
	get_mr_through("{\"body\": \"malformed\", \"times\": -1}", PLATCI_ENETWORK, 5);
}

Test(gitlab_api, fault_short_body_is_retried)
{
	get_mr_through("{\"body\": \"short\", \"times\": 1}", 0, 2);
}

Test(gitlab_api, backoff_schedule_is_bounded_and_growing)
{
	platci_gitlab_mr mr;
	platci_gitlab *gl;

	fake_start(MR12 "}", "--fault", "{\"status\": 503, \"times\": -1}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_get(&mr, gl, 12, fake_diag()), PLATCI_ENETWORK);
	cr_assert_eq(F.nslept, 4);
	for (int i = 0; i < 4; i++) {
		unsigned long full = 1000UL << i;
		cr_assert(F.slept[i] >= full / 2 && F.slept[i] <= full, "retry %d slept %lu", i,
			F.slept[i]);
	}
	cr_assert(strstr(last_error(), "gave up after 5 attempts") != NULL, "%s", last_error());
	platci_gitlab_mr_dispose(&mr);
	platci_gitlab_free(gl);
}

Test(gitlab_api, a_post_is_sent_again_only_on_429)
{
	const char *status[] = { "500", "502", "503", "504" };
	platci_gitlab *gl;
	char fault[128];

	/* A proxy answers 5xx after GitLab may have acted: a second POST could post twice. */
	for (size_t i = 0; i < 4; i++) {
		snprintf(fault, sizeof(fault),
			"{\"method\": \"POST\", \"status\": %s, \"times\": 1}", status[i]);
		fake_start(MR12 "}", "--fault", fault, NULL);
		gl = client();
		cr_assert_eq(platci_gitlab_note_create(NULL, gl, 12, "x", fake_diag()),
			PLATCI_ENETWORK, "%s", status[i]);
		cr_assert_eq(platci_gitlab_attempts(gl), 1, "a POST answered %s was sent again",
			status[i]);
		cr_assert(strstr(last_error(), status[i]), "%s", last_error());
		platci_gitlab_free(gl);
		fake_stop();
	}
	/* 429 means GitLab did not take it: resend after the wait. */
	fake_start(MR12 "}", "--fault", "{\"method\": \"POST\", \"status\": 429, \"times\": 1}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_note_create(NULL, gl, 12, "x", fake_diag()), 0);
	cr_assert_eq(platci_gitlab_attempts(gl), 2);
	platci_gitlab_free(gl);
}

/* ---- Sticky notes ------------------------------------------------------- */

#define MARK "<!-- platci:plan:dev-uaenorth -->"

static size_t notes_with_marker(platci_gitlab *gl, json_t **first)
{
	json_t *notes = NULL, *n;
	size_t i, count = 0;

	cr_assert_eq(platci_gitlab_notes_list(&notes, gl, 12, fake_diag()), 0);
	json_array_foreach (notes, i, n) {
		if (strstr(platci_json_str(n, "body"), MARK)) {
			if (!count && first)
				*first = json_incref(n);
			count++;
		}
	}
	json_decref(notes);
	return count;
}

Test(gitlab_api, sticky_note_five_runs_one_note)
{
	platci_gitlab_note_result r;
	platci_gitlab *gl;
	json_t *note = NULL;

	fake_start(MR12 FIVE_NOTES, "--max-per-page", "2", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, fake_diag()), 0);
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, fake_diag()), 0);
		cr_assert_eq(r.action, PLATCI_GITLAB_UNCHANGED);
	}
	cr_assert_eq(count_requests("POST", "/notes"), 1);
	cr_assert_eq(count_requests("PUT", "/notes"), 0);
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result B", &r, fake_diag()), 0);
	cr_assert_eq(r.action, PLATCI_GITLAB_UPDATED);
	cr_assert_eq(notes_with_marker(gl, &note), 1);
	cr_assert(strstr(platci_json_str(note, "body"), "<details><summary>Previous result") != NULL);
	cr_assert(strstr(platci_json_str(note, "body"), "result A") != NULL);
	json_decref(note);
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, "not a marker", "x", &r, fake_diag()),
		PLATCI_EINVALID);
	cr_assert(strstr(F.logged, TOKEN) == NULL);
	platci_gitlab_free(gl);
}

Test(gitlab_api, sticky_note_lost_answer_makes_no_second_note)
{
	platci_gitlab_note_result r;
	platci_gitlab *gl;

	fake_start(MR12 "}", "--fault",
		"{\"method\": \"POST\", \"path\": \"/notes$\", \"after\": true}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, fake_diag()), 0, "%s",
		last_error());
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	cr_assert(r.note_id > 0);
	cr_assert_eq(count_requests("POST", "/notes"), 1, "%zu POSTs", count_requests("POST", "/notes"));
	cr_assert_eq(notes_with_marker(gl, NULL), 1);
	platci_gitlab_free(gl);
}

Test(gitlab_api, sticky_note_created_then_502_is_one_note)
{
	platci_gitlab_note_result r;
	platci_gitlab *gl;

	/* GitLab stores the note, then the proxy in front of it answers 502. */
	fake_start(MR12 "}", "--fault",
		"{\"method\": \"POST\", \"path\": \"/notes$\", \"after\": true, \"status\": 502}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, fake_diag()), 0, "%s",
		last_error());
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	cr_assert(r.note_id > 0);
	cr_assert_eq(count_requests("POST", "/notes"), 1, "%zu POSTs", count_requests("POST", "/notes"));
	cr_assert_eq(notes_with_marker(gl, NULL), 1);
	cr_assert(strstr(F.logged, "looking for the object") != NULL, "%s", F.logged);
	platci_gitlab_free(gl);
}

Test(gitlab_api, sticky_note_not_created_then_503_is_posted_again)
{
	platci_gitlab_note_result r;
	platci_gitlab *gl;

	/* 503 before GitLab acted: the lookup finds nothing, so the note is created anew. */
	fake_start(MR12 "}", "--fault", "{\"method\": \"POST\", \"status\": 503, \"times\": 1}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, fake_diag()), 0, "%s",
		last_error());
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	cr_assert_eq(count_requests("POST", "/notes"), 2);
	cr_assert_eq(notes_with_marker(gl, NULL), 1);
	platci_gitlab_free(gl);
}

Test(gitlab_api, sticky_note_gitlab_down_reports_once_through_diag)
{
	platci_gitlab_note_result r;
	platci_gitlab *gl;
	platci_diag *diag = NULL;

	fake_start(MR12 "}", "--fault", "{\"method\": \"POST\", \"status\": 502, \"times\": -1}", NULL);
	gl = client();
	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, "result A", &r, diag), PLATCI_ENETWORK);
	/* one POST per round, each followed by a lookup; bounded by the retries */
	cr_assert_eq(count_requests("POST", "/notes"), 5);
	cr_assert_eq(platci_diag_count(diag), 1, "one failure, one diagnostic");
	cr_assert_str_eq(platci_diag_at(diag, 0)->source, "GitLab");
	cr_assert_eq(platci_diag_at(diag, 0)->code, PLATCI_ENETWORK);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "HTTP 502") != NULL, "%s",
		platci_diag_at(diag, 0)->message);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "gave up after 5 attempts") != NULL,
		"%s", platci_diag_at(diag, 0)->message);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, TOKEN) == NULL);
	platci_diag_free(diag);
	platci_gitlab_free(gl);
}

Test(gitlab_api, issue_created_then_504_is_one_issue)
{
	platci_gitlab_issue_result r;
	platci_gitlab *gl;
	json_t *found = NULL;

	fake_start("{}", "--fault",
		"{\"method\": \"POST\", \"path\": \"/issues$\", \"after\": true, \"status\": 504}", NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift",
			     "3 resources", NULL, &r, fake_diag()),
		0, "%s", last_error());
	cr_assert_eq(r.action, PLATCI_GITLAB_CREATED);
	cr_assert_eq(r.iid, 1);
	cr_assert_eq(count_requests("POST", "/issues"), 1);
	cr_assert_eq(platci_gitlab_issues_find(&found, gl, "Drift: dev-uaenorth", "platci-drift",
			     fake_diag()),
		0);
	cr_assert_eq(json_array_size(found), 1);
	json_decref(found);
	platci_gitlab_free(gl);
}

Test(gitlab_api, closing_comment_posted_then_502_is_one_comment)
{
	platci_gitlab_issue_result r;
	platci_gitlab *gl;

	fake_start(
		"{\"issues\": [{\"id\": 1, \"iid\": 4, \"title\": \"Drift: dev-uaenorth\","
		" \"labels\": [\"platci-drift\"], \"state\": \"opened\", \"description\": \"x\"}]}",
		"--fault",
		"{\"method\": \"POST\", \"path\": \"/issues/4/notes$\", \"after\": true, "
		"\"status\": 502}",
		NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_issue_sync(gl, "Drift: dev-uaenorth", "platci-drift", NULL,
			     "Drift is gone.", &r, fake_diag()),
		0, "%s", last_error());
	cr_assert_eq(r.action, PLATCI_GITLAB_CLOSED);
	cr_assert_eq(count_requests("POST", "/issues/4/notes"), 1);
	platci_gitlab_free(gl);
}

Test(gitlab_api, mr_created_then_502_is_one_mr)
{
	platci_buf url = PLATCI_BUF_INIT;
	platci_gitlab *gl;

	fake_start("{}", "--fault",
		"{\"method\": \"POST\", \"path\": \"/merge_requests$\", \"after\": true, \"status\": 502}",
		NULL);
	gl = client();
	cr_assert_eq(platci_gitlab_mr_ensure(gl, "promote/x", "main", "t", "d", &url, fake_diag()),
		0, "%s", last_error());
	cr_assert(strstr(url.ptr, "/merge_requests/1") != NULL, "%s", url.ptr);
	cr_assert_eq(count_requests("POST", "/merge_requests"), 1);
	platci_buf_dispose(&url);
	platci_gitlab_free(gl);
}

Test(gitlab_api, sticky_note_over_the_limit_is_cut)
{
	platci_gitlab_note_result r;
	platci_buf big = PLATCI_BUF_INIT;
	platci_gitlab *gl;
	json_t *note = NULL;

	fake_start(MR12 "}", NULL);
	gl = client();
	while (big.size < 1100000)
		platci_buf_puts(&big, "| aws_instance.x | update |\n");
	cr_assert_eq(platci_gitlab_sticky_note(gl, 12, MARK, big.ptr, &r, fake_diag()), 0, "%s",
		last_error());
	cr_assert_eq(r.truncated, 1);
	cr_assert_eq(notes_with_marker(gl, &note), 1);
	cr_assert(strlen(platci_json_str(note, "body")) <= PLATCI_GITLAB_NOTE_LIMIT);
	cr_assert(strstr(platci_json_str(note, "body"), "job's artifacts") != NULL);
	json_decref(note);
	platci_buf_dispose(&big);
	platci_gitlab_free(gl);
}
