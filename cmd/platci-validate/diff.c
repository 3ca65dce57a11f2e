/*
 * Diff mode for platci-validate. The runner picks the temporary folder
 * (from TMPDIR) and removes it; the library exports the merge base into
 * it and loads its configuration (platci_validate_base_config()).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* Exports the merge base and loads its platci.yaml; a failure only means no comparison. */
static int open_base(vdiff *d, cli *c, const platci_config *cfg)
{
	const char *tmp = getenv("TMPDIR");
	platci_diag *diag = NULL;
	int error;

	snprintf(d->base_dir, sizeof(d->base_dir), "%s/platci-base-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->base_dir)) {
		d->base_dir[0] = '\0';
		cli_warn(c, "no temporary folder for the merge base: findings are not compared with it");
		return 0;
	}
	if (platci_diag_new(&diag) < 0 || platci_findings_new(&d->fixed) < 0) {
		platci_diag_free(diag);
		return CLI_EXIT_INTERNAL;
	}
	error = platci_validate_base_config(&d->base_cfg, cfg, d->git, d->merge_base, d->base_dir, diag);
	if (error == PLATCI_ENOMEM) {
		platci_diag_free(diag);
		return CLI_EXIT_INTERNAL;
	}
	if (error < 0)
		cli_warn(c, "the merge base %.12s cannot be compared (%s): every finding counts as new",
			d->merge_base,
			platci_diag_count(diag) ? platci_diag_at(diag, 0)->message
						: platci_strerror(error));
	platci_diag_free(diag);
	return 0;
}

int vdiff_open(vdiff *d, cli *c, const platci_config *cfg, const vargs *a)
{
	platci_diag *diag = NULL;
	char head_now[PLATCI_GIT_OID_HEX_SIZE];
	int error, code = 0;

	memset(d, 0, sizeof(*d));
	d->meta.mode = "all";
	if (a->all || !a->base)
		return 0;
	if (platci_diag_new(&diag) < 0)
		return CLI_EXIT_INTERNAL;
	if ((error = platci_git_open(&d->git, platci_config_root(cfg), diag)) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "--base needs a git repository");
		code = CLI_EXIT_NOINPUT;
		goto done;
	}
	if ((error = platci_git_merge_base(d->merge_base, d->git, a->base, a->head, diag)) < 0 ||
		(error = platci_git_resolve(d->head_sha, d->git, a->head, diag)) < 0 ||
		(error = platci_git_changes(&d->changes, d->git, d->merge_base, d->head_sha, diag)) < 0) {
		cli_print_diag(c, diag);
		cli_error(c, "cannot compare %s with %s", a->base, a->head);
		code = error == PLATCI_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_DATA;
		goto done;
	}
	if (platci_git_resolve(head_now, d->git, "HEAD", NULL) == 0 && strcmp(head_now, d->head_sha) != 0)
		cli_warn(c,
			"--head %s is not the checked-out commit; files are read from the "
			"working tree",
			a->head);
	d->meta.mode = "diff";
	d->meta.base = a->base;
	d->meta.head = a->head;
	d->meta.merge_base = d->merge_base;
	d->meta.head_sha = d->head_sha;
	code = open_base(d, c, cfg);
done:
	platci_diag_free(diag);
	return code;
}

void vdiff_close(vdiff *d)
{
	platci_config_free(d->base_cfg);
	platci_findings_free(d->fixed);
	platci_changes_free(d->changes);
	platci_git_free(d->git);
	if (d->base_dir[0])
		nftw(d->base_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	memset(d, 0, sizeof(*d));
}
