/*
 * The per-environment tree model: the Flux sources defined in the
 * repository, and for each environment the kustomize builds its cluster
 * applies (the cluster folder, then every Flux Kustomization's spec.path
 * found on the way, until none is new). From the trees: which
 * environments reach each file, each file's environment, and its role
 * (objects, a kustomization, a patch or generator input, a policy file).
 */
#include <string.h>

#include "platci/flux.h"
#include "platci/k8s.h"
#include "platci/path.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

/* Flux joins spec.path under the source root: `./x`, `/x` and `x` are the same folder. */
static const char *strip_dot(const char *p)
{
	for (;;) {
		if (p[0] == '.' && p[1] == '/')
			p += 2;
		else if (p[0] == '/')
			p++;
		else
			return p;
	}
}

static int tree_add_build(env_tree *t, platci_kbuild *b)
{
	if (platci__grow_array((void **)&t->builds, &t->abuilds, t->nbuilds + 1, sizeof(*b)) < 0)
		return PLATCI_ENOMEM;
	t->builds[t->nbuilds++] = *b;
	return 0;
}

/* 1 when @p dir was already built with @p tns in this tree, else records it and returns 0. */
static int path_seen(env_tree *t, const char *dir, const char *tns)
{
	platci_buf key = PLATCI_BUF_INIT;
	char *k;

	platci_buf_printf(&key, "%s|%s", dir, tns ? tns : "");
	if (key.error)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < t->npaths; i++)
		if (strcmp(t->flux_paths[i], key.ptr) == 0) {
			platci_buf_dispose(&key);
			return 1;
		}
	if (platci__grow_array((void **)&t->flux_paths, &t->apaths, t->npaths + 1, sizeof(char *)) < 0 ||
		!(k = platci_buf_detach(&key))) {
		platci_buf_dispose(&key);
		return PLATCI_ENOMEM;
	}
	t->flux_paths[t->npaths++] = k;
	return 0;
}

const src_def *platci_validate__find_source(const vctx *v, const char *kind, const char *name,
	const char *ns)
{
	static const src_def bootstrap = { "GitRepository", "flux-system", "flux-system" };

	/* `flux bootstrap` creates the flux-system source; trees often leave it out */
	if (strcmp(name, "flux-system") == 0 &&
		(strcmp(kind, "GitRepository") == 0 || strcmp(kind, "OCIRepository") == 0))
		return &bootstrap;
	for (size_t i = 0; i < v->nsrcs; i++)
		if (strcmp(v->srcs[i].kind, kind) == 0 && strcmp(v->srcs[i].name, name) == 0 &&
			(!ns || !v->srcs[i].ns || strcmp(ns, v->srcs[i].ns) == 0))
			return &v->srcs[i];
	return NULL;
}

/* Does this Kustomization read this repository (so spec.path must exist here)? */
static int reads_this_repo(const vctx *v, const platci_node *root)
{
	const platci_node *ref = platci_node_dig(root, "spec.sourceRef");
	const char *kind = platci_node_get_str(ref, "kind"), *name = platci_node_get_str(ref, "name");

	if (!kind || !name || strcmp(kind, "GitRepository") != 0)
		return 0;
	if (strcmp(name, "flux-system") == 0)
		return 1;
	for (size_t f = 0; f < v->count; f++) {
		const platci_doc *d = v->results[f].structural ? v->results[f].doc : NULL;
		for (size_t i = 0; d && i < platci_doc_count(d); i++) {
			platci_k8s_id id;
			const char *url;
			if (!platci_k8s_identity(&id, platci_doc_root_at(d, i)) || !id.kind ||
				strcmp(id.kind, "GitRepository") != 0 || !id.name ||
				strcmp(id.name, name) != 0)
				continue;
			url = platci_node_get_str(platci_node_get(id.root, "spec"), "url");
			return url && v->own_url && strcmp(url, v->own_url) == 0;
		}
	}
	return 0;
}

static int path_missing(const vctx *v, size_t file, const char *env, const platci_k8s_id *id,
	const char *path, const char *why, platci_findings *out)
{
	platci_pos p = platci_node_start(platci_node_dig(id->root, "spec.path"));

	return platci_validate__find(out, "flux.path-missing", PLATCI_SEVERITY_CRITICAL,
		PLATCI_ENFORCE_DENY, v->files[file], p.line, p.column, env, id->name,
		"Kustomization %s: spec.path \"%s\" %s", id->name ? id->name : "?", path, why);
}

/* A Flux Kustomization met in tree @p t: its spec.path, when new to the tree, becomes a build. */
static int follow_kustomization(vctx *v, env_tree *t, const platci_kresource *r, platci_findings *out)
{
	const platci_node *root = platci_doc_root_at(v->results[r->file].doc, r->doc);
	platci_buf dir = PLATCI_BUF_INIT;
	platci_k8s_id id;
	const char *path, *tns;
	platci_kbuild nb;
	int rc, error = 0;

	if (!platci_k8s_identity(&id, root) || platci_flux_classify(&id) != PLATCI_FLUX_ROLE_KUSTOMIZATION)
		return 0;
	path = platci_node_get_str(platci_node_get(root, "spec"), "path");
	tns = platci_node_get_str(platci_node_get(root, "spec"), "targetNamespace");
	if (!path || strstr(path, "${") || !reads_this_repo(v, root))
		return 0;
	if (platci_path_normalize(&dir, *strip_dot(path) ? strip_dot(path) : ".") < 0) {
		error = path_missing(v, r->file, v->results[r->file].env, &id, path,
			"leaves the repository", out);
		goto done;
	}
	if (strcmp(dir.ptr, ".") == 0)
		platci_buf_clear(&dir);
	if ((rc = path_seen(t, dir.ptr, tns)) != 0) {
		error = rc < 0 ? rc : 0;
		goto done;
	}
	rc = platci_kustomize_resolve(&nb, v->k, dir.ptr, tns);
	if (rc == PLATCI_ENOTFOUND)
		error = path_missing(v, r->file, t->env->name, &id, path,
			"does not exist in this repository", out);
	else if (rc < 0)
		error = rc;
	else if ((error = tree_add_build(t, &nb)) < 0)
		platci_kbuild_dispose(&nb);
done:
	platci_buf_dispose(&dir);
	return error;
}

static int build_env(vctx *v, env_tree *t, size_t env_index, platci_findings *out)
{
	platci_kbuild b;
	int error = 0;

	if (!t->env->cluster)
		return 0;
	if ((error = platci_kustomize_resolve(&b, v->k, t->env->cluster, NULL)) < 0)
		return error == PLATCI_ENOTFOUND ? 0 : error;
	if ((error = tree_add_build(t, &b)) < 0) {
		platci_kbuild_dispose(&b);
		return error;
	}
	if ((error = path_seen(t, t->env->cluster, NULL)) < 0)
		return error;
	/* Flux Kustomizations found in a build add their own builds: walk until none is new. */
	for (size_t bi = 0; bi < t->nbuilds && !error; bi++) {
		for (size_t ri = 0; ri < t->builds[bi].resource_count && !error; ri++) {
			const platci_kresource *r = &t->builds[bi].resources[ri];
			/* files not parsed up front name no fluxcd.io API: no Flux Kustomization there */
			if (r->doc == PLATCI_KRESOURCE_ALL_DOCS || !v->results[r->file].structural)
				continue;
			error = follow_kustomization(v, t, r, out);
		}
	}
	/* who reaches each file */
	for (size_t bi = 0; bi < t->nbuilds; bi++) {
		for (size_t fi = 0; fi < t->builds[bi].file_count; fi++) {
			file_result *fr = &v->results[t->builds[bi].files[fi]];
			if (env_index < 64)
				fr->reach |= (size_t)1 << env_index;
		}
	}
	return error;
}

static int add_src(vctx *v, const char *kind, const char *name, const char *ns)
{
	if (!kind || !name)
		return 0;
	if (platci__grow_array((void **)&v->srcs, &v->asrcs, v->nsrcs + 1, sizeof(src_def)) < 0)
		return PLATCI_ENOMEM;
	v->srcs[v->nsrcs].kind = kind;
	v->srcs[v->nsrcs].name = name;
	v->srcs[v->nsrcs].ns = ns;
	v->nsrcs++;
	return 0;
}

static int index_doc_source(vctx *v, const platci_node *root)
{
	platci_k8s_id id;
	platci_flux_role fk;
	int error = 0;

	if (!platci_k8s_identity(&id, root))
		return 0;
	fk = platci_flux_classify(&id);
	if (fk == PLATCI_FLUX_ROLE_SOURCE || fk == PLATCI_FLUX_ROLE_KUSTOMIZATION) {
		error = add_src(v, id.kind, id.name, id.namespace_);
		if (id.name && strcmp(id.kind, "GitRepository") == 0 &&
			strcmp(id.name, "flux-system") == 0 && !v->own_url)
			v->own_url = platci_node_get_str(platci_node_get(id.root, "spec"), "url");
	} else if (fk == PLATCI_FLUX_ROLE_ARTIFACT_GENERATOR) {
		const platci_node *arts = platci_node_dig(id.root, "spec.artifacts");
		for (size_t a = 0; a < platci_node_count(arts) && !error; a++)
			error = add_src(v, "ExternalArtifact",
				platci_node_get_str(platci_node_item_at(arts, a), "name"), id.namespace_);
	}
	return error;
}

static int index_sources(vctx *v)
{
	int error = 0;

	for (size_t f = 0; f < v->count && !error; f++) {
		const platci_doc *d = v->results[f].structural ? v->results[f].doc : NULL;
		for (size_t i = 0; d && i < platci_doc_count(d) && !error; i++)
			error = index_doc_source(v, platci_doc_root_at(d, i));
	}
	return error;
}

/* The environment of a file: by its path, else the one environment whose tree reaches it. */
static void file_env(vctx *v, size_t f)
{
	file_result *r = &v->results[f];
	const platci_env *e = platci_config_env_for_path(v->cfg, v->files[f]);
	size_t n = platci_config_env_count(v->cfg), hits = 0, last = 0;

	if (!e) {
		for (size_t i = 0; i < n && i < 64; i++)
			if (r->reach & ((size_t)1 << i)) {
				hits++;
				last = i;
			}
		if (hits == 1)
			e = platci_config_env_at(v->cfg, last);
	}
	r->env = e ? e->name : NULL;
	r->env_protected = e ? e->is_protected : 0;
}

static int is_policy_file(const platci_config *cfg, const char *file)
{
	const platci_policy_paths *pol = platci_config_policies(cfg);

	return (pol->manifests && !strcmp(file, pol->manifests)) ||
	       (pol->gates && !strcmp(file, pol->gates)) ||
	       (pol->scan && !strcmp(file, pol->scan)) || (pol->drift && !strcmp(file, pol->drift));
}

/* Patches and generator inputs are read by builds but hold no objects of their own. */
static int mark_aux(vctx *v)
{
	char *is_res = calloc(v->count + 1, 1);

	if (!is_res)
		return PLATCI_ENOMEM;
	for (size_t e = 0; e < v->ntrees; e++)
		for (size_t b = 0; b < v->trees[e].nbuilds; b++)
			for (size_t r = 0; r < v->trees[e].builds[b].resource_count; r++)
				is_res[v->trees[e].builds[b].resources[r].file] = 1;
	for (size_t e = 0; e < v->ntrees; e++) {
		for (size_t b = 0; b < v->trees[e].nbuilds; b++) {
			const platci_kbuild *kb = &v->trees[e].builds[b];
			for (size_t f = 0; f < kb->file_count; f++) {
				file_result *r = &v->results[kb->files[f]];
				if (!is_res[kb->files[f]] && r->role == ROLE_OBJECTS)
					r->role = ROLE_AUX;
			}
		}
	}
	free(is_res);
	return 0;
}

/* Each file's role and environment, and room for what its documents inherit. */
static int classify_files(vctx *v)
{
	for (size_t i = 0; i < v->count; i++) {
		file_result *r = &v->results[i];
		size_t ndocs = r->doc ? platci_doc_count(r->doc) : 0;

		if (is_policy_file(v->cfg, v->files[i]))
			r->role = ROLE_POLICY;
		else if (platci_kustomize_is_kfile_name(v->files[i]))
			r->role = ROLE_KFILE;
		file_env(v, i);
		if (!ndocs)
			continue;
		r->ns = calloc(ndocs, sizeof(char *));
		r->lbl = calloc(ndocs, sizeof(lblset));
		if (!r->ns || !r->lbl)
			return PLATCI_ENOMEM;
		r->nlbl = ndocs;
	}
	return mark_aux(v);
}

int platci_validate__build_trees(vctx *v, platci_findings *out)
{
	size_t nenv = platci_config_env_count(v->cfg);
	int error = 0;

	v->kpaths = calloc(v->count + 1, sizeof(char *));
	v->kdocs = calloc(v->count + 1, sizeof(platci_doc *));
	if (!v->kpaths || !v->kdocs)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < v->count; i++) {
		v->kpaths[i] = v->files[i];
		v->kdocs[i] = v->results[i].doc;
	}
	if ((error = platci_kustomize_new(&v->k, platci_config_root(v->cfg), v->kpaths, v->kdocs,
		     v->count)) < 0 ||
		(error = index_sources(v)) < 0)
		return error;
	if (!(v->trees = calloc(nenv + 1, sizeof(env_tree))))
		return PLATCI_ENOMEM;
	v->ntrees = nenv;
	for (size_t e = 0; e < nenv && !error; e++) {
		v->trees[e].env = platci_config_env_at(v->cfg, e);
		error = build_env(v, &v->trees[e], e, out);
	}
	return error < 0 ? error : classify_files(v);
}

void platci_validate__trees_dispose(vctx *v)
{
	for (size_t e = 0; v->trees && e < v->ntrees; e++) {
		env_tree *t = &v->trees[e];
		for (size_t b = 0; b < t->nbuilds; b++)
			platci_kbuild_dispose(&t->builds[b]);
		free(t->builds);
		for (size_t p = 0; p < t->npaths; p++)
			free(t->flux_paths[p]);
		free(t->flux_paths);
	}
	free(v->trees);
	v->trees = NULL;
	v->ntrees = 0;
	free(v->srcs);
	v->srcs = NULL;
	platci_kustomize_free(v->k);
	v->k = NULL;
	free(v->kpaths);
	free(v->kdocs);
	v->kpaths = NULL;
	v->kdocs = NULL;
}
