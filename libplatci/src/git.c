/*
 * libgit2 behind a small surface: the validate stage needs revisions,
 * merge bases, changed paths and old file contents, nothing more.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platci/git.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

struct platci_git {
	git_repository *repo;
};

struct platci_changes {
	platci_change *items;
	size_t count, alloc;
};

static int git_fail(platci_diag *diag, int code, const char *what)
{
	const git_error *e = git_error_last();
	platci_diag_entry d;

	memset(&d, 0, sizeof(d));
	d.code = code;
	platci_diag_add(diag, &d, "git: %s: %s", what, e && e->message ? e->message : "failed");
	return code;
}

int platci_git_open(platci_git **out, const char *path, platci_diag *diag)
{
	platci_git *g = NULL;
	int error = 0, rc;

	*out = NULL;
	git_libgit2_init();
	g = calloc(1, sizeof(*g));
	PLATCI_CHECK_ALLOC(g);
	rc = git_repository_open_ext(&g->repo, path, 0, NULL);
	if (rc < 0) {
		error = git_fail(diag, rc == GIT_ENOTFOUND ? PLATCI_ENOTFOUND : PLATCI_ERROR,
			"no repository here");
		goto done;
	}
	*out = g;
	g = NULL;
done:
	if (g) {
		free(g);
		git_libgit2_shutdown();
	} else if (error == PLATCI_ENOMEM) {
		git_libgit2_shutdown();
	}
	return error;
}

void platci_git_free(platci_git *git)
{
	if (!git)
		return;
	git_repository_free(git->repo);
	free(git);
	git_libgit2_shutdown();
}

const char *platci_git_workdir(const platci_git *git)
{
	return git ? git_repository_workdir(git->repo) : NULL;
}

int platci_git_is_null_rev(const char *rev)
{
	size_t n = 0;

	if (!rev || !*rev)
		return 0;
	for (; rev[n]; n++)
		if (rev[n] != '0')
			return 0;
	return n >= 7;
}

static int peel_commit(git_commit **out, platci_git *git, const char *rev, platci_diag *diag)
{
	git_object *obj = NULL, *peeled = NULL;
	platci_diag_entry d;
	int rc;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	if (!rev || !*rev) {
		d.code = PLATCI_EINVALID;
		platci_diag_add(diag, &d, "git: empty revision");
		return PLATCI_EINVALID;
	}
	if ((rc = git_revparse_single(&obj, git->repo, rev)) < 0) {
		d.code = PLATCI_ENOTFOUND;
		platci_diag_add(diag, &d, "git: unknown revision \"%s\"", rev);
		return PLATCI_ENOTFOUND;
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		d.code = PLATCI_ENOTFOUND;
		platci_diag_add(diag, &d, "git: \"%s\" does not name a commit", rev);
		return PLATCI_ENOTFOUND;
	}
	*out = (git_commit *)peeled;
	return 0;
}

int platci_git_resolve(char out[PLATCI_GIT_OID_HEX_SIZE], platci_git *git, const char *rev, platci_diag *diag)
{
	git_commit *c = NULL;
	int error;

	out[0] = '\0';
	PLATCI_ASSERT_ARG(git);
	if ((error = peel_commit(&c, git, rev, diag)) < 0)
		return error;
	git_oid_tostr(out, PLATCI_GIT_OID_HEX_SIZE, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int platci_git_merge_base(char out[PLATCI_GIT_OID_HEX_SIZE], platci_git *git, const char *a,
	const char *b, platci_diag *diag)
{
	git_commit *ca = NULL, *cb = NULL;
	git_oid base;
	int error = 0, rc;

	out[0] = '\0';
	PLATCI_ASSERT_ARG(git);
	if ((error = peel_commit(&ca, git, a, diag)) < 0 || (error = peel_commit(&cb, git, b, diag)) < 0)
		goto done;
	rc = git_merge_base(&base, git->repo, git_commit_id(ca), git_commit_id(cb));
	if (rc == GIT_ENOTFOUND) {
		platci_diag_entry d;
		memset(&d, 0, sizeof(d));
		d.code = error = PLATCI_ENOTFOUND;
		platci_diag_add(diag, &d, "git: %s and %s have no common ancestor", a, b);
		goto done;
	}
	if (rc < 0) {
		error = git_fail(diag, PLATCI_ERROR, "merge base");
		goto done;
	}
	git_oid_tostr(out, PLATCI_GIT_OID_HEX_SIZE, &base);
done:
	git_commit_free(ca);
	git_commit_free(cb);
	return error;
}

static int changes_add(platci_changes *l, platci_change_status st, const char *path, const char *old_path)
{
	platci_change *c;

	if (platci__grow_array((void **)&l->items, &l->alloc, l->count + 1, sizeof(*l->items)) < 0)
		return PLATCI_ENOMEM;
	c = &l->items[l->count];
	memset(c, 0, sizeof(*c));
	c->status = st;
	if (!(c->path = platci__strdup(path)))
		return PLATCI_ENOMEM;
	if (old_path && !(c->old_path = platci__strdup(old_path))) {
		free((char *)c->path);
		return PLATCI_ENOMEM;
	}
	l->count++;
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const platci_change *)a)->path, ((const platci_change *)b)->path);
}

int platci_git_changes(platci_changes **out, platci_git *git, const char *base, const char *head,
	platci_diag *diag)
{
	git_commit *cb = NULL, *ch = NULL;
	git_tree *tb = NULL, *th = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_diff_find_options fopts;
	platci_changes *l = NULL;
	int error = 0;

	*out = NULL;
	PLATCI_ASSERT_ARG(git);
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
	if ((error = peel_commit(&cb, git, base, diag)) < 0 ||
		(error = peel_commit(&ch, git, head, diag)) < 0)
		goto done;
	if (git_commit_tree(&tb, cb) < 0 || git_commit_tree(&th, ch) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "reading trees");
		goto done;
	}
	if (git_diff_tree_to_tree(&diff, git->repo, tb, th, &dopts) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "diff");
		goto done;
	}
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fopts) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "rename detection");
		goto done;
	}
	l = calloc(1, sizeof(*l));
	PLATCI_CHECK_ALLOC(l);
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		switch (d->status) {
		case GIT_DELTA_ADDED:
		case GIT_DELTA_COPIED:
			error = changes_add(l, PLATCI_CHANGE_ADDED, d->new_file.path, NULL);
			break;
		case GIT_DELTA_DELETED:
			error = changes_add(l, PLATCI_CHANGE_DELETED, d->old_file.path, NULL);
			break;
		case GIT_DELTA_RENAMED:
			error = changes_add(l, PLATCI_CHANGE_RENAMED, d->new_file.path, d->old_file.path);
			break;
		case GIT_DELTA_UNMODIFIED:
			break;
		default: /* modified, type change */
			error = changes_add(l, PLATCI_CHANGE_MODIFIED, d->new_file.path, NULL);
			break;
		}
		if (error < 0)
			goto done;
	}
	if (l->count)
		qsort(l->items, l->count, sizeof(*l->items), cmp_change);
	*out = l;
	l = NULL;
done:
	platci_changes_free(l);
	git_diff_free(diff);
	git_tree_free(tb);
	git_tree_free(th);
	git_commit_free(cb);
	git_commit_free(ch);
	return error;
}

void platci_changes_free(platci_changes *changes)
{
	if (!changes)
		return;
	for (size_t i = 0; i < changes->count; i++) {
		free((char *)changes->items[i].path);
		free((char *)changes->items[i].old_path);
	}
	free(changes->items);
	free(changes);
}

size_t platci_changes_count(const platci_changes *changes)
{
	return changes ? changes->count : 0;
}

const platci_change *platci_changes_at(const platci_changes *changes, size_t i)
{
	return changes && i < changes->count ? &changes->items[i] : NULL;
}

int platci_git_read_file(platci_buf *out, platci_git *git, const char *rev, const char *path,
	size_t max, platci_diag *diag)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	platci_diag_entry d;
	int error = 0;

	memset(&d, 0, sizeof(d));
	PLATCI_ASSERT_ARG(git && path);
	if ((error = peel_commit(&c, git, rev, diag)) < 0)
		goto done;
	if (git_commit_tree(&tree, c) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "reading tree");
		goto done;
	}
	if (git_tree_entry_bypath(&entry, tree, path) < 0) {
		d.code = error = PLATCI_ENOTFOUND;
		platci_diag_add(diag, &d, "git: %s does not exist at %s", path, rev);
		goto done;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		d.code = error = PLATCI_EINVALID;
		platci_diag_add(diag, &d, "git: %s is not a file at %s", path, rev);
		goto done;
	}
	if (git_blob_lookup(&blob, git->repo, git_tree_entry_id(entry)) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "reading blob");
		goto done;
	}
	if (max && (size_t)git_blob_rawsize(blob) > max) {
		d.code = error = PLATCI_ELIMIT;
		platci_diag_add(diag, &d, "git: %s at %s is larger than %zu bytes", path, rev, max);
		goto done;
	}
	error = platci_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}

/* ---- exporting a revision's tree ----------------------------------------- */

typedef struct export_ctx {
	platci_git *git;
	const char *dir;
	platci_buf rel, full;
	platci_diag *diag;
	int error;
} export_ctx;

static int export_fail(export_ctx *x, int code, const char *what)
{
	platci_diag_entry d;

	memset(&d, 0, sizeof(d));
	d.code = code;
	platci_diag_add(x->diag, &d, "git: cannot write %s: %s", what, strerror(errno));
	x->error = code;
	return -1;
}

static int export_blob(export_ctx *x, const git_tree_entry *entry)
{
	git_blob *blob = NULL;
	git_filemode_t mode = git_tree_entry_filemode(entry);
	const char *data;
	size_t size;
	int fd, rc = 0;

	if (git_blob_lookup(&blob, x->git->repo, git_tree_entry_id(entry)) < 0) {
		x->error = git_fail(x->diag, PLATCI_ERROR, "reading blob");
		return -1;
	}
	data = git_blob_rawcontent(blob);
	size = (size_t)git_blob_rawsize(blob);
	if (mode == GIT_FILEMODE_LINK) {
		platci_buf target = PLATCI_BUF_INIT;
		platci_buf_put(&target, data, size);
		if (target.error) {
			x->error = PLATCI_ENOMEM;
			rc = -1;
		} else if (symlink(target.ptr, x->full.ptr) < 0) {
			rc = export_fail(x, PLATCI_EIO, x->rel.ptr);
		}
		platci_buf_dispose(&target);
	} else {
		fd = open(x->full.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
		if (fd < 0 || platci__write_all(fd, data, size) < 0)
			rc = export_fail(x, PLATCI_EIO, x->rel.ptr);
		if (fd >= 0 && close(fd) < 0 && !rc)
			rc = export_fail(x, PLATCI_EIO, x->rel.ptr);
	}
	git_blob_free(blob);
	return rc;
}

static int export_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	export_ctx *x = payload;
	const char *name = git_tree_entry_name(entry);
	git_object_t type = git_tree_entry_type(entry);

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
		!strcmp(name, ".git")) {
		platci_diag_entry d;
		memset(&d, 0, sizeof(d));
		d.code = x->error = PLATCI_EUNSAFE;
		platci_diag_add(x->diag, &d, "git: tree entry \"%s%s\" would leave the export", root, name);
		return -1;
	}
	if (type == GIT_OBJECT_COMMIT)
		return 1; /* a submodule: not this repository's files */
	if ((x->error = platci_path_join(&x->rel, root, name)) < 0 ||
		(x->error = platci_path_on_disk(&x->full, x->dir, x->rel.ptr)) < 0)
		return -1;
	if (type == GIT_OBJECT_TREE)
		return mkdir(x->full.ptr, 0755) < 0 ? export_fail(x, PLATCI_EIO, x->rel.ptr) : 0;
	return type == GIT_OBJECT_BLOB ? export_blob(x, entry) : 1;
}

int platci_git_export(platci_git *git, const char *rev, const char *dir, platci_diag *diag)
{
	export_ctx x = { git, dir, PLATCI_BUF_INIT, PLATCI_BUF_INIT, diag, 0 };
	git_commit *c = NULL;
	git_tree *tree = NULL;
	int error;

	PLATCI_ASSERT_ARG(git && dir);
	if ((error = peel_commit(&c, git, rev, diag)) < 0)
		goto done;
	if (git_commit_tree(&tree, c) < 0) {
		error = git_fail(diag, PLATCI_ERROR, "reading tree");
		goto done;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, export_entry, &x) < 0)
		error = x.error ? x.error : git_fail(diag, PLATCI_ERROR, "walking the tree");
done:
	platci_buf_dispose(&x.rel);
	platci_buf_dispose(&x.full);
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}
