/* Renderings of a drift result: drift.json, the summary's Markdown, JUnit cases. */
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/fs.h"
#include "platci/redact.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/utf8.h"
#include "util/banned.h"

/* The drift part of a summary: what a 60 kB note leaves it (report.h's budget). */
#define DEFAULT_MAX_MD 40000

static const char *source_name(platci_drift_source s)
{
	switch (s) {
	case PLATCI_DRIFT_TERRAFORM:
		return "terraform";
	case PLATCI_DRIFT_FLUX:
		return "flux";
	default:
		return "pending";
	}
}

/*
 * drift.json is written through the streaming JSON writer, its members in
 * the order jansson's JSON_SORT_KEYS gave them: a refresh-only plan of
 * 40,000 resources gives thousands of drifted ones, and a DOM of them cost
 * more than reading the plan did.
 */
static void item_json(platci_jsonw *w, const platci_drift_item *it)
{
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "action", it->action);
	if (it->source == PLATCI_DRIFT_TERRAFORM) {
		platci__jsonw_key(w, "attributes");
		platci__jsonw_open(w, '[');
		for (size_t a = 0; a < it->nattrs; a++) {
			const platci_drift_attr *at = &it->attrs[a];
			platci__jsonw_open(w, '{');
			platci__jsonw_key(w, "after");
			platci__jsonw_str(w, at->after);
			platci__jsonw_key(w, "before");
			platci__jsonw_str(w, at->before);
			platci__jsonw_kstr(w, "ignored_by", at->ignored_by);
			platci__jsonw_kstr(w, "path", at->path);
			platci__jsonw_kbool(w, "sensitive", at->sensitive);
			platci__jsonw_close(w, '}');
		}
		platci__jsonw_close(w, ']');
	}
	platci__jsonw_kstr(w, "category", it->category);
	platci__jsonw_kbool(w, "drift", it->is_drift);
	platci__jsonw_kstr(w, "expected", it->expected);
	platci__jsonw_kstr(w, "file", it->file);
	platci__jsonw_kstr(w, "identity", it->identity);
	platci__jsonw_kstr(w, "ignored_by", it->ignored_by);
	if (it->line)
		platci__jsonw_kint(w, "line", (long long)it->line);
	platci__jsonw_kstr(w, "message", it->message);
	platci__jsonw_kstr(w, "previous", it->previous);
	platci__jsonw_kstr(w, "reason", it->reason);
	platci__jsonw_kstr(w, "source", source_name(it->source));
	platci__jsonw_close(w, '}');
}

static void counts_json(platci_jsonw *w, const platci_drift_counts *c)
{
	platci__jsonw_key(w, "counts");
	platci__jsonw_open(w, '{');
	platci__jsonw_kint(w, "expired_rules", (long long)c->expired_rules);
	platci__jsonw_kint(w, "flux_checked", (long long)c->flux_checked);
	platci__jsonw_kint(w, "flux_drift", (long long)c->flux_drift);
	platci__jsonw_kint(w, "ignored", (long long)c->ignored);
	platci__jsonw_kint(w, "notices", (long long)c->notices);
	platci__jsonw_kint(w, "pending", (long long)c->pending);
	platci__jsonw_kint(w, "terraform_checked", (long long)c->terraform_checked);
	platci__jsonw_kint(w, "terraform_drift", (long long)c->terraform_drift);
	platci__jsonw_close(w, '}');
}

static void inputs_json(platci_jsonw *w, const platci_drift *d)
{
	platci__jsonw_key(w, "inputs");
	platci__jsonw_open(w, '{');
	if (d->flux_given) {
		platci__jsonw_key(w, "flux");
		platci__jsonw_open(w, '[');
		for (size_t i = 0; i < d->nflux_files; i++)
			platci__jsonw_str(w, d->flux_files[i]);
		platci__jsonw_close(w, ']');
	}
	if (d->pending_given) {
		platci__jsonw_key(w, "pending_from");
		platci__jsonw_str(w, d->pending_from);
	}
	if (d->tf_plan) {
		platci__jsonw_key(w, "terraform");
		platci__jsonw_open(w, '{');
		platci__jsonw_kstr(w, "format_version", d->tf_format ? d->tf_format : "");
		platci__jsonw_kstr(w, "plan", d->tf_plan);
		platci__jsonw_kbool(w, "refresh_only", d->tf_refresh_only);
		platci__jsonw_close(w, '}');
	}
	platci__jsonw_close(w, '}');
}

/* The document into @p w; with @p f, what is buffered goes to the file every few entries. */
static int json_doc(platci_jsonw *w, const platci_drift *d, const platci_drift_render_options *opts,
	platci_fs_file *f)
{
	platci_drift_counts c;
	int error = 0;

	platci_drift_totals(&c, d);
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "checked");
	platci__jsonw_open(w, '[');
	for (size_t i = 0; i < d->nchecked && !error; i++) {
		platci__jsonw_open(w, '{');
		platci__jsonw_kint(w, "drift", (long long)d->checked[i].ndrift);
		platci__jsonw_kstr(w, "identity", d->checked[i].identity);
		platci__jsonw_kstr(w, "source", source_name(d->checked[i].source));
		platci__jsonw_close(w, '}');
		if (f)
			error = platci_fs_atomic_flush(f);
	}
	platci__jsonw_close(w, ']');
	counts_json(w, &c);
	platci__jsonw_kbool(w, "drift", platci_drift_found(d));
	platci__jsonw_kstr(w, "env", d->env);
	if (opts && opts->generated_at)
		platci__jsonw_kstr(w, "generated_at", opts->generated_at);
	inputs_json(w, d);
	platci__jsonw_key(w, "items");
	platci__jsonw_open(w, '[');
	for (size_t i = 0; i < d->nitems && !error; i++) {
		item_json(w, &d->items[i]);
		if (f)
			error = platci_fs_atomic_flush(f);
	}
	platci__jsonw_close(w, ']');
	platci__jsonw_kint(w, "version", 1);
	platci__jsonw_close(w, '}');
	return error < 0 ? error : platci__jsonw_end(w);
}

int platci_drift_render_json(platci_buf *out, const platci_drift *d, const platci_drift_render_options *opts)
{
	platci_jsonw w;

	PLATCI_ASSERT_ARG(out && d);
	platci__jsonw_init(&w, out, opts && opts->pretty);
	return json_doc(&w, d, opts, NULL);
}

typedef struct json_file {
	const platci_drift *d;
	const platci_drift_render_options *opts;
} json_file;

static int json_file_doc(platci_jsonw *w, const void *payload, platci_fs_file *f)
{
	const json_file *j = payload;
	return json_doc(w, j->d, j->opts, f);
}

int platci_drift_write_json(const char *path, const platci_drift *d,
	const platci_drift_render_options *opts, platci_diag *diag)
{
	json_file j = { d, opts };

	PLATCI_ASSERT_ARG(path && d);
	return platci__jsonw_write_file(path, opts && opts->pretty, json_file_doc, &j, diag);
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
	platci_drift_totals(&c, d);
	if (platci_drift_found(d))
		platci_buf_printf(out,
			"**Drift found in `%s`**: %zu Terraform resource%s, %zu Flux "
			"finding%s.",
			d->env, c.terraform_drift, c.terraform_drift == 1 ? "" : "s", c.flux_drift,
			c.flux_drift == 1 ? "" : "s");
	else
		platci_buf_printf(out, "**No drift in `%s`.**", d->env);
	platci_buf_printf(out,
		" Checked %zu Terraform resource%s and %zu Flux object%s; "
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
		platci_buf_printf(out,
			"%zu ignore rule%s expired and no longer appl%s; see the "
			"findings.\n\n",
			c.expired_rules, c.expired_rules == 1 ? "" : "s",
			c.expired_rules == 1 ? "ies" : "y");

	while (i < d->nitems) {
		const platci_drift_item *first = &d->items[i];
		size_t j = i;
		while (j < d->nitems && strcmp(d->items[j].category, first->category) == 0 &&
			(d->items[j].ignored_by != NULL) == (first->ignored_by != NULL))
			j++;
		if (first->ignored_by && !ignored_header++)
			platci_buf_puts(out, "#### Ignored by policy\n\n");
		platci_buf_printf(out, "#### %s (%zu)\n\n",
			platci_drift_category_title(first->category), j - i);
		table_head(out, d, first->source);
		for (size_t k = i; k < j; k++) {
			/* Rows stop at a row: the rest is counted, every item is in drift.json. */
			if (out->size - start > max) {
				platci_buf_printf(out,
					"\n_%zu more items not shown here: every item is in "
					"drift.json._\n",
					d->nitems - k);
				i = d->nitems;
				break;
			}
			table_row(out, &d->items[k]);
		}
		platci_buf_puts(out, "\n");
		if (i == d->nitems)
			break;
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
		platci_buf_printf(out,
			"\n\n</details>\n\n**Drift summary truncated at %zu bytes.** "
			"Every item is in drift.json.\n",
			max);
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
		/* Both lists are sorted by (source, identity): walk them together. */
		while (k < d->nitems && (byid[k]->source < c->source ||
						(byid[k]->source == c->source &&
							strcmp(byid[k]->identity, c->identity) < 0)))
			k++;
		for (; k < d->nitems && byid[k]->source == c->source &&
			strcmp(byid[k]->identity, c->identity) == 0;
			k++) {
			platci_buf *b = byid[k]->is_drift ? &failure : &notes;
			platci_buf_printf(b, "%s[%s] %s", b->size ? "\n" : "", byid[k]->category,
				byid[k]->message ? byid[k]->message : "");
			if (byid[k]->ignored_by)
				platci_buf_printf(b, " (ignored by %s)", byid[k]->ignored_by);
		}
		/* One classname per source: the checked objects are sorted by source. */
		if (!i || c->source != d->checked[i - 1].source) {
			platci_buf_clear(&cls);
			platci_buf_printf(&cls, "drift.%s.%s", d->env, source_name(c->source));
		}
		if ((error = failure.error ? failure.error
			     : notes.error ? notes.error
					   : cls.error) < 0)
			goto done;
		if ((error = cb(payload, cls.ptr, c->identity, failure.size ? failure.ptr : NULL,
			     failure.size ? failure.ptr
			     : notes.size ? notes.ptr
					  : NULL,
			     NULL)) < 0)
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
