/*
 * The official JSON Schema test suite, draft 4 (tests/draft4 and
 * tests/draft4/optional in ../shared/fixtures/json-schema-test-suite):
 * every case must give the expected answer, except those listed with a
 * reason in suite-skip.txt. A listed case that now passes fails the test,
 * so the list cannot go stale.
 */
#include <dirent.h>

#include "test_helpers.h"

#define SUITE PLATCI_TEST_FIXTURES "/json-schema-test-suite/tests/draft4"
#define SKIPS PLATCI_SOURCE_DIR "/tests/unit/schema/suite-skip.txt"

typedef struct skip {
	char file[320], group[200], test[200];
	int used;
} skip;

typedef struct tally {
	size_t passed, skipped, failed, stale;
	skip skips[128];
	size_t nskips;
} tally;

static void load_skips(tally *t)
{
	FILE *f = fopen(SKIPS, "r");
	char line[1024];

	cr_assert_not_null(f, "cannot read %s", SKIPS);
	while (fgets(line, sizeof(line), f)) {
		char *a = line, *b, *c, *d;
		skip *s;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		b = strstr(a, " | ");
		c = b ? strstr(b + 3, " | ") : NULL;
		d = c ? strstr(c + 3, " | ") : NULL;
		cr_assert(d && t->nskips < 128, "bad skip line: %s", line);
		s = &t->skips[t->nskips++];
		snprintf(s->file, sizeof(s->file), "%.*s", (int)(b - a), a);
		snprintf(s->group, sizeof(s->group), "%.*s", (int)(c - b - 3), b + 3);
		snprintf(s->test, sizeof(s->test), "%.*s", (int)(d - c - 3), c + 3);
		s->used = 0;
	}
	fclose(f);
}

static skip *find_skip(tally *t, const char *file, const char *group, const char *test)
{
	for (size_t i = 0; i < t->nskips; i++) {
		skip *s = &t->skips[i];
		if (!strcmp(s->file, file) && !strcmp(s->group, group) &&
			(!strcmp(s->test, "*") || !strcmp(s->test, test)))
			return s;
	}
	return NULL;
}

static void run_group(tally *t, const char *file, const platci_node *group)
{
	const char *gdesc = platci_node_get_str(group, "description");
	const platci_node *tests = platci_node_get(group, "tests");
	platci_schema *schema = NULL;
	platci_diag *diag = NULL;
	int rc;

	platci_diag_new(&diag);
	rc = platci_schema_compile(&schema, platci_node_get(group, "schema"), NULL, file, NULL, diag);
	for (size_t i = 0; i < platci_node_count(tests); i++) {
		const platci_node *tc = platci_node_item_at(tests, i);
		const char *tdesc = platci_node_get_str(tc, "description");
		int want = platci_node_is(platci_node_get(tc, "valid"), "true");
		skip *s = find_skip(t, file, gdesc, tdesc);
		int got = -1;

		if (rc == 0)
			got = platci_schema_validate(NULL, schema, platci_node_get(tc, "data"),
				      file, NULL) == 0;
		if (s) {
			s->used = 1;
			if (got == want && strcmp(s->test, "*")) {
				t->stale++;
				fprintf(stderr, "STALE SKIP (passes now): %s | %s | %s\n", file,
					gdesc, tdesc);
			}
			t->skipped++;
		} else if (got == want) {
			t->passed++;
		} else {
			char msg[512] = "";
			if (platci_diag_count(diag))
				platci_diag_format(msg, sizeof(msg), platci_diag_at(diag, 0));
			fprintf(stderr, "FAIL %s | %s | %s: want %s, got %s %s\n", file, gdesc,
				tdesc, want ? "valid" : "invalid",
				got < 0 ? "compile error"
				: got   ? "valid"
					: "invalid",
				msg);
			t->failed++;
		}
	}
	platci_schema_free(schema);
	platci_diag_free(diag);
}

static void run_dir(tally *t, const char *dir, const char *prefix)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	cr_assert_geq(n, 0, "cannot list %s", dir);
	for (int i = 0; i < n; i++) {
		char path[1024], file[320];
		size_t len = strlen(names[i]->d_name);
		platci_doc *doc = NULL;
		if (len > 5 && !strcmp(names[i]->d_name + len - 5, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			snprintf(file, sizeof(file), "%s%s", prefix, names[i]->d_name);
			cr_assert_eq(platci_doc_load_json_file(&doc, path, NULL, NULL), 0, "load %s", path);
			for (size_t g = 0; g < platci_node_count(platci_doc_root_at(doc, 0)); g++)
				run_group(t, file, platci_node_item_at(platci_doc_root_at(doc, 0), g));
			platci_doc_free(doc);
		}
		free(names[i]);
	}
	free(names);
}

Test(schema_suite, draft4)
{
	static tally t;

	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at %s", PLATCI_TEST_FIXTURES);
	memset(&t, 0, sizeof(t));
	load_skips(&t);
	run_dir(&t, SUITE, "");
	run_dir(&t, SUITE "/optional", "optional/");
	run_dir(&t, SUITE "/optional/format", "optional/format/");
	for (size_t i = 0; i < t.nskips; i++)
		if (!t.skips[i].used)
			fprintf(stderr, "UNUSED SKIP: %s | %s | %s\n", t.skips[i].file,
				t.skips[i].group, t.skips[i].test);
	fprintf(stderr, "JSON-Schema-Test-Suite draft4: %zu passed, %zu skipped, %zu failed\n",
		t.passed, t.skipped, t.failed);
	cr_assert_eq(t.failed, 0, "%zu suite cases failed (listed above)", t.failed);
	cr_assert_eq(t.stale, 0, "%zu skipped cases pass now: drop them from suite-skip.txt", t.stale);
	for (size_t i = 0; i < t.nskips; i++)
		cr_assert(t.skips[i].used, "suite-skip.txt names a case that does not exist: %s | %s",
			t.skips[i].file, t.skips[i].group);
	cr_assert_gt(t.passed, 800);
}
