/* The GitLab client's rules that need no server: pagination, retry schedule, notes. */
#include "test_helpers.h"
#include "gitlab_private.h"

#define BASE "https://gitlab.example.com/api/v4"

Test(gitlab_pages, next_page_header)
{
	unsigned long p = 0;

	cr_assert_eq(platci_gitlab__next_page(&p, "2"), 1);
	cr_assert_eq(p, 2);
	cr_assert_eq(platci_gitlab__next_page(&p, " 17\r\n"), 1);
	cr_assert_eq(p, 17);
	cr_assert_eq(platci_gitlab__next_page(&p, ""), 0, "empty means last page");
	cr_assert_eq(platci_gitlab__next_page(&p, NULL), 0);
	cr_assert_eq(platci_gitlab__next_page(&p, "abc"), -1);
	cr_assert_eq(platci_gitlab__next_page(&p, "3x"), -1);
	cr_assert_eq(platci_gitlab__next_page(&p, "0"), -1);
}

Test(gitlab_pages, link_next_found_among_others)
{
	platci_buf out = PLATCI_BUF_INIT;
	const char *link = "<" BASE
			   "/projects/8/issues/8/notes?page=1&per_page=3>; rel=\"prev\", "
			   "<" BASE
			   "/projects/8/issues/8/notes?page=3&per_page=3>; rel=\"next\", "
			   "<" BASE "/projects/8/issues/8/notes?page=1&per_page=3>; rel=\"first\"";

	cr_assert_eq(platci_gitlab__link_next(&out, link, BASE), 1);
	cr_assert_str_eq(out.ptr, BASE "/projects/8/issues/8/notes?page=3&per_page=3");
	platci_buf_clear(&out);
	cr_assert_eq(platci_gitlab__link_next(&out, "<" BASE "/x?page=2>; rel=next", BASE), 1,
		"an unquoted rel");
	platci_buf_clear(&out);
	cr_assert_eq(platci_gitlab__link_next(&out, "<" BASE "/x?page=9>; rel=\"last next\"", BASE),
		1, "a list of relation types");
	platci_buf_clear(&out);
	cr_assert_eq(platci_gitlab__link_next(&out, "<" BASE "/x?page=1>; rel=\"first\"", BASE), 0);
	cr_assert_eq(platci_gitlab__link_next(&out, "<" BASE "/x?page=1>; rel=\"nextish\"", BASE), 0);
	cr_assert_eq(platci_gitlab__link_next(&out, "garbage <without end", BASE), 0);
	cr_assert_eq(platci_gitlab__link_next(&out, "", BASE), 0);
	platci_buf_dispose(&out);
}

Test(gitlab_pages, link_next_never_leaves_the_api_root)
{
	platci_buf out = PLATCI_BUF_INIT;

	/* The token follows every page request: another host must never get one. */
	cr_assert_eq(platci_gitlab__link_next(&out,
			     "<https://evil.example.com/api/v4/x?page=2>; rel=\"next\"", BASE),
		PLATCI_EUNSAFE);
	cr_assert_eq(platci_gitlab__link_next(&out,
			     "<https://gitlab.example.com.evil/api/v4/x>; rel=\"next\"", BASE),
		PLATCI_EUNSAFE);
	cr_assert_eq(platci_gitlab__link_next(&out,
			     "<https://gitlab.example.com/api/v4evil/x>; rel=\"next\"", BASE),
		PLATCI_EUNSAFE);
	cr_assert_eq(platci_gitlab__link_next(&out,
			     "<http://gitlab.example.com/api/v4/x>; rel=\"next\"", BASE),
		PLATCI_EUNSAFE, "a downgrade to http");
	cr_assert_eq(out.size, 0);
	platci_buf_dispose(&out);
}

Test(gitlab_pages, loopback_http_only)
{
	cr_assert(platci_gitlab__is_loopback_http("http://127.0.0.1:8080/api/v4"));
	cr_assert(platci_gitlab__is_loopback_http("http://localhost/api/v4"));
	cr_assert(platci_gitlab__is_loopback_http("http://[::1]:9/api/v4"));
	cr_assert_not(platci_gitlab__is_loopback_http("http://gitlab.example.com/api/v4"));
	cr_assert_not(platci_gitlab__is_loopback_http("http://127.0.0.1.evil.com/api/v4"));
	cr_assert_not(platci_gitlab__is_loopback_http("http://user@127.0.0.1/api/v4"));
	cr_assert_not(platci_gitlab__is_loopback_http("http://localhost.evil.com/"));
}

Test(gitlab_retry, backoff_doubles_with_jitter_and_caps)
{
	uint64_t rng = 42;

	for (unsigned int retry = 0; retry < 12; retry++) {
		unsigned long full = 1000UL << (retry < 5 ? retry : 5);
		unsigned long d;
		if (full > 30000)
			full = 30000;
		d = platci_gitlab__backoff_ms(retry, 1000, 30000, 0, &rng);
		cr_assert(d >= full / 2 && d <= full, "retry %u: %lu not in [%lu, %lu]", retry, d,
			full / 2, full);
	}
}

Test(gitlab_retry, jitter_is_seeded_and_spreads)
{
	uint64_t a = 7, b = 7, c = 8;
	int differ = 0;

	for (int i = 0; i < 20; i++) {
		unsigned long x = platci_gitlab__backoff_ms(3, 1000, 30000, 0, &a);
		unsigned long y = platci_gitlab__backoff_ms(3, 1000, 30000, 0, &b);
		unsigned long z = platci_gitlab__backoff_ms(3, 1000, 30000, 0, &c);
		cr_assert_eq(x, y, "same seed, same schedule");
		differ += x != z;
	}
	cr_assert(differ > 10, "different seeds should spread the retries");
}

Test(gitlab_retry, retry_after_is_a_floor)
{
	uint64_t rng = 1;

	cr_assert_eq(platci_gitlab__backoff_ms(0, 100, 1000, 5000, &rng), 5000);
	cr_assert(platci_gitlab__backoff_ms(4, 1000, 30000, 10, &rng) >= 8000);
}

Test(gitlab_retry, retry_after_header)
{
	unsigned long ms = 0;
	/* 1994-11-06T08:49:37Z */
	time_t now = 784111777;

	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "3", now), 1);
	cr_assert_eq(ms, 3000);
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "Sun, 06 Nov 1994 08:49:47 GMT", now), 1);
	cr_assert_eq(ms, 10000);
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "Sun, 06 Nov 1994 08:49:00 GMT", now), 1);
	cr_assert_eq(ms, 0, "a date in the past means now");
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "soon", now), 0);
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "3 s", now), 0);
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, "Sun, 06 Foo 1994 08:49:00 GMT", now), 0);
	cr_assert_eq(platci_gitlab__retry_after_ms(&ms, NULL, now), 0);
}

Test(gitlab_note, marker_rules)
{
	cr_assert(platci_gitlab__marker_valid("<!-- platci:plan:dev-uaenorth -->"));
	cr_assert_not(platci_gitlab__marker_valid("<!-- other -->"));
	cr_assert_not(platci_gitlab__marker_valid("<!-- platci:plan:dev\n -->"));
	cr_assert_not(platci_gitlab__marker_valid("<!-- platci:previous -->"));
	cr_assert_not(platci_gitlab__marker_valid(NULL));

	cr_assert(platci_gitlab__note_has_marker("<!-- platci:plan:dev -->\nbody",
		"<!-- platci:plan:dev -->"));
	cr_assert(platci_gitlab__note_has_marker("\n  <!-- platci:plan:dev -->\r\nbody",
		"<!-- platci:plan:dev -->"));
	cr_assert_not(platci_gitlab__note_has_marker("<!-- platci:plan:dev-2 -->\n",
		"<!-- platci:plan:dev -->"));
	cr_assert_not(platci_gitlab__note_has_marker("> <!-- platci:plan:dev -->\nquoted",
			      "<!-- platci:plan:dev -->"),
		"a reply quoting our note is not our note");
	cr_assert_not(platci_gitlab__note_has_marker("text\n<!-- platci:plan:dev -->",
		"<!-- platci:plan:dev -->"));
}

#define M "<!-- platci:plan:dev -->"

Test(gitlab_note, compose_new_adds_the_marker)
{
	platci_buf out = PLATCI_BUF_INIT;
	int changed, cut;

	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M, "### plan\r\nok\n\n",
			     NULL, 1000000, NULL),
		0);
	cr_assert_str_eq(out.ptr, M "\n### plan\nok");
	cr_assert_eq(changed, 1);
	cr_assert_eq(cut, 0);
	platci_buf_clear(&out);
	/* summary.md carries a marker of its own: ours replaces it, once. */
	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M,
			     "<!-- platci:plan:all -->\n### plan\n", NULL, 1000000, NULL),
		0);
	cr_assert_str_eq(out.ptr, M "\n### plan");
	platci_buf_dispose(&out);
}

Test(gitlab_note, compose_same_result_is_unchanged)
{
	platci_buf out = PLATCI_BUF_INIT;
	const char *old = M "\n### plan\nok\n\n<!-- platci:previous -->\n<details>old</details>\n";
	int changed, cut;

	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M, M "\n### plan\nok\n", old,
			     1000000, NULL),
		0);
	cr_assert_eq(changed, 0);
	cr_assert_str_eq(out.ptr, old, "history kept as it was");
	platci_buf_dispose(&out);
}

Test(gitlab_note, compose_changed_collapses_one_level)
{
	platci_buf out = PLATCI_BUF_INIT, out2 = PLATCI_BUF_INIT;
	int changed, cut;

	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M, "second", M "\nfirst",
			     1000000, NULL),
		0);
	cr_assert_eq(changed, 1);
	cr_assert_str_eq(out.ptr, M
		"\nsecond\n\n<!-- platci:previous -->\n<details><summary>Previous result "
		"(superseded)</summary>\n\nfirst\n\n</details>\n");
	cr_assert_eq(platci_gitlab__note_compose(&out2, &changed, &cut, M, "third", out.ptr, 1000000, NULL),
		0);
	cr_assert(strstr(out2.ptr, "second") != NULL);
	cr_assert(strstr(out2.ptr, "first") == NULL, "only one level of history: %s", out2.ptr);
	cr_assert(strstr(out2.ptr, M) == out2.ptr && strstr(out2.ptr + 1, M) == NULL, "exactly one marker");
	platci_buf_dispose(&out);
	platci_buf_dispose(&out2);
}

Test(gitlab_note, compose_cuts_at_the_limit_with_a_pointer)
{
	platci_buf big = PLATCI_BUF_INIT, out = PLATCI_BUF_INIT;
	int changed, cut;

	platci_buf_puts(&big, "<details><summary>all</summary>\n\n```\n");
	while (big.size < 1200000)
		platci_buf_puts(&big, "| a row of the table | é |\n");
	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M, big.ptr, NULL, PLATCI_GITLAB_NOTE_LIMIT,
			     "https://gitlab.example.com/g/p/-/jobs/1/artifacts/browse"),
		0);
	cr_assert_eq(cut, 1);
	cr_assert(out.size <= PLATCI_GITLAB_NOTE_LIMIT, "%zu bytes", out.size);
	cr_assert(strstr(out.ptr, "jobs/1/artifacts/browse") != NULL);
	cr_assert(strstr(out.ptr, "\n```\n</details>") != NULL, "open fence and details closed");
	platci_buf_dispose(&big);
	platci_buf_dispose(&out);
}

Test(gitlab_note, compose_cut_respects_utf8)
{
	platci_buf big = PLATCI_BUF_INIT;

	for (int i = 0; i < 400; i++)
		platci_buf_puts(&big, "ééé");
	platci_gitlab__cut(&big, 1001);
	cr_assert(big.size <= 1001);
	cr_assert_eq(big.size % 2, 0, "no half character left");
	platci_buf_dispose(&big);
}

Test(gitlab_note, compose_history_shrinks_to_fit)
{
	platci_buf old = PLATCI_BUF_INIT, out = PLATCI_BUF_INIT, body = PLATCI_BUF_INIT;
	int changed, cut;

	platci_buf_puts(&old, M "\n");
	while (old.size < 600000)
		platci_buf_puts(&old, "old line\n");
	while (body.size < 600000)
		platci_buf_puts(&body, "new line\n");
	cr_assert_eq(platci_gitlab__note_compose(&out, &changed, &cut, M, body.ptr, old.ptr,
			     PLATCI_GITLAB_NOTE_LIMIT, NULL),
		0);
	cr_assert_eq(cut, 0, "the current result fits");
	cr_assert(out.size <= PLATCI_GITLAB_NOTE_LIMIT);
	cr_assert(strstr(out.ptr, "_(cut)_") != NULL);
	cr_assert(strstr(out.ptr, "</details>\n") != NULL);
	platci_buf_dispose(&old);
	platci_buf_dispose(&out);
	platci_buf_dispose(&body);
}

Test(gitlab_client, refuses_bad_options)
{
	platci_gitlab_options o = PLATCI_GITLAB_OPTIONS_INIT;
	platci_gitlab *gl = NULL;
	platci_diag *diag = NULL;

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_gitlab_new(&gl, &o, diag), PLATCI_EINVALID);
	o.base_url = "http://gitlab.example.com/api/v4";
	o.project_id = "1";
	cr_assert_eq(platci_gitlab_new(&gl, &o, diag), PLATCI_EINVALID, "plain http to a real host");
	o.version = 99;
	o.base_url = BASE;
	cr_assert_eq(platci_gitlab_new(&gl, &o, diag), PLATCI_EINVALID);
	/* Each refusal says why, the house way: a diagnostic from source "GitLab". */
	cr_assert_eq(platci_diag_count(diag), 3);
	cr_assert_str_eq(platci_diag_at(diag, 0)->source, "GitLab");
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "base URL and a project"));
	cr_assert(strstr(platci_diag_at(diag, 1)->message, "must be an https:// URL"));
	cr_assert(strstr(platci_diag_at(diag, 2)->message, "version 99"));
	cr_assert_eq(platci_gitlab_options_init(&o, 2), PLATCI_EINVALID);
	cr_assert_eq(platci_gitlab_options_init(&o, PLATCI_GITLAB_OPTIONS_VERSION), 0);
	o.base_url = BASE "/";
	o.project_id = "group/sub project";
	cr_assert_eq(platci_gitlab_new(&gl, &o, NULL), 0);
	cr_assert_str_eq(gl->project_path, "/projects/group%2Fsub%20project");
	cr_assert_str_eq(gl->base_url, BASE);
	platci_gitlab_free(gl);
	platci_gitlab_free(NULL);
	platci_diag_free(diag);
}
