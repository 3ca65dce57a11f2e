#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

int platci_path_normalize(platci_buf *out, const char *rel)
{
	platci_buf tmp = PLATCI_BUF_INIT;
	const char *p = rel;
	int error = 0;

	if (!rel || !*rel)
		return PLATCI_EINVALID;
	if (rel[0] == '/')
		return PLATCI_EUNSAFE;

	while (*p) {
		const char *seg = p;
		size_t len;

		while (*p && *p != '/')
			p++;
		len = (size_t)(p - seg);
		while (*p == '/')
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			char *slash;
			if (tmp.size == 0) {
				error = PLATCI_EUNSAFE;
				goto done;
			}
			slash = strrchr(tmp.ptr, '/');
			platci_buf_truncate(&tmp, slash ? (size_t)(slash - tmp.ptr) : 0);
			continue;
		}
		if (tmp.size)
			platci_buf_putc(&tmp, '/');
		platci_buf_put(&tmp, seg, len);
	}
	if (tmp.size == 0)
		platci_buf_putc(&tmp, '.');
	if (tmp.error) {
		error = tmp.error;
		goto done;
	}
	platci_buf_clear(out);
	error = platci_buf_put(out, tmp.ptr, tmp.size);
done:
	platci_buf_dispose(&tmp);
	return error;
}

int platci_path_join(platci_buf *out, const char *base, const char *rel)
{
	platci_buf tmp = PLATCI_BUF_INIT;
	int error;

	if (!rel || !*rel)
		return PLATCI_EINVALID;
	if (rel[0] == '/')
		return PLATCI_EUNSAFE;
	if (base && *base && strcmp(base, ".") != 0)
		platci_buf_printf(&tmp, "%s/%s", base, rel);
	else
		platci_buf_puts(&tmp, rel);
	error = tmp.error ? tmp.error : platci_path_normalize(out, tmp.ptr);
	platci_buf_dispose(&tmp);
	return error;
}

int platci_path_on_disk(platci_buf *out, const char *root, const char *rel)
{
	platci_buf norm = PLATCI_BUF_INIT;
	size_t n;
	int error;

	if (!root || !*root)
		return PLATCI_EINVALID;
	if ((error = platci_path_normalize(&norm, rel)) < 0)
		goto done;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	platci_buf_clear(out);
	platci_buf_put(out, root, n);
	if (strcmp(norm.ptr, ".") != 0) {
		if (root[n - 1] != '/')
			platci_buf_putc(out, '/');
		platci_buf_puts(out, norm.ptr);
	}
	error = out->error;
done:
	platci_buf_dispose(&norm);
	return error;
}

int platci_path_check_inside(const char *root, const char *rel)
{
	char real_root[PATH_MAX], real[PATH_MAX];
	platci_buf norm = PLATCI_BUF_INIT, full = PLATCI_BUF_INIT;
	size_t rlen;
	int error = 0;

	if (!realpath(root, real_root))
		return PLATCI_EIO;
	if ((error = platci_path_normalize(&norm, rel)) < 0)
		goto done;
	/* Walk up from the full path to the deepest part that exists, then resolve it. */
	platci_buf_printf(&full, "%s/%s", real_root, norm.ptr);
	if (full.error) {
		error = full.error;
		goto done;
	}
	while (!realpath(full.ptr, real)) {
		char *slash = strrchr(full.ptr, '/');
		if (errno != ENOENT && errno != ENOTDIR) {
			error = PLATCI_EIO;
			goto done;
		}
		if (!slash || (size_t)(slash - full.ptr) <= strlen(real_root)) {
			real[0] = '\0';
			break;
		}
		platci_buf_truncate(&full, (size_t)(slash - full.ptr));
	}
	if (!real[0])
		goto done;
	rlen = strlen(real_root);
	if (strcmp(real_root, "/") == 0)
		goto done;
	if (strncmp(real, real_root, rlen) != 0 || (real[rlen] != '/' && real[rlen] != '\0'))
		error = PLATCI_EUNSAFE;
done:
	platci_buf_dispose(&norm);
	platci_buf_dispose(&full);
	return error;
}

int platci_path_dirname(platci_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	platci_buf_clear(out);
	if (!slash)
		return platci_buf_putc(out, '.');
	if (slash == path)
		return platci_buf_putc(out, '/');
	return platci_buf_put(out, path, (size_t)(slash - path));
}

int platci_path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, ".") == 0)
		return 1;
	while (n > 0 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
