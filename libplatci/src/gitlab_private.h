/* GitLab client internals shared by gitlab_*.c and reachable from the unit tests. */
#ifndef PLATCI_GITLAB_PRIVATE_H
#define PLATCI_GITLAB_PRIVATE_H

#include <stdint.h>
#include <time.h>

#include "platci/diag.h"
#include "platci/gitlab.h"

struct platci_gitlab {
	platci_gitlab_options opts; /* strings below are our copies */
	char *base_url; /* without a trailing slash */
	char *project_path; /* "/projects/<url-encoded id>" */
	char *token;
	char *ca_file;
	char *user_agent;
	char *pipeline_source;
	char *artifacts_url;
	void *curl; /* CURL *, made on first use, kept for connection reuse */
	uint64_t rng;
	unsigned long attempts;
	int unsent; /* the last request failed before it reached GitLab */
	platci_buf error; /* last failure, token-free; reported through platci_diag */
};

/* Logs a printf-formatted line through the options' callback, token scrubbed. */
void platci_gitlab__log(platci_gitlab *gl, platci_gitlab_log_level level, const char *fmt, ...)
	PLATCI_PRINTF(3, 4);

/* Sets the last failure's text (token scrubbed) and returns @p code. */
int platci_gitlab__fail(platci_gitlab *gl, int code, const char *fmt, ...) PLATCI_PRINTF(3, 4);

/*
 * Where every public call ends: when @p error is a failure, adds the last
 * failure's text (else platci_strerror()) to @p diag as one error from
 * source "GitLab". Nested calls inside the module pass a NULL diag, so a
 * failure is reported once, by the call the caller made. Returns @p error.
 */
int platci_gitlab__report(platci_gitlab *gl, platci_diag *diag, int error);

/*
 * Creating an object exactly once. A POST is resent only when it cannot
 * have reached GitLab (perform() decides); after any other failure GitLab
 * may have acted, so @p find looks for the object (by its marker, title
 * or branches) and only when it is absent is it created anew, at most
 * max_retries times. @p find returns 0 with *found set (new reference)
 * or NULL, or an error; @p create returns 0 with *created (may be NULL).
 */
typedef int (*platci_gitlab__find_fn)(json_t **found, platci_gitlab *gl, void *payload);
typedef int (*platci_gitlab__create_fn)(json_t **created, platci_gitlab *gl, void *payload);
int platci_gitlab__create_once(json_t **out, platci_gitlab *gl, platci_gitlab__create_fn create,
	platci_gitlab__find_fn find, void *payload);

/* Waits @p ms through the options' sleep function, else nanosleep. */
void platci_gitlab__wait(platci_gitlab *gl, unsigned long ms);

/* Appends @p s percent-encoded (RFC 3986 unreserved kept). */
int platci_gitlab__escape(platci_buf *out, const char *s);

/* ---- Pure parts (tests/unit/gitlab) ---------------------------------- */

/*
 * The delay before retry number @p retry (0 for the first retry):
 * base * 2^retry capped at @p max, then "equal jitter" (half fixed, half
 * random) so that many jobs failing together do not retry together.
 * A server's Retry-After (@p retry_after_ms, 0 when absent) is a floor.
 */
unsigned long platci_gitlab__backoff_ms(unsigned int retry, unsigned long base, unsigned long max,
	unsigned long retry_after_ms, uint64_t *rng);

/* xorshift64*: the jitter source, seeded per client. */
uint64_t platci_gitlab__rand(uint64_t *state);

/*
 * Retry-After: delay-seconds or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00
 * GMT") relative to @p now. 1 with *ms_out set, 0 when absent or
 * unparsable (then the computed backoff applies).
 */
int platci_gitlab__retry_after_ms(unsigned long *ms_out, const char *value, time_t now);

/* X-Next-Page: 1 with the page, 0 when empty (last page) or absent, -1 when garbage. */
int platci_gitlab__next_page(unsigned long *page_out, const char *value);

/*
 * The rel="next" URL of a Link header, accepted only when it lies under
 * @p base_url (same scheme, host, port and API root). 1 found (appended to
 * @p out), 0 none, PLATCI_EUNSAFE when next points elsewhere.
 */
int platci_gitlab__link_next(platci_buf *out, const char *link, const char *base_url);

/* 1 when @p url is http:// to localhost, 127.0.0.0/8 or [::1]; https is checked elsewhere. */
int platci_gitlab__is_loopback_http(const char *url);

/* 1 when @p marker looks like `<!-- platci:... -->` (one line). */
int platci_gitlab__marker_valid(const char *marker);

/* 1 when the note body starts (after blank space) with @p marker. */
int platci_gitlab__note_has_marker(const char *body, const char *marker);

/*
 * Composes the sticky note body from the new @p body and the note found
 * (@p old, NULL when none): the marker first; when the content changed,
 * the old result collapsed under <details>; everything cut to @p limit
 * bytes with a pointer to @p artifacts_url (NULL: "the job's artifacts").
 * *changed_out is 0 when @p old already says the same (then @p out gets
 * @p old unchanged). *truncated_out is 1 when something was cut.
 */
int platci_gitlab__note_compose(platci_buf *out, int *changed_out, int *truncated_out,
	const char *marker, const char *body, const char *old, size_t limit, const char *artifacts_url);

/* Cuts @p buf to at most @p max bytes at a line (else UTF-8) boundary, closing open <details>. */
void platci_gitlab__cut(platci_buf *buf, size_t max);

#endif
