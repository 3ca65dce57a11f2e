/* Renderings of a drift result: drift.json, the summary's Markdown, JUnit cases. */
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/redact.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

#define DEFAULT_MAX_MD 900000

static const char *source_name(platci_drift_source s)
{
	switch (s) {
	case PLATCI_DRIFT_TERRAFORM: return "terraform";
	case PLATCI_DRIFT_FLUX: return "flux";
	default: return "pending";
	}
}

static int set_str(json_t *obj, const char *key, const char *v)
{
	if (!v)
		return 0;
	return json_object_set_new(obj, key, json_string(v));
}

static json_t *item_json(const platci_drift_item *it)
{
	json_t *o = json_object(), *attrs = NULL;
	int bad = !o;

	if (bad)
		return NULL;
	bad |= json_object_set_new(o, "source", json_string(source_name(it->source)));
	bad |= set_str(o, "category", it->category);
	bad |= json_object_set_new(o, "drift", json_boolean(it->is_drift));
	bad |= set_str(o, "identity", it->identity);
	bad |= set_str(o, "action", it->action);
	bad |= set_str(o, "reason", it->reason);
	bad |= set_str(o, "message", it->message);
	bad |= set_str(o, "previous", it->previous);
	bad |= set_str(o, "expected", it->expected);
	bad |= set_str(o, "ignored_by", it->ignored_by);
	bad |= set_str(o, "file", it->file);
	if (it->line)
		bad |= json_object_set_new(o, "line", json_integer((json_int_t)it->line));
	if (it->source == PLATCI_DRIFT_TERRAFORM) {
		bad |= !(attrs = json_array());
		for (size_t a = 0; !bad && a < it->nattrs; a++) {
			const platci_drift_attr *at = &it->attrs[a];
			json_t *x = json_object();
			bad |= !x;
			if (bad)
				break;
			bad |= set_str(x, "path", at->path);
			bad |= json_object_set_new(x, "before", at->before ? json_string(at->before) : json_null());
			bad |= json_object_set_new(x, "after", at->after ? json_string(at->after) : json_null());
			bad |= json_object_set_new(x, "sensitive", json_boolean(at->sensitive));
			bad |= set_str(x, "ignored_by", at->ignored_by);
			bad |= json_array_append_new(attrs, x);
		}
		if (attrs)
			bad |= json_object_set_new(o, "attributes", attrs);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int platci_drift_render_json(platci_buf *out, const platci_drift *d,
	const platci_drift_render_options *opts)
{
	json_t *root = NULL, *items = NULL, *checked = NULL, *counts = NULL, *inputs = NULL;
	json_t *flux = NULL, *tf = NULL;
	platci_drift_counts c;
	char *text = NULL;
	int error = 0, bad = 0;

	PLATCI_ASSERT_ARG(out && d);
	platci_drift_count(d, &c);
	PLATCI_CHECK_ALLOC(root = json_object());
	PLATCI_CHECK_ALLOC(items = json_array());
	PLATCI_CHECK_ALLOC(checked = json_array());
	PLATCI_CHECK_ALLOC(inputs = json_object());
	counts = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "terraform_checked",
		(json_int_t)c.terraform_checked, "flux_checked", (json_int_t)c.flux_checked,
		"terraform_drift", (json_int_t)c.terraform_drift, "flux_drift",
		(json_int_t)c.flux_drift, "pending", (json_int_t)c.pending, "notices",
		(json_int_t)c.notices, "ignored", (json_int_t)c.ignored, "expired_rules",
		(json_int_t)c.expired_rules);
	PLATCI_CHECK_ALLOC(counts);
	for (size_t i = 0; i < d->nitems; i++) {
		json_t *x = item_json(&d->items[i]);
		PLATCI_CHECK_ALLOC(x);
		bad |= json_array_append_new(items, x);
	}
	for (size_t i = 0; i < d->nchecked; i++)
		bad |= json_array_append_new(checked, json_pack("{s:s,s:s,s:I}", "source",
			source_name(d->checked[i].source), "identity", d->checked[i].identity, "drift",
			(json_int_t)d->checked[i].ndrift));
	if (d->tf_plan) {
		tf = json_pack("{s:s,s:s,s:b}", "plan", d->tf_plan, "format_version",
			d->tf_format ? d->tf_format : "", "refresh_only", d->tf_refresh_only);
		PLATCI_CHECK_ALLOC(tf);
		bad |= json_object_set_new(inputs, "terraform", tf);
	}
	if (d->flux_given) {
		PLATCI_CHECK_ALLOC(flux = json_array());
		for (size_t i = 0; i < d->nflux_files; i++)
			bad |= json_array_append_new(flux, json_string(d->flux_files[i]));
		bad |= json_object_set_new(inputs, "flux", flux);
	}
	if (d->pending_given)
		bad |= json_object_set_new(inputs, "pending_from",
			d->pending_from ? json_string(d->pending_from) : json_null());
	bad |= json_object_set_new(root, "version", json_integer(1));
	bad |= json_object_set_new(root, "env", json_string(d->env));
	bad |= json_object_set_new(root, "drift", json_boolean(platci_drift_found(d)));
	if (opts && opts->generated_at)
		bad |= json_object_set_new(root, "generated_at", json_string(opts->generated_at));
	bad |= json_object_set_new(root, "counts", counts);
	counts = NULL;
	bad |= json_object_set_new(root, "inputs", inputs);
	inputs = NULL;
	bad |= json_object_set_new(root, "items", items);
	items = NULL;
	bad |= json_object_set_new(root, "checked", checked);
	checked = NULL;
	if (bad) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	PLATCI_CHECK_ALLOC(text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2)));
	platci_buf_puts(out, text);
	platci_buf_putc(out, '\n');
	error = out->error;
done:
	free(text);
	json_decref(root);
	json_decref(items);
	json_decref(checked);
	json_decref(counts);
	json_decref(inputs);
	return error;
}

/* ---- Markdown ---------------------------------------------------------- */

static void code(platci_buf *out, const char *s)
{
	platci_buf_puts(out, "`");
	platci_md_escape(out, s ? s : "");
	platci_buf_puts(out, "`");
}

static void cell(platci_buf *out, const char *s)
{
	platci_md_escape(out, s ? s : "");
}

/* Keeps a value cell short: long JSON blobs belong in drift.json. */
static void value_cell(platci_buf *out, const char *v)
{
	char tmp[163];
	size_t n;
	if (!v) {
		platci_buf_puts(out, "(absent)");
		return;
	}
	n = strlen(v);
	if (n > 160) {
		/* Cut on a character boundary: half a UTF-8 sequence would spoil the Markdown. */
		size_t cut = platci__utf8_valid_prefix((const unsigned char *)v, 157);
		memcpy(tmp, v, cut);
		memcpy(tmp + cut, "...", 4);
		v = tmp;
	}
	code(out, v);
}

static void table_head(platci_buf *out, const platci_drift *d, platci_drift_source s)
{
	if (s == PLATCI_DRIFT_TERRAFORM)
		platci_buf_puts(out, "| Resource | Action | Reason | Attributes |\n|---|---|---|---|\n");
	else if (s == PLATCI_DRIFT_FLUX)
		platci_buf_puts(out, "| Object | Reason | Message |\n|---|---|---|\n");
	else
		platci_buf_printf(out, "| What | File | Here | In %s |\n|---|---|---|---|\n",
			d->pending_from ? d->pending_from : "source");
}

static void table_row(platci_buf *out, const platci_drift_item *it)
{
	platci_buf_puts(out, "| ");
	code(out, it->identity);
	if (it->source == PLATCI_DRIFT_TERRAFORM) {
		size_t shown = 0;
		platci_buf_puts(out, " | ");
		cell(out, it->action);
		platci_buf_puts(out, " | ");
		cell(out, it->reason ? it->reason : it->previous ? "moved" : "");
		platci_buf_puts(out, " | ");
		for (size_t a = 0; a < it->nattrs; a++) {
			if (shown == 8) {
				platci_buf_printf(out, ", and %zu more", it->nattrs - a);
				break;
			}
			if (shown++)
				platci_buf_puts(out, ", ");
			code(out, it->attrs[a].path);
			if (it->attrs[a].ignored_by)
				platci_buf_puts(out, " (ignored)");
		}
	} else if (it->source == PLATCI_DRIFT_FLUX) {
		platci_buf_puts(out, " | ");
		cell(out, it->reason);
		platci_buf_puts(out, " | ");
		cell(out, it->message);
	} else {
		platci_buf_puts(out, " | ");
		cell(out, it->file);
		if (it->line)
			platci_buf_printf(out, ":%zu", it->line);
		platci_buf_puts(out, " | ");
		value_cell(out, it->previous);
		platci_buf_puts(out, " | ");
		value_cell(out, it->expected);
	}
	if (it->ignored_by) {
		platci_buf_puts(out, " (ignored by ");
		code(out, it->ignored_by);
		platci_buf_puts(out, ")");
	}
	platci_buf_puts(out, " |\n");
}

static void details(platci_buf *out, const platci_drift *d)
{
	int any = 0;
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		if (it->source != PLATCI_DRIFT_TERRAFORM || !it->nattrs)
			continue;
		if (!any++)
			platci_buf_puts(out, "#### Details\n\n");
		platci_buf_puts(out, "<details><summary>");
		code(out, it->identity);
		platci_buf_puts(out, " (");
		cell(out, it->action);
		platci_buf_printf(out, ", %zu attribute%s)</summary>\n\n", it->nattrs,
			it->nattrs == 1 ? "" : "s");
		platci_buf_puts(out, "| Attribute | In state | In the cloud | |\n|---|---|---|---|\n");
		for (size_t a = 0; a < it->nattrs; a++) {
			const platci_drift_attr *at = &it->attrs[a];
			platci_buf_puts(out, "| ");
			code(out, at->path);
			platci_buf_puts(out, " | ");
			value_cell(out, at->before);
			platci_buf_puts(out, " | ");
			value_cell(out, at->after);
			platci_buf_puts(out, " | ");
			if (at->ignored_by) {
				platci_buf_puts(out, "ignored by ");
				code(out, at->ignored_by);
			} else if (at->sensitive) {
				platci_buf_puts(out, "sensitive");
			}
			platci_buf_puts(out, " |\n");
		}
		platci_buf_puts(out, "\n</details>\n\n");
	}
}

int platci_drift_render_markdown(platci_buf *out, const platci_drift *d,
	const platci_drift_render_options *opts)
{
	platci_drift_counts c;
	size_t max, start = out->size, i = 0;
	int ignored_header = 0;

	PLATCI_ASSERT_ARG(out && d);
	max = opts && opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_MD;
	platci_drift_count(d, &c);
	if (platci_drift_found(d))
		platci_buf_printf(out, "**Drift found in `%s`**: %zu Terraform resource%s, %zu Flux "
			"finding%s.", d->env, c.terraform_drift, c.terraform_drift == 1 ? "" : "s",
			c.flux_drift, c.flux_drift == 1 ? "" : "s");
	else
		platci_buf_printf(out, "**No drift in `%s`.**", d->env);
	platci_buf_printf(out, " Checked %zu Terraform resource%s and %zu Flux object%s; "
		"%zu notice%s, %zu waiting to be promoted, %zu ignored by policy.\n\n",
		c.terraform_checked, c.terraform_checked == 1 ? "" : "s", c.flux_checked,
		c.flux_checked == 1 ? "" : "s", c.notices, c.notices == 1 ? "" : "s", c.pending,
		c.ignored);
	if (d->tf_plan) {
		platci_buf_puts(out, "Terraform: ");
		code(out, d->tf_plan);
		platci_buf_printf(out, " (format %s, %s plan).", d->tf_format ? d->tf_format : "?",
			d->tf_refresh_only ? "refresh-only" : "normal");
		platci_buf_puts(out, d->flux_given ? " " : "\n\n");
	}
	if (d->flux_given) {
		platci_buf_puts(out, "Flux status:");
		for (size_t f = 0; f < d->nflux_files; f++) {
			platci_buf_puts(out, f ? ", " : " ");
			code(out, d->flux_files[f]);
		}
		platci_buf_puts(out, ".\n\n");
	}
	if (c.expired_rules)
		platci_buf_printf(out, "%zu ignore rule%s expired and no longer appl%s; see the "
			"findings.\n\n", c.expired_rules, c.expired_rules == 1 ? "" : "s",
			c.expired_rules == 1 ? "ies" : "y");

	while (i < d->nitems) {
		const platci_drift_item *first = &d->items[i];
		size_t j = i;
		while (j < d->nitems && strcmp(d->items[j].category, first->category) == 0 &&
		       (d->items[j].ignored_by != NULL) == (first->ignored_by != NULL))
			j++;
		if (first->ignored_by && !ignored_header++)
			platci_buf_puts(out, "#### Ignored by policy\n\n");
		platci_buf_printf(out, "#### %s (%zu)\n\n", platci_drift_category_title(first->category),
			j - i);
		table_head(out, d, first->source);
		for (size_t k = i; k < j; k++)
			table_row(out, &d->items[k]);
		platci_buf_puts(out, "\n");
		i = j;
		if (out->size - start > max)
			break;
	}
	if (out->size - start <= max)
		details(out, d);
	if (out->error)
		return out->error;
	if (out->size - start > max) {
		size_t cut = start + max;
		while (cut > start && out->ptr[cut] != '\n')
			cut--;
		platci_buf_truncate(out, cut);
		platci_buf_printf(out, "\n\n</details>\n\n**Drift summary truncated at %zu bytes.** "
			"Every item is in drift.json.\n", max);
	}
	return out->error;
}

/* ---- JUnit ------------------------------------------------------------- */

static int cmp_by_identity(const void *pa, const void *pb)
{
	const platci_drift_item *a = *(const platci_drift_item *const *)pa;
	const platci_drift_item *b = *(const platci_drift_item *const *)pb;
	int r;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	if ((r = strcmp(a->identity, b->identity)) != 0)
		return r;
	return a < b ? -1 : a > b;
}

typedef int (*case_cb)(void *payload, const char *cls, const char *name, const char *failure,
	const char *details, const char *skipped);

/* Walks the test cases once, for either sink. */
static int walk_cases(const platci_drift *d, case_cb cb, void *payload)
{
	const platci_drift_item **byid = NULL;
	platci_buf failure = PLATCI_BUF_INIT, notes = PLATCI_BUF_INIT, cls = PLATCI_BUF_INIT;
	size_t k = 0;
	int error = 0;

	if (d->nitems) {
		PLATCI_CHECK_ALLOC(byid = malloc(d->nitems * sizeof(*byid)));
		for (size_t i = 0; i < d->nitems; i++)
			byid[i] = &d->items[i];
		qsort(byid, d->nitems, sizeof(*byid), cmp_by_identity);
	}
	for (size_t i = 0; i < d->nchecked; i++) {
		const platci_drift_checked *c = &d->checked[i];
		platci_buf_clear(&failure);
		platci_buf_clear(&notes);
		platci_buf_clear(&cls);
		/* Both lists are sorted by (source, identity): walk them together. */
		while (k < d->nitems && (byid[k]->source < c->source ||
			(byid[k]->source == c->source && strcmp(byid[k]->identity, c->identity) < 0)))
			k++;
		for (; k < d->nitems && byid[k]->source == c->source &&
		       strcmp(byid[k]->identity, c->identity) == 0; k++) {
			platci_buf *b = byid[k]->is_drift ? &failure : &notes;
			platci_buf_printf(b, "%s[%s] %s", b->size ? "\n" : "", byid[k]->category,
				byid[k]->message ? byid[k]->message : "");
			if (byid[k]->ignored_by)
				platci_buf_printf(b, " (ignored by %s)", byid[k]->ignored_by);
		}
		platci_buf_printf(&cls, "drift.%s.%s", d->env, source_name(c->source));
		if ((error = failure.error ? failure.error : notes.error ? notes.error : cls.error) < 0)
			goto done;
		if ((error = cb(payload, cls.ptr, c->identity, failure.size ? failure.ptr : NULL,
			     failure.size ? failure.ptr : notes.size ? notes.ptr : NULL, NULL)) < 0)
			goto done;
	}
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		if (it->source != PLATCI_DRIFT_PENDING)
			continue;
		platci_buf_clear(&cls);
		platci_buf_printf(&cls, "drift.%s.pending", d->env);
		if ((error = cls.error) < 0 ||
		    (error = cb(payload, cls.ptr, it->identity, NULL, NULL,
			     it->message ? it->message : "waiting to be promoted")) < 0)
			goto done;
	}
	if (!d->nchecked && !d->nitems) {
		platci_buf_clear(&cls);
		platci_buf_printf(&cls, "drift.%s", d->env);
		if ((error = cls.error) < 0 ||
		    (error = cb(payload, cls.ptr, "no objects to check", NULL,
			     "the inputs held no resources or Flux objects", NULL)) < 0)
			goto done;
	}
done:
	free(byid);
	platci_buf_dispose(&failure);
	platci_buf_dispose(&notes);
	platci_buf_dispose(&cls);
	return error;
}

static int add_case(void *payload, const char *cls, const char *name, const char *failure,
	const char *details, const char *skipped)
{
	return platci_junit_add(payload, cls, name, failure, details, skipped);
}

int platci_drift_junit(platci_junit *j, const platci_drift *d)
{
	PLATCI_ASSERT_ARG(j && d);
	return walk_cases(d, add_case, j);
}
