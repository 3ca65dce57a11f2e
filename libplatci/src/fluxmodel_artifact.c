/*
 * ArtifactGenerator (source-watcher, source.extensions.fluxcd.io/v1beta1):
 * each `spec.artifacts[]` entry becomes an ExternalArtifact whose layout
 * the `copy` operations make, in order, later ones overwriting earlier
 * ones. The rules follow source-watcher's builder: a `from` without glob
 * characters copies a file (to `to`, or into it when `to` ends in `/` or
 * is a folder) or a folder (as `to/<its name>`); a glob is matched one
 * path segment per pattern segment (Go's fs.Glob, where `**` is `*`), and
 * each match goes to `to/<match>`, except that a `dir/` + `**` pattern strips `dir/`.
 * The layout is staged as symbolic links to the repository's files, so a
 * kustomize origin resolves back to the file it came from.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct layout {
	char **pairs; /* artifact path, repo-or-abs path, ... */
	size_t count, alloc;
} layout;

typedef struct copy_ctx {
	platci_fluxmodel *m;
	const char *src_root; /* absolute folder of the alias's source */
	const char *stage; /* absolute artifact folder */
	const platci_node *excludes;
	layout *lay;
	int error;
} copy_ctx;

static int has_glob(const char *s)
{
	return strpbrk(s, "*?[]") != NULL;
}

/* doublestar-style match for `exclude`: `**` spans any number of segments. */
static int ds_match(const char *pat, const char *path)
{
	const char *ps = strchr(pat, '/'), *xs = strchr(path, '/');
	size_t pl = ps ? (size_t)(ps - pat) : strlen(pat);
	size_t xl = xs ? (size_t)(xs - path) : strlen(path);
	char pseg[256], xseg[256];

	if (pl == 2 && strncmp(pat, "**", 2) == 0) {
		if (!ps)
			return 1;
		for (const char *p = path;; p = strchr(p, '/') + 1) {
			if (ds_match(ps + 1, p))
				return 1;
			if (!strchr(p, '/'))
				return 0;
		}
	}
	if (pl >= sizeof(pseg) || xl >= sizeof(xseg))
		return 0;
	platci_render__fmt(pseg, sizeof(pseg), "%.*s", (int)pl, pat);
	platci_render__fmt(xseg, sizeof(xseg), "%.*s", (int)xl, path);
	if (fnmatch(pseg, xseg, 0) != 0)
		return 0;
	if (!ps && !xs)
		return 1;
	if (!ps || !xs)
		return 0;
	return ds_match(ps + 1, xs + 1);
}

static int excluded(const copy_ctx *c, const char *rel, const char *base)
{
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	size_t bl = strlen(base);
	const char *under = (strcmp(base, ".") != 0 && strncmp(rel, base, bl) == 0 && rel[bl] == '/')
				    ? rel + bl + 1
				    : NULL;

	for (size_t i = 0; i < platci_node_count(c->excludes); i++) {
		const char *p = platci_node_scalar(platci_node_item_at(c->excludes, i), NULL);
		if (!p)
			continue;
		if (ds_match(p, rel) || (under && ds_match(p, under)) ||
			(!strchr(p, '/') && ds_match(p, name)))
			return 1;
	}
	return 0;
}

static int mkdirs_for(const char *file)
{
	platci_buf dir = PLATCI_BUF_INIT;
	int error = platci_path_dirname(&dir, file);

	if (error >= 0)
		error = platci_fs_mkdirs(dir.ptr, NULL);
	platci_buf_dispose(&dir);
	return error;
}

static int lay_put(copy_ctx *c, const char *art_rel, const char *src_abs)
{
	platci_fluxmodel *m = c->m;
	const char *target;
	char real[PATH_MAX];
	layout *l = c->lay;

	target = realpath(src_abs, real) ? platci_fluxmodel__relpath(m, real) : src_abs;
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->pairs[2 * i], art_rel) == 0) {
			l->pairs[2 * i + 1] = (char *)target;
			return 0;
		}
	if (platci__grow_array((void **)&l->pairs, &l->alloc, 2 * l->count + 3, sizeof(*l->pairs)) < 0)
		return PLATCI_ENOMEM;
	l->pairs[2 * l->count] = platci_fluxmodel__strdup(m, art_rel);
	l->pairs[2 * l->count + 1] = (char *)target;
	l->count++;
	l->pairs[2 * l->count] = NULL;
	return 0;
}

/* Copies one file (as a link) to artifact path @p dest (relative, normalised). */
static int put_file(copy_ctx *c, const char *src_rel, const char *dest)
{
	platci_buf norm = PLATCI_BUF_INIT, src = PLATCI_BUF_INIT, dst = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_normalize(&norm, dest)) < 0 ||
		(error = platci_path_on_disk(&src, c->src_root, src_rel)) < 0 ||
		(error = platci_path_on_disk(&dst, c->stage, norm.ptr)) < 0)
		goto done;
	mkdirs_for(dst.ptr);
	unlink(dst.ptr);
	if (symlink(src.ptr, dst.ptr) < 0) {
		error = PLATCI_EIO;
		goto done;
	}
	error = lay_put(c, norm.ptr, src.ptr);
done:
	platci_buf_dispose(&norm);
	platci_buf_dispose(&src);
	platci_buf_dispose(&dst);
	return error;
}

typedef struct dir_copy {
	copy_ctx *c;
	size_t start_len; /* of the folder copied, normalised: what each entry's path starts with */
	const char *dest, *base;
	platci_buf d;
} dir_copy;

static int put_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	dir_copy *dc = payload;
	int error;

	(void)full;
	if (excluded(dc->c, rel, dc->base))
		return PLATCI__WALK_SKIP;
	if (!S_ISREG(st->st_mode))
		return 0;
	if ((error = platci_path_join(&dc->d, dc->dest, rel + dc->start_len)) < 0)
		return error;
	return put_file(dc->c, rel, dc->d.ptr);
}

/*
 * Copies folder @p src_rel (relative to the source) into artifact folder
 * @p dest: every file, dot-files too, links followed as the controller's
 * copy does (a link back into a folder being copied is not entered twice).
 */
static int put_dir(copy_ctx *c, const char *src_rel, const char *dest, const char *base)
{
	dir_copy dc = { c, 0, dest, base, PLATCI_BUF_INIT };
	int error;

	if ((error = platci_path_normalize(&dc.d, src_rel)) < 0)
		return error;
	dc.start_len = strcmp(dc.d.ptr, ".") != 0 ? dc.d.size + 1 : 0;
	error = platci__walk(c->src_root, src_rel, (size_t)-1,
		PLATCI__WALK_HIDDEN | PLATCI__WALK_FOLLOW, put_entry, &dc);
	platci_buf_dispose(&dc.d);
	return error;
}

typedef struct glob_state {
	copy_ctx *c;
	const char *rest; /* the pattern after this segment, NULL at the last */
	platci_buf seg;
	char ***out;
	size_t *count, *alloc;
} glob_state;

static int glob_walk(copy_ctx *c, const char *pattern, const char *prefix, char ***out,
	size_t *count, size_t *alloc);

static int glob_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	glob_state *g = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

	(void)full;
	if (fnmatch(g->seg.ptr, name, 0) != 0)
		return 0;
	if (g->rest)
		return S_ISDIR(st->st_mode) ? glob_walk(g->c, g->rest, rel, g->out, g->count, g->alloc)
					    : 0;
	return platci__strs_push(g->out, g->count, g->alloc, rel);
}

/* Go fs.Glob: each pattern segment matches one path segment; matches are sorted. */
static int glob_walk(copy_ctx *c, const char *pattern, const char *prefix, char ***out,
	size_t *count, size_t *alloc)
{
	const char *slash = strchr(pattern, '/');
	glob_state g = { c, slash ? slash + 1 : NULL, PLATCI_BUF_INIT, out, count, alloc };
	int error;

	if ((error = platci_buf_put(&g.seg, pattern, slash ? (size_t)(slash - pattern) : strlen(pattern))) < 0)
		return error;
	/* one folder at a time (depth 0); links to folders count as folders, as in fs.Glob */
	error = platci__walk(c->src_root, prefix, 0, PLATCI__WALK_HIDDEN | PLATCI__WALK_FOLLOW,
		glob_entry, &g);
	platci_buf_dispose(&g.seg);
	return error;
}

static int copy_glob(copy_ctx *c, const char *pattern, const char *dest, int *matched)
{
	platci_buf d = PLATCI_BUF_INIT, base = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	char **matches = NULL, *cut;
	size_t count = 0, alloc = 0, plen = strlen(pattern);
	int error, dir_all = plen >= 3 && strcmp(pattern + plen - 3, "/**") == 0;

	/* The literal prefix before the first glob segment: excludes are also tried below it. */
	if ((error = platci_buf_puts(&base, pattern)) < 0)
		goto done;
	while ((cut = strrchr(base.ptr, '/')) && has_glob(base.ptr))
		platci_buf_truncate(&base, (size_t)(cut - base.ptr));
	if (has_glob(base.ptr)) {
		platci_buf_clear(&base);
		platci_buf_putc(&base, '.');
	}
	error = glob_walk(c, pattern, "", &matches, &count, &alloc);
	for (size_t i = 0; i < count && error == 0; i++) {
		const char *rel = matches[i];
		struct stat st;
		if (excluded(c, rel, base.ptr))
			continue;
		if ((error = platci_path_join(&d, dest,
			     dir_all && strncmp(rel, pattern, plen - 2) == 0 ? rel + plen - 2 : rel)) < 0 ||
			(error = platci_path_on_disk(&path, c->src_root, rel)) < 0)
			break;
		if (stat(path.ptr, &st) < 0)
			continue;
		*matched = 1;
		error = S_ISDIR(st.st_mode) ? put_dir(c, rel, d.ptr, base.ptr) : put_file(c, rel, d.ptr);
	}
done:
	for (size_t i = 0; i < count; i++)
		free(matches[i]);
	free(matches);
	platci_buf_dispose(&d);
	platci_buf_dispose(&base);
	platci_buf_dispose(&path);
	return error;
}

/* Whether artifact path @p dest is a folder already (a file copied there goes inside it). */
static int staged_dir(const copy_ctx *c, const char *dest)
{
	platci_buf staged = PLATCI_BUF_INIT;
	struct stat ds;
	int is_dir = platci_path_on_disk(&staged, c->stage, dest) == 0 &&
		     stat(staged.ptr, &ds) == 0 && S_ISDIR(ds.st_mode);

	platci_buf_dispose(&staged);
	return is_dir;
}

static int copy_one(copy_ctx *c, const char *pattern, const char *to, int *matched)
{
	const char *dest = to + strlen("@artifact/");
	const char *name;
	struct stat st;
	platci_buf clean = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT, d = PLATCI_BUF_INIT;
	int error = 0;

	if (!*dest)
		dest = ".";
	if (has_glob(pattern))
		return copy_glob(c, pattern, dest, matched);
	if (platci_path_normalize(&clean, pattern) < 0)
		return PLATCI_EUNSAFE;
	if ((error = platci_path_on_disk(&path, c->src_root, clean.ptr)) < 0)
		goto done;
	name = strrchr(clean.ptr, '/') ? strrchr(clean.ptr, '/') + 1 : clean.ptr;
	if (stat(path.ptr, &st) == 0) {
		*matched = 1;
		if (S_ISDIR(st.st_mode)) {
			if ((error = platci_path_join(&d, dest, name)) == 0)
				error = put_dir(c, clean.ptr, d.ptr, clean.ptr);
		} else {
			if (to[strlen(to) - 1] == '/' || staged_dir(c, dest))
				error = platci_path_join(&d, dest, name);
			else
				error = platci_buf_puts(&d, dest);
			if (error == 0 && !excluded(c, clean.ptr, "."))
				error = put_file(c, clean.ptr, d.ptr);
		}
	}
done:
	platci_buf_dispose(&clean);
	platci_buf_dispose(&path);
	platci_buf_dispose(&d);
	return error;
}

/* Resolves alias @p alias of generator @p g to an absolute folder: 1, 0 waiting, -1 external. */
static int alias_dir(platci_fluxmodel *m, size_t g, const char *alias, platci_buf *dir)
{
	const platci_node *srcs = platci_node_get(m->gen[g].spec, "sources");

	for (size_t i = 0; i < platci_node_count(srcs); i++) {
		const platci_node *s = platci_node_item_at(srcs, i);
		const char *ns = platci_node_get_str(s, "namespace");
		size_t idx;
		if (!platci_node_is(platci_node_get(s, "alias"), alias))
			continue;
		idx = platci_fluxmodel__find_src(m, platci_node_get_str(s, "kind"),
			ns ? ns : m->gen[g].namespace_, platci_node_get_str(s, "name"));
		if (idx == PLATCI_FLUX_NONE)
			return 0;
		if (!platci_fluxmodel__source_dir_abs(m, idx, dir))
			return -1;
		return platci_fluxmodel__ignore_notice(m, idx, dir->ptr) < 0 ? -3 : 1;
	}
	return -2;
}

/* Builds artifact @p a of generator @p g; @p dir holds each copy's source folder in turn. */
static int build_artifact_in(platci_fluxmodel *m, size_t g, size_t a, const platci_node *spec,
	platci_buf *dir)
{
	const platci_node *ops = platci_node_get(spec, "copy");
	layout lay = { NULL, 0, 0 };
	copy_ctx c;
	int error = 0;

	platci_render__fmt(m->art_dir[a], PATH_MAX, "%s/artifacts/%zu", m->staging, a);
	if ((error = platci_fs_mkdirs(m->art_dir[a], m->diag)) < 0)
		return error;
	for (size_t i = 0; i < platci_node_count(ops) && error == 0; i++) {
		const platci_node *op = platci_node_item_at(ops, i);
		const char *from = platci_node_get_str(op, "from"), *to = platci_node_get_str(op, "to");
		const char *strategy = platci_node_get_str(op, "strategy");
		char alias[128];
		const char *slash = from && from[0] == '@' ? strchr(from, '/') : NULL;
		int matched = 0, r;

		if (!slash || !to || strncmp(to, "@artifact/", 10) != 0 || strstr(to, "..")) {
			m->art[a].reason =
				"a copy operation is malformed (from: @alias/pattern, "
				"to: @artifact/path)";
			return platci_fluxmodel__finding(m, "render.artifact-invalid", 1,
				&m->gen[g].loc, NULL,
				"ArtifactGenerator %s/%s, artifact %s: copy \"%s\" -> \"%s\" is not of "
				"the form @alias/pattern -> @artifact/path",
				m->gen[g].namespace_, m->gen[g].name, m->art[a].name,
				from ? from : "", to ? to : "");
		}
		if (strategy && strcmp(strategy, "Overwrite") != 0)
			platci_fluxmodel__finding(m, "render.artifact-strategy", 0, &m->gen[g].loc, NULL,
				"ArtifactGenerator %s/%s: copy strategy %s is not reproduced; files are "
				"overwritten",
				m->gen[g].namespace_, m->gen[g].name, strategy);
		platci_render__fmt(alias, sizeof(alias), "%.*s", (int)(slash - from - 1), from + 1);
		r = alias_dir(m, g, alias, dir);
		if (r == -3)
			return PLATCI_ENOMEM;
		if (r == -1) {
			m->art[a].reason = platci_fluxmodel__strdup(m,
				"a source it copies from is not "
				"this repository (map it with --sources)");
			return 0;
		}
		c = (copy_ctx){ m, dir->ptr, m->art_dir[a], platci_node_get(op, "exclude"), &lay, 0 };
		if (r == -2)
			error = PLATCI_ENOTFOUND;
		else
			error = copy_one(&c, slash + 1, to, &matched);
		if (error == PLATCI_ENOMEM)
			return error;
		if (error < 0 || (!matched && !platci_node_is(platci_node_get(op, "optional"), "true"))) {
			m->art[a].reason = "the generator fails to copy";
			error = platci_fluxmodel__finding(m, "render.artifact-copy", 1, &m->gen[g].loc,
				NULL, "ArtifactGenerator %s/%s, artifact %s: %s \"%s\"",
				m->gen[g].namespace_, m->gen[g].name, m->art[a].name,
				r == -2 ? "no source has the alias of" : "no files match", from);
			return error;
		}
	}
	m->art[a].files = (const char *const *)lay.pairs;
	m->art[a].file_count = lay.count;
	/* the pairs live in the arena; only the array is malloc'd: copy it there */
	if (lay.pairs) {
		size_t bytes = (2 * lay.count + 1) * sizeof(char *);
		char **copy = platci_arena_alloc(&m->arena, bytes);
		if (!copy) {
			free(lay.pairs);
			return PLATCI_ENOMEM;
		}
		memcpy(copy, lay.pairs, bytes);
		free(lay.pairs);
		m->art[a].files = (const char *const *)copy;
	}
	return 0;
}

static int build_artifact(platci_fluxmodel *m, size_t g, size_t a, const platci_node *spec)
{
	platci_buf dir = PLATCI_BUF_INIT;
	int error = build_artifact_in(m, g, a, spec, &dir);

	platci_buf_dispose(&dir);
	return error;
}

/* @return 1 expanded, 0 waiting for a source, <0 error. */
int platci_fluxmodel__expand_generator(platci_fluxmodel *m, size_t g)
{
	const platci_node *arts = platci_node_get(m->gen[g].spec, "artifacts");
	const platci_node *srcs = platci_node_get(m->gen[g].spec, "sources");
	char gname[512];
	platci_buf dir = PLATCI_BUF_INIT;
	int error, waiting = 0;

	for (size_t i = 0; i < platci_node_count(srcs) && !waiting; i++) {
		const char *alias = platci_node_get_str(platci_node_item_at(srcs, i), "alias");
		waiting = alias && alias_dir(m, g, alias, &dir) == 0;
	}
	platci_buf_dispose(&dir);
	if (waiting)
		return 0;
	m->gen[g].expanded = 1;
	platci_render__fmt(gname, sizeof(gname), "%s/%s", m->gen[g].namespace_, m->gen[g].name);
	for (size_t i = 0; i < platci_node_count(arts); i++) {
		const char *name = platci_node_get_str(platci_node_item_at(arts, i), "name");
		for (size_t a = 0; name && a < m->art_count; a++)
			if (strcmp(m->art[a].generator, gname) == 0 && strcmp(m->art[a].name, name) == 0 &&
				(error = build_artifact(m, g, a, platci_node_item_at(arts, i))) < 0)
				return error;
	}
	return 1;
}
