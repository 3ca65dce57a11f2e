/* Child processes: no shell, stdout and stderr apart, exit codes, a deadline, an output cap. */
#include <sys/stat.h>

#include "test_helpers.h"

static const char *const env[] = { "PATH=/usr/bin:/bin", "LANG=C", NULL };

Test(render_exec, output_and_exit_code)
{
	const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	platci_render_run run;

	cr_assert_eq(platci_render_exec(&run, argv, env, 10000, 0), 0);
	cr_expect_str_eq(run.out.ptr, "out\n");
	cr_expect_str_eq(run.err.ptr, "err\n");
	cr_expect_eq(run.exit_code, 3);
	cr_expect_eq(run.timed_out, 0);
	platci_render_run_dispose(&run);
}

Test(render_exec, environment_is_what_we_pass)
{
	const char *argv[] = { "/usr/bin/env", NULL };
	const char *none[] = { NULL };
	platci_render_run run;

	cr_assert_eq(platci_render_exec(&run, argv, none, 10000, 0), 0);
	cr_expect_str_eq(run.out.ptr, "");
	platci_render_run_dispose(&run);
}

Test(render_exec, timeout_kills)
{
	const char *argv[] = { "/bin/sleep", "30", NULL };
	platci_render_run run;

	cr_assert_eq(platci_render_exec(&run, argv, env, 200, 0), 0);
	cr_expect_eq(run.timed_out, 1);
	cr_expect_eq(run.exit_code, -1);
	platci_render_run_dispose(&run);
}

Test(render_exec, output_cap)
{
	const char *argv[] = { "/usr/bin/yes", NULL };
	platci_render_run run;

	cr_expect_eq(platci_render_exec(&run, argv, env, 10000, 100000), PLATCI_ELIMIT);
	platci_render_run_dispose(&run);
}

Test(render_exec, bad_programs)
{
	const char *rel[] = { "sh", NULL };
	const char *missing[] = { "/nonexistent/tool", NULL };
	platci_render_run run;
	int e;

	cr_expect_eq(platci_render_exec(&run, rel, env, 1000, 0), PLATCI_EINVALID);
	e = platci_render_exec(&run, missing, env, 1000, 0);
	/* posix_spawn reports a missing program either at once or as exit 127 */
	cr_expect(e == PLATCI_EIO || run.exit_code == 127);
	platci_render_run_dispose(&run);
}

Test(render_tools, find_in_path)
{
	platci_render_tools t;
	char *dir = th_tmpdir();
	char *p;

	cr_assert_eq(platci_render_tools_find(&t, "", NULL, NULL), 0);
	cr_expect_str_eq(t.kustomize, "");
	cr_expect_str_eq(t.helm, "");
	cr_expect_str_eq(t.tmp_dir, "/tmp");
	/* a relative PATH entry is never searched */
	cr_assert_eq(platci_render_tools_find(&t, ".:relative/bin", "/var/tmp", NULL), 0);
	cr_expect_str_eq(t.kustomize, "");
	cr_expect_str_eq(t.tmp_dir, "/var/tmp");
	/* a kustomize that prints its version */
	p = th_write(dir, "kustomize", "#!/bin/sh\necho v5.9.1\n", 21);
	chmod(p, 0755);
	cr_assert_eq(platci_render_tools_find(&t, dir, NULL, NULL), 0);
	cr_expect_str_eq(t.kustomize, p);
	cr_expect_eq(t.kustomize_is_kubectl, 0);
	cr_expect_str_eq(t.kustomize_version, "v5.9.1");
	free(p);
	th_rmrf(dir);
	free(dir);
}

Test(render_tools, versions_cached_per_binary)
{
	char *dir = th_tmpdir(), *cache = th_tmpdir(), *p, *log, script[512];
	platci_render_tools t;
	size_t n = 0;

	log = th_write(dir, "calls", "", 0);
	snprintf(script, sizeof(script), "#!/bin/sh\necho called >> %s\necho v5.9.1\n", log);
	p = th_write(dir, "kustomize", script, strlen(script));
	chmod(p, 0755);
	cr_assert_eq(platci_render_tools_find(&t, dir, NULL, cache), 0);
	cr_assert_eq(platci_render_tools_find(&t, dir, NULL, cache), 0);
	cr_expect_str_eq(t.kustomize_version, "v5.9.1");
	free(th_read(log, &n));
	cr_expect_eq(n, strlen("called\n"), "the second run asks the cache, not the binary");
	free(p);
	free(log);
	th_rmrf(dir);
	th_rmrf(cache);
	free(dir);
	free(cache);
}
