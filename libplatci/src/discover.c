/* platci init: what a repository holds (Flux clusters, kustomize overlays, Terraform roots
 * with a backend), found by walking its tree, and the starting platci.yaml. Rules in
 * platci/discover.h. */
#include <string.h>
#include <sys/stat.h>

#include "hcl.h"
#include "platci/path.h"
#include "platci/discover.h"
#include "platci/doc.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

#define MAX_FILE (4u * 1024 * 1024)

enum {
	D_FLUX_SYSTEM = 1, /* holds flux-system/ with Flux's bootstrap files */
	D_FLUX_KS = 2, /* holds a Flux Kustomization object */
	D_KUSTOMIZATION = 4, /* holds kustomization.yaml */
	D_HAS_BASE = 8, /* has a base/ child */
	D_TF_BACKEND = 16, /* .tf files with terraform { backend } */
	D_BOOTSTRAP = 32 /* is itself a flux-system folder with bootstrap files */
};

typedef struct dir_info {
	char *rel; /* "" for the root */
	size_t parent, depth;
	unsigned int flags;
} dir_info;

typedef struct env_rec {
	char *name, *cluster, *overlay, *infra, *why;
	int rank;
} env_rec;

struct platci_discover {
	char *root;
	dir_info *dirs;
	size_t ndirs, adirs;
	env_rec *envs;
	size_t nenvs, aenvs;
	platci_discovered_env *view;
	char *policies[4];
	char **shared; /* Terraform roots beside Flux clusters that pair with none */
	size_t nshared, ashared;
};

static const char *const policy_kinds[4] = { "manifests", "gates", "scan", "drift" };

int platci_discover_options_init(platci_discover_options *opts, unsigned int version)
{
	platci_discover_options init = PLATCI_DISCOVER_OPTIONS_INIT;
	if (!opts || version != PLATCI_DISCOVER_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

void platci_discover_free(platci_discover *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ndirs; i++)
		free(d->dirs[i].rel);
	for (size_t i = 0; i < d->nenvs; i++) {
		free(d->envs[i].name);
		free(d->envs[i].cluster);
		free(d->envs[i].overlay);
		free(d->envs[i].infra);
		free(d->envs[i].why);
	}
	for (size_t i = 0; i < 4; i++)
		free(d->policies[i]);
	for (size_t i = 0; i < d->nshared; i++)
		free(d->shared[i]);
	free(d->shared);
	free(d->dirs);
	free(d->envs);
	free(d->view);
	free(d->root);
	free(d);
}

static const char *base_name(const char *rel)
{
	const char *s = strrchr(rel, '/');
	return s ? s + 1 : rel;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int add_dir(platci_discover *d, const char *rel, size_t parent, size_t depth)
{
	dir_info *di;
	if (platci__grow_array((void **)&d->dirs, &d->adirs, d->ndirs + 1, sizeof(*di)) < 0)
		return PLATCI_ENOMEM;
	di = &d->dirs[d->ndirs];
	if (!(di->rel = platci__strdup(rel)))
		return PLATCI_ENOMEM;
	di->parent = parent;
	di->depth = depth;
	di->flags = 0;
	d->ndirs++;
	return 0;
}

/* A Flux Kustomization object anywhere in the file's documents. */
static int has_flux_kustomization(const platci_buf *data, const char *name)
{
	platci_doc *doc = NULL;
	int found = 0;

	if (!strstr(data->ptr, "kustomize.toolkit.fluxcd.io") ||
		platci_doc_load_buffer(&doc, name, data->ptr, data->size, NULL, NULL) < 0)
		return 0;
	for (size_t i = 0; !found && i < platci_doc_count(doc); i++) {
		const platci_node *r = platci_doc_root_at(doc, i);
		const char *api = platci_node_get_str(r, "apiVersion"),
			   *kind = platci_node_get_str(r, "kind");
		found = api && kind && strncmp(api, "kustomize.toolkit.fluxcd.io/", 28) == 0 &&
			strcmp(kind, "Kustomization") == 0;
	}
	platci_doc_free(doc);
	return found;
}

static int has_backend(const platci_buf *data, const char *name)
{
	hcl_file f;
	int found = 0;

	if (!strstr(data->ptr, "backend") || platci__hcl_scan(&f, data->ptr, data->size, name, NULL) < 0)
		return 0;
	for (size_t b = 0; !found && b < f.nblocks; b++)
		found = strcmp(f.blocks[b].type, "backend") == 0 && f.blocks[b].parent != HCL_TOP &&
			strcmp(f.blocks[f.blocks[b].parent].type, "terraform") == 0;
	platci__hcl_dispose(&f);
	return found;
}

/* Flags a regular file contributes to its folder. */
static unsigned int file_flags(const char *full, const char *name, platci_buf *data, platci_diag *diag)
{
	int yaml = ends_with(name, ".yaml") || ends_with(name, ".yml"), tf = ends_with(name, ".tf");
	unsigned int flags = 0;

	if (strcmp(name, "kustomization.yaml") == 0 || strcmp(name, "kustomization.yml") == 0 ||
		strcmp(name, "Kustomization") == 0)
		flags |= D_KUSTOMIZATION;
	if (strcmp(name, "gotk-sync.yaml") == 0 || strcmp(name, "gotk-components.yaml") == 0)
		flags |= D_BOOTSTRAP;
	if (!yaml && !tf)
		return flags;
	platci_buf_clear(data);
	if (platci_fs_read(data, full, MAX_FILE, NULL) < 0) {
		platci_diag_entry e = { PLATCI_DIAG_WARNING, PLATCI_EIO, full, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "skipped: unreadable or larger than %u bytes", MAX_FILE);
		return flags;
	}
	if (yaml && has_flux_kustomization(data, name))
		flags |= D_FLUX_KS;
	if (tf && has_backend(data, name))
		flags |= D_TF_BACKEND;
	return flags;
}

typedef struct scan_ctx {
	platci_discover *d;
	size_t i;
	const platci_discover_options *o;
	platci_buf *data;
	platci_diag *diag;
} scan_ctx;

static int scan_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	scan_ctx *c = payload;
	dir_info *di = &c->d->dirs[c->i];
	const char *name = base_name(rel);

	if (strcmp(name, "node_modules") == 0)
		return 0;
	if (S_ISREG(st->st_mode)) {
		di->flags |= file_flags(full, name, c->data, c->diag);
	} else if (S_ISDIR(st->st_mode) && di->depth < c->o->max_depth) {
		if (c->d->ndirs >= c->o->max_dirs)
			return PLATCI_ELIMIT;
		return add_dir(c->d, rel, c->i, di->depth + 1);
	}
	return 0;
}

/* Reads folder @p i: its files' flags, and its subfolders appended to the walk. */
static int scan_dir(platci_discover *d, size_t i, const platci_discover_options *o,
	platci_buf *data, platci_diag *diag)
{
	scan_ctx c = { d, i, o, data, diag };

	return platci__walk(d->root, d->dirs[i].rel, 0, 0, scan_entry, &c);
}

static int walk(platci_discover *d, const platci_discover_options *o, platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	int error = add_dir(d, "", (size_t)-1, 0);

	/* breadth first: the array grows while we walk it */
	for (size_t i = 0; !error && i < d->ndirs; i++)
		error = scan_dir(d, i, o, &data, diag);
	/* what a folder says about its parent */
	for (size_t i = 1; !error && i < d->ndirs; i++) {
		dir_info *p = &d->dirs[d->dirs[i].parent];
		const char *name = base_name(d->dirs[i].rel);
		if (strcmp(name, "flux-system") == 0 && (d->dirs[i].flags & (D_BOOTSTRAP | D_KUSTOMIZATION)))
			p->flags |= D_FLUX_SYSTEM;
		if (strcmp(name, "base") == 0)
			p->flags |= D_HAS_BASE;
	}
	platci_buf_dispose(&data);
	if (error == PLATCI_ELIMIT) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, d->root, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "more than %zu folders: give a smaller root", o->max_dirs);
	}
	return error;
}

/* 0 dev, 1 test, 2 staging, 3 production; 1 for names that say nothing */
static int rank_of(const char *name)
{
	static const char *const words[][4] = { { "dev", "sandbox", NULL, NULL },
		{ "test", "qa", "int", NULL }, { "stag", "stg", "uat", "preprod" },
		{ "prod", "prd", "live", NULL } };
	for (int r = 2; r >= 0; r = r == 2 ? 0 : r == 0 ? 1 : -1)
		for (size_t w = 0; w < 4 && words[r][w]; w++)
			if (strstr(name, words[r][w]))
				return r;
	for (size_t w = 0; w < 3; w++)
		if (strstr(name, words[3][w]))
			return 3;
	return 1;
}

/* Folder names that say nothing about the environment: use the folder above. */
static int generic_name(const char *s)
{
	static const char *const generic[] = { "", "cluster", "clusters", "flux", "flux-system",
		"k8s", "kubernetes", "gitops", "deploy", "env", "envs", "environments" };
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(generic); i++)
		if (strcmp(s, generic[i]) == 0)
			return 1;
	return 0;
}

/* A platci.yaml name ([a-z0-9-]) for the folder @p rel: its name, or the one above it. */
static char *env_name(const char *rel, const char *root)
{
	platci_buf b = PLATCI_BUF_INIT;
	const char *end = rel + strlen(rel), *start;
	char *out;

	for (;;) {
		start = end;
		while (start > rel && start[-1] != '/')
			start--;
		platci_buf_clear(&b);
		platci_buf_put(&b, start, (size_t)(end - start));
		if (!generic_name(b.ptr) || start == rel)
			break;
		end = start - 1;
	}
	if (!b.size || generic_name(b.ptr)) {
		platci_buf_clear(&b);
		platci_buf_puts(&b, base_name(root)); /* the repository's own folder */
	}
	for (size_t i = 0; i < b.size; i++) {
		char c = b.ptr[i];
		b.ptr[i] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a'
				  : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c
										       : '-');
	}
	out = b.error ? NULL : platci__strdup(b.size && b.ptr[0] != '-' ? b.ptr : "env");
	platci_buf_dispose(&b);
	return out;
}

static env_rec *find_env(platci_discover *d, const char *name)
{
	for (size_t i = 0; i < d->nenvs; i++)
		if (strcmp(d->envs[i].name, name) == 0)
			return &d->envs[i];
	return NULL;
}

/* Adds an environment named after @p rel (made unique with the folder above, then a number). */
static int add_env(platci_discover *d, const char *rel, env_rec **out)
{
	char *name = env_name(rel, d->root);
	platci_buf b = PLATCI_BUF_INIT;
	env_rec *e;

	*out = NULL;
	if (!name)
		return PLATCI_ENOMEM;
	for (int n = 2; find_env(d, name) && n < 1000; n++) {
		platci_buf_clear(&b);
		platci_buf_printf(&b, "%s-%d", name, n);
		free(name);
		if (b.error || !(name = platci__strdup(b.ptr))) {
			platci_buf_dispose(&b);
			return PLATCI_ENOMEM;
		}
	}
	platci_buf_dispose(&b);
	if (platci__grow_array((void **)&d->envs, &d->aenvs, d->nenvs + 1, sizeof(*e)) < 0) {
		free(name);
		return PLATCI_ENOMEM;
	}
	e = &d->envs[d->nenvs++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->rank = rank_of(name);
	*out = e;
	return 0;
}

static int is_inside(const char *rel, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(rel, dir, n) == 0 && rel[n] == '/';
}

/* The folders that pass rule @p flag, outermost only; 3 is the overlays-beside-base rule. */
static int pick(const platci_discover *d, size_t i, int rule)
{
	const dir_info *di = &d->dirs[i];
	if (rule == 1)
		return (di->flags & D_FLUX_SYSTEM) != 0;
	if (rule == 2)
		return (di->flags & D_FLUX_KS) && strcmp(base_name(di->rel), "flux-system") != 0;
	return i > 0 && (di->flags & D_KUSTOMIZATION) && (d->dirs[di->parent].flags & D_HAS_BASE) &&
	       strcmp(base_name(di->rel), "base") != 0;
}

static const char *const rule_why[] = { NULL, "holds flux-system/ (Flux bootstrap)",
	"holds Flux Kustomizations", "kustomize overlay beside base/" };

static int find_clusters(platci_discover *d)
{
	for (int rule = 1; rule <= 3; rule++) {
		for (size_t i = 0; i < d->ndirs; i++) {
			int nested = 0;
			env_rec *e;
			if (!pick(d, i, rule))
				continue;
			for (size_t j = 0; j < d->ndirs && !nested; j++)
				nested = j != i && pick(d, j, rule) &&
					 is_inside(d->dirs[i].rel, d->dirs[j].rel);
			if (nested)
				continue;
			if (add_env(d, *d->dirs[i].rel ? d->dirs[i].rel : ".", &e) < 0 ||
				!(e->cluster = platci__strdup(*d->dirs[i].rel ? d->dirs[i].rel : ".")) ||
				!(e->why = platci__strdup(rule_why[rule])))
				return PLATCI_ENOMEM;
			if (rule == 3 && !(e->overlay = platci__strdup(e->cluster)))
				return PLATCI_ENOMEM;
		}
		if (d->nenvs)
			break;
	}
	return 0;
}

static const dir_info *dir_at(const platci_discover *d, const char *rel)
{
	for (size_t i = 0; i < d->ndirs; i++)
		if (strcmp(d->dirs[i].rel, rel) == 0)
			return &d->dirs[i];
	return NULL;
}

/* apps/<name> with a kustomization, nearest above the cluster folder. */
static int find_overlay(platci_discover *d, env_rec *e)
{
	platci_buf up = PLATCI_BUF_INIT, cand = PLATCI_BUF_INIT;
	const char *leaf = base_name(e->cluster);
	int error = 0;

	platci_buf_puts(&up, e->cluster);
	while (!e->overlay && !error) {
		char *slash = strrchr(up.ptr, '/');
		const dir_info *di;
		if (slash) {
			*slash = '\0';
			up.size = (size_t)(slash - up.ptr);
		} else {
			platci_buf_clear(&up);
		}
		platci_buf_clear(&cand);
		platci_buf_printf(&cand, "%s%sapps/%s", up.ptr, up.size ? "/" : "",
			generic_name(leaf) ? e->name : leaf);
		if (cand.error)
			error = PLATCI_ENOMEM;
		else if ((di = dir_at(d, cand.ptr)) && (di->flags & D_KUSTOMIZATION) &&
			 !(e->overlay = platci__strdup(cand.ptr)))
			error = PLATCI_ENOMEM;
		if (!up.size)
			break;
	}
	platci_buf_dispose(&up);
	platci_buf_dispose(&cand);
	return error;
}

/* Terraform roots pair with the environment of the same name. Beside Flux clusters, a root
 * that pairs with none is shared (a global or bootstrap root), not an environment; in a
 * Terraform-only repository each root is an environment. */
static int find_terraform(platci_discover *d)
{
	int have_clusters = d->nenvs > 0;

	for (size_t i = 0; i < d->ndirs; i++) {
		char *name;
		env_rec *e;
		if (!(d->dirs[i].flags & D_TF_BACKEND))
			continue;
		if (!(name = env_name(*d->dirs[i].rel ? d->dirs[i].rel : ".", d->root)))
			return PLATCI_ENOMEM;
		e = find_env(d, name);
		free(name);
		if (e && e->infra)
			continue; /* the first root of that name wins; the user sees the others */
		if (!e && have_clusters) {
			if (platci__grow_array((void **)&d->shared, &d->ashared, d->nshared + 1,
				    sizeof(char *)) < 0 ||
				!(d->shared[d->nshared] = platci__strdup(d->dirs[i].rel)))
				return PLATCI_ENOMEM;
			d->nshared++;
			continue;
		}
		if (!e && (add_env(d, *d->dirs[i].rel ? d->dirs[i].rel : ".", &e) < 0 ||
				  !(e->why = platci__strdup("Terraform root with a backend"))))
			return PLATCI_ENOMEM;
		if (!(e->infra = platci__strdup(*d->dirs[i].rel ? d->dirs[i].rel : ".")))
			return PLATCI_ENOMEM;
	}
	return 0;
}

static int cmp_env(const void *x, const void *y)
{
	const env_rec *a = x, *b = y;
	return a->rank != b->rank ? a->rank - b->rank : strcmp(a->name, b->name);
}

static int find_policies(platci_discover *d)
{
	platci_buf p = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	int error = 0;

	for (size_t k = 0; k < 4 && !error; k++) {
		platci_buf_clear(&p);
		platci_buf_clear(&full);
		platci_buf_printf(&p, "policies/%s.yaml", policy_kinds[k]);
		if (p.error || platci_path_on_disk(&full, d->root, p.ptr) < 0)
			error = PLATCI_ENOMEM;
		else if (platci_fs_exists(full.ptr) && !(d->policies[k] = platci__strdup(p.ptr)))
			error = PLATCI_ENOMEM;
	}
	platci_buf_dispose(&p);
	platci_buf_dispose(&full);
	return error;
}

static int build_view(platci_discover *d)
{
	qsort(d->envs, d->nenvs, sizeof(*d->envs), cmp_env);
	if (!(d->view = calloc(d->nenvs + 1, sizeof(*d->view))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < d->nenvs; i++) {
		d->view[i].name = d->envs[i].name;
		d->view[i].cluster = d->envs[i].cluster;
		d->view[i].overlay = d->envs[i].overlay;
		d->view[i].infra = d->envs[i].infra;
		d->view[i].why = d->envs[i].why;
	}
	return 0;
}

int platci_discover_run(platci_discover **out, const char *root,
	const platci_discover_options *opts, platci_diag *diag)
{
	platci_discover_options o = PLATCI_DISCOVER_OPTIONS_INIT;
	platci_discover *d = NULL;
	int error = 0;

	*out = NULL;
	if (opts) {
		if (opts->version != PLATCI_DISCOVER_OPTIONS_VERSION)
			return PLATCI_EINVALID;
		o = *opts;
	}
	o.max_dirs = o.max_dirs ? o.max_dirs : 20000;
	o.max_depth = o.max_depth ? o.max_depth : 16;
	if (!platci_fs_is_dir(root)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, root, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "not a folder");
		return PLATCI_ENOTFOUND;
	}
	d = calloc(1, sizeof(*d));
	PLATCI_CHECK_ALLOC(d);
	if (!(d->root = platci__strdup(root)))
		error = PLATCI_ENOMEM;
	if (!error)
		error = walk(d, &o, diag);
	if (!error)
		error = find_clusters(d);
	for (size_t i = 0; !error && i < d->nenvs; i++)
		if (d->envs[i].cluster && !d->envs[i].overlay)
			error = find_overlay(d, &d->envs[i]);
	if (!error)
		error = find_terraform(d);
	if (!error)
		error = find_policies(d);
	if (!error && !d->nenvs) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, root, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"no environment found: looked for Flux clusters (flux-system/, "
			"Flux Kustomizations), kustomize overlays beside base/, and Terraform roots with a "
			"backend");
		error = PLATCI_ENOTFOUND;
	}
	if (!error)
		error = build_view(d);
	if (!error) {
		*out = d;
		d = NULL;
	}
done:
	platci_discover_free(d);
	return error;
}

size_t platci_discover_env_count(const platci_discover *d)
{
	return d ? d->nenvs : 0;
}

const platci_discovered_env *platci_discover_env_at(const platci_discover *d, size_t i)
{
	return d && i < d->nenvs ? &d->view[i] : NULL;
}

const char *platci_discover_policy(const platci_discover *d, const char *kind)
{
	for (size_t k = 0; d && kind && k < 4; k++)
		if (strcmp(policy_kinds[k], kind) == 0)
			return d->policies[k];
	return NULL;
}

/* platci.yaml's default root ("gitops" or "infra") when every path of that kind is below it,
 * else "." (Flux paths may point anywhere in the repository). */
static const char *tree_root(const platci_discover *d, int terraform)
{
	const char *want = terraform ? "infra" : "gitops";
	for (size_t i = 0; i < d->nenvs; i++) {
		const char *paths[2] = { terraform ? d->envs[i].infra : d->envs[i].cluster,
			terraform ? NULL : d->envs[i].overlay };
		for (size_t k = 0; k < 2; k++)
			if (paths[k] && !is_inside(paths[k], want))
				return ".";
	}
	return want;
}

static void put_key(platci_buf *out, const char *key, const char *value, const char *comment)
{
	platci_buf_printf(out, "    %-8s %s", key, value);
	if (comment)
		platci_buf_printf(out, "%*s# %s",
			(int)(value && strlen(value) < 36 ? 36 - strlen(value) : 1), "", comment);
	platci_buf_putc(out, '\n');
}

int platci_discover_render(platci_buf *out, const platci_discover *d)
{
	int flux = 0, tf = 0, any_policy = 0;

	for (size_t i = 0; i < d->nenvs; i++) {
		flux |= d->envs[i].cluster != NULL;
		tf |= d->envs[i].infra != NULL;
	}
	platci_buf_puts(out,
		"# platci.yaml, written by `platci init` from what this repository "
		"holds.\n# Reference: docs/platci-yaml.md. Review the order of the environments, "
		"set\n# promote_from and protected, then commit it.\nversion: 1\n");
	if (flux)
		platci_buf_printf(out, "gitops: %s\n", tree_root(d, 0));
	if (tf)
		platci_buf_printf(out, "infra: %s\n", tree_root(d, 1));
	platci_buf_puts(out,
		"environments:                 # in promotion order, guessed from the "
		"names\n");
	for (size_t i = 0; i < d->nenvs; i++) {
		const env_rec *e = &d->envs[i];
		platci_buf_printf(out, "  - name: %s\n", e->name);
		if (e->infra)
			put_key(out, "infra:", e->infra, "Terraform root with a backend");
		if (e->cluster)
			put_key(out, "cluster:", e->cluster, e->why);
		if (e->overlay)
			put_key(out, "overlay:", e->overlay, "apps overlay (promotion edits it)");
		if (i > 0)
			platci_buf_printf(out, "    # promote_from: %s\n", d->envs[i - 1].name);
	}
	for (size_t i = 0; i < d->nshared; i++)
		platci_buf_printf(out,
			"# %s is a Terraform root too, named after no cluster: shared, not an "
			"environment\n",
			d->shared[i]);
	for (size_t k = 0; k < 4; k++)
		if (d->policies[k]) {
			if (!any_policy++)
				platci_buf_puts(out, "policies:\n");
			platci_buf_printf(out, "  %s: %s\n", policy_kinds[k], d->policies[k]);
		}
	return out->error;
}
