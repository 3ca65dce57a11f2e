/*
 * Names resolve inside one cluster: every sourceRef, dependsOn, chartRef
 * and chart sourceRef must name an object this cluster defines; dependsOn
 * must not loop; an object must not be applied twice; an ExternalArtifact
 * needs a generator. Each finding stands at the object that says the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluxmodel_int.h"
#include "platci/k8s.h"
#include "util/common.h"
#include "util/banned.h"

static int produced(const platci_fluxmodel *m, const char *ns, const char *name)
{
	for (size_t a = 0; a < m->art_count; a++)
		if (strcmp(m->art[a].namespace_, ns) == 0 && strcmp(m->art[a].name, name) == 0)
			return 1;
	return 0;
}

static int unresolved_sources(platci_fluxmodel *m)
{
	int error = 0;

	for (size_t k = 0; k < m->ks_count && error == 0; k++) {
		platci_fluxmodel_ks *ks = &m->ks[k];
		const platci_fluxmodel_ref *r = &ks->source;
		if (m->ksi[k].state != KS_PENDING)
			continue;
		m->ksi[k].state = KS_DONE;
		if (strcmp(r->kind, "ExternalArtifact") == 0) {
			ks->reason = "no ArtifactGenerator produces its ExternalArtifact";
			error = platci_fluxmodel__finding(m, "render.externalartifact-no-generator",
				1, &ks->loc, NULL,
				"Kustomization %s/%s: no ArtifactGenerator in %s produces "
				"ExternalArtifact %s/%s, so Flux never builds it",
				ks->namespace_, ks->name, m->env, r->namespace_, r->name);
		} else {
			ks->reason = "its source is not defined in this cluster";
			error = platci_fluxmodel__finding(m, "render.source-missing", 1, &ks->loc,
				NULL, "Kustomization %s/%s: sourceRef %s %s/%s is not defined in %s",
				ks->namespace_, ks->name, r->kind, r->namespace_, r->name, m->env);
		}
	}
	for (size_t s = 0; s < m->src_count && error == 0; s++) {
		const platci_fluxmodel_source *src = &m->src[s];
		if (strcmp(src->kind, "ExternalArtifact") == 0 && !produced(m, src->namespace_, src->name))
			error = platci_fluxmodel__finding(m, "render.externalartifact-no-generator",
				0, &src->loc, NULL,
				"ExternalArtifact %s/%s: no ArtifactGenerator in %s "
				"produces it; whatever is meant to write it is outside this repository",
				src->namespace_, src->name, m->env);
	}
	return error;
}

static size_t ks_index(const platci_fluxmodel *m, const platci_fluxmodel_ref *r)
{
	for (size_t i = 0; i < m->ks_count; i++)
		if (strcmp(m->ks[i].namespace_, r->namespace_) == 0 && strcmp(m->ks[i].name, r->name) == 0)
			return i;
	return PLATCI_FLUX_NONE;
}

/* Colours for the cycle search: 0 new, 1 on the path, 2 done. */
static int dfs(platci_fluxmodel *m, size_t k, unsigned char *colour, size_t *stack, size_t depth)
{
	int error = 0;

	colour[k] = 1;
	stack[depth] = k;
	for (size_t d = 0; d < m->ks[k].depends_on_count && error == 0; d++) {
		size_t t = ks_index(m, &m->ks[k].depends_on[d]);
		if (t == PLATCI_FLUX_NONE)
			continue;
		if (colour[t] == 1) {
			platci_buf path = PLATCI_BUF_INIT;
			size_t from = depth;
			while (stack[from] != t)
				from--;
			for (size_t i = from; i <= depth; i++)
				platci_buf_printf(&path, "%s/%s -> ", m->ks[stack[i]].namespace_,
					m->ks[stack[i]].name);
			platci_buf_printf(&path, "%s/%s", m->ks[t].namespace_, m->ks[t].name);
			error = path.error ? path.error
					   : platci_fluxmodel__finding(m, "render.dependson-cycle",
						     1, &m->ks[k].loc, path.ptr,
						     "dependsOn cycle in %s: "
						     "%s; Flux waits forever",
						     m->env, path.ptr);
			platci_buf_dispose(&path);
		} else if (colour[t] == 0) {
			error = dfs(m, t, colour, stack, depth + 1);
		}
	}
	colour[k] = 2;
	return error;
}

static int depends(platci_fluxmodel *m)
{
	unsigned char *colour = calloc(m->ks_count + 1, 1);
	size_t *stack = calloc(m->ks_count + 1, sizeof(*stack));
	int error = 0;

	if (!colour || !stack) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < m->ks_count && error == 0; k++)
		for (size_t d = 0; d < m->ks[k].depends_on_count && error == 0; d++) {
			const platci_fluxmodel_ref *r = &m->ks[k].depends_on[d];
			if (ks_index(m, r) == PLATCI_FLUX_NONE)
				error = platci_fluxmodel__finding(m, "render.dependson-missing", 1,
					&m->ks[k].loc, NULL,
					"Kustomization %s/%s depends on Kustomization "
					"%s/%s, which %s does not define: Flux waits forever",
					m->ks[k].namespace_, m->ks[k].name, r->namespace_, r->name,
					m->env);
		}
	for (size_t k = 0; k < m->ks_count && error == 0; k++)
		if (!colour[k])
			error = dfs(m, k, colour, stack, 0);
done:
	free(colour);
	free(stack);
	return error;
}

static int helm_refs(platci_fluxmodel *m)
{
	int error = 0;

	for (size_t h = 0; h < m->hr_count && error == 0; h++) {
		platci_fluxmodel_hr *hr = &m->hr[h];
		const platci_fluxmodel_ref *r = &hr->chart_source;
		const platci_node *deps = platci_node_get(m->hr_spec[h], "dependsOn");
		int found;
		if (strcmp(r->kind, "ExternalArtifact") == 0)
			found = produced(m, r->namespace_, r->name) ||
				platci_fluxmodel__find_src(m, r->kind, r->namespace_, r->name) !=
					PLATCI_FLUX_NONE;
		else
			found = platci_fluxmodel__find_src(m, r->kind, r->namespace_, r->name) !=
				PLATCI_FLUX_NONE;
		if (found && hr->uses_chart_ref && strcmp(r->kind, "OCIRepository") == 0) {
			/* The version a chartRef deploys is the OCIRepository's ref: keep it visible. */
			size_t s = platci_fluxmodel__find_src(m, r->kind, r->namespace_, r->name);
			const char *url = m->src[s].url, *slash = url ? strrchr(url, '/') : NULL;
			const char *colon = m->src[s].ref ? strchr(m->src[s].ref, ':') : NULL;
			if (slash)
				hr->chart = slash + 1;
			if (colon)
				hr->version = colon + 1;
		} else if (found && hr->uses_chart_ref && strcmp(r->kind, "HelmChart") == 0) {
			size_t s = platci_fluxmodel__find_src(m, r->kind, r->namespace_, r->name);
			hr->chart = platci_fluxmodel__strdup(m,
				platci_node_get_str(m->src_spec[s], "chart"));
			hr->version = platci_fluxmodel__strdup(m,
				platci_node_get_str(m->src_spec[s], "version"));
		}
		if (!found) {
			hr->reason = "its chart source is not defined in this cluster";
			error = platci_fluxmodel__finding(m,
				hr->uses_chart_ref ? "render.chartref-missing" : "render.chart-source-missing",
				1, &hr->loc, NULL,
				"HelmRelease %s/%s: %s %s "
				"%s/%s is not defined in %s",
				hr->namespace_, hr->name, hr->uses_chart_ref ? "chartRef" : "chart sourceRef",
				r->kind, r->namespace_, r->name, m->env);
		}
		for (size_t d = 0; d < platci_node_count(deps) && error == 0; d++) {
			const platci_node *dn = platci_node_item_at(deps, d);
			const char *ns = platci_node_get_str(dn, "namespace");
			const char *name = platci_node_get_str(dn, "name");
			int ok = 0;
			for (size_t j = 0; j < m->hr_count && name; j++)
				ok |= strcmp(m->hr[j].name, name) == 0 &&
				      strcmp(m->hr[j].namespace_, ns ? ns : hr->namespace_) == 0;
			if (!ok)
				error = platci_fluxmodel__finding(m, "render.dependson-missing", 1,
					&hr->loc, NULL,
					"HelmRelease %s/%s depends on HelmRelease %s/%s, which %s does not "
					"define",
					hr->namespace_, hr->name, ns ? ns : hr->namespace_,
					name ? name : "", m->env);
		}
	}
	return error;
}

typedef struct ident {
	char *id;
	size_t i;
} ident;

static int by_identity(const void *a, const void *b)
{
	const ident *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->i < y->i ? -1 : 1);
}

static int duplicates(platci_fluxmodel *m)
{
	ident *ids = calloc(m->obj_count + 1, sizeof(*ids));
	int error = 0;

	if (!ids)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < m->obj_count && error == 0; i++) {
		const platci_fluxmodel_object *o = &m->obj[i];
		platci_buf b = PLATCI_BUF_INIT;
		char group[256];
		platci_k8s_api_group(group, sizeof(group), o->api_version);
		platci_buf_printf(&b, "%s/%s/%s/%s", group, o->kind,
			o->namespace_ ? o->namespace_ : "", o->name);
		ids[i].i = i;
		if (!(ids[i].id = platci_buf_detach(&b)))
			error = PLATCI_ENOMEM;
	}
	if (error == 0)
		qsort(ids, m->obj_count, sizeof(*ids), by_identity);
	for (size_t i = 1; i < m->obj_count && error == 0; i++) {
		const platci_fluxmodel_object *a = &m->obj[ids[i - 1].i], *b = &m->obj[ids[i].i];
		if (strcmp(ids[i - 1].id, ids[i].id) != 0)
			continue;
		error = platci_fluxmodel__finding(m, "render.duplicate-object", 1, &b->loc, ids[i].id,
			"%s %s%s%s is applied twice in %s: by Kustomization %s/%s and by Kustomization "
			"%s/%s (first at %s:%zu)",
			b->kind, b->namespace_ ? b->namespace_ : "", b->namespace_ ? "/" : "",
			b->name, m->env, m->ks[a->kustomization].namespace_,
			m->ks[a->kustomization].name, m->ks[b->kustomization].namespace_,
			m->ks[b->kustomization].name, a->loc.file ? a->loc.file : "?", a->loc.line);
	}
	for (size_t i = 0; i < m->obj_count; i++)
		free(ids[i].id);
	free(ids);
	return error;
}

int platci_fluxmodel__check(platci_fluxmodel *m)
{
	int error = unresolved_sources(m);

	if (error == 0)
		error = depends(m);
	if (error == 0)
		error = helm_refs(m);
	if (error == 0)
		error = duplicates(m);
	return error;
}
