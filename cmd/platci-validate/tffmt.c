/* terraform fmt -check -> findings. The executable runs tools; the library never does. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tffmt.h"

int tffmt_findings(const platci_config *cfg, platci_findings *out,
	int (*want)(const char *file, void *payload), void *payload)
{
	const char *infra = platci_config_infra_root(cfg);
	platci_buf full = PLATCI_BUF_INIT;
	char line[4096];
	int fds[2], status = 0, ran = 0;
	pid_t pid;
	FILE *in;

	if (platci_path_on_disk(&full, platci_config_root(cfg), infra) < 0 ||
	    !platci_fs_is_dir(full.ptr)) {
		platci_buf_dispose(&full);
		return 0;
	}
	platci_buf_dispose(&full);
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		if (chdir(platci_config_root(cfg)) < 0)
			_exit(127);
		execlp("terraform", "terraform", "fmt", "-check", "-recursive", "-list=true",
			"-no-color", infra, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		platci_finding f;
		const platci_env *env;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n || (want && !want(line, payload)))
			continue;
		env = platci_config_env_for_path(cfg, line);
		memset(&f, 0, sizeof(f));
		f.rule_id = "tf.fmt";
		f.severity = PLATCI_SEVERITY_MINOR;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = "not in canonical format: run `terraform fmt`";
		f.file = line;
		f.env = env ? env->name : NULL;
		f.key = "tf.fmt";
		if (platci_findings_add(out, &f) < 0)
			break;
	}
	if (in)
		fclose(in);
	else
		close(fds[0]);
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		ran = WEXITSTATUS(status) != 127;
	return ran;
}
