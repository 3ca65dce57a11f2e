#include "test_helpers.h"

typedef struct seen {
	int count;
	int exits;
	char keys[8][32];
	json_int_t sum;
} seen;

static int on_item(const platci_json_event *ev, void *payload)
{
	seen *s = payload;
	if (ev->kind == PLATCI_JSON_STREAM_EXIT) {
		s->exits++;
		return 0;
	}
	if (s->count < 8)
		snprintf(s->keys[s->count], 32, "%s",
			platci_json_str(ev->value, "k") ? platci_json_str(ev->value, "k") : "");
	s->sum += json_integer_value(json_object_get(ev->value, "n"));
	s->count++;
	return 0;
}

static int feed_all(platci_json_stream *s, const char *json, size_t chunk, platci_diag *diag)
{
	size_t len = strlen(json);
	int rc;
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		if ((rc = platci_json_stream_feed(s, json + off, n, diag)) < 0)
			return rc;
	}
	return platci_json_stream_finish(s, diag);
}

Test(json_stream, delivers_each_array_element_whatever_the_chunking)
{
	const char *json =
		"{\"skip\": {\"deep\": [1, {\"x\": [2]}]}, \"items\": ["
		"{\"k\": \"a\", \"n\": 1, \"sub\": {\"z\": [1,2,3]}}, {\"k\": \"b\", \"n\": 2},"
		"{\"k\": \"c\", \"n\": 3}], \"tail\": true}";
	for (size_t chunk = 1; chunk <= strlen(json); chunk += 7) {
		platci_json_stream *s = NULL;
		seen got = { 0 };
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_on(s, "items[*]", PLATCI_JSON_STREAM_VALUE, 1, on_item, &got),
			0);
		cr_assert_eq(feed_all(s, json, chunk, NULL), 0);
		cr_assert_eq(got.count, 3);
		cr_assert_eq(got.sum, 6);
		cr_assert_str_eq(got.keys[1], "b");
		platci_json_stream_free(s);
	}
}

static int on_scalar(const platci_json_event *ev, void *payload)
{
	*(json_t **)payload = json_incref(ev->value);
	return 0;
}

Test(json_stream, top_level_scalars_and_nested_patterns)
{
	const char *json =
		"{\"format_version\": \"1.2\", \"Results\": [{\"Target\": \"t1\", "
		"\"Vulnerabilities\": [{\"n\": 5}, {\"n\": 7}]}, {\"Target\": \"t2\"}]}";
	platci_json_stream *s = NULL;
	json_t *fv = NULL;
	seen vulns = { 0 }, results = { 0 };

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	cr_assert_eq(platci_json_stream_on(s, "format_version", PLATCI_JSON_STREAM_VALUE, 1, on_scalar, &fv),
		0);
	cr_assert_eq(platci_json_stream_on(s, "Results[*].Vulnerabilities[*]",
			     PLATCI_JSON_STREAM_VALUE, 2, on_item, &vulns),
		0);
	cr_assert_eq(platci_json_stream_on(s, "Results[*]", PLATCI_JSON_STREAM_EXIT, 3, on_item, &results),
		0);
	cr_assert_eq(feed_all(s, json, 5, NULL), 0);
	cr_assert_str_eq(json_string_value(fv), "1.2");
	cr_assert_eq(vulns.count, 2);
	cr_assert_eq(vulns.sum, 12);
	cr_assert_eq(results.exits, 2);
	json_decref(fv);
	platci_json_stream_free(s);
}

Test(json_stream, syntax_errors_have_line_and_column)
{
	platci_json_stream *s = NULL;
	platci_diag *diag = NULL;
	seen got = { 0 };

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	platci_json_stream_on(s, "a[*]", PLATCI_JSON_STREAM_VALUE, 1, on_item, &got);
	cr_assert_eq(feed_all(s, "{\n  \"a\": [1,\n   x]}", 4, diag), PLATCI_ESYNTAX);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 3);
	platci_json_stream_free(s);
	platci_diag_free(diag);
}

Test(json_stream, truncated_and_empty_inputs_are_errors)
{
	platci_json_stream *s = NULL;
	seen got = { 0 };

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	platci_json_stream_on(s, "a[*]", PLATCI_JSON_STREAM_VALUE, 1, on_item, &got);
	cr_assert_eq(feed_all(s, "{\"a\": [{\"n\": 1}, {\"n\"", 100, NULL), PLATCI_ESYNTAX);
	platci_json_stream_free(s);

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	platci_json_stream_on(s, "a[*]", PLATCI_JSON_STREAM_VALUE, 1, on_item, &got);
	cr_assert_eq(platci_json_stream_finish(s, NULL), PLATCI_ESYNTAX);
	platci_json_stream_free(s);
}

Test(json_stream, depth_limit)
{
	platci_json_stream *s = NULL;
	platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
	char deep[2100];
	seen got = { 0 };

	memset(deep, '[', 1000);
	memset(deep + 1000, ']', 1000);
	deep[2000] = '\0';
	o.max_depth = 100;
	cr_assert_eq(platci_json_stream_new(&s, &o), 0);
	platci_json_stream_on(s, "[*]", PLATCI_JSON_STREAM_VALUE, 1, on_item, &got);
	cr_assert_eq(feed_all(s, deep, 333, NULL), PLATCI_ELIMIT);
	platci_json_stream_free(s);
}

static int stop_cb(const platci_json_event *ev, void *payload)
{
	(void)ev;
	(void)payload;
	return PLATCI_EDATA;
}

Test(json_stream, callback_errors_stop_the_stream)
{
	platci_json_stream *s = NULL;
	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	platci_json_stream_on(s, "a[*]", PLATCI_JSON_STREAM_VALUE, 1, stop_cb, NULL);
	cr_assert_eq(feed_all(s, "{\"a\": [1, 2]}", 3, NULL), PLATCI_EDATA);
	platci_json_stream_free(s);
}

Test(json_stream, utf8_bom_is_skipped_and_root_type_known)
{
	platci_json_stream *s = NULL;
	json_t *v = NULL;
	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	platci_json_stream_on(s, "", PLATCI_JSON_STREAM_VALUE, 1, on_scalar, &v);
	cr_assert_eq(feed_all(s,
			     "\xEF\xBB\xBF"
			     "null",
			     100, NULL),
		0);
	cr_assert_eq(platci_json_stream_root_type(s), JSON_NULL);
	json_decref(v);
	platci_json_stream_free(s);
}

Test(json_stream, utf16_input_is_named_as_such)
{
	const char *inputs[] = { "\xFF\xFE{\0}\0", "\xFE\xFF\0{\0}", "{\0\"\0" };
	for (size_t i = 0; i < 3; i++) {
		platci_json_stream *s = NULL;
		platci_diag *diag = NULL;
		platci_diag_new(&diag);
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_feed(s, inputs[i], 6, diag), PLATCI_ESYNTAX);
		cr_assert(strstr(platci_diag_at(diag, 0)->message, "UTF-16") != NULL);
		platci_json_stream_free(s);
		platci_diag_free(diag);
	}
}
