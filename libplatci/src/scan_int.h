/* Private to the scan module: the policy, waivers and stored findings. */
#ifndef PLATCI_SCAN_INT_H
#define PLATCI_SCAN_INT_H

#include "platci/scan.h"
#include "platci/doc.h"
#include "util/arena.h"
#include "waiver.h"

#define SCAN_STATUS_COUNT 8

/* Rules where every field may be left unset, so overrides layer. */
typedef struct scan_rules_set {
	platci_scan_rules r;      /* ignore_unfixed and cvss_floor below 0: unset */
	int has_fail, has_report, has_statuses;
} scan_rules_set;

typedef struct scan_env {
	const char *name;
	scan_rules_set rules;
} scan_env;

typedef struct scan_override {
	const char *match;        /* image glob */
	rf_strs envs;             /* items NULL: every environment */
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
	unsigned int kinds;  /* bit per platci_trivy_kind */
	const char *image;   /* platci: glob; GitLab: substring of the image; NULL any */
	const char *package; /* platci: package name */
	rf_strs paths;       /* .trivyignore.yaml: globs over target or package path */
	rf_strs purls;       /* .trivyignore.yaml */
	rf_strs envs;        /* platci */
	const char *statement;
} scan_waiver;

struct platci_scan_policy {
	platci_doc *doc;     /* the strings are the document's */
	platci_arena arena;
	const char *path;
	scan_rules_set defaults;
	rf_list envs;        /* of scan_env */
	rf_list overrides;   /* of scan_override */
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

/* One unique finding; strings are interned in the run's arena. */
typedef struct scan_entry {
	platci_trivy_kind kind;
	platci_trivy_severity severity;
	const char *id, *alias, *pkg, *version, *fixed, *pkg_path, *purl, *status;
	const char *title, *description, *url, *category;
	const char *cvss_vendor, *cvss_v3, *cvss_v2;
	const char **refs;
	size_t nrefs;
	double cvss;
	int fixable;
	const char *target, *image, *os, *resource, *report;
	int target_is_file;   /* Target names a file of the scanned repository */
	size_t start_line, line;
	const char *key;
	size_t seen;          /* how many entries folded into this one */
	entry_state state;
	int failing;
	const scan_waiver *waiver;
} scan_entry;

/* String -> index map with open addressing. */
typedef struct scan_map {
	const char **keys;
	size_t *vals;
	size_t *hashes;   /* compared before the strings: most probes then skip strcmp */
	size_t cap, len;
} scan_map;

struct platci_scan {
	const platci_scan_policy *policy;
	platci_scan_options opts;
	platci_arena arena;
	scan_map interned;
	scan_map index;      /* dedupe key -> entry */
	scan_map advisories; /* vulnerability id -> first entry: its texts are shared */
	scan_entry *entries;
	size_t nentries, aentries;
	scan_waiver *waivers; /* the policy's, then added files' */
	size_t nwaivers, awaivers;
	size_t nown;         /* leading waivers borrowed from the policy */
	platci_scan_image *images;
	size_t nimages;
	platci_scan_totals totals;
	const char *current_report;
	char trivy_version[32];
	int finished;
};

/* scan_map.c */
int scan_map_find(const scan_map *m, const char *key, size_t *val);
int scan_map_put(scan_map *m, const char *key, size_t val);
void scan_map_dispose(scan_map *m);
const char *scan_intern(platci_scan *s, const char *str);

/* scan_waiver.c */
/* platci's own waivers, in scan.yaml and in waiver files. */
extern const rf_table platci_scan__waiver_table;
/* A copy of a policy's waiver for one scan: strings stay the policy's, counters start at 0. */
int scan_waiver_copy(scan_waiver *dst, const scan_waiver *src);
/* Reads a waiver file (any format) into @p s's waivers, strings in its arena. */
int scan_waivers_load(platci_scan *s, const char *path, platci_diag *diag);
/* 1 when @p w covers @p e for @p env (expiry not considered). */
int scan_waiver_matches(const scan_waiver *w, const scan_entry *e, const char *env);
/* The finding about an expired or stale waiver, if any (waiver.h). */
int scan_waiver_report(const scan_waiver *w, const platci_scan *s, platci_findings *out);

#endif
