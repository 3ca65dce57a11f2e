/* The one directory walker (see walk.h). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platci/buf.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/*
 * The names in folder @p full, sorted, without dot-files unless @p hidden.
 * @return 0, 1 when the folder cannot be opened, or PLATCI_ENOMEM.
 */
static int list_names(char ***names_out, size_t *count_out, const char *full, int hidden)
{
	DIR *d = opendir(full);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int error = 0;

	*names_out = NULL;
	*count_out = 0;
	if (!d)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (hidden ? is_dot_or_dotdot(de->d_name) : de->d_name[0] == '.')
			continue;
		if (platci__grow_array((void **)&names, &alloc, n + 1, sizeof(char *)) < 0 ||
			!(names[n] = platci__strdup(de->d_name))) {
			error = PLATCI_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (error < 0) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return error;
	}
	if (n)
		qsort(names, n, sizeof(char *), cmp_name);
	*names_out = names;
	*count_out = n;
	return 0;
}

typedef struct walk_ctx {
	const char *root;
	size_t max_depth;
	unsigned int flags;
	platci__walk_cb cb;
	void *payload;
} walk_ctx;

/* The folders the walk is inside, innermost first: what a followed link must not re-enter. */
typedef struct walk_chain {
	dev_t dev;
	ino_t ino;
	const struct walk_chain *up;
} walk_chain;

static int on_chain(const walk_chain *c, const struct stat *st)
{
	for (; c; c = c->up)
		if (c->dev == st->st_dev && c->ino == st->st_ino)
			return 1;
	return 0;
}

static int walk_dir(const walk_ctx *w, const char *rel, size_t depth, const walk_chain *up);

/* One entry: the callback, then (for a folder it wants) the folder's own walk. */
static int walk_entry(const walk_ctx *w, const char *rel, const char *full, size_t depth,
	const walk_chain *up)
{
	int follow = (w->flags & PLATCI__WALK_FOLLOW) != 0, rc;
	struct stat st;

	if ((follow ? stat(full, &st) : lstat(full, &st)) < 0)
		return 0;
	if ((rc = w->cb(rel, full, &st, w->payload)) < 0 || rc == PLATCI__WALK_STOP)
		return rc;
	if (rc == PLATCI__WALK_SKIP || !S_ISDIR(st.st_mode) || (follow && on_chain(up, &st)))
		return 0;
	{
		walk_chain here = { st.st_dev, st.st_ino, up };
		return walk_dir(w, rel, depth + 1, follow ? &here : NULL);
	}
}

/* @return 0, PLATCI__WALK_STOP, or a negative code. */
static int walk_dir(const walk_ctx *w, const char *rel, size_t depth, const walk_chain *up)
{
	platci_buf full = PLATCI_BUF_INIT, child = PLATCI_BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	int error = 0;

	if (depth > w->max_depth)
		return 0;
	if ((error = platci_path_on_disk(&full, w->root, *rel ? rel : ".")) < 0)
		goto done;
	if ((error = list_names(&names, &n, full.ptr, (w->flags & PLATCI__WALK_HIDDEN) != 0)) == 1) {
		error = w->flags & PLATCI__WALK_UNLISTED
				? w->cb(*rel ? rel : ".", full.ptr, NULL, w->payload)
				: 0;
		error = error < 0 || error == PLATCI__WALK_STOP ? error : 0;
		goto done;
	}
	for (size_t i = 0; i < n && error == 0; i++) {
		if ((error = platci_path_join(&child, rel, names[i])) < 0 ||
			(error = platci_path_on_disk(&full, w->root, child.ptr)) < 0)
			break;
		error = walk_entry(w, child.ptr, full.ptr, depth, up);
	}
done:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	platci_buf_dispose(&full);
	platci_buf_dispose(&child);
	return error;
}

int platci__walk(const char *root, const char *rel, size_t max_depth, unsigned int flags,
	platci__walk_cb cb, void *payload)
{
	walk_ctx w = { root, max_depth, flags, cb, payload };
	platci_buf start = PLATCI_BUF_INIT;
	walk_chain top = { 0, 0, NULL };
	const walk_chain *chain = NULL;
	struct stat st;
	int error;

	rel = rel && strcmp(rel, ".") != 0 ? rel : "";
	if (flags & PLATCI__WALK_FOLLOW) {
		/* the start folder is on the chain too: a link back to it is a cycle */
		if ((error = platci_path_on_disk(&start, root, *rel ? rel : ".")) < 0)
			goto done;
		if (stat(start.ptr, &st) == 0) {
			top = (walk_chain){ st.st_dev, st.st_ino, NULL };
			chain = &top;
		}
	}
	error = walk_dir(&w, rel, 0, chain);
done:
	platci_buf_dispose(&start);
	return error == PLATCI__WALK_STOP ? 0 : error;
}

/* ---- rmtree ----------------------------------------------------------------------------- */

typedef struct rm_list {
	char **dirs;
	size_t count, alloc;
} rm_list;

/* Files and links go at once; folders once their entries are gone (see platci__rmtree). */
static int rm_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	rm_list *l = payload;

	(void)rel;
	if (!S_ISDIR(st->st_mode)) {
		unlink(full);
		return 0;
	}
	return platci__strs_push(&l->dirs, &l->count, &l->alloc, full);
}

int platci__rmtree(const char *path, size_t max_depth)
{
	rm_list l = { NULL, 0, 0 };
	struct stat st;
	int error;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? 0 : PLATCI_EIO;
	error = platci__walk(path, "", max_depth, PLATCI__WALK_HIDDEN, rm_entry, &l);
	/* the walk lists a folder before what it holds: remove them the other way round */
	for (size_t i = l.count; i-- > 0;) {
		rmdir(l.dirs[i]);
		free(l.dirs[i]);
	}
	free(l.dirs);
	if (error < 0)
		return error;
	return rmdir(path) == 0 ? 0 : PLATCI_EIO;
}
