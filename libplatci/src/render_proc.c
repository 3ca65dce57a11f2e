/*
 * Child processes for the render: posix_spawn with pipes, never a shell,
 * a deadline, and an environment the caller chooses. Pipes are opened
 * close-on-exec so a child spawned by one worker thread never holds
 * another's pipe open (which would hang the other's read until exit).
 */
#define _GNU_SOURCE 1 /* pipe2: close-on-exec without a race against other threads' spawns */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platci/fs.h"
#include "platci/path.h"
#include "platci/render.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_TIMEOUT_MS 120000u
#define DEFAULT_MAX_OUT ((size_t)256 << 20)

void platci_render_run_dispose(platci_render_run *run)
{
	if (!run)
		return;
	platci_buf_dispose(&run->out);
	platci_buf_dispose(&run->err);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is there on @p fd; returns 0 at EOF, 1 when more may come, <0 on error. */
static int drain(int fd, platci_buf *b, size_t max)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n == 0)
		return 0;
	if (n < 0)
		return (errno == EINTR || errno == EAGAIN) ? 1 : PLATCI_EIO;
	if (b->size + (size_t)n > max)
		return PLATCI_ELIMIT;
	return platci_buf_put(b, chunk, (size_t)n) < 0 ? PLATCI_ENOMEM : 1;
}

static int collect(platci_render_run *run, pid_t pid, int out_fd, int err_fd,
	unsigned int timeout_ms, size_t max_out)
{
	long long deadline = now_ms() + timeout_ms;
	int open_out = 1, open_err = 1, error = 0, status = 0;

	while ((open_out || open_err) && !error) {
		struct pollfd p[2];
		nfds_t n = 0;
		long long left = deadline - now_ms();
		int r;

		if (left <= 0) {
			run->timed_out = 1;
			break;
		}
		if (open_out)
			p[n++] = (struct pollfd){ out_fd, POLLIN, 0 };
		if (open_err)
			p[n++] = (struct pollfd){ err_fd, POLLIN, 0 };
		r = poll(p, n, (int)(left > 1000 ? 1000 : left));
		if (r < 0 && errno != EINTR)
			error = PLATCI_EIO;
		for (nfds_t i = 0; r > 0 && i < n && !error; i++) {
			int fd = p[i].fd, d;
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			d = drain(fd, fd == out_fd ? &run->out : &run->err, max_out);
			if (d < 0)
				error = d;
			else if (d == 0 && fd == out_fd)
				open_out = 0;
			else if (d == 0)
				open_err = 0;
		}
	}
	if (run->timed_out || error)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!run->timed_out && !error && WIFEXITED(status))
		run->exit_code = WEXITSTATUS(status);
	return error;
}

int platci_render_exec(platci_render_run *run, const char *const *argv, const char *const *envp,
	unsigned int timeout_ms, size_t max_out)
{
	static const char *const empty_env[] = { NULL };
	posix_spawn_file_actions_t fa;
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int fa_ok = 0, error = 0;
	pid_t pid;

	PLATCI_ASSERT_ARG(run && argv && argv[0] && argv[0][0] == '/');
	memset(run, 0, sizeof(*run));
	platci_buf_init(&run->out, 0);
	platci_buf_init(&run->err, 0);
	run->exit_code = -1;
	if (!timeout_ms)
		timeout_ms = DEFAULT_TIMEOUT_MS;
	if (!max_out)
		max_out = DEFAULT_MAX_OUT;

	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		error = PLATCI_EIO;
		goto done;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	fa_ok = 1;
	if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
		posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1) != 0 ||
		posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2) != 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
		    (char *const *)(envp ? envp : empty_env)) != 0) {
		error = PLATCI_EIO;
		goto done;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	error = collect(run, pid, out_pipe[0], err_pipe[0], timeout_ms, max_out);
done:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	return error;
}

static int find_in_path(char *out, size_t size, const char *path_list, const char *name)
{
	const char *p = path_list;

	while (p && *p) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		struct stat st;
		int n;

		/* Relative entries ("", ".") depend on the cwd: skip them, as a secure PATH does. */
		if (len && p[0] == '/') {
			n = snprintf(out, size, "%.*s/%s", (int)len, p, name);
			if (n > 0 && (size_t)n < size && stat(out, &st) == 0 &&
				S_ISREG(st.st_mode) && access(out, X_OK) == 0)
				return 1;
		}
		p = colon ? colon + 1 : NULL;
	}
	out[0] = '\0';
	return 0;
}

/* The first `v1.2.3`-looking word after @p marker in @p text, into @p out. */
static void version_after(char *out, size_t size, const char *text, const char *marker)
{
	const char *p = marker ? strstr(text, marker) : text;
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p = strstr(p, "v");
	while (p && !(p[1] >= '0' && p[1] <= '9'))
		p = strchr(p + 1, 'v');
	if (!p)
		return;
	while (p[n] && p[n] != '+' && p[n] != '"' && p[n] != ' ' && p[n] != '\n' && p[n] != ',')
		n++;
	snprintf(out, size, "%.*s", (int)n, p);
}

/*
 * Asking kubectl for its version costs a second on a busy machine, every
 * run: the answer is kept in the cache folder under the binary's identity
 * (path, size, modification time, inode), so a replaced binary is asked anew.
 */
static int version_file(platci_buf *out, const char *cache_dir, const char *tool)
{
	struct stat st;
	char id[PLATCI_RENDER_TOOL_PATH + 96], hex[PLATCI_SHA256_HEX_SIZE],
		rel[PLATCI_SHA256_HEX_SIZE + 8];
	int n;

	if (!cache_dir || stat(tool, &st) != 0)
		return 0;
	n = snprintf(id, sizeof(id), "%s|%lld|%lld.%09ld|%llu", tool, (long long)st.st_size,
		(long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
	if (n < 0 || (size_t)n >= sizeof(id) || platci_sha256_hex(hex, id, (size_t)n) < 0)
		return 0;
	snprintf(rel, sizeof(rel), "tools/%s", hex);
	return platci_path_on_disk(out, cache_dir, rel) == 0;
}

static void ask_version(char *out, size_t size, const char *const *argv, const char *marker,
	const char *const *envp, const char *cache_dir)
{
	platci_render_run run;
	platci_buf file = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;
	int cached = version_file(&file, cache_dir, argv[0]);

	out[0] = '\0';
	if (cached) {
		platci_buf b = PLATCI_BUF_INIT;
		int hit = platci_fs_read(&b, file.ptr, 256, NULL) == 0 && b.size && b.size < size;
		if (hit)
			memcpy(out, b.ptr, b.size + 1);
		platci_buf_dispose(&b);
		if (hit)
			goto done;
	}
	if (platci_render_exec(&run, argv, envp, 30000, 1 << 20) == 0 && run.exit_code == 0)
		version_after(out, size, run.out.ptr, marker);
	platci_render_run_dispose(&run);
	if (!out[0])
		snprintf(out, size, "unknown");
	else if (cached && platci_path_dirname(&dir, file.ptr) == 0 && platci_fs_mkdirs(dir.ptr, NULL) == 0)
		platci_fs_write_atomic(file.ptr, out, strlen(out), NULL);
done:
	platci_buf_dispose(&file);
	platci_buf_dispose(&dir);
}

int platci_render_tools_find(platci_render_tools *out, const char *path_list, const char *tmp_dir,
	const char *cache_dir)
{
	char kubectl[PLATCI_RENDER_TOOL_PATH];
	const char *envp[] = { "HOME=/nonexistent", "LANG=C", NULL };

	PLATCI_ASSERT_ARG(out);
	memset(out, 0, sizeof(*out));
	snprintf(out->tmp_dir, sizeof(out->tmp_dir), "%s", tmp_dir && *tmp_dir ? tmp_dir : "/tmp");
	if (find_in_path(out->kustomize, sizeof(out->kustomize), path_list, "kustomize")) {
		const char *argv[] = { out->kustomize, "version", NULL };
		ask_version(out->kustomize_version, sizeof(out->kustomize_version), argv, NULL,
			envp, cache_dir);
	} else if (find_in_path(kubectl, sizeof(kubectl), path_list, "kubectl")) {
		const char *argv[] = { kubectl, "version", "--client", NULL };
		snprintf(out->kustomize, sizeof(out->kustomize), "%s", kubectl);
		out->kustomize_is_kubectl = 1;
		ask_version(out->kustomize_version, sizeof(out->kustomize_version), argv,
			"Kustomize Version", envp, cache_dir);
	}
	if (find_in_path(out->helm, sizeof(out->helm), path_list, "helm")) {
		const char *argv[] = { out->helm, "version", "--short", NULL };
		const char *henv[] = { "HOME=/nonexistent", "LANG=C", "HELM_CACHE_HOME=/nonexistent",
			"HELM_CONFIG_HOME=/nonexistent", "HELM_DATA_HOME=/nonexistent", NULL };
		ask_version(out->helm_version, sizeof(out->helm_version), argv, NULL, henv, cache_dir);
	}
	return 0;
}
