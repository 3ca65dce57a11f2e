/*
 * From records to the per-environment view: one report per kind, stage and
 * environment (the newest; the others are marked superseded), merged into
 * the environments; then the reports nobody found are named missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "util/common.h"
#include "util/banned.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * Is record @p i (input @p in) beaten by a newer one of the same group? The
 * later input wins a tie, so the folder read last decides, as documented.
 */
static int beaten(const platci_platform *p, size_t in, size_t other)
{
	time_t a = p->inputs[in].generated, b = p->inputs[other].generated;

	return b > a || (b == a && other > in);
}

static int supersede(platci_platform *p, size_t loser, size_t winner)
{
	char msg[1200];

	snprintf(msg, sizeof(msg), "a newer report of the same kind is used: %s", p->inputs[winner].file);
	p->inputs[loser].status = PLATCI_PLATFORM_SUPERSEDED;
	return (p->inputs[loser].message = platci_platform__str(p, msg)) ? 0 : PLATCI_ENOMEM;
}

/* Marks the winners of each group (`used`), superseding the rest. */
#define PICK(p, arr, n, same_group) \
	do { \
		for (size_t i = 0; i < (p)->n && error == 0; i++) { \
			size_t win = i; \
			for (size_t j = 0; j < (p)->n; j++) \
				if (j != win && same_group((p)->arr[win], (p)->arr[j]) && \
					beaten(p, (p)->arr[win].input, (p)->arr[j].input)) \
					win = j; \
			(p)->arr[i].used = win == i; \
			if (win != i) \
				error = supersede(p, (p)->arr[i].input, (p)->arr[win].input); \
		} \
	} while (0)

#define SAME_ENV(a, b) same((a).env, (b).env)
#define SAME_STAGE_ENV(a, b) (same((a).stage, (b).stage) && same((a).env, (b).env))
#define SAME_PAIR(a, b) (same((a).from, (b).from) && same((a).to, (b).to))

static int merge_vulns(platci_platform *p, pf_vulns *dst, const pf_vulns *src)
{
	for (size_t i = 0; i < src->n; i++) {
		size_t at;
		int error = platci_platform__vuln_at(p, dst, src->v[i].image, &at);
		if (error < 0)
			return error;
		for (int s = 0; s < PF_NSEV; s++)
			dst->v[at].sev[s] += src->v[i].sev[s];
		dst->v[at].fixable += src->v[i].fixable;
		dst->v[at].waived += src->v[i].waived;
		dst->v[at].expiring += src->v[i].expiring;
	}
	return 0;
}

static int merge_findings(platci_platform *p, pf_frec *r)
{
	int error = 0;

	for (size_t b = 0; b < r->nb && error == 0; b++) {
		const char *env = r->b[b].env ? r->b[b].env : r->env;
		size_t e = platci_platform__env(p, env, 1);
		if (env && e == PF_NONE)
			return PLATCI_ENOMEM;
		error = platci_platform__findings_merge(p,
			e == PF_NONE ? &p->noenv : &p->envs[e].findings, &r->b[b].f);
	}
	if (error == 0 && r->env &&
		(r->waived.n || r->expired_waivers || (r->stage && strcmp(r->stage, "scan") == 0))) {
		size_t e = platci_platform__env(p, r->env, 1);
		if (e == PF_NONE)
			return PLATCI_ENOMEM;
		p->envs[e].waiver_input = r->input;
		p->envs[e].expired_waivers += r->expired_waivers;
		error = merge_vulns(p, &p->envs[e].vulns, &r->waived);
	}
	return error;
}

/* Most vulnerable first: by critical, then high, ... then fixable; then by name. */
static int cmp_vuln(const void *a, const void *b)
{
	const pf_vuln *x = a, *y = b;

	for (int s = 0; s < PF_NSEV; s++)
		if (x->sev[s] != y->sev[s])
			return x->sev[s] > y->sev[s] ? -1 : 1;
	if (x->fixable != y->fixable)
		return x->fixable > y->fixable ? -1 : 1;
	return strcmp(x->image, y->image);
}

static int merge(platci_platform *p)
{
	int error = 0;

	for (size_t i = 0; i < p->nfrecs && error == 0; i++)
		if (p->frecs[i].used)
			error = merge_findings(p, &p->frecs[i]);
	for (size_t i = 0; i < p->ncsrecs && error == 0; i++) {
		size_t e;
		if (!p->csrecs[i].used)
			continue;
		if ((e = platci_platform__env(p, p->csrecs[i].env, 1)) == PF_NONE)
			return PLATCI_ENOMEM;
		p->envs[e].scan_input = p->csrecs[i].input;
		error = merge_vulns(p, &p->envs[e].vulns, &p->csrecs[i].vulns);
	}
#define ATTACH(arr, n, field) \
	for (size_t i = 0; i < p->n && error == 0; i++) { \
		size_t e; \
		if (!p->arr[i].used) \
			continue; \
		if ((e = platci_platform__env(p, p->arr[i].env, 1)) == PF_NONE) \
			return PLATCI_ENOMEM; \
		p->envs[e].field = &p->arr[i]; \
	}
	ATTACH(driftrecs, ndriftrecs, drift)
	ATTACH(gaterecs, ngaterecs, gate)
	ATTACH(planrecs, nplanrecs, plan)
#undef ATTACH
	/* Lookups by image are over: from here on the order is the page's. */
	for (size_t i = 0; i < p->nenvs; i++) {
		if (p->envs[i].vulns.n > 1)
			qsort(p->envs[i].vulns.v, p->envs[i].vulns.n, sizeof(*p->envs[i].vulns.v), cmp_vuln);
		platci_platform__top_sort(&p->envs[i].findings.top);
		if (p->envs[i].drift)
			platci_platform__top_sort(&p->envs[i].drift->items);
	}
	platci_platform__top_sort(&p->noenv.top);
	return error;
}

static int missing(platci_platform *p, const char *kind, const char *stage, const char *env, const char *file)
{
	char msg[512];

	if (env)
		snprintf(msg, sizeof(msg), "no %s for %s in the report folders", file, env);
	else
		snprintf(msg, sizeof(msg), "no %s in the report folders", file);
	return platci_platform__input(p, kind, stage, env, file, PLATCI_PLATFORM_MISSING, msg) == PF_NONE
		       ? PLATCI_ENOMEM
		       : 0;
}

/* Was a report of @p kind about @p env found (usable or not)? Then it is not missing. */
static int has_input(const platci_platform *p, const char *kind, const char *env)
{
	for (size_t i = 0; i < p->ninputs; i++)
		if (p->inputs[i].status != PLATCI_PLATFORM_MISSING &&
			!strcmp(p->inputs[i].kind, kind) && same(p->inputs[i].env, env))
			return 1;
	return 0;
}

static int has_kind(const platci_platform *p, const char *kind, const char *stage)
{
	for (size_t i = 0; i < p->ninputs; i++)
		if (p->inputs[i].status != PLATCI_PLATFORM_MISSING && strcmp(p->inputs[i].kind, kind) == 0 &&
			(!stage || same(p->inputs[i].stage, stage)))
			return 1;
	return 0;
}

static int name_missing(platci_platform *p)
{
	int error = 0;

	for (size_t i = 0; i < p->matrix_envs && error == 0; i++) {
		const pf_env *e = &p->envs[i];
		if (!has_input(p, "plan", e->name))
			error = missing(p, "plan", "plan", e->name, "terraform-report.json");
		if (error == 0 && !has_input(p, "gate", e->name))
			error = missing(p, "gate", "gate", e->name, "decision.json");
		if (error == 0 && !has_input(p, "container-scanning", e->name))
			error = missing(p, "container-scanning", "scan", e->name,
				"gl-container-scanning-report.json");
		if (error == 0 && !has_input(p, "drift", e->name))
			error = missing(p, "drift", "drift", e->name, "drift.json");
		if (error == 0 && e->promote_from && !has_input(p, "promotion", e->name))
			error = missing(p, "promotion", "promote", e->name, "promotion.json");
	}
	if (error == 0 && !has_kind(p, "findings", "validate"))
		error = missing(p, "findings", "validate", NULL, "findings.json");
	if (error == 0 && !has_kind(p, "render", NULL))
		error = missing(p, "render", "render", NULL, "render.json");
	return error;
}

/*
 * Reports that do not name their environment (terraform-report.json, the
 * container scanning report) take it from their folder's name. Without
 * platci.yaml the environments are only known once every report is read,
 * so the names are matched again here; a report still without one is
 * unreadable, and its record is dropped.
 */
static int place(platci_platform *p, size_t input, const char **env, const char *folder, const char *what)
{
	char why[200];
	int error;

	if (!*env)
		*env = platci_platform__folder_env(p, folder);
	if (*env) {
		p->inputs[input].env = *env;
		return 1;
	}
	snprintf(why, sizeof(why),
		"cannot tell which environment this %s is about: nothing in it "
		"or beside it names one, and its folder name names none",
		what);
	error = platci_platform__unreadable(p, input, NULL, why, NULL);
	return error < 0 ? error : 0;
}

static int place_all(platci_platform *p)
{
	size_t kept = 0;
	int r;

	for (size_t i = 0; i < p->nplanrecs; i++) {
		if ((r = place(p, p->planrecs[i].input, &p->planrecs[i].env, p->planrecs[i].folder,
			     "plan")) < 0)
			return r;
		if (r)
			p->planrecs[kept++] = p->planrecs[i];
	}
	p->nplanrecs = kept;
	kept = 0;
	for (size_t i = 0; i < p->ncsrecs; i++) {
		if ((r = place(p, p->csrecs[i].input, &p->csrecs[i].env, p->csrecs[i].folder, "scan")) < 0)
			return r;
		if (r)
			p->csrecs[kept++] = p->csrecs[i];
		else
			free(p->csrecs[i].vulns.v);
	}
	p->ncsrecs = kept;
	return 0;
}

int platci_platform__resolve(platci_platform *p)
{
	int error;

	if ((error = place_all(p)) < 0)
		return error;
	PICK(p, frecs, nfrecs, SAME_STAGE_ENV);
	PICK(p, csrecs, ncsrecs, SAME_ENV);
	PICK(p, driftrecs, ndriftrecs, SAME_ENV);
	PICK(p, gaterecs, ngaterecs, SAME_ENV);
	PICK(p, planrecs, nplanrecs, SAME_ENV);
	PICK(p, promorecs, npromorecs, SAME_PAIR);
	if (error == 0)
		error = merge(p);
	if (error == 0)
		error = name_missing(p);
	return error;
}

int platci_platform_finish(platci_platform *p)
{
	PLATCI_ASSERT_ARG(p);
	if (p->finished)
		return PLATCI_EINVALID;
	p->finished = 1;
	return platci_platform__resolve(p);
}
