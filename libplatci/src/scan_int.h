/* Private to the scan module: the policy, waivers and stored findings. */
#ifndef PLATCI_SCAN_INT_H
#define PLATCI_SCAN_INT_H

#include "platci/scan.h"
#include "platci/doc.h"
#include "util/arena.h"

#define SCAN_STATUS_COUNT 8

/* Rules where every field may be left unset, so overrides layer. */
typedef struct scan_rules_set {
	platci_scan_rules r;
	int has_fail, has_report, has_unfixed, has_statuses, has_cvss;
} scan_rules_set;

typedef struct scan_override {
	char *match;      /* image glob */
	char **envs;      /* NULL-terminated, or NULL: every environment */
	scan_rules_set rules;
} scan_override;

typedef enum {
	WAIVER_TRIVYIGNORE = 0,
	WAIVER_TRIVYIGNORE_YAML,
	WAIVER_GITLAB,
	WAIVER_PLATCI
} waiver_format;

typedef struct scan_waiver {
	waiver_format format;
	char *source;        /* file it came from */
	size_t line;
	char *id;
	unsigned int kinds;  /* bit per platci_trivy_kind */
	char *image;         /* platci: glob; GitLab: substring of the image; NULL any */
	char *package;       /* platci: package name */
	char **paths;        /* .trivyignore.yaml: globs over target or package path */
	char **purls;        /* .trivyignore.yaml */
	char **envs;         /* platci */
	time_t expires;      /* 0: never; stops applying at this instant */
	char *expires_text;
	char *reason, *owner, *statement;
	size_t seen;         /* findings in the input it matches, whatever the policy did */
	size_t matched;      /* findings it covered */
	size_t matched_expired; /* findings it would have covered had it not expired */
} scan_waiver;

struct platci_scan_policy {
	char *path;
	scan_rules_set defaults;
	char **env_names;
	scan_rules_set *env_rules;
	size_t nenvs;
	scan_override *overrides;
	size_t noverrides;
	scan_waiver *waivers;
	size_t nwaivers;
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

/* scan_policy.c */
int scan_parse_date(time_t *out, const char *s);
int scan_str_list(char ***out, const platci_node *n, const char *name, const char *what,
	platci_diag *diag);
void scan_str_list_free(char **list);
int scan_yaml_error(platci_diag *diag, const char *file, const platci_node *n, int code,
	const char *fmt, ...) PLATCI_PRINTF(5, 6);
int scan_parse_waiver_platci(scan_waiver *w, const char *file, const platci_node *n,
	platci_diag *diag);

/* scan_waiver.c */
void scan_waiver_dispose(scan_waiver *w);
int scan_waiver_copy(scan_waiver *dst, const scan_waiver *src);
int scan_waivers_load(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	platci_diag *diag);
/* 1 when @p w covers @p e for @p env (expiry not considered). */
int scan_waiver_matches(const scan_waiver *w, const scan_entry *e, const char *env);

#endif
