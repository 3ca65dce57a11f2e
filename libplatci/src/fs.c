#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "platci/fs.h"
#include "fs_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

static int fs_error(platci_diag *diag, int code, const char *path, const char *what, int err)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, path, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "%s: %s", what, strerror(err));
	return code;
}

int platci_fs__read_blocks(const char *path, const char *what, size_t block_size,
	platci_fs__block_cb feed, void *payload, platci_diag *diag)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *block = NULL;
	int error = 0;

	if (!f) {
		error = errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO;
		return platci_diag_error(diag, error, path, 0, 0, 0, "cannot open %s: %s", what,
			strerror(errno));
	}
	if (!(block = malloc(block_size))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (;;) {
		size_t n = fread(block, 1, block_size, f);
		if (n && (error = feed(payload, block, n)) < 0)
			goto done;
		if (n < block_size) {
			if (ferror(f))
				error = platci_diag_error(diag, PLATCI_EIO, path, 0, 0, 0,
					"cannot read %s (is it a directory?)", what);
			break;
		}
	}
done:
	free(block);
	if (f != stdin)
		fclose(f);
	return error;
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
	/* The size stat gave plus one spare byte: a file read whole then needs
	 * one allocation of its own size, and the spare byte lets read() say
	 * it is at the end. (Growing by 64 KiB per file cost a 64 KiB block
	 * per small file: promote reads thousands.) */
	want = (size_t)st.st_size;
	if ((error = platci_buf_grow(out, want < SIZE_MAX - 1 ? want + 1 : want)) < 0)
		goto done;
	for (;;) {
		ssize_t n;
		size_t room = out->asize - out->size - 1;

		if (room == 0) { /* the file grew since fstat */
			if ((error = platci_buf_grow(out, 65536)) < 0)
				goto done;
			room = out->asize - out->size - 1;
		}
		n = read(fd, out->ptr + out->size, room);
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
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ELIMIT, path, 0, 0, 0,
				NULL, NULL };
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

#define ATOMIC_FLUSH (1024 * 1024)

struct platci_fs_file {
	char *path, *tmp;
	int fd;
	platci_buf buf;
	int error, err_no;
	const char *failed; /* what failed, for the diagnostic */
};

int platci_fs_atomic_open(platci_fs_file **out, const char *path, platci_diag *diag)
{
	platci_fs_file *f;
	platci_buf tmp = PLATCI_BUF_INIT;

	*out = NULL;
	if (!(f = calloc(1, sizeof(*f))))
		return PLATCI_ENOMEM;
	f->fd = -1;
	platci_buf_init(&f->buf, 0);
	if (platci_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0 ||
		!(f->path = platci__strdup(path))) {
		platci_buf_dispose(&tmp);
		platci_fs_atomic_abort(f);
		return PLATCI_ENOMEM;
	}
	f->tmp = platci_buf_detach(&tmp);
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->fd < 0) {
		int err = errno;
		fs_error(diag, PLATCI_EIO, path, "cannot create", err);
		free(f->tmp);
		f->tmp = NULL; /* nothing to remove */
		platci_fs_atomic_abort(f);
		return PLATCI_EIO;
	}
	*out = f;
	return 0;
}

static int write_raw(platci_fs_file *f, const char *p, size_t len)
{
	while (len > 0 && !f->error) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			f->error = PLATCI_EIO;
			f->err_no = errno;
			f->failed = "write failed";
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	return f->error;
}

static int write_out(platci_fs_file *f)
{
	write_raw(f, f->buf.ptr, f->buf.size);
	platci_buf_clear(&f->buf);
	return f->error;
}

platci_buf *platci_fs_atomic_buf(platci_fs_file *f)
{
	return &f->buf;
}

int platci_fs_atomic_flush(platci_fs_file *f)
{
	if (f->buf.error && !f->error)
		f->error = f->buf.error;
	if (f->error)
		return f->error;
	return f->buf.size >= ATOMIC_FLUSH ? write_out(f) : 0;
}

int platci_fs_atomic_write(platci_fs_file *f, const void *data, size_t len)
{
	if (f->error)
		return f->error;
	if (platci_buf_put(&f->buf, data, len) < 0)
		return f->error = PLATCI_ENOMEM;
	return platci_fs_atomic_flush(f);
}

int platci_fs_atomic_commit(platci_fs_file *f, platci_diag *diag)
{
	int error;

	if (!f->error && f->buf.error)
		f->error = f->buf.error;
	if (!f->error && f->buf.size)
		write_out(f);
	if (!f->error && fsync(f->fd) < 0) {
		f->error = PLATCI_EIO;
		f->err_no = errno;
		f->failed = "fsync failed";
	}
	if (!f->error && close(f->fd) < 0) {
		f->error = PLATCI_EIO;
		f->err_no = errno;
		f->failed = "close failed";
	}
	f->fd = -1;
	if (!f->error && rename(f->tmp, f->path) < 0) {
		f->error = PLATCI_EIO;
		f->err_no = errno;
		f->failed = "rename failed";
	}
	if ((error = f->error) < 0) {
		if (error == PLATCI_EIO)
			fs_error(diag, PLATCI_EIO, f->path, f->failed, f->err_no);
		platci_fs_atomic_abort(f);
		return error;
	}
	free(f->tmp);
	f->tmp = NULL;
	platci_fs_atomic_abort(f);
	return 0;
}

void platci_fs_atomic_abort(platci_fs_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	platci_buf_dispose(&f->buf);
	free(f);
}

int platci_fs_write_atomic(const char *path, const void *data, size_t len, platci_diag *diag)
{
	platci_fs_file *f = NULL;
	int error;

	if ((error = platci_fs_atomic_open(&f, path, diag)) < 0)
		return error;
	/* one write, no copy into the buffer */
	if ((error = write_raw(f, data, len)) < 0) {
		fs_error(diag, PLATCI_EIO, path, f->failed, f->err_no);
		platci_fs_atomic_abort(f);
		return error;
	}
	return platci_fs_atomic_commit(f, diag);
}

int platci_fs_mkdirs(const char *path, platci_diag *diag)
{
	char *copy = platci__strdup(path);
	int error = 0;

	if (!copy)
		return PLATCI_ENOMEM;
	for (char *p = copy + 1;; p++) {
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

/* The public face of the one walker (util/walk.h): the same flags and answers. */
_Static_assert(PLATCI_FS_WALK_HIDDEN == PLATCI__WALK_HIDDEN && PLATCI_FS_WALK_FOLLOW == PLATCI__WALK_FOLLOW &&
		       PLATCI_FS_WALK_UNLISTED == PLATCI__WALK_UNLISTED &&
		       PLATCI_FS_WALK_SKIP == PLATCI__WALK_SKIP && PLATCI_FS_WALK_STOP == PLATCI__WALK_STOP,
	"fs.h's walk flags and answers are util/walk.h's");

int platci_fs_walk(const char *dir, size_t max_depth, unsigned int flags, platci_fs_walk_cb cb, void *payload)
{
	if (!dir || !*dir || !cb)
		return PLATCI_EINVALID;
	return platci__walk(dir, "", max_depth, flags, cb, payload);
}
