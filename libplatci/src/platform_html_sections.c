/*
 * index.html, the sections: versions, drift, plans and gates,
 * vulnerabilities, policy findings. Every state is said in words or
 * symbols as well as colour.
 */
#include <stdio.h>
#include <string.h>

#include "platform_int.h"
#include "util/common.h"
#include "util/banned.h"

#define esc platci_platform__esc

static void link_inputs(platci_buf *out, const platci_platform *p, const char *kind,
	const char *env, int no_env)
{
	const char *sep = "";

	for (size_t i = 0; i < p->ninputs; i++) {
		const platci_platform_input *in = &p->inputs[i];
		if (in->status != PLATCI_PLATFORM_OK || strcmp(in->kind, kind) != 0)
			continue;
		if (no_env ? in->env != NULL : (!in->env || strcmp(in->env, env) != 0))
			continue;
		platci_buf_puts(out, sep);
		platci_platform__a(out, in->link, in->file);
		sep = ", ";
	}
	if (!*sep)
		platci_buf_puts(out, "none");
}

static void shown(platci_buf *out, const pf_top *t, const char *what, const char *where)
{
	if (t->offered > t->n)
		platci_buf_printf(out,
			"<p class=\"warn\">&#9986; Showing the %zu most severe of %zu %s; "
			"the full list is in %s.</p>\n",
			t->n, t->offered, what, where);
}

/*
 * The capped list @p t as a table: @p head opens it (up to <tbody>), @p row
 * draws each row, and a note says when more were offered than kept.
 */
static void top_table(platci_buf *out, const char *head, const pf_top *t,
	void (*row)(platci_buf *out, const pf_row *r), const char *what, const char *where)
{
	platci_buf_puts(out, head);
	for (size_t k = 0; k < t->n; k++)
		row(out, &t->rows[k]);
	platci_buf_puts(out, "</tbody></table>\n");
	shown(out, t, what, where);
}

/* ---- versions --------------------------------------------------------------- */

static void value(platci_buf *out, const char *v)
{
	/* Digests are cut to the 12 hex digits people compare; platform.json has them whole. */
	if (strncmp(v, "sha256:", 7) == 0 && strlen(v) > 19) {
		platci_buf_printf(out, "%.19s\xe2\x80\xa6", v);
		return;
	}
	esc(out, v);
}

/*
 * One row per pin: application, pin, one cell per environment, and how
 * many environments wait for it. Marks are symbols (the legend says what
 * they mean) as well as colours, and cost a few bytes: at 2,000
 * applications the matrix is most of the page.
 */
static void pin_row(platci_buf *out, const platci_platform *p, const pf_app *a, const pf_pin *x)
{
	size_t waiting = 0;

	platci_buf_puts(out, "<tr data-key=\"");
	esc(out, x->key);
	platci_buf_puts(out, "\"><th>");
	esc(out, a->name);
	platci_buf_puts(out, "</th><td>");
	if (strcmp(x->name, a->name) != 0 && strcmp(x->name, x->field) != 0) {
		esc(out, x->name);
		platci_buf_putc(out, ' ');
	}
	esc(out, x->kind);
	platci_buf_putc(out, ' ');
	esc(out, x->field);
	platci_buf_puts(out, "</td>");
	/* No data-e here: the filter hides matrix columns by position (see the style). */
	for (size_t e = 0; e < p->matrix_envs; e++) {
		unsigned m = x->marks[e];
		waiting += (m & PF_AHEAD) != 0;
		platci_buf_puts(out, (m & PF_AHEAD)    ? "<td class=\"a\">"
				     : (m & PF_BEHIND) ? "<td class=\"b\">"
						       : "<td>");
		if (p->envs[e].versions_state != 1) {
			platci_buf_puts(out, "? unreadable</td>");
			continue;
		}
		if (!x->values[e]) {
			platci_buf_puts(out, "\xe2\x80\x93</td>");
			continue;
		}
		value(out, x->values[e]);
		if (m)
			platci_buf_printf(out, " %s%s%s%s", (m & PF_AHEAD) ? "\xe2\x96\xb2" : "",
				(m & PF_BEHIND) ? "\xe2\x96\xbc" : "", (m & PF_NEW) ? "\xe2\x9c\x9a" : "",
				(m & PF_AMBIG) ? "\xe2\x81\x87" : "");
		platci_buf_puts(out, "</td>");
	}
	platci_buf_printf(out, "<td%s>%zu</td></tr>\n", waiting ? " class=\"a\"" : "", waiting);
}

static void promotion_runs(platci_buf *out, const platci_platform *p, size_t to)
{
	for (size_t i = 0; i < p->npromorecs; i++) {
		const pf_promorec *r = &p->promorecs[i];
		if (!r->used || strcmp(r->to, p->envs[to].name) != 0)
			continue;
		platci_buf_puts(out, " Last <code>platci-promote</code> run (");
		platci_platform__a(out, p->inputs[r->input].link, "promotion.json");
		if (r->diff_link) {
			platci_buf_puts(out, ", ");
			platci_platform__a(out, r->diff_link, "promotion.diff");
		}
		platci_buf_printf(out, "): %zu change%s planned from ", r->changes,
			r->changes == 1 ? "" : "s");
		esc(out, r->rollback_to ? "a rollback" : r->from);
		if (r->forced) {
			platci_buf_puts(out, ", <span class=\"warn\">forced: ");
			esc(out, r->reason);
			platci_buf_puts(out, "</span>");
		}
		if (r->nrefusals) {
			platci_buf_puts(out, "; <span class=\"deny\">&#10006; refused:</span> ");
			for (size_t k = 0; k < r->nrefusals; k++) {
				esc(out, r->refusals[k]);
				platci_buf_puts(out, k + 1 < r->nrefusals ? "; " : ".");
			}
		} else {
			platci_buf_puts(out, "; not refused.");
		}
	}
}

static void pairs(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out, "<ul id=\"pending\">\n");
	for (size_t to = 0; to < p->matrix_envs; to++) {
		size_t n = 0;
		if (!p->envs[to].promote_from)
			continue;
		for (size_t k = 0; k < p->npending; k++)
			n += p->pending[k].to == to;
		platci_buf_printf(out, "<li data-e=\"%zu\">", to);
		esc(out, p->envs[to].promote_from);
		platci_buf_puts(out, " &#8594; ");
		esc(out, p->envs[to].name);
		platci_buf_printf(out, ": <span class=\"%s\">%zu pin%s waiting</span>.",
			n ? "ahead" : "ok", n, n == 1 ? "" : "s");
		promotion_runs(out, p, to);
		platci_buf_puts(out, "</li>\n");
	}
	platci_buf_puts(out, "</ul>\n");
}

void platci_platform__html_versions(platci_buf *out, const platci_platform *p)
{
	platci_buf head = PLATCI_BUF_INIT;
	pf_chunks chunks;

	memset(&chunks, 0, sizeof(chunks));
	platci_buf_puts(out, "<section id=\"versions\">\n<h2>Versions</h2>\n");
	if (!p->opts.config || !p->versions_loaded) {
		platci_buf_puts(out,
			"<p class=\"warn\">No version matrix: the page was built without "
			"the repository's platci.yaml.</p>\n</section>\n");
		return;
	}
	platci_buf_puts(out,
		"<p>What each environment pins in the repository (kustomize images, "
		"HelmRelease charts, OCI and Git references, substitutes, image-policy setters), as "
		"<code>platci-promote</code> reads it; environments in promotion order. Marks: "
		"<span class=\"a\">&#9650; ahead</span>: differs from the next environment, so it "
		"waits to be promoted there; <span class=\"b\">&#9660; behind</span>: differs from "
		"the environment it promotes from; &#10010; only here, not in the next environment; "
		"&#8263; several values for one pin; &#8211; not pinned. <em>Steps waiting</em>: in how many "
		"promotion steps (such as stg &#8594; prd) the pin waits.</p>\n");
	pairs(out, p);
	platci_buf_puts(&head, "<colgroup><col class=\"a\"><col class=\"p\">");
	for (size_t e = 0; e < p->matrix_envs; e++)
		platci_buf_puts(&head, "<col class=\"e\">");
	platci_buf_puts(&head,
		"<col class=\"w\"></colgroup><thead><tr><th scope=\"col\">Application"
		"</th><th scope=\"col\">Pin</th>");
	for (size_t e = 0; e < p->matrix_envs; e++) {
		platci_buf_puts(&head, "<th scope=\"col\">");
		esc(&head, p->envs[e].name);
		platci_buf_puts(&head, "</th>");
	}
	platci_buf_puts(&head, "<th scope=\"col\" data-t=\"n\">Steps waiting</th></tr></thead>");
	chunks.out = out;
	chunks.group = "matrix";
	chunks.head = head.ptr;
	for (size_t i = 0; i < p->napps; i++)
		for (size_t k = 0; k < p->apps[i].npins; k++) {
			platci_platform__chunk_row(&chunks);
			pin_row(out, p, &p->apps[i], &p->apps[i].pins[k]);
		}
	platci_platform__chunk_end(&chunks);
	platci_buf_puts(out, "</section>\n");
	if (head.error)
		out->error = head.error;
	platci_buf_dispose(&head);
}

/* ---- drift -------------------------------------------------------------------- */

static void issue_link(platci_buf *out, const platci_platform *p, const char *env)
{
	platci_buf q = PLATCI_BUF_INIT;

	if (!p->opts.project_url)
		return;
	platci_buf_printf(&q, "Drift: %s", env);
	platci_buf_puts(out, ", <a href=\"");
	esc(out, p->opts.project_url);
	platci_buf_puts(out, "/-/issues/?label_name%5B%5D=platci-drift&amp;search=");
	platci_platform__url_encode(out, q.ptr, 0);
	platci_buf_puts(out, "\">the GitLab issue</a>");
	platci_buf_dispose(&q);
}

static void drift_row(platci_buf *out, const pf_row *r)
{
	platci_buf_puts(out, r->rank >= 20   ? "<tr><td class=\"deny\">&#9888; drift</td>"
			     : r->rank >= 10 ? "<tr><td class=\"warn\">&#8505; notice</td>"
					     : "<tr><td class=\"mut\">&#8856; ignored</td>");
	for (int f = PFD_SOURCE; f <= PFD_FILE; f++) {
		if (f == PFD_ACTION || f == PFD_MESSAGE)
			continue;
		platci_buf_puts(out, "<td>");
		if (f == PFD_REASON) {
			/* Action for Terraform, reason and message for Flux. */
			esc(out, r->f[PFD_ACTION]);
			if (r->f[PFD_ACTION] && (r->f[PFD_REASON] || r->f[PFD_MESSAGE]))
				platci_buf_puts(out, ": ");
			esc(out, r->f[PFD_REASON]);
			if (r->f[PFD_REASON] && r->f[PFD_MESSAGE])
				platci_buf_puts(out, ": ");
			esc(out, r->f[PFD_MESSAGE]);
		} else {
			esc(out, r->f[f]);
		}
		platci_buf_puts(out, "</td>");
	}
	platci_buf_puts(out, "</tr>\n");
}

static void drift_env(platci_buf *out, const platci_platform *p, size_t i)
{
	const pf_env *e = &p->envs[i];
	const pf_driftrec *d = e->drift;
	const platci_platform_input *in;
	char age[32];

	platci_buf_printf(out, "<div data-e=\"%zu\" class=\"drift-env\">\n<h3>", i);
	esc(out, e->name);
	platci_buf_puts(out, "</h3>\n");
	if (!d) {
		platci_buf_puts(out,
			"<p class=\"mut\">&#8709; No drift report for this environment "
			"(drift.json missing).</p>\n</div>\n");
		return;
	}
	in = &p->inputs[d->input];
	platci_platform__age(age, sizeof(age), p->opts.now, in->generated);
	platci_buf_puts(out, d->drift ? "<p><span class=\"deny\">&#9888; drift found</span>: "
				      : "<p><span class=\"ok\">&#10004; in sync</span>: ");
	platci_buf_printf(out,
		"Terraform %zu drifted of %zu checked, Flux %zu over %zu objects; "
		"%zu notices, %zu ignored, %zu expired ignore rules. Checked ",
		d->counts[PFD_N_TF_DRIFT], d->counts[PFD_N_TF_CHECKED], d->counts[PFD_N_FLUX_DRIFT],
		d->counts[PFD_N_FLUX_CHECKED], d->counts[PFD_N_NOTICES], d->counts[PFD_N_IGNORED],
		d->counts[PFD_N_EXPIRED]);
	platci_platform__time(out, in->generated);
	platci_buf_puts(out, " (age ");
	esc(out, *age ? age : "unknown");
	platci_buf_puts(out, ").</p>\n<p>Reports: ");
	platci_platform__a(out, in->link, in->file);
	if (d->issue_md) {
		platci_buf_puts(out, ", ");
		platci_platform__a(out, d->issue_md, "drift-issue.md");
	}
	issue_link(out, p, e->name);
	platci_buf_puts(out, ".</p>\n");
	if (d->items.n)
		top_table(out,
			"<table class=\"s drift\"><thead><tr><th scope=\"col\">State</th>"
			"<th scope=\"col\">Source</th><th scope=\"col\">Category</th>"
			"<th scope=\"col\">Object</th><th scope=\"col\">Action or reason</th>"
			"<th scope=\"col\">Ignored by</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n",
			&d->items, drift_row, "items", "drift.json");
	else
		shown(out, &d->items, "items", "drift.json");
	platci_buf_puts(out, "</div>\n");
}

void platci_platform__html_drift(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<section id=\"drift\">\n<h2>Drift</h2>\n<p>What runs and what the "
		"repository declares, per environment, from <code>platci-drift</code> (Terraform "
		"refresh-only plans and Flux status). Age is the time since the check ran.</p>\n");
	for (size_t i = 0; i < p->nenvs; i++)
		drift_env(out, p, i);
	platci_buf_puts(out, "</section>\n");
}

/* ---- plans and gates ------------------------------------------------------------ */

static void gate_cells(platci_buf *out, const platci_platform *p, const pf_gaterec *g)
{
	static const char *const names[PFP_NCOUNTS] = { "add", "change", "destroy", "replace",
		"import", "move", "forget" };

	platci_buf_puts(out, "<td>");
	if (g->has_counts)
		for (size_t k = 0; k < PFP_NCOUNTS; k++)
			platci_buf_printf(out, "%s%lld %s", k ? ", " : "", g->counts[k], names[k]);
	platci_buf_puts(out, "</td>");
	if (strcmp(g->decision, "allow") == 0)
		platci_buf_puts(out, "<td class=\"ok\">&#10004; allow</td>");
	else if (strcmp(g->decision, "deny") == 0)
		platci_buf_puts(out, "<td class=\"deny\">&#10006; deny</td>");
	else
		platci_buf_puts(out, "<td class=\"warn\">&#9873; needs approval</td>");
	platci_buf_puts(out, "<td><ul class=\"p\">");
	for (size_t k = 0; k < g->nrules; k++) {
		int deny = g->rules[k].outcome && strcmp(g->rules[k].outcome, "deny") == 0;
		platci_buf_puts(out, deny ? "<li class=\"deny\">&#10006; " : "<li class=\"warn\">&#9873; ");
		esc(out, g->rules[k].id);
		platci_buf_puts(out, ": ");
		esc(out, g->rules[k].reason);
		platci_buf_puts(out, "</li>");
	}
	platci_buf_puts(out, g->nrules ? "</ul></td><td><code>"
				       : "<li>every rule passed</li></ul></td>"
					 "<td><code>");
	esc(out, g->commit ? g->commit : "");
	platci_buf_puts(out, "</code></td><td>");
	platci_platform__time(out, p->inputs[g->input].generated);
	platci_buf_puts(out, " ");
	platci_platform__a(out, p->inputs[g->input].link, "decision.json");
	platci_buf_puts(out, "</td>");
}

void platci_platform__html_plans(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<section id=\"plans\">\n<h2>Plans and gates</h2>\n<p>The last plan "
		"summary (GitLab's terraform-report.json) and gate decision (decision.json) per "
		"environment.</p>\n<table class=\"s\" id=\"plans-table\"><thead><tr>"
		"<th scope=\"col\">Environment</th><th scope=\"col\">Plan: create, update, delete</th>"
		"<th scope=\"col\">Changes the gate saw</th><th scope=\"col\">Gate</th>"
		"<th scope=\"col\">Rules that did not pass</th><th scope=\"col\">Commit</th>"
		"<th scope=\"col\">Decided</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->nenvs; i++) {
		const pf_env *e = &p->envs[i];
		platci_buf_printf(out, "<tr data-e=\"%zu\"><th scope=\"row\">", i);
		esc(out, e->name);
		platci_buf_puts(out, "</th>");
		if (e->plan) {
			platci_buf_printf(out, "<td>%lld to create, %lld to update, %lld to delete (",
				e->plan->create, e->plan->update, e->plan->del);
			platci_platform__a(out, p->inputs[e->plan->input].link, "terraform-report.json");
			platci_buf_puts(out, ")</td>");
		} else {
			platci_buf_puts(out, "<td class=\"mut\">&#8709; no plan report</td>");
		}
		if (e->gate)
			gate_cells(out, p, e->gate);
		else
			platci_buf_puts(out,
				"<td></td><td class=\"mut\">&#8709; no gate decision</td>"
				"<td></td><td></td><td></td>");
		platci_buf_puts(out, "</tr>\n");
	}
	platci_buf_puts(out, "</tbody></table>\n</section>\n");
}

/* ---- vulnerabilities ---------------------------------------------------------- */

/* Numbers are right-aligned by the table's style: no class per cell, at 6,000 rows it counts. */
static void vuln_cells(platci_buf *out, const pf_vuln *v)
{
	static const char *const cls[PF_NSEV] = { "<td class=\"deny\">", "<td class=\"deny\">",
		"<td class=\"warn\">", "<td>", "<td>" };

	for (int s = 0; s < PF_NSEV; s++)
		platci_buf_printf(out, "%s%zu</td>", v->sev[s] ? cls[s] : "<td>", v->sev[s]);
	platci_buf_printf(out, "<td>%zu</td><td>%zu</td>%s%zu</td>", v->fixable, v->waived,
		v->expiring ? "<td class=\"warn\">" : "<td>", v->expiring);
}

static const char vuln_head[] =
	"<th scope=\"col\" data-t=\"n\">Critical</th>"
	"<th scope=\"col\" data-t=\"n\">High</th><th scope=\"col\" data-t=\"n\">Medium</th>"
	"<th scope=\"col\" data-t=\"n\">Low</th><th scope=\"col\" data-t=\"n\">Unknown</th>"
	"<th scope=\"col\" data-t=\"n\">Fixable</th><th scope=\"col\" data-t=\"n\">Waived</th>"
	"<th scope=\"col\" data-t=\"n\">Expiring soon</th>";

static void vuln_totals(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<table class=\"s\" id=\"vuln-totals\"><thead><tr>"
		"<th scope=\"col\">Environment</th>");
	platci_buf_puts(out, vuln_head);
	platci_buf_puts(out,
		"<th scope=\"col\" data-t=\"n\">Expired waivers</th>"
		"<th scope=\"col\">Reports</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->nenvs; i++) {
		const pf_env *e = &p->envs[i];
		pf_vuln t;
		memset(&t, 0, sizeof(t));
		for (size_t k = 0; k < e->vulns.n; k++) {
			for (int s = 0; s < PF_NSEV; s++)
				t.sev[s] += e->vulns.v[k].sev[s];
			t.fixable += e->vulns.v[k].fixable;
			t.waived += e->vulns.v[k].waived;
			t.expiring += e->vulns.v[k].expiring;
		}
		platci_buf_printf(out, "<tr data-e=\"%zu\"><th scope=\"row\">", i);
		esc(out, e->name);
		platci_buf_puts(out, "</th>");
		if (e->scan_input == PF_NONE && e->waiver_input == PF_NONE) {
			platci_buf_puts(out,
				"<td colspan=\"10\" class=\"mut\">&#8709; no scan report</td>"
				"</tr>\n");
			continue;
		}
		vuln_cells(out, &t);
		platci_buf_printf(out, "%s%zu</td><td>",
			e->expired_waivers ? "<td class=\"deny\">" : "<td>", e->expired_waivers);
		if (e->scan_input != PF_NONE)
			platci_platform__a(out, p->inputs[e->scan_input].link,
				"gl-container-scanning-report.json");
		if (e->waiver_input != PF_NONE) {
			platci_buf_puts(out, e->scan_input != PF_NONE ? ", " : "");
			platci_platform__a(out, p->inputs[e->waiver_input].link, "findings.json");
		}
		platci_buf_puts(out, "</td></tr>\n");
	}
	platci_buf_puts(out, "</tbody></table>\n");
}

void platci_platform__html_vulns(platci_buf *out, const platci_platform *p)
{
	pf_chunks chunks;

	memset(&chunks, 0, sizeof(chunks));
	platci_buf_puts(out,
		"<section id=\"vulnerabilities\">\n<h2>Vulnerabilities</h2>\n<p>Per "
		"image and environment. Severities count what the scan reported and did not waive "
		"(gl-container-scanning-report.json); fixable means a fixed version exists; waived and ");
	platci_buf_printf(out,
		"expiring soon (a waiver ending within %u days) come from the scan's "
		"findings.json.</p>\n",
		p->opts.expiring_days);
	vuln_totals(out, p);
	chunks.out = out;
	chunks.group = "vulns";
	chunks.head =
		"<colgroup><col class=\"e\"><col class=\"i\"><col><col><col><col><col><col><col>"
		"<col></colgroup><thead><tr><th scope=\"col\">Environment</th><th scope=\"col\">Image</th>"
		"<th scope=\"col\" data-t=\"n\">Critical</th><th scope=\"col\" data-t=\"n\">High</th>"
		"<th scope=\"col\" data-t=\"n\">Medium</th><th scope=\"col\" data-t=\"n\">Low</th>"
		"<th scope=\"col\" data-t=\"n\">Unknown</th><th scope=\"col\" data-t=\"n\">Fixable</th>"
		"<th scope=\"col\" data-t=\"n\">Waived</th><th scope=\"col\" data-t=\"n\">Expiring soon"
		"</th></tr></thead>";
	for (size_t i = 0; i < p->nenvs; i++)
		for (size_t k = 0; k < p->envs[i].vulns.n && k < p->opts.max_images; k++) {
			const pf_vuln *v = &p->envs[i].vulns.v[k];
			platci_platform__chunk_row(&chunks);
			platci_buf_printf(out, "<tr data-e=\"%zu\"><td>", i);
			esc(out, p->envs[i].name);
			platci_buf_puts(out, "</td><td>");
			esc(out, v->image);
			platci_buf_puts(out, "</td>");
			vuln_cells(out, v);
			platci_buf_puts(out, "</tr>\n");
		}
	platci_platform__chunk_end(&chunks);
	for (size_t i = 0; i < p->nenvs; i++)
		if (p->envs[i].vulns.n > p->opts.max_images) {
			platci_buf_printf(out, "<p data-e=\"%zu\" class=\"warn\">&#9986; ", i);
			esc(out, p->envs[i].name);
			platci_buf_printf(out,
				": showing the %zu most vulnerable of %zu images; every image is "
				"in <a href=\"./platform.json\">platform.json</a>.</p>\n",
				p->opts.max_images, p->envs[i].vulns.n);
		}
	platci_buf_puts(out, "</section>\n");
}

/* ---- policy findings ------------------------------------------------------------ */

static void finding_row(platci_buf *out, const pf_row *r)
{
	if (r->f[PFF_WAIVER])
		platci_buf_puts(out, "<tr><td class=\"mut\">&#8856; waived</td>");
	else if (r->f[PFF_ENFORCEMENT] && strcmp(r->f[PFF_ENFORCEMENT], "deny") == 0)
		platci_buf_puts(out, "<tr><td class=\"deny\">&#10006; deny</td>");
	else
		platci_buf_puts(out, "<tr><td class=\"warn\">&#9888; warn</td>");
	for (int f = PFF_SEVERITY; f <= PFF_WAIVER; f++) {
		if (f == PFF_ENFORCEMENT)
			continue;
		platci_buf_puts(out, "<td>");
		if (f == PFF_SEVERITY) {
			esc(out, r->f[PFF_SEVERITY]);
			platci_buf_puts(out, "</td><td>");
			esc(out, r->f[PFF_STAGE]);
			platci_buf_puts(out, "</td><td>");
			esc(out, r->f[PFF_RULE]);
		} else {
			esc(out, r->f[f]);
		}
		platci_buf_puts(out, "</td>");
	}
	platci_buf_puts(out, "</tr>\n");
}

static void findings_block(platci_buf *out, const platci_platform *p, const pf_findings *f,
	const char *env, size_t i)
{
	if (env)
		platci_buf_printf(out, "<div data-e=\"%zu\" class=\"findings-env\">\n<h3>", i);
	else
		platci_buf_puts(out, "<div class=\"findings-env\">\n<h3>");
	esc(out, env ? env : "Not about one environment");
	platci_buf_printf(out,
		"</h3>\n<p>%zu findings: <span class=\"%s\">%zu deny</span>, %zu warn, "
		"%zu waived. Reports: ",
		f->total, f->deny ? "deny" : "ok", f->deny, f->warn, f->waived);
	link_inputs(out, p, "findings", env, env == NULL);
	platci_buf_puts(out, ".</p>\n");
	if (!f->total) {
		platci_buf_puts(out, "</div>\n");
		return;
	}
	platci_buf_puts(out,
		"<table class=\"s rules\"><thead><tr><th scope=\"col\">Stage</th>"
		"<th scope=\"col\">Rule</th><th scope=\"col\" data-t=\"n\">Deny</th>"
		"<th scope=\"col\" data-t=\"n\">Warn</th><th scope=\"col\" data-t=\"n\">Waived</th>"
		"</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < f->nrules; k++) {
		const pf_rule *r = &f->rules[k];
		platci_buf_puts(out, "<tr><td>");
		esc(out, r->stage);
		platci_buf_puts(out, "</td><td>");
		esc(out, r->rule);
		platci_buf_printf(out,
			"</td><td class=\"n%s\">%zu</td><td class=\"n\">%zu</td>"
			"<td class=\"n\">%zu</td></tr>\n",
			r->deny ? " deny" : "", r->deny, r->warn, r->waived);
	}
	platci_buf_puts(out, "</tbody></table>\n");
	top_table(out,
		"<table class=\"s list\"><thead><tr>"
		"<th scope=\"col\">Level</th><th scope=\"col\">Severity</th><th scope=\"col\">Stage</th>"
		"<th scope=\"col\">Rule</th><th scope=\"col\">Message</th><th scope=\"col\">Where</th>"
		"<th scope=\"col\">Waiver</th></tr></thead>\n<tbody>\n",
		&f->top, finding_row, "findings", "the findings.json files linked above");
	platci_buf_puts(out, "</div>\n");
}

void platci_platform__html_findings(platci_buf *out, const platci_platform *p)
{
	platci_buf_puts(out,
		"<section id=\"findings\">\n<h2>Policy findings</h2>\n<p>Every "
		"stage's findings.json, per environment: counts by rule, then the most severe "
		"findings (unwaived deny first).</p>\n");
	if (p->noenv.total)
		findings_block(out, p, &p->noenv, NULL, 0);
	for (size_t i = 0; i < p->nenvs; i++)
		findings_block(out, p, &p->envs[i].findings, p->envs[i].name, i);
	platci_buf_puts(out, "</section>\n");
}
