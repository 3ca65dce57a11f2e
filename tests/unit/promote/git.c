#include <git2.h>

#include "promote_helpers.h"

static platci_promotion *plan_stg_prd(pt_env *t, const char *rollback)
{
	platci_promote_options o;

	platci_promote_options_init(&o, PLATCI_PROMOTE_OPTIONS_VERSION);
	o.from = rollback ? NULL : "stg-uaenorth";
	o.to = "prd-uaenorth";
	o.drop_digest = 1;
	o.rollback_to = rollback;
	return pt_plan(t, &o, 0);
}

static void git_opts(platci_promote_git_options *g)
{
	platci_promote_git_options_init(g, PLATCI_PROMOTE_GIT_OPTIONS_VERSION);
	g->author_name = "Release Manager";
	g->author_email = "rm@example.com";
	g->when = 1767225600;
}

static char *head_short(pt_env *t)
{
	char cmd[512];
	FILE *f;
	static char out[64];

	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse --short=8 HEAD", t->dir);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(out, sizeof(out), f));
	pclose(f);
	out[strcspn(out, "\n")] = '\0';
	return out;
}

Test(promote_git, commit_on_a_branch_then_idempotent)
{
	platci_promote_git_options g;
	platci_buf branch = PLATCI_BUF_INIT, commit = PLATCI_BUF_INIT, want = PLATCI_BUF_INIT;
	platci_promotion *p;
	pt_env t;
	int created = -1;

	pt_setup(&t, 1);
	git_opts(&g);
	platci_buf_printf(&want, "promote/stg-uaenorth-to-prd-uaenorth/%s", head_short(&t));
	p = plan_stg_prd(&t, NULL);
	cr_assert_eq(platci_promote_commit(&branch, &commit, &created, p, &g, t.diag), 0);
	cr_assert_eq(created, 1);
	cr_assert_str_eq(branch.ptr, want.ptr);
	cr_assert_eq(strlen(commit.ptr), 40);
	/* HEAD is on the branch, the work tree is clean, one commit with the author given. */
	cr_assert_eq(pt_sh(&t, "test \"$(git symbolic-ref --short HEAD)\" = '%s'", want.ptr), 0);
	cr_assert_eq(pt_sh(&t, "test -z \"$(git status --porcelain)\""), 0);
	cr_assert_eq(pt_sh(&t, "test \"$(git rev-list --count HEAD)\" = 2"), 0);
	cr_assert_eq(pt_sh(&t,
			     "git log -1 --format='%%an <%%ae> %%at' | "
			     "grep -qx 'Release Manager <rm@example.com> 1767225600'"),
		0);
	cr_assert_eq(pt_sh(&t,
			     "git log -1 --format=%%B | grep -q "
			     "'image:ghcr.io/acme/web.newTag: 1.4.0 -> 1.5.0'"),
		0);
	pt_assert_same(&t, "gitops/apps/prd-uaenorth/kustomization.yaml",
		PT_EXPECTED "/gitops/apps/prd-uaenorth/kustomization.yaml");
	cr_assert_eq(pt_sh(&t, "git diff --quiet HEAD~1 -- gitops/apps/stg-uaenorth"), 0);
	platci_promotion_free(p);

	/* Twice: nothing to promote. */
	p = plan_stg_prd(&t, NULL);
	cr_assert_eq(platci_promotion_count(p), 0);
	platci_promotion_free(p);

	/* Back on main, the same promotion finds its branch and makes nothing new. */
	cr_assert_eq(pt_sh(&t, "git checkout -q main"), 0);
	p = plan_stg_prd(&t, NULL);
	platci_buf_clear(&branch);
	platci_buf_clear(&commit);
	cr_assert_eq(platci_promote_commit(&branch, &commit, &created, p, &g, t.diag), 0);
	cr_assert_eq(created, 0);
	cr_assert_eq(pt_sh(&t, "test \"$(git rev-parse '%s')\" = '%s'", want.ptr, commit.ptr), 0);
	cr_assert_eq(pt_sh(&t, "test \"$(git symbolic-ref --short HEAD)\" = main"), 0);
	platci_promotion_free(p);

	/* The same branch name with other contents is not overwritten. */
	{
		const char *only[] = { "web", NULL };
		platci_promote_options o;
		platci_promote_options_init(&o, PLATCI_PROMOTE_OPTIONS_VERSION);
		o.from = "stg-uaenorth";
		o.to = "prd-uaenorth";
		o.only = only;
		p = pt_plan(&t, &o, 0);
		platci_buf_clear(&branch);
		cr_assert_eq(platci_promote_commit(&branch, NULL, NULL, p, &g, t.diag), PLATCI_EEXISTS);
		platci_promotion_free(p);
	}
	platci_buf_dispose(&branch);
	platci_buf_dispose(&commit);
	platci_buf_dispose(&want);
	pt_teardown(&t);
}

Test(promote_git, uncommitted_changes_in_a_target_file_are_refused)
{
	platci_promote_git_options g;
	platci_buf branch = PLATCI_BUF_INIT;
	platci_promotion *p;
	pt_env t;

	pt_setup(&t, 1);
	git_opts(&g);
	cr_assert_eq(pt_sh(&t, "echo '# local edit' >> gitops/apps/prd-uaenorth/web-patch.yaml"), 0);
	p = plan_stg_prd(&t, NULL);
	cr_assert_eq(platci_promote_commit(&branch, NULL, NULL, p, &g, t.diag), PLATCI_ECONFLICT);
	cr_assert_eq(pt_sh(&t, "test \"$(git branch --list 'promote/*')\" = ''"), 0);
	cr_assert_eq(pt_sh(&t, "git diff --quiet -- gitops/apps/prd-uaenorth/kustomization.yaml"),
		0, "a file was written although the commit was refused");
	platci_promotion_free(p);
	platci_buf_dispose(&branch);
	pt_teardown(&t);
}

Test(promote_git, rollback_restores_the_pins_of_a_revision)
{
	platci_promote_git_options g;
	platci_buf branch = PLATCI_BUF_INIT;
	platci_promotion *p;
	platci_versions *now = NULL, *then = NULL;
	platci_vdiff *d = NULL;
	pt_env t;

	pt_setup(&t, 1);
	git_opts(&g);
	p = plan_stg_prd(&t, NULL);
	cr_assert_eq(platci_promote_commit(&branch, NULL, NULL, p, &g, t.diag), 0);
	platci_promotion_free(p);
	p = plan_stg_prd(&t, "main");
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_count(p), 16, "got %zu", platci_promotion_count(p));
	cr_assert_eq(platci_promotion_apply(p, t.diag), 0);
	cr_assert_eq(platci_versions_load(&now, t.cfg, "prd-uaenorth", NULL, t.diag), 0);
	cr_assert_eq(platci_promote_versions_at(&then, t.cfg, "prd-uaenorth", NULL, "main", t.diag), 0);
	cr_assert_eq(platci_versions_diff(&d, then, now), 0);
	cr_assert_eq(platci_vdiff_count(d), 0, "after rollback %zu pins still differ",
		platci_vdiff_count(d));
	/* Only the dropped digest comes back as a new line; everything else is byte-identical. */
	pt_assert_same(&t, "gitops/clusters/prd-uaenorth/apps.yaml",
		PT_TREE "/gitops/clusters/prd-uaenorth/apps.yaml");
	pt_assert_same(&t, "gitops/apps/prd-uaenorth/podinfo-values.yaml",
		PT_TREE "/gitops/apps/prd-uaenorth/podinfo-values.yaml");
	platci_promotion_free(p);
	platci_vdiff_free(d);
	platci_versions_free(now);
	platci_versions_free(then);
	{
		platci_promote_options o;
		platci_promote_options_init(&o, PLATCI_PROMOTE_OPTIONS_VERSION);
		o.to = "prd-uaenorth";
		o.rollback_to = "no-such-rev";
		pt_plan(&t, &o, PLATCI_ENOTFOUND);
	}
	platci_buf_dispose(&branch);
	pt_teardown(&t);
}

Test(promote_git, push_to_a_remote_and_never_leak_the_token)
{
	platci_promote_git_options g;
	platci_buf branch = PLATCI_BUF_INIT;
	platci_promotion *p;
	pt_env t;
	char url[1024];

	pt_setup(&t, 1);
	git_opts(&g);
	cr_assert_eq(pt_sh(&t, "git init -q --bare remote.git && git remote add origin \"$PWD/remote.git\""),
		0);
	cr_assert_eq(pt_sh(&t, "echo remote.git/ >> .git/info/exclude"), 0);
	p = plan_stg_prd(&t, NULL);
	cr_assert_eq(platci_promote_commit(&branch, NULL, NULL, p, &g, t.diag), 0);
	cr_assert_eq(platci_promote_push(t.dir, branch.ptr, &g, t.diag), 0);
	cr_assert_eq(pt_sh(&t, "git --git-dir=remote.git rev-parse --verify -q 'refs/heads/%s'", branch.ptr),
		0);
	cr_assert_eq(platci_promote_push(t.dir, "no/such/branch", &g, t.diag), PLATCI_ENOTFOUND);

	/* An HTTPS remote that is not there: the error must not show the token or URL user info. */
	g.token = "glpat-SeCrEtToKeN123";
	snprintf(url, sizeof(url), "https://user:glpat-SeCrEtToKeN123@127.0.0.1:9/acme/repo.git");
	g.url = url;
	{
		platci_diag *d = NULL;
		char line[4400];
		cr_assert_eq(platci_diag_new(&d), 0);
		cr_assert_eq(platci_promote_push(t.dir, branch.ptr, &g, d), PLATCI_ENETWORK);
		cr_assert_geq(platci_diag_count(d), 1);
		for (size_t i = 0; i < platci_diag_count(d); i++) {
			platci_diag_format(line, sizeof(line), platci_diag_at(d, i));
			cr_assert(strstr(line, "SeCrEt") == NULL, "token leaked: %s", line);
		}
		platci_diag_free(d);
	}
	platci_promotion_free(p);
	platci_buf_dispose(&branch);
	pt_teardown(&t);
}
