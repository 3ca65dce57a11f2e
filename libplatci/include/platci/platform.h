/**
 * @file platci/platform.h
 * @brief The platform at a glance: one model built from the report folders
 *        the other stages leave, rendered as a self-contained HTML page and
 *        as `platform.json`.
 *
 * A model is filled from two kinds of source:
 *
 * - report folders (platci_platform_add_reports()): the folder itself and
 *   the folders below it, three levels down, are searched for the reports
 *   the stages write under fixed names: `findings.json`, `drift.json`,
 *   `promotion.json`, `terraform-report.json`, `decision.json`,
 *   `gl-container-scanning-report.json` and `render.json`. Summaries,
 *   JUnit and Code Quality files, diffs and issue bodies are linked, not
 *   read;
 * - the repository (platci_platform_load_versions()): the version set of
 *   every environment of platci.yaml (platci/versions.h) and the difference
 *   of each with the environment it promotes from (platci_versions_diff()).
 *
 * A report that cannot be used (not JSON, truncated, another kind of file,
 * too large) does not stop the model: it becomes an input with the status
 * PLATCI_PLATFORM_UNREADABLE and its diagnostic. platci_platform_finish()
 * adds the reports that were expected and found nowhere as
 * PLATCI_PLATFORM_MISSING, so the page can say what it does not know.
 *
 * Long lists are cut to `max_list` rows per environment (the most severe
 * first) and say how many were left out, and a text longer than 2,000 bytes
 * in them is cut; counts always cover everything.
 * Every string from an input is HTML-escaped on the page; links to files
 * are relative, percent-encoded and start with `./`.
 */
#ifndef PLATCI_PLATFORM_H
#define PLATCI_PLATFORM_H

#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"

typedef struct platci_platform platci_platform;

/** What became of one input. */
typedef enum {
	PLATCI_PLATFORM_OK = 0, /**< read and used */
	PLATCI_PLATFORM_MISSING, /**< expected and found in no folder */
	PLATCI_PLATFORM_UNREADABLE, /**< found, but not usable: see its message */
	PLATCI_PLATFORM_SUPERSEDED /**< read, but a newer report of the same kind was used */
} platci_platform_status;

/** One input of the model. Strings are owned by the model. */
typedef struct platci_platform_input {
	const char *kind; /**< "findings", "drift", "promotion", "plan", "gate",
				   "container-scanning", "render", "versions" or "reports-folder" */
	const char *stage; /**< the stage that wrote it (validate, plan, gate...), or NULL */
	const char *env; /**< the environment it is about, or NULL */
	const char *file; /**< its path as read; for a missing input, the file name looked for */
	const char *link; /**< relative link from the output folder, or NULL */
	platci_platform_status status;
	const char *message; /**< why it is missing or unreadable (file:line:column), or NULL */
	time_t generated; /**< when it was written: the report's own time, else the file's; 0 unknown */
	int generated_from_file; /**< 1 when @p generated is the file's modification time */
} platci_platform_input;

typedef struct platci_platform_options {
	unsigned int version; /**< PLATCI_PLATFORM_OPTIONS_VERSION */
	const platci_config *config; /**< environments in promotion order; NULL: only the
					    environments the reports name, and no version matrix */
	const char *root; /**< repository root for version sets; NULL: the config's */
	const char *out_dir; /**< the folder the page is written to: links are relative
					    to it; NULL: the current directory */
	time_t now; /**< the clock for ages and waiver expiry */
	const char *project_url; /**< GitLab project web URL (http or https) for drift issue
					    links, or NULL */
	size_t max_list; /**< rows per environment in long lists; default 100 */
	unsigned int expiring_days; /**< a waiver ending within this many days is "expiring
					    soon"; default 14 */
	const char *title; /**< page title; default "platci: the platform" */
	size_t max_images; /**< images per environment in the page's vulnerability
					    table, the most vulnerable first; default 500
					    (platform.json has every image) */
} platci_platform_options;

#define PLATCI_PLATFORM_OPTIONS_VERSION 1
#define PLATCI_PLATFORM_OPTIONS_INIT \
	{ \
		PLATCI_PLATFORM_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL, 0 \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int)
platci_platform_options_init(platci_platform_options *opts, unsigned int version);

/**
 * Creates an empty model. The options are copied; the config, and the
 * strings they point to, are borrowed and must outlive the model.
 *
 * @param[out] out the model; free with platci_platform_free()
 * @return 0, PLATCI_EINVALID (options version, a project URL that is not
 *         http(s)) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_platform_new(platci_platform **out, const platci_platform_options *opts);

/** Frees @p p. NULL is a no-op. */
PLATCI_EXTERN(void) platci_platform_free(platci_platform *p);

/**
 * Reads every known report in @p dir and in the folders below it, three
 * levels down (in name order; hidden folders and symbolic links to folders
 * are skipped). The environment of a report comes from its content, else
 * from its folder's name (`plan-prd-uaenorth/` and `prd-uaenorth/gate/` are
 * about prd-uaenorth). When two
 * reports of one kind are about the same stage and environment, the newer
 * is used and the other is marked PLATCI_PLATFORM_SUPERSEDED.
 *
 * A report that cannot be used is recorded as unreadable, with its
 * diagnostic also added to @p diag as a warning; it is not an error here.
 *
 * @return 0; PLATCI_ENOTFOUND when @p dir is not a folder (recorded as an
 *         unreadable "reports-folder" input too); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_platform_add_reports(platci_platform *p, const char *dir, platci_diag *diag);

/**
 * Loads the version set of every environment of the config and compares
 * each with the one it promotes from. An environment whose files cannot be
 * read is recorded as an unreadable "versions" input (and a warning in
 * @p diag), and its column says so. Without a config this does nothing.
 * Call at most once, before platci_platform_finish().
 *
 * @return 0, PLATCI_EINVALID (called twice or after finishing) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_platform_load_versions(platci_platform *p, platci_diag *diag);

/**
 * Names the reports that were expected and not found (for each environment
 * of the config: its plan, gate, scan and drift reports and, when it
 * promotes from another, the promotion; once: the validate findings and
 * render.json), then orders everything for rendering. Call once, after the
 * last add; the model is read-only afterwards.
 *
 * @return 0, PLATCI_EINVALID (called twice) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_platform_finish(platci_platform *p);

/** Number of inputs (read, missing, unreadable or superseded). */
PLATCI_EXTERN(size_t) platci_platform_input_count(const platci_platform *p);

/** Input @p i (borrowed, valid until the model is freed), or NULL when out of range. */
PLATCI_EXTERN(const platci_platform_input *)
platci_platform_input_at(const platci_platform *p, size_t i);

/** Number of inputs with the status @p status. */
PLATCI_EXTERN(size_t)
platci_platform_status_count(const platci_platform *p, platci_platform_status status);

/** "ok", "missing", "unreadable", "superseded"; "?" otherwise. */
PLATCI_EXTERN(const char *) platci_platform_status_name(platci_platform_status status);

/**
 * Renders `index.html`: one self-contained page (inline style and a small
 * inline script for sorting; no external resource of any kind) that shows
 * everything without the script. @return 0, PLATCI_EINVALID (not finished)
 * or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_platform_render_html(platci_buf *out, const platci_platform *p);

/**
 * Renders `platform.json`, the same data for machines (schema:
 * docs/platform.schema.json). @return 0, PLATCI_EINVALID (not finished) or
 * PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_platform_render_json(platci_buf *out, const platci_platform *p);

PLATCI_END_DECL

#endif
