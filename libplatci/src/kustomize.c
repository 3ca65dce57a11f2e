/*
 * Kustomize resolution without kustomize: which files and objects a
 * directory builds. Works over the validate stage's loaded file set (a
 * sorted path array), so listing a directory is a binary search and no
 * file is parsed twice.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "platci/kustomize.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_DEPTH 64

struct platci_kustomize {
	const char *root;
	const char *const *paths;
	const platci_doc *const *docs;
	size_t count;
	char **strings; /* prefixes, suffixes, problem texts */
	size_t nstrings, astrings;
	const char ***lists; /* label arrays (their strings borrowed from the kustomization documents) */
	size_t nlists, alists;
	platci_kproblem *problems;
	size_t nproblems, aproblems;
};

/* What the kustomizations above a resource do to it. */
typedef struct xform {
	const char *ns, *pre, *suf;
	const char *const *labels, *const *tlabels;
} xform;

typedef struct build_ctx {
	platci_kustomize *k;
	platci_kbuild *b;
	size_t afiles, aresources, adirs;
	const char *stack[MAX_DEPTH];
	size_t depth;
} build_ctx;

int platci_kustomize_is_kfile_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0;
}

int platci_kustomize_new(platci_kustomize **out, const char *root, const char *const *paths,
	const platci_doc *const *docs, size_t count)
{
	platci_kustomize *k;

	*out = NULL;
	for (size_t i = 1; i < count; i++)
		if (strcmp(paths[i - 1], paths[i]) >= 0)
			return PLATCI_EINVALID;
	if (!(k = calloc(1, sizeof(*k))))
		return PLATCI_ENOMEM;
	k->root = root;
	k->paths = paths;
	k->docs = docs;
	k->count = count;
	*out = k;
	return 0;
}

void platci_kustomize_free(platci_kustomize *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nstrings; i++)
		free(k->strings[i]);
	free(k->strings);
	for (size_t i = 0; i < k->nlists; i++)
		free(k->lists[i]);
	free(k->lists);
	free(k->problems);
	free(k);
}

static const char *keep(platci_kustomize *k, char *s)
{
	if (!s)
		return NULL;
	if (platci__grow_array((void **)&k->strings, &k->astrings, k->nstrings + 1, sizeof(char *)) < 0) {
		free(s);
		return NULL;
	}
	k->strings[k->nstrings++] = s;
	return s;
}

size_t platci_kustomize_find(const platci_kustomize *k, const char *path)
{
	size_t lo = 0, hi = k->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k->paths[mid], path);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

/* First index whose path is >= @p prefix. */
static size_t lower_bound(const platci_kustomize *k, const char *prefix)
{
	size_t lo = 0, hi = k->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->paths[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int disk_stat(const platci_kustomize *k, const char *rel, int want_dir)
{
	platci_buf full = PLATCI_BUF_INIT;
	struct stat st;
	int ok = 0;

	if (!k->root)
		return 0;
	if (platci_path_on_disk(&full, k->root, *rel ? rel : ".") == 0 && stat(full.ptr, &st) == 0)
		ok = want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
	platci_buf_dispose(&full);
	return ok;
}

int platci_kustomize_is_dir(const platci_kustomize *k, const char *dir)
{
	platci_buf pre = PLATCI_BUF_INIT;
	size_t i;
	int found = 0;

	if (!*dir || strcmp(dir, ".") == 0)
		return 1;
	platci_buf_printf(&pre, "%s/", dir);
	if (pre.error)
		return 0;
	i = lower_bound(k, pre.ptr);
	found = i < k->count && strncmp(k->paths[i], pre.ptr, pre.size) == 0;
	platci_buf_dispose(&pre);
	return found || disk_stat(k, dir, 1);
}

size_t platci_kustomize_problem_count(const platci_kustomize *k)
{
	return k ? k->nproblems : 0;
}

const platci_kproblem *platci_kustomize_problem_at(const platci_kustomize *k, size_t i)
{
	return k && i < k->nproblems ? &k->problems[i] : NULL;
}

static int problem(platci_kustomize *k, const char *rule, const char *file, const platci_node *at,
	const char *arg, const char *what)
{
	platci_pos pos = at ? platci_node_start(at) : (platci_pos){ 0, 0, 0 };
	platci_buf msg = PLATCI_BUF_INIT;
	platci_kproblem *p;

	for (size_t i = 0; i < k->nproblems; i++)
		if (k->problems[i].line == pos.line && k->problems[i].column == pos.column &&
			strcmp(k->problems[i].rule_id, rule) == 0 &&
			strcmp(k->problems[i].file, file) == 0)
			return 0;
	if (platci__grow_array((void **)&k->problems, &k->aproblems, k->nproblems + 1,
		    sizeof(*k->problems)) < 0)
		return PLATCI_ENOMEM;
	platci_buf_printf(&msg, "\"%s\" %s", arg, what);
	if (msg.error)
		return PLATCI_ENOMEM;
	p = &k->problems[k->nproblems];
	p->rule_id = rule;
	p->file = file;
	p->line = pos.line;
	p->column = pos.column;
	if (!(p->message = keep(k, platci_buf_detach(&msg))))
		return PLATCI_ENOMEM;
	k->nproblems++;
	return 0;
}

static int add_file(build_ctx *c, size_t idx)
{
	if (platci__grow_array((void **)&c->b->files, &c->afiles, c->b->file_count + 1, sizeof(size_t)) < 0)
		return PLATCI_ENOMEM;
	c->b->files[c->b->file_count++] = idx;
	return 0;
}

static int add_dir(build_ctx *c, const char *dir)
{
	char *d;

	if (platci__grow_array((void **)&c->b->dirs, &c->adirs, c->b->dir_count + 1, sizeof(char *)) < 0)
		return PLATCI_ENOMEM;
	if (!(d = platci__strdup(dir)))
		return PLATCI_ENOMEM;
	c->b->dirs[c->b->dir_count++] = d;
	return 0;
}

static int add_resources(build_ctx *c, size_t idx, const xform *x)
{
	const platci_doc *doc = c->k->docs[idx];
	size_t n = doc ? platci_doc_count(doc) : 1;

	if (add_file(c, idx) < 0)
		return PLATCI_ENOMEM;
	for (size_t d = 0; d < n; d++) {
		platci_kresource *r;
		if (doc && !platci_doc_root_at(doc, d))
			continue;
		if (platci__grow_array((void **)&c->b->resources, &c->aresources,
			    c->b->resource_count + 1, sizeof(*r)) < 0)
			return PLATCI_ENOMEM;
		r = &c->b->resources[c->b->resource_count++];
		r->file = idx;
		r->doc = doc ? d : PLATCI_KRESOURCE_ALL_DOCS;
		r->namespace_ = x->ns;
		r->name_prefix = x->pre;
		r->name_suffix = x->suf;
		r->labels = x->labels;
		r->template_labels = x->tlabels;
	}
	return 0;
}

static int is_yaml(const char *p)
{
	size_t n = strlen(p);
	return (n > 5 && strcmp(p + n - 5, ".yaml") == 0) || (n > 4 && strcmp(p + n - 4, ".yml") == 0);
}

static int is_remote(const char *s)
{
	return strstr(s, "://") || strstr(s, "?ref=") || strncmp(s, "git@", 4) == 0 ||
	       strncmp(s, "github.com/", 11) == 0 || strncmp(s, "gitlab.com/", 11) == 0;
}

static size_t find_kfile(const platci_kustomize *k, const char *dir)
{
	static const char *const names[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };
	platci_buf p = PLATCI_BUF_INIT;
	size_t idx = (size_t)-1;

	for (size_t i = 0; i < 3 && idx == (size_t)-1; i++) {
		if (platci_path_join(&p, dir, names[i]) == 0)
			idx = platci_kustomize_find(k, p.ptr);
	}
	platci_buf_dispose(&p);
	return idx;
}

static int resolve_dir(build_ctx *c, const char *dir, const xform *x, const char *from_file,
	const platci_node *from);

/* Flux's generated kustomization: every YAML file, recursively; a sub-folder with its own kustomization is built as one. */
static int auto_dir(build_ctx *c, const char *dir, const xform *x)
{
	platci_kustomize *k = c->k;
	platci_buf pre_b = PLATCI_BUF_INIT, sub = PLATCI_BUF_INIT;
	size_t i;
	int error = 0;

	if (*dir)
		platci_buf_printf(&pre_b, "%s/", dir);
	else
		platci_buf_puts(&pre_b, "");
	if (pre_b.error)
		return PLATCI_ENOMEM;
	for (i = lower_bound(k, pre_b.ptr);
		i < k->count && strncmp(k->paths[i], pre_b.ptr, pre_b.size) == 0; i++) {
		const char *rel = k->paths[i] + pre_b.size;
		const char *slash = strchr(rel, '/');

		if (!slash) {
			if (is_yaml(rel) && (error = add_resources(c, i, x)) < 0)
				goto done;
			continue;
		}
		/* A sub-folder: resolve it once, then skip past its files. */
		platci_buf_clear(&sub);
		platci_buf_printf(&sub, "%.*s", (int)(slash - k->paths[i]), k->paths[i]);
		if (sub.error) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		if (find_kfile(k, sub.ptr) != (size_t)-1) {
			if ((error = resolve_dir(c, sub.ptr, x, NULL, NULL)) < 0)
				goto done;
		} else {
			if ((error = add_dir(c, sub.ptr)) < 0 || (error = auto_dir(c, sub.ptr, x)) < 0)
				goto done;
		}
		platci_buf_putc(&sub, '/');
		while (i + 1 < k->count && strncmp(k->paths[i + 1], sub.ptr, sub.size) == 0)
			i++;
	}
done:
	platci_buf_dispose(&pre_b);
	platci_buf_dispose(&sub);
	return error;
}

typedef enum { REF_RESOURCE, REF_COMPONENT, REF_FILE } ref_kind;

static int follow_ref(build_ctx *c, const char *dir, const char *kfile, const platci_node *entry,
	ref_kind kind, const xform *x)
{
	platci_kustomize *k = c->k;
	platci_buf target = PLATCI_BUF_INIT;
	const char *s = platci_node_scalar(entry, NULL);
	const char *eq;
	size_t idx;
	int error = 0, rc;

	if (!s || !*s || is_remote(s))
		return 0;
	/* Generator entries may be `key=path`. */
	if (kind == REF_FILE && (eq = strchr(s, '=')) != NULL)
		s = eq + 1;
	rc = platci_path_join(&target, *dir ? dir : ".", s);
	if (rc == PLATCI_EUNSAFE) {
		error = problem(k, "kustomize.escapes-repo", kfile, entry, s, "leaves the repository");
		goto done;
	}
	if (rc < 0) {
		error = rc == PLATCI_ENOMEM ? rc
					    : problem(k, "kustomize.missing-ref", kfile, entry, s,
						      "is not a valid path");
		goto done;
	}
	if (strcmp(target.ptr, ".") == 0)
		platci_buf_clear(&target);
	if ((idx = platci_kustomize_find(k, target.ptr)) != (size_t)-1) {
		if (kind == REF_RESOURCE)
			error = add_resources(c, idx, x);
		else
			error = add_file(c, idx);
	} else if (kind != REF_FILE && platci_kustomize_is_dir(k, target.ptr)) {
		error = resolve_dir(c, target.ptr, x, kfile, entry);
	} else if (disk_stat(k, target.ptr, 0)) {
		/* a non-YAML file (generator input, chart values): exists, nothing to build */
	} else if (kind == REF_FILE && platci_kustomize_is_dir(k, target.ptr)) {
		/* generators may name folders */
	} else {
		error = problem(k, "kustomize.missing-ref", kfile, entry, s, "does not exist");
	}
done:
	platci_buf_dispose(&target);
	return error;
}

static int follow_list(build_ctx *c, const char *dir, const char *kfile, const platci_node *list,
	const char *subkey, ref_kind kind, const xform *x)
{
	int error = 0;

	if (!list || platci_node_type_of(list) != PLATCI_NODE_SEQUENCE)
		return 0;
	for (size_t i = 0; i < platci_node_count(list) && !error; i++) {
		const platci_node *it = platci_node_item_at(list, i);
		if (subkey) {
			if (platci_node_type_of(it) != PLATCI_NODE_MAPPING)
				continue;
			it = platci_node_get(it, subkey);
			if (!it)
				continue;
		}
		if (platci_node_type_of(it) == PLATCI_NODE_SEQUENCE) {
			error = follow_list(c, dir, kfile, it, NULL, kind, x);
			continue;
		}
		if (platci_node_type_of(it) != PLATCI_NODE_SCALAR)
			continue;
		/* patchesStrategicMerge also takes inline patches */
		if (kind == REF_FILE && strchr(platci_node_scalar(it, NULL), '\n'))
			continue;
		error = follow_ref(c, dir, kfile, it, kind, x);
	}
	return error;
}

static char *concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);
	if (!s)
		return NULL;
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* A growing key,value,... list (NULL-terminated once kept). */
typedef struct pairs {
	const char **kv;
	size_t n, alloc; /* n counts strings, not pairs */
	int oom;
} pairs;

/* Sets @p key to @p value: a later setting replaces an earlier one, in place. */
static void pairs_set(pairs *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i += 2)
		if (strcmp(p->kv[i], key) == 0) {
			p->kv[i + 1] = value;
			return;
		}
	if (platci__grow_array((void **)&p->kv, &p->alloc, p->n + 3, sizeof(char *)) < 0) {
		p->oom = 1;
		return;
	}
	p->kv[p->n++] = key;
	p->kv[p->n++] = value;
	p->kv[p->n] = NULL;
}

static void pairs_set_map(pairs *p, const platci_node *map)
{
	if (platci_node_type_of(map) != PLATCI_NODE_MAPPING)
		return;
	for (size_t i = 0; i < platci_node_count(map); i++) {
		const char *key = platci_node_scalar(platci_node_key_at(map, i), NULL);
		const platci_node *vn = platci_node_value_at(map, i);
		const char *value = platci_node_type_of(vn) == PLATCI_NODE_SCALAR
					    ? platci_node_scalar(vn, NULL)
					    : NULL;
		if (key && value)
			pairs_set(p, key, value);
	}
}

static void pairs_set_list(pairs *p, const char *const *kv)
{
	for (size_t i = 0; kv && kv[i]; i += 2)
		pairs_set(p, kv[i], kv[i + 1]);
}

static int is_true(const platci_node *n)
{
	return platci_node_is(n, "true") || platci_node_is(n, "True") || platci_node_is(n, "TRUE");
}

/* Hands @p p's array to the resolver: NULL when empty, else the NULL-terminated array. */
static int keep_pairs(platci_kustomize *k, pairs *p, const char *const **out)
{
	*out = NULL;
	if (p->oom) {
		free(p->kv);
		return PLATCI_ENOMEM;
	}
	if (!p->n)
		return 0;
	if (platci__grow_array((void **)&k->lists, &k->alists, k->nlists + 1, sizeof(*k->lists)) < 0) {
		free(p->kv);
		return PLATCI_ENOMEM;
	}
	k->lists[k->nlists++] = p->kv;
	*out = p->kv;
	return 0;
}

/*
 * The labels of this kustomization (`commonLabels`, then each `labels`
 * entry in order; a later one replaces an earlier one) with @p outer's on
 * top: the outer kustomization transforms the output of this one, so its
 * values win. `commonLabels` and entries with `includeSelectors` or
 * `includeTemplates` also reach pod templates.
 */
static int own_labels(platci_kustomize *k, const platci_node *root, const xform *outer, xform *nx)
{
	const platci_node *common = platci_node_get(root, "commonLabels");
	const platci_node *list = platci_node_get(root, "labels");
	pairs m = { NULL, 0, 0, 0 }, t = { NULL, 0, 0, 0 };
	int error;

	nx->labels = outer->labels;
	nx->tlabels = outer->tlabels;
	pairs_set_map(&m, common);
	pairs_set_map(&t, common);
	for (size_t i = 0;
		platci_node_type_of(list) == PLATCI_NODE_SEQUENCE && i < platci_node_count(list); i++) {
		const platci_node *it = platci_node_item_at(list, i);
		const platci_node *pm = platci_node_get(it, "pairs");
		pairs_set_map(&m, pm);
		if (is_true(platci_node_get(it, "includeSelectors")) ||
			is_true(platci_node_get(it, "includeTemplates")))
			pairs_set_map(&t, pm);
	}
	if (m.n) {
		pairs_set_list(&m, outer->labels);
		if ((error = keep_pairs(k, &m, &nx->labels)) < 0) {
			free(t.kv);
			return error;
		}
	} else if (m.oom) {
		free(t.kv);
		return PLATCI_ENOMEM;
	}
	if (t.n) {
		pairs_set_list(&t, outer->tlabels);
		return keep_pairs(k, &t, &nx->tlabels);
	}
	return t.oom ? PLATCI_ENOMEM : 0;
}

static int resolve_dir(build_ctx *c, const char *dir, const xform *x, const char *from_file,
	const platci_node *from)
{
	platci_kustomize *k = c->k;
	const platci_node *root;
	const char *kfile, *this_pre, *this_suf, *this_ns;
	xform nx = *x;
	size_t kidx;
	int error = 0;

	for (size_t i = 0; i < c->depth; i++) {
		if (strcmp(c->stack[i], dir) == 0)
			return from_file ? problem(k, "kustomize.cycle", from_file, from, dir,
						   "includes itself through its resources (a cycle)")
					 : 0;
	}
	if (c->depth >= MAX_DEPTH)
		return from_file ? problem(k, "kustomize.cycle", from_file, from, dir,
					   "nests resources deeper than 64 levels")
				 : 0;
	if ((error = add_dir(c, dir)) < 0)
		return error;
	kidx = find_kfile(k, dir);
	if (kidx == (size_t)-1) {
		c->stack[c->depth++] = dir;
		error = auto_dir(c, dir, x);
		c->depth--;
		return error;
	}
	if ((error = add_file(c, kidx)) < 0)
		return error;
	kfile = k->paths[kidx];
	root = k->docs[kidx] ? platci_doc_root_at(k->docs[kidx], 0) : NULL;
	if (!root || platci_node_type_of(root) != PLATCI_NODE_MAPPING)
		return 0;
	this_ns = platci_node_get_str(root, "namespace");
	this_pre = platci_node_get_str(root, "namePrefix");
	this_suf = platci_node_get_str(root, "nameSuffix");
	if (!nx.ns)
		nx.ns = this_ns;
	if (this_pre && *this_pre && !(nx.pre = keep(k, concat(x->pre, this_pre))))
		return PLATCI_ENOMEM;
	if (this_suf && *this_suf && !(nx.suf = keep(k, concat(this_suf, x->suf))))
		return PLATCI_ENOMEM;
	if ((error = own_labels(k, root, x, &nx)) < 0)
		return error;

	c->stack[c->depth++] = dir;
	if ((error = follow_list(c, dir, kfile, platci_node_get(root, "resources"), NULL,
		     REF_RESOURCE, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "bases"), NULL,
			 REF_RESOURCE, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "crds"), NULL,
			 REF_RESOURCE, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "components"), NULL,
			 REF_COMPONENT, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "patches"), "path",
			 REF_FILE, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "patchesStrategicMerge"),
			 NULL, REF_FILE, &nx)) < 0 ||
		(error = follow_list(c, dir, kfile, platci_node_get(root, "patchesJson6902"),
			 "path", REF_FILE, &nx)) < 0)
		goto done;
	{
		static const char *const gens[] = { "configMapGenerator", "secretGenerator" };
		for (size_t g = 0; g < 2; g++) {
			const platci_node *list = platci_node_get(root, gens[g]);
			for (size_t i = 0; list && i < platci_node_count(list); i++) {
				const platci_node *it = platci_node_item_at(list, i);
				const platci_node *env = platci_node_get(it, "env");
				if ((error = follow_list(c, dir, kfile, platci_node_get(it, "files"),
					     NULL, REF_FILE, &nx)) < 0 ||
					(error = follow_list(c, dir, kfile,
						 platci_node_get(it, "envs"), NULL, REF_FILE, &nx)) < 0)
					goto done;
				if (env && platci_node_type_of(env) == PLATCI_NODE_SCALAR &&
					(error = follow_ref(c, dir, kfile, env, REF_FILE, &nx)) < 0)
					goto done;
			}
		}
	}
done:
	c->depth--;
	return error;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int platci_kustomize_resolve(platci_kbuild *out, platci_kustomize *k, const char *dir, const char *namespace_)
{
	platci_buf norm = PLATCI_BUF_INIT;
	build_ctx c;
	xform x;
	int error = 0;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&x, 0, sizeof(x));
	PLATCI_ASSERT_ARG(k && dir);
	c.k = k;
	c.b = out;
	if (platci_path_normalize(&norm, *dir ? dir : ".") < 0) {
		error = PLATCI_ENOTFOUND;
		goto done;
	}
	if (strcmp(norm.ptr, ".") == 0)
		platci_buf_clear(&norm);
	if (!platci_kustomize_is_dir(k, norm.ptr)) {
		error = PLATCI_ENOTFOUND;
		goto done;
	}
	x.ns = namespace_;
	x.pre = "";
	x.suf = "";
	if ((error = resolve_dir(&c, norm.ptr, &x, NULL, NULL)) < 0)
		goto done;
	if (out->file_count) {
		size_t w = 0;
		qsort(out->files, out->file_count, sizeof(size_t), cmp_size);
		for (size_t i = 0; i < out->file_count; i++)
			if (!w || out->files[w - 1] != out->files[i])
				out->files[w++] = out->files[i];
		out->file_count = w;
	}
	if (out->dir_count) {
		size_t w = 0;
		qsort(out->dirs, out->dir_count, sizeof(char *), cmp_str);
		for (size_t i = 0; i < out->dir_count; i++) {
			if (w && strcmp(out->dirs[w - 1], out->dirs[i]) == 0)
				free(out->dirs[i]);
			else
				out->dirs[w++] = out->dirs[i];
		}
		out->dir_count = w;
	}
done:
	if (error < 0)
		platci_kbuild_dispose(out);
	platci_buf_dispose(&norm);
	return error;
}

void platci_kbuild_dispose(platci_kbuild *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->dir_count; i++)
		free(b->dirs[i]);
	free(b->dirs);
	free(b->files);
	free(b->resources);
	memset(b, 0, sizeof(*b));
}
