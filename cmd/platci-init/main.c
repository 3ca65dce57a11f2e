/* platci-init: writes a starting platci.yaml by looking at the repository (library: discover.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] = "[--root DIR] [--output FILE | --stdout] [--force] [options]";
static const char options[] =
	"Looks at the tree below DIR: Flux clusters (a folder with flux-system/, or Flux\n"
	"Kustomizations), kustomize overlays beside base/, and Terraform roots with a backend,\n"
	"and writes a platci.yaml that describes only what is there (docs/platci-yaml.md).\n\n"
	"Options:\n"
	"  --root DIR      the repository to look at (default: the current folder)\n"
	"  --output FILE   where to write (default: DIR/platci.yaml)\n"
	"  --stdout        print it instead of writing a file\n"
	"  --force         overwrite an existing file\n";

static int write_out(cli *c, const char *path, const platci_buf *b, int force)
{
	platci_diag *diag = NULL;
	int error;

	if (!force && platci_fs_exists(path))
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
	const char *root = ".", *output = NULL;
	int code = 0, error, force = 0, to_stdout = 0;
	cli c;

	cli_init(&c, argv[0]);
	for (int i = 1; i < argc; i++) {
		int r = cli_common_flag(&c, argc, argv, &i);
		if (r < 0) {
			code = CLI_EXIT_USAGE;
			goto done;
		} else if (r) {
			continue;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(&c, usage, options);
			goto done;
		} else if (strcmp(argv[i], "--version") == 0) {
			cli_print_version(&c);
			goto done;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if (strcmp(argv[i], "--stdout") == 0) {
			to_stdout = 1;
		} else if (cli_is_flag(argv[i], "--root")) {
			if (!(root = cli_flag_value(&c, argc, argv, &i, "--root"))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		} else if (cli_is_flag(argv[i], "--output")) {
			if (!(output = cli_flag_value(&c, argc, argv, &i, "--output"))) {
				code = CLI_EXIT_USAGE;
				goto done;
			}
		} else {
			code = cli_usage_error(&c, "unknown argument \"%s\"", argv[i]);
			goto done;
		}
	}
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
