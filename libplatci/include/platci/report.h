/**
 * @file platci/report.h
 * @brief Report writers: JUnit, GitLab Code Quality, summary.md, findings.json.
 *
 * Every writer renders into memory first and then writes the file
 * atomically, so a reports folder never holds a half-written file.
 */
#ifndef PLATCI_REPORT_H
#define PLATCI_REPORT_H

#include "buf.h"
#include "diag.h"
#include "findings.h"

/** GitLab's limit for one note body; summaries stay below it. */
#define PLATCI_NOTE_LIMIT 1000000

typedef struct platci_junit platci_junit;

typedef struct platci_report_options {
	unsigned int version;    /**< PLATCI_REPORT_OPTIONS_VERSION */
	const char *stage;       /**< e.g. "validate"; names the JUnit suite and the summary marker */
	const char *title;       /**< summary heading, e.g. "platci validate" */
	const char *env;         /**< environment the run is about, or NULL */
	const char *preamble_md; /**< stage-specific Markdown placed before the findings, or NULL */
	size_t max_summary;      /**< cap on summary.md in bytes; default 900,000 */
	const char *artifacts_url; /**< where the full reports live (for the truncation line), or NULL */
	const char *verdict;     /**< the heading's verdict when the stage knows better than the
				    findings (e.g. ":warning: drift found"), or NULL */
	const platci_findings *fixed; /**< findings at the merge base the change removes (listed as
				    fixed in summary.md and findings.json), or NULL: not compared */
} platci_report_options;

#define PLATCI_REPORT_OPTIONS_VERSION 2
#define PLATCI_REPORT_OPTIONS_INIT \
	{ PLATCI_REPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL }

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_report_options_init(platci_report_options *opts, unsigned int version);

/* ---- JUnit ---------------------------------------------------------- */

/** Creates an empty JUnit document. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_junit_new(platci_junit **out);

/** Frees @p j. NULL is a no-op. */
PLATCI_EXTERN(void) platci_junit_free(platci_junit *j);

/**
 * Adds a test case. @p failure NULL means it passed; @p skipped non-NULL
 * marks it skipped with that reason. Strings are copied. A case whose
 * (classname, name) pair repeats gets a numeric suffix, because GitLab
 * drops duplicate names. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_junit_add(platci_junit *j, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped);

/**
 * Adds one case per finding (classname = environment or stage, name =
 * `rule_id file:line`), failing for unwaived deny findings and passing
 * with the message for warnings and waived ones. Then one passing case per
 * entry of @p checked (NULL-terminated; may be NULL) that had no finding.
 */
PLATCI_EXTERN(int) platci_junit_add_findings(platci_junit *j, const char *classname,
	const platci_findings *list, const char *const *checked);

/** Renders the XML. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_junit_render(platci_buf *out, const platci_junit *j, const char *suite);

/* ---- Writers into a reports folder ------------------------------------ */

/** Renders GitLab Code Quality JSON (an array; unwaived findings only). */
PLATCI_EXTERN(int) platci_report_codequality(platci_buf *out, const platci_findings *list);

/**
 * Renders findings.json: every finding, waived ones included, plus counts.
 * A finding compared with a merge base carries `"baseline": "new"` or
 * `"existing"`; with opts->fixed, a `"fixed"` list follows the findings.
 */
PLATCI_EXTERN(int) platci_report_findings_json(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts);

/**
 * Renders summary.md: a hidden marker for sticky notes, the title, a
 * count table, the preamble, then findings grouped by environment with
 * file:line, details collapsed. Findings already at the merge base say
 * "(existing)"; with opts->fixed, a line counts new, existing and fixed
 * findings and a table lists the fixed ones. Cut at opts->max_summary
 * with a clear line saying so.
 */
PLATCI_EXTERN(int) platci_report_summary(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts);

/**
 * Writes the four common reports into @p dir (created when missing):
 * junit.xml (from @p junit, or from the findings when NULL),
 * gl-code-quality-report.json, summary.md and findings.json.
 * @return 0, PLATCI_EIO or PLATCI_ENOMEM (with a diagnostic).
 */
PLATCI_EXTERN(int) platci_report_write_all(const char *dir, const platci_findings *list,
	const platci_junit *junit, const platci_report_options *opts, platci_diag *diag);

/** Writes @p data atomically as @p dir/@p name. @return 0 or PLATCI_EIO. */
PLATCI_EXTERN(int) platci_report_write_file(const char *dir, const char *name, const char *data,
	size_t len, platci_diag *diag);

/** Escapes @p s for XML text or attributes, dropping characters XML 1.0 forbids. */
PLATCI_EXTERN(int) platci_xml_escape(platci_buf *out, const char *s);

/** Escapes @p s for a Markdown table cell (pipes, newlines, HTML). */
PLATCI_EXTERN(int) platci_md_escape(platci_buf *out, const char *s);

PLATCI_END_DECL

#endif
