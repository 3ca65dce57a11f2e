/*
 * Version sets: pins kept in an arena, a lazily sorted view for lookups,
 * loading an environment's folders, and the difference of two sets.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "versions.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

int platci_versions_options_init(platci_versions_options *opts, unsigned int version)
{
	platci_versions_options init = PLATCI_VERSIONS_OPTIONS_INIT;

	if (!opts || version != PLATCI_VERSIONS_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_versions_new(platci_versions **out, const platci_versions_options *opts)
{
	platci_versions_options defaults = PLATCI_VERSIONS_OPTIONS_INIT;
	platci_versions *set;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_VERSIONS_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (!(set = calloc(1, sizeof(*set))))
		return PLATCI_ENOMEM;
	if (!(set->index = calloc(1, sizeof(*set->index)))) {
		free(set);
		return PLATCI_ENOMEM;
	}
	set->opts = *opts;
	platci_arena_init(&set->arena, 64 * 1024);
	*out = set;
	return 0;
}

void platci_versions_free(platci_versions *set)
{
	if (!set)
		return;
	platci_arena_dispose(&set->arena);
	free(set->pins);
	free(set->groups);
	free(set->pending);
	free(set->targets);
	if (set->index)
		free(set->index->sorted);
	free(set->index);
	free(set);
}

static const char *arena_str(platci_versions *set, const char *s)
{
	return s ? platci_arena_strdup(&set->arena, s) : NULL;
}

platci_pin *platci_versions__add_pin(platci_versions *set, const platci_pin *pin)
{
	platci_pin *p;
	platci_buf key = PLATCI_BUF_INIT;

	if (platci__grow_array((void **)&set->pins, &set->apins, set->npins + 1, sizeof(*set->pins)) < 0)
		return NULL;
	if (!(p = platci_arena_alloc(&set->arena, sizeof(*p))))
		return NULL;
	*p = *pin;
	platci_buf_printf(&key, "%s.%s", pin->id, pin->field);
	if (key.error) {
		platci_buf_dispose(&key);
		return NULL;
	}
	p->id = arena_str(set, pin->id);
	p->field = arena_str(set, pin->field);
	p->key = arena_str(set, key.ptr);
	p->name = arena_str(set, pin->name ? pin->name : "");
	p->app = arena_str(set, pin->app ? pin->app : "");
	p->file = arena_str(set, pin->file);
	p->value = arena_str(set, pin->value ? pin->value : "");
	p->setter = arena_str(set, pin->setter);
	platci_buf_dispose(&key);
	if (!p->id || !p->field || !p->key || !p->name || !p->app || !p->file || !p->value ||
		(pin->setter && !p->setter))
		return NULL;
	set->pins[set->npins++] = p;
	return p;
}

int platci_versions__add_group(platci_versions *set, const platci_pin_group *group)
{
	platci_pin_group *g;

	if (platci__grow_array((void **)&set->groups, &set->agroups, set->ngroups + 1,
		    sizeof(*set->groups)) < 0)
		return PLATCI_ENOMEM;
	g = &set->groups[set->ngroups];
	*g = *group;
	g->id = arena_str(set, group->id);
	g->file = arena_str(set, group->file);
	if (!g->id || !g->file)
		return PLATCI_ENOMEM;
	set->ngroups++;
	return 0;
}

int platci_versions__add_pending(platci_versions *set, platci_pin *pin)
{
	if (platci__grow_array((void **)&set->pending, &set->apending, set->npending + 1,
		    sizeof(*set->pending)) < 0)
		return PLATCI_ENOMEM;
	set->pending[set->npending++] = pin;
	return 0;
}

int platci_versions__add_target(platci_versions *set, const platci_patch_target *t)
{
	platci_patch_target *d;

	if (platci__grow_array((void **)&set->targets, &set->atargets, set->ntargets + 1,
		    sizeof(*set->targets)) < 0)
		return PLATCI_ENOMEM;
	d = &set->targets[set->ntargets];
	d->file = arena_str(set, t->file);
	d->kind = arena_str(set, t->kind);
	d->name = arena_str(set, t->name);
	d->ns = arena_str(set, t->ns ? t->ns : "-");
	if (!d->file || !d->kind || !d->name || !d->ns)
		return PLATCI_ENOMEM;
	set->ntargets++;
	return 0;
}

int platci_versions__copy_targets(platci_versions *dst, const platci_versions *src)
{
	for (size_t i = 0; src && i < src->ntargets; i++)
		if (platci_versions__add_target(dst, &src->targets[i]) < 0)
			return PLATCI_ENOMEM;
	return 0;
}

const platci_pin_group *platci_versions__group(const platci_versions *set, const char *id, const char *file)
{
	for (size_t i = 0; set && i < set->ngroups; i++)
		if (strcmp(set->groups[i].id, id) == 0 && (!file || strcmp(set->groups[i].file, file) == 0))
			return &set->groups[i];
	return NULL;
}

/* ---- sorted view --------------------------------------------------------- */

static int pin_cmp(const void *a, const void *b)
{
	const platci_pin *x = *(const platci_pin *const *)a, *y = *(const platci_pin *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * An op of a patch file gets its identity from the target that names the
 * file; whichever of the two is added last resolves it.
 */
int platci_versions__resolve(platci_versions *set)
{
	size_t kept = 0;

	for (size_t i = 0; i < set->npending; i++) {
		platci_pin *p = set->pending[i];
		const platci_patch_target *t = NULL;
		platci_buf id = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT;
		const char *prefix = NULL;

		for (size_t k = 0; k < set->ntargets && !t; k++)
			if (strcmp(set->targets[k].file, p->file) == 0)
				t = &set->targets[k];
		if (t && strcmp(t->kind, "HelmRelease") == 0 && strcmp(p->field, "version") == 0)
			prefix = "helm", p->kind = PLATCI_PIN_HELM;
		else if (t && strcmp(t->kind, "OCIRepository") == 0 &&
			 strcmp(p->field, "version") != 0 && strcmp(p->field, "commit") != 0)
			prefix = "oci", p->kind = PLATCI_PIN_OCI;
		else if (t && strcmp(t->kind, "GitRepository") == 0 &&
			 strcmp(p->field, "version") != 0 && strcmp(p->field, "digest") != 0)
			prefix = "git", p->kind = PLATCI_PIN_GIT;
		if (!prefix) {
			set->pending[kept++] = p;
			continue;
		}
		platci_buf_printf(&id, "%s:%s/%s", prefix, t->ns, t->name);
		platci_buf_printf(&key, "%s.%s", id.ptr, p->field);
		if (id.error || key.error || !(p->id = arena_str(set, id.ptr)) ||
			!(p->key = arena_str(set, key.ptr)) || !(p->name = arena_str(set, t->name))) {
			platci_buf_dispose(&id);
			platci_buf_dispose(&key);
			return PLATCI_ENOMEM;
		}
		platci_buf_dispose(&id);
		platci_buf_dispose(&key);
	}
	if (kept != set->npending)
		set->index->built = 0; /* resolved pins join the sorted view */
	set->npending = kept;
	return 0;
}

static int is_pending(const platci_versions *set, const platci_pin *p)
{
	for (size_t i = 0; i < set->npending; i++)
		if (set->pending[i] == p)
			return 1;
	return 0;
}

/*
 * The index is behind a pointer so that const readers can build it once.
 * Ops whose patch target is still unknown stay out of it.
 */
static const platci_versions_index *sorted(const platci_versions *set)
{
	platci_versions_index *idx = set->index;
	size_t n = 0;

	if (idx->built && idx->built_for == set->npins)
		return idx;
	free(idx->sorted);
	idx->n = 0;
	idx->built = 0;
	if (!(idx->sorted = malloc((set->npins ? set->npins : 1) * sizeof(*idx->sorted))))
		return NULL;
	for (size_t i = 0; i < set->npins; i++)
		if (!set->npending || !is_pending(set, set->pins[i]))
			idx->sorted[n++] = set->pins[i];
	qsort(idx->sorted, n, sizeof(*idx->sorted), pin_cmp);
	idx->n = n;
	idx->built_for = set->npins;
	idx->built = 1;
	return idx;
}

size_t platci_versions_count(const platci_versions *set)
{
	const platci_versions_index *idx;

	return set && (idx = sorted(set)) ? idx->n : 0;
}

const platci_pin *platci_versions_at(const platci_versions *set, size_t i)
{
	const platci_versions_index *idx;

	if (!set || !(idx = sorted(set)) || i >= idx->n)
		return NULL;
	return idx->sorted[i];
}

/* Index of the first pin with @p key in the sorted view, or n when none. */
static size_t lower_bound(const platci_versions_index *idx, const char *key)
{
	size_t lo = 0, hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(idx->sorted[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const platci_pin *platci_versions_find(const platci_versions *set, const char *key)
{
	const platci_versions_index *idx;
	size_t i;

	if (!set || !key || !(idx = sorted(set)))
		return NULL;
	i = lower_bound(idx, key);
	return i < idx->n && strcmp(idx->sorted[i]->key, key) == 0 ? idx->sorted[i] : NULL;
}

size_t platci_versions__first(const platci_versions *set, const char *key)
{
	const platci_versions_index *idx;

	if (!set || !key || !(idx = sorted(set)))
		return platci_versions_count(set);
	return lower_bound(idx, key);
}

const char *platci_pin_kind_name(platci_pin_kind kind)
{
	switch (kind) {
	case PLATCI_PIN_IMAGE:
		return "image";
	case PLATCI_PIN_HELM:
		return "helm";
	case PLATCI_PIN_OCI:
		return "oci";
	case PLATCI_PIN_GIT:
		return "git";
	case PLATCI_PIN_SUBSTITUTE:
		return "substitute";
	case PLATCI_PIN_SETTER:
		return "setter";
	}
	return "?";
}

/* ---- loading --------------------------------------------------------------- */

static int wanted_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0) || strcmp(name, "Kustomization") == 0;
}

static int load_file(platci_versions *set, const char *full, const char *rel, const char *base,
	platci_diag *diag)
{
	platci_buf data = PLATCI_BUF_INIT;
	const platci_doc_options *dopts = set->opts.doc;
	int error;

	if ((error = platci_fs_read(&data, full,
		     dopts && dopts->max_file_size ? dopts->max_file_size : 64u * 1024 * 1024, diag)) < 0)
		goto done;
	error = platci_versions_add_data(set, rel, base, data.ptr, data.size, diag);
done:
	platci_buf_dispose(&data);
	return error;
}

#define MAX_FOLDER_DEPTH 64

typedef struct walk_ctx {
	platci_versions *set;
	const char *base; /* the folder walked, repo-relative */
	size_t base_depth; /* its number of path components */
	platci_diag *diag;
} walk_ctx;

static size_t components(const char *rel)
{
	size_t n = *rel && strcmp(rel, ".") != 0;

	for (; *rel; rel++)
		n += *rel == '/';
	return n;
}

static int folder_problem(const char *rel, int code, const char *message, platci_diag *diag)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, rel, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "%s", message);
	return code;
}

/* Folders are entered (a folder that cannot be read is an error, not silence); files loaded. */
static int on_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	walk_ctx *w = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

	if (S_ISLNK(st->st_mode))
		return 0;
	if (S_ISDIR(st->st_mode)) {
		if (components(rel) - w->base_depth > MAX_FOLDER_DEPTH)
			return folder_problem(rel, PLATCI_ELIMIT,
				"folders nested deeper than 64 levels", w->diag);
		if (access(full, R_OK | X_OK) != 0)
			return folder_problem(rel, PLATCI_EIO, "cannot read this folder", w->diag);
		return 0;
	}
	if (S_ISREG(st->st_mode) && wanted_file(name))
		return load_file(w->set, full, rel, w->base, w->diag);
	return 0;
}

/* Walks @p rel (a folder below @p root) in name order; symbolic links and dot-files are skipped. */
static int walk(platci_versions *set, const char *root, const char *rel, platci_diag *diag)
{
	walk_ctx w = { set, rel, components(rel), diag };
	platci_buf full = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&full, root, rel)) < 0)
		goto done;
	if (access(full.ptr, R_OK | X_OK) != 0) {
		error = folder_problem(rel, PLATCI_EIO, "cannot read this folder", diag);
		goto done;
	}
	error = platci__walk(root, rel, MAX_FOLDER_DEPTH + 1, 0, on_entry, &w);
done:
	platci_buf_dispose(&full);
	return error;
}

int platci_versions_load(platci_versions **out, const platci_config *cfg, const char *env,
	const char *root, platci_diag *diag)
{
	platci_versions_options opts = PLATCI_VERSIONS_OPTIONS_INIT;
	platci_versions *set = NULL;
	const platci_env *e;
	const char *paths[2];
	int error;

	PLATCI_ASSERT_ARG(out && cfg && env);
	*out = NULL;
	if (!(e = platci_config_env(cfg, env))) {
		platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND,
			platci_config_path(cfg), 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &d, "no environment named \"%s\"", env);
		return PLATCI_ENOTFOUND;
	}
	if (!root)
		root = platci_config_root(cfg);
	opts.substitute_patterns = platci_config_substitute_patterns(cfg);
	if ((error = platci_versions_new(&set, &opts)) < 0)
		goto done;
	paths[0] = e->overlay;
	paths[1] = e->cluster;
	for (size_t i = 0; i < 2; i++) {
		platci_buf full = PLATCI_BUF_INIT;
		int is_dir;

		if (!paths[i] || (i == 1 && paths[0] && platci_path_is_under(paths[1], paths[0])))
			continue;
		/* One folder inside the other (or the same): walk the outer one once. */
		if (i == 0 && paths[1] && platci_path_is_under(paths[0], paths[1]) &&
			strcmp(paths[0], paths[1]) != 0)
			continue;
		is_dir = platci_path_on_disk(&full, root, paths[i]) == 0 && platci_fs_is_dir(full.ptr);
		platci_buf_dispose(&full);
		/* A folder missing at this revision holds no pins. */
		if (!is_dir)
			continue;
		if ((error = walk(set, root, paths[i], diag)) < 0)
			goto done;
	}
	*out = set;
	set = NULL;
done:
	platci_versions_free(set);
	return error;
}

/* ---- difference -------------------------------------------------------------- */

struct platci_vdiff {
	platci_vdiff_entry *entries;
	size_t n, alloc;
};

static int vdiff_add(platci_vdiff *d, platci_vdiff_kind kind, const char *key,
	const platci_pin *source, const platci_pin *target)
{
	if (platci__grow_array((void **)&d->entries, &d->alloc, d->n + 1, sizeof(*d->entries)) < 0)
		return PLATCI_ENOMEM;
	d->entries[d->n].kind = kind;
	d->entries[d->n].key = key;
	d->entries[d->n].source = source;
	d->entries[d->n].target = target;
	d->n++;
	return 0;
}

int platci_versions_diff(platci_vdiff **out, const platci_versions *source, const platci_versions *target)
{
	const platci_versions_index *si, *ti;
	platci_vdiff *d = NULL;
	size_t i = 0, j = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(out && source && target);
	*out = NULL;
	PLATCI_CHECK_ALLOC(d = calloc(1, sizeof(*d)));
	PLATCI_CHECK_ALLOC(si = sorted(source));
	PLATCI_CHECK_ALLOC(ti = sorted(target));
	/* Both views are sorted by key: one merge pass. */
	while (i < si->n || j < ti->n) {
		int c = i >= si->n   ? 1
			: j >= ti->n ? -1
				     : strcmp(si->sorted[i]->key, ti->sorted[j]->key);
		size_t i_end = i, j_end = j;
		const char *key = c <= 0 ? si->sorted[i]->key : ti->sorted[j]->key;
		int ambiguous = 0;

		while (i_end < si->n && strcmp(si->sorted[i_end]->key, key) == 0) {
			if (strcmp(si->sorted[i_end]->value, si->sorted[i]->value) != 0)
				ambiguous = 1;
			i_end++;
		}
		while (j_end < ti->n && strcmp(ti->sorted[j_end]->key, key) == 0)
			j_end++;
		if (c < 0) {
			error = vdiff_add(d, PLATCI_VDIFF_ONLY_SOURCE, key, si->sorted[i], NULL);
		} else if (c > 0) {
			for (size_t k = j; k < j_end && !error; k++)
				error = vdiff_add(d, PLATCI_VDIFF_ONLY_TARGET, key, NULL, ti->sorted[k]);
		} else {
			for (size_t k = j; k < j_end && !error; k++) {
				if (ambiguous)
					error = vdiff_add(d, PLATCI_VDIFF_AMBIGUOUS, key,
						si->sorted[i], ti->sorted[k]);
				else if (strcmp(si->sorted[i]->value, ti->sorted[k]->value) != 0)
					error = vdiff_add(d, PLATCI_VDIFF_CHANGED, key,
						si->sorted[i], ti->sorted[k]);
			}
		}
		if (error < 0)
			goto done;
		if (c <= 0)
			i = i_end;
		if (c >= 0)
			j = j_end;
	}
	*out = d;
	d = NULL;
done:
	platci_vdiff_free(d);
	return error;
}

void platci_vdiff_free(platci_vdiff *diff)
{
	if (!diff)
		return;
	free(diff->entries);
	free(diff);
}

size_t platci_vdiff_count(const platci_vdiff *diff)
{
	return diff ? diff->n : 0;
}

const platci_vdiff_entry *platci_vdiff_at(const platci_vdiff *diff, size_t i)
{
	return diff && i < diff->n ? &diff->entries[i] : NULL;
}
