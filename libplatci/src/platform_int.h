/*
 * The platform model's insides, shared by platform*.c.
 *
 * Every report read becomes a record tied to its input. Records are kept
 * apart until platci_platform_finish(), which picks one record per kind,
 * stage and environment (the newest), marks the others superseded and
 * merges the winners into the per-environment view the renderers walk.
 * That way two copies of one report never count twice, whatever the
 * order the folders were read in.
 */
#ifndef PLATCI_PLATFORM_INT_H
#define PLATCI_PLATFORM_INT_H

#include <stdint.h>

#include "platci/json.h"
#include "platci/platform.h"
#include "platci/versions.h"
#include "util/arena.h"

#define PF_NONE SIZE_MAX

/* Severities of vulnerabilities, most severe first (the page's column order). */
enum { PF_CRITICAL, PF_HIGH, PF_MEDIUM, PF_LOW, PF_UNKNOWN, PF_NSEV };

/* ---- capped lists: the most severe rows, with a count of the rest ----- */

#define PF_FIELDS 8
#define PF_FIELD_MAX 2000 /* bytes of one field kept for the page; longer ones end in "..." */

typedef struct pf_row {
	int rank; /* higher is shown first and kept first */
	size_t line;
	size_t seq; /* arrival order: ties keep the first seen */
	char *block; /* one allocation holding every field */
	const char *f[PF_FIELDS];
} pf_row;

typedef struct pf_top {
	pf_row *rows;
	size_t n, alloc, max;
	size_t offered; /* every row offered, kept or not */
	size_t seq;
} pf_top;

/* Offers a row; fields may be NULL. Kept when there is room or it outranks the weakest. */
int platci_platform__top_add(pf_top *t, int rank, size_t line, const char *const *f);
/* Moves @p row into @p t (the row's block is taken over or freed). */
int platci_platform__top_take(pf_top *t, pf_row *row);
void platci_platform__top_sort(pf_top *t);
void platci_platform__top_dispose(pf_top *t);

/* ---- findings ---------------------------------------------------------- */

/* Row fields of a finding. */
enum {
	PFF_STAGE,
	PFF_RULE,
	PFF_SEVERITY,
	PFF_ENFORCEMENT,
	PFF_MESSAGE,
	PFF_FILE,
	PFF_WAIVER,
	PFF_LINK
};

typedef struct pf_rule {
	const char *stage, *rule;
	size_t deny, warn, waived;
} pf_rule;

typedef struct pf_findings {
	size_t total, deny, warn, waived;
	pf_rule *rules; /* sorted by stage, rule */
	size_t nrules, arules;
	pf_top top;
} pf_findings;

/* Per image: severities as the container scanning report gives them, and waivers. */
typedef struct pf_vuln {
	const char *image;
	size_t sev[PF_NSEV];
	size_t fixable, waived, expiring;
} pf_vuln;

typedef struct pf_vulns {
	pf_vuln *v; /* sorted by image */
	size_t n, alloc;
} pf_vulns;

/* Findings of one environment (or none) within one findings.json. */
typedef struct pf_fbucket {
	const char *env; /* the finding's own env; NULL: the report's */
	pf_findings f;
} pf_fbucket;

/* ---- records, one per report read --------------------------------------- */

typedef struct pf_frec { /* findings.json */
	size_t input;
	const char *stage, *env;
	pf_fbucket *b;
	size_t nb, ab;
	pf_vulns waived; /* scan: waived vulnerabilities per image (waived, expiring) */
	size_t expired_waivers;
	int used;
} pf_frec;

typedef struct pf_csrec { /* gl-container-scanning-report.json */
	size_t input;
	const char *env; /* NULL until known: the folder's name is tried again at the end */
	const char *folder;
	pf_vulns vulns;
	size_t total;
	int used;
} pf_csrec;

/* Row fields of a drift item. */
enum {
	PFD_SOURCE,
	PFD_CATEGORY,
	PFD_IDENTITY,
	PFD_ACTION,
	PFD_REASON,
	PFD_MESSAGE,
	PFD_IGNORED,
	PFD_FILE
};

enum {
	PFD_N_TF_CHECKED,
	PFD_N_FLUX_CHECKED,
	PFD_N_TF_DRIFT,
	PFD_N_FLUX_DRIFT,
	PFD_N_PENDING,
	PFD_N_NOTICES,
	PFD_N_IGNORED,
	PFD_N_EXPIRED,
	PFD_NCOUNTS
};

typedef struct pf_driftrec {
	size_t input;
	const char *env;
	int drift;
	size_t counts[PFD_NCOUNTS];
	pf_top items;
	const char *issue_md; /* link to a non-empty drift-issue.md beside it, or NULL */
	int used;
} pf_driftrec;

typedef struct pf_outcome {
	const char *id, *outcome, *reason;
} pf_outcome;

enum {
	PFP_ADD,
	PFP_CHANGE,
	PFP_DESTROY,
	PFP_REPLACE,
	PFP_IMPORT,
	PFP_MOVE,
	PFP_FORGET,
	PFP_NCOUNTS
};

typedef struct pf_gaterec { /* decision.json */
	size_t input;
	const char *env, *decision, *commit;
	long long counts[PFP_NCOUNTS];
	int has_counts;
	pf_outcome *rules; /* rules that did not pass */
	size_t nrules;
	int used;
} pf_gaterec;

typedef struct pf_planrec { /* terraform-report.json */
	size_t input;
	const char *env; /* NULL until known, as for pf_csrec */
	const char *folder;
	long long create, update, del;
	int used;
} pf_planrec;

typedef struct pf_promorec { /* promotion.json */
	size_t input;
	const char *from, *to, *reason, *rollback_to;
	int forced;
	size_t changes, not_promoted;
	const char **refusals;
	size_t nrefusals;
	const char *diff_link, *summary_link;
	int used;
} pf_promorec;

/* ---- environments and the version matrix -------------------------------- */

typedef struct pf_env {
	const char *name;
	const char *promote_from;
	int is_protected;
	int in_config;
	pf_findings findings;
	pf_vulns vulns;
	size_t scan_input, waiver_input; /* PF_NONE when none */
	size_t expired_waivers;
	pf_driftrec *drift;
	pf_gaterec *gate;
	pf_planrec *plan;
	platci_versions *versions;
	int versions_state; /* 0 not loaded, 1 read, -1 unreadable */
} pf_env;

/* Marks of one pin in one environment. */
enum {
	PF_AHEAD = 1, /* differs from the environment after it: waiting to be promoted */
	PF_BEHIND = 2, /* differs from the environment before it */
	PF_NEW = 4, /* only here, not in the environment after it */
	PF_AMBIG = 8 /* several values here for one key */
};

typedef struct pf_pin {
	const char *key, *kind, *name, *field;
	const char **values; /* [matrix_envs], NULL when absent; borrowed from the sets */
	unsigned char *marks; /* [matrix_envs] */
} pf_pin;

typedef struct pf_app {
	const char *name;
	pf_pin *pins; /* sorted by key */
	size_t npins, apins;
	size_t pending; /* pins marked ahead anywhere */
} pf_app;

typedef struct pf_pending {
	size_t from, to; /* environment indexes */
	const char *key, *app, *old, *new_value, *file;
	size_t line;
} pf_pending;

typedef struct pf_artifact {
	const char *stage, *env, *name, *link;
} pf_artifact;

struct platci_platform {
	platci_platform_options opts;
	char *out_abs; /* realpath of the output folder, or NULL: no links */
	platci_arena arena;
	int finished;

	platci_platform_input *inputs;
	size_t ninputs, ainputs;
	pf_artifact *artifacts;
	size_t nartifacts, aartifacts;

	pf_env *envs;
	size_t nenvs, aenvs;
	pf_findings noenv; /* findings about no environment */

	pf_frec *frecs;
	size_t nfrecs, afrecs;
	pf_csrec *csrecs;
	size_t ncsrecs, acsrecs;
	pf_driftrec *driftrecs;
	size_t ndriftrecs, adriftrecs;
	pf_gaterec *gaterecs;
	size_t ngaterecs, agaterecs;
	pf_planrec *planrecs;
	size_t nplanrecs, aplanrecs;
	pf_promorec *promorecs;
	size_t npromorecs, apromorecs;

	size_t matrix_envs; /* config environments: the matrix columns */
	int versions_loaded;
	pf_app *apps; /* sorted by name */
	size_t napps, aapps;
	pf_pending *pending;
	size_t npending, apending;
};

/* Appends a zeroed record to p->arr (count p->n, allocated p->a); NULL when out of memory. */
#define PF_NEW_REC(p, arr, n, a) \
	(platci__grow_array((void **)&(p)->arr, &(p)->a, (p)->n + 1, sizeof(*(p)->arr)) < 0 \
			? NULL \
			: (memset(&(p)->arr[(p)->n], 0, sizeof(*(p)->arr)), &(p)->arr[(p)->n++]))

/* platform.c */
const char *platci_platform__str(platci_platform *p, const char *s);
const char *platci_platform__strn(platci_platform *p, const char *s, size_t n);
/* Index of the environment @p name; creates it (not in config) when @p create. PF_NONE otherwise. */
size_t platci_platform__env(platci_platform *p, const char *name, int create);
/* Adds an input; returns its index or PF_NONE (out of memory). */
size_t platci_platform__input(platci_platform *p, const char *kind, const char *stage,
	const char *env, const char *file, platci_platform_status status, const char *message);
void platci_platform__url_encode(platci_buf *out, const char *s, int keep_slash);
/* A link from the output folder to @p path, or NULL. */
const char *platci_platform__link(platci_platform *p, const char *path);
int platci_platform__artifact(platci_platform *p, const char *stage, const char *env,
	const char *name, const char *path);
/* Finds or inserts @p key in a sorted array; *@p at receives the index. 1 when inserted. */
int platci_platform__vuln_at(platci_platform *p, pf_vulns *v, const char *image, size_t *at);
int platci_platform__findings_merge(platci_platform *p, pf_findings *dst, pf_findings *src);
int platci_platform__findings_add(platci_platform *p, pf_findings *f, const char *stage, const char *rule,
	const char *severity, const char *enforcement, int waived, const char *const *row);
void platci_platform__findings_dispose(pf_findings *f);

/* platform_read.c */
const char *platci_platform__folder_env(const platci_platform *p, const char *base);

/* platform_stream.c */
int platci_platform__read_findings(platci_platform *p, size_t input, const char *path,
	const char *folder_env, platci_diag *diag);
int platci_platform__read_drift(platci_platform *p, size_t input, const char *path, platci_diag *diag);
int platci_platform__read_cs(platci_platform *p, size_t input, const char *path, const char *env,
	const char *folder, platci_diag *diag);
/* Marks input @p input unreadable with the last diagnostic of @p diag (or @p fallback). */
int platci_platform__unreadable(platci_platform *p, size_t input, const platci_diag *local,
	const char *fallback, platci_diag *diag);

/* platform_versions.c */
int platci_platform__versions(platci_platform *p, platci_diag *diag);
void platci_platform__versions_dispose(platci_platform *p);

/* platform_finish.c */
int platci_platform__resolve(platci_platform *p);

/* platform_html.c: escaped text, links, times and the environment filter attribute */
void platci_platform__esc(platci_buf *out, const char *s);
void platci_platform__a(platci_buf *out, const char *href, const char *text);
void platci_platform__time(platci_buf *out, time_t t);
void platci_platform__env_attr(platci_buf *out, const platci_platform *p, const char *env);

/*
 * Long tables are cut into chunks of PF_CHUNK_ROWS rows, one table each,
 * that share a class, a data-g group (the sort script sorts a group as one
 * table) and fixed column widths; each chunk is laid out only when it
 * scrolls into view (content-visibility), which keeps 8,000-row pages
 * quick to open.
 */
#define PF_CHUNK_ROWS 100

typedef struct pf_chunks {
	platci_buf *out;
	const char *group; /* a plain word: class and data-g of every chunk */
	const char *head; /* <colgroup> and <thead> of each chunk */
	size_t rows;
} pf_chunks;

/* Call before each row. */
void platci_platform__chunk_row(pf_chunks *c);
/* Closes the last chunk (writes an empty table when there were no rows). */
void platci_platform__chunk_end(pf_chunks *c);

/* platform_html_sections.c */
void platci_platform__html_versions(platci_buf *out, const platci_platform *p);
void platci_platform__html_drift(platci_buf *out, const platci_platform *p);
void platci_platform__html_plans(platci_buf *out, const platci_platform *p);
void platci_platform__html_vulns(platci_buf *out, const platci_platform *p);
void platci_platform__html_findings(platci_buf *out, const platci_platform *p);

/* shared by the renderers */
/* Severity rank of a Code Quality severity name (info 0 ... blocker 4), -1 unknown. */
int platci_platform__cq_rank(const char *severity);
/* "3 h", "2 d": the age of @p t at the model's clock, or "" when unknown. */
void platci_platform__age(char *buf, size_t n, time_t now, time_t t);

#endif
