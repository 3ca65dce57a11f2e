/*
 * What the plan summary shows: the GitLab widget file, the Markdown for
 * the MR note, a JSON twin, and findings. Every value shown has been
 * through redaction; outputs and variables are masked unless the plan
 * says they are not sensitive.
 */
#include <stdio.h>
#include <string.h>

#include "platci/report.h"
#include "tfplan_int.h"
#include "util/common.h"
#include "util/banned.h"

/* The plan's part of a note: a 60 kB summary (report.h) leaves it this. */
#define DEFAULT_MAX_MD 40000
/* Kept for the table by module and type when a plan is too large to list. */
#define MODULE_TABLE_ROOM 12000
#define MAX_MODULE_ROWS 200
#define VALUE_SHOWN 160
/* one finding per destructive change up to this many, then a tally */
#define MAX_DESTROY_FINDINGS 50

/* ---- accessors ---------------------------------------------------------------- */

const char *platci_tfplan_format_version(const platci_tfplan *p)
{
	return p && p->format_version ? p->format_version : "";
}

const char *platci_tfplan_terraform_version(const platci_tfplan *p)
{
	return p ? p->terraform_version : NULL;
}

int platci_tfplan_errored(const platci_tfplan *p)
{
	return p ? p->errored : -1;
}
int platci_tfplan_applyable(const platci_tfplan *p)
{
	return p ? p->applyable : -1;
}
int platci_tfplan_complete(const platci_tfplan *p)
{
	return p ? p->complete : -1;
}
int platci_tfplan_refresh_only(const platci_tfplan *p)
{
	return p && !p->has_resource_changes;
}

int platci_tfplan_totals(platci_tfplan_counts *out, const platci_tfplan *p)
{
	if (!out || !p)
		return PLATCI_EINVALID;
	*out = p->counts;
	return 0;
}

const platci_tfplan_check_counts *platci_tfplan_checks(const platci_tfplan *p)
{
	return p ? &p->checks : NULL;
}

size_t platci_tfplan_entry_count(const platci_tfplan *p)
{
	return p ? p->ndestructive + p->nothers : 0;
}

const platci_tfplan_entry *platci_tfplan_entry_at(const platci_tfplan *p, size_t i)
{
	if (!p)
		return NULL;
	if (i < p->ndestructive)
		return &p->destructive[i];
	i -= p->ndestructive;
	return i < p->nothers ? &p->others[i] : NULL;
}

size_t platci_tfplan_entries_dropped(const platci_tfplan *p)
{
	return p ? p->dropped : 0;
}
size_t platci_tfplan_type_count(const platci_tfplan *p)
{
	return p ? p->ntypes : 0;
}

const platci_tfplan_type_tally *platci_tfplan_type_at(const platci_tfplan *p, size_t i)
{
	return p && i < p->ntypes ? &p->types[i] : NULL;
}

size_t platci_tfplan_problem_count(const platci_tfplan *p)
{
	return p ? p->nproblems : 0;
}

const platci_tfplan_check_problem *platci_tfplan_problem_at(const platci_tfplan *p, size_t i)
{
	return p && i < p->nproblems ? &p->problems[i] : NULL;
}

/* ---- outputs and variables ----------------------------------------------------------- */

static void dump_short(platci_buf *out, const json_t *v)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	size_t n;

	if (!text) {
		platci_buf_puts(out, "?");
		return;
	}
	n = strlen(text);
	if (n > VALUE_SHOWN) {
		text[VALUE_SHOWN] = '\0';
		platci_buf_puts(out, text);
		platci_buf_puts(out, "...");
	} else {
		platci_buf_puts(out, text);
	}
	free(text);
}

/* Renders one side of an output: masked, unknown, or the redacted value. */
static int output_side(platci_buf *out, const json_t *v, const json_t *marker, int unknown, int all_sensitive)
{
	json_t *red = NULL;

	if (unknown) {
		platci_buf_puts(out, PLATCI_UNKNOWN);
		return 0;
	}
	if (!v || json_is_null(v)) {
		platci_buf_puts(out, "null");
		return 0;
	}
	if (all_sensitive || json_is_true(marker)) {
		platci_buf_puts(out, PLATCI_REDACTED);
		return 0;
	}
	if (platci_redact(&red, v, marker) < 0)
		return PLATCI_ENOMEM;
	dump_short(out, red);
	json_decref(red);
	return 0;
}

static int finish_outputs(platci_tfplan *p)
{
	const char *name;
	json_t *ch;
	platci_buf val = PLATCI_BUF_INIT;
	size_t i = 0;
	int error = 0;

	if (!json_object_size(p->outputs))
		return 0;
	p->out_list = calloc(json_object_size(p->outputs), sizeof(*p->out_list));
	PLATCI_CHECK_ALLOC(p->out_list);
	json_object_foreach (p->outputs, name, ch) {
		tfplan_named *o = &p->out_list[i++];
		const json_t *acts = json_object_get(ch, "actions");
		int conf = json_is_true(json_object_get(p->sens_outputs, name));
		int sens = conf || json_is_true(json_object_get(ch, "before_sensitive")) ||
			   json_is_true(json_object_get(ch, "after_sensitive"));
		char text[128] = "";
		size_t len = 0, k;
		json_t *a;

		json_array_foreach (acts, k, a)
			if (json_is_string(a) && len < sizeof(text))
				len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
					k ? ", " : "", json_string_value(a));
		if (strcmp(text, "no-op") != 0)
			p->output_changes++;
		o->name = platci_arena_strdup(&p->arena, name);
		o->actions = platci_arena_strdup(&p->arena, text);
		o->sensitive = sens;
		if (conf &&
			((error = platci_tfplan__collect_all(p, json_object_get(ch, "before"))) < 0 ||
				(error = platci_tfplan__collect_all(p, json_object_get(ch, "after"))) < 0))
			goto done;
		if ((error = platci_tfplan__collect(p, json_object_get(ch, "before"),
			     json_object_get(ch, "before_sensitive"))) < 0 ||
			(error = platci_tfplan__collect(p, json_object_get(ch, "after"),
				 json_object_get(ch, "after_sensitive"))) < 0)
			goto done;
		platci_buf_clear(&val);
		if (json_is_true(json_object_get(ch, "dropped"))) {
			platci_buf_puts(&val, "(not kept: outputs too large)");
		} else {
			if ((error = output_side(&val, json_object_get(ch, "before"),
				     json_object_get(ch, "before_sensitive"), 0, conf)) < 0)
				goto done;
			platci_buf_puts(&val, " → ");
			if ((error = output_side(&val, json_object_get(ch, "after"),
				     json_object_get(ch, "after_sensitive"),
				     json_is_true(json_object_get(ch, "after_unknown")), conf)) < 0)
				goto done;
		}
		if (val.error) {
			error = val.error;
			goto done;
		}
		o->value_md = platci_arena_strdup(&p->arena, val.ptr);
		if (!o->name || !o->actions || !o->value_md) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	p->nout = i;
done:
	platci_buf_dispose(&val);
	return error;
}

static int finish_variables(platci_tfplan *p)
{
	const char *name;
	json_t *v;
	platci_buf val = PLATCI_BUF_INIT;
	size_t i = 0;
	int error = 0;

	if (!json_object_size(p->variables))
		return 0;
	p->var_list = calloc(json_object_size(p->variables), sizeof(*p->var_list));
	PLATCI_CHECK_ALLOC(p->var_list);
	json_object_foreach (p->variables, name, v) {
		tfplan_named *o = &p->var_list[i++];
		json_t *known = json_object_get(p->sens_variables, name);

		/* Without the configuration saying "not sensitive", the value stays hidden. */
		o->sensitive = json_is_boolean(known) ? json_is_true(known) : -1;
		if (o->sensitive == 1 &&
			(error = platci_tfplan__collect_all(p, json_object_get(v, "value"))) < 0)
			goto done;
		platci_buf_clear(&val);
		if (o->sensitive != 0 || json_is_true(json_object_get(v, "dropped")))
			platci_buf_puts(&val, PLATCI_REDACTED);
		else
			dump_short(&val, json_object_get(v, "value"));
		if (val.error) {
			error = val.error;
			goto done;
		}
		o->name = platci_arena_strdup(&p->arena, name);
		o->value_md = platci_arena_strdup(&p->arena, val.ptr);
		if (!o->name || !o->value_md) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	p->nvar = i;
done:
	platci_buf_dispose(&val);
	return error;
}

int platci_tfplan__finish_named(platci_tfplan *p)
{
	int error;

	if ((error = finish_outputs(p)) < 0 || (error = finish_variables(p)) < 0)
		return error;
	/* The raw values held secrets: drop them as soon as they are rendered. */
	json_decref(p->outputs);
	json_decref(p->variables);
	p->outputs = p->variables = NULL;
	return 0;
}

/* ---- widget ------------------------------------------------------------------------ */

int platci_tfplan_render_widget(platci_buf *out, const platci_tfplan *p)
{
	PLATCI_ASSERT_ARG(out && p);
	/* GitLab refuses values above 999,999 (tfplan.rb); cap instead of failing. */
	platci_buf_printf(out, "{\"create\": %zu, \"update\": %zu, \"delete\": %zu}\n",
		p->counts.widget_create > 999999 ? 999999 : p->counts.widget_create,
		p->counts.widget_update > 999999 ? 999999 : p->counts.widget_update,
		p->counts.widget_delete > 999999 ? 999999 : p->counts.widget_delete);
	return out->error;
}

/* ---- Markdown --------------------------------------------------------------------- */

static const char *yes_no(int v)
{
	return v < 0 ? "not stated" : v ? "yes" : "no";
}

static void code(platci_buf *out, const char *s)
{
	platci_buf_puts(out, "<code>");
	platci_md_escape(out, s ? s : "");
	platci_buf_puts(out, "</code>");
}

static void entry_md(platci_buf *out, const platci_tfplan_entry *e)
{
	platci_buf_puts(out, "<details><summary>");
	platci_md_escape(out, e->actions_text && *e->actions_text ? e->actions_text : "(none)");
	platci_buf_puts(out, " ");
	code(out, e->address);
	if (e->previous_address) {
		platci_buf_puts(out, " (moved from ");
		code(out, e->previous_address);
		platci_buf_puts(out, ")");
	}
	if (e->importing) {
		platci_buf_puts(out, " (import");
		if (e->import_id) {
			platci_buf_puts(out, " id ");
			code(out, e->import_id);
		}
		platci_buf_puts(out, ")");
	}
	if (e->action_reason) {
		platci_buf_puts(out, ": ");
		platci_md_escape(out, e->action_reason);
	}
	if (e->deferred_reason) {
		platci_buf_puts(out, ": deferred, ");
		platci_md_escape(out, e->deferred_reason);
	}
	platci_buf_puts(out, "</summary>\n\n");
	if (e->replace_paths) {
		platci_buf_puts(out, "  - forces replacement: ");
		platci_md_escape(out, e->replace_paths);
		platci_buf_putc(out, '\n');
	}
	if (e->diff_md)
		platci_buf_puts(out, e->diff_md);
	else if (e->action != PLATCI_TFPLAN_READ && e->action != PLATCI_TFPLAN_NOOP && !e->diff_changes)
		platci_buf_puts(out, "  - (no attribute changes shown)\n");
	platci_buf_puts(out, "\n</details>\n\n");
}

static int over(const platci_buf *out, size_t start, size_t max)
{
	return out->size - start > max;
}

static int entries_md(platci_buf *out, const platci_tfplan *p, size_t start, size_t max,
	platci_tfplan_source source, int destructive, const char *title)
{
	size_t n = 0, shown = 0, total = p->ndestructive + p->nothers;

	for (size_t i = 0; i < total; i++) {
		const platci_tfplan_entry *e = platci_tfplan_entry_at(p, i);
		if (e->source == source && platci_tfplan_action_destroys(e->action) == destructive)
			n++;
	}
	if (!n)
		return 0;
	/* Past max_entries the model keeps no more: the count says how many there are. */
	if (p->listable[source][destructive] > n)
		n = p->listable[source][destructive];
	platci_buf_printf(out, "#### %s (%zu)\n\n", title, n);
	for (size_t i = 0; i < total; i++) {
		const platci_tfplan_entry *e = platci_tfplan_entry_at(p, i);
		if (e->source != source || platci_tfplan_action_destroys(e->action) != destructive)
			continue;
		if (over(out, start, max)) {
			platci_buf_printf(out,
				"_%zu more not shown: the summary stops at %zu bytes "
				"to stay under GitLab's note limit; the full plan is in the job's "
				"artifacts._\n\n",
				n - shown, max);
			return 1;
		}
		entry_md(out, e);
		shown++;
	}
	if (shown < n) {
		platci_buf_printf(out,
			"_%zu more not kept in the summary; the full plan is in the "
			"job's artifacts._\n\n",
			n - shown);
		return 1;
	}
	return 0;
}

static void head_md(platci_buf *out, const platci_tfplan *p)
{
	const platci_tfplan_counts *c = &p->counts;

	platci_buf_puts(out, "### Terraform plan\n\n");
	if (p->errored == 1)
		platci_buf_puts(out,
			"> **The plan errored.** Terraform could not finish planning; "
			"it cannot be applied (GitLab's widget shows 0/0/0 for it).\n\n");
	else if (p->applyable == 0 && (c->add || c->change || c->destroy || c->forget))
		platci_buf_puts(out, "> **The plan is not applyable** although it has changes.\n\n");
	if (p->complete == 0)
		platci_buf_puts(out,
			"> **The plan is incomplete:** deferred changes need another "
			"plan and apply round.\n\n");
	if (!p->has_resource_changes)
		platci_buf_puts(out, "_Refresh-only plan: no `resource_changes`._\n\n");
	platci_buf_puts(out,
		"| add | change | destroy | replace | forget | import | move | read |\n"
		"|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	platci_buf_printf(out, "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n", c->add,
		c->change, c->destroy, c->replace, c->forget, c->import, c->move, c->read);
	platci_buf_printf(out, "Format %s", p->format_version ? p->format_version : "?");
	if (p->terraform_version) {
		platci_buf_puts(out, ", Terraform ");
		platci_md_escape(out, p->terraform_version);
	}
	platci_buf_printf(out,
		"; errored: %s, applyable: %s, complete: %s; %zu resource "
		"instances, %zu unchanged",
		yes_no(p->errored), yes_no(p->applyable), yes_no(p->complete), c->resources, c->noop);
	if (c->other)
		platci_buf_printf(out, ", %zu with unknown action lists", c->other);
	if (c->deferred)
		platci_buf_printf(out, ", %zu deferred", c->deferred);
	if (c->drift)
		platci_buf_printf(out, ", %zu drifted", c->drift);
	platci_buf_puts(out, ".\n\n");
}

static void checks_md(platci_buf *out, const platci_tfplan *p)
{
	if (!(p->checks.pass + p->checks.fail + p->checks.error + p->checks.unknown))
		return;
	platci_buf_printf(out,
		"#### Checks\n\n%zu passed, %zu failed, %zu errored, %zu "
		"unknown.\n\n",
		p->checks.pass, p->checks.fail, p->checks.error, p->checks.unknown);
	for (size_t i = 0; i < p->nproblems; i++) {
		const platci_tfplan_check_problem *pr = &p->problems[i];
		platci_buf_puts(out, "- ");
		platci_md_escape(out, pr->status);
		platci_buf_puts(out, " ");
		code(out, pr->address);
		if (pr->message) {
			platci_buf_puts(out, ": ");
			platci_md_escape(out, pr->message);
		}
		platci_buf_putc(out, '\n');
	}
	platci_buf_putc(out, '\n');
}

/* Every section in full; 0 when the budget cut it (the condensed layout is used then). */
static int full_md(platci_buf *out, const platci_tfplan *p, size_t start, size_t max_bytes)
{
	head_md(out, p);
	if (entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_CHANGE, 1,
		    "Destructive changes (delete or replace)") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_CHANGE, 0, "Other changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DEFERRED, 0, "Deferred changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DEFERRED, 1, "Deferred destructive changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DRIFT, 0, "Drift: changed outside Terraform") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DRIFT, 1, "Drift: deleted outside Terraform") ||
		p->dropped)
		return 0;
	if (p->diff_skipped)
		platci_buf_printf(out,
			"_Attribute changes of %zu resources are not shown (size "
			"budget)._\n\n",
			p->diff_skipped);
	if (p->nout) {
		platci_buf_puts(out, "#### Outputs\n\n| output | actions | value |\n|---|---|---|\n");
		for (size_t i = 0; i < p->nout; i++) {
			platci_buf_puts(out, "| ");
			platci_md_escape(out, p->out_list[i].name);
			platci_buf_puts(out, " | ");
			platci_md_escape(out, p->out_list[i].actions);
			platci_buf_puts(out, " | ");
			platci_md_escape(out, p->out_list[i].value_md);
			platci_buf_puts(out, " |\n");
			if (over(out, start, max_bytes))
				return 0;
		}
		platci_buf_putc(out, '\n');
	}
	if (p->nvar) {
		platci_buf_puts(out,
			"<details><summary>Variables</summary>\n\n"
			"| variable | value |\n|---|---|\n");
		for (size_t i = 0; i < p->nvar; i++) {
			platci_buf_puts(out, "| ");
			platci_md_escape(out, p->var_list[i].name);
			platci_buf_puts(out, " | ");
			platci_md_escape(out, p->var_list[i].value_md);
			platci_buf_puts(out, " |\n");
			if (over(out, start, max_bytes))
				return 0;
		}
		platci_buf_puts(out, "\n</details>\n\n");
	}
	checks_md(out, p);
	return !over(out, start, max_bytes);
}

static int module_cmp(const void *a, const void *b)
{
	const tfplan_module_tally *x = a, *y = b;
	size_t dx = x->destroy + x->replace, dy = y->destroy + y->replace;
	size_t tx = dx + x->add + x->change + x->other, ty = dy + y->add + y->change + y->other;
	int c;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	if ((c = strcmp(x->module, y->module)) != 0)
		return c;
	return strcmp(x->type, y->type);
}

/* Where the changes are: per module and resource type, the destructive ones first. */
static int modules_md(platci_buf *out, const platci_tfplan *p, size_t limit)
{
	tfplan_module_tally *rows;
	size_t shown = 0;

	if (!p->nmodules)
		return 0;
	if (!(rows = malloc(p->nmodules * sizeof(*rows))))
		return PLATCI_ENOMEM;
	memcpy(rows, p->modules, p->nmodules * sizeof(*rows));
	qsort(rows, p->nmodules, sizeof(*rows), module_cmp);
	platci_buf_printf(out,
		"#### Changes by module and type (%zu)\n\n"
		"| module | type | add | change | destroy | replace | other |\n"
		"|---|---|---:|---:|---:|---:|---:|\n",
		p->nmodules);
	for (; shown < p->nmodules && shown < MAX_MODULE_ROWS && out->size < limit; shown++) {
		const tfplan_module_tally *t = &rows[shown];
		platci_buf_puts(out, "| ");
		code(out, *t->module ? t->module : "(root)");
		platci_buf_puts(out, " | ");
		code(out, t->type);
		platci_buf_printf(out, " | %zu | %zu | %zu | %zu | %zu |\n", t->add, t->change,
			t->destroy, t->replace, t->other);
	}
	if (shown < p->nmodules || p->modules_overflow)
		platci_buf_printf(out, "\n_%zu more module and type pairs are in the plan._\n",
			p->nmodules - shown + p->modules_overflow);
	platci_buf_putc(out, '\n');
	free(rows);
	return out->error;
}

/*
 * A plan too large for the note: its destructive changes first (what a
 * reviewer must look at), then where all the changes are, by module and
 * type, then the checks, then as many other changes as still fit.
 */
static int condensed_md(platci_buf *out, const platci_tfplan *p, size_t start, size_t max_bytes)
{
	size_t room = max_bytes > 2 * MODULE_TABLE_ROOM ? max_bytes - MODULE_TABLE_ROOM : max_bytes / 2;
	int error;

	head_md(out, p);
	entries_md(out, p, start, room, PLATCI_TFPLAN_CHANGE, 1, "Destructive changes (delete or replace)");
	if ((error = modules_md(out, p, start + max_bytes - 2000)) < 0)
		return error;
	checks_md(out, p);
	if (entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_CHANGE, 0, "Other changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DEFERRED, 1, "Deferred destructive changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DEFERRED, 0, "Deferred changes") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DRIFT, 1, "Drift: deleted outside Terraform") ||
		entries_md(out, p, start, max_bytes, PLATCI_TFPLAN_DRIFT, 0, "Drift: changed outside Terraform"))
		return out->error;
	if (p->dropped)
		platci_buf_printf(out,
			"_%zu more resource entries were counted but not listed; "
			"the full plan is in the job's artifacts._\n\n",
			p->dropped);
	return out->error;
}

static int render_md(platci_buf *out, const platci_tfplan *p, size_t max_bytes)
{
	size_t start;

	PLATCI_ASSERT_ARG(out && p);
	start = out->size;
	if (!max_bytes)
		max_bytes = DEFAULT_MAX_MD;
	if (full_md(out, p, start, max_bytes))
		return out->error;
	platci_buf_truncate(out, start);
	return condensed_md(out, p, start, max_bytes);
}

int platci_tfplan_render_md(platci_buf *out, const platci_tfplan *p, size_t max_bytes)
{
	platci_buf tmp = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(out && p);
	if ((error = render_md(&tmp, p, max_bytes)) < 0 || (error = platci_tfplan__scrub(p, &tmp)) < 0 ||
		(error = platci_buf_put(out, tmp.ptr, tmp.size)) < 0)
		goto done;
done:
	platci_buf_dispose(&tmp);
	return error;
}

/* ---- JSON twin ------------------------------------------------------------------------- */

static json_t *flag(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

int platci_tfplan_to_json(json_t **out, const platci_tfplan *p)
{
	const platci_tfplan_counts *c;
	json_t *o = NULL, *types = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && p);
	*out = NULL;
	c = &p->counts;
	o = json_pack(
		"{s:s?, s:s?, s:o, s:o, s:o, s:b, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
		"s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}",
		"format_version", p->format_version, "terraform_version", p->terraform_version,
		"errored", flag(p->errored), "applyable", flag(p->applyable), "complete",
		flag(p->complete), "refresh_only", !p->has_resource_changes, "counts", "add",
		(json_int_t)c->add, "change", (json_int_t)c->change, "destroy", (json_int_t)c->destroy,
		"replace", (json_int_t)c->replace, "forget", (json_int_t)c->forget, "import",
		(json_int_t)c->import, "move", (json_int_t)c->move, "read", (json_int_t)c->read,
		"noop", (json_int_t)c->noop, "other", (json_int_t)c->other, "resources",
		(json_int_t)c->resources, "drift", (json_int_t)c->drift, "deferred",
		(json_int_t)c->deferred, "widget", "create", (json_int_t)c->widget_create, "update",
		(json_int_t)c->widget_update, "delete", (json_int_t)c->widget_delete, "checks",
		"pass", (json_int_t)p->checks.pass, "fail", (json_int_t)p->checks.fail, "error",
		(json_int_t)p->checks.error, "unknown", (json_int_t)p->checks.unknown);
	PLATCI_CHECK_ALLOC(o);
	types = json_object();
	PLATCI_CHECK_ALLOC(types);
	for (size_t i = 0; i < p->ntypes; i++) {
		json_t *t = json_pack("{s:I, s:I}", "delete", (json_int_t)p->types[i].deletes,
			"replace", (json_int_t)p->types[i].replaces);
		if (!t || json_object_set_new(types, p->types[i].type, t) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	if (json_object_set_new(o, "destructive_by_type", types) < 0) {
		types = NULL;
		error = PLATCI_ENOMEM;
		goto done;
	}
	types = NULL;
	*out = o;
	o = NULL;
done:
	json_decref(types);
	json_decref(o);
	return error;
}

/* ---- findings ------------------------------------------------------------------------ */

static int add(platci_findings *list, const platci_tfplan *p, const char *rule, platci_severity sev,
	platci_enforcement enf, const char *env, const char *file, const char *key, const char *msg)
{
	platci_finding f;
	platci_buf text = PLATCI_BUF_INIT;
	int error;

	memset(&f, 0, sizeof(f));
	if (platci_buf_puts(&text, msg) < 0 || platci_tfplan__scrub(p, &text) < 0) {
		platci_buf_dispose(&text);
		return PLATCI_ENOMEM;
	}
	msg = text.ptr;
	f.rule_id = rule;
	f.severity = sev;
	f.enforcement = enf;
	f.message = msg;
	f.env = env;
	f.file = file;
	f.key = key;
	error = platci_findings_add(list, &f);
	platci_buf_dispose(&text);
	return error;
}

int platci_tfplan_findings(platci_findings *list, const platci_tfplan *p, const char *env, const char *file)
{
	const platci_tfplan_counts *c;
	char msg[600];
	int error = 0;
	int changes;

	PLATCI_ASSERT_ARG(list && p);
	c = &p->counts;
	changes = c->add || c->change || c->destroy || c->forget || c->import || c->move ||
		  c->other || p->output_changes;
	if (p->errored == 1 && (error = add(list, p, "tfplan.errored", PLATCI_SEVERITY_BLOCKER,
					PLATCI_ENFORCE_DENY, env, file, "errored",
					"the plan errored: Terraform could not finish planning, so "
					"it cannot be applied (GitLab's widget would show 0/0/0)")) < 0)
		return error;
	if (p->applyable == 0 && p->errored != 1 && changes &&
		(error = add(list, p, "tfplan.not-applyable", PLATCI_SEVERITY_CRITICAL,
			 PLATCI_ENFORCE_DENY, env, file, "not-applyable",
			 "the plan has changes but Terraform marked it "
			 "not applyable")) < 0)
		return error;
	if (p->complete == 0 && (error = add(list, p, "tfplan.incomplete", PLATCI_SEVERITY_MAJOR,
					 PLATCI_ENFORCE_DENY, env, file, "incomplete",
					 "the plan is incomplete: deferred changes need another "
					 "plan and apply round")) < 0)
		return error;
	for (size_t i = 0; i < p->nproblems; i++) {
		const platci_tfplan_check_problem *pr = &p->problems[i];
		int is_check = strcmp(pr->kind, "check") == 0;
		snprintf(msg, sizeof(msg), "%s %s %s%s%s", is_check ? "check block" : "condition on",
			pr->address, pr->status, pr->message ? ": " : "", pr->message ? pr->message : "");
		if ((error = add(list, p, is_check ? "tfplan.check-warning" : "tfplan.check-failed",
			     is_check ? PLATCI_SEVERITY_MINOR : PLATCI_SEVERITY_CRITICAL,
			     is_check ? PLATCI_ENFORCE_WARN : PLATCI_ENFORCE_DENY, env, file,
			     pr->address, msg)) < 0)
			return error;
	}
	for (size_t i = 0; i < p->ndestructive && i < MAX_DESTROY_FINDINGS; i++) {
		const platci_tfplan_entry *e = &p->destructive[i];
		snprintf(msg, sizeof(msg), "%s %s%s%s", platci_tfplan_action_name(e->action), e->address,
			e->action_reason ? ": " : "", e->action_reason ? e->action_reason : "");
		if ((error = add(list, p, "tfplan.destroy", PLATCI_SEVERITY_MAJOR,
			     PLATCI_ENFORCE_WARN, env, file, e->address, msg)) < 0)
			return error;
	}
	if (c->destroy > MAX_DESTROY_FINDINGS) {
		snprintf(msg, sizeof(msg), "%zu more destructive changes (see summary.md)",
			c->destroy - MAX_DESTROY_FINDINGS);
		if ((error = add(list, p, "tfplan.destroy", PLATCI_SEVERITY_MAJOR,
			     PLATCI_ENFORCE_WARN, env, file, "more-destructive", msg)) < 0)
			return error;
	}
	if (c->other) {
		snprintf(msg, sizeof(msg),
			"%zu resource changes have action lists this platci "
			"does not know; review them in the plan",
			c->other);
		if ((error = add(list, p, "tfplan.unknown-action", PLATCI_SEVERITY_MINOR,
			     PLATCI_ENFORCE_WARN, env, file, "unknown-action", msg)) < 0)
			return error;
	}
	return 0;
}
