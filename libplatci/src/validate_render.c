/*
 * Validate judges what each cluster applies (docs/validate.md, "Rendered
 * objects"): every environment's cluster is rendered with the real
 * kustomize and helm (fluxmodel.h, names resolved inside that cluster
 * only), and on the rendered objects run the structural checks (missing
 * fields, duplicates per cluster, chart version ranges in protected
 * environments) and the manifest policy, each finding at the source
 * file:line:column the object came from (kustomize's origin annotations),
 * else at the Flux Kustomization that produced it. The source-level
 * findings the render answers better (the same rules, resolved across the
 * whole repository, on objects before patches) are then dropped for the
 * files the render covers. With a merge base, each environment is also
 * rendered there, and the rendered diff says what really changes.
 *
 * Without kustomize the source files are judged as before, and an info
 * finding says so: never silence.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "platci/flux.h"
#include "platci/fluxmodel.h"
#include "platci/k8s.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

struct vrender {
	platci_fluxmodel **head; /* per environment of the configuration; NULL: not rendered */
	size_t n;
	char **cited; /* sorted, unique: files the head renders cite */
	size_t ncited, acited;
};

/* One cluster to model, on its own thread. */
typedef struct job {
	platci_fluxmodel_options o;
	platci_fluxmodel *model;
	platci_findings *findings;
	platci_diag *diag;
	int error;
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	j->error = platci_fluxmodel_build(&j->model, &j->o, j->findings, j->diag);
	return NULL;
}

static void jobs_free(job *j, size_t n)
{
	for (size_t i = 0; j && i < n; i++) {
		platci_fluxmodel_free(j[i].model);
		platci_findings_free(j[i].findings);
		platci_diag_free(j[i].diag);
	}
	free(j);
}

/* Models every environment of @p cfg (jobs[i] for environment i), clusters side by side. */
static int model_all(job **out, const vctx *v, const platci_config *cfg)
{
	const platci_validate_options *vo = v->opts;
	size_t n = platci_config_env_count(cfg);
	unsigned int jobs = vo->render_jobs ? vo->render_jobs : vo->threads ? vo->threads : 2;
	pthread_t *th = calloc(n ? n : 1, sizeof(*th));
	job *j = calloc(n ? n : 1, sizeof(*j));
	int error = 0;

	*out = j;
	if (!th || !j) {
		free(th);
		return PLATCI_ENOMEM;
	}
	for (size_t i = 0; i < n && !error; i++) {
		const platci_env *e = platci_config_env_at(cfg, i);
		platci_fluxmodel_options o = PLATCI_FLUXMODEL_OPTIONS_INIT;
		o.root = platci_config_root(cfg);
		o.cluster = e->cluster;
		o.env = e->name;
		o.tools = vo->render;
		o.cache_dir = vo->render_cache;
		o.cache_exclude = vo->render_cache_exclude;
		o.jobs = jobs / n ? (unsigned int)(jobs / n) : 1; /* the run's parallelism, shared out */
		j[i].o = o;
		if (!e->cluster)
			continue;
		if (platci_findings_new(&j[i].findings) < 0 || platci_diag_new(&j[i].diag) < 0)
			error = PLATCI_ENOMEM;
	}
	for (size_t i = 1; i < n && !error; i++)
		if (j[i].o.cluster && pthread_create(&th[i], NULL, run_job, &j[i]) != 0)
			run_job(&j[i]), th[i] = 0;
	if (n && !error && j[0].o.cluster)
		run_job(&j[0]);
	for (size_t i = 1; i < n && !error; i++)
		if (th[i])
			pthread_join(th[i], NULL);
	free(th);
	return error;
}

static int cite(struct vrender *r, const char *file)
{
	size_t lo = 0, hi = r->ncited;

	if (!file)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->cited[mid], file);
		if (c == 0)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (platci__grow_array((void **)&r->cited, &r->acited, r->ncited + 1, sizeof(char *)) < 0)
		return PLATCI_ENOMEM;
	memmove(&r->cited[lo + 1], &r->cited[lo], (r->ncited - lo) * sizeof(char *));
	if (!(r->cited[lo] = platci__strdup(file)))
		return PLATCI_ENOMEM;
	r->ncited++;
	return 0;
}

static int is_cited(const struct vrender *r, const char *file)
{
	size_t lo = 0, hi = r->ncited;

	while (file && lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->cited[mid], file);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Every file a model's objects, Kustomizations, HelmReleases and sources come from. */
static int cite_model(struct vrender *r, const platci_fluxmodel *m)
{
	int error = 0;

	for (size_t i = 0; i < platci_fluxmodel_object_count(m) && !error; i++)
		error = cite(r, platci_fluxmodel_object_at(m, i)->loc.file);
	for (size_t i = 0; i < platci_fluxmodel_ks_count(m) && !error; i++)
		error = cite(r, platci_fluxmodel_ks_at(m, i)->loc.file);
	for (size_t i = 0; i < platci_fluxmodel_hr_count(m) && !error; i++)
		error = cite(r, platci_fluxmodel_hr_at(m, i)->loc.file);
	for (size_t i = 0; i < platci_fluxmodel_source_count(m) && !error; i++)
		error = cite(r, platci_fluxmodel_source_at(m, i)->loc.file);
	return error;
}

/* ---- checks on the rendered objects ------------------------------------------------- */

/* Where a finding about object @p o goes: its source position, else its Kustomization's. */
static platci_fluxmodel_loc object_loc(const platci_fluxmodel *m, const platci_fluxmodel_object *o)
{
	const platci_fluxmodel_ks *k = o->kustomization < platci_fluxmodel_ks_count(m)
					       ? platci_fluxmodel_ks_at(m, o->kustomization)
					       : NULL;
	platci_fluxmodel_loc none = { NULL, 0, 0 };

	if (o->loc.file)
		return o->loc;
	return k ? k->loc : none;
}

/* The source-level "missing field" check, for objects a chart made (the others have it at source). */
static int rendered_fields(const platci_fluxmodel *m, const platci_env *e, platci_findings *out)
{
	int error = 0;

	for (size_t i = 0; i < platci_fluxmodel_object_count(m) && !error; i++) {
		const platci_fluxmodel_object *o = platci_fluxmodel_object_at(m, i);
		const platci_fluxmodel_hr *hr;
		platci_fluxmodel_loc at;
		char key[300];
		if (o->helmrelease == PLATCI_FLUX_NONE || (o->api_version && o->kind && o->name))
			continue;
		hr = platci_fluxmodel_hr_at(m, o->helmrelease);
		at = hr->loc;
		snprintf(key, sizeof(key), "%s/%s|%s|%s", hr->namespace_, hr->name,
			o->kind ? o->kind : "", o->name ? o->name : "");
		error = platci_validate__find(out, "k8s.missing-field", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, at.file, at.line, at.column, e->name, key,
			"HelmRelease %s/%s renders %s %s without %s", hr->namespace_, hr->name,
			o->kind ? o->kind : "an object", o->name ? o->name : "",
			!o->api_version ? "apiVersion"
			: !o->kind      ? "kind"
					: "metadata.name");
	}
	return error;
}

/* The source a HelmRelease's chart comes from, in model @p m, or NULL. */
static const platci_fluxmodel_source *chart_source(const platci_fluxmodel *m, const platci_fluxmodel_hr *hr)
{
	for (size_t i = 0; i < platci_fluxmodel_source_count(m); i++) {
		const platci_fluxmodel_source *s = platci_fluxmodel_source_at(m, i);
		if (!strcmp(s->kind, hr->chart_source.kind) && !strcmp(s->name, hr->chart_source.name) &&
			!strcmp(s->namespace_, hr->chart_source.namespace_))
			return s;
	}
	return NULL;
}

/*
 * flux.helm-version-range on what a protected cluster deploys: the
 * HelmRelease's version after patches, or for a chartRef the
 * OCIRepository's ref (a digest pins; a semver range does not).
 */
static int rendered_ranges(const platci_fluxmodel *m, const platci_env *e, platci_findings *out)
{
	int error = 0;

	if (!e->is_protected)
		return 0;
	for (size_t h = 0; h < platci_fluxmodel_hr_count(m) && !error; h++) {
		const platci_fluxmodel_hr *hr = platci_fluxmodel_hr_at(m, h);
		const platci_fluxmodel_source *s = NULL;
		platci_fluxmodel_loc at = hr->loc;
		const char *ver = hr->version;
		char key[300];
		if (hr->uses_chart_ref) {
			if (!(s = chart_source(m, hr)) || strcmp(s->kind, "OCIRepository") != 0)
				continue; /* a HelmChart's version is its own spec: judged there */
			if (s->ref && !strncmp(s->ref, "digest:", 7))
				continue;
			ver = s->ref && strchr(s->ref, ':') ? strchr(s->ref, ':') + 1 : NULL;
			if (s->loc.file)
				at = s->loc;
		}
		if (platci_flux_version_is_pinned(ver))
			continue;
		snprintf(key, sizeof(key), "%s/%s", hr->namespace_, hr->name);
		error = platci_validate__find(out, "flux.helm-version-range", PLATCI_SEVERITY_CRITICAL,
			PLATCI_ENFORCE_DENY, at.file, at.line, at.column, e->name, key,
			"HelmRelease %s: chart version \"%s\" is a range in protected environment %s%s%s; "
			"pin one version",
			hr->name, ver ? ver : "*", e->name, s ? " (through chartRef " : "",
			s ? "OCIRepository)" : "");
	}
	return error;
}

/* The manifest policy on every rendered object, each finding moved to the object's source position. */
static int rendered_policy(const vctx *v, const platci_fluxmodel *m, const platci_env *e,
	platci_findings *out)
{
	size_t n = platci_fluxmodel_object_count(m);
	platci_policy_target *t = calloc(n ? n : 1, sizeof(*t));
	platci_policy_index *idx = NULL;
	platci_findings *tmp = NULL;
	int error = 0;

	PLATCI_CHECK_ALLOC(t);
	for (size_t i = 0; i < n; i++) {
		const platci_fluxmodel_object *o = platci_fluxmodel_object_at(m, i);
		platci_fluxmodel_loc at = object_loc(m, o);
		t[i].file = at.file ? at.file : platci_fluxmodel_cluster(m);
		t[i].doc = i;
		t[i].root = o->root;
		t[i].namespace_ = o->namespace_;
		t[i].env = e->name;
		t[i].env_protected = e->is_protected;
	}
	if ((error = platci_policy_index_new(&idx, t, n)) < 0 || (error = platci_findings_new(&tmp)) < 0)
		goto done;
	for (size_t i = 0; i < n && !error; i++) {
		platci_fluxmodel_loc at = object_loc(m, platci_fluxmodel_object_at(m, i));
		size_t from = platci_findings_count(tmp);
		if ((error = platci_policy_eval(v->policy, idx, &t[i], tmp, v->usage)) < 0)
			break;
		for (size_t k = from; k < platci_findings_count(tmp) && !error; k++) {
			platci_finding f = *platci_findings_at(tmp, k);
			f.line = at.line;
			f.column = at.column;
			f.fingerprint[0] = '\0';
			error = platci_findings_add(out, &f);
		}
	}
done:
	platci_findings_free(tmp);
	platci_policy_index_free(idx);
	free(t);
	return error;
}

/* ---- what the render supersedes --------------------------------------------------- */

/* Source-level rules whose rendered counterpart is better: names resolved per cluster, patches applied. */
static int superseded_rule(const char *rule)
{
	static const char *const rules[] = { "flux.dependson-cycle", "flux.dependson-undefined",
		"flux.helm-source-undefined", "flux.helm-version-range", "flux.path-missing",
		"flux.source-undefined", "k8s.duplicate-object" };

	if (!strchr(rule, '.'))
		return 1; /* the manifest policy's own rules */
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(rules); i++)
		if (!strcmp(rule, rules[i]))
			return 1;
	return 0;
}

static int env_rendered(const vctx *v, const char *env)
{
	for (size_t e = 0; env && e < v->render->n; e++)
		if (v->render->head[e] && !strcmp(platci_config_env_at(v->cfg, e)->name, env))
			return 1;
	return 0;
}

/* 1 when every environment whose tree reaches file result @p fr was rendered. */
static int reach_rendered(const vctx *v, const file_result *fr)
{
	for (size_t e = 0; e < v->render->n && e < 64; e++)
		if ((fr->reach & ((size_t)1 << e)) && !v->render->head[e])
			return 0;
	return 1;
}

/*
 * A source-level chart range is answered when the cluster's render has that
 * HelmRelease (its version after patches); not when its build failed.
 */
static int range_rendered(const vctx *v, const platci_finding *f)
{
	const char *slash = f->key ? strrchr(f->key, '/') : NULL;

	for (size_t e = 0; slash && f->env && e < v->render->n; e++) {
		const platci_fluxmodel *m = v->render->head[e];
		if (!m || strcmp(platci_config_env_at(v->cfg, e)->name, f->env) != 0)
			continue;
		for (size_t h = 0; h < platci_fluxmodel_hr_count(m); h++)
			if (!strcmp(platci_fluxmodel_hr_at(m, h)->name, slash + 1))
				return 1;
	}
	return 0;
}

static int drop(const vctx *v, const platci_finding *f, const file_result *fr)
{
	if (!superseded_rule(f->rule_id))
		return 0;
	if (!strcmp(f->rule_id, "flux.helm-version-range"))
		return range_rendered(v, f);
	if (!is_cited(v->render, f->file))
		return 0; /* the render does not cover that file (its build failed, say) */
	return fr ? reach_rendered(v, fr) : f->env && env_rendered(v, f->env);
}

/* Rebuilds *@p list without what drop() says; @p fr the file's result, NULL for tree findings. */
static int filter(const vctx *v, platci_findings **list, const file_result *fr)
{
	platci_findings *kept = NULL;
	int error;

	if (!*list || (error = platci_findings_new(&kept)) < 0)
		return *list ? error : 0;
	for (size_t k = 0; k < platci_findings_count(*list) && !error; k++) {
		const platci_finding *f = platci_findings_at(*list, k);
		if (!drop(v, f, fr))
			error = platci_findings_add(kept, f);
	}
	if (error < 0) {
		platci_findings_free(kept);
		return error;
	}
	platci_findings_free(*list);
	*list = kept;
	return 0;
}

/* A render failure kustomize's resolver already reported at that line is one problem, said once. */
static int said_at_source(const platci_findings *tree, const platci_finding *f)
{
	if (strcmp(f->rule_id, "render.build-failed") != 0 || !f->file)
		return 0;
	for (size_t k = 0; k < platci_findings_count(tree); k++) {
		const platci_finding *s = platci_findings_at(tree, k);
		if (!strncmp(s->rule_id, "kustomize.", 10) && s->file &&
			!strcmp(s->file, f->file) && s->line == f->line)
			return 1;
	}
	return 0;
}

/* ---- the run ---------------------------------------------------------------------- */

/* platci.yaml as the repository names it: where the run's own findings go. */
static const char *config_file(const vctx *v)
{
	const char *path = platci_config_path(v->cfg), *root = platci_config_root(v->cfg);
	size_t n = strlen(root);
	const char *slash;

	if (!strncmp(path, root, n) && path[n] == '/')
		return path + n + 1;
	return (slash = strrchr(path, '/')) != NULL ? slash + 1 : path;
}

static int source_only(const vctx *v, platci_findings *out, const char *env, const char *why)
{
	return platci_validate__find(out, "render.source-only", PLATCI_SEVERITY_INFO,
		PLATCI_ENFORCE_WARN, config_file(v), 1, 1, env, env ? env : "all",
		"%s: validate judged the source files, not what %s applies (patches, Helm charts "
		"and postBuild substitution not applied, Flux names resolved across the repository)",
		why, env ? "this cluster" : "each cluster");
}

/* The head's findings of one model, checks on its objects, and its files cited. */
static int judge(vctx *v, size_t e, job *j, platci_findings *tree, platci_findings *out)
{
	const platci_env *env = platci_config_env_at(v->cfg, e);
	int error = 0;

	if (j->error < 0) {
		const platci_diag_entry *d = platci_diag_at(j->diag, 0);
		return j->error == PLATCI_ENOMEM ? j->error
						 : source_only(v, out, env->name,
							   d ? d->message : platci_strerror(j->error));
	}
	v->render->head[e] = j->model;
	j->model = NULL;
	for (size_t k = 0; k < platci_findings_count(j->findings) && !error; k++) {
		const platci_finding *f = platci_findings_at(j->findings, k);
		if (!said_at_source(tree, f))
			error = platci_findings_add(out, f);
	}
	if (!error)
		error = cite_model(v->render, v->render->head[e]);
	if (!error)
		error = rendered_fields(v->render->head[e], env, out);
	if (!error)
		error = rendered_ranges(v->render->head[e], env, out);
	if (!error && v->policy)
		error = rendered_policy(v, v->render->head[e], env, out);
	return error;
}

/* With a merge base: each environment rendered there too, compared, and marked affected when it differs. */
static int rendered_diff(vctx *v, platci_affected *aff)
{
	const platci_config *base = v->opts->base;
	platci_buf *out = v->opts->rendered_diff;
	job *bj = NULL;
	int error;

	if ((error = model_all(&bj, v, base)) < 0)
		goto done;
	for (size_t e = 0; e < v->render->n && !error; e++) {
		const platci_env *env = platci_config_env_at(v->cfg, e);
		const platci_fluxmodel *bm = NULL;
		platci_fluxmodel_diff_counts c;
		platci_buf d = PLATCI_BUF_INIT;
		if (!v->render->head[e])
			continue;
		for (size_t b = 0; b < platci_config_env_count(base); b++)
			if (!strcmp(platci_config_env_at(base, b)->name, env->name))
				bm = bj[b].model;
		if ((error = platci_fluxmodel_diff(&d, &c, bm, v->render->head[e])) == 0 &&
			c.added + c.removed + c.changed) {
			if (out)
				platci_buf_printf(out,
					"# environment %s: %zu added, %zu removed, %zu "
					"changed\n%s",
					env->name, c.added, c.removed, c.changed, d.ptr);
			error = out && out->error ? out->error
						  : platci_affected_mark(aff, env->name,
							    "(rendered objects)", "render");
		}
		platci_buf_dispose(&d);
	}
done:
	jobs_free(bj, platci_config_env_count(base));
	return error;
}

int platci_validate__render(vctx *v, platci_affected *aff, platci_findings **tree)
{
	const platci_render_tools *tools = v->opts->render;
	size_t n = platci_config_env_count(v->cfg);
	platci_findings *out = NULL;
	job *jobs = NULL;
	int error;

	if (!tools)
		return 0; /* the caller asked for none (a runner says so: platci-validate --no-render) */
	if (!tools->kustomize[0])
		return source_only(v, *tree, NULL, "neither kustomize nor kubectl is on PATH");
	if (!(v->render = calloc(1, sizeof(*v->render))) ||
		!(v->render->head = calloc(n ? n : 1, sizeof(platci_fluxmodel *))))
		return PLATCI_ENOMEM;
	v->render->n = n;
	if ((error = platci_findings_new(&out)) < 0 || (error = model_all(&jobs, v, v->cfg)) < 0)
		goto done;
	for (size_t e = 0; e < n && !error; e++)
		if (jobs[e].o.cluster)
			error = judge(v, e, &jobs[e], *tree, out);
	/* the source-level findings the render answers, then the render's own */
	for (size_t i = 0; i < v->count && !error; i++)
		error = filter(v, &v->results[i].findings, &v->results[i]);
	if (!error)
		error = filter(v, tree, NULL);
	for (size_t k = 0; k < platci_findings_count(out) && !error; k++)
		error = platci_findings_add(*tree, platci_findings_at(out, k));
	if (!error && v->opts->base && aff)
		error = rendered_diff(v, aff);
done:
	jobs_free(jobs, n);
	platci_findings_free(out);
	return error;
}

const platci_fluxmodel *platci_validate__rendered(const vctx *v, size_t e)
{
	return v->render && e < v->render->n ? v->render->head[e] : NULL;
}

void platci_validate__render_dispose(vctx *v)
{
	if (!v->render)
		return;
	for (size_t e = 0; e < v->render->n; e++)
		platci_fluxmodel_free(v->render->head[e]);
	for (size_t i = 0; i < v->render->ncited; i++)
		free(v->render->cited[i]);
	free(v->render->cited);
	free(v->render->head);
	free(v->render);
	v->render = NULL;
}
