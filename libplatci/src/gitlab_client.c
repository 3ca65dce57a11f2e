/*
 * The GitLab client's transport: one libcurl handle per client, bounded
 * retries, pagination, and the rule that the token never leaves in a
 * message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gitlab_private.h"
#include "platci/json.h"
#include "util/common.h"
#include "util/lazy_curl.h"
#include "util/banned.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_RETRIES 4u
#define DEFAULT_BACKOFF_BASE_MS 1000UL
#define DEFAULT_BACKOFF_MAX_MS 30000UL
#define DEFAULT_MAX_RETRY_AFTER_MS 120000UL
#define DEFAULT_MAX_RESPONSE (32u << 20)
#define DEFAULT_MAX_PAGES 50u
#define DEFAULT_PER_PAGE 100u
#define MAX_ERROR_TEXT 600

/* What one HTTP exchange left behind besides the body. */
typedef struct exchange {
	platci_buf body;
	long status;
	char next_page[32];
	char retry_after[64];
	platci_buf link;
	char curl_error[CURL_ERROR_SIZE];
} exchange;

int platci_gitlab_options_init(platci_gitlab_options *opts, unsigned int version)
{
	platci_gitlab_options init = PLATCI_GITLAB_OPTIONS_INIT;

	if (!opts || version != PLATCI_GITLAB_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* Replaces every copy of the token in @p buf; defence in depth for texts that quote a server. */
static void scrub(platci_buf *buf, const char *token)
{
	size_t n = token ? strlen(token) : 0;
	char *hit;

	if (n < 4)
		return; /* a token this short is no secret worth mangling every message for */
	while ((hit = strstr(buf->ptr, token)) != NULL) {
		size_t at = (size_t)(hit - buf->ptr);
		platci_buf rest = PLATCI_BUF_INIT;
		platci_buf_puts(&rest, hit + n);
		platci_buf_truncate(buf, at);
		platci_buf_puts(buf, "[MASKED]");
		platci_buf_puts(buf, rest.ptr);
		platci_buf_dispose(&rest);
		if (buf->error)
			return;
	}
}

void platci_gitlab__log(platci_gitlab *gl, platci_gitlab_log_level level, const char *fmt, ...)
{
	platci_buf line = PLATCI_BUF_INIT;
	va_list ap;

	if (!gl->opts.log)
		return;
	va_start(ap, fmt);
	platci_buf_vprintf(&line, fmt, ap);
	va_end(ap);
	scrub(&line, gl->token);
	if (!line.error)
		gl->opts.log(level, line.ptr, gl->opts.log_payload);
	platci_buf_dispose(&line);
}

int platci_gitlab__fail(platci_gitlab *gl, int code, const char *fmt, ...)
{
	va_list ap;

	platci_buf_clear(&gl->error);
	va_start(ap, fmt);
	platci_buf_vprintf(&gl->error, fmt, ap);
	va_end(ap);
	scrub(&gl->error, gl->token);
	return code;
}

int platci_gitlab__report(platci_gitlab *gl, platci_diag *diag, int error)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, 0, "GitLab", 0, 0, 0, NULL, NULL };

	if (error >= 0 || !diag)
		return error;
	e.code = error;
	platci_diag_add(diag, &e, "%s",
		gl && gl->error.size && !gl->error.error ? gl->error.ptr : platci_strerror(error));
	return error;
}

unsigned long platci_gitlab_attempts(const platci_gitlab *gl)
{
	return gl ? gl->attempts : 0;
}

void platci_gitlab__wait(platci_gitlab *gl, unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	if (gl->opts.sleep) {
		gl->opts.sleep(ms, gl->opts.sleep_payload);
		return;
	}
	while (nanosleep(&ts, &ts) != 0)
		;
}

static char *strip_slashes(const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '/')
		n--;
	return platci__strndup(s, n);
}

int platci_gitlab_new(platci_gitlab **out, const platci_gitlab_options *opts, platci_diag *diag)
{
	const platci_diag_entry bad = { PLATCI_DIAG_ERROR, PLATCI_EINVALID, "GitLab", 0, 0, 0, NULL, NULL };
	platci_gitlab *gl = NULL;
	platci_buf path = PLATCI_BUF_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(out && opts);
	*out = NULL;
	if (opts->version != PLATCI_GITLAB_OPTIONS_VERSION) {
		platci_diag_add(diag, &bad, "unknown client options version %u", opts->version);
		return PLATCI_EINVALID;
	}
	if (!opts->base_url || !*opts->base_url || !opts->project_id || !*opts->project_id) {
		platci_diag_add(diag, &bad, "the client needs the API's base URL and a project");
		return PLATCI_EINVALID;
	}
	/* A token must not cross a network in clear text; loopback is the test server. */
	if (strncasecmp(opts->base_url, "https://", 8) != 0 &&
		!platci_gitlab__is_loopback_http(opts->base_url)) {
		platci_diag_add(diag, &bad,
			"the API URL must be an https:// URL (plain http only to "
			"a loopback address)");
		return PLATCI_EINVALID;
	}

	gl = calloc(1, sizeof(*gl));
	PLATCI_CHECK_ALLOC(gl);
	gl->opts = *opts;
	gl->base_url = strip_slashes(opts->base_url);
	PLATCI_CHECK_ALLOC(gl->base_url);
	platci_buf_puts(&path, "/projects/");
	platci_gitlab__escape(&path, opts->project_id);
	PLATCI_CHECK_ALLOC(gl->project_path = platci_buf_detach(&path));
	if (opts->token)
		PLATCI_CHECK_ALLOC(gl->token = platci__strdup(opts->token));
	if (opts->ca_file)
		PLATCI_CHECK_ALLOC(gl->ca_file = platci__strdup(opts->ca_file));
	if (opts->pipeline_source)
		PLATCI_CHECK_ALLOC(gl->pipeline_source = platci__strdup(opts->pipeline_source));
	if (opts->artifacts_url)
		PLATCI_CHECK_ALLOC(gl->artifacts_url = platci__strdup(opts->artifacts_url));
	platci_buf_printf(&path, "platci/%s", platci_version());
	if (opts->user_agent)
		platci_buf_printf(&path, " (%s)", opts->user_agent);
	PLATCI_CHECK_ALLOC(gl->user_agent = platci_buf_detach(&path));
	/* Our copies replace the caller's pointers, which may not outlive this call. */
	gl->opts.base_url = gl->base_url;
	gl->opts.token = gl->token;
	gl->opts.ca_file = gl->ca_file;
	gl->opts.user_agent = gl->user_agent;
	gl->opts.pipeline_source = gl->pipeline_source;
	gl->opts.artifacts_url = gl->artifacts_url;
	if (!gl->opts.connect_timeout_ms)
		gl->opts.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	if (!gl->opts.timeout_ms)
		gl->opts.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (!gl->opts.max_retries)
		gl->opts.max_retries = DEFAULT_RETRIES;
	else if (gl->opts.max_retries == PLATCI_GITLAB_NO_RETRY)
		gl->opts.max_retries = 0;
	if (!gl->opts.backoff_base_ms)
		gl->opts.backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
	if (!gl->opts.backoff_max_ms)
		gl->opts.backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
	if (!gl->opts.max_retry_after_ms)
		gl->opts.max_retry_after_ms = DEFAULT_MAX_RETRY_AFTER_MS;
	if (!gl->opts.max_response)
		gl->opts.max_response = DEFAULT_MAX_RESPONSE;
	if (!gl->opts.max_pages)
		gl->opts.max_pages = DEFAULT_MAX_PAGES;
	if (!gl->opts.per_page || gl->opts.per_page > 100)
		gl->opts.per_page = DEFAULT_PER_PAGE;
	if (!gl->opts.note_limit || gl->opts.note_limit > PLATCI_GITLAB_NOTE_LIMIT)
		gl->opts.note_limit = PLATCI_GITLAB_NOTE_LIMIT;
	gl->rng = opts->jitter_seed ? opts->jitter_seed : (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)gl;
	platci_buf_init(&gl->error, MAX_ERROR_TEXT * 2);
	*out = gl;
	gl = NULL;
done:
	platci_buf_dispose(&path);
	platci_gitlab_free(gl);
	return error;
}

static void wipe_free(char *s)
{
	if (s) {
		volatile char *v = s;
		while (*v)
			*v++ = 0;
		free(s);
	}
}

void platci_gitlab_free(platci_gitlab *gl)
{
	if (!gl)
		return;
	if (gl->curl)
		curl_easy_cleanup(gl->curl);
	free(gl->base_url);
	free(gl->project_path);
	wipe_free(gl->token);
	free(gl->ca_file);
	free(gl->user_agent);
	free(gl->pipeline_source);
	free(gl->artifacts_url);
	platci_buf_dispose(&gl->error);
	free(gl);
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *payload)
{
	exchange *x = payload;
	size_t n = size * nmemb;

	return platci_buf_put(&x->body, ptr, n) < 0 ? 0 : n;
}

/* Copies the value of header @p name from the raw line, or returns 0. */
static int header_value(const char *line, size_t len, const char *name, const char **v, size_t *vlen)
{
	size_t n = strlen(name);
	const char *p, *end = line + len;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return 0;
	p = line + n + 1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	*v = p;
	*vlen = (size_t)(end - p);
	return 1;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *payload)
{
	exchange *x = payload;
	size_t n = size * nmemb, vlen;
	const char *v;

	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue): forget the previous one's headers. */
		x->next_page[0] = x->retry_after[0] = '\0';
		platci_buf_clear(&x->link);
	} else if (header_value(ptr, n, "x-next-page", &v, &vlen)) {
		snprintf(x->next_page, sizeof(x->next_page), "%.*s", (int)vlen, v);
	} else if (header_value(ptr, n, "retry-after", &v, &vlen)) {
		snprintf(x->retry_after, sizeof(x->retry_after), "%.*s", (int)vlen, v);
	} else if (header_value(ptr, n, "link", &v, &vlen)) {
		platci_buf_put(&x->link, v, vlen);
	}
	return n;
}

static int setup(platci_gitlab *gl, CURL *h, const char *method, const char *url,
	const char *payload, exchange *x, struct curl_slist **headers)
{
	platci_buf tok = PLATCI_BUF_INIT;
	struct curl_slist *l = NULL, *t;
	int error = 0;

	curl_easy_reset(h);
	l = curl_slist_append(l, "Accept: application/json");
	/* Large bodies must not wait for a 100-continue round trip. */
	if (l)
		l = (t = curl_slist_append(l, "Expect:")) ? t : (curl_slist_free_all(l), NULL);
	if (l && payload)
		l = (t = curl_slist_append(l, "Content-Type: application/json"))
			    ? t
			    : (curl_slist_free_all(l), NULL);
	if (l && gl->token) {
		platci_buf_printf(&tok, "%s: %s",
			gl->opts.token_kind == PLATCI_GITLAB_TOKEN_JOB ? "JOB-TOKEN" : "PRIVATE-TOKEN",
			gl->token);
		l = tok.error                             ? (curl_slist_free_all(l), NULL)
		    : (t = curl_slist_append(l, tok.ptr)) ? t
							  : (curl_slist_free_all(l), NULL);
	}
	PLATCI_CHECK_ALLOC(l);
	*headers = l;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	curl_easy_setopt(h, CURLOPT_USERAGENT, gl->user_agent);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (gl->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, gl->ca_file);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, gl->opts.connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, gl->opts.timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->curl_error);
	if (strcmp(method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	/*
	 * libcurl silently resends a request when a reused connection dies
	 * before any answer; for a POST that can post a note twice. A fresh
	 * connection has no such retry: ours decides.
	 */
	if (strcmp(method, "POST") == 0)
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
	if (payload) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(payload));
	}
done:
	/* The token lives on only inside curl's header list, freed after the request. */
	if (tok.asize)
		memset(tok.ptr, 0, tok.asize);
	platci_buf_dispose(&tok);
	return error;
}

typedef enum { OUTCOME_DONE, OUTCOME_RETRY, OUTCOME_FAIL } outcome;

/* Transport failures that prove the request never reached GitLab: safe to resend a POST. */
static int never_sent(CURLcode cc)
{
	return cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_RESOLVE_PROXY ||
	       cc == CURLE_COULDNT_CONNECT;
}

static int transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* The path as logged: relative to the API root, short, and never with a secret in it. */
static const char *shown(const platci_gitlab *gl, const char *url)
{
	size_t n = strlen(gl->base_url);
	return strncmp(url, gl->base_url, n) == 0 ? url + n : url;
}

static void gitlab_message(platci_buf *out, const exchange *x)
{
	json_t *doc = json_loadb(x->body.ptr, x->body.size, 0, NULL);
	json_t *m = doc && json_is_object(doc) ? json_object_get(doc, "message") : NULL;
	char *text = NULL;

	if (!m && doc && json_is_object(doc))
		m = json_object_get(doc, "error");
	if (m)
		text = json_is_string(m) ? platci__strdup(json_string_value(m))
					 : json_dumps(m, JSON_COMPACT);
	if (text) {
		platci_buf_printf(out, ": %.200s", text);
		free(text);
	}
	json_decref(doc);
}

/*
 * One request with the retry policy. @p x keeps the last exchange
 * (headers for pagination). @p out may be NULL.
 */
static int perform(json_t **out, platci_gitlab *gl, const char *method, const char *url,
	const char *payload, exchange *x)
{
	struct curl_slist *headers = NULL;
	platci_buf why = PLATCI_BUF_INIT;
	json_t *doc = NULL;
	int post = strcmp(method, "POST") == 0, error = 0;
	unsigned int attempt;

	if (out)
		*out = NULL;
	platci_buf_clear(&gl->error);
	if (!gl->curl)
		PLATCI_CHECK_ALLOC(gl->curl = curl_easy_init());
	for (attempt = 0;; attempt++) {
		unsigned long retry_after = 0, delay;
		outcome oc = OUTCOME_DONE;
		CURLcode cc;

		platci_buf_clear(&x->body);
		x->body.max = gl->opts.max_response;
		platci_buf_clear(&x->link);
		x->link.max = 8192;
		x->status = 0;
		x->next_page[0] = x->retry_after[0] = x->curl_error[0] = '\0';
		curl_slist_free_all(headers);
		headers = NULL;
		if ((error = setup(gl, gl->curl, method, url, payload, x, &headers)) < 0)
			goto done;
		gl->attempts++;
		cc = curl_easy_perform(gl->curl);
		curl_easy_getinfo(gl->curl, CURLINFO_RESPONSE_CODE, &x->status);
		platci_buf_clear(&why);
		gl->unsent = 0;

		if (cc == CURLE_WRITE_ERROR && x->body.error == PLATCI_ELIMIT) {
			error = platci_gitlab__fail(gl, PLATCI_ELIMIT,
				"%s %s: the response is larger than %zu bytes", method,
				shown(gl, url), gl->opts.max_response);
			goto done;
		} else if (cc != CURLE_OK) {
			platci_buf_printf(&why, "%s",
				x->curl_error[0] ? x->curl_error : curl_easy_strerror(cc));
			oc = transient(cc) && (!post || never_sent(cc)) ? OUTCOME_RETRY : OUTCOME_FAIL;
			if (oc == OUTCOME_FAIL && !transient(cc))
				error = PLATCI_ENETWORK; /* TLS verification, bad CA file, protocol: retrying cannot help */
			gl->unsent = never_sent(cc);
		} else if (x->status == 429 || (x->status >= 500 && !post)) {
			/*
			 * A POST is not sent again on 5xx: a proxy answers 502 or 504 after
			 * GitLab has acted, and a second POST would make a second note.
			 * platci_gitlab__create_once() looks for the object instead.
			 */
			platci_buf_printf(&why, "HTTP %ld", x->status);
			gitlab_message(&why, x);
			oc = OUTCOME_RETRY;
			platci_gitlab__retry_after_ms(&retry_after, x->retry_after, time(NULL));
		} else if (x->status >= 300) {
			platci_buf_printf(&why, "HTTP %ld", x->status);
			gitlab_message(&why, x);
			error = x->status == 401 || x->status == 403 ? PLATCI_EAUTH
				: x->status == 404                   ? PLATCI_ENOTFOUND
				: x->status == 409                   ? PLATCI_ECONFLICT
				: x->status >= 500                   ? PLATCI_ENETWORK
								     : PLATCI_EDATA;
			oc = OUTCOME_FAIL;
		} else if (x->body.size == 0) {
			doc = json_null();
		} else {
			json_error_t jerr;
			doc = json_loadb(x->body.ptr, x->body.size, 0, &jerr);
			if (!doc) {
				/* A cut or garbled body is a broken exchange; only a GET is safe to repeat. */
				platci_buf_printf(&why, "malformed JSON from GitLab (line %d, column %d: %s)",
					jerr.line, jerr.column, jerr.text);
				oc = strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0
					     ? OUTCOME_RETRY
					     : OUTCOME_FAIL;
				error = PLATCI_ENETWORK;
			}
		}

		platci_gitlab__log(gl, PLATCI_GITLAB_LOG_DEBUG, "%s %s -> %ld%s%s (attempt %u)",
			method, shown(gl, url), x->status, why.size ? ": " : "", why.ptr, attempt + 1);
		if (oc == OUTCOME_DONE)
			break;
		if (oc == OUTCOME_FAIL) {
			if (!error)
				error = PLATCI_ENETWORK;
			platci_gitlab__fail(gl, error, "%s %s: %s", method, shown(gl, url), why.ptr);
			goto done;
		}
		if (attempt >= gl->opts.max_retries) {
			error = platci_gitlab__fail(gl, PLATCI_ENETWORK,
				"%s %s: %s (gave up after %u attempts)", method, shown(gl, url),
				why.ptr, attempt + 1);
			goto done;
		}
		if (retry_after > gl->opts.max_retry_after_ms) {
			error = platci_gitlab__fail(gl, PLATCI_ENETWORK,
				"%s %s: %s; GitLab asks to wait %lu s, longer than this job waits",
				method, shown(gl, url), why.ptr, retry_after / 1000);
			goto done;
		}
		delay = platci_gitlab__backoff_ms(attempt, gl->opts.backoff_base_ms,
			gl->opts.backoff_max_ms, retry_after, &gl->rng);
		platci_gitlab__log(gl, PLATCI_GITLAB_LOG_WARN, "%s %s: %s; retry %u of %u in %lu ms",
			method, shown(gl, url), why.ptr, attempt + 1, gl->opts.max_retries, delay);
		platci_gitlab__wait(gl, delay);
	}
	if (out) {
		*out = doc;
		doc = NULL;
	}
done:
	json_decref(doc);
	curl_slist_free_all(headers);
	/* Drop curl's pointers to this call's buffers and header list. */
	if (gl->curl)
		curl_easy_reset(gl->curl);
	platci_buf_dispose(&why);
	return error;
}

static int full_url(platci_buf *out, const platci_gitlab *gl, const char *path)
{
	platci_buf_puts(out, gl->base_url);
	if (strncmp(path, "//", 2) == 0)
		platci_buf_puts(out, path + 1);
	else {
		platci_buf_puts(out, gl->project_path);
		platci_buf_puts(out, path);
	}
	return out->error;
}

int platci_gitlab_request(json_t **out, platci_gitlab *gl, const char *method, const char *path,
	const json_t *body, platci_diag *diag)
{
	platci_buf url = PLATCI_BUF_INIT;
	exchange x = { PLATCI_BUF_INIT, 0, "", "", PLATCI_BUF_INIT, "" };
	char *payload = NULL;
	int error = 0;

	if (out)
		*out = NULL;
	PLATCI_ASSERT_ARG(gl && method && path);
	if ((error = full_url(&url, gl, path)) < 0)
		goto done;
	if (body)
		PLATCI_CHECK_ALLOC(payload = json_dumps(body, JSON_COMPACT));
	error = perform(out, gl, method, url.ptr, payload, &x);
done:
	free(payload);
	platci_buf_dispose(&url);
	platci_buf_dispose(&x.body);
	platci_buf_dispose(&x.link);
	return platci_gitlab__report(gl, diag, error);
}

int platci_gitlab_get_all(json_t **out, platci_gitlab *gl, const char *path, platci_diag *diag)
{
	platci_buf first = PLATCI_BUF_INIT, url = PLATCI_BUF_INIT, next = PLATCI_BUF_INIT;
	exchange x = { PLATCI_BUF_INIT, 0, "", "", PLATCI_BUF_INIT, "" };
	json_t *all = NULL, *page = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && gl && path);
	*out = NULL;
	PLATCI_CHECK_ALLOC(all = json_array());
	if ((error = full_url(&first, gl, path)) < 0)
		goto done;
	platci_buf_printf(&first, "%cper_page=%u", strchr(path, '?') ? '&' : '?', gl->opts.per_page);
	platci_buf_puts(&url, first.ptr);
	if ((error = first.error ? first.error : url.error) < 0)
		goto done;
	for (unsigned int pages = 0;; pages++) {
		unsigned long n;
		int r;

		if (pages >= gl->opts.max_pages) {
			error = platci_gitlab__fail(gl, PLATCI_ELIMIT,
				"GET %s: more than %u pages; refusing to read on",
				shown(gl, first.ptr), gl->opts.max_pages);
			goto done;
		}
		if ((error = perform(&page, gl, "GET", url.ptr, NULL, &x)) < 0)
			goto done;
		if (!json_is_array(page)) {
			error = platci_gitlab__fail(gl, PLATCI_EDATA,
				"GET %s: expected a list from GitLab", shown(gl, url.ptr));
			goto done;
		}
		if (json_array_extend(all, page) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		json_decref(page);
		page = NULL;
		platci_buf_clear(&next);
		r = x.link.size ? platci_gitlab__link_next(&next, x.link.ptr, gl->base_url) : 0;
		if (r == PLATCI_EUNSAFE)
			platci_gitlab__log(gl, PLATCI_GITLAB_LOG_WARN,
				"GET %s: ignoring a next-page link outside %s", shown(gl, url.ptr),
				gl->base_url);
		else if (r < 0) {
			error = r;
			goto done;
		}
		if (r != 1) {
			r = platci_gitlab__next_page(&n, x.next_page);
			if (r < 0) {
				error = platci_gitlab__fail(gl, PLATCI_EDATA,
					"GET %s: X-Next-Page \"%s\" is not a page number",
					shown(gl, url.ptr), x.next_page);
				goto done;
			}
			if (r == 0)
				break;
			platci_buf_printf(&next, "%s&page=%lu", first.ptr, n);
		}
		if (next.error) {
			error = next.error;
			goto done;
		}
		if (strcmp(next.ptr, url.ptr) == 0) {
			error = platci_gitlab__fail(gl, PLATCI_EDATA,
				"GET %s: the next page is this page", shown(gl, url.ptr));
			goto done;
		}
		platci_buf_clear(&url);
		if ((error = platci_buf_puts(&url, next.ptr)) < 0)
			goto done;
	}
	*out = all;
	all = NULL;
done:
	json_decref(all);
	json_decref(page);
	platci_buf_dispose(&first);
	platci_buf_dispose(&url);
	platci_buf_dispose(&next);
	platci_buf_dispose(&x.body);
	platci_buf_dispose(&x.link);
	return platci_gitlab__report(gl, diag, error);
}
