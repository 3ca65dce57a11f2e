/*
 * A scan run: reports stream in, each finding is folded into one entry per
 * (kind, image, id, package, version, place) so the same vulnerability in
 * several targets or reports counts once; the policy and waivers are
 * applied at the end, when every waiver file is known.
 */
#include <stdio.h>
#include <string.h>

#include "scan_int.h"
#include "util/common.h"
#include "util/banned.h"

int platci_scan_options_init(platci_scan_options *opts, unsigned int version)
{
	platci_scan_options init = PLATCI_SCAN_OPTIONS_INIT;

	if (version != PLATCI_SCAN_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_scan_new(platci_scan **out, const platci_scan_policy *policy,
	const platci_scan_options *opts)
{
	platci_scan *s = NULL;
	int error = 0;

	PLATCI_ASSERT_ARG(out && policy);
	*out = NULL;
	if (opts && opts->version != PLATCI_SCAN_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	PLATCI_CHECK_ALLOC(s = calloc(1, sizeof(*s)));
	s->policy = policy;
	if (opts)
		s->opts = *opts;
	else
		platci_scan_options_init(&s->opts, PLATCI_SCAN_OPTIONS_VERSION);
	if (!s->opts.expiring_days)
		s->opts.expiring_days = 14;
	platci_arena_init(&s->arena, 256 * 1024);
	if (s->opts.env && !(s->opts.env = platci_arena_strdup(&s->arena, s->opts.env))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < policy->nwaivers; i++) {
		if ((error = platci__grow_array((void **)&s->waivers, &s->awaivers, s->nwaivers + 1,
			     sizeof(*s->waivers))) < 0)
			goto done;
		/* Counted first: a half-made copy is still freed by platci_scan_free(). */
		if ((error = scan_waiver_copy(&s->waivers[s->nwaivers++], &policy->waivers[i])) < 0)
			goto done;
	}
	*out = s;
	s = NULL;
done:
	platci_scan_free(s);
	return error;
}

void platci_scan_free(platci_scan *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nwaivers; i++)
		scan_waiver_dispose(&s->waivers[i]);
	free(s->waivers);
	free(s->entries);
	free(s->images);
	scan_map_dispose(&s->interned);
	scan_map_dispose(&s->index);
	scan_map_dispose(&s->advisories);
	platci_arena_dispose(&s->arena);
	free(s);
}

int platci_scan_add_waivers(platci_scan *s, const char *path, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(s && path && !s->finished);
	return scan_waivers_load(&s->waivers, &s->nwaivers, &s->awaivers, path, diag);
}

/* ---- folding findings in --------------------------------------------------------- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int make_key(platci_buf *k, const platci_trivy_finding *f)
{
	platci_buf_clear(k);
	platci_buf_printf(k, "%d\x1f%s\x1f%s", (int)f->kind, f->image, f->id);
	switch (f->kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		platci_buf_printf(k, "\x1f%s\x1f%s", or_empty(f->pkg_name),
			or_empty(f->installed_version));
		break;
	case PLATCI_TRIVY_LICENSE:
		platci_buf_printf(k, "\x1f%s\x1f%s\x1f%s", or_empty(f->pkg_name),
			or_empty(f->pkg_path), or_empty(f->target));
		break;
	default: /* misconfigurations and secrets are about a place in a file */
		platci_buf_printf(k, "\x1f%s\x1f%s\x1f%zu", or_empty(f->resource),
			or_empty(f->target), f->start_line);
		break;
	}
	return k->error;
}

#define COPY(dst, src) \
	do { \
		if ((src) && !((dst) = platci_arena_strdup(&s->arena, (src)))) { \
			error = PLATCI_ENOMEM; \
			goto done; \
		} \
	} while (0)

#define INTERN(dst, src) \
	do { \
		if ((src) && !((dst) = scan_intern(s, (src)))) { \
			error = PLATCI_ENOMEM; \
			goto done; \
		} \
	} while (0)

/* A later copy may know more (a fix, a higher severity): keep the most telling one. */
static int merge(platci_scan *s, scan_entry *e, const platci_trivy_finding *f)
{
	int error = 0;

	e->seen++;
	if (f->severity > e->severity)
		e->severity = f->severity;
	if (!e->fixable && f->fixable) {
		e->fixable = 1;
		INTERN(e->fixed, f->fixed_version);
		INTERN(e->status, f->status);
	}
	if (f->cvss_score > e->cvss)
		e->cvss = f->cvss_score;
done:
	return error;
}

typedef struct add_ctx {
	platci_scan *s;
	platci_buf key;
	/* A result's findings share these: compare with the last one before hashing. */
	const char *last_target, *last_image, *last_os, *last_resource;
} add_ctx;

static const char *intern_last(platci_scan *s, const char **last, const char *str)
{
	if (!str)
		return NULL;
	if (!*last || strcmp(*last, str) != 0)
		*last = scan_intern(s, str);
	return *last;
}

#define INTERN_LAST(dst, src, last) \
	do { \
		if ((src) && !((dst) = intern_last(s, &(last), (src)))) { \
			error = PLATCI_ENOMEM; \
			goto done; \
		} \
	} while (0)

static int add_refs(platci_scan *s, scan_entry *e, const char *const *refs, size_t n)
{
	const char **list;

	if (!n)
		return 0;
	if (!(list = platci_arena_alloc(&s->arena, n * sizeof(*list))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(list[i] = scan_intern(s, refs[i])))
			return PLATCI_ENOMEM;
	e->refs = list;
	e->nrefs = n;
	return 0;
}

static int on_finding(const platci_trivy_finding *f, void *payload)
{
	add_ctx *c = payload;
	platci_scan *s = c->s;
	scan_entry *e;
	size_t idx;
	int error;

	if (f->kind == PLATCI_TRIVY_VULNERABILITY)
		s->totals.read[f->severity]++;
	s->totals.read_kind[f->kind]++;
	if ((error = make_key(&c->key, f)) < 0)
		return error;
	if (scan_map_find(&s->index, c->key.ptr, &idx)) {
		s->totals.duplicates++;
		return merge(s, &s->entries[idx], f);
	}
	if ((error = platci__grow_array((void **)&s->entries, &s->aentries, s->nentries + 1,
		     sizeof(*s->entries))) < 0)
		return error;
	e = &s->entries[s->nentries];
	memset(e, 0, sizeof(*e));
	e->kind = f->kind;
	e->severity = f->severity;
	e->fixable = f->fixable;
	e->cvss = f->cvss_score;
	e->start_line = f->start_line;
	e->line = f->line;
	e->seen = 1;
	e->report = s->current_report;
	/* Config and fs/repo scans name repository files; image scans name paths in the image. */
	e->target_is_file = f->target && *f->target && f->kind != PLATCI_TRIVY_VULNERABILITY &&
		((f->result_class && strcmp(f->result_class, "config") == 0) ||
			(f->artifact_type && (strcmp(f->artifact_type, "filesystem") == 0 ||
				strcmp(f->artifact_type, "repository") == 0)));
	COPY(e->key, c->key.ptr); /* unique by construction */
	INTERN(e->id, f->id);
	if (f->kind == PLATCI_TRIVY_VULNERABILITY && scan_map_find(&s->advisories, e->id, &idx)) {
		/* Same advisory, same texts: skip hashing them again. */
		const scan_entry *a = &s->entries[idx];
		e->title = a->title;
		e->description = a->description;
		e->url = a->url;
		e->refs = a->refs;
		e->nrefs = a->nrefs;
		e->cvss_vendor = a->cvss_vendor;
		e->cvss_v3 = a->cvss_v3;
		e->cvss_v2 = a->cvss_v2;
	} else {
		INTERN(e->title, f->title);
		INTERN(e->description, f->description);
		INTERN(e->url, f->primary_url);
		INTERN(e->cvss_vendor, f->cvss_vendor);
		INTERN(e->cvss_v3, f->cvss_v3_vector);
		INTERN(e->cvss_v2, f->cvss_v2_vector);
		if ((error = add_refs(s, e, f->references, f->nreferences)) < 0)
			goto done;
		if (f->kind == PLATCI_TRIVY_VULNERABILITY &&
		    (error = scan_map_put(&s->advisories, e->id, s->nentries)) < 0)
			goto done;
	}
	INTERN(e->alias, f->alias);
	INTERN(e->pkg, f->pkg_name);
	COPY(e->version, f->installed_version);
	INTERN(e->fixed, f->fixed_version);
	COPY(e->pkg_path, f->pkg_path);
	COPY(e->purl, f->purl);
	INTERN(e->status, f->status);
	INTERN(e->category, f->category);
	INTERN_LAST(e->target, f->target, c->last_target);
	INTERN_LAST(e->image, f->image, c->last_image);
	INTERN_LAST(e->os, f->operating_system, c->last_os);
	INTERN_LAST(e->resource, f->resource, c->last_resource);
	if ((error = scan_map_put(&s->index, e->key, s->nentries)) < 0)
		goto done;
	s->nentries++;
done:
	return error;
}

int platci_scan_add_report(platci_scan *s, const char *path, platci_trivy_stats *stats,
	platci_diag *diag)
{
	platci_trivy_stats local;
	add_ctx c;
	int error = 0;

	PLATCI_ASSERT_ARG(s && path && !s->finished);
	memset(&c, 0, sizeof(c));
	c.s = s;
	platci_buf_init(&c.key, 0);
	if (!(s->current_report = scan_intern(s, path))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	s->totals.reports++;
	error = platci_trivy_read_file(stats ? stats : &local, path, NULL, on_finding, &c, diag);
	if (!s->trivy_version[0])
		snprintf(s->trivy_version, sizeof(s->trivy_version), "%s",
			(stats ? stats : &local)->trivy_version);
done:
	platci_buf_dispose(&c.key);
	return error;
}

/* ---- policy and waivers ------------------------------------------------------------ */

/*
 * A waiver is stale only when nothing in the input matches it: a finding
 * this environment's policy drops may still need it in the next one.
 */
static void note_seen(platci_scan *s, const scan_entry *e)
{
	for (size_t i = 0; i < s->nwaivers; i++)
		if (scan_waiver_matches(&s->waivers[i], e, s->opts.env))
			s->waivers[i].seen++;
}

/* The first live waiver covering @p e; counts what every waiver saw. */
static const scan_waiver *waive(platci_scan *s, const scan_entry *e)
{
	const scan_waiver *live = NULL;

	for (size_t i = 0; i < s->nwaivers; i++) {
		scan_waiver *w = &s->waivers[i];
		if (!scan_waiver_matches(w, e, s->opts.env))
			continue;
		w->seen++;
		if (w->expires && s->opts.now >= w->expires) {
			w->matched_expired++;
			continue;
		}
		w->matched++;
		if (!live)
			live = w;
	}
	return live;
}

static int is_compound(const char *id)
{
	return strstr(id, " AND ") || strstr(id, " OR ") || strstr(id, " and ") ||
		strstr(id, " or ");
}

/*
 * An SPDX expression ("MIT OR GPL-2.0-only", "(A AND B)") is waived only when
 * every licence in it is, as Trivy does; "X WITH Y" stays one unit. A waiver
 * for the whole expression also works.
 */
static const scan_waiver *waive_compound(platci_scan *s, const scan_entry *e)
{
	char unit[256];
	const char *p = e->id;
	const scan_waiver *first = NULL, *w;
	scan_entry part = *e;
	int all = 1;

	if ((w = waive(s, e)) != NULL)
		return w;
	while (*p) {
		size_t n;
		while (*p == ' ' || *p == '(' || *p == ')')
			p++;
		if (!*p)
			break;
		n = 0;
		/* A unit runs to the next " AND " / " OR " or a parenthesis. */
		while (p[n] && p[n] != '(' && p[n] != ')' && strncmp(p + n, " AND ", 5) != 0 &&
		       strncmp(p + n, " OR ", 4) != 0 && strncmp(p + n, " and ", 5) != 0 &&
		       strncmp(p + n, " or ", 4) != 0)
			n++;
		snprintf(unit, sizeof(unit), "%.*s", (int)n, p);
		p += n;
		if (strncmp(p, " AND ", 5) == 0 || strncmp(p, " and ", 5) == 0)
			p += 5;
		else if (strncmp(p, " OR ", 4) == 0 || strncmp(p, " or ", 4) == 0)
			p += 4;
		while (n && unit[n - 1] == ' ')
			unit[--n] = '\0';
		if (!n)
			continue;
		part.id = unit;
		part.alias = NULL;
		if ((w = waive(s, &part)) == NULL)
			all = 0;
		else if (!first)
			first = w;
	}
	return all ? first : NULL;
}

static void apply(platci_scan *s, scan_entry *e)
{
	platci_scan_rules r;
	const scan_waiver *live = NULL;

	platci_scan_policy_rules(&r, s->policy, s->opts.env, e->image);
	e->state = ST_REPORTED;
	if ((int)e->severity < r.report_severity)
		e->state = ST_BELOW_SEVERITY;
	else if (e->kind == PLATCI_TRIVY_VULNERABILITY &&
	    ((r.ignore_unfixed && !e->fixable) ||
		    (e->status && (r.ignore_statuses & platci_scan_status_bit(e->status)))))
		e->state = ST_IGNORED_STATUS;
	else if (e->kind == PLATCI_TRIVY_VULNERABILITY && r.cvss_floor > 0 && e->cvss >= 0 &&
	    e->cvss < r.cvss_floor)
		e->state = ST_BELOW_CVSS;
	if (e->state != ST_REPORTED) {
		if (s->nwaivers)
			note_seen(s, e);
		return;
	}
	if (e->kind == PLATCI_TRIVY_LICENSE && is_compound(e->id))
		live = waive_compound(s, e);
	else
		live = waive(s, e);
	if (live) {
		e->state = ST_WAIVED;
		e->waiver = live;
		return;
	}
	e->state = ST_REPORTED;
	e->failing = r.fail_severity != PLATCI_SCAN_NEVER && (int)e->severity >= r.fail_severity;
}

static int cmp_image(const void *a, const void *b)
{
	return strcmp(((const platci_scan_image *)a)->image, ((const platci_scan_image *)b)->image);
}

static int tally_images(platci_scan *s)
{
	scan_map seen = { NULL, NULL, NULL, 0, 0 };
	size_t alloc = 0;
	int error = 0;

	for (size_t i = 0; i < s->nentries; i++) {
		const scan_entry *e = &s->entries[i];
		platci_scan_image *im;
		size_t idx;

		if (!scan_map_find(&seen, e->image, &idx)) {
			if ((error = platci__grow_array((void **)&s->images, &alloc, s->nimages + 1,
				     sizeof(*s->images))) < 0)
				goto done;
			idx = s->nimages++;
			memset(&s->images[idx], 0, sizeof(*s->images));
			s->images[idx].image = e->image;
			if ((error = scan_map_put(&seen, e->image, idx)) < 0)
				goto done;
		}
		im = &s->images[idx];
		if (e->state == ST_WAIVED)
			im->waived++;
		if (e->state != ST_REPORTED)
			continue;
		if (e->failing)
			im->failing++;
		if (e->kind == PLATCI_TRIVY_VULNERABILITY) {
			im->reported[e->severity]++;
			if (e->fixable)
				im->fixable[e->severity]++;
		} else {
			im->other++;
		}
	}
	if (s->nimages)
		qsort(s->images, s->nimages, sizeof(*s->images), cmp_image);
done:
	scan_map_dispose(&seen);
	return error;
}

/* ---- findings ---------------------------------------------------------------------- */

static platci_severity cq_severity(platci_trivy_severity t)
{
	switch (t) {
	case PLATCI_TRIVY_CRITICAL: return PLATCI_SEVERITY_CRITICAL;
	case PLATCI_TRIVY_HIGH: return PLATCI_SEVERITY_MAJOR;
	case PLATCI_TRIVY_MEDIUM: return PLATCI_SEVERITY_MINOR;
	default: return PLATCI_SEVERITY_INFO;
	}
}

static const char *const rule_ids[PLATCI_TRIVY_KINDS] = {
	"scan.vulnerability", "scan.misconfiguration", "scan.secret", "scan.license"
};

static int entry_finding(platci_scan *s, const scan_entry *e, platci_findings *out)
{
	platci_finding f;
	platci_buf msg = PLATCI_BUF_INIT, waiver = PLATCI_BUF_INIT;
	const char *sev = platci_trivy_severity_name(e->severity);
	int error;

	memset(&f, 0, sizeof(f));
	switch (e->kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		platci_buf_printf(&msg, "%s in %s %s (%s, %s) in %s", e->id, or_empty(e->pkg),
			or_empty(e->version), sev, e->fixable && e->fixed && *e->fixed ?
			"fix available" : "no fix", e->image);
		if (e->fixable && e->fixed && *e->fixed)
			platci_buf_printf(&msg, "; upgrade to %s", e->fixed);
		break;
	case PLATCI_TRIVY_MISCONFIGURATION:
		platci_buf_printf(&msg, "%s: %s (%s)", e->id, e->title ? e->title : "misconfiguration",
			sev);
		if (e->resource)
			platci_buf_printf(&msg, " in %s", e->resource);
		break;
	case PLATCI_TRIVY_SECRET:
		/* The rule and the place, never the matched text. */
		platci_buf_printf(&msg, "secret %s (%s, %s) in %s", e->id,
			e->title ? e->title : "secret", sev, e->image);
		break;
	default:
		platci_buf_printf(&msg, "license %s (%s, %s) in %s", e->id,
			e->category ? e->category : "unknown category", sev,
			e->pkg ? e->pkg : e->pkg_path ? e->pkg_path : or_empty(e->target));
		break;
	}
	if (e->waiver) {
		const scan_waiver *w = e->waiver;
		platci_buf_printf(&waiver, "%s (%s:%zu", w->id, w->source, w->line);
		if (w->reason || w->statement)
			platci_buf_printf(&waiver, ": %s", w->reason ? w->reason : w->statement);
		if (w->owner)
			platci_buf_printf(&waiver, "; owner %s", w->owner);
		if (w->expires_text)
			platci_buf_printf(&waiver, "; expires %s", w->expires_text);
		platci_buf_puts(&waiver, ")");
	}
	if ((error = msg.error ? msg.error : waiver.error) < 0)
		goto done;
	f.rule_id = rule_ids[e->kind];
	f.severity = cq_severity(e->severity);
	f.enforcement = e->failing ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
	f.message = msg.ptr;
	/* Code Quality wants a file and a line: the repository file, else the report itself. */
	f.file = e->target_is_file ? e->target : e->report;
	f.line = e->target_is_file ? e->start_line : e->line;
	f.env = s->opts.env;
	f.key = e->key;
	f.waiver = e->waiver ? waiver.ptr : NULL;
	f.details = e->kind == PLATCI_TRIVY_SECRET ? NULL : e->description;
	error = platci_findings_add(out, &f);
done:
	platci_buf_dispose(&msg);
	platci_buf_dispose(&waiver);
	return error;
}

static int waiver_findings(platci_scan *s, platci_findings *out)
{
	platci_buf msg = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < s->nwaivers; i++) {
		const scan_waiver *w = &s->waivers[i];
		int expired = w->expires && s->opts.now >= w->expires;
		platci_finding f;

		if (!expired && w->seen)
			continue;
		memset(&f, 0, sizeof(f));
		platci_buf_clear(&msg);
		platci_buf_clear(&key);
		platci_buf_printf(&key, "%s\x1f%s", w->id, w->image ? w->image : "");
		if (expired) {
			s->totals.expired_waivers++;
			platci_buf_printf(&msg, "waiver for %s expired on %s", w->id, w->expires_text);
			if (w->matched_expired)
				platci_buf_printf(&msg, "; the %zu finding(s) it covered are reported "
					"again", w->matched_expired);
			else
				platci_buf_puts(&msg, "; it matches nothing now either: remove it");
			f.rule_id = "scan.waiver-expired";
			f.severity = w->matched_expired ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_MINOR;
		} else {
			s->totals.stale_waivers++;
			platci_buf_printf(&msg, "waiver for %s matched nothing in this scan "
				"(stale): remove it or fix its scope", w->id);
			f.rule_id = "scan.waiver-stale";
			f.severity = PLATCI_SEVERITY_INFO;
		}
		if (w->owner)
			platci_buf_printf(&msg, " (owner %s)", w->owner);
		if ((error = msg.error ? msg.error : key.error) < 0)
			goto done;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = msg.ptr;
		f.file = w->source;
		f.line = w->line;
		f.env = s->opts.env;
		f.key = key.ptr;
		if ((error = platci_findings_add(out, &f)) < 0)
			goto done;
	}
done:
	platci_buf_dispose(&msg);
	platci_buf_dispose(&key);
	return error;
}

int platci_scan_finish(platci_scan *s, platci_findings *out)
{
	platci_scan_totals *t;
	int error = 0;

	PLATCI_ASSERT_ARG(s && !s->finished);
	s->finished = 1;
	t = &s->totals;
	t->unique = s->nentries;
	for (size_t i = 0; i < s->nentries; i++) {
		scan_entry *e = &s->entries[i];
		apply(s, e);
		switch (e->state) {
		case ST_BELOW_SEVERITY: t->below_severity++; continue;
		case ST_IGNORED_STATUS: t->ignored_status++; continue;
		case ST_BELOW_CVSS: t->below_cvss++; continue;
		case ST_WAIVED: t->waived++; break;
		case ST_REPORTED:
			if (e->kind == PLATCI_TRIVY_VULNERABILITY)
				t->reported[e->severity]++;
			else
				t->reported_other++;
			if (e->failing)
				t->failing++;
			break;
		}
		if (out && (error = entry_finding(s, e, out)) < 0)
			goto done;
	}
	if (out && (error = waiver_findings(s, out)) < 0)
		goto done;
	error = tally_images(s);
done:
	return error;
}

const platci_scan_totals *platci_scan_get_totals(const platci_scan *s)
{
	return s ? &s->totals : NULL;
}

size_t platci_scan_image_count(const platci_scan *s)
{
	return s ? s->nimages : 0;
}

const platci_scan_image *platci_scan_image_at(const platci_scan *s, size_t i)
{
	return s && i < s->nimages ? &s->images[i] : NULL;
}
