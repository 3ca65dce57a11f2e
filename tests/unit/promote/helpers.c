#include <stdarg.h>
#include <sys/wait.h>

#include "promote_helpers.h"

int pt_sh(const pt_env *t, const char *fmt, ...)
{
	char cmd[4096], full[4400];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && (%s) >/dev/null 2>&1", t->dir, cmd);
	rc = system(full);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

void pt_setup(pt_env *t, int git)
{
	char cmd[1024];

	memset(t, 0, sizeof(*t));
	t->dir = th_tmpdir();
	snprintf(cmd, sizeof(cmd), "cp -R '%s/.' '%s/'", PT_TREE, t->dir);
	cr_assert_eq(system(cmd), 0);
	if (git)
		cr_assert_eq(pt_sh(t, "git init -q -b main . && git add -A && "
				      "git -c user.name=Init -c user.email=init@example.com commit -qm init"),
			0);
	cr_assert_eq(platci_diag_new(&t->diag), 0);
	snprintf(cmd, sizeof(cmd), "%s/platci.yaml", t->dir);
	cr_assert_eq(platci_config_load(&t->cfg, cmd, NULL, NULL, t->diag), 0);
}

void pt_teardown(pt_env *t)
{
	platci_config_free(t->cfg);
	platci_diag_free(t->diag);
	th_rmrf(t->dir);
	free(t->dir);
}

char *pt_read(const pt_env *t, const char *rel, size_t *len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	return th_read(path, len);
}

void pt_assert_same(const pt_env *t, const char *rel, const char *path)
{
	size_t a_len, b_len;
	char *a = pt_read(t, rel, &a_len), *b = th_read(path, &b_len);

	cr_assert_not_null(a, "%s missing", rel);
	cr_assert_not_null(b, "%s missing", path);
	cr_assert(a_len == b_len && memcmp(a, b, a_len) == 0, "%s differs from %s:\n%s", rel, path, a);
	free(a);
	free(b);
}

platci_promotion *pt_plan(pt_env *t, platci_promote_options *o, int want)
{
	platci_promotion *p = NULL;
	int rc = platci_promotion_plan(&p, t->cfg, o, t->diag);

	cr_assert_eq(rc, want, "plan returned %d (%s), wanted %d", rc, platci_strerror(rc), want);
	if (want == 0)
		cr_assert_not_null(p);
	return p;
}
