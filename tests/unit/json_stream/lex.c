/*
 * The tokenizer under the streaming reader: it must accept exactly the
 * JSON that jansson accepts (RFC 8259), however the input is cut into
 * feeds, and build the same values. jansson is the oracle here: a
 * different, long-used parser.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "test_helpers.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct got {
	json_t *root;
	int scalars;
	char text[256];
} got;

static int count_cb(const platci_json_event *ev, void *payload)
{
	(void)ev;
	(*(int *)payload)++;
	return 0;
}

static int keep_root(const platci_json_event *ev, void *payload)
{
	got *g = payload;
	json_decref(g->root);
	g->root = json_incref(ev->value);
	return 0;
}

/*
 * Streams @p len bytes in feeds of @p chunk; returns the code and the root
 * value in *out. With @p skim, nothing is built: every container below the
 * root is only scanned, as most of a plan is.
 */
/* Feeds @p len bytes in feeds of @p chunk, then finishes: the first error, or 0. */
static int feed_chunks(platci_json_stream *s, const char *data, size_t len, size_t chunk, platci_diag *diag)
{
	int rc = 0;

	for (size_t off = 0; off < len && rc == 0; off += chunk)
		rc = platci_json_stream_feed(s, data + off, len - off < chunk ? len - off : chunk, diag);
	return rc ? rc : platci_json_stream_finish(s, diag);
}

static int stream_as(json_t **out, const char *data, size_t len, size_t chunk, platci_diag *diag, int skim)
{
	platci_json_stream *s = NULL;
	got g = { NULL, 0, "" };
	int rc = 0;

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	cr_assert_eq(platci_json_stream_on(s, skim ? "no.such[*].path" : "",
			     PLATCI_JSON_STREAM_VALUE, 1, keep_root, &g),
		0);
	rc = feed_chunks(s, data, len, chunk, diag);
	platci_json_stream_free(s);
	if (rc < 0) {
		json_decref(g.root);
		g.root = NULL;
	}
	*out = g.root;
	return rc;
}

static int stream(json_t **out, const char *data, size_t len, size_t chunk, platci_diag *diag)
{
	return stream_as(out, data, len, chunk, diag, 0);
}

static json_t *oracle(const char *data, size_t len)
{
	json_error_t err;
	return json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
}

static void agree(const char *data, size_t len)
{
	json_t *want = oracle(data, len);

	for (size_t chunk = 1; chunk <= len + 1; chunk = chunk < 8 ? chunk + 1 : chunk * 2) {
		json_t *v = NULL;
		int rc = stream(&v, data, len, chunk, NULL);
		if (want) {
			cr_assert_eq(rc, 0, "refused valid JSON (feeds of %zu): %.*s", chunk,
				(int)len, data);
			cr_assert(json_equal(v, want), "different value (feeds of %zu): %.*s",
				chunk, (int)len, data);
		} else {
			cr_assert_lt(rc, 0, "accepted invalid JSON (feeds of %zu): %.*s", chunk,
				(int)len, data);
		}
		json_decref(v);
		/* Skimming checks the same grammar. Duplicates are refused only where read. */
		rc = stream_as(&v, data, len, chunk, NULL, 1);
		if (want || strstr(data, "\"a\":1,\"a\"") || strstr(data, "\"k\":1,\"k\""))
			cr_assert(rc == 0 || !want, "skimming refused valid JSON (feeds of %zu): %.*s",
				chunk, (int)len, data);
		else
			cr_assert_lt(rc, 0, "skimming accepted invalid JSON (feeds of %zu): %.*s",
				chunk, (int)len, data);
		json_decref(v);
	}
	json_decref(want);
}

Test(json_lex, accepts_and_refuses_what_rfc8259_says_at_every_cut)
{
	static const char *const cases[] = {
		/* valid */
		"{}",
		"[]",
		"0",
		"-0",
		"12",
		"-12.5e+3",
		"1E-2",
		"0.25",
		"true",
		"false",
		"null",
		"\"\"",
		"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
		"\"\\u00e9\\u20ac\\ud83d\\ude00\"",
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
		" \n\t\r{ \"a\" : [ 1 , 2 ] } \n",
		"{\"a\":{\"b\":{\"c\":[[],[{}],\"x\"]}},\"d\":null}",
		"[1,[2,[3,[4]]]]",
		"\"\\u0000 inside\"",
		"{\"\":0}",
		"[\"a long string that spans many small feeds\"]",
		/* invalid */
		"",
		" ",
		"{",
		"[",
		"}",
		"]",
		"{\"a\"}",
		"{\"a\":}",
		"{\"a\" 1}",
		"{a:1}",
		"[1,]",
		"{\"a\":1,}",
		"[1 2]",
		"01",
		"1.",
		".5",
		"-",
		"+1",
		"1e",
		"1e+",
		"0x10",
		"tru",
		"truex",
		"nul",
		"nulll",
		"True",
		"NaN",
		"Infinity",
		"'a'",
		"\"abc",
		"\"a\nb\"",
		"\"\\x\"",
		"\"\\u12\"",
		"\"\\u12g4\"",
		"\"\\ud800\"",
		"\"\\udc00\"",
		"\"\\ud800\\u0041\"",
		"\"\xff\"",
		"\"\xc3\"",
		"\"\xc0\xaf\"",
		"\"\xed\xa0\x80\"",
		"\"\xf4\x90\x80\x80\"",
		"[1]]",
		"{}{}",
		"1 2",
		"[1] x",
		"{\"a\":1}}",
		"[}",
		"{]",
		"/* c */ 1",
		"[1,\x01]",
		"{\"a\":1,\"a\":2}",
		"[{\"k\":1,\"k\":1}]",
	};

	for (size_t i = 0; i < N_OF(cases); i++)
		agree(cases[i], strlen(cases[i]));
	agree("\"nul\0in\"", 8);
}

/* Deterministic mutations of valid documents: the verdicts must match jansson's. */
Test(json_lex, mutations_get_jansson_verdicts)
{
	static const char *const seeds[] = {
		"{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"a.b\",\"change\":"
		"{\"actions\":[\"update\"],\"before\":{\"x\":1.5e3,\"y\":[true,false,null]},"
		"\"after\":{\"x\":-2,\"t\":\"\\u00e9\\n\"}}}]}",
		"[{\"Target\":\"t\",\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\",\"CVSS\":"
		"{\"nvd\":{\"V3Score\":9.8}}}]}]",
	};
	static const char alphabet[] = "{}[]\":,\\ \n0123456789.-+eEtrufalsn\x01\xc3\xa9\xff";
	unsigned long x = 12345;

	for (size_t s = 0; s < N_OF(seeds); s++) {
		size_t n = strlen(seeds[s]);
		char *buf = malloc(n + 8);
		for (int round = 0; round < 3000; round++) {
			size_t len = n;
			memcpy(buf, seeds[s], n);
			for (int k = 0; k < 1 + round % 3; k++) {
				x = x * 6364136223846793005ul + 1442695040888963407ul;
				size_t at = (x >> 33) % len;
				char c = alphabet[(x >> 17) % (sizeof(alphabet) - 1)];
				switch ((x >> 11) % 3) {
				case 0:
					buf[at] = c;
					break;
				case 1:
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
					break;
				default:
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = c;
					len++;
					break;
				}
			}
			{
				json_t *want = oracle(buf, len), *v = NULL;
				int rc = stream(&v, buf, len, 1 + round % 17, NULL);
				cr_assert_eq(rc == 0, want != NULL, "verdicts differ (jansson %s): %.*s",
					want ? "accepts" : "refuses", (int)len, buf);
				if (want)
					cr_assert(json_equal(v, want), "values differ: %.*s",
						(int)len, buf);
				json_decref(v);
				/* skimmed: the same verdict unless a duplicate key was all jansson saw */
				rc = stream_as(&v, buf, len, 1 + round % 13, NULL, 1);
				if (want)
					cr_assert_eq(rc, 0, "skimming refused: %.*s", (int)len, buf);
				else if (rc == 0)
					cr_assert_not_null(json_loadb(buf, len,
								   JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL),
						"skimming accepted: %.*s", (int)len, buf);
				json_decref(want);
				json_decref(v);
			}
		}
		free(buf);
	}
}

static void compare_file(const char *path)
{
	size_t len = 0;
	char *data = th_read(path, &len);
	json_t *want, *v = NULL;
	int rc;

	if (!data)
		return;
	want = oracle(data, len);
	rc = stream(&v, data, len, 4093, NULL);
	/* jansson refuses integers beyond 64 bits; the stream keeps them as reals */
	if (want) {
		cr_assert_eq(rc, 0, "%s: refused, jansson reads it", path);
		cr_assert(json_equal(v, want), "%s: different values", path);
	} else if (rc == 0) {
		json_error_t err;
		json_decref(json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err));
		cr_assert(strstr(err.text, "too big") != NULL || strstr(err.text, "BOM") != NULL,
			"%s: accepted, jansson says %s", path, err.text);
	}
	json_decref(want);
	json_decref(v);
	free(data);
}

static void walk(const char *dir, int depth, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d || depth > 8) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path, depth + 1, files);
		else if ((n > 5 && strcmp(de->d_name + n - 5, ".json") == 0) ||
			 (n > 12 && strcmp(de->d_name + n - 12, ".json.golden") == 0)) {
			compare_file(path);
			(*files)++;
		}
	}
	closedir(d);
}

/* Differential: every JSON file of the shared fixtures, the same values as jansson's DOM. */
Test(json_lex, every_fixture_gives_the_values_jansson_gives, .timeout = 240)
{
	size_t files = 0;

	if (!th_have_fixtures())
		cr_skip_test("the shared fixtures folder is absent");
	walk(PLATCI_TEST_FIXTURES, 0, &files);
	cr_assert_gt(files, 100, "only %zu fixture files found", files);
}

Test(json_lex, errors_say_where)
{
	static const struct {
		const char *json;
		size_t line, column;
		const char *says;
	} cases[] = {
		{ "{\n  \"a\": [1,\n   x]}", 3, 4, "expected a value" },
		{ "{\"a\": \"b\\q\"}", 1, 9, "invalid escape" },
		{ "[1,\n2,\n\"ok\",\n\"\xff\"]", 4, 2, "not UTF-8" },
		{ "{\"a\": 1}\n{", 2, 1, "more data after the end" },
		{ "[1, 2", 1, 6, "truncated" },
		{ "{\n\"k\": 1,\n \"k\": 2}", 3, 2, "duplicate key \"k\"" },
	};

	for (size_t i = 0; i < N_OF(cases); i++) {
		for (size_t chunk = 1; chunk < 40; chunk += 3) {
			platci_diag *diag = NULL;
			json_t *v = NULL;
			const platci_diag_entry *e;
			cr_assert_eq(platci_diag_new(&diag), 0);
			cr_assert_lt(stream(&v, cases[i].json, strlen(cases[i].json), chunk, diag), 0);
			cr_assert_geq(platci_diag_count(diag), 1);
			e = platci_diag_at(diag, 0);
			cr_assert(strstr(e->message, cases[i].says) != NULL, "\"%s\" lacks \"%s\"",
				e->message, cases[i].says);
			cr_assert_eq(e->line, cases[i].line, "%s: line %zu", e->message, e->line);
			cr_assert_eq(e->column, cases[i].column, "%s: column %zu", e->message, e->column);
			platci_diag_free(diag);
		}
	}
}

/* Long strings in skipped containers, cut anywhere, escapes and UTF-8 included. */
Test(json_lex, skipped_strings_are_checked_across_every_cut)
{
	const char *piece = "ab\\\"\\u00e9\\ud83d\\ude00\xc3\xa9\xf0\x9f\x98\x80xyz";
	platci_buf ok = PLATCI_BUF_INIT, bad = PLATCI_BUF_INIT;

	platci_buf_puts(&ok, "{\"skip\":[\"");
	for (int i = 0; i < 40; i++)
		platci_buf_puts(&ok, piece);
	platci_buf_puts(&ok, "\",{\"k\":\"");
	for (int i = 0; i < 40; i++)
		platci_buf_puts(&ok, piece);
	platci_buf_puts(&ok, "\"}],\"n\":1}");
	platci_buf_put(&bad, ok.ptr, ok.size);
	bad.ptr[ok.size / 2] = '\x01'; /* a raw control character deep in a skipped string */
	for (size_t chunk = 1; chunk < 64; chunk++) {
		json_t *v = NULL;
		cr_assert_eq(stream_as(&v, ok.ptr, ok.size, chunk, NULL, 1), 0, "feeds of %zu", chunk);
		json_decref(v);
		cr_assert_lt(stream_as(&v, bad.ptr, bad.size, chunk, NULL, 1), 0, "feeds of %zu", chunk);
		json_decref(v);
	}
	platci_buf_dispose(&ok);
	platci_buf_dispose(&bad);
}

/* A huge string nobody reads costs no memory: the limit applies only to tokens that are read. */
Test(json_lex, a_huge_skipped_string_is_no_token_to_keep)
{
	platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_json_stream *s = NULL;
	platci_buf b = PLATCI_BUF_INIT;
	int n = 0;

	o.max_value_bytes = 1024;
	platci_buf_puts(&b, "{\"big\":\"");
	for (int i = 0; i < 20000; i++)
		platci_buf_puts(&b, "0123456789");
	platci_buf_puts(&b, "\",\"k\":\"v\"}");
	cr_assert_eq(platci_json_stream_new(&s, &o), 0);
	cr_assert_eq(platci_json_stream_on(s, "k", PLATCI_JSON_STREAM_SCALAR, 1, count_cb, &n), 0);
	for (size_t off = 0; off < b.size; off += 4096)
		cr_assert_eq(platci_json_stream_feed(s, b.ptr + off,
				     b.size - off < 4096 ? b.size - off : 4096, NULL),
			0);
	cr_assert_eq(platci_json_stream_finish(s, NULL), 0);
	cr_assert_eq(n, 1);
	platci_json_stream_free(s);
	/* the same string read by a subscription is refused past the limit */
	n = 0;
	cr_assert_eq(platci_json_stream_new(&s, &o), 0);
	cr_assert_eq(platci_json_stream_on(s, "big", PLATCI_JSON_STREAM_SCALAR, 1, count_cb, &n), 0);
	cr_assert_eq(platci_json_stream_feed(s, b.ptr, 4096, NULL), PLATCI_ELIMIT);
	platci_json_stream_free(s);
	platci_buf_dispose(&b);
}

static int on_third(const platci_json_event *ev, void *payload)
{
	cr_assert_eq(ev->index, 2);
	cr_assert_eq(ev->text_len, 1);
	cr_assert_eq(ev->text[0], 'x');
	(*(int *)payload)++;
	return 0;
}

/* Unread strings cut by feeds still take their place in an array. */
Test(json_lex, unread_strings_keep_their_place)
{
	platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_json_stream *s = NULL;
	platci_buf b = PLATCI_BUF_INIT;
	int n = 0;

	o.max_value_bytes = 100;
	platci_buf_puts(&b, "[\"");
	for (int i = 0; i < 2000; i++)
		platci_buf_puts(&b, "abc\\n");
	platci_buf_puts(&b, "\",\"");
	for (int i = 0; i < 2000; i++)
		platci_buf_puts(&b, "\\u00e9");
	platci_buf_puts(&b, "\",\"x\"]");
	for (size_t chunk = 7; chunk < 5000; chunk = chunk * 3 + 1) {
		n = 0;
		cr_assert_eq(platci_json_stream_new(&s, &o), 0);
		cr_assert_eq(platci_json_stream_on(s, "[2]", PLATCI_JSON_STREAM_SCALAR, 1, on_third, &n), 0);
		cr_assert_eq(feed_chunks(s, b.ptr, b.size, chunk, NULL), 0, "feeds of %zu", chunk);
		cr_assert_eq(n, 1, "feeds of %zu", chunk);
		platci_json_stream_free(s);
	}
	platci_buf_dispose(&b);
}

/* ---- what the readers build on -------------------------------------------------------------- */

static int on_field(const platci_json_event *ev, void *payload)
{
	got *g = payload;
	size_t n = strlen(g->text);
	g->scalars++;
	cr_assert_null(ev->value);
	snprintf(g->text + n, sizeof(g->text) - n, "%s=%.*s/%d;", ev->key ? ev->key : "#",
		(int)ev->text_len, ev->text, ev->type);
	return 0;
}

Test(json_lex, scalars_arrive_as_tokens_without_values)
{
	const char *json =
		"{\"items\":[{\"k\":\"a\\u00e9\",\"n\":12,\"r\":1.5,\"b\":true,\"z\":null,"
		"\"o\":{\"deep\":1}},{\"k\":\"b\"}]}";
	for (size_t chunk = 1; chunk <= strlen(json); chunk++) {
		platci_json_stream *s = NULL;
		got g = { NULL, 0, "" };
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_on(s, "items[*].*", PLATCI_JSON_STREAM_SCALAR, 1,
				     on_field, &g),
			0);
		cr_assert_eq(feed_chunks(s, json, strlen(json), chunk, NULL), 0);
		cr_assert_str_eq(g.text, "k=a\xc3\xa9/2;n=12/3;r=1.5/4;b=true/5;z=null/7;k=b/2;");
		platci_json_stream_free(s);
	}
}

typedef struct pick {
	int entered, built;
	json_int_t sum;
	int exits;
} pick;

/* Builds only odd elements; the even ones are still seen by the field subscription. */
static int on_pick(const platci_json_event *ev, void *payload)
{
	pick *p = payload;
	if (ev->kind == PLATCI_JSON_STREAM_ENTER)
		return p->entered++ % 2 ? 0 : PLATCI_JSON_STREAM_NO_VALUE;
	if (ev->kind == PLATCI_JSON_STREAM_EXIT) {
		p->exits++;
		return 0;
	}
	p->built++;
	p->sum += json_integer_value(json_object_get(ev->value, "n"));
	return 0;
}

static int on_n(const platci_json_event *ev, void *payload)
{
	(*(int *)payload)++;
	cr_assert_eq(ev->type, JSON_INTEGER);
	return 0;
}

Test(json_lex, an_enter_callback_can_decline_the_value)
{
	const char *json = "{\"a\":[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4}]}";
	platci_json_stream *s = NULL;
	pick p = { 0, 0, 0, 0 };
	int fields = 0;

	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	cr_assert_eq(platci_json_stream_on(s, "a[*]",
			     PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE | PLATCI_JSON_STREAM_EXIT,
			     1, on_pick, &p),
		0);
	cr_assert_eq(platci_json_stream_on(s, "a[*].n", PLATCI_JSON_STREAM_SCALAR, 2, on_n, &fields), 0);
	cr_assert_eq(platci_json_stream_feed(s, json, strlen(json), NULL), 0);
	cr_assert_eq(platci_json_stream_finish(s, NULL), 0);
	cr_assert_eq(p.entered, 4);
	cr_assert_eq(p.built, 2);
	cr_assert_eq(p.sum, 2 + 4);
	cr_assert_eq(p.exits, 4);
	cr_assert_eq(fields, 2, "the declined elements' fields come one by one");
	platci_json_stream_free(s);
}

typedef struct texts {
	char all[512]; /* "key|index|type|text;" per text delivery */
	int exits, fields;
} texts;

/* Elements at even positions as text, odd ones built; an element's "skip" member declined. */
static int on_text(const platci_json_event *ev, void *payload)
{
	texts *t = payload;
	size_t n = strlen(t->all);

	if (ev->kind == PLATCI_JSON_STREAM_ENTER)
		return ev->index % 2 ? 0 : PLATCI_JSON_STREAM_TEXT;
	if (ev->kind == PLATCI_JSON_STREAM_EXIT) {
		t->exits++;
		return 0;
	}
	if (ev->value) {
		char *dump = json_dumps(ev->value, JSON_COMPACT | JSON_SORT_KEYS);
		snprintf(t->all + n, sizeof(t->all) - n, "built:%s;", dump);
		free(dump);
		return 0;
	}
	cr_assert_not_null(ev->text);
	snprintf(t->all + n, sizeof(t->all) - n, "%zu|%s|%.*s;", ev->index,
		ev->type == JSON_OBJECT ? "o" : "a", (int)ev->text_len, ev->text);
	return 0;
}

static int on_text_field(const platci_json_event *ev, void *payload)
{
	(void)ev;
	((texts *)payload)->fields++;
	return 0;
}

/*
 * PLATCI_JSON_STREAM_TEXT: the container's bytes exactly as written
 * (whitespace, escapes and the order of its keys kept), whatever the feeds
 * cut it into, with its EXIT after; nothing inside reaches other
 * subscriptions; the limit on a value holds for the text too.
 */
Test(json_lex, an_enter_callback_can_ask_for_the_text)
{
	const char *json =
		"{\"a\":[{\"z\": 1, \"a\":\"\\u00e9\\\"}\"}, {\"n\":2},\n"
		"[1, [2, {\"q\":[]}]], {\"n\":4}, {}]}";
	const char *want =
		"0|o|{\"z\": 1, \"a\":\"\\u00e9\\\"}\"};built:{\"n\":2};"
		"2|a|[1, [2, {\"q\":[]}]];built:{\"n\":4};4|o|{};";

	for (size_t chunk = 1; chunk <= strlen(json); chunk++) {
		platci_json_stream *s = NULL;
		texts t = { "", 0, 0 };
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_on(s, "a[*]",
				     PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE | PLATCI_JSON_STREAM_EXIT,
				     1, on_text, &t),
			0);
		cr_assert_eq(platci_json_stream_on(s, "a[*].z", PLATCI_JSON_STREAM_SCALAR, 2,
				     on_text_field, &t),
			0);
		cr_assert_eq(feed_chunks(s, json, strlen(json), chunk, NULL), 0, "chunk %zu", chunk);
		cr_assert_str_eq(t.all, want, "chunk %zu", chunk);
		cr_assert_eq(t.exits, 5);
		cr_assert_eq(t.fields, 0, "a member of a text container is not delivered on its own");
		platci_json_stream_free(s);
	}
	{
		/* the text is checked as JSON: an error inside it is the stream's, with its place */
		const char *bad = "{\"a\":[{\"z\":01}]}";
		platci_json_stream *s = NULL;
		platci_diag *diag = NULL;
		texts t = { "", 0, 0 };
		cr_assert_eq(platci_diag_new(&diag), 0);
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_on(s, "a[*]",
				     PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE, 1, on_text, &t),
			0);
		cr_assert_eq(platci_json_stream_feed(s, bad, strlen(bad), diag), PLATCI_ESYNTAX);
		cr_assert_eq(platci_diag_at(diag, 0)->column, 12);
		cr_assert_str_eq(t.all, "");
		platci_json_stream_free(s);
		platci_diag_free(diag);
	}
	{
		/* the limit on one value holds for a text as for a built value */
		platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
		platci_json_stream *s = NULL;
		texts t = { "", 0, 0 };
		const char *big = "{\"a\":[[\"0123456789\",\"0123456789\",\"0123456789\"]]}";
		o.max_value_bytes = 20;
		cr_assert_eq(platci_json_stream_new(&s, &o), 0);
		cr_assert_eq(platci_json_stream_on(s, "a[*]",
				     PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE, 1, on_text, &t),
			0);
		cr_assert_eq(platci_json_stream_feed(s, big, strlen(big), NULL), PLATCI_ELIMIT);
		platci_json_stream_free(s);
	}
}

/* Duplicates in objects the reader looks into are refused; elsewhere only the syntax is checked. */
Test(json_lex, duplicate_keys_where_they_matter)
{
	static const struct {
		const char *json;
		int refused;
	} cases[] = {
		{ "{\"a\":[{\"n\":1}],\"a\":[]}", 1 }, /* a tracked object */
		{ "{\"a\":[{\"n\":1,\"m\":2,\"n\":3}]}", 1 }, /* a built value */
		{ "{\"a\":[{\"x\":{\"q\":1,\"q\":2}}]}", 1 }, /* deep inside a built value */
		{ "{\"a\":[],\"skip\":{\"q\":1,\"q\":2}}", 0 }, /* read by nobody */
		{ "{\"a\":[{\"N\":1,\"n\":1}]}", 0 }, /* case differs: not the same key */
		{ "{\"a\":[{\"n\\u0061\":1,\"na\":1}]}", 1 }, /* the same key once decoded */
	};

	for (size_t i = 0; i < N_OF(cases); i++) {
		platci_json_stream *s = NULL;
		platci_diag *diag = NULL;
		int n = 0, rc;
		cr_assert_eq(platci_diag_new(&diag), 0);
		cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
		cr_assert_eq(platci_json_stream_on(s, "a[*]", PLATCI_JSON_STREAM_VALUE, 1, count_cb, &n), 0);
		rc = platci_json_stream_feed(s, cases[i].json, strlen(cases[i].json), diag);
		if (rc == 0)
			rc = platci_json_stream_finish(s, diag);
		if (cases[i].refused) {
			cr_assert_eq(rc, PLATCI_ESYNTAX, "%s", cases[i].json);
			cr_assert_eq(platci_diag_at(diag, 0)->code, PLATCI_EDUPLICATE);
		} else {
			cr_assert_eq(rc, 0, "%s", cases[i].json);
		}
		platci_json_stream_free(s);
		platci_diag_free(diag);
	}
}

/* An object with many keys (outputs, variables) grows its key set. */
Test(json_lex, many_keys_in_one_object)
{
	platci_buf b = PLATCI_BUF_INIT;
	platci_json_stream *s = NULL;
	int n = 0;

	platci_buf_puts(&b, "{\"o\":{");
	for (int i = 0; i < 5000; i++)
		platci_buf_printf(&b, "%s\"key-%d\":%d", i ? "," : "", i, i);
	platci_buf_puts(&b, ",\"key-4321\":0}}");
	cr_assert_eq(platci_json_stream_new(&s, NULL), 0);
	cr_assert_eq(platci_json_stream_on(s, "o.*", PLATCI_JSON_STREAM_SCALAR, 1, count_cb, &n), 0);
	cr_assert_eq(platci_json_stream_feed(s, b.ptr, b.size, NULL), PLATCI_ESYNTAX);
	cr_assert_eq(n, 5000);
	platci_json_stream_free(s);
	platci_buf_dispose(&b);
}
