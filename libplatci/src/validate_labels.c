/*
 * What the builds reaching a document give it before any policy sees it:
 * the namespace a kustomization (or a Flux targetNamespace) sets, and the
 * labels every such build adds (kustomize `labels`, `commonLabels`). A
 * label counts when each build reaching the document sets it; its value
 * when they all agree (else it reads "(set per environment)").
 */
#include <string.h>

#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

static const char per_env[] = "(set per environment)";

/* Meets @p have (owned) with @p add: keys both hold stay, values that differ become per_env. */
static int lbl_meet(const char ***have, int seen, const char *const *add)
{
	size_t n = 0, w = 0;
	const char **h = *have;

	if (!seen) {
		while (add && add[n])
			n++;
		if (!n)
			return 0;
		if (!(h = calloc(n + 1, sizeof(char *))))
			return PLATCI_ENOMEM;
		memcpy(h, add, n * sizeof(char *));
		*have = h;
		return 0;
	}
	for (size_t i = 0; h && h[i] && h[i + 1]; i += 2) {
		const char *v = NULL;
		for (size_t j = 0; add && add[j] && add[j + 1] && !v; j += 2)
			if (strcmp(add[j], h[i]) == 0)
				v = add[j + 1];
		if (!v)
			continue;
		h[w++] = h[i];
		h[w++] = strcmp(v, h[i + 1]) == 0 ? h[i + 1] : per_env;
	}
	if (h)
		h[w] = NULL;
	return 0;
}

static int lbl_add(lblset *s, const platci_kresource *kr)
{
	int error;

	if ((error = lbl_meet(&s->m, s->seen, kr->labels)) < 0 ||
		(error = lbl_meet(&s->t, s->seen, kr->template_labels)) < 0)
		return error;
	s->seen = 1;
	return 0;
}

static void lbl_dispose(lblset *s)
{
	free(s->m);
	free(s->t);
}

/* One build's resource: its labels meet the document's, its namespace overrides. */
static int inherit_one(vctx *v, const platci_kresource *kr)
{
	file_result *fr = &v->results[kr->file];
	lblset *ls = kr->doc == PLATCI_KRESOURCE_ALL_DOCS ? &fr->lbl_all
		     : fr->lbl && kr->doc < fr->nlbl      ? &fr->lbl[kr->doc]
							  : NULL;
	int error;

	if (ls && (error = lbl_add(ls, kr)) < 0)
		return error;
	if (!kr->namespace_)
		return 0;
	if (kr->doc == PLATCI_KRESOURCE_ALL_DOCS)
		fr->ns_all = kr->namespace_;
	else if (fr->ns)
		fr->ns[kr->doc] = kr->namespace_;
	return 0;
}

int platci_validate__inherit(vctx *v)
{
	int error = 0;

	for (size_t e = 0; e < v->ntrees && !error; e++)
		for (size_t b = 0; b < v->trees[e].nbuilds && !error; b++) {
			const platci_kbuild *kb = &v->trees[e].builds[b];
			for (size_t r = 0; r < kb->resource_count && !error; r++)
				error = inherit_one(v, &kb->resources[r]);
		}
	return error;
}

const lblset *platci_validate__labels(const file_result *r, size_t di)
{
	return r->lbl && di < r->nlbl && r->lbl[di].seen ? &r->lbl[di] : &r->lbl_all;
}

void platci_validate__labels_dispose(file_result *r)
{
	for (size_t d = 0; r->lbl && d < r->nlbl; d++)
		lbl_dispose(&r->lbl[d]);
	free(r->lbl);
	r->lbl = NULL;
	lbl_dispose(&r->lbl_all);
	free(r->ns);
	r->ns = NULL;
}
