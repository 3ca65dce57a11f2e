/* --child-* flags: where the child pipeline goes and how it includes the plan template. */
#include <stdlib.h>
#include <string.h>

#include "child.h"

void child_init(child_flags *f)
{
	memset(f, 0, sizeof(*f));
	platci_affected_child_options_init(&f->opts, PLATCI_AFFECTED_CHILD_OPTIONS_VERSION);
}

int child_check(cli *c, child_flags *f)
{
	platci_diag *diag = NULL;
	int code = 0;

	f->opts.inputs = (const char *const *)f->inputs.items;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if (platci_affected_child_options_check(&f->opts, diag) < 0) {
		cli_print_diag(c, diag);
		code = CLI_EXIT_USAGE;
	} else if (!f->file &&
		   (f->opts.component || f->opts.local || f->opts.parent_job || f->inputs.count)) {
		code = cli_usage_error(c,
			"--child-component, --child-local, --child-needs and "
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
