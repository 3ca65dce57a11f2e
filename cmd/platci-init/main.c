/* platci-init: writes a starting platci.yaml by looking at the repository (library: discover.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *root = ".", *output;
static int force, to_stdout;

static const cli_opt opts[] = {
	{ CLI_OPT_VALUE, "root", 0, &root, 0, "DIR",
		"the repository to look at (default: the current folder)", CLI_NONEMPTY },
	{ CLI_OPT_VALUE, "output", 0, &output, 0, "FILE",
		"where to write (default: DIR/platci.yaml)", CLI_NONEMPTY },
	{ CLI_OPT_SWITCH, "stdout", 0, &to_stdout, 1, NULL, "print it instead of writing a file", 0 },
	{ CLI_OPT_SWITCH, "force", 0, &force, 1, NULL, "overwrite an existing file", 0 },
};

static const cli_spec spec = { "[--root DIR] [--output FILE | --stdout] [--force] [options]",
	"Looks at the tree below DIR: Flux clusters (a folder with flux-system/, or Flux\n"
	"Kustomizations), kustomize overlays beside base/, and Terraform roots with a backend,\n"
	"and writes a platci.yaml that describes only what is there (docs/platci-yaml.md).\n",
	opts, sizeof(opts) / sizeof(opts[0]), 0, NULL };

static int write_out(cli *c, const char *path, const platci_buf *b, int overwrite)
{
	platci_diag *diag = NULL;
	int error;

	if (!overwrite && platci_fs_exists(path))
		return cli_usage_error(c, "%s exists; --force overwrites it", path);
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_fs_write_atomic(path, b->ptr, b->size, diag)) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write %s: %s", path, platci_strerror(error));
	}
	platci_diag_free(diag);
	return error < 0 ? CLI_EXIT_NOINPUT : 0;
}

int main(int argc, char **argv)
{
	platci_discover *d = NULL;
	platci_diag *diag = NULL;
	platci_buf out = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	int code, error;
	cli c;

	cli_init(&c, argv[0]);
	if ((code = cli_parse(&c, &spec, argc, argv)) != CLI_CONTINUE)
		goto done;
	code = 0;
	if (to_stdout && output) {
		code = cli_usage_error(&c, "--stdout and --output exclude each other");
		goto done;
	}
	if (platci_diag_new(&diag) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	error = platci_discover_run(&d, root, NULL, diag);
	cli_print_diag(&c, diag);
	if (error < 0) {
		cli_error(&c, "cannot describe %s: %s", root, platci_strerror(error));
		code = error == PLATCI_ENOTFOUND ? CLI_EXIT_NOINPUT : cli_exit_for(error);
		goto done;
	}
	if (platci_discover_render(&out, d) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if (to_stdout) {
		fwrite(out.ptr, 1, out.size, stdout);
		goto done;
	}
	if (!output) {
		platci_buf_printf(&path, "%s/platci.yaml", root);
		output = path.ptr;
	}
	if ((code = write_out(&c, output, &out, force)) == 0)
		cli_info(&c, "platci-init: %zu environments in %s; review it (docs/platci-yaml.md)",
			platci_discover_env_count(d), output);
done:
	platci_buf_dispose(&out);
	platci_buf_dispose(&path);
	platci_discover_free(d);
	platci_diag_free(diag);
	cli_dispose(&c);
	return code;
}
