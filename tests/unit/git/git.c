#include <unistd.h>

#include "test_helpers.h"

static char *dir;

static void sh(const char *what)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", dir, what);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void setup(void)
{
	dir = th_tmpdir();
	sh("git init -q -b main . && git config user.email t@e && git config user.name t");
	free(th_write(dir, "a.txt", "alpha\nalpha\nalpha\nalpha\n", 24));
	free(th_write(dir, "b.txt", "beta\n", 5));
	free(th_write(dir, "dir/c.txt", "gamma gamma gamma gamma gamma\n", 30));
	sh("git add -A && git commit -qm one");
	sh("git checkout -qb topic");
	free(th_write(dir, "a.txt", "alpha\nalpha\nalpha\nchanged\n", 26));
	free(th_write(dir, "new.txt", "new\n", 4));
	sh("git rm -q b.txt && git mv dir/c.txt dir/moved.txt && git add -A && git commit -qm two");
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(git, .init = setup, .fini = teardown);

Test(git, changes_with_renames_and_deletions)
{
	platci_git *g = NULL;
	platci_changes *ch = NULL;
	char base[PLATCI_GIT_OID_HEX_SIZE];

	cr_assert_eq(platci_git_open(&g, dir, NULL), 0);
	cr_assert_eq(platci_git_merge_base(base, g, "main", "topic", NULL), 0);
	cr_assert_eq(platci_git_changes(&ch, g, base, "topic", NULL), 0);
	cr_assert_eq(platci_changes_count(ch), 4);
	cr_expect_str_eq(platci_changes_get(ch, 0)->path, "a.txt");
	cr_expect_eq(platci_changes_get(ch, 0)->status, PLATCI_CHANGE_MODIFIED);
	cr_expect_str_eq(platci_changes_get(ch, 1)->path, "b.txt");
	cr_expect_eq(platci_changes_get(ch, 1)->status, PLATCI_CHANGE_DELETED);
	cr_expect_str_eq(platci_changes_get(ch, 2)->path, "dir/moved.txt");
	cr_expect_eq(platci_changes_get(ch, 2)->status, PLATCI_CHANGE_RENAMED);
	cr_expect_str_eq(platci_changes_get(ch, 2)->old_path, "dir/c.txt");
	cr_expect_eq(platci_changes_get(ch, 3)->status, PLATCI_CHANGE_ADDED);
	cr_expect_null(platci_changes_get(ch, 4));
	platci_changes_free(ch);
	platci_git_free(g);
}

Test(git, read_file_at_revision)
{
	platci_git *g = NULL;
	platci_buf b = PLATCI_BUF_INIT;

	cr_assert_eq(platci_git_open(&g, dir, NULL), 0);
	cr_assert_eq(platci_git_read_file(&b, g, "main", "b.txt", 0, NULL), 0);
	cr_expect_str_eq(b.ptr, "beta\n");
	cr_expect_eq(platci_git_read_file(&b, g, "topic", "b.txt", 0, NULL), PLATCI_ENOTFOUND);
	cr_expect_eq(platci_git_read_file(&b, g, "main", "dir", 0, NULL), PLATCI_EINVALID);
	cr_expect_eq(platci_git_read_file(&b, g, "main", "a.txt", 3, NULL), PLATCI_ELIMIT);
	platci_buf_dispose(&b);
	platci_git_free(g);
}

Test(git, bad_revisions_and_places)
{
	platci_git *g = NULL;
	platci_diag *diag = NULL;
	char sha[PLATCI_GIT_OID_HEX_SIZE];

	cr_assert_eq(platci_diag_new(&diag), 0);
	cr_assert_eq(platci_git_open(&g, dir, diag), 0);
	cr_expect_eq(platci_git_resolve(sha, g, "no-such-branch", diag), PLATCI_ENOTFOUND);
	cr_expect(strstr(platci_diag_get(diag, 0)->message, "no-such-branch") != NULL);
	cr_expect_eq(platci_git_resolve(sha, g, "", diag), PLATCI_EINVALID);
	cr_expect_eq(platci_git_resolve(sha, g, "HEAD", diag), 0);
	cr_expect_eq(strlen(sha), 40);
	platci_git_free(g);
	cr_expect_eq(platci_git_open(&g, "/", NULL), PLATCI_ENOTFOUND);
	cr_expect(platci_git_is_null_rev("0000000000000000000000000000000000000000"));
	cr_expect(!platci_git_is_null_rev("000"));
	cr_expect(!platci_git_is_null_rev("abc0000000"));
	cr_expect(!platci_git_is_null_rev(NULL));
	platci_diag_free(diag);
}
