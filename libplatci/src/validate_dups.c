/*
 * Object identities and the duplicate-object check: the same group, kind,
 * namespace and name (after kustomize's namespace, namePrefix and
 * nameSuffix, and Flux's targetNamespace) twice in one cluster's tree.
 * Identities are kept per document while the file is parsed, so ordinary
 * files can be freed before the tree-wide checks run.
 */
#include <stdio.h>
#include <string.h>

#include "platci/k8s.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

static uint64_t fnv1a(const char *s)
{
	return platci__strhash(s, strlen(s));
}

/* Concatenates @p n strings with '/' between them (no printf on the hot path). */
static char *join_slash(const char *const *parts, size_t n)
{
	size_t len = 0, at = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(parts[i]) + 1;
	if (!(s = malloc(len + 1)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(parts[i]);
		if (i)
			s[at++] = '/';
		memcpy(s + at, parts[i], k);
		at += k;
	}
	s[at] = '\0';
	return s;
}

static int keep_id(idrec *x, const platci_node *root)
{
	platci_k8s_id id;
	char group[128];
	const char *parts[3];

	if (!platci_k8s_identity(&id, root) || !id.kind || !id.name || !id.api_version)
		return 0;
	platci_k8s_api_group(group, sizeof(group), id.api_version);
	parts[0] = group;
	parts[1] = id.kind;
	x->gk = join_slash(parts, 2);
	x->api_version = platci__strdup(id.api_version);
	x->name = platci__strdup(id.name);
	x->ns = id.namespace_ ? platci__strdup(id.namespace_) : NULL;
	x->cluster_scoped = platci_k8s_is_cluster_scoped(id.kind);
	if (!x->gk || !x->api_version || !x->name || (id.namespace_ && !x->ns))
		return PLATCI_ENOMEM;
	parts[0] = x->gk;
	parts[1] = x->cluster_scoped || !id.namespace_ ? "" : id.namespace_;
	parts[2] = id.name;
	if (!(x->key = join_slash(parts, 3)))
		return PLATCI_ENOMEM;
	x->hash = fnv1a(x->key);
	x->line = id.pos.line;
	x->column = id.pos.column;
	return 0;
}

int platci_validate__keep_ids(file_result *r)
{
	size_t n = platci_doc_count(r->doc);
	int error = 0;

	if (!(r->ids = calloc(n + 1, sizeof(idrec))))
		return PLATCI_ENOMEM;
	for (size_t d = 0; d < n && !error; d++) {
		r->nids = d + 1;
		error = keep_id(&r->ids[d], platci_doc_root_at(r->doc, d));
	}
	return error;
}

void platci_validate__ids_dispose(file_result *r)
{
	for (size_t d = 0; d < r->nids; d++) {
		free(r->ids[d].api_version);
		free(r->ids[d].gk);
		free(r->ids[d].ns);
		free(r->ids[d].name);
		free(r->ids[d].key);
	}
	free(r->ids);
	r->ids = NULL;
	r->nids = 0;
}

typedef struct occ {
	uint64_t hash; /* sorts by hash first: most comparisons never reach strcmp */
	const char *key;
	char *owned; /* when kustomize transformed the identity */
	const platci_kresource *res; /* the build's view of the document (transforms) */
	size_t file, doc, order;
} occ;

typedef struct occ_list {
	occ *items;
	size_t count, alloc;
} occ_list;

static int cmp_occ(const void *a, const void *b)
{
	const occ *x = a, *y = b;
	int c = x->hash < y->hash ? -1 : x->hash > y->hash;
	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* One occurrence of document @p d of @p r's file, under the build's transforms. */
static int add_occ(occ_list *l, const platci_kresource *r, const idrec *x, size_t d)
{
	platci_buf key = PLATCI_BUF_INIT;
	occ *o;

	if (platci__grow_array((void **)&l->items, &l->alloc, l->count + 1, sizeof(*o)) < 0)
		return PLATCI_ENOMEM;
	o = &l->items[l->count];
	o->owned = NULL;
	o->key = x->key;
	o->hash = x->hash;
	if ((r->namespace_ && !x->cluster_scoped) || *r->name_prefix || *r->name_suffix) {
		const char *ns = x->cluster_scoped ? ""
				 : r->namespace_   ? r->namespace_
				 : x->ns           ? x->ns
						   : "";
		platci_buf_printf(&key, "%s/%s/%s%s%s", x->gk, ns, r->name_prefix, x->name, r->name_suffix);
		if (key.error || !(o->owned = platci_buf_detach(&key))) {
			platci_buf_dispose(&key);
			return PLATCI_ENOMEM;
		}
		o->key = o->owned;
		o->hash = fnv1a(o->owned);
	}
	o->res = r;
	o->file = r->file;
	o->doc = d;
	o->order = l->count++;
	return 0;
}

/* Every object document the builds of @p t hold, in build order. */
static int collect_occ(occ_list *l, const vctx *v, const env_tree *t)
{
	int error = 0;

	for (size_t bi = 0; bi < t->nbuilds && !error; bi++) {
		for (size_t ri = 0; ri < t->builds[bi].resource_count && !error; ri++) {
			const platci_kresource *r = &t->builds[bi].resources[ri];
			const file_result *fr = &v->results[r->file];
			size_t from = r->doc == PLATCI_KRESOURCE_ALL_DOCS ? 0 : r->doc;
			size_t to = r->doc == PLATCI_KRESOURCE_ALL_DOCS ? fr->nids : r->doc + 1;

			for (size_t d = from; d < to && d < fr->nids && !error; d++)
				if (fr->ids[d].gk)
					error = add_occ(l, r, &fr->ids[d], d);
		}
	}
	return error;
}

/*
 * The object as a reader names it: `Namespace web`, `ConfigMap web/app`,
 * `apps/v1 Deployment web/app` (the core group's "v1" is left out), with
 * the namespace, prefix and suffix the build gives it.
 */
static void identity_text(platci_buf *out, const idrec *x, const platci_kresource *r)
{
	const char *kind = strrchr(x->gk, '/') ? strrchr(x->gk, '/') + 1 : x->gk;
	const char *ns = x->cluster_scoped ? NULL : r->namespace_ ? r->namespace_ : x->ns;

	if (strcmp(x->api_version, "v1") != 0)
		platci_buf_printf(out, "%s ", x->api_version);
	platci_buf_printf(out, "%s ", kind);
	if (ns && *ns)
		platci_buf_printf(out, "%s/", ns);
	platci_buf_printf(out, "%s%s%s", r->name_prefix, x->name, r->name_suffix);
}

static int same_occ(const occ *a, const occ *b)
{
	return a->hash == b->hash && strcmp(a->key, b->key) == 0;
}

int platci_validate__duplicates(const vctx *v, const env_tree *t, platci_findings *out)
{
	occ_list l = { NULL, 0, 0 };
	platci_buf what = PLATCI_BUF_INIT;
	const occ *o;
	int error = collect_occ(&l, v, t);

	if (!error && l.count)
		qsort(l.items, l.count, sizeof(*l.items), cmp_occ);
	o = l.items;
	for (size_t i = 1; i < l.count && !error; i++) {
		const idrec *x;
		size_t j = i - 1;

		if (!same_occ(&o[i], &o[i - 1]))
			continue;
		/* report every later copy against the first one met */
		while (j > 0 && same_occ(&o[j - 1], &o[i]))
			j--;
		x = &v->results[o[i].file].ids[o[i].doc];
		platci_buf_clear(&what);
		identity_text(&what, x, o[i].res);
		error = what.error ? what.error
				   : platci_validate__find(out, "k8s.duplicate-object",
					     PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY,
					     v->files[o[i].file], x->line, x->column, t->env->name,
					     o[i].key, "%s is defined twice in %s's tree (also %s)",
					     what.ptr, t->env->name, v->files[o[j].file]);
	}
	platci_buf_dispose(&what);
	for (size_t i = 0; i < l.count; i++)
		free(l.items[i].owned);
	free(l.items);
	return error;
}
