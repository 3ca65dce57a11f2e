/*
 * The checks: per document (on the worker threads, one findings list per
 * file) Kubernetes fields, Flux Kustomization, HelmRelease and source
 * checks and the manifest policy; per environment tree (on the run's
 * thread) duplicate objects, chart version ranges in protected
 * environments, and kustomize's own problems.
 */
#include <stdio.h>
#include <string.h>

#include "platci/flux.h"
#include "platci/k8s.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

static int dependson_cycle(const vctx *v, const char *start, const char *name, size_t depth)
{
	if (depth > 64)
		return 1;
	for (size_t f = 0; f < v->count; f++) {
		const platci_doc *d = v->results[f].structural ? v->results[f].doc : NULL;
		for (size_t i = 0; d && i < platci_doc_count(d); i++) {
			platci_k8s_id id;
			const platci_node *deps;
			if (!platci_k8s_identity(&id, platci_doc_root_at(d, i)) ||
				platci_flux_classify(&id) != PLATCI_FLUX_ROLE_KUSTOMIZATION ||
				!id.name || strcmp(id.name, name) != 0)
				continue;
			deps = platci_node_dig(id.root, "spec.dependsOn");
			for (size_t k = 0; k < platci_node_count(deps); k++) {
				const char *dn = platci_node_get_str(platci_node_item_at(deps, k), "name");
				if (!dn)
					continue;
				if (strcmp(dn, start) == 0 || dependson_cycle(v, start, dn, depth + 1))
					return 1;
			}
		}
	}
	return 0;
}

/* What a check of one document needs to say where it is. */
typedef struct doc_at {
	const vctx *v;
	const char *file, *env, *name;
	const platci_k8s_id *id;
	platci_findings *out;
} doc_at;

static int check_dependson(const doc_at *at, const platci_node *deps)
{
	int error = 0;

	for (size_t i = 0; !error && i < platci_node_count(deps); i++) {
		const platci_node *dn = platci_node_get(platci_node_item_at(deps, i), "name");
		const char *dname = platci_node_scalar(dn, NULL);
		platci_pos p = platci_node_start(dn ? dn : deps);
		if (!dname)
			continue;
		if (!platci_validate__find_source(at->v, "Kustomization", dname, NULL))
			error = platci_validate__find(at->out, "flux.dependson-undefined",
				PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, at->file, p.line,
				p.column, at->env, at->name,
				"Kustomization %s depends on %s, which is not defined", at->name, dname);
		else if (at->id->name && dependson_cycle(at->v, at->id->name, dname, 0))
			error = platci_validate__find(at->out, "flux.dependson-cycle",
				PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, at->file, p.line,
				p.column, at->env, at->name,
				"Kustomization %s: dependsOn %s leads back to %s (a cycle)",
				at->name, dname, at->name);
	}
	return error;
}

static int check_kustomization(const doc_at *at, const platci_node *spec)
{
	const platci_node *ref = platci_node_get(spec, "sourceRef");
	platci_pos sp = platci_node_start(spec ? spec : at->id->root);
	int error = 0;

	if (!platci_node_get(spec, "interval"))
		error = platci_validate__find(at->out, "flux.kustomization-interval",
			PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY, at->file, sp.line, sp.column,
			at->env, at->name, "Kustomization %s has no spec.interval (required)", at->name);
	if (!error && !platci_node_get(spec, "prune"))
		error = platci_validate__find(at->out, "flux.kustomization-prune", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, at->file, sp.line, sp.column, at->env, at->name,
			"Kustomization %s has no spec.prune (required: say true or false)", at->name);
	if (!error && ref) {
		const char *k = platci_node_get_str(ref, "kind"), *n = platci_node_get_str(ref, "name");
		platci_pos p = platci_node_start(ref);
		if (k && n && !platci_validate__find_source(at->v, k, n, platci_node_get_str(ref, "namespace")))
			error = platci_validate__find(at->out, "flux.source-undefined",
				PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, at->file, p.line,
				p.column, at->env, at->name,
				"Kustomization %s: sourceRef %s/%s is not defined in this repository",
				at->name, k, n);
	}
	return error ? error : check_dependson(at, platci_node_get(spec, "dependsOn"));
}

static int check_helmrelease(const doc_at *at, const platci_node *spec)
{
	const platci_node *ref = platci_node_dig(spec, "chart.spec.sourceRef");
	const char *k, *n;
	platci_pos p;

	if (!ref)
		ref = platci_node_get(spec, "chartRef");
	if (!ref)
		return 0;
	k = platci_node_get_str(ref, "kind");
	n = platci_node_get_str(ref, "name");
	p = platci_node_start(ref);
	if (!k || !n || platci_validate__find_source(at->v, k, n, platci_node_get_str(ref, "namespace")))
		return 0;
	return platci_validate__find(at->out, "flux.helm-source-undefined",
		PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, at->file, p.line, p.column, at->env,
		at->name, "HelmRelease %s: chart source %s/%s is not defined", at->name, k, n);
}

static int check_flux(const vctx *v, size_t fi, const platci_k8s_id *id, platci_findings *out)
{
	const char *repl = platci_flux_removed_api(id->api_version, id->kind);
	platci_flux_role fk = platci_flux_classify(id);
	const platci_node *spec = platci_node_get(id->root, "spec");
	doc_at at = { v, v->files[fi], v->results[fi].env, id->name ? id->name : "?", id, out };
	int error = 0;

	if (repl) {
		platci_pos p = platci_node_start(platci_node_get(id->root, "apiVersion"));
		if ((error = platci_validate__find(out, "flux.api-removed", PLATCI_SEVERITY_MINOR,
			     PLATCI_ENFORCE_WARN, at.file, p.line, p.column, at.env, at.name,
			     "%s %s uses %s, which Flux has removed: use %s (run `flux migrate`)",
			     id->kind, at.name, id->api_version, repl)) < 0)
			return error;
	}
	if (fk == PLATCI_FLUX_ROLE_KUSTOMIZATION)
		error = check_kustomization(&at, spec);
	if (fk == PLATCI_FLUX_ROLE_HELMRELEASE)
		error = check_helmrelease(&at, spec);
	return error;
}

/* Reachable YAML that is not a mapping would break the build (kustomize rejects it). */
static int not_an_object(vctx *v, size_t fi, size_t di, const platci_node *root)
{
	file_result *r = &v->results[fi];
	platci_pos pos;

	if (!root || !(r->reach))
		return 0;
	pos = platci_node_start(root);
	return platci_validate__find(r->findings, "k8s.not-an-object", PLATCI_SEVERITY_MAJOR,
		PLATCI_ENFORCE_DENY, v->files[fi], pos.line, pos.column, r->env, "not-an-object",
		"document %zu is a %s, not a Kubernetes object", di + 1,
		platci_node_type_of(root) == PLATCI_NODE_SEQUENCE ? "list" : "scalar");
}

static int missing_field(vctx *v, size_t fi, size_t di, const platci_k8s_id *id)
{
	file_result *r = &v->results[fi];
	const char *missing = !id->api_version ? "apiVersion"
			      : !id->kind      ? "kind"
					       : "metadata.name";
	platci_buf key = PLATCI_BUF_INIT;
	int error;

	platci_buf_printf(&key, "%zu|%s", di, missing);
	error = platci_validate__find(r->findings, "k8s.missing-field", PLATCI_SEVERITY_MAJOR,
		PLATCI_ENFORCE_DENY, v->files[fi], id->pos.line, id->pos.column, r->env, key.ptr,
		"%s %s has no %s", id->kind ? id->kind : "object", id->name ? id->name : "", missing);
	platci_buf_dispose(&key);
	return error;
}

static int apply_policy(vctx *v, size_t fi, size_t di, const platci_node *root, size_t *usage)
{
	file_result *r = &v->results[fi];
	platci_policy_target t;
	const lblset *lbl = platci_validate__labels(r, di);

	memset(&t, 0, sizeof(t));
	t.file = v->files[fi];
	t.doc = di;
	t.root = root;
	t.namespace_ = r->ns && r->ns[di] ? r->ns[di] : r->ns_all;
	t.env = r->env;
	t.env_protected = r->env_protected;
	t.labels = lbl->m;
	t.template_labels = lbl->t;
	return platci_policy_eval(v->policy, v->pindex, &t, r->findings, usage);
}

int platci_validate__check_doc(vctx *v, size_t fi, size_t di, size_t *usage)
{
	file_result *r = &v->results[fi];
	const platci_node *root = platci_doc_root_at(r->doc, di);
	platci_k8s_id id;
	int error = 0;

	if (!platci_k8s_identity(&id, root))
		return not_an_object(v, fi, di, root);
	/* A mapping with neither apiVersion nor kind is data (values, configs), not an object. */
	if (!id.api_version && !id.kind)
		return 0;
	if ((!id.api_version || !id.kind || !id.name) && (error = missing_field(v, fi, di, &id)) < 0)
		return error;
	if ((error = check_flux(v, fi, &id, r->findings)) < 0)
		return error;
	return v->policy ? apply_policy(v, fi, di, root, usage) : 0;
}

/* ---- tree-wide checks --------------------------------------------------- */

/* The chart version a protected environment gets: a patch in its tree wins over the base. */
static const platci_node *hr_version_patch(const vctx *v, const env_tree *t, const char *name, size_t *file_out)
{
	for (size_t b = 0; b < t->nbuilds; b++) {
		const platci_kbuild *kb = &t->builds[b];
		for (size_t f = 0; f < kb->file_count; f++) {
			const file_result *r = &v->results[kb->files[f]];
			if (r->role != ROLE_AUX || !r->structural || !r->doc)
				continue;
			for (size_t d = 0; d < platci_doc_count(r->doc); d++) {
				platci_k8s_id id;
				const platci_node *ver;
				if (!platci_k8s_identity(&id, platci_doc_root_at(r->doc, d)) ||
					platci_flux_classify(&id) != PLATCI_FLUX_ROLE_HELMRELEASE ||
					!id.name || strcmp(id.name, name) != 0)
					continue;
				if ((ver = platci_node_dig(id.root, "spec.chart.spec.version")) != NULL) {
					*file_out = kb->files[f];
					return ver;
				}
			}
		}
	}
	return NULL;
}

/* A HelmRelease resource of tree @p t: a finding when its chart version is a range. */
static int helm_range(const vctx *v, const env_tree *t, const platci_kresource *r, platci_findings *out)
{
	const file_result *fr = &v->results[r->file];
	const platci_node *spec, *vn, *pv;
	platci_k8s_id id;
	size_t vfile = r->file;
	const char *ver;
	platci_pos p;
	char key[300];

	if (r->doc == PLATCI_KRESOURCE_ALL_DOCS || !fr->structural || !fr->doc ||
		!platci_k8s_identity(&id, platci_doc_root_at(fr->doc, r->doc)) ||
		platci_flux_classify(&id) != PLATCI_FLUX_ROLE_HELMRELEASE || !id.name)
		return 0;
	spec = platci_node_dig(id.root, "spec.chart.spec");
	if (!spec)
		return 0; /* chartRef: the version lives in the referenced source */
	vn = platci_node_get(spec, "version");
	if ((pv = hr_version_patch(v, t, id.name, &vfile)) != NULL)
		vn = pv;
	else
		vfile = r->file;
	ver = platci_node_scalar(vn, NULL);
	if (platci_flux_version_is_pinned(ver))
		return 0;
	p = platci_node_start(vn ? vn : spec);
	snprintf(key, sizeof(key), "%s/%s", id.namespace_ ? id.namespace_ : "", id.name);
	return platci_validate__find(out, "flux.helm-version-range", PLATCI_SEVERITY_CRITICAL,
		PLATCI_ENFORCE_DENY, v->files[vfile], p.line, p.column, t->env->name, key,
		"HelmRelease %s: chart version \"%s\" is a range in protected environment %s; "
		"pin one version",
		id.name, ver ? ver : "*", t->env->name);
}

/* HelmReleases a protected environment deploys with a version range (after its patches). */
static int helm_ranges(const vctx *v, const env_tree *t, platci_findings *out)
{
	int error = 0;

	if (!t->env->is_protected)
		return 0;
	for (size_t b = 0; b < t->nbuilds && !error; b++)
		for (size_t ri = 0; ri < t->builds[b].resource_count && !error; ri++)
			error = helm_range(v, t, &t->builds[b].resources[ri], out);
	return error;
}

int platci_validate__tree_checks(vctx *v, platci_findings *out)
{
	int error = 0;

	for (size_t e = 0; e < v->ntrees && !error; e++)
		if ((error = platci_validate__duplicates(v, &v->trees[e], out)) == 0)
			error = helm_ranges(v, &v->trees[e], out);
	for (size_t i = 0; i < platci_kustomize_problem_count(v->k) && !error; i++) {
		const platci_kproblem *p = platci_kustomize_problem_at(v->k, i);
		size_t idx = platci_kustomize_find(v->k, p->file);
		error = platci_validate__find(out, p->rule_id, PLATCI_SEVERITY_CRITICAL,
			PLATCI_ENFORCE_DENY, p->file, p->line, p->column,
			idx != (size_t)-1 ? v->results[idx].env : NULL, NULL, "%s", p->message);
	}
	return error;
}
