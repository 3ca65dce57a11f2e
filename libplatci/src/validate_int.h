/* Private pieces of the validate stage, one file per family of checks. */
#ifndef PLATCI_SRC_VALIDATE_INT_H
#define PLATCI_SRC_VALIDATE_INT_H

#include "platci/config.h"
#include "platci/findings.h"

/* A finding with the fields most checks set; @p key may be NULL. */
int platci__vfind(platci_findings *out, const char *rule, platci_severity sev,
	platci_enforcement enf, const char *file, size_t line, size_t col, const char *env,
	const char *key, const char *fmt, ...) PLATCI_PRINTF(10, 11);

/* Terraform layout checks over the infra tree (validate_tf.c). */
int platci__validate_tf(const platci_config *cfg, platci_findings *out);

/* .gitlab-ci.yml and its local includes (validate_ci.c). */
int platci__validate_ci(const platci_config *cfg, platci_findings *out);

#endif
