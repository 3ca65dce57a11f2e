/*
 * What a build reads, for its cache key. The repository's files are
 * hashed once per run (path and SHA-256); the kustomize resolver
 * (kustomize.h) then names the files and folders one build reaches, and
 * the key covers those files plus every file directly in each folder it
 * visits (so a file a kustomization names in a way the resolver does not
 * follow still counts). A build the resolver cannot follow falls back to
 * the whole repository's digest: never a stale hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluxmodel_int.h"
#include "platci/kustomize.h"
#include "platci/sha256.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct entry {
	char *path;
	char hex[PLATCI_SHA256_HEX_SIZE];
} entry;

struct render_index {
	entry *e;
	size_t count, alloc;
	const char **paths;
	const platci_doc **docs;
	platci_kustomize *k;
};

typedef struct index_walk {
	render_index *x;
	const char *const *exclude;
} index_walk;

/* Folders the index leaves out: hidden ones, node_modules, build trees, --exclude. */
static int skip_dir(const char *rel, const char *full, const char *const *exclude)
{
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	platci_buf marker = PLATCI_BUF_INIT;
	int build_tree;

	if (name[0] == '.' || strcmp(name, "node_modules") == 0)
		return 1;
	build_tree = platci_path_on_disk(&marker, full, "CMakeCache.txt") == 0 &&
		     access(marker.ptr, F_OK) == 0;
	platci_buf_dispose(&marker);
	if (build_tree)
		return 1;
	for (size_t i = 0; exclude && exclude[i]; i++) {
		size_t el = strlen(exclude[i]);
		if (strncmp(rel, exclude[i], el) == 0 && (rel[el] == '\0' || rel[el] == '/'))
			return 1;
	}
	return 0;
}

/* Every file of the repository (dot-files too), links followed, with its hash. */
static int index_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	index_walk *w = payload;
	render_index *x = w->x;
	entry *en;

	if (S_ISDIR(st->st_mode))
		return skip_dir(rel, full, w->exclude) ? PLATCI__WALK_SKIP : 0;
	if (!S_ISREG(st->st_mode))
		return 0;
	if (platci__grow_array((void **)&x->e, &x->alloc, x->count + 1, sizeof(*x->e)) < 0 ||
		!(x->e[x->count].path = platci__strdup(rel)))
		return PLATCI_ENOMEM;
	en = &x->e[x->count++];
	if (platci_sha256_file_hex(en->hex, full, NULL) < 0)
		en->hex[0] = '\0'; /* unreadable now: the key says so */
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

void platci_render__index_free(render_index *x)
{
	if (!x)
		return;
	platci_kustomize_free(x->k);
	for (size_t i = 0; i < x->count; i++)
		free(x->e[i].path);
	free(x->e);
	free(x->paths);
	free(x->docs);
	free(x);
}

/* Hashes the repository once; @p digest gets the whole tree's digest. */
int platci_render__index_new(render_index **out, platci_fluxmodel *m, const char *const *exclude,
	char digest[PLATCI_SHA256_HEX_SIZE])
{
	render_index *x = calloc(1, sizeof(*x));
	platci_sha256 *h = NULL;
	int error = 0;

	*out = NULL;
	PLATCI_CHECK_ALLOC(x);
	if ((error = platci__walk(m->root, "", (size_t)-1, PLATCI__WALK_HIDDEN | PLATCI__WALK_FOLLOW,
		     index_entry, &(index_walk){ x, exclude })) < 0)
		goto done;
	qsort(x->e, x->count, sizeof(*x->e), by_path);
	x->paths = calloc(x->count + 1, sizeof(*x->paths));
	x->docs = calloc(x->count + 1, sizeof(*x->docs));
	PLATCI_CHECK_ALLOC(x->paths);
	PLATCI_CHECK_ALLOC(x->docs);
	if ((error = platci_sha256_new(&h)) < 0)
		goto done;
	for (size_t i = 0; i < x->count; i++) {
		x->paths[i] = x->e[i].path;
		if (platci_kustomize_is_kfile_name(x->e[i].path))
			x->docs[i] = platci_fluxmodel__file(m, x->e[i].path);
		platci_sha256_update(h, x->e[i].path, strlen(x->e[i].path) + 1);
		platci_sha256_update(h, x->e[i].hex, sizeof(x->e[i].hex));
	}
	if ((error = platci_sha256_final_hex(digest, h)) < 0)
		goto done;
	error = platci_kustomize_new(&x->k, m->root, x->paths, x->docs, x->count);
done:
	platci_sha256_free(h);
	if (error < 0)
		platci_render__index_free(x);
	else
		*out = x;
	return error;
}

/* Appends `path=hash` of every file directly in folder @p dir ("" for the root). */
static void dir_files(platci_buf *key, const render_index *x, const char *dir)
{
	size_t dl = strlen(dir), lo = 0, hi = x->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->e[mid].path, dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < x->count; i++) {
		const char *p = x->e[i].path;
		if (dl && (strncmp(p, dir, dl) != 0 || p[dl] != '/'))
			break;
		if (!strchr(p + (dl ? dl + 1 : 0), '/'))
			platci_buf_printf(key, "%s=%s\n", p, x->e[i].hex);
	}
}

/*
 * Appends to @p key what repo folder @p rel's build reads. @return 1 when
 * the resolver followed it all, 0 when the caller must fall back to the
 * whole tree, <0 on error.
 */
int platci_render__index_key(platci_buf *key, render_index *x, const char *rel)
{
	platci_kbuild b;
	size_t before = platci_kustomize_problem_count(x->k);
	int error;

	error = platci_kustomize_resolve(&b, x->k, rel, NULL);
	if (error == PLATCI_ENOMEM)
		return error;
	if (error < 0 || platci_kustomize_problem_count(x->k) != before) {
		platci_kbuild_dispose(&b);
		return 0;
	}
	/* A problem met earlier in a file this build reads: a reference the key cannot see. */
	for (size_t p = 0; p < before; p++)
		for (size_t i = 0; i < b.file_count; i++)
			if (strcmp(platci_kustomize_problem_at(x->k, p)->file, x->e[b.files[i]].path) == 0) {
				platci_kbuild_dispose(&b);
				return 0;
			}
	for (size_t i = 0; i < b.file_count; i++)
		platci_buf_printf(key, "%s=%s\n", x->e[b.files[i]].path, x->e[b.files[i]].hex);
	for (size_t i = 0; i < b.resource_count; i++)
		if (b.resources[i].file < x->count)
			platci_buf_printf(key, "%s=%s\n", x->e[b.resources[i].file].path,
				x->e[b.resources[i].file].hex);
	for (size_t i = 0; i < b.dir_count; i++)
		dir_files(key, x, strcmp(b.dirs[i], ".") == 0 ? "" : b.dirs[i]);
	platci_kbuild_dispose(&b);
	return key->error ? key->error : 1;
}
