/*
 * Flux readiness, defined once: what keeps a Kustomization or HelmRelease
 * from being Ready on the revision its source serves. Drift reports each
 * reason as a category; promotion refuses a source environment that has
 * any of them.
 */
#include <stdio.h>
#include <string.h>

#include "platci/fluxstatus.h"
#include "util/common.h"
#include "util/banned.h"

/* Helm versions carry `+<digest>` when digest tracking is on; compare the version part. */
static int same_chart_version(const char *a, const char *b)
{
	size_t la = strcspn(a, "+"), lb = strcspn(b, "+");
	return la == lb && strncmp(a, b, la) == 0;
}

/* The HelmChart of a HelmRelease: status.helmChart is "namespace/name". */
static const platci_flux_object *helm_chart_of(const platci_flux_status *st, const platci_flux_object *o)
{
	const char *slash = o->helm_chart ? strchr(o->helm_chart, '/') : NULL;
	char ns[256];

	if (!slash || (size_t)(slash - o->helm_chart) >= sizeof(ns))
		return NULL;
	memcpy(ns, o->helm_chart, (size_t)(slash - o->helm_chart));
	ns[slash - o->helm_chart] = '\0';
	return platci_flux_status_find(st, PLATCI_FLUX_HELMCHART, ns, slash + 1);
}

/* Applied against what the source serves (else the last attempt). */
static void applied_revision(platci_flux_readiness *r, const platci_flux_status *st,
	const platci_flux_object *o)
{
	const platci_flux_object *src = NULL;

	if (o->kind == PLATCI_FLUX_KUSTOMIZATION) {
		if (o->source.name)
			src = platci_flux_status_find(st, platci_flux_kind_parse(o->source.kind),
				o->source.namespace_, o->source.name);
		r->applied = o->last_applied_revision;
	} else if (o->kind == PLATCI_FLUX_HELMRELEASE) {
		src = helm_chart_of(st, o);
		r->applied = o->last_applied_revision ? o->last_applied_revision : o->history_chart_version;
	} else {
		return;
	}
	r->source = src && src->artifact_revision ? src : NULL;
	r->target = r->source ? src->artifact_revision : o->last_attempted_revision;
	if (!r->target)
		return;
	if (o->kind == PLATCI_FLUX_KUSTOMIZATION) {
		if (!r->applied || !platci_flux_revision_same(r->applied, r->target))
			r->blocked |= PLATCI_FLUX_APPLY_BEHIND;
	} else if (r->applied && !same_chart_version(r->applied, r->target)) {
		/* v2 releases record no applied revision outside history: nothing to compare. */
		r->blocked |= PLATCI_FLUX_APPLY_BEHIND;
	}
}

int platci_flux_object_readiness(platci_flux_readiness *out, const platci_flux_status *st,
	const platci_flux_object *o)
{
	PLATCI_ASSERT_ARG(out && st && o);
	memset(out, 0, sizeof(*out));
	if (o->suspended) {
		/* Flux neither applies nor corrects it: its status says nothing more. */
		out->blocked = PLATCI_FLUX_SUSPENDED;
		return 0;
	}
	out->ready = platci_flux_object_condition(o, "Ready");
	out->reconciling = platci_flux_object_condition(o, "Reconciling");
	out->stalled = platci_flux_object_condition(o, "Stalled");
	if (!out->ready || out->ready->status == PLATCI_FLUX_COND_FALSE)
		out->blocked |= PLATCI_FLUX_NOT_READY;
	else if (out->ready->status == PLATCI_FLUX_COND_UNKNOWN)
		/* Unknown while Reconciling is a rollout in progress, not (yet) a failure. */
		out->blocked |= out->reconciling && out->reconciling->status == PLATCI_FLUX_COND_TRUE
					? PLATCI_FLUX_RECONCILING
					: PLATCI_FLUX_NOT_READY;
	if (out->stalled && out->stalled->status == PLATCI_FLUX_COND_TRUE)
		out->blocked |= PLATCI_FLUX_STALLED;
	if (o->generation >= 0 && o->observed_generation < o->generation)
		out->blocked |= PLATCI_FLUX_STALE_STATUS;
	applied_revision(out, st, o);
	return 0;
}

static void describe(platci_buf *why, const platci_flux_object *o, const platci_flux_readiness *r)
{
	char a[160], b[160];

	platci_buf_printf(why, "%s/%s/%s ", o->kind_name, o->namespace_ ? o->namespace_ : "-", o->name);
	if (r->blocked & PLATCI_FLUX_SUSPENDED) {
		platci_buf_puts(why, "is suspended");
	} else if (r->blocked & ~(unsigned int)PLATCI_FLUX_APPLY_BEHIND) {
		platci_buf_puts(why, "is not Ready on its latest generation");
		if (r->ready && r->ready->reason)
			platci_buf_printf(why, " (%s)", r->ready->reason);
	} else if (!r->applied) {
		platci_flux_revision_short(b, sizeof(b), r->target);
		platci_buf_printf(why, "has never applied a revision; %s is %s",
			r->source ? "its source" : "the last attempt", b);
	} else {
		platci_flux_revision_short(a, sizeof(a), r->applied);
		platci_flux_revision_short(b, sizeof(b), r->target);
		platci_buf_printf(why, "%s %s but %s %s",
			o->kind == PLATCI_FLUX_HELMRELEASE ? "runs chart" : "applied", a,
			r->source ? "its source serves" : "the last attempt was", b);
	}
}

int platci_flux_status_ready(const platci_flux_status *st, platci_buf *why)
{
	PLATCI_ASSERT_ARG(st);
	for (size_t i = 0; i < platci_flux_status_count(st); i++) {
		const platci_flux_object *o = platci_flux_status_at(st, i);
		platci_flux_readiness r;
		int error;

		if (o->kind != PLATCI_FLUX_KUSTOMIZATION && o->kind != PLATCI_FLUX_HELMRELEASE)
			continue;
		if ((error = platci_flux_object_readiness(&r, st, o)) < 0)
			return error;
		if (!r.blocked)
			continue;
		if (why) {
			describe(why, o, &r);
			if (why->error)
				return why->error;
		}
		return 0;
	}
	return 1;
}
