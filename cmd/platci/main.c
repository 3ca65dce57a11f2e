/* platci: the umbrella command. `platci STAGE ARGS...` runs platci-STAGE ARGS..., as git runs
 * git-STAGE: from platci's own folder first (so an installed set stays together), then PATH. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "stages.h"

int main(int argc, char **argv)
{
	char self[PATH_MAX], name[128];
	platci_buf exe = PLATCI_BUF_INIT;
	cli c;

	cli_init(&c, "platci");
	stage_own_dir(self, sizeof(self), argv[0]);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		(strcmp(argv[1], "help") == 0 && argc == 2)) {
		stage_help(self);
		cli_dispose(&c);
		return argc < 2 ? CLI_EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		cli_print_version(&c);
		cli_dispose(&c);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		/* platci help STAGE = platci STAGE --help */
		static char help_flag[] = "--help";
		argv[1] = argv[2];
		argv[2] = help_flag;
	}
	cli_dispose(&c);
	if (!stage_is_name(argv[1]) ||
		(size_t)snprintf(name, sizeof(name), "platci-%s", argv[1]) >= sizeof(name)) {
		fprintf(stderr, "platci: \"%s\" is not a stage name; see platci --help\n", argv[1]);
		return CLI_EXIT_USAGE;
	}
	argv[1] = name;
	if (*self && platci_path_on_disk(&exe, self, name) == 0 && access(exe.ptr, X_OK) == 0)
		execv(exe.ptr, argv + 1);
	platci_buf_dispose(&exe);
	execvp(name, argv + 1);
	if (errno == ENOENT) {
		fprintf(stderr, "platci: no stage \"%s\" (no %s beside platci or on PATH); see platci --help\n",
			name + 7, name);
		return CLI_EXIT_USAGE;
	}
	fprintf(stderr, "platci: cannot run %s: %s\n", name, strerror(errno));
	return CLI_EXIT_INTERNAL;
}
