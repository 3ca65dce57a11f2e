#include "promote_helpers.h"

static const char *const changed_files[] = {
	"gitops/apps/prd-uaenorth/kustomization.yaml",
	"gitops/apps/prd-uaenorth/podinfo-values.yaml",
	"gitops/apps/prd-uaenorth/web-patch.yaml",
	"gitops/clusters/prd-uaenorth/apps.yaml",
	NULL,
};

static const char *const untouched_files[] = {
	"gitops/apps/stg-uaenorth/kustomization.yaml",
	"gitops/clusters/stg-uaenorth/apps.yaml",
	"gitops/base/releases.yaml",
	"platci.yaml",
	NULL,
};

static void stg_to_prd(platci_promote_options *o)
{
	platci_promote_options_init(o, PLATCI_PROMOTE_OPTIONS_VERSION);
	o->from = "stg-uaenorth";
	o->to = "prd-uaenorth";
}

static void assert_tree_untouched(const pt_env *t)
{
	char path[1024];

	for (size_t i = 0; changed_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", PT_TREE, changed_files[i]);
		pt_assert_same(t, changed_files[i], path);
	}
}

Test(promote, golden_tree_byte_for_byte)
{
	platci_promote_options o;
	platci_promotion *p;
	pt_env t;
	char path[1024];

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.drop_digest = 1;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_count(p), 16);
	cr_assert_eq(platci_promotion_file_count(p), 4);
	cr_assert_eq(platci_promotion_note_count(p), 1);
	cr_assert_str_eq(platci_promotion_note_at(p, 0)->key, "image:ghcr.io/acme/canary.newTag");
	/* Planning writes nothing. */
	assert_tree_untouched(&t);
	cr_assert_eq(platci_promotion_apply(p, t.diag), 0);
	for (size_t i = 0; changed_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", PT_EXPECTED, changed_files[i]);
		pt_assert_same(&t, changed_files[i], path);
	}
	for (size_t i = 0; untouched_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", PT_TREE, untouched_files[i]);
		pt_assert_same(&t, untouched_files[i], path);
	}
	platci_promotion_free(p);
	/* Promoting twice: nothing to promote. */
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_count(p), 0);
	cr_assert_eq(platci_promotion_file_count(p), 0);
	platci_promotion_free(p);
	pt_teardown(&t);
}

Test(promote, target_digest_without_source_digest_is_refused)
{
	platci_promote_options o;
	platci_promotion *p;
	pt_env t;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "image:ghcr.io/acme/jobs.digest") != NULL);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "--drop-digest") != NULL);
	cr_assert_eq(platci_promotion_apply(p, t.diag), PLATCI_ECONFLICT);
	assert_tree_untouched(&t);
	platci_promotion_free(p);
	pt_teardown(&t);
}

Test(promote, source_digest_is_added_with_the_tag)
{
	platci_promote_options o;
	platci_promotion *p;
	const char *only[] = { "cache", NULL };
	pt_env t;
	char *k;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.only = only;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_count(p), 2);
	cr_assert_eq(platci_promotion_at(p, 0)->action, PLATCI_CHANGE_ADD);
	cr_assert_eq(platci_promotion_apply(p, t.diag), 0);
	k = pt_read(&t, "gitops/apps/prd-uaenorth/kustomization.yaml", NULL);
	cr_assert(strstr(k,
			  "    newTag: \"8\" #{\"$imagepolicy\": \"flux-system:cache:tag\"}\n"
			  "    digest: sha256:eeee") != NULL,
		"%s", k);
	free(k);
	platci_promotion_free(p);
	pt_teardown(&t);
}

Test(promote, only_restricts_to_named_apps)
{
	platci_promote_options o;
	platci_promotion *p;
	const char *only[] = { "web", "subst:flux-system/apps.APP_VERSION", NULL };
	pt_env t;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.only = only;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 0, "jobs is not selected");
	cr_assert_eq(platci_promotion_count(p), 3);
	cr_assert_str_eq(platci_promotion_at(p, 0)->key, "image:ghcr.io/acme/web.newTag");
	cr_assert_str_eq(platci_promotion_at(p, 1)->key, "setter:flux-system:web.full");
	cr_assert_str_eq(platci_promotion_at(p, 2)->key, "subst:flux-system/apps.APP_VERSION");
	platci_promotion_free(p);
	pt_teardown(&t);
}

Test(promote, order_is_enforced_unless_forced_with_a_reason)
{
	platci_promote_options o;
	platci_promotion *p;
	pt_env t;
	platci_buf json = PLATCI_BUF_INIT;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.from = "dev-uaenorth";
	o.drop_digest = 1;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 1);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "promotes from stg-uaenorth") != NULL);
	platci_promotion_free(p);
	o.force = 1;
	pt_plan(&t, &o, PLATCI_EINVALID);
	o.reason = "hotfix for INC-42";
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_refusal_count(p), 0);
	cr_assert_eq(platci_promotion_render_json(&json, p), 0);
	cr_assert(strstr(json.ptr, "\"forced\": true") != NULL);
	cr_assert(strstr(json.ptr, "INC-42") != NULL);
	platci_buf_dispose(&json);
	platci_promotion_free(p);
	pt_teardown(&t);
}

static int frozen_yes(const char *env, time_t now, char *reason, size_t n, void *payload)
{
	cr_assert_str_eq(env, "prd-uaenorth");
	cr_assert_eq(now, 1234);
	(*(int *)payload)++;
	snprintf(reason, n, "winter freeze");
	return 1;
}

static int frozen_fails(const char *env, time_t now, char *reason, size_t n, void *payload)
{
	(void)env, (void)now, (void)reason, (void)n, (void)payload;
	return PLATCI_EDATA;
}

static int not_ready(const char *env, char *reason, size_t n, void *payload)
{
	(void)payload;
	cr_assert_str_eq(env, "stg-uaenorth");
	snprintf(reason, n, "Kustomization apps: HealthCheckFailed");
	return 0;
}

Test(promote, freeze_and_readiness_callbacks_refuse)
{
	platci_promote_options o;
	platci_promotion *p;
	pt_env t;
	int calls = 0;
	platci_buf md = PLATCI_BUF_INIT;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.drop_digest = 1;
	o.now = 1234;
	o.frozen = frozen_yes;
	o.frozen_payload = &calls;
	o.source_ready = not_ready;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(calls, 1);
	cr_assert_eq(platci_promotion_refusal_count(p), 2);
	cr_assert(strstr(platci_promotion_refusal_at(p, 0), "winter freeze") != NULL);
	cr_assert(strstr(platci_promotion_refusal_at(p, 1), "HealthCheckFailed") != NULL);
	cr_assert_eq(platci_promotion_render_summary(&md, p), 0);
	cr_assert(strstr(md.ptr, "### Refused") != NULL);
	platci_buf_dispose(&md);
	platci_promotion_free(p);
	o.frozen = frozen_fails;
	pt_plan(&t, &o, PLATCI_EDATA);
	pt_teardown(&t);
}

Test(promote, bad_options_and_unknown_environments)
{
	platci_promote_options o;
	pt_env t;

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.to = NULL;
	pt_plan(&t, &o, PLATCI_EINVALID);
	stg_to_prd(&o);
	o.from = NULL;
	pt_plan(&t, &o, PLATCI_EINVALID);
	stg_to_prd(&o);
	o.from = "prd-uaenorth";
	pt_plan(&t, &o, PLATCI_EINVALID);
	stg_to_prd(&o);
	o.to = "qa-uaenorth";
	pt_plan(&t, &o, PLATCI_ENOTFOUND);
	stg_to_prd(&o);
	o.version = 7;
	pt_plan(&t, &o, PLATCI_EINVALID);
	pt_teardown(&t);
}

Test(promote, broken_yaml_in_the_target_fails_with_a_position)
{
	platci_promote_options o;
	pt_env t;
	const platci_diag_entry *e = NULL;

	pt_setup(&t, 0);
	cr_assert_eq(pt_sh(&t,
			     "printf 'images:\\n  - name: x\\n    newTag: \"1.0\\n' > "
			     "gitops/apps/prd-uaenorth/broken.yaml"),
		0);
	stg_to_prd(&o);
	pt_plan(&t, &o, PLATCI_ESYNTAX);
	for (size_t i = 0; i < platci_diag_count(t.diag); i++)
		if (platci_diag_at(t.diag, i)->level == PLATCI_DIAG_ERROR)
			e = platci_diag_at(t.diag, i);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->source, "gitops/apps/prd-uaenorth/broken.yaml");
	cr_assert_gt(e->line, 0);
	pt_teardown(&t);
}

Test(promote, unified_diff_applies_with_git_apply)
{
	platci_promote_options o;
	platci_promotion *p;
	platci_buf diff = PLATCI_BUF_INIT;
	pt_env t;
	char path[1024];

	pt_setup(&t, 0);
	stg_to_prd(&o);
	o.drop_digest = 1;
	p = pt_plan(&t, &o, 0);
	cr_assert_eq(platci_promotion_render_diff(&diff, p), 0);
	free(th_write(t.dir, "promotion.diff", diff.ptr, diff.size));
	cr_assert_eq(pt_sh(&t, "git apply --check promotion.diff && git apply promotion.diff"), 0,
		"git apply refused the diff:\n%s", diff.ptr);
	for (size_t i = 0; changed_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", PT_EXPECTED, changed_files[i]);
		pt_assert_same(&t, changed_files[i], path);
	}
	platci_buf_dispose(&diff);
	platci_promotion_free(p);
	pt_teardown(&t);
}
