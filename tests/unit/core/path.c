#include <unistd.h>
#include "test_helpers.h"

static void norm_is(const char *in, const char *want)
{
	platci_buf b = PLATCI_BUF_INIT;
	cr_assert_eq(platci_path_normalize(&b, in), 0, "normalize %s", in);
	cr_assert_str_eq(b.ptr, want, "normalize %s", in);
	platci_buf_dispose(&b);
}

Test(path, normalizes)
{
	norm_is("a/b/../c", "a/c");
	norm_is("./a//b/", "a/b");
	norm_is("a/..", ".");
	norm_is(".", ".");
}

Test(path, refuses_escapes)
{
	platci_buf b = PLATCI_BUF_INIT;
	cr_assert_eq(platci_path_normalize(&b, "../x"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_normalize(&b, "a/../../x"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_normalize(&b, "/etc/passwd"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_normalize(&b, ""), PLATCI_EINVALID);
	cr_assert_eq(platci_path_join(&b, "gitops/apps", "../../../etc"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_join(&b, "gitops/apps/dev", "../base"), 0);
	cr_assert_str_eq(b.ptr, "gitops/apps/base");
	platci_buf_dispose(&b);
}

Test(path, symlinks_out_of_the_root_are_refused)
{
	char *dir = th_tmpdir();
	char link[512];
	free(th_write(dir, "repo/a/file.yaml", "x", 1));
	th_symlink(dir, "repo/out", "/etc");
	th_symlink(dir, "repo/in", "a");
	snprintf(link, sizeof(link), "%s/repo", dir);
	cr_assert_eq(platci_path_check_inside(link, "a/file.yaml"), 0);
	cr_assert_eq(platci_path_check_inside(link, "in/file.yaml"), 0);
	cr_assert_eq(platci_path_check_inside(link, "out/passwd"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_check_inside(link, "a/missing/deeper"), 0);
	th_rmrf(dir);
	free(dir);
}

Test(path, is_under)
{
	cr_assert(platci_path_is_under("gitops/apps/x.yaml", "gitops/apps"));
	cr_assert(platci_path_is_under("gitops/apps", "gitops/apps/"));
	cr_assert(!platci_path_is_under("gitops/apps2/x", "gitops/apps"));
	cr_assert(platci_path_is_under("anything", "."));
}

Test(path, on_disk_keeps_the_root_as_given)
{
	platci_buf b = PLATCI_BUF_INIT;
	cr_assert_eq(platci_path_on_disk(&b, "/srv/repo", "gitops/./apps//x.yaml"), 0);
	cr_assert_str_eq(b.ptr, "/srv/repo/gitops/apps/x.yaml");
	cr_assert_eq(platci_path_on_disk(&b, "../repo/", "infra"), 0);
	cr_assert_str_eq(b.ptr, "../repo/infra");
	cr_assert_eq(platci_path_on_disk(&b, "/", "etc"), 0);
	cr_assert_str_eq(b.ptr, "/etc");
	cr_assert_eq(platci_path_on_disk(&b, "repo", "."), 0);
	cr_assert_str_eq(b.ptr, "repo");
	cr_assert_eq(platci_path_on_disk(&b, "/srv/repo", "a/../../x"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_on_disk(&b, "/srv/repo", "/etc/passwd"), PLATCI_EUNSAFE);
	cr_assert_eq(platci_path_on_disk(&b, "", "x"), PLATCI_EINVALID);
	platci_buf_dispose(&b);
}
