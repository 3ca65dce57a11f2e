/**
 * @file platci/trivy.h
 * @brief A streaming reader for every report shape Trivy has written.
 *
 * Shapes: SchemaVersion 2 (image, filesystem, repository, config, SBOM),
 * the legacy bare array of results (Trivy <= 0.19; an empty one is the
 * literal `null`), `trivy k8s` `{ClusterName, Resources[]}`, the k8s
 * summary `{ClusterName, Findings[]}` and the old k8s shape
 * `{ClusterName, Vulnerabilities[], Misconfigurations[]}` (v0.29-0.41).
 *
 * The report is read once through platci/json_stream.h; each finding's
 * members are taken from the raw tokens as they pass (no value is built),
 * so memory does not grow with the report. Each vulnerability, failed
 * misconfiguration, secret and licence is handed to a callback as a
 * normalised platci_trivy_finding. Unknown keys are ignored. A secret's
 * matched text (`Match`, `Code`) is never copied into a finding. Duplicate
 * keys in an object the reader looks into are refused (PLATCI_ESYNTAX).
 */
#ifndef PLATCI_TRIVY_H
#define PLATCI_TRIVY_H

#include <stddef.h>

#include "diag.h"

/** Trivy severities, in rising order. */
typedef enum {
	PLATCI_TRIVY_UNKNOWN = 0,
	PLATCI_TRIVY_LOW,
	PLATCI_TRIVY_MEDIUM,
	PLATCI_TRIVY_HIGH,
	PLATCI_TRIVY_CRITICAL
} platci_trivy_severity;

#define PLATCI_TRIVY_SEVERITIES 5

/** What a finding is. */
typedef enum {
	PLATCI_TRIVY_VULNERABILITY = 0,
	PLATCI_TRIVY_MISCONFIGURATION,
	PLATCI_TRIVY_SECRET,
	PLATCI_TRIVY_LICENSE
} platci_trivy_kind;

#define PLATCI_TRIVY_KINDS 4

/** Which top-level shape a report had. */
typedef enum {
	PLATCI_TRIVY_SHAPE_NONE = 0, /**< nothing read yet */
	PLATCI_TRIVY_SHAPE_V2, /**< SchemaVersion 2 object */
	PLATCI_TRIVY_SHAPE_LEGACY, /**< bare array of results */
	PLATCI_TRIVY_SHAPE_NULL, /**< the literal `null`: legacy, nothing found */
	PLATCI_TRIVY_SHAPE_K8S, /**< `{ClusterName, Resources}` */
	PLATCI_TRIVY_SHAPE_K8S_SUMMARY, /**< `{ClusterName, Findings}` */
	PLATCI_TRIVY_SHAPE_K8S_OLD /**< `{ClusterName, Vulnerabilities, Misconfigurations}` */
} platci_trivy_shape;

/**
 * One finding, normalised. Every string is borrowed and valid only during
 * the callback; NULL when the report did not say.
 */
typedef struct platci_trivy_finding {
	platci_trivy_kind kind;
	const char *id; /**< VulnerabilityID, misconfiguration ID, secret RuleID, licence Name; never NULL */
	const char *alias; /**< misconfiguration AVDID, when it differs from id */
	platci_trivy_severity severity; /**< Severity; VendorSeverity[SeveritySource] (or the highest) when missing */
	int severity_from_vendor; /**< 1 when severity came from VendorSeverity */
	const char *pkg_name; /**< vulnerabilities and licences */
	const char *pkg_path;
	const char *installed_version;
	const char *fixed_version; /**< may be a comma-separated list */
	const char *purl; /**< PkgIdentifier.PURL */
	const char *status; /**< Status (v0.44+), or NULL */
	int fixable; /**< Status is `fixed`, or (no Status) FixedVersion is not empty */
	double cvss_score; /**< highest V3 score (V2 when no V3) over vendors; -1 unknown */
	const char *cvss_vendor; /**< vendor whose vectors are below */
	const char *cvss_v3_vector;
	const char *cvss_v2_vector;
	const char *title;
	const char *description;
	const char *primary_url;
	const char *const *references; /**< the strings of References (at most 64), or NULL; not validated */
	size_t nreferences;
	const char *category; /**< secret or licence category */
	size_t start_line; /**< misconfiguration cause or secret line, 0 unknown */
	const char *target; /**< Result.Target */
	const char *result_class; /**< Result.Class */
	const char *result_type; /**< Result.Type */
	const char *image; /**< stable image or artifact reference, no "(os)" suffix; for a
	                                    k8s misconfiguration the resource; never NULL */
	const char *operating_system; /**< "debian 12.5", or NULL */
	const char *resource; /**< k8s "namespace/Kind/name", or NULL */
	const char *artifact_type; /**< ArtifactType (`container_image`, `filesystem`, ...), or NULL */
	size_t line; /**< line in the report where the finding ends */
} platci_trivy_finding;

/** Called for each finding; return 0 to go on, a negative PLATCI_E* to stop. */
typedef int (*platci_trivy_cb)(const platci_trivy_finding *f, void *payload);

typedef struct platci_trivy_options {
	unsigned int version; /**< PLATCI_TRIVY_OPTIONS_VERSION */
	size_t max_depth; /**< JSON nesting limit; default 512 */
	size_t max_value_bytes; /**< cap on one finding's text; default 16 MiB */
	const char *name; /**< name for diagnostics (default: the path) */
	/**
	 * Non-zero: read only what policy and waivers need (ids, packages,
	 * versions, status, severity, CVSS scores, paths); titles,
	 * descriptions, references and CVSS vectors are left NULL.
	 */
	int policy_fields_only;
} platci_trivy_options;

#define PLATCI_TRIVY_OPTIONS_VERSION 1
#define PLATCI_TRIVY_OPTIONS_INIT \
	{ \
		PLATCI_TRIVY_OPTIONS_VERSION, 0, 0, NULL, 0 \
	}

/** What a read saw. */
typedef struct platci_trivy_stats {
	platci_trivy_shape shape;
	size_t results; /**< Result objects */
	size_t read[PLATCI_TRIVY_KINDS]; /**< findings delivered, per kind */
	size_t by_severity[PLATCI_TRIVY_SEVERITIES]; /**< vulnerabilities per severity */
	size_t misconf_passed; /**< PASS/EXCEPTION misconfigurations skipped */
	size_t skipped; /**< vulnerabilities without an id (a warning each) */
	size_t bytes;
	char trivy_version[32]; /**< Trivy.Version (v0.69+), or "" */
} platci_trivy_stats;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_trivy_options_init(platci_trivy_options *opts, unsigned int version);

/**
 * Reads the Trivy JSON report @p path ("-" for standard input) and calls
 * @p cb for each finding in document order.
 *
 * @param[out] stats what was read (may be NULL); filled even on failure
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (not
 *         JSON, or empty); PLATCI_EDATA (JSON, but not a Trivy report, or
 *         a field of the wrong type: the diagnostic says which and where);
 *         PLATCI_EVERSION (an unknown SchemaVersion); PLATCI_ELIMIT;
 *         PLATCI_ENOMEM; or the callback's code.
 */
PLATCI_EXTERN(int)
platci_trivy_read_file(platci_trivy_stats *stats, const char *path,
	const platci_trivy_options *opts, platci_trivy_cb cb, void *payload, platci_diag *diag);

/**
 * As platci_trivy_read_file() over @p len bytes in memory; @p name labels
 * diagnostics.
 */
PLATCI_EXTERN(int)
platci_trivy_read_buffer(platci_trivy_stats *stats, const char *name, const char *data, size_t len,
	const platci_trivy_options *opts, platci_trivy_cb cb, void *payload, platci_diag *diag);

/** Upper-case name ("CRITICAL" ... "UNKNOWN"); NULL when out of range. */
PLATCI_EXTERN(const char *) platci_trivy_severity_name(platci_trivy_severity s);

/** Parses a Trivy severity name (case-insensitive). @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_trivy_severity_parse(platci_trivy_severity *out, const char *name);

/** "vulnerability", "misconfiguration", "secret", "license"; NULL when out of range. */
PLATCI_EXTERN(const char *) platci_trivy_kind_name(platci_trivy_kind k);

/** "v2", "legacy", "null", "k8s", "k8s-summary", "k8s-old" or "none". */
PLATCI_EXTERN(const char *) platci_trivy_shape_name(platci_trivy_shape s);

PLATCI_END_DECL

#endif
