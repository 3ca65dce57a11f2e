/* Private parts of the plan reader, shared by tfplan_*.c. */
#ifndef PLATCI_TFPLAN_INT_H
#define PLATCI_TFPLAN_INT_H

#include "platci/tfplan.h"
#include "platci/json_stream.h"
#include "platci/sha256.h"
#include "util/arena.h"

#define TFPLAN_MAX_PROBLEMS 100
#define TFPLAN_MAX_TYPES 4096
#define TFPLAN_MAX_NAMED 2000 /* outputs and variables listed */

typedef struct tfplan_matcher tfplan_matcher;

/* Changes per module and resource type, for the summary of a plan too large to list. */
typedef struct tfplan_module_tally {
	const char *module; /* "" for the root module */
	const char *type;
	size_t add, change, destroy, replace, other;
} tfplan_module_tally;

#define TFPLAN_MAX_MODULE_TYPES 4096

/* An output or a variable, already redacted for display. */
typedef struct tfplan_named {
	const char *name;
	const char *actions; /* outputs: "create", "update", ...; variables: NULL */
	const char *value_md; /* rendered, redacted; NULL when not shown */
	int sensitive; /* -1 unknown, 0, 1 */
} tfplan_named;

struct platci_tfplan {
	platci_arena arena;
	const char *format_version;
	const char *terraform_version;
	const char *timestamp;
	int errored, applyable, complete;
	int has_resource_changes;
	platci_tfplan_counts counts;
	platci_tfplan_check_counts checks;

	platci_tfplan_entry *destructive; /* kept in plan order */
	size_t ndestructive, destructive_alloc;
	platci_tfplan_entry *others;
	size_t nothers, others_alloc;
	size_t dropped;
	size_t listable[3][2]; /* entries the summary would list, per source and destructive */
	size_t diff_bytes; /* diff text kept so far */
	size_t diff_skipped; /* entries whose diff was not rendered (budget) */

	platci_tfplan_type_tally *types;
	size_t ntypes, types_alloc;
	size_t types_overflow;

	tfplan_module_tally *modules;
	size_t nmodules, modules_alloc, modules_overflow;
	size_t *module_slots; /* open addressing over modules: index + 1 */
	size_t module_slots_cap;

	platci_tfplan_check_problem problems[TFPLAN_MAX_PROBLEMS];
	size_t nproblems, problems_dropped;

	/* Outputs and variables: raw values are kept until the configuration
	 * (which comes later in the file) says which are sensitive. */
	json_t *outputs; /* name -> change object (raw; never rendered directly) */
	json_t *variables; /* name -> {value} (raw) */
	json_t *sens_outputs; /* name -> true/false from configuration */
	json_t *sens_variables; /* name -> true/false from configuration */
	int saw_configuration;
	size_t named_bytes; /* raw bytes kept for outputs/variables */
	size_t outputs_dropped, variables_dropped;
	tfplan_named *out_list, *var_list;
	size_t nout, nvar;
	size_t output_changes; /* outputs whose actions are not no-op */
	json_t *secrets; /* set of string values the markers hid */
	tfplan_matcher *matcher; /* the set, ready to scrub with (made when reading ends) */
	size_t secrets_dropped;
	char input_sha256[PLATCI_SHA256_HEX_SIZE]; /* with opts.hash_input, else "" */
};

/* The entry being read (tfplan_entry.c): light fields as text, heavy members built. */
enum {
	TFPLAN_F_ADDRESS,
	TFPLAN_F_PREVIOUS,
	TFPLAN_F_MODULE,
	TFPLAN_F_MODE,
	TFPLAN_F_TYPE,
	TFPLAN_F_NAME,
	TFPLAN_F_PROVIDER,
	TFPLAN_F_DEPOSED,
	TFPLAN_F_REASON,
	TFPLAN_F_COUNT
};

typedef struct tfplan_entry_state {
	platci_tfplan_source source;
	platci_buf field[TFPLAN_F_COUNT];
	int set[TFPLAN_F_COUNT];
	char first[2][24]; /* the first two actions */
	size_t nactions;
	char actions_text[128];
	size_t actions_len;
	json_t *change; /* the members that were read */
	int values; /* before/after were read */
	platci_buf after_text; /* `after` as text (PLATCI_TFPLAN_VALUES_AFTER_TEXT) */
	int has_after_text;
} tfplan_entry_state;

typedef struct platci_tfplan_reader_state {
	platci_tfplan_options *opts;
	platci_tfplan *plan;
	tfplan_entry_state e;
	/* prior_state resources */
	platci_buf state_address, state_mode;
	int state_has_mode;
} platci_tfplan_reader_state;

/* tfplan_entry.c: subscriptions and events for resource_changes, resource_drift, prior_state */
int platci_tfplan__subscribe_entries(platci_json_stream *s, platci_tfplan_reader_state *st,
	platci_json_stream_cb cb, void *payload);
/* 1 when @p id is one of those; then *rc is the event's result. */
int platci_tfplan__entry_event(platci_tfplan_reader_state *st, const platci_json_event *ev, int *rc);
/* Handles an entry given whole (deferred_changes). */
int platci_tfplan__whole_entry(platci_tfplan_reader_state *st, const json_t *rc,
	platci_tfplan_source source, const char *deferred_reason, size_t line);
void platci_tfplan__entries_dispose(platci_tfplan_reader_state *st);

/* tfplan_read.c: @p src (NULL: the defaults) in the current layout, whatever version it was built with */
int platci_tfplan__options_copy(platci_tfplan_options *dst, const platci_tfplan_options *src);

/* tfplan_model.c */
platci_tfplan_action platci_tfplan__action_of(const char *a0, const char *a1, size_t n);
platci_tfplan_action platci_tfplan__parse_actions(const json_t *list, char *text, size_t size);
void platci_tfplan__count_action(platci_tfplan_counts *c, platci_tfplan_action a);
const char *platci_tfplan__dup(platci_tfplan *p, const char *s);
int platci_tfplan__tally_type(platci_tfplan *p, const char *type, platci_tfplan_action a);
int platci_tfplan__tally_module(platci_tfplan *p, const char *module, const char *type,
	platci_tfplan_action a);
/* Keeps @p c in the model (bounded by @p opts); renders its diff when @p with_diff. */
int platci_tfplan__keep(platci_tfplan *p, const platci_tfplan_change *c,
	const platci_tfplan_options *opts, int with_diff);

/* Turns the collected raw outputs and variables into redacted display rows. */
int platci_tfplan__finish_named(platci_tfplan *p);

/* Remembers the strings @p marker marks inside @p value as secrets. */
int platci_tfplan__collect(platci_tfplan *p, const json_t *value, const json_t *marker);
/* Remembers every string inside @p value as a secret. */
int platci_tfplan__collect_all(platci_tfplan *p, const json_t *value);
/* Collects into *set the strings the markers of @p change hide. */
int platci_tfplan__hidden(json_t **set, const json_t *change);
/* A set of secrets ready to scrub text with (NULL for an empty set). */
int platci_tfplan__matcher_new(tfplan_matcher **out, const json_t *secrets);
void platci_tfplan__matcher_free(tfplan_matcher *m);
/* Replaces every secret of @p m in @p text (raw, JSON- and Markdown-escaped); returns how many. */
int platci_tfplan__matcher_scrub(const tfplan_matcher *m, platci_buf *text);
/* Makes the plan's matcher once its secrets are all known. */
int platci_tfplan__finish_secrets(platci_tfplan *p);
/* Scrubs with the plan's secrets. */
int platci_tfplan__scrub(const platci_tfplan *p, platci_buf *text);

#endif
