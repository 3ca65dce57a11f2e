/*
 * Every YAML file of the shared fixtures (real Flux repositories and the
 * YAML test suite) through the pin finder: errors are fine, crashes and
 * pins whose bytes are not where they say are not.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>

#include "test_helpers.h"

static size_t files, pins, failed;

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	static const char *const patterns[] = { "*_VERSION", "*", NULL };
	platci_versions_options o = PLATCI_VERSIONS_OPTIONS_INIT;
	platci_versions *set = NULL;
	size_t n = strlen(path), len;
	char *data;

	(void)st;
	(void)ftw;
	if (flag != FTW_F || !((n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
				     (n > 4 && strcmp(path + n - 4, ".yml") == 0)))
		return 0;
	if (!(data = th_read(path, &len)))
		return 0;
	o.substitute_patterns = patterns;
	cr_assert_eq(platci_versions_new(&set, &o), 0);
	files++;
	if (platci_versions_add_data(set, path, "", data, len, NULL) < 0)
		failed++;
	for (size_t i = 0; i < platci_versions_count(set); i++) {
		const platci_pin *p = platci_versions_at(set, i);
		cr_assert_leq(p->end, len, "%s: %s past the end", path, p->key);
		cr_assert_lt(p->start, p->end, "%s: %s empty range", path, p->key);
		if (p->style == PLATCI_STYLE_PLAIN)
			cr_assert_eq(memcmp(data + p->start, p->value, p->end - p->start), 0,
				"%s:%zu: %s bytes are not its value", path, p->line, p->key);
		pins++;
	}
	platci_versions_free(set);
	free(data);
	return 0;
}

Test(versions_corpus, shared_fixtures_never_crash_and_ranges_hold)
{
	if (!th_have_fixtures())
		cr_skip_test("shared fixtures not found at %s", PLATCI_TEST_FIXTURES);
	nftw(PLATCI_TEST_FIXTURES "/gitops", visit, 32, FTW_PHYS);
	nftw(PLATCI_TEST_FIXTURES "/yaml-test-suite", visit, 32, FTW_PHYS);
	nftw(PLATCI_TEST_FIXTURES "/setters", visit, 32, FTW_PHYS);
	cr_assert_gt(files, 100);
	cr_assert_gt(pins, 10, "only %zu pins in %zu files", pins, files);
	cr_log_info("%zu files, %zu pins, %zu unreadable", files, pins, failed);
}
