/*
 * Which environments a change touches (docs/validate.md §2), and which
 * findings the change keeps in the report (§3): findings in changed
 * files, structural findings of affected environments, and policy
 * findings only where the change is, unless the change is the policy or
 * platci.yaml itself.
 */
#include <string.h>

#include "platci/path.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

static int changed(const platci_changes *ch, const char *file)
{
	for (size_t i = 0; file && i < platci_changes_count(ch); i++)
		if (strcmp(platci_changes_at(ch, i)->path, file) == 0)
			return 1;
	return 0;
}

static int in_build_dirs(const env_tree *t, const char *dir)
{
	for (size_t b = 0; b < t->nbuilds; b++)
		for (size_t i = 0; i < t->builds[b].dir_count; i++)
			if (strcmp(t->builds[b].dirs[i], dir) == 0)
				return 1;
	return 0;
}

static int is_config_path(const vctx *v, const char *p)
{
	const platci_policy_paths *pol = platci_config_policies(v->cfg);

	return strcmp(p, platci_config_path(v->cfg)) == 0 || strcmp(p, "platci.yaml") == 0 ||
	       strncmp(p, "policies/", 9) == 0 || (pol->manifests && strcmp(p, pol->manifests) == 0);
}

/* How path @p p (of change @p c; @p old: it is the change's old path) reaches environment @p e. */
static const char *reaches(const vctx *v, char ***tf, size_t e, const platci_change *c,
	const char *p, int old, const char *dir)
{
	const platci_env *env = platci_config_env_at(v->cfg, e);
	size_t idx = v->k ? platci_kustomize_find(v->k, p) : (size_t)-1;

	if ((env->infra && platci_path_is_under(p, env->infra)) ||
		(env->cluster && platci_path_is_under(p, env->cluster)) ||
		(env->overlay && platci_path_is_under(p, env->overlay)))
		return "path";
	for (size_t d = 0; tf[e] && tf[e][d]; d++)
		if (platci_path_is_under(p, tf[e][d]))
			return "terraform";
	if (idx != (size_t)-1 && e < 64 && (v->results[idx].reach & ((size_t)1 << e)))
		return "flux";
	/* a deleted or renamed-away file: its folder is still in the tree */
	if ((c->status == PLATCI_CHANGE_DELETED || old) && e < v->ntrees && in_build_dirs(&v->trees[e], dir))
		return "flux";
	return NULL;
}

static int mark_path(const vctx *v, platci_affected *a, char ***tf, const platci_change *c,
	const char *p, int old)
{
	size_t nenv = platci_config_env_count(v->cfg);
	platci_buf dir = PLATCI_BUF_INIT;
	int error = 0;

	if (is_config_path(v, p))
		return platci_affected_mark_all(a, p, "config");
	platci_path_dirname(&dir, p);
	for (size_t e = 0; e < nenv && !error; e++) {
		const char *via = reaches(v, tf, e, c, p, old, dir.ptr);
		if (via)
			error = platci_affected_mark(a, platci_config_env_at(v->cfg, e)->name, p, via);
	}
	platci_buf_dispose(&dir);
	return error;
}

int platci_validate__affected(const vctx *v, platci_affected *a)
{
	const platci_changes *ch = v->opts->changes;
	size_t nenv = platci_config_env_count(v->cfg);
	char ***tf = NULL;
	int error = 0;

	if (!ch)
		return platci_affected_mark_all(a, "(all files)", "all");
	if (!(tf = calloc(nenv + 1, sizeof(char **))))
		return PLATCI_ENOMEM;
	/* the folders each environment's Terraform root reaches through local modules */
	for (size_t e = 0; e < nenv && !error; e++) {
		const platci_env *env = platci_config_env_at(v->cfg, e);
		if (env->infra)
			error = platci_affected_tf_dirs(&tf[e], platci_config_root(v->cfg), env->infra);
	}
	for (size_t i = 0; i < platci_changes_count(ch) && !error; i++) {
		const platci_change *c = platci_changes_at(ch, i);
		if ((error = mark_path(v, a, tf, c, c->path, 0)) == 0 && c->old_path)
			error = mark_path(v, a, tf, c, c->old_path, 1);
	}
	for (size_t e = 0; e < nenv; e++)
		platci_affected_dirs_free(tf[e]);
	free(tf);
	return error;
}

int platci_validate__keep(const vctx *v, const platci_affected *a, const platci_finding *f)
{
	const platci_changes *ch = v->opts->changes;

	if (!ch || v->opts->all)
		return 1;
	if (changed(ch, f->file))
		return 1;
	if (!strchr(f->rule_id, '.')) {
		/* policy findings: where the change is, or everywhere when the change is the policy */
		const platci_policy_paths *pol = platci_config_policies(v->cfg);
		return (pol->manifests && changed(ch, pol->manifests)) ||
		       changed(ch, platci_config_path(v->cfg)) || changed(ch, "platci.yaml");
	}
	if (f->env)
		return a ? platci_affected_is(a, f->env) : 1;
	return a ? platci_affected_count(a) > 0 : 1;
}
