/*
 * The plan reader: subscriptions on the streaming JSON reader turn the
 * few parts of a plan a summary needs into a bounded model, in one pass.
 * Large parts (prior_state, planned_values, configuration bodies) are
 * skipped by the tokenizer without building anything; resource entries
 * are read by tfplan_entry.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "platci/report.h"
#include "platci/sha256.h"
#include "tfplan_int.h"
#include "tfplan_input.h"
#include "fs_int.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_MAX_ENTRIES 5000
#define DEFAULT_MAX_DIFF (300u * 1000)
#define DEFAULT_MAX_DIFF_ENTRY 4000
#define MAX_NAMED_BYTES (1024u * 1024)

/* Ids below 100: tfplan_entry.c uses 100 and above. */
enum {
	SUB_ROOT = 1,
	SUB_FORMAT,
	SUB_PLAN_FORMAT,
	SUB_TF_VERSION,
	SUB_ERRORED,
	SUB_APPLYABLE,
	SUB_COMPLETE,
	SUB_TIMESTAMP,
	SUB_DEFERRED,
	SUB_OUTPUT,
	SUB_VARIABLE,
	SUB_CHECK,
	SUB_CONDITION,
	SUB_CONF_VAR,
	SUB_CONF_OUT,
	SUB_PLAN_KEY
};

/* Root containers that tell a state or a validation result from a plan. */
enum { OTHER_VALUES = 1, OTHER_RESOURCES = 2, OTHER_DIAGNOSTICS = 4 };

struct platci_tfplan_reader {
	platci_tfplan_options opts;
	platci_json_stream *stream;
	platci_tfplan_reader_state st; /* entries, with the model under construction */
	tfplan_input in;
	platci_sha256 *hash; /* of every byte fed, with opts.hash_input */
	platci_diag *diag;
	int saw_format;
	size_t plan_keys;
	unsigned int other_keys; /* OTHER_*: root keys of other Terraform outputs, for the message */
	int error;
};

/* The bytes of the options a caller built against @p version has: read and write no further. */
static size_t options_size(unsigned int version)
{
	return version == 1   ? offsetof(platci_tfplan_options, hash_input)
	       : version == 2 ? offsetof(platci_tfplan_options, callback_values)
			      : sizeof(platci_tfplan_options);
}

int platci_tfplan_options_init(platci_tfplan_options *opts, unsigned int version)
{
	platci_tfplan_options init = PLATCI_TFPLAN_OPTIONS_INIT;

	if (version < 1 || version > PLATCI_TFPLAN_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	memcpy(opts, &init, options_size(version));
	opts->version = version;
	return 0;
}

int platci_tfplan__options_copy(platci_tfplan_options *dst, const platci_tfplan_options *src)
{
	platci_tfplan_options_init(dst, PLATCI_TFPLAN_OPTIONS_VERSION);
	if (!src)
		return 0;
	if (src->version < 1 || src->version > PLATCI_TFPLAN_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	memcpy(dst, src, options_size(src->version));
	dst->version = PLATCI_TFPLAN_OPTIONS_VERSION;
	return 0;
}

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

static void add_problem(platci_tfplan *p, const char *addr, const char *kind, const char *status,
	const char *message)
{
	platci_tfplan_check_problem *pr;

	if (p->nproblems >= TFPLAN_MAX_PROBLEMS) {
		p->problems_dropped++;
		return;
	}
	pr = &p->problems[p->nproblems++];
	pr->address = platci_tfplan__dup(p, addr ? addr : "(check)");
	pr->kind = platci_tfplan__dup(p, kind ? kind : "unknown");
	pr->status = platci_tfplan__dup(p, status);
	pr->message = platci_tfplan__dup(p, message);
}

static void on_check(platci_tfplan *p, const json_t *chk)
{
	const char *status = str_or(chk, "status", "unknown");
	const json_t *addr = json_object_get(chk, "address");
	const char *disp = str_or(addr, "to_display", NULL), *kind = str_or(addr, "kind", NULL);
	size_t i;
	json_t *inst;

	if (!strcmp(status, "pass"))
		p->checks.pass++;
	else if (!strcmp(status, "fail"))
		p->checks.fail++;
	else if (!strcmp(status, "error"))
		p->checks.error++;
	else
		p->checks.unknown++;
	if (strcmp(status, "fail") && strcmp(status, "error"))
		return;
	json_array_foreach (json_object_get(chk, "instances"), i, inst) {
		const char *st = str_or(inst, "status", "");
		const json_t *probs = json_object_get(inst, "problems");
		if (strcmp(st, "fail") && strcmp(st, "error"))
			continue;
		add_problem(p, str_or(json_object_get(inst, "address"), "to_display", disp), kind,
			st, str_or(json_array_get(probs, 0), "message", NULL));
		return;
	}
	add_problem(p, disp, kind, status, NULL);
}

static void on_condition(platci_tfplan *p, const json_t *cr)
{
	/* format 1.1's condition_results: {address, condition_type, result, unknown} */
	const char *type = str_or(cr, "condition_type", "");
	const char *kind = strncmp(type, "Output", 6) == 0 ? "output_value" : "resource";

	if (json_is_true(json_object_get(cr, "unknown")))
		p->checks.unknown++;
	else if (json_is_true(json_object_get(cr, "result")))
		p->checks.pass++;
	else {
		p->checks.fail++;
		add_problem(p, str_or(cr, "address", NULL), kind, "fail", NULL);
	}
}

static int keep_named(platci_tfplan *p, json_t **map, const char *name, json_t *v, size_t *dropped)
{
	char *text;
	size_t n;

	if (!*map && !(*map = json_object()))
		return PLATCI_ENOMEM;
	if (json_object_size(*map) >= TFPLAN_MAX_NAMED) {
		(*dropped)++;
		return 0;
	}
	/* The raw size counts against a budget so outputs cannot grow the model. */
	if (!(text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)))
		return PLATCI_ENOMEM;
	n = strlen(text);
	free(text);
	if (p->named_bytes + n > MAX_NAMED_BYTES) {
		json_t *stub = json_object();
		/* keep the name and the markers, drop the values */
		if (!stub)
			return PLATCI_ENOMEM;
		json_object_set(stub, "actions", json_object_get(v, "actions"));
		json_object_set_new(stub, "dropped", json_true());
		return json_object_set_new(*map, name, stub) < 0 ? PLATCI_ENOMEM : 0;
	}
	p->named_bytes += n;
	return json_object_set(*map, name, v) < 0 ? PLATCI_ENOMEM : 0;
}

static int set_flag(int *flag, const json_t *v)
{
	if (json_is_boolean(v))
		*flag = json_is_true(v);
	return 0;
}

static int check_format(platci_tfplan_reader *r, const json_t *v, const char *key, size_t line)
{
	const char *s = json_string_value(v);
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EVERSION, r->opts.name, line, 0, 0, NULL, NULL };
	char *end = NULL;
	long major;

	r->saw_format = 1;
	if (!s) {
		e.code = PLATCI_EDATA;
		platci_diag_add(r->diag, &e, "%s is not a string", key);
		return PLATCI_EDATA;
	}
	errno = 0;
	major = strtol(s, &end, 10);
	if (end == s || errno || (*end && *end != '.')) {
		e.code = PLATCI_EDATA;
		platci_diag_add(r->diag, &e, "%s \"%.40s\" is not a version like 1.2", key, s);
		return PLATCI_EDATA;
	}
	if (major < 0 || major > 1) {
		platci_diag_add(r->diag, &e,
			"%s \"%.40s\" is not supported: platci reads plan JSON format 0.x and 1.x; "
			"a new major version may change meanings, so it is refused rather than guessed",
			key, s);
		return PLATCI_EVERSION;
	}
	if (!(r->st.plan->format_version = platci_tfplan__dup(r->st.plan, s)))
		return PLATCI_ENOMEM;
	return 0;
}

static int on_event(const platci_json_event *ev, void *payload)
{
	platci_tfplan_reader *r = payload;
	platci_tfplan *p = r->st.plan;
	json_t *v = ev->value;
	int rc;

	if (platci_tfplan__entry_event(&r->st, ev, &rc))
		return rc;
	switch (ev->id) {
	case SUB_ROOT:
		if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
			if (platci_json_stream_root_type(r->stream) != JSON_OBJECT) {
				platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA,
					r->opts.name, ev->line, 0, ev->offset, NULL, NULL };
				platci_diag_add(r->diag, &e,
					"expected a JSON object (a Terraform plan), found an array");
				return PLATCI_EDATA;
			}
			return 0;
		}
		r->in.root_end = ev->offset;
		r->in.root_line = ev->line;
		r->in.root_col = 1000;
		return TFPLAN_ROOT_DONE;
	case SUB_FORMAT:
	case SUB_PLAN_FORMAT:
		return check_format(r, v, ev->key, ev->line);
	case SUB_TF_VERSION:
		if (json_is_string(v) &&
			!(p->terraform_version = platci_tfplan__dup(p, json_string_value(v))))
			return PLATCI_ENOMEM;
		return 0;
	case SUB_TIMESTAMP:
		if (json_is_string(v) && !(p->timestamp = platci_tfplan__dup(p, json_string_value(v))))
			return PLATCI_ENOMEM;
		return 0;
	/* The plan's flags are members only a plan has, as the containers below are. */
	case SUB_ERRORED:
		r->plan_keys++;
		return set_flag(&p->errored, v);
	case SUB_APPLYABLE:
		r->plan_keys++;
		return set_flag(&p->applyable, v);
	case SUB_COMPLETE:
		r->plan_keys++;
		return set_flag(&p->complete, v);
	case SUB_PLAN_KEY: {
		static const char *const plan_keys[] = { "resource_drift", "output_changes",
			"planned_values", "prior_state", "configuration", NULL };
		const char *k = ev->key ? ev->key : "";
		if (strcmp(k, "resource_changes") == 0) {
			p->has_resource_changes = 1;
			r->plan_keys++;
			return 0;
		}
		for (size_t i = 0; plan_keys[i]; i++)
			if (strcmp(k, plan_keys[i]) == 0)
				r->plan_keys++;
		r->other_keys |= strcmp(k, "values") == 0        ? OTHER_VALUES
				 : strcmp(k, "resources") == 0   ? OTHER_RESOURCES
				 : strcmp(k, "diagnostics") == 0 ? OTHER_DIAGNOSTICS
								 : 0;
		return 0;
	}
	case SUB_DEFERRED:
		return platci_tfplan__whole_entry(&r->st, json_object_get(v, "resource_change"),
			PLATCI_TFPLAN_DEFERRED, str_or(v, "reason", "unknown"), ev->line);
	case SUB_OUTPUT:
		return ev->key ? keep_named(p, &p->outputs, ev->key, v, &p->outputs_dropped) : 0;
	case SUB_VARIABLE:
		return ev->key ? keep_named(p, &p->variables, ev->key, v, &p->variables_dropped) : 0;
	case SUB_CHECK:
		on_check(p, v);
		return 0;
	case SUB_CONDITION:
		on_condition(p, v);
		return 0;
	case SUB_CONF_VAR:
	case SUB_CONF_OUT: {
		json_t **map = ev->id == SUB_CONF_VAR ? &p->sens_variables : &p->sens_outputs;
		p->saw_configuration = 1;
		if (!ev->key)
			return 0;
		if (!*map && !(*map = json_object()))
			return PLATCI_ENOMEM;
		return json_object_set_new(*map, ev->key,
			       json_boolean(json_is_true(json_object_get(v, "sensitive")))) < 0
			       ? PLATCI_ENOMEM
			       : 0;
	}
	}
	return 0;
}

/* ---- reader ------------------------------------------------------------------------------- */

static int feed_stream(void *payload, const char *data, size_t len, platci_diag *diag)
{
	platci_tfplan_reader *r = payload;

	return platci_json_stream_feed(r->stream, data, len, diag);
}

static const struct {
	const char *pattern;
	unsigned int kinds;
	int id;
} subs[] = {
	{ "", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT, SUB_ROOT },
	{ "format_version", PLATCI_JSON_STREAM_VALUE, SUB_FORMAT },
	{ "plan_format_version", PLATCI_JSON_STREAM_VALUE, SUB_PLAN_FORMAT },
	{ "terraform_version", PLATCI_JSON_STREAM_VALUE, SUB_TF_VERSION },
	{ "timestamp", PLATCI_JSON_STREAM_VALUE, SUB_TIMESTAMP },
	{ "errored", PLATCI_JSON_STREAM_VALUE, SUB_ERRORED },
	{ "applyable", PLATCI_JSON_STREAM_VALUE, SUB_APPLYABLE },
	{ "complete", PLATCI_JSON_STREAM_VALUE, SUB_COMPLETE },
	{ "deferred_changes[*]", PLATCI_JSON_STREAM_VALUE, SUB_DEFERRED },
	{ "output_changes.*", PLATCI_JSON_STREAM_VALUE, SUB_OUTPUT },
	{ "variables.*", PLATCI_JSON_STREAM_VALUE, SUB_VARIABLE },
	{ "checks[*]", PLATCI_JSON_STREAM_VALUE, SUB_CHECK },
	{ "condition_results[*]", PLATCI_JSON_STREAM_VALUE, SUB_CONDITION },
	{ "configuration.root_module.variables.*", PLATCI_JSON_STREAM_VALUE, SUB_CONF_VAR },
	{ "configuration.root_module.outputs.*", PLATCI_JSON_STREAM_VALUE, SUB_CONF_OUT },
	/* one subscription for every top-level container: fewer to match per key */
	{ "*", PLATCI_JSON_STREAM_ENTER, SUB_PLAN_KEY },
};

int platci_tfplan_reader_new(platci_tfplan_reader **out, const platci_tfplan_options *opts)
{
	platci_tfplan_reader *r = NULL;
	platci_json_stream_options sopts = PLATCI_JSON_STREAM_OPTIONS_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > PLATCI_TFPLAN_OPTIONS_VERSION))
		return PLATCI_EINVALID;
	r = calloc(1, sizeof(*r));
	PLATCI_CHECK_ALLOC(r);
	platci_tfplan__options_copy(&r->opts, opts);
	if (r->opts.hash_input && (error = platci_sha256_new(&r->hash)) < 0)
		goto done;
	if (!r->opts.max_entries)
		r->opts.max_entries = DEFAULT_MAX_ENTRIES;
	if (!r->opts.max_diff_bytes)
		r->opts.max_diff_bytes = DEFAULT_MAX_DIFF;
	if (!r->opts.max_diff_per_entry)
		r->opts.max_diff_per_entry = DEFAULT_MAX_DIFF_ENTRY;
	r->st.opts = &r->opts;
	r->st.plan = calloc(1, sizeof(*r->st.plan));
	PLATCI_CHECK_ALLOC(r->st.plan);
	platci_arena_init(&r->st.plan->arena, 64 * 1024);
	r->st.plan->errored = r->st.plan->applyable = r->st.plan->complete = -1;
	sopts.name = r->opts.name;
	if ((error = platci_json_stream_new(&r->stream, &sopts)) < 0)
		goto done;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(subs); i++)
		if ((error = platci_json_stream_on(r->stream, subs[i].pattern, subs[i].kinds,
			     subs[i].id, on_event, r)) < 0)
			goto done;
	if ((error = platci_tfplan__subscribe_entries(r->stream, &r->st, on_event, r)) < 0)
		goto done;
	platci_tfplan__input_init(&r->in, r->opts.name, r->opts.strict_wrapper);
	r->in.feed = feed_stream;
	r->in.payload = r;
	*out = r;
	r = NULL;
done:
	platci_tfplan_reader_free(r);
	return error;
}

void platci_tfplan_reader_free(platci_tfplan_reader *r)
{
	if (!r)
		return;
	platci_json_stream_free(r->stream);
	platci_tfplan__entries_dispose(&r->st);
	platci_tfplan_free(r->st.plan);
	platci_tfplan__input_dispose(&r->in);
	platci_sha256_free(r->hash);
	free(r);
}

const char *platci_tfplan_input_sha256(const platci_tfplan *plan)
{
	return plan && plan->input_sha256[0] ? plan->input_sha256 : NULL;
}

void platci_tfplan_free(platci_tfplan *p)
{
	if (!p)
		return;
	platci_arena_dispose(&p->arena);
	free(p->destructive);
	free(p->others);
	free(p->types);
	free(p->modules);
	free(p->module_slots);
	free(p->out_list);
	free(p->var_list);
	json_decref(p->outputs);
	json_decref(p->variables);
	json_decref(p->sens_outputs);
	json_decref(p->sens_variables);
	json_decref(p->secrets);
	platci_tfplan__matcher_free(p->matcher);
	free(p);
}

/* A failure in transcoded text: its positions are not the file's, so say so. */
static int failed(platci_tfplan_reader *r, platci_diag *diag, int error)
{
	if (!r->error && r->in.warn_utf16) {
		platci_diag_entry e = { PLATCI_DIAG_NOTE, 0, r->opts.name, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"the file is UTF-16 with a byte-order mark: it was read "
			"as UTF-8 after transcoding, and the positions above refer to that text");
	}
	r->error = error;
	return error;
}

int platci_tfplan_reader_feed(platci_tfplan_reader *r, const void *data, size_t len, platci_diag *diag)
{
	int error;

	PLATCI_ASSERT_ARG(r && (data || !len));
	if (r->error)
		return r->error;
	r->diag = diag;
	/* the bytes as given: what a checksum of the file says */
	if (r->hash && len && (error = platci_sha256_update(r->hash, data, len)) < 0)
		return failed(r, diag, error);
	error = platci_tfplan__input_feed(&r->in, data, len, diag);
	return error < 0 ? failed(r, diag, error) : error;
}

static int warn(platci_tfplan_reader *r, platci_diag *diag, const char *msg)
{
	platci_diag_entry e = { PLATCI_DIAG_WARNING, 0, r->opts.name, 0, 0, 0, NULL, NULL };
	return platci_diag_add(diag, &e, "%s", msg);
}

static int type_cmp(const void *a, const void *b)
{
	return strcmp(((const platci_tfplan_type_tally *)a)->type,
		((const platci_tfplan_type_tally *)b)->type);
}

/* Says what the input is when it is another Terraform output; no guess otherwise. */
static void not_a_plan(const platci_tfplan_reader *r, const platci_diag_entry *e, platci_diag *diag)
{
	if (!r->saw_format && (r->other_keys & OTHER_RESOURCES))
		platci_diag_add(diag, e,
			"not a Terraform plan: this is a Terraform state file "
			"(terraform.tfstate: resources, no format_version); give the output of "
			"terraform show -json PLANFILE");
	else if (!r->saw_format)
		platci_diag_add(diag, e,
			"not a Terraform plan: the JSON object has no format_version "
			"(expected the output of terraform show -json PLANFILE)");
	else if (r->other_keys & OTHER_VALUES)
		platci_diag_add(diag, e,
			"not a Terraform plan: this is Terraform state as terraform "
			"show -json prints it without a plan file (values, no resource_changes); give "
			"terraform show -json PLANFILE");
	else if (r->other_keys & OTHER_DIAGNOSTICS)
		platci_diag_add(diag, e,
			"not a Terraform plan: this is the output of terraform "
			"validate -json (diagnostics, no resource_changes)");
	else
		platci_diag_add(diag, e,
			"not a Terraform plan: the JSON object has a format_version "
			"but none of resource_changes, resource_drift, output_changes, planned_values, "
			"prior_state or configuration");
}

int platci_tfplan_reader_finish(platci_tfplan **out, platci_tfplan_reader *r, platci_diag *diag)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, NULL, 0, 0, 0, NULL, NULL };
	int error;

	PLATCI_ASSERT_ARG(out && r);
	*out = NULL;
	if (r->error)
		return r->error;
	r->diag = diag;
	e.source = r->opts.name;
	if ((error = platci_tfplan__input_finish(&r->in, diag)) < 0)
		goto done;
	if (!r->in.done) {
		int root = platci_json_stream_root_type(r->stream);
		error = platci_json_stream_finish(r->stream, diag);
		if (error == TFPLAN_ROOT_DONE)
			error = 0;
		if (error < 0)
			goto done;
		if (root != JSON_OBJECT) {
			error = PLATCI_EDATA;
			platci_diag_add(diag, &e,
				"expected a JSON object (a Terraform plan), found a "
				"single JSON value");
			goto done;
		}
	}
	if (!r->saw_format || !r->plan_keys) {
		error = PLATCI_EDATA;
		not_a_plan(r, &e, diag);
		goto done;
	}
	if (r->in.warn_bom)
		warn(r, diag, "the file starts with a UTF-8 byte-order mark (skipped)");
	if (r->in.warn_utf16)
		warn(r, diag,
			"the file is UTF-16 with a byte-order mark (read as UTF-8 after "
			"transcoding; positions refer to the transcoded text)");
	if (r->in.warn_wrapper)
		warn(r, diag, "a wrapper's [command] line precedes the JSON (skipped)");
	if (r->in.warn_trailer)
		warn(r, diag, "workflow-command lines (::...) follow the JSON (skipped)");
	if (r->st.plan->ntypes)
		qsort(r->st.plan->types, r->st.plan->ntypes, sizeof(*r->st.plan->types), type_cmp);
	if ((error = platci_tfplan__finish_named(r->st.plan)) < 0 ||
		(error = platci_tfplan__finish_secrets(r->st.plan)) < 0)
		goto done;
	if (r->hash && (error = platci_sha256_final_hex(r->st.plan->input_sha256, r->hash)) < 0)
		goto done;
	*out = r->st.plan;
	r->st.plan = NULL;
done:
	return error < 0 ? failed(r, diag, error) : error;
}

int platci_tfplan_read_buffer(platci_tfplan **out, const char *data, size_t len,
	const platci_tfplan_options *opts, platci_diag *diag)
{
	platci_tfplan_reader *r = NULL;
	int error;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if ((error = platci_tfplan_reader_new(&r, opts)) < 0 ||
		(error = platci_tfplan_reader_feed(r, data, len, diag)) < 0 ||
		(error = platci_tfplan_reader_finish(out, r, diag)) < 0)
		goto done;
done:
	platci_tfplan_reader_free(r);
	return error;
}

typedef struct file_read {
	platci_tfplan_reader *r;
	platci_diag *diag;
} file_read;

static int feed_block(void *payload, const void *data, size_t len)
{
	file_read *fr = payload;
	return platci_tfplan_reader_feed(fr->r, data, len, fr->diag);
}

int platci_tfplan_read_file(platci_tfplan **out, const char *path,
	const platci_tfplan_options *opts, platci_diag *diag)
{
	platci_tfplan_options o;
	file_read fr = { NULL, diag };
	int error;

	PLATCI_ASSERT_ARG(out && path);
	*out = NULL;
	if ((error = platci_tfplan__options_copy(&o, opts)) < 0)
		return error;
	if (!o.name)
		o.name = path;
	if ((error = platci_tfplan_reader_new(&fr.r, &o)) == 0 &&
		(error = platci_fs__read_blocks(path, "the plan", 256 * 1024, feed_block, &fr, diag)) == 0)
		error = platci_tfplan_reader_finish(out, fr.r, diag);
	platci_tfplan_reader_free(fr.r);
	return error;
}
