#include <dirent.h>
#include <git2.h>
#include <unistd.h>

#include "test_helpers.h"

static char *dir;

/*
 * The repository is built with libgit2 itself (the index is never
 * written and nothing is checked out), so the test runs no child processes and stays clean under
 * valgrind --trace-children.
 */
typedef struct file_spec {
	const char *path, *text;
} file_spec;

static void commit(git_repository *repo, const char *ref, const file_spec *files, size_t n,
	git_commit *parent, git_oid *out)
{
	git_index *idx = NULL;
	git_oid tree_id;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[1] = { parent };

	cr_assert_eq(git_repository_index(&idx, repo), 0);
	cr_assert_eq(git_index_clear(idx), 0);
	for (size_t i = 0; i < n; i++) {
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.mode = GIT_FILEMODE_BLOB;
		e.path = files[i].path;
		cr_assert_eq(git_index_add_from_buffer(idx, &e, files[i].text, strlen(files[i].text)), 0);
	}
	cr_assert_eq(git_index_write_tree_to(&tree_id, idx, repo), 0);
	cr_assert_eq(git_tree_lookup(&tree, repo, &tree_id), 0);
	cr_assert_eq(git_signature_new(&sig, "t", "t@e", 1700000000, 0), 0);
	cr_assert_eq(git_commit_create(out, repo, ref, sig, sig, NULL, "c", tree, parent ? 1 : 0, parents),
		0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
}

static void setup(void)
{
	static const file_spec one[] = {
		{ "a.txt", "alpha\nalpha\nalpha\nalpha\n" },
		{ "b.txt", "beta\n" },
		{ "dir/c.txt", "gamma gamma gamma gamma gamma\n" },
	};
	static const file_spec two[] = {
		{ "a.txt", "alpha\nalpha\nalpha\nchanged\n" },
		{ "dir/moved.txt", "gamma gamma gamma gamma gamma\n" },
		{ "new.txt", "new\n" },
	};
	git_repository *repo = NULL;
	git_commit *c1 = NULL;
	git_oid o1, o2;

	dir = th_tmpdir();
	git_libgit2_init();
	cr_assert_eq(git_repository_init(&repo, dir, 0), 0);
	commit(repo, "refs/heads/main", one, 3, NULL, &o1);
	cr_assert_eq(git_commit_lookup(&c1, repo, &o1), 0);
	commit(repo, "refs/heads/topic", two, 3, c1, &o2);
	cr_assert_eq(git_repository_set_head(repo, "refs/heads/topic"), 0);
	git_commit_free(c1);
	git_repository_free(repo);
	git_libgit2_shutdown();
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
	cr_expect_str_eq(platci_changes_at(ch, 0)->path, "a.txt");
	cr_expect_eq(platci_changes_at(ch, 0)->status, PLATCI_CHANGE_MODIFIED);
	cr_expect_str_eq(platci_changes_at(ch, 1)->path, "b.txt");
	cr_expect_eq(platci_changes_at(ch, 1)->status, PLATCI_CHANGE_DELETED);
	cr_expect_str_eq(platci_changes_at(ch, 2)->path, "dir/moved.txt");
	cr_expect_eq(platci_changes_at(ch, 2)->status, PLATCI_CHANGE_RENAMED);
	cr_expect_str_eq(platci_changes_at(ch, 2)->old_path, "dir/c.txt");
	cr_expect_eq(platci_changes_at(ch, 3)->status, PLATCI_CHANGE_ADDED);
	cr_expect_null(platci_changes_at(ch, 4));
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
	cr_expect(strstr(platci_diag_at(diag, 0)->message, "no-such-branch") != NULL);
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

/* A revision's files land in a folder of their own; the working tree stays as it was. */
Test(git, export_writes_a_revision_without_a_checkout)
{
	platci_git *g = NULL;
	char *out = th_tmpdir(), path[1024];
	size_t len;
	char *text;
	int entries = 0;
	DIR *d;
	struct dirent *de;

	cr_assert_eq(platci_git_open(&g, dir, NULL), 0);
	cr_assert_eq(platci_git_export(g, "main", out, NULL), 0);
	snprintf(path, sizeof(path), "%s/dir/c.txt", out);
	text = th_read(path, &len);
	cr_assert_not_null(text, "dir/c.txt exported");
	cr_expect_str_eq(text, "gamma gamma gamma gamma gamma\n");
	free(text);
	snprintf(path, sizeof(path), "%s/new.txt", out);
	cr_expect_eq(access(path, F_OK), -1, "new.txt is only on topic");
	/* the repository's own folder still holds nothing but .git */
	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		entries += de->d_name[0] != '.';
	closedir(d);
	cr_expect_eq(entries, 0);
	/* into a folder that already holds the files: refused, never overwritten */
	cr_expect_eq(platci_git_export(g, "main", out, NULL), PLATCI_EIO);
	cr_expect_eq(platci_git_export(g, "nope", out, NULL), PLATCI_ENOTFOUND);
	platci_git_free(g);
	th_rmrf(out);
	free(out);
}
