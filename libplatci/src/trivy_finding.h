/* Private: turning one Trivy finding object into a platci_trivy_finding. */
#ifndef PLATCI_TRIVY_FINDING_H
#define PLATCI_TRIVY_FINDING_H

#include "platci/trivy.h"

/* Where a finding sits: its Result and the image or resource around it. */
typedef struct platci_trivy_context {
	const char *target;
	const char *result_class;
	const char *result_type;
	const char *image;
	const char *operating_system;
	const char *resource;
	const char *artifact_type;
} platci_trivy_context;

/*
 * Checks the types of the fields platci uses, normalises severity, status
 * and CVSS, updates @p stats and calls @p cb. Misconfigurations that did
 * not fail are counted and skipped. Returns 0, PLATCI_EDATA (with a
 * diagnostic at @p line) or the callback's code.
 */
int platci__trivy_finding(platci_trivy_stats *stats, platci_trivy_kind kind, json_t *v,
	const platci_trivy_context *ctx, size_t line, const char *name, platci_diag *diag,
	platci_trivy_cb cb, void *payload);

#endif
