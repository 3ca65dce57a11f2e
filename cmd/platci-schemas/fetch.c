/* platci-schemas fetch: runs kubectl for the library, which saves what the cluster serves. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schemas_cmd.h"

typedef struct runner {
	const schemas_args *a;
} runner;

static void child(const runner *r, const char *const *args, int out, int err)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = r->a->kubectl ? r->a->kubectl : "kubectl";
	if (r->a->context) {
		argv[n++] = "--context";
		argv[n++] = r->a->context;
	}
	for (size_t i = 0; args[i] && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

/* Reads both pipes until they close: stdout into @p out (capped), the start of stderr into @p err. */
static void drain(int fo, int fe, platci_buf *out, char *err, size_t err_size)
{
	struct pollfd p[2] = { { fo, POLLIN, 0 }, { fe, POLLIN, 0 } };
	size_t used = 0;
	char chunk[65536];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t got;
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if ((got = read(p[i].fd, chunk, sizeof(chunk))) <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (i == 0) {
				platci_buf_put(out, chunk, (size_t)got); /* sticky ELIMIT past the cap */
			} else if (used + 1 < err_size) {
				size_t take = (size_t)got < err_size - used - 1 ? (size_t)got
										: err_size - used - 1;
				memcpy(err + used, chunk, take);
				err[used += take] = '\0';
			}
		}
	}
}

static int kubectl(platci_buf *out, const char *const *args, platci_diag *diag, void *payload)
{
	const runner *r = payload;
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENETWORK, "kubectl", 0, 0, 0, NULL, NULL };
	int po[2], pe[2], status = 0;
	char err[512] = "";
	pid_t pid;

	if (pipe(po) < 0 || pipe(pe) < 0)
		return PLATCI_EIO;
	if ((pid = fork()) < 0)
		return PLATCI_EIO;
	if (pid == 0) {
		close(po[0]);
		close(pe[0]);
		child(r, args, po[1], pe[1]);
	}
	close(po[1]);
	close(pe[1]);
	drain(po[0], pe[0], out, err, sizeof(err));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	err[strcspn(err, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		e.code = PLATCI_ENOTFOUND;
		platci_diag_add(diag, &e, "cannot run %s: not found on PATH (use --kubectl)",
			r->a->kubectl ? r->a->kubectl : "kubectl");
		return PLATCI_ENOTFOUND;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		platci_diag_add(diag, &e, "kubectl %s %s failed%s%s", args[0],
			args[1] ? args[1] : "", *err ? ": " : "", err);
		return PLATCI_ENETWORK;
	}
	return 0;
}

int schemas_fetch(cli *c, const schemas_args *a)
{
	platci_schema_fetch_options o = PLATCI_SCHEMA_FETCH_OPTIONS_INIT;
	platci_schema_fetch_result res;
	platci_diag *diag = NULL;
	runner r = { a };
	const char *dir = a->out ? a->out : a->schemas;
	int error, code;

	if (!c->env)
		return cli_usage_error(c,
			"fetch needs --env ENV (the environment whose cluster kubectl reaches)");
	if (a->paths.count)
		return cli_usage_error(c, "fetch takes no paths (use --out DIR)");
	o.env = c->env;
	o.skip_openapi_v3 = a->no_v3;
	o.max_document_size = a->max_size;
	signal(SIGPIPE, SIG_IGN);
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_schema_fetch(&res, dir, kubectl, &r, &o, diag);
	cli_print_diag(c, diag);
	platci_diag_free(diag);
	if (error < 0) {
		code = error == PLATCI_ENOTFOUND || error == PLATCI_ENETWORK ? CLI_EXIT_UNAVAILABLE
		       : error == PLATCI_EIO                                 ? CLI_EXIT_INTERNAL
									     : cli_exit_for(error);
		cli_error(c, "fetch for %s failed: %s; %s is unchanged", c->env,
			platci_strerror(error), dir);
		return code;
	}
	printf("%s/%s: Kubernetes %s (%s) for %s: %zu OpenAPI documents, %zu CRDs\n", dir,
		res.k8s_version, res.k8s_version, res.server_version, c->env, res.documents, res.crds);
	return 0;
}
