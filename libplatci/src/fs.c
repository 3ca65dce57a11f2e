#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "platci/fs.h"
#include "util/common.h"
#include "util/banned.h"

static int fs_error(platci_diag *diag, int code, const char *path, const char *what, int err)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, path, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "%s: %s", what, strerror(err));
	return code;
}

int platci_fs_read(platci_buf *out, const char *path, size_t max, platci_diag *diag)
{
	struct stat st;
	int fd = -1, error = 0;
	size_t want;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error = fs_error(diag, errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO, path,
			"cannot open", errno);
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		error = fs_error(diag, PLATCI_EIO, path, "cannot stat", errno);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		error = fs_error(diag, PLATCI_EIO, path, "cannot read", EISDIR);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EIO, path, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "not a regular file");
		error = PLATCI_EIO;
		goto done;
	}
	if (max && (unsigned long long)st.st_size > max) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, path, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "file is %lld bytes, over the limit of %zu bytes",
			(long long)st.st_size, max);
		error = PLATCI_ELIMIT;
		goto done;
	}
	want = (size_t)st.st_size;
	if ((error = platci_buf_grow(out, want)) < 0)
		goto done;
	for (;;) {
		ssize_t n;

		if ((error = platci_buf_grow(out, 65536)) < 0)
			goto done;
		n = read(fd, out->ptr + out->size, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = fs_error(diag, PLATCI_EIO, path, "read failed", errno);
			goto done;
		}
		if (n == 0)
			break;
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
		/* The file may grow while we read it; the cap still holds. */
		if (max && out->size > max) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, path, 0, 0, 0, NULL, NULL };
			platci_diag_add(diag, &e, "file grew over the limit of %zu bytes", max);
			error = PLATCI_ELIMIT;
			goto done;
		}
	}
done:
	if (fd >= 0)
		close(fd);
	return error;
}

int platci_fs_write_atomic(const char *path, const void *data, size_t len, platci_diag *diag)
{
	platci_buf tmp = PLATCI_BUF_INIT;
	const char *p = data;
	int fd = -1, error = 0;

	if (platci_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error = fs_error(diag, PLATCI_EIO, path, "cannot create", errno);
		goto done;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = fs_error(diag, PLATCI_EIO, path, "write failed", errno);
			goto done;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		error = fs_error(diag, PLATCI_EIO, path, "fsync failed", errno);
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = fs_error(diag, PLATCI_EIO, path, "close failed", errno);
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		error = fs_error(diag, PLATCI_EIO, path, "rename failed", errno);
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.size)
		unlink(tmp.ptr);
	platci_buf_dispose(&tmp);
	return error;
}

int platci_fs_mkdirs(const char *path, platci_diag *diag)
{
	char *copy = platci__strdup(path);
	int error = 0;

	if (!copy)
		return PLATCI_ENOMEM;
	for (char *p = copy + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (copy[0] && mkdir(copy, 0755) < 0 && errno != EEXIST) {
				error = fs_error(diag, PLATCI_EIO, copy, "cannot create directory", errno);
				break;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	if (!error && !platci_fs_is_dir(path))
		error = fs_error(diag, PLATCI_EIO, path, "not a directory", ENOTDIR);
	free(copy);
	return error;
}

int platci_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int platci_fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}
