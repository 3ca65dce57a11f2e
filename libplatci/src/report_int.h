/* Private parts of the report writers, shared by report_*.c and the stages that stream reports. */
#ifndef PLATCI_REPORT_INT_H
#define PLATCI_REPORT_INT_H

#include <stdint.h>

#include "platci/report.h"
#include "platci/sha256.h"
#include "util/jsonw.h"

/* findings.c: a finding's fingerprint with a hash a caller keeps for many. */
int platci_findings__fingerprint(platci_sha256 *h, char hex[PLATCI_SHA256_HEX_SIZE],
	const platci_finding *f);

/* One Code Quality issue, one findings.json entry. */
void platci_report__codequality_item(platci_jsonw *w, const platci_finding *f);
void platci_report__finding_item(platci_jsonw *w, const platci_finding *f);
/* findings.json: the object's opening members, and its counts member. */
void platci_report__findings_head(platci_jsonw *w, const platci_report_options *opts);
void platci_report__findings_counts(platci_jsonw *w, const platci_findings_counts *c);
int platci_report__codequality(platci_buf *out, const platci_findings *list, int pretty);

/* JUnit: the document's head (with its totals), one case, the tail. */
void platci_report__junit_head(platci_buf *out, const char *suite, size_t tests, size_t failures,
	size_t skipped);
void platci_report__junit_case(platci_buf *out, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped);
void platci_report__junit_tail(platci_buf *out);
/* A document's cases: how many (and failing, skipped), and their XML. */
size_t platci_report__junit_cases(const platci_junit *j, size_t *failures, size_t *skipped);
void platci_report__junit_render_cases(platci_buf *out, const platci_junit *j);
/* The name and text of the JUnit case for a finding. */
int platci_report__finding_case(platci_buf *name, platci_buf *details, const platci_finding *f);

/* summary.md: the marker, the heading with its verdict and the counts table. */
void platci_report__summary_head(platci_buf *out, const platci_findings_counts *c,
	const platci_report_options *opts);
/* One row of a findings table. */
void platci_report__summary_row(platci_buf *out, const platci_finding *f);
/* The line that says where the rest is, and a cut at @p max as the last resort. */
void platci_report__summary_more(platci_buf *out, size_t more, size_t more_deny,
	const platci_report_options *opts);
void platci_report__summary_cut(platci_buf *out, size_t start, size_t max,
	const platci_report_options *opts);
/* The budget of a summary: opts->max_summary or the default. */
size_t platci_report__summary_budget(const platci_report_options *opts);

#endif
