/* Private to the scan module: the policy, waivers and stored findings. */
#ifndef PLATCI_SCAN_INT_H
#define PLATCI_SCAN_INT_H

#include <stdint.h>

#include "platci/scan.h"
#include "platci/doc.h"
#include "platci/fs.h"
#include "platci/sha256.h"
#include "util/arena.h"
#include "util/jsonw.h"
#include "util/strmap.h"
#include "waiver.h"

#define SCAN_STATUS_COUNT 8

/* Rules where every field may be left unset, so overrides layer. */
typedef struct scan_rules_set {
	platci_scan_rules r; /* ignore_unfixed and cvss_floor below 0: unset */
	int has_fail, has_report, has_statuses;
} scan_rules_set;

typedef struct scan_env {
	const char *name;
	scan_rules_set rules;
} scan_env;

typedef struct scan_override {
	const char *match; /* image glob */
	rf_strs envs; /* items NULL: every environment */
	scan_rules_set rules;
} scan_override;

typedef enum {
	WAIVER_TRIVYIGNORE = 0,
	WAIVER_TRIVYIGNORE_YAML,
	WAIVER_GITLAB,
	WAIVER_PLATCI
} waiver_format;

/*
 * A scan waiver: the common part (reason, owner or ticket, expiry, the
 * counters) and what it matches. Strings are borrowed from the policy's
 * document, or copied into the scan's arena for waiver files.
 */
typedef struct scan_waiver {
	waiver_base w;
	waiver_format format;
	const char *id;
	unsigned int kinds; /* bit per platci_trivy_kind */
	const char *image; /* platci: glob; GitLab: substring of the image; NULL any */
	const char *package; /* platci: package name */
	rf_strs paths; /* .trivyignore.yaml: globs over target or package path */
	rf_strs purls; /* .trivyignore.yaml */
	rf_strs envs; /* platci */
	const char *statement;
} scan_waiver;

struct platci_scan_policy {
	platci_doc *doc; /* the strings are the document's */
	platci_arena arena;
	const char *path;
	scan_rules_set defaults;
	rf_list envs; /* of scan_env */
	rf_list overrides; /* of scan_override */
	rf_list waiver_list; /* of scan_waiver */
	scan_waiver *waivers;
	size_t nwaivers;
	/* what waiver files added to a scan are checked against */
	const char *const *env_names;
	size_t nenv_names;
	int zone;
};

typedef enum {
	ST_REPORTED = 0,
	ST_BELOW_SEVERITY,
	ST_IGNORED_STATUS,
	ST_BELOW_CVSS,
	ST_WAIVED
} entry_state;

/*
 * One unique finding, while it is judged and written: its strings are
 * borrowed from the Trivy reader for that time. Nothing of it is kept
 * after, but its fingerprint in the set of those seen.
 */
typedef struct scan_entry {
	platci_trivy_kind kind;
	platci_trivy_severity severity;
	const char *id, *alias, *pkg, *version, *fixed, *pkg_path, *purl, *status;
	const char *title, *description, *url, *category;
	const char *cvss_vendor, *cvss_v3, *cvss_v2;
	const char *const *refs;
	size_t nrefs;
	double cvss;
	int fixable;
	const char *target, *image, *os, *resource, *report;
	int target_is_file; /* Target names a file of the scanned repository */
	size_t start_line, line;
	const char *key;
	entry_state state;
	int failing;
	const scan_waiver *waiver;
} scan_entry;


/*
 * The fingerprints of the findings seen: 128 bits each, no strings. The
 * set is 256 small tables, picked by the fingerprint's top byte, that grow
 * by half: at most 32 bytes a fingerprint, and a table that grows is small
 * enough that malloc reuses the one it leaves.
 * (Every new page costs a fault; on a virtual machine that is the largest
 * cost of the set, well above its probes.)
 */
#define SCAN_SEEN_PARTS 256

typedef struct scan_seen_part {
	uint64_t *slots; /* pairs; 0,0 is free */
	size_t cap, len;
} scan_seen_part;

typedef struct scan_seen {
	scan_seen_part part[SCAN_SEEN_PARTS];
	size_t len;
} scan_seen;

/* A vulnerability kept for the summary's "fixable critical and high first" table. */
typedef struct scan_top {
	int fixable, failing;
	platci_trivy_severity severity;
	char *id, *pkg, *version, *fixed, *image, *key;
} scan_top;

#define SCAN_TOP 50

/* A failing finding's JUnit case, kept when reports are not streamed. */
typedef struct scan_case {
	char *classname, *name, *failure, *details;
} scan_case;

struct platci_scan {
	const platci_scan_policy *policy;
	platci_scan_options opts;
	platci_arena arena;
	platci__strmap interned; /* images, report names, vectors -> their one copy */
	platci__strmap image_index; /* image -> index in images */
	size_t last_image; /* index of the image counted last */
	scan_seen seen;
	scan_waiver *waivers; /* the policy's, then added files' */
	size_t nwaivers, awaivers;
	platci_scan_image *images;
	size_t nimages, aimages;
	platci_scan_counts totals;
	scan_top top[SCAN_TOP + 1];
	size_t ntop, top_candidates;
	const char *current_report;
	const char *rules_image; /* the image the rules below are for */
	platci_scan_rules rules;
	char trivy_version[32];
	int finished, reading;
	/* where findings go: a stream of reports, or lists handed out at the end */
	platci_report_stream *stream;
	platci_findings *kept;
	scan_case *cases;
	size_t ncases, acases;
	/* gl-container-scanning-report.json, written as vulnerabilities come */
	platci_fs_file *cs_file;
	platci_buf cs_mem;
	platci_jsonw csw;
	platci_scan_cs_options cs_opts;
	platci_diag *diag;
	void *regex; /* the CVSS vector checks, compiled once */
	platci__strmap vectors; /* vector -> valid (1) or not (0), checked once each */
	platci_sha256 *hash; /* kept for every vulnerability's stable id */
	platci_buf key, msg, waiver, scratch;
};

/* scan_map.c: util/strmap holding numbers; @p key must outlive the map (interned) */
int platci_scan__map_find(const platci__strmap *m, const char *key, size_t *val);
int platci_scan__map_put(platci__strmap *m, const char *key, size_t val);
const char *platci_scan__intern(platci_scan *s, const char *str);
/* 1 when the key was seen, else records it and returns 0. */
int platci_scan__seen_add(scan_seen *set, const char *key, size_t len);
void platci_scan__seen_dispose(scan_seen *set);

/* scan_report.c */
int platci_scan__report_finding(platci_scan *s, const scan_entry *e);
int platci_scan__report_vulnerability(platci_scan *s, const scan_entry *e);
int platci_scan__report_case(platci_scan *s, const scan_entry *e);
void platci_scan__report_top(platci_scan *s, const scan_entry *e);
int platci_scan__cs_open(platci_scan *s);
void platci_scan_cs_options_default(platci_scan_cs_options *o);
void platci_scan__cs_tail(const platci_scan *s, platci_jsonw *w, const platci_scan_cs_options *o);
void platci_scan__report_dispose(platci_scan *s);

/* scan_waiver.c */
/* platci's own waivers, in scan.yaml and in waiver files. */
extern const rf_table platci_scan__waiver_table;
/* A copy of a policy's waiver for one scan: strings stay the policy's, counters start at 0. */
int platci_scan__waiver_copy(scan_waiver *dst, const scan_waiver *src);
/* Reads a waiver file (any format) into @p s's waivers, strings in its arena. */
int platci_scan__waivers_load(platci_scan *s, const char *path, platci_diag *diag);
/* 1 when @p w covers @p e for @p env (expiry not considered). */
int platci_scan__waiver_matches(const scan_waiver *w, const scan_entry *e, const char *env);
/* The finding about an expired or stale waiver, if any (waiver.h). */
int platci_scan__waiver_report(const scan_waiver *w, const platci_scan *s, platci_findings *out);

#endif
