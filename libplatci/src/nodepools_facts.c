/*
 * The cluster facts of nodepools.h, read from the frames of
 * nodepools_tf.c: the first azurerm_kubernetes_cluster's
 * kubernetes_version and default_node_pool, and every instance of every
 * azurerm_kubernetes_cluster_node_pool.
 */
#include <string.h>

#include "nodepools_int.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_cluster_facts {
	platci_arena arena;
	const char *version;
	const char *version_file;
	size_t version_line;
	platci_node_pool *pools;
	size_t npools, apools;
};

/* The `resource "TYPE" "name"` blocks of a frame. */
static int is_resource(const hcl_block *b, const char *type)
{
	return b->parent == HCL_TOP && !strcmp(b->type, "resource") && b->nlabels == 2 &&
	       !strcmp(b->labels[0], type);
}

static tv attr_value(tf_tree *t, const tv *obj, const char *name, const tv_each *each)
{
	const hcl_file *h = &t->frames[obj->frame].files[obj->file].f;

	for (size_t a = 0; a < h->nattrs; a++)
		if (h->attrs[a].block == obj->block && !strcmp(h->attrs[a].name, name) &&
			h->attrs[a].expr_end)
			return platci_nodepools__eval_attr(t, obj->frame, obj->file, &h->attrs[a], each);
	return platci_nodepools__field(t, obj, name); /* an object block, or missing */
}

static const char *str_or_null(platci_cluster_facts *f, const tv *v)
{
	return v->k == TV_STR && v->s ? platci_arena_strdup(&f->arena, v->s) : NULL;
}

/* node_labels -> key, value, ..., NULL; 0 when it cannot be followed. */
static int labels_of(platci_cluster_facts *f, tf_tree *t, const tv *v, const char *const **out)
{
	tv m = platci_nodepools__as_map(t, v);
	const char **l;

	if (m.k != TV_MAP || !(l = platci_arena_zalloc(&f->arena, (2 * m.n + 1) * sizeof(char *))))
		return 0;
	for (size_t i = 0; i < m.n; i++) {
		if (m.items[i].k != TV_STR)
			return 0;
		l[2 * i] = platci_arena_strdup(&f->arena, m.keys[i]);
		l[2 * i + 1] = platci_arena_strdup(&f->arena, m.items[i].s);
	}
	*out = l;
	return 1;
}

/* node_taints (plus @p extra when not NULL) -> "k=v:Effect", ..., NULL; 0 when unknown. */
static int taints_of(platci_cluster_facts *f, const tv *v, const char *extra, const char *const **out)
{
	size_t n = v->k == TV_LIST ? v->n : 0, k = 0;
	const char **l;

	if (v->k != TV_LIST && v->k != TV_MISSING && v->k != TV_NULL)
		return 0;
	if (!(l = platci_arena_zalloc(&f->arena, (n + 2) * sizeof(char *))))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v->items[i].k != TV_STR)
			return 0;
		l[k++] = platci_arena_strdup(&f->arena, v->items[i].s);
	}
	if (extra)
		l[k++] = extra;
	*out = l;
	return 1;
}

static int add_pool(platci_cluster_facts *f, tf_tree *t, const tv *obj, const char *key,
	const tv_each *each, int is_default)
{
	const tf_file *file = &t->frames[obj->frame].files[obj->file];
	const hcl_block *b = &file->f.blocks[obj->block];
	platci_node_pool *p;
	tv name = attr_value(t, obj, "name", each), vm = attr_value(t, obj, "vm_size", each);
	tv lbl = attr_value(t, obj, "node_labels", each), tnt = attr_value(t, obj, "node_taints", each);
	tv crit = is_default ? attr_value(t, obj, "only_critical_addons_enabled", each) : lbl;
	/* AKS taints a pool with only_critical_addons_enabled (CriticalAddonsOnly) */
	const char *extra = crit.k == TV_BOOL && !strcmp(crit.s, "true") && is_default
				    ? "CriticalAddonsOnly=true:NoSchedule"
				    : NULL;
	int ok_l, ok_t;

	if (platci__grow_array((void **)&f->pools, &f->apools, f->npools + 1, sizeof(*p)) < 0)
		return PLATCI_ENOMEM;
	p = &f->pools[f->npools++];
	memset(p, 0, sizeof(*p));
	p->name = str_or_null(f, &name);
	if (!p->name)
		p->name = key ? platci_arena_strdup(&f->arena, key) : "?";
	p->vm_size = str_or_null(f, &vm);
	ok_l = labels_of(f, t, &lbl, &p->labels);
	ok_t = taints_of(f, &tnt, extra, &p->taints);
	p->complete = ok_l && ok_t && p->vm_size;
	p->is_default = is_default;
	p->file = platci_arena_strdup(&f->arena, file->path);
	p->line = b->line;
	p->column = b->column;
	return p->name && p->file ? 0 : PLATCI_ENOMEM;
}

static int read_cluster(platci_cluster_facts *f, tf_tree *t, const tv *res)
{
	tv ver = attr_value(t, res, "kubernetes_version", NULL);
	const hcl_file *h = &t->frames[res->frame].files[res->file].f;

	if (f->version)
		return 0; /* the first cluster met is the environment's */
	if (ver.k == TV_STR) {
		f->version = platci_arena_strdup(&f->arena, ver.s);
		f->version_file = t->frames[res->frame].files[res->file].path;
		f->version_line = h->blocks[res->block].line;
	}
	for (size_t b = 0; b < h->nblocks; b++)
		if (h->blocks[b].parent == res->block && !strcmp(h->blocks[b].type, "default_node_pool")) {
			tv dp = *res;
			dp.block = b;
			return add_pool(f, t, &dp, "default", NULL, 1);
		}
	return 0;
}

static int read_node_pools(platci_cluster_facts *f, tf_tree *t, const tv *res)
{
	tv fe = attr_value(t, res, "for_each", NULL);
	const char **keys;
	tv *vals;
	long n;
	int error = 0;

	if (fe.k == TV_MISSING)
		return add_pool(f, t, res, NULL, NULL, 0);
	if ((n = platci_nodepools__instances(t, &fe, &keys, &vals)) < 0) {
		error = add_pool(f, t, res, "?", NULL, 0);
		if (!error)
			f->pools[f->npools - 1].complete = 0; /* which instances exist is not known */
		return error;
	}
	for (long i = 0; i < n && !error; i++) {
		tv_each each = { keys[i], vals[i], 1 };
		error = add_pool(f, t, res, keys[i], &each, 0);
	}
	return error;
}

int platci_cluster_facts_read(platci_cluster_facts **out, const char *repo_root,
	const char *root_dir, platci_diag *diag)
{
	platci_cluster_facts *f;
	tf_tree t;
	int error;

	(void)diag;
	*out = NULL;
	if (!(f = calloc(1, sizeof(*f))))
		return PLATCI_ENOMEM;
	platci_arena_init(&f->arena, 4096);
	error = platci_nodepools__tree_read(&t, repo_root, root_dir);
	for (size_t fr = 0; !error && fr < t.nframes; fr++) {
		for (size_t i = 0; !error && i < t.frames[fr].nfiles; i++) {
			const hcl_file *h = &t.frames[fr].files[i].f;
			for (size_t b = 0; !error && b < h->nblocks; b++) {
				tv res = { TV_OBJ, NULL, NULL, NULL, 0, fr, i, b };
				if (is_resource(&h->blocks[b], "azurerm_kubernetes_cluster"))
					error = read_cluster(f, &t, &res);
				else if (is_resource(&h->blocks[b], "azurerm_kubernetes_cluster_node_pool"))
					error = read_node_pools(f, &t, &res);
			}
		}
	}
	if (f->version_file)
		f->version_file = platci_arena_strdup(&f->arena, f->version_file);
	platci_nodepools__tree_dispose(&t);
	if (error < 0) {
		platci_cluster_facts_free(f);
		return error;
	}
	*out = f;
	return 0;
}

void platci_cluster_facts_free(platci_cluster_facts *f)
{
	if (!f)
		return;
	free(f->pools);
	platci_arena_dispose(&f->arena);
	free(f);
}

const char *platci_cluster_facts_k8s_version(const platci_cluster_facts *f, const char **file, size_t *line)
{
	if (file)
		*file = f ? f->version_file : NULL;
	if (line)
		*line = f ? f->version_line : 0;
	return f ? f->version : NULL;
}

size_t platci_cluster_facts_pool_count(const platci_cluster_facts *f)
{
	return f ? f->npools : 0;
}

const platci_node_pool *platci_cluster_facts_pool_at(const platci_cluster_facts *f, size_t i)
{
	return f && i < f->npools ? &f->pools[i] : NULL;
}
