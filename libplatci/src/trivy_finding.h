/*
 * One Trivy finding, read from raw tokens into a record (no jansson value
 * per finding: a report holds hundreds of thousands of them), then checked
 * and normalised into a platci_trivy_finding.
 */
#ifndef PLATCI_TRIVY_FINDING_H
#define PLATCI_TRIVY_FINDING_H

#include "platci/buf.h"
#include "platci/json_stream.h"
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

/* The string members platci reads, for every kind. */
enum {
	TF_VULNERABILITY_ID,
	TF_PKG_NAME,
	TF_PKG_PATH,
	TF_INSTALLED_VERSION,
	TF_FIXED_VERSION,
	TF_STATUS,
	TF_TITLE,
	TF_DESCRIPTION,
	TF_PRIMARY_URL,
	TF_SEVERITY_SOURCE,
	TF_SEVERITY,
	TF_ID,
	TF_AVDID,
	TF_MESSAGE,
	TF_RULE_ID,
	TF_CATEGORY,
	TF_NAME,
	TF_FILE_PATH,
	TF_LINK,
	TF_PURL, /* PkgIdentifier.PURL */
	TF_STRINGS
};

/* The parts of a finding the reader subscribes to (at most 10). */
enum {
	TF_PART_FINDING = 0, /* the finding itself */
	TF_PART_MEMBER, /* its members */
	TF_PART_VENDOR, /* VendorSeverity.* */
	TF_PART_CVSS, /* CVSS.* (a vendor) */
	TF_PART_CVSS_MEMBER, /* CVSS.*.* */
	TF_PART_REFERENCE, /* References[*] */
	TF_PART_PURL, /* PkgIdentifier.PURL */
	TF_PART_START_LINE, /* CauseMetadata.StartLine */
	TF_PARTS
};

/* What a member held: nothing (or null), a string, or something else. */
enum { TF_ABSENT = 0, TF_STRING, TF_BAD };

#define TF_MAX_VENDORS 16
#define TF_MAX_REFS 64

typedef struct trivy_record {
	int open;
	platci_trivy_kind kind;
	size_t depth; /* of the finding's container in the document */
	platci_buf text; /* every string kept, each with its NUL */
	size_t off[TF_STRINGS];
	unsigned char state[TF_STRINGS];
	int not_object; /* the finding itself is not an object */
	size_t start_line; /* StartLine, or CauseMetadata.StartLine */
	/* VendorSeverity: name offset and level (-1: not a level) */
	size_t vendor_off[TF_MAX_VENDORS];
	int vendor_level[TF_MAX_VENDORS];
	size_t nvendors;
	int vendors_state; /* TF_ABSENT, object (TF_STRING stands for it), TF_BAD */
	/* CVSS: per vendor, the scores and the vectors */
	struct {
		size_t name_off, v3vec_off, v2vec_off;
		double v3, v2;
		int bad;
	} cvss[TF_MAX_VENDORS];
	size_t ncvss;
	int cvss_state;
	int pkgid_state;
	size_t refs_off[TF_MAX_REFS];
	size_t nrefs;
	int refs_state;
	size_t max_bytes;
	int light; /* keep only what policy needs: no texts, references, vectors */
} trivy_record;

void platci__trivy_record_init(trivy_record *r, size_t max_bytes);
void platci__trivy_record_dispose(trivy_record *r);
/* Starts a finding of @p kind whose container is at @p depth. */
void platci__trivy_record_open(trivy_record *r, platci_trivy_kind kind, size_t depth);

/*
 * Takes one event inside the open finding, for @p part (TF_PART_*).
 * Returns 0 or PLATCI_ELIMIT / PLATCI_ENOMEM.
 */
int platci__trivy_record_event(trivy_record *r, const platci_json_event *ev, int part);

/*
 * The finding has closed: checks the types of the members platci relies
 * on, normalises severity, status and CVSS, updates @p stats and calls @p cb.
 * Misconfigurations that did not fail are counted and skipped. Returns 0,
 * PLATCI_EDATA (with a diagnostic at @p line) or the callback's code.
 */
int platci__trivy_finding(platci_trivy_stats *stats, trivy_record *r, const platci_trivy_context *ctx,
	size_t line, const char *name, platci_diag *diag, platci_trivy_cb cb, void *payload);

/*
 * Subscribes @p cb to what platci reads of each finding of kind @p k in the
 * array at @p base (a pattern such as "[*][*].Vulnerabilities[*]"), with
 * the ids @p id + TF_PART_*. @p light: only what policy needs. Returns 0
 * or platci_json_stream_on()'s code.
 */
int platci__trivy_subscribe(platci_json_stream *s, const char *base, platci_trivy_kind k, int light,
	int id, platci_json_stream_cb cb, void *payload);

/* Copies a record (a finding that came before its Result's Target waits in a queue). */
int platci__trivy_record_copy(trivy_record *dst, const trivy_record *src);

#endif
