/* The one directory walker (see walk.h). */
#include <dirent.h>
#include <string.h>

#include "platci/buf.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder @p full, sorted, without dot-files; *names_out is NULL when it cannot be read. */
static int list_names(char ***names_out, size_t *count_out, const char *full)
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
		if (de->d_name[0] == '.')
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

static int walk_dir(const char *root, const char *rel, size_t depth, size_t max_depth,
	platci__walk_cb cb, void *payload)
{
	platci_buf full = PLATCI_BUF_INIT, child = PLATCI_BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	int error = 0;

	if (depth > max_depth)
		return 0;
	if ((error = platci_path_on_disk(&full, root, *rel ? rel : ".")) < 0 ||
		(error = list_names(&names, &n, full.ptr)) < 0)
		goto done;
	for (size_t i = 0; i < n && error >= 0; i++) {
		struct stat st;
		int rc;

		if ((error = platci_path_join(&child, rel, names[i])) < 0 ||
			(error = platci_path_on_disk(&full, root, child.ptr)) < 0)
			break;
		if (lstat(full.ptr, &st) < 0)
			continue;
		if ((rc = cb(child.ptr, full.ptr, &st, payload)) < 0)
			error = rc;
		else if (rc != PLATCI__WALK_SKIP && S_ISDIR(st.st_mode))
			error = walk_dir(root, child.ptr, depth + 1, max_depth, cb, payload);
	}
done:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	platci_buf_dispose(&full);
	platci_buf_dispose(&child);
	return error;
}

int platci__walk(const char *root, const char *rel, size_t max_depth, platci__walk_cb cb, void *payload)
{
	return walk_dir(root, rel && strcmp(rel, ".") != 0 ? rel : "", 0, max_depth, cb, payload);
}
