/* `terraform fmt -check` as findings, where the terraform CLI exists. */
#ifndef PLATCI_VALIDATE_TFFMT_H
#define PLATCI_VALIDATE_TFFMT_H

#include <platci.h>

#include "cli.h"

/*
 * Runs `terraform fmt -check -recursive -list=true -no-color` on the infra
 * folder (from the repository root) and adds what it says as findings
 * (platci_validate_terraform_fmt(): tf.fmt warnings for listed files,
 * tf.syntax for its errors) for files where @p want(file) is 1 (NULL:
 * every file). Errors without a position go to @p diag. Returns 1 when it
 * ran, 0 when terraform is missing or there is nothing to check, -1 on an
 * internal error.
 */
int tffmt_findings(const platci_config *cfg, platci_findings *out,
	int (*want)(const char *file, void *payload), void *payload, platci_diag *diag);

/*
 * Runs terraform fmt for platci-validate: in diff mode (@p changes) only
 * changed files count; a failure to run is a warning; findings end sorted.
 */
void tffmt_run(cli *c, const platci_config *cfg, platci_findings *findings, const platci_changes *changes);

#endif
