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
 * The names in folder @p full, sorted, without dot-files unless @p hidden;
 * none when it cannot be opened.
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
		return 0;
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

static int walk_dir(const walk_ctx *w, const char *rel, size_t depth)
{
	platci_buf full = PLATCI_BUF_INIT, child = PLATCI_BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	int error = 0;

	if (depth > w->max_depth)
		return 0;
	if ((error = platci_path_on_disk(&full, w->root, *rel ? rel : ".")) < 0)
		goto done;
	if ((error = list_names(&names, &n, full.ptr, (w->flags & PLATCI__WALK_HIDDEN) != 0)) < 0)
		goto done;
	for (size_t i = 0; i < n && error >= 0; i++) {
		struct stat st;
		int rc;

		if ((error = platci_path_join(&child, rel, names[i])) < 0 ||
			(error = platci_path_on_disk(&full, w->root, child.ptr)) < 0)
			break;
		if (lstat(full.ptr, &st) < 0)
			continue;
		if ((rc = w->cb(child.ptr, full.ptr, &st, w->payload)) < 0)
			error = rc;
		else if (rc != PLATCI__WALK_SKIP && S_ISDIR(st.st_mode))
			error = walk_dir(w, child.ptr, depth + 1);
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

	return walk_dir(&w, rel && strcmp(rel, ".") != 0 ? rel : "", 0);
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
	if (platci__grow_array((void **)&l->dirs, &l->alloc, l->count + 1, sizeof(char *)) < 0 ||
		!(l->dirs[l->count] = platci__strdup(full)))
		return PLATCI_ENOMEM;
	l->count++;
	return 0;
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
