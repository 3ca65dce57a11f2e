/*
 * Drift for one environment: runs the sources, applies ignore rules, sorts,
 * emits findings. Terraform drift is read through the plan reader
 * (platci/tfplan.h), its formats, checks and masking, the same as
 * `platci-plan summarize` reads a plan.
 */
#include <stdio.h>
#include <string.h>

#include "drift_internal.h"
#include "platci/tfplan.h"
#include "util/common.h"
#include "util/banned.h"

/* The order of this table is the order of the summary's sections. */
static const drift_category categories[] = {
	{ "terraform.changed", "Changed outside Terraform", 1 },
	{ "terraform.deleted", "Deleted outside Terraform", 1 },
	{ "terraform.replaced", "Replaced outside Terraform", 1 },
	{ "terraform.created", "Created in state by refresh", 1 },
	{ "terraform.other", "Other Terraform drift", 1 },
	{ "flux.source-behind", "Source behind the expected commit", 1 },
	{ "flux.apply-behind", "Applied revision behind the source", 1 },
	{ "flux.not-ready", "Not Ready", 1 },
	{ "flux.stalled", "Stalled", 1 },
	{ "flux.stale-status", "Status behind the spec (observedGeneration)", 1 },
	{ "flux.helm-drifted", "HelmRelease drifted in the cluster", 1 },
	{ "flux.dependency-not-ready", "Dependency not Ready", 1 },
	{ "terraform.moved", "Moved in state only (no change)", 0 },
	{ "flux.reconciling", "Reconciling (in progress)", 0 },
	{ "flux.suspended", "Suspended (not reconciled, not drift)", 0 },
	{ "flux.deprecated-api", "End-of-life API version", 0 },
	{ "pending.promotion", "Waiting to be promoted", 0 },
};

size_t platci_drift__category_rank(const char *id)
{
	/* Items hold the table's own pointer: sorting compares addresses first. */
	for (size_t i = 0; id && i < PLATCI_ARRAY_SIZE(categories); i++)
		if (categories[i].id == id)
			return i;
	for (size_t i = 0; id && i < PLATCI_ARRAY_SIZE(categories); i++)
		if (strcmp(categories[i].id, id) == 0)
			return i;
	return PLATCI_ARRAY_SIZE(categories);
}

const drift_category *platci_drift__category(const char *id)
{
	size_t i = platci_drift__category_rank(id);
	return i < PLATCI_ARRAY_SIZE(categories) ? &categories[i] : NULL;
}

const char *platci_drift_category_title(const char *category)
{
	const drift_category *c = platci_drift__category(category);
	return c ? c->title : category;
}

const char *platci_drift__keep(platci_drift *d, const char *s, int *oom)
{
	char *copy;
	if (!s)
		return NULL;
	if (!(copy = platci_arena_strdup(&d->arena, s)))
		*oom = 1;
	return copy;
}

platci_drift_item *platci_drift__add_item(platci_drift *d, platci_drift_source source,
	const char *category, const char *identity, const char *file, size_t line)
{
	const drift_category *c = platci_drift__category(category);
	platci_drift_item *it;
	int oom = 0;

	if (platci__grow_array((void **)&d->items, &d->aitems, d->nitems + 1, sizeof(*d->items)) < 0)
		return NULL;
	it = &d->items[d->nitems];
	memset(it, 0, sizeof(*it));
	it->source = source;
	it->category = c ? c->id : platci_drift__keep(d, category, &oom);
	it->is_drift = c ? c->is_drift : 1;
	it->identity = platci_drift__keep(d, identity, &oom);
	it->file = platci_drift__keep(d, file, &oom);
	it->line = line;
	if (oom)
		return NULL;
	d->nitems++;
	return it;
}

int platci_drift__add_checked(platci_drift *d, platci_drift_source source, const char *identity)
{
	int oom = 0;
	platci_drift_checked *c;

	if (platci__grow_array((void **)&d->checked, &d->achecked, d->nchecked + 1, sizeof(*d->checked)) < 0)
		return PLATCI_ENOMEM;
	c = &d->checked[d->nchecked];
	c->source = source;
	c->ndrift = 0;
	c->identity = platci_drift__keep(d, identity, &oom);
	if (oom)
		return PLATCI_ENOMEM;
	d->nchecked++;
	return 0;
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_item(const void *pa, const void *pb)
{
	const platci_drift_item *a = pa, *b = pb;
	size_t ra = platci_drift__category_rank(a->category),
	       rb = platci_drift__category_rank(b->category);
	int r;

	/* Ignored items go last, so the tables lead with what needs a person. */
	if ((a->ignored_by != NULL) != (b->ignored_by != NULL))
		return a->ignored_by ? 1 : -1;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((r = strcmp0(a->category, b->category)) != 0)
		return r;
	if ((r = strcmp0(a->identity, b->identity)) != 0)
		return r;
	if ((r = strcmp0(a->message, b->message)) != 0)
		return r;
	if ((r = strcmp0(a->file, b->file)) != 0)
		return r;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_checked(const void *pa, const void *pb)
{
	const platci_drift_checked *a = pa, *b = pb;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	return strcmp0(a->identity, b->identity);
}

static int cmp_attr(const void *pa, const void *pb)
{
	return strcmp(((const platci_drift_attr *)pa)->path, ((const platci_drift_attr *)pb)->path);
}

/* Sorts, drops duplicate checked entries and counts drift per checked object. */
static void finalize(platci_drift *d)
{
	size_t w = 0;

	for (size_t i = 0; i < d->nitems; i++) {
		if (d->items[i].ignored_by)
			d->items[i].is_drift = 0;
		/* JSON objects have no order: paths in path order read (and hash) the same. */
		if (d->items[i].nattrs > 1)
			qsort((platci_drift_attr *)d->items[i].attrs, d->items[i].nattrs,
				sizeof(*d->items[i].attrs), cmp_attr);
	}
	if (d->nitems)
		qsort(d->items, d->nitems, sizeof(*d->items), cmp_item);
	if (d->nchecked)
		qsort(d->checked, d->nchecked, sizeof(*d->checked), cmp_checked);
	for (size_t i = 0; i < d->nchecked; i++) {
		if (w && cmp_checked(&d->checked[w - 1], &d->checked[i]) == 0)
			continue;
		d->checked[w++] = d->checked[i];
	}
	d->nchecked = w;
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		platci_drift_checked key = { it->source, it->identity, 0 }, *hit;
		if (!it->is_drift || !d->nchecked)
			continue;
		hit = bsearch(&key, d->checked, d->nchecked, sizeof(*d->checked), cmp_checked);
		if (hit)
			hit->ndrift++;
	}
}

static int add_pending(platci_drift *d, const platci_drift_options *opts)
{
	for (size_t i = 0; i < opts->npending; i++) {
		const platci_drift_pending *p = &opts->pending[i];
		platci_drift_item *it;
		char msg[512];
		int oom = 0;

		if (!p->identity)
			return PLATCI_EINVALID;
		if (!(it = platci_drift__add_item(d, PLATCI_DRIFT_PENDING, "pending.promotion",
			      p->identity, p->file, p->line)))
			return PLATCI_ENOMEM;
		snprintf(msg, sizeof(msg), "%s is %s here and %s in %s", p->identity,
			p->current ? p->current : "(absent)", p->source_value ? p->source_value : "(absent)",
			opts->pending_from ? opts->pending_from : "the previous environment");
		it->message = platci_drift__keep(d, msg, &oom);
		it->previous = platci_drift__keep(d, p->current, &oom);
		it->expected = platci_drift__keep(d, p->source_value, &oom);
		it->ignored_by = platci_drift__keep(d,
			platci_drift__policy_match(opts->policy, opts->env, opts->now,
				PLATCI_DRIFT_PENDING, p->identity, it->category, NULL),
			&oom);
		if (oom)
			return PLATCI_ENOMEM;
	}
	return 0;
}

static int add_findings(const platci_drift *d, platci_findings *findings)
{
	platci_buf rule = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT, details = PLATCI_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < d->nitems && !error; i++) {
		const platci_drift_item *it = &d->items[i];
		platci_finding f;
		size_t fi;

		memset(&f, 0, sizeof(f));
		platci_buf_clear(&rule);
		platci_buf_clear(&key);
		platci_buf_clear(&details);
		platci_buf_printf(&rule, "drift.%s", it->category);
		/* Identity and attribute paths, never values: the fingerprint outlives the values. */
		platci_buf_printf(&key, "%s", it->identity);
		for (size_t a = 0; a < it->nattrs; a++) {
			platci_buf_printf(&key, "|%s", it->attrs[a].path);
			platci_buf_printf(&details, "%s`%s`",
				a ? ", " : "Attributes: ", it->attrs[a].path);
		}
		if ((error = rule.error ? rule.error : key.error ? key.error : details.error) < 0)
			break;
		f.rule_id = rule.ptr;
		f.severity = it->is_drift ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_INFO;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = it->message ? it->message : it->identity;
		f.file = it->file;
		f.line = it->line;
		f.env = d->env;
		f.key = key.ptr;
		f.details = details.size ? details.ptr : NULL;
		if ((error = platci_findings_add(findings, &f)) < 0)
			break;
		fi = platci_findings_count(findings) - 1;
		if (it->ignored_by) {
			char w[256];
			snprintf(w, sizeof(w), "drift ignore rule %s", it->ignored_by);
			error = platci_findings_waive(findings, fi, w);
		}
	}
	platci_buf_dispose(&rule);
	platci_buf_dispose(&key);
	platci_buf_dispose(&details);
	return error;
}

/* ---- Terraform ---------------------------------------------------------------------------- */

typedef struct tf_reader {
	platci_drift *d;
	const platci_drift_options *opts;
	const char *path;
	platci_diag *diag;
	platci_drift_attr *attrs; /* the current resource's, copied into the arena at its end */
	size_t nattrs, aattrs;
	int oom;
} tf_reader;

/* `data.x.y` and `module.m.data.x.y` are data sources: read, never drifted. */
static int is_data_address(const char *addr)
{
	const char *p = addr;
	while (strncmp(p, "module.", 7) == 0) {
		const char *q = p + 7;
		int depth = 0, quoted = 0;
		for (; *q; q++) {
			if (*q == '"' && q[-1] != '\\')
				quoted = !quoted;
			else if (!quoted && *q == '[')
				depth++;
			else if (!quoted && *q == ']')
				depth--;
			else if (!quoted && !depth && *q == '.')
				break;
		}
		if (!*q)
			return 0;
		p = q + 1;
	}
	return strncmp(p, "data.", 5) == 0;
}

static int on_state(const char *address, const char *mode, void *payload)
{
	tf_reader *r = payload;

	if (mode ? strcmp(mode, "data") == 0 : is_data_address(address))
		return 0;
	return platci_drift__add_checked(r->d, PLATCI_DRIFT_TERRAFORM, address);
}

static int on_attr(const platci_value_change *c, void *payload)
{
	tf_reader *r = payload;
	platci_drift_attr *a;
	int oom = 0;

	if (platci__grow_array((void **)&r->attrs, &r->aattrs, r->nattrs + 1, sizeof(*r->attrs)) < 0) {
		r->oom = 1;
		return PLATCI_ENOMEM;
	}
	a = &r->attrs[r->nattrs];
	memset(a, 0, sizeof(*a));
	a->path = platci_drift__keep(r->d, c->path, &oom);
	a->before = platci_drift__keep(r->d, c->before, &oom);
	a->after = platci_drift__keep(r->d, c->after, &oom);
	a->sensitive = c->sensitive;
	if (oom) {
		r->oom = 1;
		return PLATCI_ENOMEM;
	}
	r->nattrs++;
	return 0;
}

static const char *category_for(const platci_tfplan_change *c)
{
	switch (c->action) {
	case PLATCI_TFPLAN_DELETE_THEN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_DELETE:
		return "terraform.replaced";
	case PLATCI_TFPLAN_DELETE:
		return "terraform.deleted";
	case PLATCI_TFPLAN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_FORGET:
		return "terraform.created";
	case PLATCI_TFPLAN_UPDATE:
		return "terraform.changed";
	case PLATCI_TFPLAN_NOOP:
		return c->previous_address ? "terraform.moved" : NULL;
	default:
		return "terraform.other";
	}
}

/* "delete, create" as drift has always written it: "delete,create". */
static void join_actions(char *out, size_t size, const char *text)
{
	size_t n = 0;

	for (const char *p = text; *p && n + 1 < size; p++)
		if (!(*p == ' ' && p > text && p[-1] == ','))
			out[n++] = *p;
	out[n] = '\0';
}

static int tf_message(platci_buf *msg, const platci_drift_item *it, size_t live)
{
	const char *category = it->category;

	if (strcmp(category, "terraform.moved") == 0)
		platci_buf_printf(msg, "%s moved from %s; nothing else changed", it->identity, it->previous);
	else if (strcmp(category, "terraform.deleted") == 0)
		platci_buf_printf(msg, "%s no longer exists (deleted outside Terraform)", it->identity);
	else if (strcmp(category, "terraform.changed") == 0 && it->nattrs)
		platci_buf_printf(msg, "%s changed outside Terraform: %zu attribute%s%s", it->identity,
			live ? live : it->nattrs, (live ? live : it->nattrs) == 1 ? "" : "s",
			live == it->nattrs ? ""
			: live             ? " (others ignored)"
					   : " (all ignored)");
	else
		platci_buf_printf(msg, "%s drifted (%s)", it->identity, it->action);
	return msg->error;
}

/* Ignore rules: first a whole-resource rule, then one per attribute path. Returns the live count. */
static size_t tf_rules(tf_reader *r, platci_drift_item *it, int *oom)
{
	const platci_drift_options *o = r->opts;
	size_t live = 0;

	it->ignored_by = platci_drift__keep(r->d,
		platci_drift__policy_match(o->policy, o->env, o->now, PLATCI_DRIFT_TERRAFORM,
			it->identity, it->category, NULL),
		oom);
	for (size_t i = 0; i < r->nattrs; i++) {
		const char *rule = platci_drift__policy_match(o->policy, o->env, o->now,
			PLATCI_DRIFT_TERRAFORM, it->identity, it->category, r->attrs[i].path);
		r->attrs[i].ignored_by = platci_drift__keep(r->d, rule, oom);
		if (!rule)
			live++;
	}
	return live;
}

static int on_drift(const platci_tfplan_change *c, void *payload)
{
	tf_reader *r = payload;
	platci_drift *d = r->d;
	platci_buf msg = PLATCI_BUF_INIT;
	platci_drift_item *it;
	const char *category;
	char acts[128];
	int oom = 0, error = 0;
	size_t live;

	if (!*c->address || !*c->actions_text) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r->path, c->line, 0, 0,
			NULL, NULL };
		platci_diag_add(r->diag, &e,
			"a resource_drift entry has no address or "
			"change.actions");
		return PLATCI_EDATA;
	}
	if ((error = platci_drift__add_checked(d, PLATCI_DRIFT_TERRAFORM, c->address)) < 0)
		return error;
	if (!(category = category_for(c)))
		return 0; /* refresh-only plans list unchanged resources too */
	r->nattrs = 0;
	/* A whole object appeared or vanished: a per-attribute list would only repeat it. */
	if (strcmp(category, "terraform.deleted") != 0 && strcmp(category, "terraform.created") != 0)
		error = platci_tfplan_change_diff(c, on_attr, r);
	if (error != 0 || r->oom)
		return PLATCI_ENOMEM;
	if (!(it = platci_drift__add_item(d, PLATCI_DRIFT_TERRAFORM, category, c->address, r->path, c->line)))
		return PLATCI_ENOMEM;
	join_actions(acts, sizeof(acts), c->actions_text);
	it->action = platci_drift__keep(d, acts, &oom);
	it->reason = platci_drift__keep(d, c->action_reason, &oom);
	it->previous = platci_drift__keep(d, c->previous_address, &oom);
	live = tf_rules(r, it, &oom);
	if (r->nattrs) {
		platci_drift_attr *copy = platci_arena_alloc(&d->arena, r->nattrs * sizeof(*copy));
		if (!copy)
			return PLATCI_ENOMEM;
		memcpy(copy, r->attrs, r->nattrs * sizeof(*copy));
		it->attrs = copy;
		it->nattrs = r->nattrs;
	}
	/* An update whose every changed path is ignored is no drift at all. */
	if (!it->ignored_by && strcmp(category, "terraform.changed") == 0 && r->nattrs && !live)
		it->ignored_by = it->attrs[0].ignored_by;
	if ((error = tf_message(&msg, it, live)) == 0)
		it->message = platci_drift__keep(d, msg.ptr, &oom);
	platci_buf_dispose(&msg);
	return error < 0 ? error : oom ? PLATCI_ENOMEM : 0;
}

/* 1 when @p v holds a secret the plan knows; 0 when not. */
static int holds_secret(const platci_tfplan *plan, platci_buf *text, const char *v)
{
	if (!v || strcmp(v, PLATCI_UNKNOWN) == 0 || strcmp(v, PLATCI_REDACTED) == 0)
		return 0;
	platci_buf_clear(text);
	if (platci_buf_puts(text, v) < 0)
		return PLATCI_ENOMEM;
	return platci_tfplan_mask(plan, text);
}

/*
 * The plan reader masks what the markers of each resource hide; a secret
 * the plan marks elsewhere (another resource, a sensitive output or
 * variable) is known only once the whole plan is read.
 */
static int tf_mask(platci_drift *d, const platci_tfplan *plan)
{
	platci_buf text = PLATCI_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < d->nitems && !error; i++) {
		/* the attributes live in the result's arena, written by this module */
		platci_drift_attr *attrs = (platci_drift_attr *)d->items[i].attrs;
		for (size_t k = 0; k < d->items[i].nattrs; k++) {
			platci_drift_attr *at = &attrs[k];
			int before, after;
			if ((before = holds_secret(plan, &text, at->before)) < 0 ||
				(after = holds_secret(plan, &text, at->after)) < 0) {
				error = PLATCI_ENOMEM;
				break;
			}
			if (!before && !after)
				continue;
			at->before = at->before ? PLATCI_REDACTED : NULL;
			if (at->after && strcmp(at->after, PLATCI_UNKNOWN) != 0)
				at->after = PLATCI_REDACTED;
			at->sensitive = 1;
		}
	}
	platci_buf_dispose(&text);
	return error;
}

static int tf_read(platci_drift *d, const platci_drift_options *opts, platci_diag *diag)
{
	platci_tfplan_options to = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_tfplan *plan = NULL;
	tf_reader r;
	int error, oom = 0;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.opts = opts;
	r.path = opts->terraform_plan;
	r.diag = diag;
	to.name = opts->terraform_plan;
	to.on_drift = on_drift;
	to.on_state = on_state;
	to.payload = &r;
	/* Drift keeps no plan summary: its own report lists every drifted resource. */
	to.max_entries = 1;
	to.max_diff_bytes = 1;
	to.hash_input = 1; /* the runner records it: no second read of the plan */
	if ((error = platci_tfplan_read_file(&plan, opts->terraform_plan, &to, diag)) < 0)
		goto done;
	if (platci_tfplan_errored(plan) == 1) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, r.path, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"the plan is errored: planning failed, so its drift is "
			"incomplete; fix the plan first");
		error = PLATCI_EDATA;
		goto done;
	}
	if ((error = tf_mask(d, plan)) < 0)
		goto done;
	d->tf_plan = platci_drift__keep(d, r.path, &oom);
	d->tf_format = platci_drift__keep(d, platci_tfplan_format_version(plan), &oom);
	d->tf_sha256 = platci_drift__keep(d, platci_tfplan_input_sha256(plan), &oom);
	d->tf_refresh_only = platci_tfplan_refresh_only(plan);
	if (oom)
		error = PLATCI_ENOMEM;
done:
	free(r.attrs);
	platci_tfplan_free(plan);
	return error;
}

int platci_drift_options_init(platci_drift_options *opts, unsigned int version)
{
	platci_drift_options d = PLATCI_DRIFT_OPTIONS_INIT;
	PLATCI_ASSERT_ARG(opts);
	if (version != PLATCI_DRIFT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = d;
	return 0;
}

int platci_drift_render_options_init(platci_drift_render_options *opts, unsigned int version)
{
	platci_drift_render_options d = PLATCI_DRIFT_RENDER_OPTIONS_INIT;
	PLATCI_ASSERT_ARG(opts);
	if (version != PLATCI_DRIFT_RENDER_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = d;
	return 0;
}

int platci_drift_run(platci_drift **out, const platci_drift_options *opts,
	platci_findings *findings, platci_diag *diag)
{
	platci_drift *d = NULL;
	platci_flux_status *st = NULL;
	int error = 0, oom = 0;

	PLATCI_ASSERT_ARG(out && opts && opts->env);
	*out = NULL;
	if (opts->version != PLATCI_DRIFT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if ((opts->nflux_files && !opts->flux_files) || (opts->npending && !opts->pending) ||
		(opts->nexpect && !opts->expect))
		return PLATCI_EINVALID;
	d = calloc(1, sizeof(*d));
	PLATCI_CHECK_ALLOC(d);
	platci_arena_init(&d->arena, 0);
	d->env = platci_drift__keep(d, opts->env, &oom);
	d->pending_from = platci_drift__keep(d, opts->pending_from, &oom);
	d->pending_given = opts->pending != NULL;
	if (oom) {
		error = PLATCI_ENOMEM;
		goto done;
	}

	if (opts->terraform_plan && (error = tf_read(d, opts, diag)) < 0)
		goto done;

	if (opts->nflux_files) {
		d->flux_files = platci_arena_zalloc(&d->arena, opts->nflux_files * sizeof(char *));
		if (!d->flux_files) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		if ((error = platci_flux_status_new(&st, NULL)) < 0)
			goto done;
		for (size_t i = 0; i < opts->nflux_files; i++) {
			if ((error = platci_flux_status_read_file(st, opts->flux_files[i], diag)) < 0)
				goto done;
			d->flux_files[i] = platci_drift__keep(d, opts->flux_files[i], &oom);
		}
		d->nflux_files = opts->nflux_files;
		if (oom) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	if (st || opts->flux) {
		d->flux_given = 1;
		if ((error = platci_drift__check_flux(d, st ? st : opts->flux, opts)) < 0)
			goto done;
	}
	if ((error = add_pending(d, opts)) < 0)
		goto done;
	finalize(d);
	if (findings) {
		d->expired_rules =
			platci_drift__policy_expired(opts->policy, opts->env, opts->now, findings);
		if ((error = add_findings(d, findings)) < 0)
			goto done;
	} else {
		d->expired_rules = platci_drift__policy_expired(opts->policy, opts->env, opts->now, NULL);
	}
	*out = d;
	d = NULL;
done:
	platci_flux_status_free(st);
	platci_drift_free(d);
	return error;
}

void platci_drift_free(platci_drift *d)
{
	if (!d)
		return;
	platci_arena_dispose(&d->arena);
	free(d->items);
	free(d->checked);
	free(d);
}

const char *platci_drift_env(const platci_drift *d)
{
	return d ? d->env : NULL;
}

const char *platci_drift_plan_sha256(const platci_drift *d)
{
	return d ? d->tf_sha256 : NULL;
}

int platci_drift_found(const platci_drift *d)
{
	for (size_t i = 0; d && i < d->nitems; i++)
		if (d->items[i].is_drift)
			return 1;
	return 0;
}

int platci_drift_totals(platci_drift_counts *out, const platci_drift *d)
{
	if (!out)
		return PLATCI_EINVALID;
	memset(out, 0, sizeof(*out));
	if (!d)
		return 0;
	for (size_t i = 0; i < d->nchecked; i++) {
		if (d->checked[i].source == PLATCI_DRIFT_TERRAFORM)
			out->terraform_checked++;
		else if (d->checked[i].source == PLATCI_DRIFT_FLUX)
			out->flux_checked++;
	}
	for (size_t i = 0; i < d->nitems; i++) {
		const platci_drift_item *it = &d->items[i];
		for (size_t a = 0; a < it->nattrs; a++)
			if (it->attrs[a].ignored_by && !it->ignored_by)
				out->ignored++;
		if (it->ignored_by)
			out->ignored++;
		if (it->source == PLATCI_DRIFT_PENDING) {
			if (!it->ignored_by)
				out->pending++;
		} else if (it->is_drift) {
			if (it->source == PLATCI_DRIFT_TERRAFORM)
				out->terraform_drift++;
			else
				out->flux_drift++;
		} else if (!it->ignored_by) {
			out->notices++;
		}
	}
	out->expired_rules = d->expired_rules;
	return 0;
}

size_t platci_drift_item_count(const platci_drift *d)
{
	return d ? d->nitems : 0;
}

const platci_drift_item *platci_drift_item_at(const platci_drift *d, size_t i)
{
	return d && i < d->nitems ? &d->items[i] : NULL;
}

size_t platci_drift_checked_count(const platci_drift *d)
{
	return d ? d->nchecked : 0;
}

const platci_drift_checked *platci_drift_checked_at(const platci_drift *d, size_t i)
{
	return d && i < d->nchecked ? &d->checked[i] : NULL;
}
