/**
 * @file platci/report.h
 * @brief Report writers: JUnit, GitLab Code Quality, summary.md, findings.json.
 *
 * Every writer writes its file atomically (a temporary file renamed into
 * place), so a reports folder never holds a half-written file. JSON is
 * compact unless `pretty` is set. For runs of hundreds of thousands of
 * findings, platci_report_stream writes the four common reports as the
 * findings arrive, holding none of them.
 */
#ifndef PLATCI_REPORT_H
#define PLATCI_REPORT_H

#include "buf.h"
#include "diag.h"
#include "findings.h"

/** GitLab's limit for one note body; summaries stay below it. */
#define PLATCI_NOTE_LIMIT 1000000

/** The budget of summary.md (and so of the sticky note) unless a caller sets max_summary. */
#define PLATCI_SUMMARY_BUDGET 60000

typedef struct platci_junit platci_junit;

typedef struct platci_report_options {
	unsigned int version; /**< PLATCI_REPORT_OPTIONS_VERSION */
	const char *stage; /**< e.g. "validate"; names the JUnit suite and the summary marker */
	const char *title; /**< summary heading, e.g. "platci validate" */
	const char *env; /**< environment the run is about, or NULL */
	const char *preamble_md; /**< stage-specific Markdown placed before the findings, or NULL */
	size_t max_summary; /**< cap on summary.md in bytes; default PLATCI_SUMMARY_BUDGET */
	const char *artifacts_url; /**< where the full reports live (for the truncation line), or NULL */
	const char *verdict; /**< the heading's verdict when the stage knows better than the
				    findings (e.g. ":warning: drift found"), or NULL */
	const platci_findings *fixed; /**< findings at the merge base the change removes (listed as
				    fixed in summary.md and findings.json), or NULL: not compared */
	int pretty; /**< JSON reports indented (jansson's layout) rather than compact */
} platci_report_options;

#define PLATCI_REPORT_OPTIONS_VERSION 3
#define PLATCI_REPORT_OPTIONS_INIT \
	{ \
		PLATCI_REPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 \
	}

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
PLATCI_EXTERN(int)
platci_junit_add(platci_junit *j, const char *classname, const char *name, const char *failure,
	const char *details, const char *skipped);

/**
 * Adds one case per finding (classname = environment or stage, name =
 * `rule_id file:line`), failing for unwaived deny findings and passing
 * with the message for warnings and waived ones. Then one passing case per
 * entry of @p checked (NULL-terminated; may be NULL) that had no finding.
 */
PLATCI_EXTERN(int)
platci_junit_add_findings(platci_junit *j, const char *classname, const platci_findings *list,
	const char *const *checked);

/** Renders the XML. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_junit_render(platci_buf *out, const platci_junit *j, const char *suite);

/**
 * Writes the XML platci_junit_render() renders to @p path atomically
 * (platci_fs_atomic_open()), the cases straight from @p j: a document of
 * 40,000 cases is not copied into a buffer first. @return 0, PLATCI_ENOMEM
 * or PLATCI_EIO (with a diagnostic); on failure @p path is untouched.
 */
PLATCI_EXTERN(int)
platci_junit_write(const char *path, const platci_junit *j, const char *suite, platci_diag *diag);

/* ---- Writers into a reports folder ------------------------------------ */

/** Renders GitLab Code Quality JSON (an array; unwaived findings only), compact. */
PLATCI_EXTERN(int) platci_report_codequality(platci_buf *out, const platci_findings *list);

/**
 * Renders findings.json: every finding, waived ones included, plus counts.
 * A finding compared with a merge base carries `"baseline": "new"` or
 * `"existing"`; with opts->fixed, a `"fixed"` list follows the findings.
 */
PLATCI_EXTERN(int)
platci_report_findings_json(platci_buf *out, const platci_findings *list, const platci_report_options *opts);

/**
 * Renders summary.md: a hidden marker for sticky notes, the title, a
 * count table, the preamble, then findings grouped by environment with
 * file:line, deny first, details collapsed. Findings already at the merge
 * base say "(existing)"; with opts->fixed, a line counts new, existing and
 * fixed findings and a table lists the fixed ones. Rows stop where the next
 * would pass opts->max_summary, with a line saying how many more (and how
 * many deny) are in findings.json and linking the job's artifacts; a
 * preamble that is itself too long is cut with a line saying so.
 */
PLATCI_EXTERN(int)
platci_report_summary(platci_buf *out, const platci_findings *list, const platci_report_options *opts);

/**
 * Writes the four common reports into @p dir (created when missing):
 * junit.xml (from @p junit, or from the findings when NULL),
 * gl-code-quality-report.json, summary.md and findings.json.
 * @return 0, PLATCI_EIO or PLATCI_ENOMEM (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_report_write_all(const char *dir, const platci_findings *list, const platci_junit *junit,
	const platci_report_options *opts, platci_diag *diag);

/* ---- Streaming the four common reports ---------------------------------------- */

typedef struct platci_report_stream platci_report_stream;

/**
 * Opens junit.xml, gl-code-quality-report.json, findings.json and
 * summary.md in @p dir (created when missing) for findings that arrive one
 * by one. Nothing is visible in @p dir until platci_report_stream_commit();
 * a stream freed before that leaves the folder as it was. Memory does not
 * grow with the findings: summary.md keeps rows up to its budget and counts
 * the rest. @p opts is copied.
 *
 * @return 0, PLATCI_ENOMEM or PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_report_stream_open(platci_report_stream **out, const char *dir,
	const platci_report_options *opts, platci_diag *diag);

/**
 * Writes @p f to the reports (computing its fingerprint when
 * `f->fingerprint[0]` is NUL) and, when @p junit is non-zero, a JUnit case
 * for it as platci_junit_add_findings() makes one. @return 0,
 * PLATCI_EINVALID, PLATCI_ENOMEM or PLATCI_EIO.
 */
PLATCI_EXTERN(int)
platci_report_stream_add(platci_report_stream *rs, const platci_finding *f, int junit);

/** Adds a JUnit case, as platci_junit_add() does. @return as platci_report_stream_add(). */
PLATCI_EXTERN(int)
platci_report_stream_case(platci_report_stream *rs, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped);

/** Called for each finding a stream writes, after its fingerprint is made. */
typedef int (*platci_report_stream_cb)(const platci_finding *f, void *payload);

/** Sets the callback of @p rs (NULL: none). */
PLATCI_EXTERN(void)
platci_report_stream_listen(platci_report_stream *rs, platci_report_stream_cb cb, void *payload);

/** Counts of the findings written so far. */
PLATCI_EXTERN(void)
platci_report_stream_counts(const platci_report_stream *rs, platci_findings_counts *out);

/**
 * Completes the reports (summary.md with @p preamble_md, or the options'
 * preamble when NULL) and renames them into place. @p first_cases, when
 * not NULL, are JUnit cases written before the streamed ones (a stage's
 * per-object cases, known only at the end). @return 0, PLATCI_ENOMEM or
 * PLATCI_EIO (with a diagnostic).
 */
PLATCI_EXTERN(int)
platci_report_stream_commit(platci_report_stream *rs, const char *preamble_md,
	const platci_junit *first_cases, platci_diag *diag);

/** Frees @p rs; uncommitted reports are removed. NULL is a no-op. */
PLATCI_EXTERN(void) platci_report_stream_free(platci_report_stream *rs);

/** Writes @p data atomically as @p dir/@p name. @return 0 or PLATCI_EIO. */
PLATCI_EXTERN(int)
platci_report_write_file(const char *dir, const char *name, const char *data, size_t len, platci_diag *diag);

/** Escapes @p s for XML text or attributes, dropping characters XML 1.0 forbids. */
PLATCI_EXTERN(int) platci_xml_escape(platci_buf *out, const char *s);

/** Escapes @p s for a Markdown table cell (pipes, newlines, HTML). */
PLATCI_EXTERN(int) platci_md_escape(platci_buf *out, const char *s);

PLATCI_END_DECL

#endif
