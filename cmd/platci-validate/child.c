/* --child-* flags: where the child pipeline goes and how it includes the plan template. */
#include <stdlib.h>
#include <string.h>

#include "child.h"

void child_init(child_flags *f)
{
	memset(f, 0, sizeof(*f));
	platci_affected_child_options_init(&f->opts, PLATCI_AFFECTED_CHILD_OPTIONS_VERSION);
}

void child_dispose(child_flags *f)
{
	free(f->inputs);
}

static int add_input(child_flags *f, const char *kv)
{
	const char **grown = realloc(f->inputs, (f->ninputs + 2) * sizeof(*grown));

	if (!grown)
		return -1;
	grown[f->ninputs++] = kv;
	grown[f->ninputs] = NULL;
	f->inputs = grown;
	f->opts.inputs = f->inputs;
	return 0;
}

int child_flag(cli *c, child_flags *f, int argc, char **argv, int *i)
{
	static const char *const flags[] = { "--child-pipeline", "--child-component", "--child-local",
		"--child-needs", "--child-input" };
	const char **slots[] = { &f->file, &f->opts.component, &f->opts.local, &f->opts.parent_job,
		NULL };
	const char *v;

	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		if (!cli_is_flag(argv[*i], flags[k]))
			continue;
		if (!(v = cli_flag_value(c, argc, argv, i, flags[k])))
			return CLI_EXIT_USAGE;
		if (!*v)
			return cli_usage_error(c, "%s needs a value", flags[k]);
		if (slots[k])
			*slots[k] = v;
		else if (add_input(f, v) < 0)
			return cli_usage_error(c, "out of memory");
		return 1;
	}
	return 0;
}

int child_check(cli *c, const child_flags *f)
{
	platci_diag *diag = NULL;
	int code = 0;

	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if (platci_affected_child_options_check(&f->opts, diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_USAGE;
	} else if (!f->file && (f->opts.component || f->opts.local || f->opts.parent_job || f->ninputs)) {
		code = cli_usage_error(c, "--child-component, --child-local, --child-needs and "
			"--child-input need --child-pipeline FILE");
	}
	platci_diag_free(diag);
	return code;
}

int child_write(cli *c, const child_flags *f, const platci_affected *a)
{
	platci_buf out = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	int code = 0, error;

	if (!f->file)
		return 0;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	error = platci_affected_render_child_pipeline(&out, a, &f->opts, diag);
	if (error == PLATCI_EINVALID) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_USAGE;
	} else if (error < 0) {
		code = CLI_EXIT_INTERNAL;
	} else if ((error = platci_fs_write_atomic(f->file, out.ptr, out.size, diag)) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot write %s: %s", f->file, platci_strerror(error));
		code = CLI_EXIT_INTERNAL;
	}
	platci_diag_free(diag);
	platci_buf_dispose(&out);
	return code;
}
