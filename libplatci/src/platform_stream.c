/*
 * The reports that grow with the platform (findings.json, drift.json and
 * the container scanning report) are streamed: one finding, item or
 * vulnerability is held at a time, and only counts and the capped lists
 * are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "platci/clock.h"
#include "platci/json_stream.h"
#include "util/common.h"
#include "util/banned.h"

enum {
	ID_VERSION = 1,
	ID_STAGE,
	ID_ENV,
	ID_LIST,
	ID_ITEM,
	ID_DRIFT,
	ID_GENERATED,
	ID_COUNTS,
	ID_SCAN
};

typedef struct sub {
	const char *pattern;
	unsigned int kinds;
	int id;
} sub;

/* One kind of streamed report: what to listen for, and how to tell it is that kind. */
typedef struct reader {
	const sub *subs;
	size_t nsubs;
	int (*cb)(const platci_json_event *ev, void *payload);
	/* NULL when what was read has the report's shape, else what the file is not */
	const char *(*not_shape)(const void *payload, int root_is_object);
} reader;

/*
 * Streams @p path with @p r. A stream error, or a file without the
 * report's shape, marks the input unreadable (returns 1).
 */
static int run(platci_platform *p, size_t input, const char *path, const reader *r, void *payload,
	platci_diag *diag)
{
	const char *what;
	platci_json_stream_options so = PLATCI_JSON_STREAM_OPTIONS_INIT;
	platci_json_stream *s = NULL;
	platci_diag *local = NULL;
	int error;

	so.name = path;
	if ((error = platci_diag_new(&local)) < 0 || (error = platci_json_stream_new(&s, &so)) < 0)
		goto done;
	for (size_t i = 0; i < r->nsubs; i++)
		if ((error = platci_json_stream_on(s, r->subs[i].pattern, r->subs[i].kinds,
			     r->subs[i].id, r->cb, payload)) < 0)
			goto done;
	error = platci_json_stream_file(s, path, local);
	if (error < 0 && error != PLATCI_ENOMEM) {
		error = platci_platform__unreadable(p, input, local, NULL, diag);
		error = error < 0 ? error : 1;
	} else if (error == 0 &&
		   (what = r->not_shape(payload, platci_json_stream_root_type(s) == JSON_OBJECT))) {
		error = platci_platform__unreadable(p, input, NULL, what, diag);
		error = error < 0 ? error : 1;
	}
done:
	platci_json_stream_free(s);
	platci_diag_free(local);
	return error;
}

static const char *jstr(const json_t *o, const char *key)
{
	return platci_json_str(o, key);
}

/* "file:line", or the file alone. */
static void file_line(char *buf, size_t n, const json_t *o)
{
	const char *file = jstr(o, "file");
	json_int_t line = json_integer_value(json_object_get(o, "line"));

	if (!file)
		buf[0] = '\0';
	else if (line > 0)
		snprintf(buf, n, "%s:%lld", file, (long long)line);
	else
		snprintf(buf, n, "%s", file);
}

/* ---- findings.json ---------------------------------------------------------- */

typedef struct fctx {
	platci_platform *p;
	pf_frec *rec;
	const char *link;
	int have_list, have_stage, bad_item;
	platci_buf stage;
} fctx;

static pf_findings *bucket(fctx *x, const char *env)
{
	pf_frec *r = x->rec;
	pf_fbucket *b;

	for (size_t i = 0; i < r->nb; i++)
		if ((!env && !r->b[i].env) || (env && r->b[i].env && strcmp(env, r->b[i].env) == 0))
			return &r->b[i].f;
	if (platci__grow_array((void **)&r->b, &r->ab, r->nb + 1, sizeof(*r->b)) < 0)
		return NULL;
	b = &r->b[r->nb];
	memset(b, 0, sizeof(*b));
	b->f.top.max = x->p->opts.max_list;
	if (env && !(b->env = platci_platform__str(x->p, env)))
		return NULL;
	r->nb++;
	return &b->f;
}

/*
 * The container scanning report holds only what was not waived, so the
 * waived vulnerabilities come from the scan's findings. Their image is the
 * end of the message platci-scan writes: "... in IMAGE[; upgrade to X]".
 */
static void waived_image(char *buf, size_t n, const char *message)
{
	const char *end = strstr(message, "; upgrade to ");
	const char *in = NULL;
	size_t len;

	if (!end)
		end = message + strlen(message);
	for (const char *s = message; (s = strstr(s, " in ")) != NULL && s < end; s += 4)
		in = s + 4;
	len = in ? (size_t)(end - in) : 0;
	if (!in || !len || memchr(in, ' ', len)) {
		snprintf(buf, n, "(image not named)");
		return;
	}
	snprintf(buf, n, "%.*s", (int)len, in);
}

/* "...; expires 2026-12-31)": is that within the window from now? */
static int expiring(const platci_platform *p, const char *waiver)
{
	const char *s = waiver ? strstr(waiver, "expires ") : NULL;
	char date[11];
	time_t t;

	if (!s || strlen(s + 8) < 10)
		return 0;
	memcpy(date, s + 8, 10);
	date[10] = '\0';
	if (platci_time_parse(&t, date, 0, 0) < 0)
		return 0;
	return t > p->opts.now && t - p->opts.now <= (time_t)p->opts.expiring_days * 86400;
}

static int scan_extras(fctx *x, const char *rule, const char *message, const char *waiver)
{
	char image[512];
	size_t at;
	int error;

	if (strcmp(rule, "scan.waiver-expired") == 0) {
		x->rec->expired_waivers++;
		return 0;
	}
	if (strcmp(rule, "scan.vulnerability") != 0 || !waiver)
		return 0;
	waived_image(image, sizeof(image), message ? message : "");
	if ((error = platci_platform__vuln_at(x->p, &x->rec->waived, image, &at)) < 0)
		return error;
	x->rec->waived.v[at].waived++;
	x->rec->waived.v[at].expiring += expiring(x->p, waiver) ? 1u : 0u;
	return 0;
}

static int on_finding(const platci_json_event *ev, void *payload)
{
	fctx *x = payload;
	const json_t *o = ev->value;
	const char *rule, *waiver, *row[PF_FIELDS];
	pf_findings *f;
	char where[1024];
	int error;

	switch (ev->id) {
	case ID_STAGE:
		if (json_is_string(o)) {
			x->have_stage = 1;
			platci_buf_clear(&x->stage);
			platci_buf_puts(&x->stage, json_string_value(o));
		}
		return x->stage.error;
	case ID_ENV:
		if (json_is_string(o) && !(x->rec->env = platci_platform__str(x->p, json_string_value(o))))
			return PLATCI_ENOMEM;
		return 0;
	case ID_LIST:
		x->have_list = 1;
		return 0;
	default:
		break;
	}
	rule = jstr(o, "rule");
	if (!json_is_object(o) || !rule || !jstr(o, "message")) {
		x->bad_item = 1;
		return 0;
	}
	waiver = jstr(o, "waiver");
	if (!(f = bucket(x, jstr(o, "env"))))
		return PLATCI_ENOMEM;
	file_line(where, sizeof(where), o);
	memset(row, 0, sizeof(row));
	row[PFF_STAGE] = x->have_stage ? x->stage.ptr : NULL;
	row[PFF_RULE] = rule;
	row[PFF_SEVERITY] = jstr(o, "severity");
	row[PFF_ENFORCEMENT] = jstr(o, "enforcement");
	row[PFF_MESSAGE] = jstr(o, "message");
	row[PFF_FILE] = where[0] ? where : NULL;
	row[PFF_WAIVER] = waiver;
	row[PFF_LINK] = x->link;
	if ((error = platci_platform__findings_add(x->p, f, x->have_stage ? x->stage.ptr : NULL,
		     rule, row[PFF_SEVERITY], row[PFF_ENFORCEMENT], waiver != NULL, row)) < 0)
		return error;
	return scan_extras(x, rule, row[PFF_MESSAGE], waiver);
}

static void frec_drop(platci_platform *p)
{
	pf_frec *r = &p->frecs[--p->nfrecs];

	for (size_t j = 0; j < r->nb; j++)
		platci_platform__findings_dispose(&r->b[j].f);
	free(r->b);
	free(r->waived.v);
}

static const char *findings_not_shape(const void *payload, int root_is_object)
{
	const fctx *x = payload;

	if (root_is_object && x->have_list && x->have_stage && !x->bad_item)
		return NULL;
	return x->bad_item ? "not a platci findings.json (a finding without rule or message)"
			   : "not a platci findings.json (needs stage and a findings list)";
}

int platci_platform__read_findings(platci_platform *p, size_t input, const char *path,
	const char *folder_env, platci_diag *diag)
{
	static const sub subs[] = {
		{ "stage", PLATCI_JSON_STREAM_VALUE, ID_STAGE },
		{ "env", PLATCI_JSON_STREAM_VALUE, ID_ENV },
		{ "findings", PLATCI_JSON_STREAM_ENTER, ID_LIST },
		{ "findings[*]", PLATCI_JSON_STREAM_VALUE, ID_ITEM },
	};
	static const reader r = { subs, PLATCI_ARRAY_SIZE(subs), on_finding, findings_not_shape };
	fctx x;
	int error;

	memset(&x, 0, sizeof(x));
	if (!(x.rec = PF_NEW_REC(p, frecs, nfrecs, afrecs)))
		return PLATCI_ENOMEM;
	x.rec->input = input;
	x.p = p;
	x.link = p->inputs[input].link;
	error = run(p, input, path, &r, &x, diag);
	if (error != 0 || p->inputs[input].status != PLATCI_PLATFORM_OK) {
		frec_drop(p);
	} else {
		x.rec->stage = p->inputs[input].stage = platci_platform__str(p, x.stage.ptr);
		if (!x.rec->env)
			x.rec->env = folder_env ? platci_platform__str(p, folder_env) : NULL;
		p->inputs[input].env = x.rec->env;
		if (!x.rec->stage || (folder_env && !x.rec->env))
			error = PLATCI_ENOMEM;
		/* Environments become known as reports name them: folders read later match them. */
		for (size_t i = 0; i < x.rec->nb && error == 0; i++)
			if (x.rec->b[i].env && platci_platform__env(p, x.rec->b[i].env, 1) == PF_NONE)
				error = PLATCI_ENOMEM;
		if (error == 0 && x.rec->env && platci_platform__env(p, x.rec->env, 1) == PF_NONE)
			error = PLATCI_ENOMEM;
	}
	platci_buf_dispose(&x.stage);
	return error < 0 ? error : 0;
}

/* ---- drift.json ------------------------------------------------------------- */

typedef struct dctx {
	platci_platform *p;
	pf_driftrec *rec;
	size_t input;
	int have_list, have_env, have_drift;
} dctx;

static int on_drift(const platci_json_event *ev, void *payload)
{
	static const char *const keys[PFD_NCOUNTS] = { "terraform_checked", "flux_checked",
		"terraform_drift", "flux_drift", "pending", "notices", "ignored", "expired_rules" };
	dctx *x = payload;
	const json_t *o = ev->value;
	const char *row[PF_FIELDS], *source;
	char where[1024];
	int drift, rank;
	time_t t;

	switch (ev->id) {
	case ID_ENV:
		if (json_is_string(o)) {
			x->have_env = 1;
			if (!(x->rec->env = platci_platform__str(x->p, json_string_value(o))))
				return PLATCI_ENOMEM;
		}
		return 0;
	case ID_DRIFT:
		x->have_drift = json_is_boolean(o);
		x->rec->drift = json_is_true(o);
		return 0;
	case ID_GENERATED:
		if (json_is_string(o) && platci_time_parse(&t, json_string_value(o), 0, 1) == 0) {
			x->p->inputs[x->input].generated = t;
			x->p->inputs[x->input].generated_from_file = 0;
		}
		return 0;
	case ID_COUNTS:
		for (size_t i = 0; i < PFD_NCOUNTS; i++) {
			json_int_t v = json_integer_value(json_object_get(o, keys[i]));
			x->rec->counts[i] = v > 0 ? (size_t)v : 0;
		}
		return 0;
	case ID_LIST:
		x->have_list = 1;
		return 0;
	default:
		break;
	}
	source = jstr(o, "source");
	/* Waiting promotions are the version matrix's business. */
	if (!source || strcmp(source, "pending") == 0)
		return 0;
	drift = json_is_true(json_object_get(o, "drift"));
	rank = drift ? 20 : jstr(o, "ignored_by") ? 0 : 10;
	file_line(where, sizeof(where), o);
	memset(row, 0, sizeof(row));
	row[PFD_SOURCE] = source;
	row[PFD_CATEGORY] = jstr(o, "category");
	row[PFD_IDENTITY] = jstr(o, "identity");
	row[PFD_ACTION] = jstr(o, "action");
	row[PFD_REASON] = jstr(o, "reason");
	row[PFD_MESSAGE] = jstr(o, "message");
	row[PFD_IGNORED] = jstr(o, "ignored_by");
	row[PFD_FILE] = where[0] ? where : NULL;
	return platci_platform__top_add(&x->rec->items, rank, 0, row);
}

static const char *drift_not_shape(const void *payload, int root_is_object)
{
	const dctx *x = payload;

	if (root_is_object && x->have_list && x->have_env && x->have_drift)
		return NULL;
	return "not a platci drift.json (needs env, drift and items)";
}

int platci_platform__read_drift(platci_platform *p, size_t input, const char *path, platci_diag *diag)
{
	static const sub subs[] = {
		{ "env", PLATCI_JSON_STREAM_VALUE, ID_ENV },
		{ "drift", PLATCI_JSON_STREAM_VALUE, ID_DRIFT },
		{ "generated_at", PLATCI_JSON_STREAM_VALUE, ID_GENERATED },
		{ "counts", PLATCI_JSON_STREAM_VALUE, ID_COUNTS },
		{ "items", PLATCI_JSON_STREAM_ENTER, ID_LIST },
		{ "items[*]", PLATCI_JSON_STREAM_VALUE, ID_ITEM },
	};
	static const reader r = { subs, PLATCI_ARRAY_SIZE(subs), on_drift, drift_not_shape };
	dctx x;
	int error;

	memset(&x, 0, sizeof(x));
	if (!(x.rec = PF_NEW_REC(p, driftrecs, ndriftrecs, adriftrecs)))
		return PLATCI_ENOMEM;
	x.rec->input = input;
	x.rec->items.max = p->opts.max_list;
	x.p = p;
	x.input = input;
	error = run(p, input, path, &r, &x, diag);
	if (error != 0 || p->inputs[input].status != PLATCI_PLATFORM_OK) {
		platci_platform__top_dispose(&p->driftrecs[--p->ndriftrecs].items);
	} else {
		p->inputs[input].env = x.rec->env;
		p->inputs[input].stage = "drift";
		if (platci_platform__env(p, x.rec->env, 1) == PF_NONE)
			error = PLATCI_ENOMEM;
	}
	return error < 0 ? error : 0;
}

/* ---- gl-container-scanning-report.json ------------------------------------------- */

typedef struct cctx {
	platci_platform *p;
	pf_csrec *rec;
	size_t input;
	int have_list, have_version, wrong_type;
} cctx;

static int severity_index(const char *s)
{
	static const char *const names[PF_NSEV] = { "Critical", "High", "Medium", "Low", "Unknown" };

	for (int i = 0; s && i < PF_NSEV; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return PF_UNKNOWN; /* "Info", or anything newer: counted as unknown */
}

static int on_vuln(const platci_json_event *ev, void *payload)
{
	cctx *x = payload;
	const json_t *o = ev->value;
	const char *image, *solution;
	size_t at;
	int error;

	switch (ev->id) {
	case ID_VERSION:
		x->have_version = json_is_string(o);
		return 0;
	case ID_SCAN: {
		const char *type = jstr(o, "type");
		const char *end = jstr(o, "end_time");
		time_t t;
		x->wrong_type = type && strcmp(type, "container_scanning") != 0;
		/* GitLab's report times carry no zone: they are UTC. */
		if (end && platci_time_parse(&t, end, 0, 0) == 0) {
			x->p->inputs[x->input].generated = t;
			x->p->inputs[x->input].generated_from_file = 0;
		}
		return 0;
	}
	case ID_LIST:
		x->have_list = 1;
		return 0;
	default:
		break;
	}
	image = jstr(json_object_get(o, "location"), "image");
	if ((error = platci_platform__vuln_at(x->p, &x->rec->vulns,
		     image ? image : "(image not named)", &at)) < 0)
		return error;
	x->rec->vulns.v[at].sev[severity_index(jstr(o, "severity"))]++;
	/* The writers (platci-scan, Trivy's GitLab template) say "No solution provided" when none. */
	solution = jstr(o, "solution");
	if (solution && *solution && strcmp(solution, "No solution provided") != 0)
		x->rec->vulns.v[at].fixable++;
	x->rec->total++;
	return 0;
}

static const char *cs_not_shape(const void *payload, int root_is_object)
{
	const cctx *x = payload;

	if (root_is_object && x->have_list && x->have_version && !x->wrong_type)
		return NULL;
	return "not a GitLab container scanning "
	       "report (needs version, scan.type container_scanning and vulnerabilities)";
}

int platci_platform__read_cs(platci_platform *p, size_t input, const char *path, const char *env,
	const char *folder, platci_diag *diag)
{
	static const sub subs[] = {
		{ "version", PLATCI_JSON_STREAM_VALUE, ID_VERSION },
		{ "scan", PLATCI_JSON_STREAM_VALUE, ID_SCAN },
		{ "vulnerabilities", PLATCI_JSON_STREAM_ENTER, ID_LIST },
		{ "vulnerabilities[*]", PLATCI_JSON_STREAM_VALUE, ID_ITEM },
	};
	static const reader r = { subs, PLATCI_ARRAY_SIZE(subs), on_vuln, cs_not_shape };
	cctx x;
	int error;

	memset(&x, 0, sizeof(x));
	if (!(x.rec = PF_NEW_REC(p, csrecs, ncsrecs, acsrecs)))
		return PLATCI_ENOMEM;
	x.rec->input = input;
	x.p = p;
	x.input = input;
	error = run(p, input, path, &r, &x, diag);
	if (error != 0 || p->inputs[input].status != PLATCI_PLATFORM_OK) {
		free(p->csrecs[--p->ncsrecs].vulns.v);
	} else {
		x.rec->env = platci_platform__str(p, env);
		x.rec->folder = platci_platform__str(p, folder);
		if ((env && !x.rec->env) || !x.rec->folder)
			error = PLATCI_ENOMEM;
	}
	return error < 0 ? error : 0;
}
