/*
 * Runs `terraform fmt -check` and hands its output to the library, which
 * turns it into findings (platci_validate_terraform_fmt). The executable
 * runs tools; the library never does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tffmt.h"

/* Output beyond this is not read (a listing of every file of a huge tree fits easily). */
#define MAX_OUTPUT (16u * 1024 * 1024)

static void run_child(const platci_config *cfg, const char *infra, int out, int err)
{
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	if (chdir(platci_config_root(cfg)) < 0)
		_exit(127);
	execlp("terraform", "terraform", "fmt", "-check", "-recursive", "-list=true", "-no-color",
		infra, (char *)NULL);
	_exit(127);
}

/* Reads both pipes to their end at once, so neither can fill up and stall the child. */
static void drain(int out_fd, int err_fd, platci_buf *out, platci_buf *err)
{
	struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	platci_buf *dst[2] = { out, err };
	char chunk[8192];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (dst[i]->size < MAX_OUTPUT) {
				platci_buf_put(dst[i], chunk, (size_t)n);
			}
		}
	}
}

int tffmt_findings(const platci_config *cfg, platci_findings *out,
	int (*want)(const char *file, void *payload), void *payload, platci_diag *diag)
{
	const char *infra = platci_config_infra_root(cfg);
	platci_buf full = PLATCI_BUF_INIT, listed = PLATCI_BUF_INIT, errors = PLATCI_BUF_INIT;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, ran = -1;
	pid_t pid;

	if (platci_path_on_disk(&full, platci_config_root(cfg), infra) < 0 || !platci_fs_is_dir(full.ptr)) {
		platci_buf_dispose(&full);
		return 0;
	}
	platci_buf_dispose(&full);
	if (pipe(po) < 0 || pipe(pe) < 0 || (pid = fork()) < 0)
		goto done;
	if (pid == 0) {
		close(po[0]);
		close(pe[0]);
		run_child(cfg, infra, po[1], pe[1]);
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	drain(po[0], pe[0], &listed, &errors);
	po[0] = pe[0] = -1;
	ran = waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) != 127;
	if (ran && platci_validate_terraform_fmt(out, cfg, listed.ptr, errors.ptr, want, payload, diag) < 0)
		ran = -1;
done:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	platci_buf_dispose(&listed);
	platci_buf_dispose(&errors);
	return ran;
}

typedef struct fmt_filter {
	const platci_changes *changes;
} fmt_filter;

static int changed_only(const char *file, void *payload)
{
	const fmt_filter *ff = payload;

	for (size_t i = 0; i < platci_changes_count(ff->changes); i++)
		if (strcmp(platci_changes_at(ff->changes, i)->path, file) == 0)
			return 1;
	return 0;
}

void tffmt_run(cli *c, const platci_config *cfg, platci_findings *findings, const platci_changes *changes)
{
	fmt_filter ff = { changes };
	platci_diag *diag = NULL;

	if (platci_diag_new(&diag) < 0 ||
		tffmt_findings(cfg, findings, changes ? changed_only : NULL, &ff, diag) < 0)
		cli_warn(c, "terraform fmt -check could not run");
	cli_print_diag(c, diag);
	platci_diag_free(diag);
	platci_findings_sort(findings);
}
