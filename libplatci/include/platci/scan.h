/**
 * @file platci/scan.h
 * @brief Trivy findings against a per-environment policy, waivers, dedupe and reports.
 *
 * A run: load the policy (`policies/scan.yaml`, see docs/scan.md), create
 * a platci_scan for one environment, add waiver files (`.trivyignore`,
 * `.trivyignore.yaml`, GitLab's `vulnerability-allowlist.yml`, platci's own
 * waivers), then one or more Trivy reports, then platci_scan_finish().
 * Each finding is judged as it is read, against the policy and every
 * waiver, and written at once: to a report stream
 * (platci_scan_stream_reports()), or to lists handed out at the end. The
 * same vulnerability seen in several targets or reports of one image
 * counts once: the first copy is reported, later ones are counted as
 * duplicates (a set of 128-bit fingerprints is all that is kept), so memory
 * does not grow with the findings when reports are streamed.
 *
 * Filter order, as Trivy's: report severity -> status (ignore-unfixed,
 * ignored statuses) -> CVSS floor -> waivers -> dedupe. A finding at or
 * above the fail severity that no live waiver covers is at deny level.
 */
#ifndef PLATCI_SCAN_H
#define PLATCI_SCAN_H

#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "findings.h"
#include "report.h"
#include "trivy.h"

typedef struct platci_scan_policy platci_scan_policy;
typedef struct platci_scan platci_scan;

/** Fail severity meaning "never fail". */
#define PLATCI_SCAN_NEVER (-1)

/** The rules that apply to one image in one environment. */
typedef struct platci_scan_rules {
	int fail_severity; /**< a platci_trivy_severity, or PLATCI_SCAN_NEVER */
	int report_severity; /**< findings below it are dropped (counted) */
	int ignore_unfixed; /**< drop vulnerabilities with no fix */
	unsigned int ignore_statuses; /**< bit mask over platci_scan_status_bit() */
	double cvss_floor; /**< drop vulnerabilities whose known CVSS score is below; 0 off */
} platci_scan_rules;

typedef struct platci_scan_options {
	unsigned int version; /**< PLATCI_SCAN_OPTIONS_VERSION */
	const char *env; /**< environment name; NULL uses the policy's defaults */
	time_t now; /**< the clock for waiver expiry and the "expires soon" list; the caller's clock */
	int expiring_days; /**< "expires soon" window for the summary; default 14 */
	int pretty; /**< the container scanning report indented rather than compact */
	int counts_only; /**< only count: no finding is rendered (platci-scan --counts) */
} platci_scan_options;

#define PLATCI_SCAN_OPTIONS_VERSION 1
#define PLATCI_SCAN_OPTIONS_INIT \
	{ \
		PLATCI_SCAN_OPTIONS_VERSION, NULL, 0, 0, 0, 0 \
	}

/** Per image, after policy and dedupe. */
typedef struct platci_scan_image {
	const char *image;
	size_t reported[PLATCI_TRIVY_SEVERITIES]; /**< vulnerabilities in the report, per severity */
	size_t fixable[PLATCI_TRIVY_SEVERITIES];
	size_t failing;
	size_t waived;
	size_t other; /**< misconfigurations, secrets, licences reported */
} platci_scan_image;

/** Totals over the run. */
typedef struct platci_scan_counts {
	size_t reports;
	size_t read[PLATCI_TRIVY_SEVERITIES]; /**< vulnerability entries read, before anything */
	size_t read_kind[PLATCI_TRIVY_KINDS];
	size_t duplicates; /**< entries that repeated one already seen */
	size_t unique;
	size_t below_severity;
	size_t ignored_status; /**< unfixed or an ignored status */
	size_t below_cvss;
	size_t waived;
	size_t reported[PLATCI_TRIVY_SEVERITIES]; /**< vulnerabilities left, per severity */
	size_t reported_other;
	size_t failing;
	size_t expired_waivers;
	size_t stale_waivers;
} platci_scan_counts;

typedef struct platci_scan_cs_options {
	unsigned int version; /**< PLATCI_SCAN_CS_OPTIONS_VERSION */
	time_t start_time;
	time_t end_time; /**< 0: the start time */
	const char *scanner_version; /**< Trivy's version, or NULL: the reports' Trivy.Version, else "unknown" */
} platci_scan_cs_options;

#define PLATCI_SCAN_CS_OPTIONS_VERSION 1
#define PLATCI_SCAN_CS_OPTIONS_INIT \
	{ \
		PLATCI_SCAN_CS_OPTIONS_VERSION, 0, 0, NULL \
	}

PLATCI_BEGIN_DECL

/**
 * Loads the scan policy at @p path. Unknown keys, wrong types, unknown
 * severities or statuses, environments platci.yaml does not name, and
 * waivers without a reason, an owner or ticket, or a valid expiry are
 * errors with file:line:column.
 *
 * @param cfg platci.yaml: the environments the policy (and waiver files
 *        later added to a scan) may name, and the zone in which waivers
 *        expire; NULL checks no names and takes the default zone. Not kept.
 * @return 0, PLATCI_ENOTFOUND, PLATCI_EIO, PLATCI_ESYNTAX, PLATCI_EDATA,
 *         PLATCI_EVERSION or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_scan_policy_load(platci_scan_policy **out, const char *path, const platci_config *cfg,
	platci_diag *diag);

PLATCI_EXTERN(int) platci_scan_policy_default(platci_scan_policy **out);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_scan_policy_free(platci_scan_policy *p);

/** 1 when the policy has a section for @p env. */
PLATCI_EXTERN(int) platci_scan_policy_has_env(const platci_scan_policy *p, const char *env);

/** The rules for @p image in @p env (NULL: defaults), overrides applied. */
PLATCI_EXTERN(int)
platci_scan_policy_rules(platci_scan_rules *out, const platci_scan_policy *p, const char *env,
	const char *image);

/** Bit for a Trivy status name in platci_scan_rules.ignore_statuses; 0 when unknown. */
PLATCI_EXTERN(unsigned int) platci_scan_status_bit(const char *status);

PLATCI_EXTERN(int) platci_scan_options_init(platci_scan_options *opts, unsigned int version);

/**
 * Creates a run over @p policy (borrowed; must outlive the run). The
 * policy's own `waivers:` are added. @return 0, PLATCI_EINVALID or
 * PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_scan_new(platci_scan **out, const platci_scan_policy *policy, const platci_scan_options *opts);

/** Frees the run. NULL is a no-op. */
PLATCI_EXTERN(void) platci_scan_free(platci_scan *scan);

/**
 * Streams the run's reports as findings arrive, so that memory does not
 * grow with them: each finding goes to @p rs (a failing one with its JUnit
 * case), and gl-container-scanning-report.json is written in @p dir as the
 * vulnerabilities come, then completed and renamed into place by
 * platci_scan_finish(). Call after the waivers are added and before the
 * first report. Then platci_scan_finish() takes NULL,
 * platci_scan_render_container_scanning() is not used, and
 * platci_scan_junit() adds the per-image cases only (give them to
 * platci_report_stream_commit()). @p rs and @p diag must outlive the run.
 *
 * @return 0, PLATCI_EINVALID, PLATCI_ENOMEM or PLATCI_EIO.
 */
PLATCI_EXTERN(int)
platci_scan_stream_reports(platci_scan *scan, platci_report_stream *rs, const char *dir,
	const platci_scan_cs_options *cs, platci_diag *diag);

/**
 * Adds a waiver file; the format is told by its content: a YAML mapping
 * with `vulnerabilities`/`misconfigurations`/`secrets`/`licenses` is a
 * `.trivyignore.yaml`, one with `generalallowlist`/`images` is GitLab's
 * allowlist, one with `waivers` is platci's; anything else is read as a
 * plain `.trivyignore`. Waivers come before the first report (each
 * finding is judged as it is read). @return 0, PLATCI_EINVALID (a report
 * was read already), PLATCI_ENOTFOUND, PLATCI_EIO, PLATCI_ESYNTAX,
 * PLATCI_EDATA (with positions) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_scan_add_waivers(platci_scan *scan, const char *path, platci_diag *diag);

/**
 * Reads one Trivy report (streamed) into the run. @p stats may be NULL.
 * @return as platci_trivy_read_file().
 */
PLATCI_EXTERN(int)
platci_scan_add_report(platci_scan *scan, const char *path, platci_trivy_stats *stats, platci_diag *diag);

/**
 * Ends the run and appends the findings to @p out: one per reported
 * vulnerability, misconfiguration, secret and licence, plus
 * `scan.waiver-expired` and `scan.waiver-stale`. @p out is NULL when the
 * reports are streamed (the findings went there), or when only the counts
 * are wanted. Call once. @return 0, PLATCI_ENOMEM or PLATCI_EIO.
 */
PLATCI_EXTERN(int) platci_scan_finish(platci_scan *scan, platci_findings *out);

/**
 * Copies the run's totals into @p out; complete after platci_scan_finish().
 * @return 0 or PLATCI_EINVALID.
 */
PLATCI_EXTERN(int) platci_scan_totals(platci_scan_counts *out, const platci_scan *scan);

/** Number of images; images are sorted by name. */
PLATCI_EXTERN(size_t) platci_scan_image_count(const platci_scan *scan);

/** Borrowed image @p i, or NULL. */
PLATCI_EXTERN(const platci_scan_image *) platci_scan_image_at(const platci_scan *scan, size_t i);

/**
 * Renders gl-container-scanning-report.json (schema 15.0.7): reported,
 * unwaived vulnerabilities. Not for a run whose reports are streamed.
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_scan_render_container_scanning(platci_buf *out, const platci_scan *scan,
	const platci_scan_cs_options *opts);

/**
 * Renders the Markdown that goes before the findings in summary.md: a
 * severity table per image, the 50 most pressing critical and high
 * vulnerabilities (fixable first), suppressed counts, waivers that expire
 * within the window. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_scan_render_summary(platci_buf *out, const platci_scan *scan);

/**
 * Adds JUnit cases: one per image (failing when it has failing findings)
 * and, unless the reports are streamed, one per failing finding.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_scan_junit(platci_junit *j, const platci_scan *scan);

PLATCI_END_DECL

#endif
