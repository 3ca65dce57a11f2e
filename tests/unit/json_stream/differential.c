#define _XOPEN_SOURCE 700 /* nftw() */
/*
 * Differential test (issue 20, item 4): the streaming reader against
 * jansson's DOM on every JSON file of ../shared/fixtures and of the fuzz
 * corpora. Both must accept or refuse the same files, and where they
 * accept, the streamed values must equal the DOM's at the same paths: the
 * root, and each element of every top-level array member (delivered one
 * by one, as the plan and Trivy readers subscribe), fed in odd-sized
 * chunks so that tokens straddle the boundaries.
 */
#include <ftw.h>
#include <jansson.h>

#include "test_helpers.h"

typedef struct collected {
	json_t *root; /* the value at "" */
} collected;

typedef struct tally {
	size_t files, accepted, refused, failed, bigint;
} tally;

static tally totals;

static int on_root(const platci_json_event *ev, void *payload)
{
	collected *c = payload;
	c->root = json_incref(ev->value);
	return 0;
}

static int on_item(const platci_json_event *ev, void *payload)
{
	json_t *list = payload;
	return json_array_append(list, ev->value) < 0 ? PLATCI_ENOMEM : 0;
}

/* Streams @p data with the root subscribed; returns the stream's verdict. */
static int stream(collected *c, const char *data, size_t len)
{
	platci_json_stream *s = NULL;
	int rc = 0;

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	c->root = NULL;
	cr_assert_eq(platci_json_stream_on(s, "", PLATCI_JSON_STREAM_VALUE, 0, on_root, c), 0);
	for (size_t at = 0, chunk = 1; at < len && rc == 0; at += chunk, chunk = chunk * 3 + 1) {
		size_t n = len - at < chunk ? len - at : chunk;
		rc = platci_json_stream_feed(s, data + at, n, NULL);
	}
	if (rc == 0)
		rc = platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	return rc;
}

/*
 * The root subscription delivers the whole document, so every other one
 * is nested in it and (header: "only the outer value is delivered") gets
 * nothing. The element subscriptions are therefore checked in a second
 * stream without the root.
 */
static int stream_items(json_t *items, const json_t *dom, const char *data, size_t len)
{
	platci_json_stream *s = NULL;
	const char *key;
	json_t *v;
	int rc = 0, id = 1;

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	json_object_foreach ((json_t *)dom, key, v) {
		char pattern[600];
		json_t *list;
		if (!json_is_array(v) || id > 60 || strchr(key, '"') || strchr(key, '\\') ||
			strlen(key) > 500)
			continue;
		snprintf(pattern, sizeof(pattern), "[\"%s\"][*]", key);
		list = json_array();
		json_object_set_new(items, key, list);
		cr_assert_eq(platci_json_stream_on(s, pattern, PLATCI_JSON_STREAM_VALUE, id++, on_item, list),
			0);
	}
	for (size_t at = 0, chunk = 7; at < len && rc == 0; at += chunk, chunk = chunk * 2 + 3) {
		size_t n = len - at < chunk ? len - at : chunk;
		rc = platci_json_stream_feed(s, data + at, n, NULL);
	}
	if (rc == 0)
		rc = platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	return rc;
}

static void compare(const char *path)
{
	size_t len = 0;
	char *data = th_read(path, &len);
	json_error_t err;
	json_t *dom, *items = json_object();
	collected c = { NULL };
	const char *key;
	json_t *v;
	int rc;
	size_t skip = 0;

	cr_assert(data, "%s: unreadable", path);
	/* the stream skips a UTF-8 byte-order mark (json_stream.h); jansson does not */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		skip = 3;
	dom = json_loadb(data + skip, len - skip, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	rc = stream(&c, data, len);
	totals.files++;
	if (!dom && rc == 0 && strstr(err.text, "too big integer")) {
		/* A documented difference: jansson has no integer beyond json_int_t,
		 * the stream reads one as a real (json_stream.c). Counted, not failed. */
		totals.bigint++;
		goto done;
	}
	if (!dom || rc < 0) {
		if (!dom && rc < 0) {
			totals.refused++;
		} else {
			totals.failed++;
			cr_expect_fail("%s: the DOM %s (%s at line %d), the stream %s (%s)", path,
				dom ? "accepts" : "refuses", dom ? "-" : err.text, dom ? 0 : err.line,
				rc < 0 ? "refuses" : "accepts", rc < 0 ? platci_strerror(rc) : "-");
		}
		goto done;
	}
	totals.accepted++;
	if (!json_equal(dom, c.root)) {
		totals.failed++;
		cr_expect_fail("%s: the streamed root differs from the DOM", path);
		goto done;
	}
	if (json_is_object(dom)) {
		cr_expect_eq(stream_items(items, dom, data, len), 0, "%s", path);
		json_object_foreach (items, key, v)
			cr_expect(json_equal(v, json_object_get(dom, key)),
				"%s: the elements of \"%s\" streamed one by one differ from the DOM's",
				path, key);
	}
done:
	json_decref(c.root);
	json_decref(items);
	json_decref(dom);
	free(data);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)ftw;
	if (type == FTW_F && st->st_size < (64 << 20) && n > 5 && !strcmp(path + n - 5, ".json"))
		compare(path);
	return 0;
}

/* Corpus files carry no extension: every file of the JSON harnesses' folders. */
static int visit_any(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		compare(path);
	return 0;
}

Test(json_stream_differential, every_fixture_and_corpus_file_reads_as_jansson_reads_it, .timeout = 600)
{
	static const char *const corpora[] = { "json_stream", "tfplan", "trivy", "fluxstatus",
		"drift_pending" };
	char dir[4096];

	for (size_t i = 0; i < sizeof(corpora) / sizeof(corpora[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", PLATCI_SOURCE_DIR, corpora[i]);
		nftw(dir, visit_any, 16, FTW_PHYS);
	}
	cr_expect_gt(totals.files, 5, "the fuzz corpora hold JSON files");
	if (!th_have_fixtures()) {
		cr_log_warn("%s absent: differential test over the corpora only", PLATCI_TEST_FIXTURES);
		return;
	}
	nftw(PLATCI_TEST_FIXTURES, visit, 16, FTW_PHYS);
	cr_log_info(
		"json_stream vs jansson: %zu files, %zu accepted by both, %zu refused by both, "
		"%zu with integers beyond jansson's range, %zu differ",
		totals.files, totals.accepted, totals.refused, totals.bigint, totals.failed);
	cr_expect_gt(totals.accepted, 100, "the fixtures hold JSON files");
}
