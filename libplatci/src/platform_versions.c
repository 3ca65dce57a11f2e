/*
 * The version matrix: applications down, environments across, filled from
 * the promotion module's version sets. What waits to be promoted is what
 * platci_versions_diff() says differs between an environment and the one
 * it promotes from: the same difference platci-promote would apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "util/common.h"
#include "util/banned.h"

/*
 * The application a pin belongs to: its app folder; for files at the top
 * of an overlay or cluster folder, the object it pins (a Flux
 * Kustomization's name for substitutes, whose own name is the variable).
 */
static const char *app_of(const platci_pin *pin)
{
	if (pin->app && *pin->app)
		return pin->app;
	if (pin->kind == PLATCI_PIN_SUBSTITUTE) {
		const char *slash = strrchr(pin->id, '/');
		if (slash && slash[1])
			return slash + 1;
	}
	return pin->name;
}

static pf_app *app_at(platci_platform *p, const char *name, int create)
{
	size_t lo = 0, hi = p->napps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->apps[mid].name, name);
		if (c == 0)
			return &p->apps[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create || platci__grow_array((void **)&p->apps, &p->aapps, p->napps + 1, sizeof(*p->apps)) < 0)
		return NULL;
	memmove(&p->apps[lo + 1], &p->apps[lo], (p->napps - lo) * sizeof(*p->apps));
	memset(&p->apps[lo], 0, sizeof(*p->apps));
	p->napps++;
	if (!(p->apps[lo].name = platci_platform__str(p, name))) {
		p->napps--;
		memmove(&p->apps[lo], &p->apps[lo + 1], (p->napps - lo) * sizeof(*p->apps));
		return NULL;
	}
	return &p->apps[lo];
}

static pf_pin *pin_at(platci_platform *p, pf_app *a, const platci_pin *pin, int create)
{
	size_t lo = 0, hi = a->npins;
	pf_pin *x;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->pins[mid].key, pin->key);
		if (c == 0)
			return &a->pins[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create || platci__grow_array((void **)&a->pins, &a->apins, a->npins + 1, sizeof(*a->pins)) < 0)
		return NULL;
	memmove(&a->pins[lo + 1], &a->pins[lo], (a->npins - lo) * sizeof(*a->pins));
	x = &a->pins[lo];
	memset(x, 0, sizeof(*x));
	a->npins++;
	/* Strings stay with the version sets, which the model keeps until it is freed. */
	x->key = pin->key;
	x->kind = platci_pin_kind_name(pin->kind);
	x->name = pin->name;
	x->field = pin->field;
	x->values = platci_arena_zalloc(&p->arena, p->matrix_envs * sizeof(*x->values));
	x->marks = platci_arena_zalloc(&p->arena, p->matrix_envs);
	return x->values && x->marks ? x : NULL;
}

static int add_set(platci_platform *p, size_t env, const platci_versions *set)
{
	for (size_t i = 0; i < platci_versions_count(set); i++) {
		const platci_pin *pin = platci_versions_at(set, i);
		pf_app *a = app_at(p, app_of(pin), 1);
		pf_pin *x = a ? pin_at(p, a, pin, 1) : NULL;
		if (!x)
			return PLATCI_ENOMEM;
		if (!x->values[env])
			x->values[env] = pin->value;
		else if (strcmp(x->values[env], pin->value) != 0)
			x->marks[env] |= PF_AMBIG;
	}
	return 0;
}

static void mark(platci_platform *p, const platci_pin *pin, size_t env, unsigned char m)
{
	pf_app *a = pin ? app_at(p, app_of(pin), 0) : NULL;
	pf_pin *x = a ? pin_at(p, a, pin, 0) : NULL;

	if (x)
		x->marks[env] |= m;
}

static int compare(platci_platform *p, size_t from, size_t to)
{
	platci_vdiff *d = NULL;
	int error;

	if ((error = platci_versions_diff(&d, p->envs[from].versions, p->envs[to].versions)) < 0)
		return error;
	for (size_t i = 0; i < platci_vdiff_count(d); i++) {
		const platci_vdiff_entry *e = platci_vdiff_at(d, i);
		pf_pending *pe;
		switch (e->kind) {
		case PLATCI_VDIFF_CHANGED:
			mark(p, e->source, from, PF_AHEAD);
			mark(p, e->target, to, PF_BEHIND);
			if (platci__grow_array((void **)&p->pending, &p->apending, p->npending + 1,
				    sizeof(*p->pending)) < 0) {
				error = PLATCI_ENOMEM;
				goto done;
			}
			pe = &p->pending[p->npending++];
			pe->from = from;
			pe->to = to;
			pe->key = e->key;
			pe->app = platci_platform__str(p, app_of(e->target));
			pe->old = e->target->value;
			pe->new_value = e->source->value;
			pe->file = e->target->file;
			pe->line = e->target->line;
			if (!pe->app) {
				error = PLATCI_ENOMEM;
				goto done;
			}
			break;
		case PLATCI_VDIFF_ONLY_SOURCE:
			mark(p, e->source, from, PF_NEW);
			break;
		case PLATCI_VDIFF_AMBIGUOUS:
			mark(p, e->source, from, PF_AMBIG);
			break;
		case PLATCI_VDIFF_ONLY_TARGET:
			break;
		}
	}
done:
	platci_vdiff_free(d);
	return error;
}

static int load_env(platci_platform *p, size_t i, platci_diag *diag)
{
	const platci_env *ce = platci_config_env(p->opts.config, p->envs[i].name);
	platci_diag *local = NULL;
	platci_buf where = PLATCI_BUF_INIT;
	size_t input;
	int error;

	platci_buf_printf(&where, "%s, %s", ce->overlay ? ce->overlay : "-",
		ce->cluster ? ce->cluster : "-");
	if (where.error || (error = platci_diag_new(&local)) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	input = platci_platform__input(p, "versions", "versions", p->envs[i].name, where.ptr,
		PLATCI_PLATFORM_OK, NULL);
	if (input == PF_NONE) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	/* The repository as it is now: the version sets are read at page time. */
	p->inputs[input].generated = p->opts.now;
	error = platci_versions_load(&p->envs[i].versions, p->opts.config, p->envs[i].name,
		p->opts.root, local);
	if (error == PLATCI_ENOMEM)
		goto done;
	if (error < 0) {
		p->envs[i].versions_state = -1;
		error = platci_platform__unreadable(p, input, local, platci_strerror(error), diag);
		goto done;
	}
	p->envs[i].versions_state = 1;
	error = add_set(p, i, p->envs[i].versions);
done:
	platci_buf_dispose(&where);
	platci_diag_free(local);
	return error;
}

int platci_platform__versions(platci_platform *p, platci_diag *diag)
{
	int error = 0;

	for (size_t i = 0; i < p->matrix_envs && error == 0; i++)
		error = load_env(p, i, diag);
	for (size_t to = 0; to < p->matrix_envs && error == 0; to++) {
		size_t from = p->envs[to].promote_from
				      ? platci_platform__env(p, p->envs[to].promote_from, 0)
				      : PF_NONE;
		if (from == PF_NONE || from >= p->matrix_envs ||
			p->envs[from].versions_state != 1 || p->envs[to].versions_state != 1)
			continue;
		error = compare(p, from, to);
	}
	for (size_t i = 0; i < p->napps; i++) {
		pf_app *a = &p->apps[i];
		a->pending = 0;
		for (size_t j = 0; j < a->npins; j++)
			for (size_t e = 0; e < p->matrix_envs; e++)
				if (a->pins[j].marks[e] & PF_AHEAD) {
					a->pending++;
					break;
				}
	}
	return error;
}

int platci_platform_load_versions(platci_platform *p, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(p);
	if (p->finished || p->versions_loaded)
		return PLATCI_EINVALID;
	p->versions_loaded = 1;
	if (!p->opts.config)
		return 0;
	return platci_platform__versions(p, diag);
}

void platci_platform__versions_dispose(platci_platform *p)
{
	for (size_t i = 0; i < p->napps; i++)
		free(p->apps[i].pins);
	free(p->apps);
	free(p->pending);
	p->apps = NULL;
	p->pending = NULL;
	p->napps = p->npending = 0;
	for (size_t i = 0; i < p->nenvs; i++) {
		platci_versions_free(p->envs[i].versions);
		p->envs[i].versions = NULL;
	}
}
