/*
 * platci-validate's library side: load every YAML file once (worker
 * threads, merged in file order), build each environment's Flux tree,
 * then run the per-document checks and the policy on worker threads with
 * one findings list per file, and the tree-wide checks on this thread.
 * Output never depends on scheduling.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "platci/flux.h"
#include "platci/fs.h"
#include "platci/k8s.h"
#include "platci/kustomize.h"
#include "platci/path.h"
#include "platci/policy.h"
#include "platci/validate.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct file_list {
	char **items;
	size_t count, alloc;
} file_list;

/* What the duplicate check needs of a document once the document itself is gone. */
typedef struct idrec {
	char *gk;    /* group/kind */
	char *ns;    /* metadata.namespace, or NULL */
	char *name;
	char *key;   /* gk/namespace/name as written: the duplicate key when nothing transforms it */
	uint64_t hash;
	int cluster_scoped;
	size_t line, column;
} idrec;

/*
 * The labels every build reaching a document adds (kustomize `labels`,
 * `commonLabels`): a key stays when each build sets it; its value when
 * they all agree.
 */
typedef struct lblset {
	int seen;
	const char **m; /* metadata: NULL-terminated key,value...; strings borrowed from the resolver */
	const char **t; /* pod templates */
} lblset;

typedef struct file_result {
	platci_diag *diag;
	platci_doc *doc;
	platci_findings *findings; /* per-document checks, filled on workers */
	size_t documents;
	size_t nodes;
	int error;
	int empty;
	char *bytes;               /* not yet parsed (ordinary files wait for the check phase) */
	size_t len;
	int structural;            /* parsed up front and kept: kustomizations, Flux objects, related kinds */
	idrec *ids;                /* per document, for the duplicate check */
	size_t nids;
	/* set by the tree phase */
	const char *env;           /* environment of the file, or NULL */
	int env_protected;
	int role;                  /* ROLE_* */
	const char **ns;           /* per document (structural files): namespace override, or NULL */
	const char *ns_all;        /* the override for every document of an ordinary file */
	lblset *lbl;               /* per document (structural files): inherited labels */
	lblset lbl_all;            /* the same for every document of an ordinary file */
	size_t nlbl;
	size_t reach;              /* bit i: environment i reaches the file (first 64) */
} file_result;

enum { ROLE_OBJECTS = 0, ROLE_KFILE, ROLE_AUX, ROLE_POLICY };

struct vctx;

typedef struct work {
	const platci_config *cfg;
	const platci_validate_options *opts;
	char **files;
	size_t count;
	file_result *results;
	size_t next;
	pthread_mutex_t lock;
	int phase;                 /* 0 load, 1 check */
	struct vctx *v;
} work;

int platci_validate_options_init(platci_validate_options *opts, unsigned int version)
{
	platci_validate_options init = PLATCI_VALIDATE_OPTIONS_INIT;

	if (version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static int list_add(file_list *l, const char *rel, int dedupe)
{
	char *c;

	for (size_t i = 0; dedupe && i < l->count; i++)
		if (strcmp(l->items[i], rel) == 0)
			return 0;
	if (platci__grow_array((void **)&l->items, &l->alloc, l->count + 2, sizeof(char *)) < 0)
		return PLATCI_ENOMEM;
	if (!(c = platci__strdup(rel)))
		return PLATCI_ENOMEM;
	l->items[l->count++] = c;
	l->items[l->count] = NULL;
	return 0;
}

static int is_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* A Helm chart's templates are not YAML until helm renders them: charts are left out. */
static int is_chart_dir(const char *full)
{
	platci_buf chart = PLATCI_BUF_INIT;
	int yes = platci_path_on_disk(&chart, full, "Chart.yaml") == 0 && access(chart.ptr, F_OK) == 0;

	platci_buf_dispose(&chart);
	return yes;
}

static int collect_yaml(const char *rel, const char *full, const struct stat *st, void *payload)
{
	if (S_ISDIR(st->st_mode))
		return is_chart_dir(full) ? PLATCI__WALK_SKIP : 0;
	return is_yaml_name(rel) ? list_add(payload, rel, 0) : 0;
}

/* Every YAML file under the gitops root; symbolic links are not followed into directories. */
static int walk(file_list *l, const char *root, const char *rel)
{
	platci_buf full = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&full, root, rel)) < 0)
		return error;
	if (!is_chart_dir(full.ptr))
		error = platci__walk(root, rel, 64, collect_yaml, l);
	platci_buf_dispose(&full);
	return error;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void platci_validate_files_free(char **files)
{
	if (!files)
		return;
	for (char **p = files; *p; p++)
		free(*p);
	free(files);
}

int platci_validate_list_files(char ***out, const platci_config *cfg, platci_diag *diag)
{
	const platci_policy_paths *pol = platci_config_policies(cfg);
	const char *policy_files[4] = { pol->manifests, pol->gates, pol->scan, pol->drift };
	file_list l = { NULL, 0, 0 };
	int error = 0;

	(void)diag;
	*out = NULL;
	if ((error = walk(&l, platci_config_root(cfg), platci_config_gitops_root(cfg))) < 0)
		goto done;
	for (size_t i = 0; i < 4; i++)
		if (policy_files[i] && (error = list_add(&l, policy_files[i], 1)) < 0)
			goto done;
	if (!l.items) {
		l.items = calloc(1, sizeof(char *));
		PLATCI_CHECK_ALLOC(l.items);
	}
	qsort(l.items, l.count, sizeof(char *), cmp_str);
	*out = l.items;
	l.items = NULL;
done:
	if (l.items) {
		l.items[l.count] = NULL;
		platci_validate_files_free(l.items);
	}
	return error;
}

typedef struct env_tree {
	const platci_env *env;
	platci_kbuild *builds; /* cluster folder first, then each Flux Kustomization's path */
	size_t nbuilds, abuilds;
	char **flux_paths;     /* visited "dir|targetNamespace" keys */
	size_t npaths, apaths;
} env_tree;

typedef struct src_def {
	const char *kind, *name, *ns;
} src_def;

typedef struct vctx {
	const platci_config *cfg;
	const platci_validate_options *opts;
	char **files;
	size_t count;
	file_result *results;
	platci_kustomize *k;
	env_tree *trees;
	size_t ntrees;
	src_def *srcs;         /* sources, Kustomizations (kind "Kustomization") */
	size_t nsrcs, asrcs;
	const char *own_url;   /* spec.url of the GitRepository named flux-system */
	platci_policy *policy;
	platci_policy_index *pindex;
	platci_policy_target *targets;
	size_t ntargets, atargets;
	size_t *usage;         /* per thread slices, summed at the end */
	pthread_mutex_t usage_lock;
} vctx;

int platci__vfind(platci_findings *out, const char *rule, platci_severity sev,
	platci_enforcement enf, const char *file, size_t line, size_t col, const char *env,
	const char *key, const char *fmt, ...)
{
	platci_finding f;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.rule_id = rule;
	f.severity = sev;
	f.enforcement = enf;
	f.message = msg;
	f.file = file;
	f.line = line;
	f.column = col;
	f.env = env;
	f.key = key;
	return platci_findings_add(out, &f);
}

/* 1 when @p needle occurs in the @p len bytes at @p hay (memmem is not C11). */
static int contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = hay, *end = hay + len;

	if (!n || len < n)
		return 0;
	while ((p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return 0;
		if (memcmp(p, needle, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

static int parse_bytes(work *w, file_result *r, const char *file)
{
	char *bytes = r->bytes;
	size_t len = r->len;

	r->bytes = NULL;
	r->len = 0;
	if (!bytes)
		return 0;
	r->error = platci_doc__load_owned(&r->doc, file, bytes, len, &w->opts->doc, r->diag);
	if (r->doc) {
		r->documents = platci_doc_count(r->doc);
		r->nodes = platci_doc_node_total(r->doc);
	}
	return r->error == PLATCI_ENOMEM ? PLATCI_ENOMEM : 0;
}

/*
 * Reads a whole file into an exact-size buffer (the bytes wait in memory
 * until the check phase, so no slack). Anything unusual (not a regular
 * file, over the cap, a read error) goes through platci_fs_read() for its
 * diagnostics.
 */
static int read_exact(char **out, size_t *len, const char *path, size_t max, platci_diag *diag)
{
	struct stat st;
	platci_buf b = PLATCI_BUF_INIT;
	size_t size, got = 0;
	char *data = NULL;
	int fd, error;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (max && (unsigned long long)st.st_size > max))
		goto slow;
	size = (size_t)st.st_size;
	if (!(data = malloc(size + 1))) {
		close(fd);
		return PLATCI_ENOMEM;
	}
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto slow;
		if (n == 0)
			break; /* the file shrank: take what is there */
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*out = data;
	*len = got;
	return 0;
slow:
	if (fd >= 0)
		close(fd);
	free(data);
	if ((error = platci_fs_read(&b, path, max, diag)) == 0) {
		*len = b.size;
		if (!(*out = platci_buf_detach(&b)))
			error = PLATCI_ENOMEM;
	}
	platci_buf_dispose(&b);
	return error;
}

/*
 * Phase 0: read every file. Files the tree phase needs (kustomizations,
 * anything naming a fluxcd.io API, documents of kinds that policies look
 * up across files) are parsed now and kept; the rest wait as bytes, are
 * parsed in the check phase and freed right after, so memory stays flat.
 */
static void load_one(work *w, size_t i)
{
	file_result *r = &w->results[i];
	platci_buf full = PLATCI_BUF_INIT, data = PLATCI_BUF_INIT;
	const platci_doc_options *dopts = &w->opts->doc;
	size_t max = dopts->max_file_size ? dopts->max_file_size : 64u * 1024 * 1024;

	if (platci_diag_new(&r->diag) < 0 || platci_findings_new(&r->findings) < 0) {
		r->error = PLATCI_ENOMEM;
		return;
	}
	if ((r->error = platci_path_on_disk(&full, platci_config_root(w->cfg), w->files[i])) < 0)
		goto done;
	if ((r->error = read_exact(&r->bytes, &r->len, full.ptr, max, r->diag)) < 0)
		goto done;
	r->empty = r->len == 0;
	r->structural = platci_kustomize_is_kfile_name(w->files[i]) ||
		contains(r->bytes, r->len, "fluxcd.io");
	for (size_t k = 0; !r->structural && w->v->policy &&
	     platci_policy_related_kind(w->v->policy, k); k++) {
		const char *kind = platci_policy_related_kind(w->v->policy, k);
		r->structural = contains(r->bytes, r->len, kind);
	}
	if (r->structural)
		parse_bytes(w, r, w->files[i]);
done:
	platci_buf_dispose(&full);
	platci_buf_dispose(&data);
}

static int check_doc(vctx *v, size_t fi, size_t di, size_t *usage);

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Concatenates up to five strings with '/' between the non-NULL ones (no printf on the hot path). */
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

static int keep_ids(file_result *r)
{
	size_t n = platci_doc_count(r->doc);

	r->ids = calloc(n + 1, sizeof(idrec));
	if (!r->ids)
		return PLATCI_ENOMEM;
	for (size_t d = 0; d < n; d++) {
		platci_k8s_id id;
		char group[128];
		idrec *x = &r->ids[d];
		const char *parts[3];

		r->nids = d + 1;
		if (!platci_k8s_identity(&id, platci_doc_root(r->doc, d)) || !id.kind || !id.name ||
		    !id.api_version)
			continue;
		platci_k8s_api_group(group, sizeof(group), id.api_version);
		parts[0] = group;
		parts[1] = id.kind;
		x->gk = join_slash(parts, 2);
		x->name = platci__strdup(id.name);
		x->ns = id.namespace_ ? platci__strdup(id.namespace_) : NULL;
		x->cluster_scoped = platci_k8s_is_cluster_scoped(id.kind);
		if (!x->gk || !x->name || (id.namespace_ && !x->ns))
			return PLATCI_ENOMEM;
		parts[0] = x->gk;
		parts[1] = x->cluster_scoped || !id.namespace_ ? "" : id.namespace_;
		parts[2] = id.name;
		if (!(x->key = join_slash(parts, 3)))
			return PLATCI_ENOMEM;
		x->hash = fnv1a(x->key);
		x->line = id.pos.line;
		x->column = id.pos.column;
	}
	return 0;
}

static void check_one(work *w, size_t i, size_t *usage)
{
	file_result *r = &w->results[i];
	int rc = 0;

	if (!r->structural && r->role != ROLE_KFILE && r->role != ROLE_POLICY &&
	    (rc = parse_bytes(w, r, w->files[i])) < 0)
		goto done;
	if (!r->doc)
		goto done;
	if ((rc = keep_ids(r)) < 0)
		goto done;
	if (r->role == ROLE_KFILE || r->role == ROLE_AUX || r->role == ROLE_POLICY)
		goto done;
	for (size_t d = 0; d < platci_doc_count(r->doc) && rc == 0; d++)
		rc = check_doc(w->v, i, d, usage);
done:
	if (rc < 0)
		r->error = rc;
	/* ordinary files are done with: free them now so memory does not grow with the tree */
	if (!r->structural) {
		platci_doc_free(r->doc);
		r->doc = NULL;
	}
}

static void *worker(void *arg)
{
	work *w = arg;
	size_t *usage = NULL;
	size_t nexc = w->phase ? platci_policy_exception_count(w->v->policy) : 0;

	if (nexc)
		usage = calloc(nexc, sizeof(size_t));
	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->count)
			break;
		if (w->phase == 0)
			load_one(w, i);
		else
			check_one(w, i, usage);
	}
	if (usage) {
		pthread_mutex_lock(&w->v->usage_lock);
		for (size_t i = 0; i < nexc; i++)
			w->v->usage[i] += usage[i];
		pthread_mutex_unlock(&w->v->usage_lock);
		free(usage);
	}
	return NULL;
}

static void run_workers(work *w, size_t nthreads)
{
	pthread_t threads[8];
	size_t started = 0;

	w->next = 0;
	if (nthreads > PLATCI_ARRAY_SIZE(threads))
		nthreads = PLATCI_ARRAY_SIZE(threads);
	if (nthreads > w->count / 8 + 1)
		nthreads = w->count / 8 + 1;
	for (size_t t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, worker, w) == 0)
			started++;
	worker(w);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
}

static const char *rule_for(int code)
{
	switch (code) {
	case PLATCI_EDUPLICATE: return "yaml.duplicate-key";
	case PLATCI_ELIMIT: return "yaml.limit";
	case PLATCI_ENOTFOUND:
	case PLATCI_EIO: return "file.unreadable";
	default: return "yaml.syntax";
	}
}

static int add_file_findings(platci_findings *findings, const char *file, const file_result *r)
{
	int error = 0;

	for (size_t k = 0; k < platci_diag_count(r->diag) && !error; k++) {
		const platci_diag_entry *e = platci_diag_get(r->diag, k);
		platci_finding f;
		char key[64];

		memset(&f, 0, sizeof(f));
		f.rule_id = rule_for(e->code);
		f.severity = e->code == PLATCI_EDUPLICATE ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_BLOCKER;
		f.enforcement = PLATCI_ENFORCE_DENY;
		f.message = e->message;
		f.file = file;
		f.line = e->line;
		f.column = e->column;
		f.env = r->env;
		/* Syntax errors have no stable identity but their kind; one per file. */
		snprintf(key, sizeof(key), "%s#%zu", f.rule_id, k);
		f.key = key;
		error = platci_findings_add(findings, &f);
	}
	if (!error && r->empty) {
		platci_finding f;
		memset(&f, 0, sizeof(f));
		f.rule_id = "yaml.empty-file";
		f.severity = PLATCI_SEVERITY_INFO;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = "the file is empty";
		f.file = file;
		f.env = r->env;
		error = platci_findings_add(findings, &f);
	}
	return error;
}

/* ---- the tree phase ---------------------------------------------------- */

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

static const src_def *find_src(const vctx *v, const char *kind, const char *name, const char *ns)
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
			if (!platci_k8s_identity(&id, platci_doc_root(d, i)) || !id.kind ||
			    strcmp(id.kind, "GitRepository") != 0 || !id.name || strcmp(id.name, name) != 0)
				continue;
			url = platci_node_get_str(platci_node_get(id.root, "spec"), "url");
			return url && v->own_url && strcmp(url, v->own_url) == 0;
		}
	}
	return 0;
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
			const platci_node *root;
			platci_k8s_id id;
			platci_buf dir = PLATCI_BUF_INIT;
			const char *path, *tns;
			platci_kbuild nb;
			int rc;

			/* files not parsed up front name no fluxcd.io API: no Flux Kustomization there */
			if (r->doc == PLATCI_KRESOURCE_ALL_DOCS || !v->results[r->file].structural)
				continue;
			root = platci_doc_root(v->results[r->file].doc, r->doc);
			if (!platci_k8s_identity(&id, root) ||
			    platci_flux_classify(&id) != PLATCI_FLUX_ROLE_KUSTOMIZATION)
				continue;
			path = platci_node_get_str(platci_node_get(root, "spec"), "path");
			tns = platci_node_get_str(platci_node_get(root, "spec"), "targetNamespace");
			if (!path || strstr(path, "${") || !reads_this_repo(v, root))
				continue;
			if (platci_path_normalize(&dir, *strip_dot(path) ? strip_dot(path) : ".") < 0) {
				const platci_node *pn = platci_node_dig(root, "spec.path");
				platci_pos p = platci_node_start(pn);
				error = platci__vfind(out, "flux.path-missing", PLATCI_SEVERITY_CRITICAL,
					PLATCI_ENFORCE_DENY, v->files[r->file], p.line, p.column,
					v->results[r->file].env, id.name,
					"Kustomization %s: spec.path \"%s\" leaves the repository",
					id.name ? id.name : "?", path);
				platci_buf_dispose(&dir);
				continue;
			}
			if (strcmp(dir.ptr, ".") == 0)
				platci_buf_clear(&dir);
			rc = path_seen(t, dir.ptr, tns);
			if (rc) {
				platci_buf_dispose(&dir);
				error = rc < 0 ? rc : 0;
				continue;
			}
			rc = platci_kustomize_resolve(&nb, v->k, dir.ptr, tns);
			if (rc == PLATCI_ENOTFOUND) {
				const platci_node *pn = platci_node_dig(root, "spec.path");
				platci_pos p = platci_node_start(pn);
				error = platci__vfind(out, "flux.path-missing", PLATCI_SEVERITY_CRITICAL,
					PLATCI_ENFORCE_DENY, v->files[r->file], p.line, p.column,
					t->env->name, id.name,
					"Kustomization %s: spec.path \"%s\" does not exist in this repository",
					id.name ? id.name : "?", path);
			} else if (rc < 0) {
				error = rc;
			} else if ((error = tree_add_build(t, &nb)) < 0) {
				platci_kbuild_dispose(&nb);
			}
			platci_buf_dispose(&dir);
		}
	}
	/* what each file is, and who reaches it */
	for (size_t bi = 0; bi < t->nbuilds; bi++) {
		for (size_t fi = 0; fi < t->builds[bi].file_count; fi++) {
			file_result *fr = &v->results[t->builds[bi].files[fi]];
			if (env_index < 64)
				fr->reach |= (size_t)1 << env_index;
		}
	}
	return error;
}

typedef struct occ {
	uint64_t hash; /* sorts by hash first: most comparisons never reach strcmp */
	const char *key;
	char *owned;   /* when kustomize transformed the identity */
	size_t file, doc, order;
} occ;

static int cmp_occ(const void *a, const void *b)
{
	const occ *x = a, *y = b;
	int c = x->hash < y->hash ? -1 : x->hash > y->hash;
	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

/* The same object (group, kind, namespace, name after kustomize transforms) twice in one cluster. */
static int dup_check(vctx *v, env_tree *t, platci_findings *out)
{
	occ *o = NULL;
	size_t n = 0, alloc = 0;
	int error = 0;

	for (size_t bi = 0; bi < t->nbuilds && !error; bi++) {
		for (size_t ri = 0; ri < t->builds[bi].resource_count && !error; ri++) {
			const platci_kresource *r = &t->builds[bi].resources[ri];
			const file_result *fr = &v->results[r->file];
			size_t from = r->doc == PLATCI_KRESOURCE_ALL_DOCS ? 0 : r->doc;
			size_t to = r->doc == PLATCI_KRESOURCE_ALL_DOCS ? fr->nids : r->doc + 1;

			for (size_t d = from; d < to && d < fr->nids && !error; d++) {
				const idrec *x = &fr->ids[d];
				platci_buf key = PLATCI_BUF_INIT;
				const char *ns;

				if (!x->gk)
					continue;
				if (platci__grow_array((void **)&o, &alloc, n + 1, sizeof(*o)) < 0) {
					error = PLATCI_ENOMEM;
					break;
				}
				o[n].owned = NULL;
				o[n].key = x->key;
				o[n].hash = x->hash;
				if ((r->namespace_ && !x->cluster_scoped) || *r->name_prefix || *r->name_suffix) {
					ns = x->cluster_scoped ? "" : r->namespace_ ? r->namespace_ : x->ns ? x->ns : "";
					platci_buf_printf(&key, "%s/%s/%s%s%s", x->gk, ns, r->name_prefix, x->name,
						r->name_suffix);
					if (key.error || !(o[n].owned = platci_buf_detach(&key))) {
						platci_buf_dispose(&key);
						error = PLATCI_ENOMEM;
						break;
					}
					o[n].key = o[n].owned;
					o[n].hash = fnv1a(o[n].owned);
				}
				o[n].file = r->file;
				o[n].doc = d;
				o[n].order = n;
				n++;
			}
		}
	}
	if (n)
		qsort(o, n, sizeof(*o), cmp_occ);
	for (size_t i = 1; i < n && !error; i++) {
		platci_pos p;
		if (o[i].hash != o[i - 1].hash || strcmp(o[i].key, o[i - 1].key) != 0)
			continue;
		/* report every later copy against the first one met */
		{
			size_t j = i - 1;
			while (j > 0 && o[j - 1].hash == o[i].hash && strcmp(o[j - 1].key, o[i].key) == 0)
				j--;
			p.line = v->results[o[i].file].ids[o[i].doc].line;
			p.column = v->results[o[i].file].ids[o[i].doc].column;
			error = platci__vfind(out, "k8s.duplicate-object", PLATCI_SEVERITY_CRITICAL,
				PLATCI_ENFORCE_DENY, v->files[o[i].file], p.line, p.column, t->env->name,
				o[i].key, "%s is defined twice in %s's tree (also %s)", o[i].key,
				t->env->name, v->files[o[j].file]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(o[i].owned);
	free(o);
	return error;
}

/* The chart version a protected environment gets: a patch in its tree wins over the base. */
static const platci_node *hr_version_patch(const vctx *v, const env_tree *t, const char *name,
	size_t *file_out)
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
				if (!platci_k8s_identity(&id, platci_doc_root(r->doc, d)) ||
				    platci_flux_classify(&id) != PLATCI_FLUX_ROLE_HELMRELEASE || !id.name ||
				    strcmp(id.name, name) != 0)
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

/* HelmReleases a protected environment deploys with a version range (after its patches). */
static int helm_ranges(vctx *v, const env_tree *t, platci_findings *out)
{
	int error = 0;

	if (!t->env->is_protected)
		return 0;
	for (size_t b = 0; b < t->nbuilds && !error; b++) {
		const platci_kbuild *kb = &t->builds[b];
		for (size_t ri = 0; ri < kb->resource_count && !error; ri++) {
			const platci_kresource *r = &kb->resources[ri];
			const file_result *fr = &v->results[r->file];
			const platci_node *spec, *vn, *pv;
			platci_k8s_id id;
			size_t vfile = r->file;
			const char *ver;
			platci_pos p;
			char key[300];

			if (r->doc == PLATCI_KRESOURCE_ALL_DOCS || !fr->structural || !fr->doc ||
			    !platci_k8s_identity(&id, platci_doc_root(fr->doc, r->doc)) ||
			    platci_flux_classify(&id) != PLATCI_FLUX_ROLE_HELMRELEASE || !id.name)
				continue;
			spec = platci_node_dig(id.root, "spec.chart.spec");
			if (!spec)
				continue; /* chartRef: the version lives in the referenced source */
			vn = platci_node_get(spec, "version");
			if ((pv = hr_version_patch(v, t, id.name, &vfile)) != NULL)
				vn = pv;
			else
				vfile = r->file;
			ver = platci_node_scalar(vn, NULL);
			if (platci_flux_version_is_pinned(ver))
				continue;
			p = platci_node_start(vn ? vn : spec);
			snprintf(key, sizeof(key), "%s/%s", id.namespace_ ? id.namespace_ : "", id.name);
			error = platci__vfind(out, "flux.helm-version-range", PLATCI_SEVERITY_CRITICAL,
				PLATCI_ENFORCE_DENY, v->files[vfile], p.line, p.column, t->env->name, key,
				"HelmRelease %s: chart version \"%s\" is a range in protected environment %s; "
				"pin one version", id.name, ver ? ver : "*", t->env->name);
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

static int index_sources(vctx *v)
{
	int error = 0;

	for (size_t f = 0; f < v->count && !error; f++) {
		const platci_doc *d = v->results[f].structural ? v->results[f].doc : NULL;
		for (size_t i = 0; d && i < platci_doc_count(d) && !error; i++) {
			platci_k8s_id id;
			platci_flux_role fk;
			if (!platci_k8s_identity(&id, platci_doc_root(d, i)))
				continue;
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
						platci_node_get_str(platci_node_item(arts, a), "name"), id.namespace_);
			}
		}
	}
	return error;
}

static int dependson_cycle(const vctx *v, const char *start, const char *name, size_t depth)
{
	if (depth > 64)
		return 1;
	for (size_t f = 0; f < v->count; f++) {
		const platci_doc *d = v->results[f].structural ? v->results[f].doc : NULL;
		for (size_t i = 0; d && i < platci_doc_count(d); i++) {
			platci_k8s_id id;
			const platci_node *deps;
			if (!platci_k8s_identity(&id, platci_doc_root(d, i)) ||
			    platci_flux_classify(&id) != PLATCI_FLUX_ROLE_KUSTOMIZATION || !id.name ||
			    strcmp(id.name, name) != 0)
				continue;
			deps = platci_node_dig(id.root, "spec.dependsOn");
			for (size_t k = 0; k < platci_node_count(deps); k++) {
				const char *dn = platci_node_get_str(platci_node_item(deps, k), "name");
				if (!dn)
					continue;
				if (strcmp(dn, start) == 0 || dependson_cycle(v, start, dn, depth + 1))
					return 1;
			}
		}
	}
	return 0;
}

static int file_env(vctx *v, size_t f)
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
	return 0;
}

/* ---- inherited labels -------------------------------------------------- */

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

/* ---- per-document checks (worker threads) ------------------------------ */

static int check_flux(vctx *v, size_t fi, const platci_k8s_id *id, platci_findings *out)
{
	const char *file = v->files[fi], *env = v->results[fi].env;
	const char *repl = platci_flux_removed_api(id->api_version, id->kind);
	platci_flux_role fk = platci_flux_classify(id);
	const platci_node *spec = platci_node_get(id->root, "spec");
	const char *name = id->name ? id->name : "?";
	int error = 0;

	if (repl) {
		const platci_node *an = platci_node_get(id->root, "apiVersion");
		platci_pos p = platci_node_start(an);
		if ((error = platci__vfind(out, "flux.api-removed", PLATCI_SEVERITY_MINOR,
			     PLATCI_ENFORCE_WARN, file, p.line, p.column, env, name,
			     "%s %s uses %s, which Flux has removed: use %s (run `flux migrate`)",
			     id->kind, name, id->api_version, repl)) < 0)
			return error;
	}
	if (fk == PLATCI_FLUX_ROLE_KUSTOMIZATION) {
		const platci_node *ref = platci_node_get(spec, "sourceRef"), *deps;
		platci_pos sp = platci_node_start(spec ? spec : id->root);
		if (!platci_node_get(spec, "interval"))
			error = platci__vfind(out, "flux.kustomization-interval", PLATCI_SEVERITY_MAJOR,
				PLATCI_ENFORCE_DENY, file, sp.line, sp.column, env, name,
				"Kustomization %s has no spec.interval (required)", name);
		if (!error && !platci_node_get(spec, "prune"))
			error = platci__vfind(out, "flux.kustomization-prune", PLATCI_SEVERITY_MAJOR,
				PLATCI_ENFORCE_DENY, file, sp.line, sp.column, env, name,
				"Kustomization %s has no spec.prune (required: say true or false)", name);
		if (!error && ref) {
			const char *k = platci_node_get_str(ref, "kind"), *n = platci_node_get_str(ref, "name");
			platci_pos p = platci_node_start(ref);
			if (k && n && !find_src(v, k, n, platci_node_get_str(ref, "namespace")))
				error = platci__vfind(out, "flux.source-undefined", PLATCI_SEVERITY_CRITICAL,
					PLATCI_ENFORCE_DENY, file, p.line, p.column, env, name,
					"Kustomization %s: sourceRef %s/%s is not defined in this repository",
					name, k, n);
		}
		deps = platci_node_get(spec, "dependsOn");
		for (size_t i = 0; !error && i < platci_node_count(deps); i++) {
			const platci_node *dn = platci_node_get(platci_node_item(deps, i), "name");
			const char *dname = platci_node_scalar(dn, NULL);
			platci_pos p = platci_node_start(dn ? dn : deps);
			if (!dname)
				continue;
			if (!find_src(v, "Kustomization", dname, NULL))
				error = platci__vfind(out, "flux.dependson-undefined",
					PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, file, p.line, p.column, env,
					name, "Kustomization %s depends on %s, which is not defined", name, dname);
			else if (id->name && dependson_cycle(v, id->name, dname, 0))
				error = platci__vfind(out, "flux.dependson-cycle", PLATCI_SEVERITY_CRITICAL,
					PLATCI_ENFORCE_DENY, file, p.line, p.column, env, name,
					"Kustomization %s: dependsOn %s leads back to %s (a cycle)", name, dname,
					name);
		}
	}
	if (fk == PLATCI_FLUX_ROLE_HELMRELEASE) {
		const platci_node *ref = platci_node_dig(spec, "chart.spec.sourceRef");
		if (!ref)
			ref = platci_node_get(spec, "chartRef");
		if (ref) {
			const char *k = platci_node_get_str(ref, "kind"), *n = platci_node_get_str(ref, "name");
			platci_pos p = platci_node_start(ref);
			if (k && n && !find_src(v, k, n, platci_node_get_str(ref, "namespace")))
				error = platci__vfind(out, "flux.helm-source-undefined",
					PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, file, p.line, p.column,
					env, name, "HelmRelease %s: chart source %s/%s is not defined", name, k, n);
		}
	}
	return error;
}

static int check_doc(vctx *v, size_t fi, size_t di, size_t *usage)
{
	file_result *r = &v->results[fi];
	const platci_node *root = platci_doc_root(r->doc, di);
	platci_k8s_id id;
	int error = 0;

	if (!platci_k8s_identity(&id, root)) {
		platci_pos pos;
		/* reachable YAML that is not a mapping would break the build (kustomize rejects it) */
		if (!root || !(r->reach))
			return 0;
		pos = platci_node_start(root);
		return platci__vfind(r->findings, "k8s.not-an-object", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, v->files[fi], pos.line, pos.column, r->env, "not-an-object",
			"document %zu is a %s, not a Kubernetes object", di + 1,
			platci_node_type_of(root) == PLATCI_NODE_SEQUENCE ? "list" : "scalar");
	}
	/* A mapping with neither apiVersion nor kind is data (values, configs), not an object. */
	if (!id.api_version && !id.kind)
		return 0;
	if (!id.api_version || !id.kind || !id.name) {
		const char *missing = !id.api_version ? "apiVersion" : !id.kind ? "kind" : "metadata.name";
		platci_buf key = PLATCI_BUF_INIT;
		platci_buf_printf(&key, "%zu|%s", di, missing);
		error = platci__vfind(r->findings, "k8s.missing-field", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, v->files[fi], id.pos.line, id.pos.column, r->env, key.ptr,
			"%s %s has no %s", id.kind ? id.kind : "object", id.name ? id.name : "", missing);
		platci_buf_dispose(&key);
		if (error < 0)
			return error;
	}
	if ((error = check_flux(v, fi, &id, r->findings)) < 0)
		return error;
	if (v->policy) {
		platci_policy_target t;
		const lblset *lbl;
		memset(&t, 0, sizeof(t));
		t.file = v->files[fi];
		t.doc = di;
		t.root = root;
		t.namespace_ = r->ns && r->ns[di] ? r->ns[di] : r->ns_all;
		t.env = r->env;
		t.env_protected = r->env_protected;
		lbl = r->lbl && di < r->nlbl && r->lbl[di].seen ? &r->lbl[di] : &r->lbl_all;
		t.labels = lbl->m;
		t.template_labels = lbl->t;
		error = platci_policy_eval(v->policy, v->pindex, &t, r->findings, usage);
	}
	return error;
}

/* ---- the run ------------------------------------------------------------ */

static int changed(const platci_changes *ch, const char *file)
{
	for (size_t i = 0; file && i < platci_changes_count(ch); i++)
		if (strcmp(platci_changes_get(ch, i)->path, file) == 0)
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

static int compute_affected(vctx *v, platci_affected *a)
{
	const platci_changes *ch = v->opts->changes;
	const platci_policy_paths *pol = platci_config_policies(v->cfg);
	size_t nenv = platci_config_env_count(v->cfg);
	char ***tf = NULL;
	int error = 0;

	if (!ch)
		return platci_affected_mark_all(a, "(all files)", "all");
	tf = calloc(nenv + 1, sizeof(char **));
	if (!tf)
		return PLATCI_ENOMEM;
	for (size_t e = 0; e < nenv && !error; e++) {
		const platci_env *env = platci_config_env_at(v->cfg, e);
		if (env->infra)
			error = platci_affected_tf_dirs(&tf[e], platci_config_root(v->cfg), env->infra);
	}
	for (size_t i = 0; i < platci_changes_count(ch) && !error; i++) {
		const platci_change *c = platci_changes_get(ch, i);
		const char *paths[2] = { c->path, c->old_path };
		for (size_t pi = 0; pi < 2 && !error; pi++) {
			const char *p = paths[pi];
			platci_buf dir = PLATCI_BUF_INIT;
			size_t idx;
			if (!p)
				continue;
			if (strcmp(p, platci_config_path(v->cfg)) == 0 || strcmp(p, "platci.yaml") == 0 ||
			    strncmp(p, "policies/", 9) == 0 ||
			    (pol->manifests && strcmp(p, pol->manifests) == 0)) {
				error = platci_affected_mark_all(a, p, "config");
				continue;
			}
			platci_path_dirname(&dir, p);
			idx = v->k ? platci_kustomize_find(v->k, p) : (size_t)-1;
			for (size_t e = 0; e < nenv && !error; e++) {
				const platci_env *env = platci_config_env_at(v->cfg, e);
				const char *via = NULL;
				if ((env->infra && platci_path_is_under(p, env->infra)) ||
				    (env->cluster && platci_path_is_under(p, env->cluster)) ||
				    (env->overlay && platci_path_is_under(p, env->overlay)))
					via = "path";
				for (size_t d = 0; !via && tf[e] && tf[e][d]; d++)
					if (platci_path_is_under(p, tf[e][d]))
						via = "terraform";
				if (!via && idx != (size_t)-1 && e < 64 &&
				    (v->results[idx].reach & ((size_t)1 << e)))
					via = "flux";
				/* a deleted or renamed-away file: its folder is still in the tree */
				if (!via && (c->status == PLATCI_CHANGE_DELETED || pi == 1) && e < v->ntrees &&
				    in_build_dirs(&v->trees[e], dir.ptr))
					via = "flux";
				if (via)
					error = platci_affected_mark(a, env->name, p, via);
			}
			platci_buf_dispose(&dir);
		}
	}
	for (size_t e = 0; e < nenv; e++)
		platci_affected_dirs_free(tf[e]);
	free(tf);
	return error;
}

static int keep_finding(const vctx *v, const platci_affected *a, const platci_finding *f)
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

int platci_validate_run(const platci_config *cfg, const platci_validate_options *opts,
	platci_findings *findings, platci_validate_stats *stats, platci_diag *diag)
{
	platci_validate_options defaults = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_findings *tree = NULL, *all = NULL;
	platci_affected *own_aff = NULL, *aff;
	const char **paths = NULL;
	const platci_doc **docs = NULL;
	char *is_res = NULL;
	size_t nthreads, nenv;
	vctx v;
	work w;
	int error = 0;

	memset(&w, 0, sizeof(w));
	memset(&v, 0, sizeof(v));
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if ((error = platci_validate_list_files(&w.files, cfg, diag)) < 0)
		return error;
	for (w.count = 0; w.files[w.count]; w.count++)
		;
	w.cfg = cfg;
	w.opts = opts;
	w.v = &v;
	w.results = calloc(w.count ? w.count : 1, sizeof(*w.results));
	PLATCI_CHECK_ALLOC(w.results);
	pthread_mutex_init(&w.lock, NULL);
	pthread_mutex_init(&v.usage_lock, NULL);
	v.cfg = cfg;
	v.opts = opts;
	v.files = w.files;
	v.count = w.count;
	v.results = w.results;
	if ((error = platci_findings_new(&tree)) < 0 || (error = platci_findings_new(&all)) < 0)
		goto done;

	/* 1. the manifest policy: a broken policy stops the run (exit 65), before any work */
	{
		const platci_policy_paths *pol = platci_config_policies(cfg);
		if (!opts->skip_policy && pol->manifests) {
			platci_buf full = PLATCI_BUF_INIT;
			error = platci_path_on_disk(&full, platci_config_root(cfg), pol->manifests);
			if (!error)
				error = platci_policy_load_file(&v.policy, full.ptr, pol->manifests,
					opts->now, diag);
			platci_buf_dispose(&full);
			if (error < 0)
				goto done;
			v.usage = calloc(platci_policy_exception_count(v.policy) + 1, sizeof(size_t));
			PLATCI_CHECK_ALLOC(v.usage);
		}
	}

	nthreads = opts->threads;
	if (!nthreads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = n > 0 ? (size_t)n : 1;
	}
	/* 2. load */
	w.phase = 0;
	run_workers(&w, nthreads);
	for (size_t i = 0; i < w.count; i++)
		if (w.results[i].error == PLATCI_ENOMEM) {
			error = PLATCI_ENOMEM;
			goto done;
		}

	/* 3. the trees */
	paths = calloc(w.count + 1, sizeof(char *));
	docs = calloc(w.count + 1, sizeof(platci_doc *));
	PLATCI_CHECK_ALLOC(paths);
	PLATCI_CHECK_ALLOC(docs);
	for (size_t i = 0; i < w.count; i++) {
		paths[i] = w.files[i];
		docs[i] = w.results[i].doc;
	}
	if ((error = platci_kustomize_new(&v.k, platci_config_root(cfg), paths, docs, w.count)) < 0 ||
	    (error = index_sources(&v)) < 0)
		goto done;
	nenv = platci_config_env_count(cfg);
	v.trees = calloc(nenv + 1, sizeof(env_tree));
	PLATCI_CHECK_ALLOC(v.trees);
	v.ntrees = nenv;
	for (size_t e = 0; e < nenv && !error; e++) {
		v.trees[e].env = platci_config_env_at(cfg, e);
		error = build_env(&v, &v.trees[e], e, tree);
	}
	if (error < 0)
		goto done;
	for (size_t i = 0; i < w.count; i++) {
		const platci_policy_paths *pol = platci_config_policies(cfg);
		file_result *r = &w.results[i];
		if ((pol->manifests && !strcmp(w.files[i], pol->manifests)) ||
		    (pol->gates && !strcmp(w.files[i], pol->gates)) ||
		    (pol->scan && !strcmp(w.files[i], pol->scan)) ||
		    (pol->drift && !strcmp(w.files[i], pol->drift)))
			r->role = ROLE_POLICY;
		else if (platci_kustomize_is_kfile_name(w.files[i]))
			r->role = ROLE_KFILE;
		file_env(&v, i);
		if (r->doc && platci_doc_count(r->doc)) {
			r->ns = calloc(platci_doc_count(r->doc), sizeof(char *));
			PLATCI_CHECK_ALLOC(r->ns);
			r->lbl = calloc(platci_doc_count(r->doc), sizeof(lblset));
			PLATCI_CHECK_ALLOC(r->lbl);
			r->nlbl = platci_doc_count(r->doc);
		}
	}
	/* patches and generator inputs are read by builds but are not objects */
	is_res = calloc(w.count + 1, 1);
	PLATCI_CHECK_ALLOC(is_res);
	for (size_t e = 0; e < v.ntrees; e++)
		for (size_t b = 0; b < v.trees[e].nbuilds; b++)
			for (size_t r = 0; r < v.trees[e].builds[b].resource_count; r++)
				is_res[v.trees[e].builds[b].resources[r].file] = 1;
	for (size_t e = 0; e < v.ntrees; e++) {
		env_tree *t = &v.trees[e];
		for (size_t b = 0; b < t->nbuilds; b++) {
			platci_kbuild *kb = &t->builds[b];
			for (size_t f = 0; f < kb->file_count; f++) {
				size_t idx = kb->files[f];
				if (!is_res[idx] && w.results[idx].role == ROLE_OBJECTS)
					w.results[idx].role = ROLE_AUX;
			}
			for (size_t r = 0; r < kb->resource_count; r++) {
				const platci_kresource *kr = &kb->resources[r];
				file_result *fr = &w.results[kr->file];
				lblset *ls = kr->doc == PLATCI_KRESOURCE_ALL_DOCS ? &fr->lbl_all :
					fr->lbl && kr->doc < fr->nlbl ? &fr->lbl[kr->doc] : NULL;
				if (ls && (error = lbl_add(ls, kr)) < 0)
					goto done;
				if (!kr->namespace_)
					continue;
				if (kr->doc == PLATCI_KRESOURCE_ALL_DOCS)
					w.results[kr->file].ns_all = kr->namespace_;
				else if (w.results[kr->file].ns)
					w.results[kr->file].ns[kr->doc] = kr->namespace_;
			}
		}
	}
	/* 4. policy index over every object document */
	if (v.policy) {
		for (size_t i = 0; i < w.count; i++) {
			file_result *r = &w.results[i];
			/* the index serves `related` lookups: their kinds are all in structural files */
			if (!r->structural || !r->doc || r->role != ROLE_OBJECTS)
				continue;
			for (size_t d = 0; d < platci_doc_count(r->doc); d++) {
				platci_policy_target *t;
				if (!platci_doc_root(r->doc, d))
					continue;
				if (platci__grow_array((void **)&v.targets, &v.atargets, v.ntargets + 1,
					    sizeof(*t)) < 0) {
					error = PLATCI_ENOMEM;
					goto done;
				}
				t = &v.targets[v.ntargets++];
				memset(t, 0, sizeof(*t));
				t->file = w.files[i];
				t->doc = d;
				t->root = platci_doc_root(r->doc, d);
				t->namespace_ = r->ns ? r->ns[d] : NULL;
				t->env = r->env;
				t->env_protected = r->env_protected;
				if (r->lbl && d < r->nlbl) {
					t->labels = r->lbl[d].m;
					t->template_labels = r->lbl[d].t;
				}
			}
		}
		if ((error = platci_policy_index_new(&v.pindex, v.targets, v.ntargets)) < 0)
			goto done;
	}
	/* 5. per-document checks on workers */
	w.phase = 1;
	run_workers(&w, nthreads);
	/* 6. tree-wide checks */
	for (size_t e = 0; e < v.ntrees && !error; e++)
		if ((error = dup_check(&v, &v.trees[e], tree)) == 0)
			error = helm_ranges(&v, &v.trees[e], tree);
	for (size_t i = 0; i < platci_kustomize_problem_count(v.k) && !error; i++) {
		const platci_kproblem *p = platci_kustomize_problem(v.k, i);
		size_t idx = platci_kustomize_find(v.k, p->file);
		error = platci__vfind(tree, p->rule_id, PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY,
			p->file, p->line, p->column, idx != (size_t)-1 ? w.results[idx].env : NULL, NULL,
			"%s", p->message);
	}
	if (!error && v.policy)
		error = platci_policy_finish(v.policy, v.usage, tree);
	if (!error)
		error = platci__validate_tf(cfg, tree);
	if (!error)
		error = platci__validate_ci(cfg, tree);
	if (error < 0)
		goto done;

	/* 7. affected environments */
	aff = opts->affected;
	if (!aff) {
		if ((error = platci_affected_new(&own_aff, cfg)) < 0)
			goto done;
		aff = own_aff;
	}
	if ((error = compute_affected(&v, aff)) < 0)
		goto done;

	/* 8. merge in file order, then keep what this change is about */
	for (size_t i = 0; i < w.count; i++) {
		file_result *r = &w.results[i];
		if (r->error == PLATCI_ENOMEM) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		if ((error = add_file_findings(all, w.files[i], r)) < 0)
			goto done;
		for (size_t k = 0; k < platci_findings_count(r->findings); k++)
			if ((error = platci_findings_add(all, platci_findings_get(r->findings, k))) < 0)
				goto done;
		if (stats) {
			stats->files++;
			stats->documents += r->documents;
			stats->nodes += r->nodes;
		}
	}
	for (size_t k = 0; k < platci_findings_count(tree); k++)
		if ((error = platci_findings_add(all, platci_findings_get(tree, k))) < 0)
			goto done;
	for (size_t k = 0; k < platci_findings_count(all); k++) {
		const platci_finding *f = platci_findings_get(all, k);
		if (keep_finding(&v, aff, f) && (error = platci_findings_add(findings, f)) < 0)
			goto done;
	}
	platci_findings_sort(findings);
done:
	pthread_mutex_destroy(&w.lock);
	pthread_mutex_destroy(&v.usage_lock);
	for (size_t i = 0; w.results && i < w.count; i++) {
		platci_diag_free(w.results[i].diag);
		platci_findings_free(w.results[i].findings);
		platci_doc_free(w.results[i].doc);
		free(w.results[i].ns);
		for (size_t d = 0; w.results[i].lbl && d < w.results[i].nlbl; d++)
			lbl_dispose(&w.results[i].lbl[d]);
		free(w.results[i].lbl);
		lbl_dispose(&w.results[i].lbl_all);
		free(w.results[i].bytes);
		for (size_t d = 0; d < w.results[i].nids; d++) {
			free(w.results[i].ids[d].gk);
			free(w.results[i].ids[d].ns);
			free(w.results[i].ids[d].name);
			free(w.results[i].ids[d].key);
		}
		free(w.results[i].ids);
	}
	for (size_t e = 0; v.trees && e < v.ntrees; e++) {
		for (size_t b = 0; b < v.trees[e].nbuilds; b++)
			platci_kbuild_dispose(&v.trees[e].builds[b]);
		free(v.trees[e].builds);
		for (size_t p = 0; p < v.trees[e].npaths; p++)
			free(v.trees[e].flux_paths[p]);
		free(v.trees[e].flux_paths);
	}
	free(v.trees);
	free(v.srcs);
	free(v.targets);
	free(v.usage);
	platci_policy_index_free(v.pindex);
	platci_policy_free(v.policy);
	platci_kustomize_free(v.k);
	platci_affected_free(own_aff);
	platci_findings_free(tree);
	platci_findings_free(all);
	free(paths);
	free(docs);
	free(is_res);
	free(w.results);
	platci_validate_files_free(w.files);
	return error;
}
