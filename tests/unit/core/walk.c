#include <unistd.h>
#include "test_helpers.h"
#include "util/walk.h"

typedef struct seen {
	char text[2048];
	const char *skip; /* a folder to leave out */
} seen;

static int record(const char *rel, const char *full, const struct stat *st, void *payload)
{
	seen *s = payload;
	size_t n = strlen(s->text);

	cr_assert(strstr(full, rel) != NULL, "%s is not inside %s", rel, full);
	snprintf(s->text + n, sizeof(s->text) - n, "%s%s%s", n ? " " : "", rel,
		S_ISDIR(st->st_mode)   ? "/"
		: S_ISLNK(st->st_mode) ? "@"
				       : "");
	return s->skip && strcmp(rel, s->skip) == 0 ? PLATCI__WALK_SKIP : 0;
}

static int stop(const char *rel, const char *full, const struct stat *st, void *payload)
{
	(void)full;
	(void)st;
	(*(int *)payload)++;
	return strcmp(rel, "t/b") == 0 ? PLATCI_EUSER : 0;
}

/* Depth first, each folder in name order, dot-files out, links seen but not entered. */
Test(walk, order_skips_links_and_depth)
{
	char *dir = th_tmpdir(), link[512];
	seen s = { "", NULL };
	int calls = 0;

	free(th_write(dir, "t/b/z.yaml", "", 0));
	free(th_write(dir, "t/b/a.yaml", "", 0));
	free(th_write(dir, "t/a.tf", "", 0));
	free(th_write(dir, "t/.hidden/x.yaml", "", 0));
	free(th_write(dir, "t/c/d/e/deep.yaml", "", 0));
	snprintf(link, sizeof(link), "%s/t/l", dir);
	cr_assert_eq(symlink("b", link), 0);

	cr_assert_eq(platci__walk(dir, "t", 64, record, &s), 0);
	cr_assert_str_eq(s.text,
		"t/a.tf t/b/ t/b/a.yaml t/b/z.yaml t/c/ t/c/d/ t/c/d/e/ "
		"t/c/d/e/deep.yaml t/l@");

	s.text[0] = '\0';
	s.skip = "t/b";
	cr_assert_eq(platci__walk(dir, "t", 1, record, &s), 0);
	cr_assert_str_eq(s.text, "t/a.tf t/b/ t/c/ t/c/d/ t/l@", "t/b skipped, depth 1 stops in t/c/d");

	s.text[0] = '\0';
	s.skip = NULL;
	cr_assert_eq(platci__walk(dir, "t/c", 64, record, &s), 0);
	cr_assert_str_eq(s.text, "t/c/d/ t/c/d/e/ t/c/d/e/deep.yaml");

	cr_assert_eq(platci__walk(dir, "missing", 64, record, &s), 0, "a missing folder has nothing");
	cr_assert_eq(platci__walk(dir, "t", 64, stop, &calls), PLATCI_EUSER);
	cr_assert_eq(calls, 2, "the callback's error stops the walk");
	th_rmrf(dir);
	free(dir);
}

Test(walk, the_root_itself)
{
	char *dir = th_tmpdir();
	seen s = { "", NULL };

	free(th_write(dir, "x.yaml", "", 0));
	free(th_write(dir, "sub/y.yaml", "", 0));
	cr_assert_eq(platci__walk(dir, ".", 64, record, &s), 0);
	cr_assert_str_eq(s.text, "sub/ sub/y.yaml x.yaml");
	th_rmrf(dir);
	free(dir);
}
