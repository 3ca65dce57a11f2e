/*
 * What a promotion shows people: promotion.diff (a unified diff built
 * from the byte edits), promotion.json, and the Markdown of summary.md
 * with a Mermaid flowchart of the versions across environments.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "promote.h"
#include "platci/report.h"
#include "util/common.h"
#include "util/escape.h"
#include "util/jsonw.h"
#include "util/banned.h"

#define CONTEXT 3
#define FLOW_MAX_ROWS 12

/* ---- unified diff ------------------------------------------------------------------ */

/* A run of old lines [a, b) replaced by new text. */
typedef struct region {
	size_t a, b;
	size_t first_edit, nedits; /* into the sorted edits */
} region;

typedef struct lines {
	size_t *start; /* start offset of each line; start[n] = len */
	size_t n;
} lines;

static int split_lines(lines *l, const char *s, size_t len)
{
	size_t alloc = 0;

	l->n = 0;
	l->start = NULL;
	for (size_t i = 0; i <= len; i++) {
		if (i == 0 || s[i - 1] == '\n') {
			if (platci__grow_array((void **)&l->start, &alloc, l->n + 2, sizeof(size_t)) < 0)
				return PLATCI_ENOMEM;
			if (i == len)
				break;
			l->start[l->n++] = i;
		}
	}
	if (!l->start && platci__grow_array((void **)&l->start, &alloc, 1, sizeof(size_t)) < 0)
		return PLATCI_ENOMEM;
	l->start[l->n] = len;
	return 0;
}

static size_t line_at(const lines *l, size_t off)
{
	size_t lo = 0, hi = l->n;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int edit_cmp(const void *a, const void *b)
{
	const platci_yamledit *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void put_lines(platci_buf *out, char mark, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '\n')
			j++;
		platci_buf_putc(out, mark);
		platci_buf_put(out, s + i, j - i);
		platci_buf_putc(out, '\n');
		if (j >= len)
			platci_buf_puts(out, "\\ No newline at end of file\n");
		i = j + 1;
	}
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len && s[len - 1] != '\n');
}

static int file_diff(platci_buf *out, const promote_file *f)
{
	platci_yamledit *ed = NULL;
	region *rg = NULL;
	lines ol = { NULL, 0 };
	platci_buf piece = PLATCI_BUF_INIT;
	size_t nrg = 0, arg = 0;
	long long delta = 0;
	int error;

	if (!f->nedits)
		return 0;
	if ((error = split_lines(&ol, f->old_data, f->old_len)) < 0)
		goto done;
	PLATCI_CHECK_ALLOC(ed = malloc(f->nedits * sizeof(*ed)));
	memcpy(ed, f->edits, f->nedits * sizeof(*ed));
	qsort(ed, f->nedits, sizeof(*ed), edit_cmp);
	for (size_t i = 0; i < f->nedits; i++) {
		size_t a = line_at(&ol, ed[i].start), b;
		/* A raw insert or delete at a line start touches whole lines only. */
		if (ed[i].raw && ed[i].start == ol.start[a] &&
			(ed[i].end == ed[i].start || ed[i].end == f->old_len ||
				f->old_data[ed[i].end - 1] == '\n'))
			b = ed[i].end == ed[i].start ? a : line_at(&ol, ed[i].end - 1) + 1;
		else
			b = line_at(&ol, ed[i].end > ed[i].start ? ed[i].end - 1 : ed[i].start) + 1;
		if (nrg && a <= rg[nrg - 1].b) {
			if (b > rg[nrg - 1].b)
				rg[nrg - 1].b = b;
			rg[nrg - 1].nedits++;
			continue;
		}
		if ((error = platci__grow_array((void **)&rg, &arg, nrg + 1, sizeof(*rg))) < 0)
			goto done;
		rg[nrg].a = a;
		rg[nrg].b = b;
		rg[nrg].first_edit = i;
		rg[nrg].nedits = 1;
		nrg++;
	}
	platci_buf_printf(out, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n", f->path, f->path,
		f->path, f->path);
	for (size_t h = 0; h < nrg;) {
		size_t last = h, ha, hb, new_count = 0, old_count;
		platci_buf body = PLATCI_BUF_INIT;

		while (last + 1 < nrg && rg[last + 1].a <= rg[last].b + 2 * CONTEXT)
			last++;
		ha = rg[h].a > CONTEXT ? rg[h].a - CONTEXT : 0;
		hb = rg[last].b + CONTEXT < ol.n ? rg[last].b + CONTEXT : ol.n;
		old_count = hb - ha;
		for (size_t r = h, at = ha; r <= last; r++) {
			size_t os = ol.start[rg[r].a], oe = ol.start[rg[r].b];
			platci_yamledit *sub = ed + rg[r].first_edit;

			put_lines(&body, ' ', f->old_data + ol.start[at],
				ol.start[rg[r].a] - ol.start[at]);
			new_count += rg[r].a - at;
			put_lines(&body, '-', f->old_data + os, oe - os);
			/* The new text of the region: its edits applied to its old bytes. */
			for (size_t k = 0; k < rg[r].nedits; k++) {
				sub[k].start -= os;
				sub[k].end -= os;
			}
			error = platci_yamledit_apply(&piece, f->old_data + os, oe - os, sub,
				rg[r].nedits, f->path, NULL);
			if (error < 0) {
				platci_buf_dispose(&body);
				goto done;
			}
			put_lines(&body, '+', piece.ptr, piece.size);
			new_count += count_lines(piece.ptr, piece.size);
			at = rg[r].b;
			if (r == last) {
				put_lines(&body, ' ', f->old_data + ol.start[at],
					ol.start[hb] - ol.start[at]);
				new_count += hb - at;
			}
		}
		platci_buf_printf(out, "@@ -%zu,%zu +%lld,%zu @@\n", old_count ? ha + 1 : ha, old_count,
			(long long)(new_count ? (long long)ha + 1 + delta : (long long)ha + delta),
			new_count);
		platci_buf_put(out, body.ptr, body.size);
		if (body.error)
			out->error = body.error;
		platci_buf_dispose(&body);
		delta += (long long)new_count - (long long)old_count;
		h = last + 1;
	}
	error = out->error;
done:
	free(ol.start);
	free(ed);
	free(rg);
	platci_buf_dispose(&piece);
	return error;
}

int platci_promotion_render_diff(platci_buf *out, const platci_promotion *p)
{
	int error = 0;

	PLATCI_ASSERT_ARG(out && p);
	for (size_t i = 0; i < p->nfiles && !error; i++)
		error = file_diff(out, &p->files[i]);
	return error ? error : out->error;
}

/* ---- promotion.json ------------------------------------------------------------------ */

static const char *action_name(platci_change_action a)
{
	return a == PLATCI_CHANGE_ADD ? "add" : a == PLATCI_CHANGE_DROP ? "drop" : "set";
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int string_array(json_t *root, const char *key, const char *const *items, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	return a && json_object_set_new(root, key, a) == 0 ? 0 : PLATCI_ENOMEM;
}

int platci_promotion_render_json(platci_buf *out, const platci_promotion *p)
{
	json_t *root = NULL, *changes, *notes, *refusals, *files;
	int error = 0;

	PLATCI_ASSERT_ARG(out && p);
	root = json_pack("{s:o, s:s, s:o, s:b, s:o, s:b, s:[], s:[], s:[], s:[]}", "from",
		str_or_null(p->from), "to", p->to, "rollback_to", str_or_null(p->rollback_to),
		"forced", p->force, "reason", str_or_null(p->reason), "drop_digest", p->drop_digest,
		"changes", "not_promoted", "refusals", "files");
	PLATCI_CHECK_ALLOC(root);
	changes = json_object_get(root, "changes");
	notes = json_object_get(root, "not_promoted");
	refusals = json_object_get(root, "refusals");
	files = json_object_get(root, "files");
	for (size_t i = 0; i < p->nchanges; i++) {
		const platci_promote_change *c = &p->changes[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:I}",
			"action", action_name(c->action), "kind", platci_pin_kind_name(c->kind),
			"key", c->key, "name", c->name, "app", c->app, "file", c->file, "line",
			(json_int_t)c->line, "column", (json_int_t)c->column, "old",
			str_or_null(c->old_value), "new", str_or_null(c->new_value), "source_file",
			str_or_null(c->source_file), "source_line", (json_int_t)c->source_line);
		if (!o || json_array_append_new(changes, o) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	for (size_t i = 0; i < p->nnotes; i++)
		if (json_array_append_new(notes, json_pack("{s:s, s:s}", "key", p->notes[i].key,
							 "reason", p->notes[i].message)) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	for (size_t i = 0; i < p->nrefusals; i++)
		if (json_array_append_new(refusals, json_string(p->refusals[i])) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	for (size_t i = 0; i < p->nfiles; i++)
		if (json_array_append_new(files, json_string(p->files[i].path)) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	/* What --force let through: policy denials, on record next to the reason. */
	if (p->force && (error = string_array(root, "overridden", p->overridden, p->noverridden)) < 0)
		goto done;
	error = platci__json_dump(out, root, JSON_INDENT(2) | JSON_SORT_KEYS);
done:
	json_decref(root);
	return error;
}

/* ---- summary.md ------------------------------------------------------------------------ */

int platci_promotion_render_title(platci_buf *out, const platci_promotion *p)
{
	PLATCI_ASSERT_ARG(out && p);
	if (p->rollback_to)
		platci_buf_printf(out, "rollback %s to %s: %zu pin%s", p->to, p->rollback_to,
			p->nchanges, p->nchanges == 1 ? "" : "s");
	else
		platci_buf_printf(out, "promote %s -> %s: %zu pin%s", p->from, p->to, p->nchanges,
			p->nchanges == 1 ? "" : "s");
	return out->error;
}

/* A code span in a table cell: no backtick or line break ends it, no pipe splits the row. */
static const char *const code_repl[256] = {
	['`'] = "'",
	['\n'] = "'",
	['\r'] = "'",
	['|'] = "\\|",
};

static void code_cell(platci_buf *out, const char *s)
{
	if (!s) {
		platci_buf_puts(out, "—");
		return;
	}
	platci_buf_puts(out, "`");
	platci__escape(out, s, code_repl);
	platci_buf_puts(out, "`");
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Mermaid label text: quotes and angle brackets as entities, one line. */
static const char *const mermaid_repl[256] = {
	['"'] = "#quot;",
	['<'] = "#lt;",
	['>'] = "#gt;",
	['\n'] = " ",
	['\r'] = " ",
};

/*
 * A Mermaid label: long digests cut to 12 first, then escaped. The cut
 * touches only hex digits and the table none, so the order does not matter.
 */
static void mermaid_text(platci_buf *out, const char *s)
{
	platci_buf cut = PLATCI_BUF_INIT;

	for (; s && *s; s++) {
		size_t run = 0;
		while (is_hex(s[run]))
			run++;
		if (run > 16) {
			platci_buf_put(&cut, s, 12);
			platci_buf_puts(&cut, "…");
			s += run - 1;
		} else {
			platci_buf_putc(&cut, *s);
		}
	}
	if (cut.error)
		out->error = cut.error;
	else
		platci__escape(out, cut.ptr, mermaid_repl);
	platci_buf_dispose(&cut);
}

static const char *field_of(const char *key)
{
	const char *dot = strrchr(key, '.');
	return dot ? dot + 1 : key;
}

static void flowchart(platci_buf *out, const platci_promotion *p)
{
	size_t rows = p->nchanges < FLOW_MAX_ROWS ? p->nchanges : FLOW_MAX_ROWS;
	size_t from_i = SIZE_MAX, to_i = SIZE_MAX;

	platci_buf_puts(out, "```mermaid\nflowchart LR\n");
	for (size_t e = 0; e < p->nenvs; e++) {
		if (p->from && strcmp(p->env_names[e], p->from) == 0)
			from_i = e;
		if (strcmp(p->env_names[e], p->to) == 0)
			to_i = e;
		platci_buf_printf(out, "  e%zu[\"<b>", e);
		mermaid_text(out, p->env_names[e]);
		platci_buf_puts(out, "</b>");
		for (size_t c = 0; c < rows; c++) {
			const char *v = p->env_values[c * p->nenvs + e];
			platci_buf_puts(out, "<br/>");
			mermaid_text(out, p->changes[c].name);
			platci_buf_putc(out, ' ');
			mermaid_text(out, field_of(p->changes[c].key));
			platci_buf_puts(out, ": ");
			mermaid_text(out, v ? v : "-");
		}
		if (rows < p->nchanges)
			platci_buf_printf(out, "<br/>… %zu more", p->nchanges - rows);
		platci_buf_puts(out, "\"]\n");
	}
	for (size_t e = 0; e + 1 < p->nenvs; e++) {
		if (e + 1 == to_i && e == from_i)
			continue;
		platci_buf_printf(out, "  e%zu --> e%zu\n", e, e + 1);
	}
	if (p->rollback_to && to_i != SIZE_MAX) {
		platci_buf_puts(out, "  r[\"<b>");
		mermaid_text(out, p->to);
		platci_buf_puts(out, " at ");
		mermaid_text(out, p->rollback_to);
		platci_buf_puts(out, "</b>");
		for (size_t c = 0; c < rows; c++) {
			platci_buf_puts(out, "<br/>");
			mermaid_text(out, p->changes[c].name);
			platci_buf_putc(out, ' ');
			mermaid_text(out, field_of(p->changes[c].key));
			platci_buf_puts(out, ": ");
			mermaid_text(out, p->changes[c].new_value ? p->changes[c].new_value : "(removed)");
		}
		platci_buf_printf(out, "\"]\n  r ==>|rollback| e%zu\n", to_i);
	} else if (from_i != SIZE_MAX && to_i != SIZE_MAX) {
		platci_buf_printf(out, "  e%zu ==>|\"promote %zu pin%s\"| e%zu\n", from_i,
			p->nchanges, p->nchanges == 1 ? "" : "s", to_i);
		platci_buf_printf(out, "  style e%zu stroke-width:3px\n", to_i);
	}
	platci_buf_puts(out, "```\n");
}

static void bullets(platci_buf *out, const char *title, const char *const *items, size_t n)
{
	if (!n)
		return;
	platci_buf_printf(out, "### %s\n\n", title);
	for (size_t i = 0; i < n; i++) {
		platci_buf_puts(out, "- ");
		platci_md_escape(out, items[i]);
		platci_buf_putc(out, '\n');
	}
	platci_buf_putc(out, '\n');
}

int platci_promotion_render_nothing(platci_buf *out, const platci_promotion *p)
{
	const char *src = p->rollback_to ? p->rollback_to : p->from;

	PLATCI_ASSERT_ARG(out && p);
	if (p->source_pins && p->target_pins) {
		platci_buf_puts(out,
			"every pin the target shares with the source already has the "
			"source's value.");
		return out->error;
	}
	if (!p->source_pins && !p->target_pins)
		platci_buf_printf(out, "no version pins were found in %s or %s", src, p->to);
	else
		platci_buf_printf(out, "no version pins were found in %s", p->source_pins ? p->to : src);
	if (p->only)
		platci_buf_puts(out, " that match --only");
	platci_buf_printf(out,
		". Pins are: kustomize `images:` entries (newName, newTag, digest; "
		"also a Flux Kustomization's spec.images), HelmRelease spec.chart.spec.version, "
		"OCIRepository and GitRepository spec.ref (tag, semver, digest, commit), "
		"postBuild.substitute variables named like %s, and values marked with an image-policy "
		"setter comment (# {\"$imagepolicy\": \"ns:policy\"}). Image tags written in "
		"strategic-merge patches or plain manifests are not pins: move them to `images:` "
		"or mark them with a setter.",
		p->substitute ? p->substitute : "(none configured)");
	return out->error;
}

int platci_promotion_findings(platci_findings *out, const platci_promotion *p)
{
	PLATCI_ASSERT_ARG(out && p);
	for (size_t i = 0; i < p->nrefusals + p->noverridden; i++) {
		int refused = i < p->nrefusals;
		platci_finding f;
		int error;

		memset(&f, 0, sizeof(f));
		f.rule_id = refused ? "promote.refused" : "promote.forced";
		f.severity = PLATCI_SEVERITY_MAJOR;
		f.enforcement = refused ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
		f.message = refused ? p->refusals[i] : p->overridden[i - p->nrefusals];
		f.env = p->to;
		if ((error = platci_findings_add(out, &f)) < 0)
			return error;
	}
	return 0;
}

int platci_promotion_render_summary(platci_buf *out, const platci_promotion *p)
{
	PLATCI_ASSERT_ARG(out && p);
	if (p->rollback_to)
		platci_buf_printf(out, "**Rollback** of `%s` to the pins it had at `%s`.\n\n",
			p->to, p->rollback_to);
	else
		platci_buf_printf(out, "**Promotion** `%s` → `%s`.\n\n", p->from, p->to);
	if (p->force) {
		platci_buf_printf(out, "> **Forced** past the promotion order%s. Reason: ",
			p->noverridden ? " and the target's policy" : "");
		platci_md_escape(out, p->reason);
		platci_buf_puts(out, "\n\n");
	}
	bullets(out, "Refused", p->refusals, p->nrefusals);
	bullets(out, "Let through by --force", p->overridden, p->noverridden);
	if (!p->nchanges) {
		platci_buf_puts(out, "Nothing to promote: ");
		platci_promotion_render_nothing(out, p);
		platci_buf_puts(out, "\n\n");
	} else {
		platci_buf_printf(out, "| pin | file | %s now | after |\n|---|---|---|---|\n", p->to);
		for (size_t i = 0; i < p->nchanges; i++) {
			const platci_promote_change *c = &p->changes[i];
			platci_buf_puts(out, "| ");
			code_cell(out, c->key);
			platci_buf_puts(out, " | ");
			platci_md_escape(out, c->file);
			platci_buf_printf(out, ":%zu | ", c->line);
			code_cell(out, c->old_value);
			platci_buf_puts(out, " | ");
			if (c->action == PLATCI_CHANGE_DROP)
				platci_buf_puts(out, "(removed)");
			else
				code_cell(out, c->new_value);
			platci_buf_puts(out, " |\n");
		}
		platci_buf_putc(out, '\n');
		flowchart(out, p);
		platci_buf_putc(out, '\n');
	}
	if (p->nnotes) {
		platci_buf_printf(out, "<details><summary>Not promoted (%zu)</summary>\n\n", p->nnotes);
		for (size_t i = 0; i < p->nnotes; i++) {
			platci_buf_puts(out, "- ");
			code_cell(out, p->notes[i].key);
			platci_buf_puts(out, ": ");
			platci_md_escape(out, p->notes[i].message);
			platci_buf_putc(out, '\n');
		}
		platci_buf_puts(out, "\n</details>\n\n");
	}
	return out->error;
}
