/**
 * @file platci/tfplan.h
 * @brief Terraform plan JSON (`terraform show -json PLANFILE`): a streaming
 *        reader and a bounded summary model.
 *
 * The reader makes one pass over the bytes through platci/json_stream.h
 * and keeps only what a summary needs: counts per action, the Terraform
 * plan flags (`errored`, `applyable`, `complete`), a capped list of the
 * changed resources with their already-redacted attribute changes, per
 * resource type tallies of destructive changes, outputs, variables and
 * checks. Memory does not grow with the plan: past the caps, entries are
 * counted, not kept.
 *
 * Input hygiene is part of reading: a UTF-8 byte-order mark is skipped,
 * UTF-16 with a byte-order mark is transcoded, UTF-32 and UTF-16 without
 * a mark are refused, a setup-terraform wrapper's `[command]...` line
 * before the JSON is skipped with a warning, and empty, truncated, non-JSON
 * and non-plan inputs are refused with a message that says what was found.
 * `format_version` (or HCP's `plan_format_version`) must have major 0 or 1.
 *
 * Secrets: plan JSON carries sensitive values in clear text. Nothing this
 * module hands out (attribute changes, outputs, variables, rendered text)
 * holds a value that `before_sensitive` / `after_sensitive`, a sensitive
 * output or a sensitive variable marks; they are replaced by
 * PLATCI_REDACTED (platci/redact.h). The raw `change` object given to a
 * callback is the one exception and is documented as such.
 */
#ifndef PLATCI_TFPLAN_H
#define PLATCI_TFPLAN_H

#include <jansson.h>
#include "buf.h"
#include "diag.h"
#include "findings.h"
#include "redact.h"

/** The nine action lists Terraform writes, plus one for anything else. */
typedef enum {
	PLATCI_TFPLAN_NOOP = 0, /**< `["no-op"]` (also a pure move) */
	PLATCI_TFPLAN_CREATE, /**< `["create"]` */
	PLATCI_TFPLAN_READ, /**< `["read"]` (data sources) */
	PLATCI_TFPLAN_UPDATE, /**< `["update"]` */
	PLATCI_TFPLAN_DELETE, /**< `["delete"]` */
	PLATCI_TFPLAN_DELETE_THEN_CREATE, /**< `["delete","create"]`: replace */
	PLATCI_TFPLAN_CREATE_THEN_DELETE, /**< `["create","delete"]`: replace, create_before_destroy */
	PLATCI_TFPLAN_FORGET, /**< `["forget"]`: leaves state, not destroyed */
	PLATCI_TFPLAN_CREATE_THEN_FORGET, /**< `["create","forget"]` */
	PLATCI_TFPLAN_OTHER /**< an action list this version does not know */
} platci_tfplan_action;

/** Where an entry came from. */
typedef enum {
	PLATCI_TFPLAN_CHANGE = 0, /**< `resource_changes[*]` */
	PLATCI_TFPLAN_DRIFT = 1, /**< `resource_drift[*]` */
	PLATCI_TFPLAN_DEFERRED = 2 /**< `deferred_changes[*].resource_change` */
} platci_tfplan_source;

/**
 * One resource instance change, as handed to a callback. Every pointer
 * is borrowed and valid during the callback only.
 */
typedef struct platci_tfplan_change {
	platci_tfplan_source source;
	const char *address; /**< never NULL ("" when the plan lacks it) */
	const char *previous_address; /**< set when a `moved` block changed the address */
	const char *module_address; /**< NULL for the root module */
	const char *mode; /**< "managed", "data", or NULL */
	const char *type; /**< resource type, e.g. azurerm_key_vault; "" when absent */
	const char *name;
	const char *provider_name;
	const char *deposed; /**< deposed key, or NULL */
	const char *action_reason; /**< e.g. replace_because_cannot_update, or NULL */
	const char *deferred_reason; /**< for PLATCI_TFPLAN_DEFERRED, or NULL */
	platci_tfplan_action action;
	const char *actions_text; /**< the list as written, e.g. "delete, create" */
	int importing; /**< 1 when the change also imports */
	const char *import_id; /**< `importing.id`, or NULL */
	const json_t *replace_paths; /**< array of paths that forced replacement, or NULL */
	/**
	 * The raw `change` object: NOT redacted. Use platci_tfplan_change_diff()
	 * to look at values; never print this. It holds the members platci
	 * reads (actions, before, after, after_unknown, before_sensitive,
	 * after_sensitive, importing, replace_paths); the values are read only
	 * for entries whose action changes something (not no-op), so for a
	 * no-op entry it may hold the actions alone. NULL when the entry has no
	 * `change`.
	 */
	const json_t *change;
	size_t line; /**< line where the entry ends in the input */
	/**
	 * `change.after` as its JSON text, as the input has it (NOT redacted,
	 * not NUL-terminated; checked as JSON, its keys not checked for
	 * repeats), when the options asked for it (PLATCI_TFPLAN_VALUES_AFTER_TEXT)
	 * and `after` is an object or an array; `change` then has no `after`.
	 * NULL otherwise.
	 */
	const char *after_text;
	size_t after_text_len;
} platci_tfplan_change;

/** Called for each entry; return 0 to go on or a negative PLATCI_E* to stop. */
typedef int (*platci_tfplan_change_cb)(const platci_tfplan_change *change, void *payload);

/**
 * Called for each resource instance in `prior_state` (the root module and
 * child modules up to three levels deep), with its address and mode
 * ("managed", "data", or NULL when the plan does not say). Strings are
 * borrowed for the call. Return 0 to go on or a negative PLATCI_E*.
 */
typedef int (*platci_tfplan_state_cb)(const char *address, const char *mode, void *payload);

/** Counts over `resource_changes` (deferred changes are counted apart). */
typedef struct platci_tfplan_counts {
	size_t add; /**< create + both replace orders + create-then-forget */
	size_t change; /**< update */
	size_t destroy; /**< delete + both replace orders */
	size_t replace; /**< both replace orders */
	size_t forget; /**< forget + create-then-forget */
	size_t import; /**< `importing` set */
	size_t move; /**< `previous_address` set */
	size_t read; /**< read (data sources) */
	size_t noop; /**< no-op */
	size_t other; /**< action lists not known to this version */
	size_t resources; /**< entries in resource_changes */
	size_t drift; /**< entries in resource_drift */
	size_t deferred; /**< entries in deferred_changes */
	/** GitLab's widget counts: flattened action strings, as its jq expression counts. */
	size_t widget_create, widget_update, widget_delete;
} platci_tfplan_counts;

/** Check results from `checks` (and the older `condition_results`). */
typedef struct platci_tfplan_check_counts {
	size_t pass, fail, error, unknown;
} platci_tfplan_check_counts;

/** One kept resource entry of the summary (borrowed from the plan). */
typedef struct platci_tfplan_entry {
	platci_tfplan_source source;
	const char *address;
	const char *previous_address;
	const char *type;
	const char *action_reason;
	const char *actions_text;
	const char *import_id;
	const char *replace_paths; /**< rendered, e.g. `triggers_replace`, `tags["env"]`; or NULL */
	const char *deferred_reason;
	platci_tfplan_action action;
	int importing;
	const char *diff_md; /**< redacted attribute changes as Markdown lines, or NULL */
	size_t diff_changes; /**< changed leaves found (some may not be in diff_md) */
} platci_tfplan_entry;

/** Destructive changes per resource type. */
typedef struct platci_tfplan_type_tally {
	const char *type;
	size_t deletes; /**< plain deletes */
	size_t replaces; /**< replaces (either order) */
} platci_tfplan_type_tally;

/** A failed or errored check (borrowed). */
typedef struct platci_tfplan_check_problem {
	const char *address; /**< `to_display` of the check or instance */
	const char *kind; /**< resource, output_value, check */
	const char *status; /**< fail, error */
	const char *message; /**< first problem message, or NULL */
} platci_tfplan_check_problem;

typedef struct platci_tfplan platci_tfplan;

/** Reader options. */
typedef struct platci_tfplan_options {
	unsigned int version; /**< PLATCI_TFPLAN_OPTIONS_VERSION */
	const char *name; /**< file name for diagnostics, or NULL */
	platci_tfplan_change_cb on_change; /**< each resource_changes / deferred entry, or NULL */
	platci_tfplan_change_cb on_drift; /**< each resource_drift entry, or NULL */
	void *payload; /**< passed to the callbacks */
	size_t max_entries; /**< resource entries kept in the model; default 5,000 */
	size_t max_diff_bytes; /**< rendered diff text kept in total; default 300,000 */
	size_t max_diff_per_entry; /**< diff text per entry; default 4,000 */
	int strict_wrapper; /**< non-zero: refuse a `[command]` line instead of skipping it */
	platci_tfplan_state_cb on_state; /**< each prior_state resource, or NULL (not read then) */
	/**
	 * Non-zero: hash every byte fed, as it is fed (platci_tfplan_input_sha256()).
	 * A caller that records what it read hashes the bytes it judged, with no
	 * second read of a file that may have changed in between.
	 */
	int hash_input;
	/**
	 * PLATCI_TFPLAN_VALUES_* flags: how callbacks get the values of an
	 * entry the summary does not show with its diff (for an entry it shows,
	 * every member is built anyway). Building every change's values as
	 * jansson trees costs more than reading a large plan; a callback that
	 * reads less says so here. 0: every member, built.
	 */
	unsigned int callback_values;
} platci_tfplan_options;

/** callback_values: no `before` and no `before_sensitive` (a callback that judges only the result). */
#define PLATCI_TFPLAN_VALUES_NO_BEFORE 1u
/** callback_values: an object or array `after` as its text (platci_tfplan_change.after_text). */
#define PLATCI_TFPLAN_VALUES_AFTER_TEXT 2u

/*
 * 2 added hash_input, 3 callback_values; a caller built with an older
 * version passes the shorter layout.
 */
#define PLATCI_TFPLAN_OPTIONS_VERSION 3
#define PLATCI_TFPLAN_OPTIONS_INIT \
	{ \
		PLATCI_TFPLAN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, 0, 0 \
	}

typedef struct platci_tfplan_reader platci_tfplan_reader;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_tfplan_options_init(platci_tfplan_options *opts, unsigned int version);

/**
 * Reads the plan JSON file @p path ("-" for standard input).
 *
 * Callbacks in @p opts may run before an error is found later in the
 * input; on failure discard what they collected.
 *
 * @param[out] out the summary; free with platci_tfplan_free(). NULL on failure.
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (not
 *         JSON, empty, truncated, an unsupported encoding, text before or
 *         after the document); PLATCI_EDATA (JSON but not a plan);
 *         PLATCI_EVERSION (format_version 2.x or later); PLATCI_ELIMIT;
 *         PLATCI_ENOMEM; or a callback's code. Each failure adds a
 *         diagnostic saying what was found, with line and column.
 */
PLATCI_EXTERN(int)
platci_tfplan_read_file(platci_tfplan **out, const char *path, const platci_tfplan_options *opts,
	platci_diag *diag);

/** Reads a plan held in memory. Same as platci_tfplan_read_file(). */
PLATCI_EXTERN(int)
platci_tfplan_read_buffer(platci_tfplan **out, const char *data, size_t len,
	const platci_tfplan_options *opts, platci_diag *diag);

/**
 * Incremental reading, for plans that arrive in blocks (from an archive
 * member, a pipe). Create, feed, then finish to get the summary.
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_tfplan_reader_new(platci_tfplan_reader **out, const platci_tfplan_options *opts);

/** Feeds the next @p len bytes. @return as platci_tfplan_read_file(). */
PLATCI_EXTERN(int)
platci_tfplan_reader_feed(platci_tfplan_reader *r, const void *data, size_t len, platci_diag *diag);

/**
 * Ends the input and hands over the summary.
 * @param[out] out the summary; free with platci_tfplan_free().
 * @return as platci_tfplan_read_file().
 */
PLATCI_EXTERN(int)
platci_tfplan_reader_finish(platci_tfplan **out, platci_tfplan_reader *r, platci_diag *diag);

/** Frees a reader. NULL is a no-op. */
PLATCI_EXTERN(void) platci_tfplan_reader_free(platci_tfplan_reader *r);

/** Frees a summary. NULL is a no-op. */
PLATCI_EXTERN(void) platci_tfplan_free(platci_tfplan *plan);

/**
 * The SHA-256 (lower-case hex) of every byte the reader was fed, as given
 * (before a byte-order mark, UTF-16 or a wrapper line was dealt with).
 * @return the digest, or NULL when the options did not ask for it.
 */
PLATCI_EXTERN(const char *) platci_tfplan_input_sha256(const platci_tfplan *plan);

/**
 * Reports the attribute changes of @p change, redacted: values that
 * `before_sensitive` / `after_sensitive` mark are PLATCI_REDACTED and
 * values `after_unknown` marks are PLATCI_UNKNOWN. An unmarked value that
 * holds a string the markers of the same change hide is masked too:
 * Terraform writes such copies (terraform_data's `output` repeats a
 * sensitive `input` without a marker). Works for every source (changes,
 * drift, deferred).
 *
 * @return 0, PLATCI_ENOMEM, or the callback's non-zero value.
 */
PLATCI_EXTERN(int)
platci_tfplan_change_diff(const platci_tfplan_change *change, platci_value_change_cb cb, void *payload);

/**
 * Masks in @p text every string that a sensitive marker, a sensitive
 * output or a sensitive variable anywhere in the plan hid (as written, and
 * as it appears escaped in JSON or Markdown), replacing it with
 * PLATCI_REDACTED. Everything this module renders is masked this way; a
 * caller that renders values of its own (from platci_tfplan_change_diff())
 * masks them too, once the whole plan is read.
 *
 * @return 0 when nothing was masked, 1 when something was, or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_tfplan_mask(const platci_tfplan *plan, platci_buf *text);

/** The `format_version` (or `plan_format_version`) as written. Never NULL. */
PLATCI_EXTERN(const char *) platci_tfplan_format_version(const platci_tfplan *plan);

/** `terraform_version`, or NULL when the plan does not say. */
PLATCI_EXTERN(const char *) platci_tfplan_terraform_version(const platci_tfplan *plan);

/** `errored`, `applyable`, `complete`: 1, 0, or -1 when the plan lacks the key. */
PLATCI_EXTERN(int) platci_tfplan_errored(const platci_tfplan *plan);
PLATCI_EXTERN(int) platci_tfplan_applyable(const platci_tfplan *plan);
PLATCI_EXTERN(int) platci_tfplan_complete(const platci_tfplan *plan);

/** 1 when the plan has no `resource_changes` key (a refresh-only plan). */
PLATCI_EXTERN(int) platci_tfplan_refresh_only(const platci_tfplan *plan);

/**
 * Copies the counts into @p out.
 * @return 0, or PLATCI_EINVALID when @p out or @p plan is NULL.
 */
PLATCI_EXTERN(int) platci_tfplan_totals(platci_tfplan_counts *out, const platci_tfplan *plan);

/** Check results (borrowed), or NULL when @p plan is NULL. */
PLATCI_EXTERN(const platci_tfplan_check_counts *) platci_tfplan_checks(const platci_tfplan *plan);

/** Kept entries: destructive ones first, then in plan order. */
PLATCI_EXTERN(size_t) platci_tfplan_entry_count(const platci_tfplan *plan);
PLATCI_EXTERN(const platci_tfplan_entry *)
platci_tfplan_entry_at(const platci_tfplan *plan, size_t i);
/** Entries that were counted but not kept (past max_entries). */
PLATCI_EXTERN(size_t) platci_tfplan_entries_dropped(const platci_tfplan *plan);

/** Destructive changes per resource type, sorted by type. */
PLATCI_EXTERN(size_t) platci_tfplan_type_count(const platci_tfplan *plan);
PLATCI_EXTERN(const platci_tfplan_type_tally *)
platci_tfplan_type_at(const platci_tfplan *plan, size_t i);

/** Failed and errored checks (capped at 100). */
PLATCI_EXTERN(size_t) platci_tfplan_problem_count(const platci_tfplan *plan);
PLATCI_EXTERN(const platci_tfplan_check_problem *)
platci_tfplan_problem_at(const platci_tfplan *plan, size_t i);

/** Lower-case name of an action list, e.g. "replace (delete first)". */
PLATCI_EXTERN(const char *) platci_tfplan_action_name(platci_tfplan_action a);

/** 1 when @p a deletes something (a delete or either replace). */
PLATCI_EXTERN(int) platci_tfplan_action_destroys(platci_tfplan_action a);

/**
 * Renders `terraform-report.json` for GitLab's MR widget:
 * `{"create":N,"update":N,"delete":N}` and a newline.
 */
PLATCI_EXTERN(int) platci_tfplan_render_widget(platci_buf *out, const platci_tfplan *plan);

/**
 * Renders the plan part of summary.md (counts table, plan status,
 * destructive changes with reasons first, then other changes, drift,
 * outputs, variables, checks), every value redacted, attribute changes
 * collapsed. Stops at @p max_bytes (0: 700,000) with a line saying how
 * much was left out. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_tfplan_render_md(platci_buf *out, const platci_tfplan *plan, size_t max_bytes);

/**
 * Renders a redacted JSON summary (the machine-readable twin of the
 * Markdown) into @p out: counts, flags, types, kept entries.
 * @param[out] out a new reference; json_decref() it.
 */
PLATCI_EXTERN(int) platci_tfplan_to_json(json_t **out, const platci_tfplan *plan);

/**
 * Adds the plan's findings to @p list: `tfplan.errored`,
 * `tfplan.not-applyable`, `tfplan.incomplete` and `tfplan.check-failed`
 * at deny level; `tfplan.destroy` (warn) per destructive entry;
 * `tfplan.check-warning` for failed `check` blocks. @p file labels them.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_tfplan_findings(platci_findings *list, const platci_tfplan *plan, const char *env, const char *file);

PLATCI_END_DECL

#endif
