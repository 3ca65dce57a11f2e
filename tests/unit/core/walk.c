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
		!st                    ? "!"
		: S_ISDIR(st->st_mode) ? "/"
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
	char *dir = th_tmpdir();
	seen s = { "", NULL };
	int calls = 0;

	free(th_write(dir, "t/b/z.yaml", "", 0));
	free(th_write(dir, "t/b/a.yaml", "", 0));
	free(th_write(dir, "t/a.tf", "", 0));
	free(th_write(dir, "t/.hidden/x.yaml", "", 0));
	free(th_write(dir, "t/c/d/e/deep.yaml", "", 0));
	th_symlink(dir, "t/l", "b");

	cr_assert_eq(platci__walk(dir, "t", 64, 0, record, &s), 0);
	cr_assert_str_eq(s.text,
		"t/a.tf t/b/ t/b/a.yaml t/b/z.yaml t/c/ t/c/d/ t/c/d/e/ "
		"t/c/d/e/deep.yaml t/l@");

	s.text[0] = '\0';
	s.skip = "t/b";
	cr_assert_eq(platci__walk(dir, "t", 1, 0, record, &s), 0);
	cr_assert_str_eq(s.text, "t/a.tf t/b/ t/c/ t/c/d/ t/l@", "t/b skipped, depth 1 stops in t/c/d");

	s.text[0] = '\0';
	s.skip = NULL;
	cr_assert_eq(platci__walk(dir, "t/c", 64, 0, record, &s), 0);
	cr_assert_str_eq(s.text, "t/c/d/ t/c/d/e/ t/c/d/e/deep.yaml");

	cr_assert_eq(platci__walk(dir, "missing", 64, 0, record, &s), 0, "a missing folder has nothing");
	cr_assert_eq(platci__walk(dir, "t", 64, 0, stop, &calls), PLATCI_EUSER);
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
	cr_assert_eq(platci__walk(dir, ".", 64, 0, record, &s), 0);
	cr_assert_str_eq(s.text, "sub/ sub/y.yaml x.yaml");
	th_rmrf(dir);
	free(dir);
}

/* HIDDEN reports dot-files (never "." or ".."); depth 0 is one folder. */
Test(walk, hidden_and_depth_0)
{
	char *dir = th_tmpdir();
	seen s = { "", NULL };

	free(th_write(dir, "t/.h/x.yaml", "", 0));
	free(th_write(dir, "t/a.yaml", "", 0));
	cr_assert_eq(platci__walk(dir, "t", 64, PLATCI__WALK_HIDDEN, record, &s), 0);
	cr_assert_str_eq(s.text, "t/.h/ t/.h/x.yaml t/a.yaml");
	s.text[0] = '\0';
	cr_assert_eq(platci__walk(dir, "t", 0, 0, record, &s), 0);
	cr_assert_str_eq(s.text, "t/a.yaml", "depth 0: the start folder's own entries");
	th_rmrf(dir);
	free(dir);
}

/*
 * FOLLOW enters linked folders and sees linked files as what they point
 * at; a link back to a folder the walk is inside (here to the start folder
 * and to a parent) is reported once and not entered: the walk ends.
 */
Test(walk, follow_links_and_cycles)
{
	char *dir = th_tmpdir();
	seen s = { "", NULL };

	free(th_write(dir, "t/a/f.yaml", "", 0));
	free(th_write(dir, "other/o.yaml", "", 0));
	th_symlink(dir, "t/a/up", "..");
	th_symlink(dir, "t/a/self", ".");
	th_symlink(dir, "t/o", "../other");
	th_symlink(dir, "t/g.yaml", "a/f.yaml");
	th_symlink(dir, "t/dangling", "nowhere");

	cr_assert_eq(platci__walk(dir, "t", (size_t)-1, PLATCI__WALK_FOLLOW, record, &s), 0);
	cr_assert_str_eq(s.text, "t/a/ t/a/f.yaml t/a/self/ t/a/up/ t/g.yaml t/o/ t/o/o.yaml",
		"cycles reported once, not entered; a dangling link passed over");
	s.text[0] = '\0';
	cr_assert_eq(platci__walk(dir, "t", (size_t)-1, 0, record, &s), 0);
	cr_assert_str_eq(s.text, "t/a/ t/a/f.yaml t/a/self@ t/a/up@ t/dangling@ t/g.yaml@ t/o@",
		"without FOLLOW links are links");
	th_rmrf(dir);
	free(dir);
}

/* UNLISTED hands a folder that cannot be listed to the callback; STOP ends the walk with 0. */
static int stop_at_b(const char *rel, const char *full, const struct stat *st, void *payload)
{
	int rc = record(rel, full, st, payload);

	return strcmp(rel, "t/b") == 0 ? PLATCI__WALK_STOP : rc;
}

Test(walk, unlisted_and_stop)
{
	char *dir = th_tmpdir();
	seen s = { "", NULL };

	free(th_write(dir, "t/a.yaml", "", 0));
	free(th_write(dir, "t/b/x.yaml", "", 0));
	free(th_write(dir, "t/c.yaml", "", 0));
	free(th_write(dir, "file.yaml", "", 0));
	cr_assert_eq(platci__walk(dir, "missing", 64, PLATCI__WALK_UNLISTED, record, &s), 0);
	cr_assert_str_eq(s.text, "missing!", "the start folder that cannot be listed");
	s.text[0] = '\0';
	cr_assert_eq(platci__walk(dir, "file.yaml", 64, PLATCI__WALK_UNLISTED, record, &s), 0);
	cr_assert_str_eq(s.text, "file.yaml!", "a file is no folder to list");
	s.text[0] = '\0';
	cr_assert_eq(platci__walk(dir, "t", 64, 0, stop_at_b, &s), 0);
	cr_assert_str_eq(s.text, "t/a.yaml t/b/", "nothing after STOP");
	th_rmrf(dir);
	free(dir);
}

/* rmtree removes hidden entries and links (not their targets), and a plain file. */
Test(walk, rmtree)
{
	char *dir = th_tmpdir(), path[512];
	struct stat st;

	free(th_write(dir, "keep/k.yaml", "", 0));
	free(th_write(dir, "t/.h/x.yaml", "", 0));
	free(th_write(dir, "t/a/b/c.yaml", "", 0));
	th_symlink(dir, "t/l", "../keep");
	snprintf(path, sizeof(path), "%s/t", dir);
	cr_assert_eq(platci__rmtree(path, (size_t)-1), 0);
	cr_assert_neq(lstat(path, &st), 0, "t is gone");
	snprintf(path, sizeof(path), "%s/keep/k.yaml", dir);
	cr_assert_eq(lstat(path, &st), 0, "a link's target stays");
	cr_assert_eq(platci__rmtree(path, 0), 0);
	cr_assert_neq(lstat(path, &st), 0, "a file is unlinked");
	cr_assert_eq(platci__rmtree(path, 0), 0, "a missing path is fine");

	free(th_write(dir, "d/1/2/3/f.yaml", "", 0));
	snprintf(path, sizeof(path), "%s/d", dir);
	cr_assert_eq(platci__rmtree(path, 1), PLATCI_EIO, "below max_depth nothing is removed");
	cr_assert_eq(platci__rmtree(path, 3), 0);
	th_rmrf(dir);
	free(dir);
}
