/* Affected environments: marks and their kinds, affected.json, Terraform module reach.
 * The child pipeline is rendered in affected_child.c. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "affected_int.h"
#include "hcl.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/walk.h"
#include "util/banned.h"

typedef platci_affected__mark mark;
typedef platci_affected__env env_marks;

int platci_affected_new(platci_affected **out, const platci_config *cfg)
{
	platci_affected *a;
	size_t n = platci_config_env_count(cfg);

	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return PLATCI_ENOMEM;
	a->cfg = cfg;
	a->envs = calloc(n + 1, sizeof(env_marks));
	if (!a->envs) {
		free(a);
		return PLATCI_ENOMEM;
	}
	a->nenvs = n;
	for (size_t i = 0; i < n; i++)
		a->envs[i].env = platci_config_env_at(cfg, i);
	*out = a;
	return 0;
}

void platci_affected_free(platci_affected *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nenvs; i++) {
		for (size_t j = 0; j < a->envs[i].count; j++) {
			free(a->envs[i].marks[j].path);
			free(a->envs[i].marks[j].via);
		}
		free(a->envs[i].marks);
	}
	free(a->envs);
	free(a);
}

static env_marks *find_env(const platci_affected *a, const char *env)
{
	for (size_t i = 0; env && i < a->nenvs; i++)
		if (strcmp(a->envs[i].env->name, env) == 0)
			return &a->envs[i];
	return NULL;
}

static int is_policy_file(const platci_config *cfg, const char *path)
{
	const platci_policy_paths *pol = platci_config_policies(cfg);
	const char *files[4] = { pol->manifests, pol->gates, pol->scan, pol->drift };

	if (platci_path_is_under(path, "policies"))
		return 1;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(files); i++)
		if (files[i] && strcmp(files[i], path) == 0)
			return 1;
	return 0;
}

/* What a reason means for the environment's Terraform and Flux tree (affected.h). */
static unsigned int kind_of(const platci_affected *a, const platci_env *env, const char *path,
	const char *via)
{
	if (strcmp(via, "terraform") == 0)
		return PLATCI_AFFECTED_TERRAFORM;
	if (strcmp(via, "flux") == 0)
		return PLATCI_AFFECTED_GITOPS;
	if (strcmp(via, "path") == 0)
		return env->infra && platci_path_is_under(path, env->infra) ? PLATCI_AFFECTED_TERRAFORM
									    : PLATCI_AFFECTED_GITOPS;
	/* a policy file judges manifests, images, drift and plans, but changes no plan */
	if (strcmp(via, "config") == 0 && is_policy_file(a->cfg, path))
		return PLATCI_AFFECTED_GITOPS;
	return PLATCI_AFFECTED_TERRAFORM | PLATCI_AFFECTED_GITOPS;
}

int platci_affected_mark(platci_affected *a, const char *env, const char *path, const char *via)
{
	env_marks *e = find_env(a, env);
	mark *m;
	unsigned int kind;

	if (!e)
		return PLATCI_ENOTFOUND;
	kind = kind_of(a, e->env, path, via ? via : "path");
	for (size_t i = 0; i < e->count; i++)
		if (strcmp(e->marks[i].path, path) == 0) {
			e->marks[i].kind |= kind;
			e->kinds |= kind;
			return 0;
		}
	if (platci__grow_array((void **)&e->marks, &e->alloc, e->count + 1, sizeof(*m)) < 0)
		return PLATCI_ENOMEM;
	m = &e->marks[e->count];
	m->path = platci__strdup(path);
	m->via = platci__strdup(via ? via : "path");
	if (!m->path || !m->via) {
		free(m->path);
		free(m->via);
		return PLATCI_ENOMEM;
	}
	m->kind = kind;
	e->kinds |= kind;
	e->count++;
	return 0;
}

int platci_affected_mark_all(platci_affected *a, const char *path, const char *via)
{
	int error = 0;
	for (size_t i = 0; i < a->nenvs && !error; i++)
		error = platci_affected_mark(a, a->envs[i].env->name, path, via);
	return error;
}

int platci_affected_is(const platci_affected *a, const char *env)
{
	const env_marks *e = find_env(a, env);
	return e && e->count > 0;
}

size_t platci_affected_count(const platci_affected *a)
{
	size_t n = 0;
	for (size_t i = 0; a && i < a->nenvs; i++)
		n += a->envs[i].count > 0;
	return n;
}

unsigned int platci_affected_kinds(const platci_affected *a, const char *env)
{
	const env_marks *e = a ? find_env(a, env) : NULL;
	return e ? e->kinds : 0;
}

size_t platci_affected_kind_count(const platci_affected *a, unsigned int kind)
{
	size_t n = 0;
	for (size_t i = 0; a && i < a->nenvs; i++)
		n += (a->envs[i].kinds & kind) != 0;
	return n;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int platci_affected_render_json(platci_buf *out, const platci_affected *a,
	const platci_affected_meta *meta, const platci_changes *changes)
{
	json_t *root = json_object(), *envs = json_array(), *ch = json_array();
	int error = 0;

	if (!root || !envs || !ch) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	json_object_set_new(root, "mode", json_string(meta && meta->mode ? meta->mode : "all"));
	json_object_set_new(root, "base", str_or_null(meta ? meta->base : NULL));
	json_object_set_new(root, "head", str_or_null(meta ? meta->head : NULL));
	json_object_set_new(root, "merge_base", str_or_null(meta ? meta->merge_base : NULL));
	json_object_set_new(root, "head_sha", str_or_null(meta ? meta->head_sha : NULL));
	for (size_t i = 0; i < platci_changes_count(changes); i++) {
		const platci_change *c = platci_changes_at(changes, i);
		const char *st = c->status == PLATCI_CHANGE_ADDED     ? "added"
				 : c->status == PLATCI_CHANGE_DELETED ? "deleted"
				 : c->status == PLATCI_CHANGE_RENAMED ? "renamed"
								      : "modified";
		json_t *o = json_pack("{s:s, s:s}", "path", c->path, "status", st);
		if (o && c->old_path)
			json_object_set_new(o, "old_path", json_string(c->old_path));
		json_array_append_new(ch, o);
	}
	json_object_set_new(root, "changed", ch);
	ch = NULL;
	for (size_t i = 0; i < a->nenvs; i++) {
		json_t *e = json_object(), *why = json_array();
		for (size_t j = 0; why && j < a->envs[i].count; j++)
			json_array_append_new(why,
				json_pack("{s:s, s:s}", "path", a->envs[i].marks[j].path, "via",
					a->envs[i].marks[j].via));
		json_object_set_new(e, "name", json_string(a->envs[i].env->name));
		json_object_set_new(e, "affected", json_boolean(a->envs[i].count > 0));
		json_object_set_new(e, "protected", json_boolean(a->envs[i].env->is_protected));
		json_object_set_new(e, "terraform",
			json_boolean(a->envs[i].kinds & PLATCI_AFFECTED_TERRAFORM));
		json_object_set_new(e, "gitops", json_boolean(a->envs[i].kinds & PLATCI_AFFECTED_GITOPS));
		json_object_set_new(e, "reasons", why);
		json_array_append_new(envs, e);
	}
	json_object_set_new(root, "environments", envs);
	envs = NULL;
	error = platci__json_dump(out, root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
done:
	json_decref(root);
	json_decref(envs);
	json_decref(ch);
	return error;
}

static int list_add(char ***items, size_t *count, size_t *alloc, const char *s)
{
	char *c;
	for (size_t i = 0; i < *count; i++)
		if (strcmp((*items)[i], s) == 0)
			return 0;
	if (platci__grow_array((void **)items, alloc, *count + 2, sizeof(char *)) < 0)
		return PLATCI_ENOMEM;
	if (!(c = platci__strdup(s)))
		return PLATCI_ENOMEM;
	(*items)[(*count)++] = c;
	(*items)[*count] = NULL;
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

typedef struct tf_walk {
	char **items;
	size_t count, alloc;
	const char *dir; /* the folder being read */
	platci_buf data, next;
} tf_walk;

/* A .tf file of the folder being read: the local modules it calls join the list. */
static int tf_module_calls(const char *rel, const char *full, const struct stat *st, void *payload)
{
	tf_walk *w = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	size_t n = strlen(name);
	hcl_file f;
	int error = 0;

	(void)st;
	if (n < 4 || strcmp(name + n - 3, ".tf") != 0)
		return 0;
	platci_buf_clear(&w->data);
	if (platci_fs_read(&w->data, full, 16u * 1024 * 1024, NULL) < 0 ||
		platci__hcl_scan(&f, w->data.ptr, w->data.size, name, NULL) < 0)
		return 0;
	for (size_t b = 0; b < f.nblocks && error == 0; b++) {
		const char *src;
		if (f.blocks[b].parent != HCL_TOP || strcmp(f.blocks[b].type, "module") != 0)
			continue;
		src = platci__hcl_attr(&f, b, "source", NULL);
		if (!src || (strncmp(src, "./", 2) != 0 && strncmp(src, "../", 3) != 0))
			continue;
		platci_buf_clear(&w->next);
		if (platci_path_join(&w->next, w->dir, src) == 0)
			error = list_add(&w->items, &w->count, &w->alloc, w->next.ptr);
	}
	platci__hcl_dispose(&f);
	return error;
}

int platci_affected_tf_dirs(char ***out, const char *root, const char *dir)
{
	tf_walk w = { NULL, 0, 0, NULL, PLATCI_BUF_INIT, PLATCI_BUF_INIT };
	int error = 0;

	*out = NULL;
	if ((error = list_add(&w.items, &w.count, &w.alloc, dir)) < 0)
		goto done;
	/* breadth-first: the list grows while we walk it; each folder's own files only */
	for (size_t i = 0; i < w.count && i < 1000; i++) {
		w.dir = w.items[i]; /* the string stays put when the list grows */
		error = platci__walk(root, w.dir, 0, PLATCI__WALK_HIDDEN, tf_module_calls, &w);
		if (error == PLATCI_ENOMEM)
			goto done;
		error = 0; /* a folder that cannot be read or named calls nothing */
	}
	qsort(w.items, w.count, sizeof(char *), cmp_str);
	*out = w.items;
	w.items = NULL;
done:
	platci_affected_dirs_free(w.items);
	platci_buf_dispose(&w.data);
	platci_buf_dispose(&w.next);
	return error;
}

void platci_affected_dirs_free(char **dirs)
{
	if (!dirs)
		return;
	for (char **p = dirs; *p; p++)
		free(*p);
	free(dirs);
}
