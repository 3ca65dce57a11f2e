/*
 * platform.json: what the page shows, for machines. docs/platform.schema.json
 * is its schema; keep the two together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "platci/clock.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/banned.h"

/* Appends @p v to @p arr, stealing it; a NULL value is out of memory. */
static int push(json_t *arr, json_t *v)
{
	return v && json_array_append_new(arr, v) == 0 ? 0 : PLATCI_ENOMEM;
}

/* Sets @p key, stealing @p v; a NULL value is out of memory. */
static int set(json_t *obj, const char *key, json_t *v)
{
	return v && json_object_set_new(obj, key, v) == 0 ? 0 : PLATCI_ENOMEM;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *time_or_null(time_t t)
{
	char s[32];

	if (!t)
		return json_null();
	platci_time_format_utc(s, sizeof(s), t);
	return json_string(s);
}

static json_t *count(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *environments(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nenvs; i++)
		if (push(a, json_pack("{s:s, s:o, s:b, s:b}", "name", p->envs[i].name,
				    "promote_from", str_or_null(p->envs[i].promote_from), "protected",
				    p->envs[i].is_protected, "in_config", p->envs[i].in_config)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *marks(unsigned m)
{
	json_t *a = json_array();

	if (a && (m & PF_AHEAD))
		json_array_append_new(a, json_string("ahead"));
	if (a && (m & PF_BEHIND))
		json_array_append_new(a, json_string("behind"));
	if (a && (m & PF_NEW))
		json_array_append_new(a, json_string("only-here"));
	if (a && (m & PF_AMBIG))
		json_array_append_new(a, json_string("ambiguous"));
	return a;
}

static json_t *pin(const platci_platform *p, const pf_pin *x)
{
	json_t *values = json_object(), *mk = json_object();

	for (size_t e = 0; values && mk && e < p->matrix_envs; e++) {
		if (x->values[e] && set(values, p->envs[e].name, json_string(x->values[e])) < 0)
			goto oom;
		if (x->marks[e] && set(mk, p->envs[e].name, marks(x->marks[e])) < 0)
			goto oom;
	}
	if (!values || !mk)
		goto oom;
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "key", x->key, "kind", x->kind, "name",
		x->name, "field", x->field, "values", values, "marks", mk);
oom:
	json_decref(values);
	json_decref(mk);
	return NULL;
}

static json_t *versions(const platci_platform *p)
{
	json_t *envs = json_array(), *apps = json_array(), *pending = json_array();

	if (!envs || !apps || !pending)
		goto oom;
	for (size_t e = 0; e < p->matrix_envs; e++)
		if (push(envs, json_pack("{s:s, s:s, s:i}", "env", p->envs[e].name, "status",
				       p->envs[e].versions_state == 1 ? "ok" : "unreadable", "pins",
				       (json_int_t)platci_versions_count(p->envs[e].versions))) < 0)
			goto oom;
	for (size_t i = 0; i < p->napps; i++) {
		const pf_app *a = &p->apps[i];
		json_t *pins = json_array();
		for (size_t k = 0; pins && k < a->npins; k++)
			if (push(pins, pin(p, &a->pins[k])) < 0) {
				json_decref(pins);
				pins = NULL;
			}
		if (!pins || push(apps, json_pack("{s:s, s:i, s:o}", "name", a->name, "waiting",
						(json_int_t)a->pending, "pins", pins)) < 0)
			goto oom;
	}
	for (size_t i = 0; i < p->npending; i++) {
		const pf_pending *x = &p->pending[i];
		if (push(pending, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "from",
					  p->envs[x->from].name, "to", p->envs[x->to].name, "key", x->key,
					  "app", x->app, "current", x->old, "promoted", x->new_value,
					  "file", x->file, "line", (json_int_t)x->line)) < 0)
			goto oom;
	}
	return json_pack("{s:o, s:o, s:o}", "environments", envs, "applications", apps, "pending", pending);
oom:
	json_decref(envs);
	json_decref(apps);
	json_decref(pending);
	return NULL;
}

static json_t *promotions(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->npromorecs; i++) {
		const pf_promorec *r = &p->promorecs[i];
		json_t *refusals = json_array();
		if (!r->used)
			continue;
		for (size_t k = 0; refusals && k < r->nrefusals; k++)
			json_array_append_new(refusals, json_string(r->refusals[k]));
		if (!refusals ||
			push(a, json_pack("{s:o, s:s, s:o, s:b, s:o, s:i, s:i, s:o, s:o, s:o}",
					"from", str_or_null(r->from), "to", r->to, "rollback_to",
					str_or_null(r->rollback_to), "forced", r->forced, "reason",
					str_or_null(r->reason), "changes", (json_int_t)r->changes,
					"not_promoted", (json_int_t)r->not_promoted, "refusals",
					refusals, "report", str_or_null(p->inputs[r->input].link),
					"diff", str_or_null(r->diff_link))) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *drift_item(const pf_row *r)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "state",
		r->rank >= 20   ? "drift"
		: r->rank >= 10 ? "notice"
				: "ignored",
		"source", str_or_null(r->f[PFD_SOURCE]), "category", str_or_null(r->f[PFD_CATEGORY]),
		"identity", str_or_null(r->f[PFD_IDENTITY]), "action", str_or_null(r->f[PFD_ACTION]),
		"reason", str_or_null(r->f[PFD_REASON]), "message", str_or_null(r->f[PFD_MESSAGE]),
		"ignored_by", str_or_null(r->f[PFD_IGNORED]), "where", str_or_null(r->f[PFD_FILE]));
}

static json_t *drift_env(const platci_platform *p, const pf_env *e)
{
	static const char *const keys[PFD_NCOUNTS] = { "terraform_checked", "flux_checked",
		"terraform_drift", "flux_drift", "pending", "notices", "ignored", "expired_rules" };
	const pf_driftrec *d = e->drift;
	const platci_platform_input *in = &p->inputs[d->input];
	json_t *counts = json_object(), *items = json_array(), *issue = json_null();
	platci_buf url = PLATCI_BUF_INIT;

	for (size_t k = 0; counts && k < PFD_NCOUNTS; k++)
		if (set(counts, keys[k], count(d->counts[k])) < 0)
			goto oom;
	for (size_t k = 0; items && k < d->items.n; k++)
		if (push(items, drift_item(&d->items.rows[k])) < 0)
			goto oom;
	if (!counts || !items)
		goto oom;
	if (p->opts.project_url) {
		platci_buf q = PLATCI_BUF_INIT;
		platci_buf_printf(&q, "Drift: %s", e->name);
		platci_buf_printf(&url,
			"%s/-/issues/?label_name%%5B%%5D=platci-drift&search=", p->opts.project_url);
		platci_platform__url_encode(&url, q.ptr, 0);
		platci_buf_dispose(&q);
		json_decref(issue);
		if (url.error || !(issue = json_string(url.ptr)))
			goto oom;
	}
	platci_buf_dispose(&url);
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o}", "env", e->name,
		"drift", d->drift, "checked_at", time_or_null(in->generated), "age_seconds",
		in->generated && p->opts.now ? json_integer((json_int_t)(p->opts.now - in->generated))
					     : json_null(),
		"counts", counts, "items", items, "items_total", (json_int_t)d->items.offered, "report",
		str_or_null(in->link), "issue_body", str_or_null(d->issue_md), "issue_url", issue);
oom:
	platci_buf_dispose(&url);
	json_decref(counts);
	json_decref(items);
	json_decref(issue);
	return NULL;
}

static json_t *gate(const platci_platform *p, const pf_gaterec *g)
{
	static const char *const keys[PFP_NCOUNTS] = { "add", "change", "destroy", "replace",
		"import", "move", "forget" };
	json_t *counts = g->has_counts ? json_object() : json_null(), *rules = json_array();

	for (size_t k = 0; g->has_counts && counts && k < PFP_NCOUNTS; k++)
		if (set(counts, keys[k], json_integer((json_int_t)g->counts[k])) < 0)
			goto oom;
	for (size_t k = 0; rules && k < g->nrules; k++)
		if (push(rules, json_pack("{s:o, s:o, s:o}", "id", str_or_null(g->rules[k].id),
					"outcome", str_or_null(g->rules[k].outcome), "reason",
					str_or_null(g->rules[k].reason))) < 0)
			goto oom;
	if (!counts || !rules)
		goto oom;
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "decision", g->decision, "commit",
		str_or_null(g->commit), "decided_at", time_or_null(p->inputs[g->input].generated), "counts",
		counts, "rules_not_passed", rules, "report", str_or_null(p->inputs[g->input].link));
oom:
	json_decref(counts);
	json_decref(rules);
	return NULL;
}

static json_t *plans(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nenvs; i++) {
		const pf_env *e = &p->envs[i];
		json_t *plan = e->plan ? json_pack("{s:I, s:I, s:I, s:o}", "create",
						 (json_int_t)e->plan->create, "update",
						 (json_int_t)e->plan->update, "delete",
						 (json_int_t)e->plan->del, "report",
						 str_or_null(p->inputs[e->plan->input].link))
				       : json_null();
		json_t *g = e->gate ? gate(p, e->gate) : json_null();
		if (!plan || !g ||
			push(a, json_pack("{s:s, s:o, s:o}", "env", e->name, "plan", plan, "gate", g)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *vuln(const pf_vuln *v, const char *image)
{
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "critical",
		(json_int_t)v->sev[PF_CRITICAL], "high", (json_int_t)v->sev[PF_HIGH], "medium",
		(json_int_t)v->sev[PF_MEDIUM], "low", (json_int_t)v->sev[PF_LOW], "unknown",
		(json_int_t)v->sev[PF_UNKNOWN], "fixable", (json_int_t)v->fixable, "waived",
		(json_int_t)v->waived, "expiring_soon", (json_int_t)v->expiring);

	if (o && image && set(o, "image", json_string(image)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *vulns(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nenvs; i++) {
		const pf_env *e = &p->envs[i];
		json_t *images = json_array();
		pf_vuln t;
		if (e->scan_input == PF_NONE && e->waiver_input == PF_NONE) {
			json_decref(images);
			continue;
		}
		memset(&t, 0, sizeof(t));
		for (size_t k = 0; images && k < e->vulns.n; k++) {
			for (int s = 0; s < PF_NSEV; s++)
				t.sev[s] += e->vulns.v[k].sev[s];
			t.fixable += e->vulns.v[k].fixable;
			t.waived += e->vulns.v[k].waived;
			t.expiring += e->vulns.v[k].expiring;
			if (push(images, vuln(&e->vulns.v[k], e->vulns.v[k].image)) < 0) {
				json_decref(images);
				images = NULL;
			}
		}
		if (!images || push(a, json_pack("{s:s, s:o, s:i, s:o, s:o, s:o}", "env", e->name,
					       "totals", vuln(&t, NULL), "expired_waivers",
					       (json_int_t)e->expired_waivers, "report",
					       str_or_null(e->scan_input == PF_NONE
								   ? NULL
								   : p->inputs[e->scan_input].link),
					       "waivers_report",
					       str_or_null(e->waiver_input == PF_NONE
								   ? NULL
								   : p->inputs[e->waiver_input].link),
					       "images", images)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *finding(const pf_row *r)
{
	const char *level = r->f[PFF_WAIVER] ? "waived"
			    : r->f[PFF_ENFORCEMENT] && strcmp(r->f[PFF_ENFORCEMENT], "deny") == 0
				    ? "deny"
				    : "warn";

	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "level", level, "severity",
		str_or_null(r->f[PFF_SEVERITY]), "stage", str_or_null(r->f[PFF_STAGE]), "rule",
		str_or_null(r->f[PFF_RULE]), "message", str_or_null(r->f[PFF_MESSAGE]), "where",
		str_or_null(r->f[PFF_FILE]), "waiver", str_or_null(r->f[PFF_WAIVER]), "report",
		str_or_null(r->f[PFF_LINK]));
}

static json_t *findings_env(const char *env, const pf_findings *f)
{
	json_t *rules = json_array(), *shown = json_array();

	for (size_t k = 0; rules && k < f->nrules; k++)
		if (push(rules, json_pack("{s:o, s:s, s:i, s:i, s:i}", "stage",
					str_or_null(f->rules[k].stage), "rule", f->rules[k].rule,
					"deny", (json_int_t)f->rules[k].deny, "warn",
					(json_int_t)f->rules[k].warn, "waived",
					(json_int_t)f->rules[k].waived)) < 0)
			goto oom;
	for (size_t k = 0; shown && k < f->top.n; k++)
		if (push(shown, finding(&f->top.rows[k])) < 0)
			goto oom;
	if (!rules || !shown)
		goto oom;
	return json_pack("{s:o, s:i, s:i, s:i, s:i, s:o, s:o}", "env", str_or_null(env), "total",
		(json_int_t)f->total, "deny", (json_int_t)f->deny, "warn", (json_int_t)f->warn,
		"waived", (json_int_t)f->waived, "rules", rules, "shown", shown);
oom:
	json_decref(rules);
	json_decref(shown);
	return NULL;
}

static json_t *findings(const platci_platform *p)
{
	json_t *a = json_array();

	if (a && p->noenv.total && push(a, findings_env(NULL, &p->noenv)) < 0)
		goto oom;
	for (size_t i = 0; a && i < p->nenvs; i++)
		if (push(a, findings_env(p->envs[i].name, &p->envs[i].findings)) < 0)
			goto oom;
	return a;
oom:
	json_decref(a);
	return NULL;
}

static json_t *inputs(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->ninputs; i++) {
		const platci_platform_input *in = &p->inputs[i];
		if (push(a, json_pack("{s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:o, s:o}", "kind", in->kind,
				    "stage", str_or_null(in->stage), "env", str_or_null(in->env),
				    "file", in->file, "link", str_or_null(in->link), "status",
				    platci_platform_status_name(in->status), "message",
				    str_or_null(in->message), "generated_at",
				    time_or_null(in->generated), "generated_from",
				    !in->generated
					    ? json_null()
					    : json_string(in->generated_from_file ? "file" : "content"))) < 0)
			goto oom;
	}
	return a;
oom:
	json_decref(a);
	return NULL;
}

static json_t *artifacts(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nartifacts; i++) {
		const pf_artifact *x = &p->artifacts[i];
		if (push(a, json_pack("{s:o, s:o, s:s, s:o}", "stage", str_or_null(x->stage), "env",
				    str_or_null(x->env), "name", x->name, "link",
				    str_or_null(x->link))) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *drift(const platci_platform *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->nenvs; i++)
		if (p->envs[i].drift && push(a, drift_env(p, &p->envs[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int platci_platform_render_json(platci_buf *out, const platci_platform *p)
{
	json_t *root = NULL, *v = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && p);
	if (!p->finished)
		return PLATCI_EINVALID;
	root = json_pack("{s:i, s:s, s:o}", "version", 1, "title", p->opts.title, "generated_at",
		time_or_null(p->opts.now));
	PLATCI_CHECK_ALLOC(root);
	v = p->opts.config && p->versions_loaded ? versions(p) : json_null();
	if ((error = set(root, "environments", environments(p))) < 0 ||
		(error = set(root, "versions", v)) < 0 ||
		(error = set(root, "promotions", promotions(p))) < 0 ||
		(error = set(root, "drift", drift(p))) < 0 || (error = set(root, "plans", plans(p))) < 0 ||
		(error = set(root, "vulnerabilities", vulns(p))) < 0 ||
		(error = set(root, "findings", findings(p))) < 0 ||
		(error = set(root, "inputs", inputs(p))) < 0 ||
		(error = set(root, "artifacts", artifacts(p))) < 0)
		goto done;
	error = platci__json_dump(out, root, JSON_SORT_KEYS | JSON_INDENT(2));
done:
	json_decref(root);
	return error;
}
