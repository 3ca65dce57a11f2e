/*
 * A scan run. Reports stream in; each finding is folded by its
 * (kind, image, id, package, version, place) key, so the same
 * vulnerability in several targets or reports counts once, then judged at
 * once against the policy and every waiver (they are all loaded before the
 * first report), counted, and written: nothing of it is kept but a 128-bit
 * fingerprint of its key, the per-image tallies and the 50 most pressing
 * vulnerabilities for the summary.
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

int platci_scan_new(platci_scan **out, const platci_scan_policy *policy, const platci_scan_options *opts)
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
	platci_arena_init(&s->arena, 64 * 1024);
	if (s->opts.env && !(s->opts.env = platci_arena_strdup(&s->arena, s->opts.env))) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < policy->nwaivers; i++) {
		if ((error = platci__grow_array((void **)&s->waivers, &s->awaivers, s->nwaivers + 1,
			     sizeof(*s->waivers))) < 0)
			goto done;
		/* Counted first: a half-made copy is still freed by platci_scan_free(). */
		if ((error = platci_scan__waiver_copy(&s->waivers[s->nwaivers++], &policy->waivers[i])) < 0)
			goto done;
	}
	if (!s->opts.counts_only && (error = platci_findings_new(&s->kept)) < 0)
		goto done;
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
	free(s->waivers);
	free(s->images);
	platci__strmap_dispose(&s->interned);
	platci__strmap_dispose(&s->image_index);
	platci_scan__seen_dispose(&s->seen);
	platci_scan__report_dispose(s);
	platci_findings_free(s->kept);
	platci_buf_dispose(&s->key);
	platci_buf_dispose(&s->msg);
	platci_buf_dispose(&s->waiver);
	platci_buf_dispose(&s->scratch);
	platci_arena_dispose(&s->arena);
	free(s);
}

int platci_scan_add_waivers(platci_scan *s, const char *path, platci_diag *diag)
{
	PLATCI_ASSERT_ARG(s && path && !s->finished && !s->reading);
	return platci_scan__waivers_load(s, path, diag);
}

int platci_scan_stream_reports(platci_scan *s, platci_report_stream *rs, const char *dir,
	const platci_scan_cs_options *cs, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(s && rs && dir && !s->reading && !s->finished && !s->stream);
	if (cs && cs->version != PLATCI_SCAN_CS_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (cs)
		s->cs_opts = *cs;
	else
		platci_scan_cs_options_default(&s->cs_opts);
	if (s->cs_opts.scanner_version &&
		!(s->cs_opts.scanner_version = platci_arena_strdup(&s->arena, s->cs_opts.scanner_version)))
		return PLATCI_ENOMEM;
	s->stream = rs;
	s->diag = diag;
	platci_findings_free(s->kept);
	s->kept = NULL;
	if (platci_buf_printf(&path, "%s/gl-container-scanning-report.json", dir) < 0)
		error = PLATCI_ENOMEM;
	else if ((error = platci_fs_mkdirs(dir, diag)) == 0 &&
		 (error = platci_fs_atomic_open(&s->cs_file, path.ptr, diag)) == 0)
		error = platci_scan__cs_open(s);
	platci_buf_dispose(&path);
	return error;
}

/* ---- one finding ---------------------------------------------------------------------------- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void part(platci_buf *k, const char *s)
{
	platci_buf_putc(k, '\x1f');
	platci_buf_puts(k, or_empty(s));
}

static int make_key(platci_buf *k, const platci_trivy_finding *f)
{
	platci_buf_clear(k);
	platci_buf_putc(k, (char)('0' + (int)f->kind));
	part(k, f->image);
	part(k, f->id);
	switch (f->kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		part(k, f->pkg_name);
		part(k, f->installed_version);
		break;
	case PLATCI_TRIVY_LICENSE:
		part(k, f->pkg_name);
		part(k, f->pkg_path);
		part(k, f->target);
		break;
	default: /* misconfigurations and secrets are about a place in a file */
		part(k, f->resource);
		part(k, f->target);
		platci_buf_printf(k, "\x1f%zu", f->start_line);
		break;
	}
	return k->error;
}

static void entry_from(scan_entry *e, const platci_trivy_finding *f, const platci_scan *s)
{
	memset(e, 0, sizeof(*e));
	e->kind = f->kind;
	e->severity = f->severity;
	e->fixable = f->fixable;
	e->cvss = f->cvss_score;
	e->start_line = f->start_line;
	e->line = f->line;
	e->report = s->current_report;
	/* Config and fs/repo scans name repository files; image scans name paths in the image. */
	e->target_is_file =
		f->target && *f->target && f->kind != PLATCI_TRIVY_VULNERABILITY &&
		((f->result_class && strcmp(f->result_class, "config") == 0) ||
			(f->artifact_type && (strcmp(f->artifact_type, "filesystem") == 0 ||
						     strcmp(f->artifact_type, "repository") == 0)));
	e->key = s->key.ptr;
	e->id = f->id;
	e->alias = f->alias;
	e->title = f->title;
	e->description = f->description;
	e->url = f->primary_url;
	e->cvss_vendor = f->cvss_vendor;
	e->cvss_v3 = f->cvss_v3_vector;
	e->cvss_v2 = f->cvss_v2_vector;
	e->refs = f->references;
	e->nrefs = f->nreferences;
	e->pkg = f->pkg_name;
	e->version = f->installed_version;
	e->fixed = f->fixed_version;
	e->pkg_path = f->pkg_path;
	e->purl = f->purl;
	e->status = f->status;
	e->category = f->category;
	e->target = f->target;
	e->image = f->image;
	e->os = f->operating_system;
	e->resource = f->resource;
}

/* ---- policy and waivers ------------------------------------------------------------ */

/*
 * A waiver is stale only when nothing in the input matches it: a finding
 * this environment's policy drops may still need it in the next one.
 */
static void note_seen(platci_scan *s, const scan_entry *e)
{
	for (size_t i = 0; i < s->nwaivers; i++)
		if (platci_scan__waiver_matches(&s->waivers[i], e, s->opts.env))
			s->waivers[i].w.seen++;
}

/* The first live waiver covering @p e; counts what every waiver saw. */
static const scan_waiver *waive(platci_scan *s, const scan_entry *e)
{
	const scan_waiver *live = NULL;

	for (size_t i = 0; i < s->nwaivers; i++) {
		scan_waiver *w = &s->waivers[i];
		if (!platci_scan__waiver_matches(w, e, s->opts.env))
			continue;
		w->w.seen++;
		if (platci_waiver__expired(&w->w, s->opts.now)) {
			w->w.used_expired++;
			continue;
		}
		w->w.used++;
		if (!live)
			live = w;
	}
	return live;
}

static int is_compound(const char *id)
{
	return strstr(id, " AND ") || strstr(id, " OR ") || strstr(id, " and ") || strstr(id, " or ");
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

/* The rules of an image: findings come image by image, so the last one is kept. */
static const platci_scan_rules *rules_for(platci_scan *s, const char *image)
{
	if (!s->rules_image || strcmp(s->rules_image, image) != 0) {
		platci_scan_policy_rules(&s->rules, s->policy, s->opts.env, image);
		if (!(s->rules_image = platci_scan__intern(s, image)))
			platci_scan_policy_rules(&s->rules, s->policy, s->opts.env, image);
	}
	return &s->rules;
}

static void apply(platci_scan *s, scan_entry *e)
{
	platci_scan_rules r = *rules_for(s, e->image);
	const scan_waiver *live = NULL;

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
	e->failing = r.fail_severity != PLATCI_SCAN_NEVER && (int)e->severity >= r.fail_severity;
}

/* ---- counting ------------------------------------------------------------------------------- */

static platci_scan_image *image_of(platci_scan *s, const char *name)
{
	const char *interned;
	size_t idx;

	/* Findings come image by image: the last one is the likely one. */
	if (s->last_image < s->nimages && strcmp(s->images[s->last_image].image, name) == 0)
		return &s->images[s->last_image];
	if (platci_scan__map_find(&s->image_index, name, &idx)) {
		s->last_image = idx;
		return &s->images[idx];
	}
	if (!(interned = platci_scan__intern(s, name)) ||
		platci__grow_array((void **)&s->images, &s->aimages, s->nimages + 1, sizeof(*s->images)) < 0 ||
		platci_scan__map_put(&s->image_index, interned, s->nimages) < 0)
		return NULL;
	memset(&s->images[s->nimages], 0, sizeof(*s->images));
	s->images[s->nimages].image = interned;
	s->last_image = s->nimages;
	return &s->images[s->nimages++];
}

static int count(platci_scan *s, const scan_entry *e)
{
	platci_scan_counts *t = &s->totals;
	platci_scan_image *im = image_of(s, e->image);

	if (!im)
		return PLATCI_ENOMEM;
	t->unique++;
	switch (e->state) {
	case ST_BELOW_SEVERITY:
		t->below_severity++;
		return 0;
	case ST_IGNORED_STATUS:
		t->ignored_status++;
		return 0;
	case ST_BELOW_CVSS:
		t->below_cvss++;
		return 0;
	case ST_WAIVED:
		t->waived++;
		im->waived++;
		return 0;
	case ST_REPORTED:
		break;
	}
	if (e->kind == PLATCI_TRIVY_VULNERABILITY) {
		t->reported[e->severity]++;
		im->reported[e->severity]++;
		if (e->fixable)
			im->fixable[e->severity]++;
	} else {
		t->reported_other++;
		im->other++;
	}
	if (e->failing) {
		t->failing++;
		im->failing++;
	}
	return 0;
}

static int on_finding(const platci_trivy_finding *f, void *payload)
{
	platci_scan *s = payload;
	scan_entry e;
	int error;

	if (f->kind == PLATCI_TRIVY_VULNERABILITY)
		s->totals.read[f->severity]++;
	s->totals.read_kind[f->kind]++;
	if ((error = make_key(&s->key, f)) < 0)
		return error;
	if ((error = platci_scan__seen_add(&s->seen, s->key.ptr, s->key.size)) != 0) {
		if (error > 0)
			s->totals.duplicates++;
		return error < 0 ? error : 0;
	}
	entry_from(&e, f, s);
	apply(s, &e);
	if ((error = count(s, &e)) < 0)
		return error;
	if (e.state != ST_REPORTED && e.state != ST_WAIVED)
		return 0;
	if (e.state == ST_REPORTED && e.kind == PLATCI_TRIVY_VULNERABILITY)
		platci_scan__report_top(s, &e);
	if (s->opts.counts_only)
		return 0;
	if ((error = platci_scan__report_finding(s, &e)) < 0)
		return error;
	if (e.state == ST_REPORTED && e.failing && (error = platci_scan__report_case(s, &e)) < 0)
		return error;
	if (e.state == ST_REPORTED && e.kind == PLATCI_TRIVY_VULNERABILITY)
		return platci_scan__report_vulnerability(s, &e);
	return 0;
}

int platci_scan_add_report(platci_scan *s, const char *path, platci_trivy_stats *stats, platci_diag *diag)
{
	platci_trivy_options to = PLATCI_TRIVY_OPTIONS_INIT;
	platci_trivy_stats local;
	int error = 0;

	PLATCI_ASSERT_ARG(s && path && !s->finished);
	to.policy_fields_only = s->opts.counts_only;
	if (!s->reading && !s->stream && !s->opts.counts_only && (error = platci_scan__cs_open(s)) < 0)
		return error;
	s->reading = 1;
	if (!(s->current_report = platci_scan__intern(s, path)))
		return PLATCI_ENOMEM;
	s->totals.reports++;
	error = platci_trivy_read_file(stats ? stats : &local, path, &to, on_finding, s, diag);
	if (!s->trivy_version[0])
		snprintf(s->trivy_version, sizeof(s->trivy_version), "%s",
			(stats ? stats : &local)->trivy_version);
	return error;
}

/* ---- the end ---------------------------------------------------------------------------- */

/*
 * Expired and stale waivers, reported the way every rules file reports them
 * (waiver.h); streamed like every other finding when reports are.
 */
static int waiver_findings(platci_scan *s)
{
	platci_findings *found = NULL;
	int error;

	if ((error = platci_findings_new(&found)) < 0)
		return error;
	for (size_t i = 0; i < s->nwaivers; i++) {
		const scan_waiver *w = &s->waivers[i];
		int rc = platci_scan__waiver_report(w, s, found);
		if ((error = rc < 0 ? rc : 0) < 0)
			goto done;
		if (rc && platci_waiver__expired(&w->w, s->opts.now))
			s->totals.expired_waivers++;
		else if (rc)
			s->totals.stale_waivers++;
	}
	if (s->opts.counts_only)
		goto done;
	for (size_t i = 0; i < platci_findings_count(found) && !error; i++)
		error = s->stream ? platci_report_stream_add(s->stream, platci_findings_at(found, i), 0)
				  : platci_findings_add(s->kept, platci_findings_at(found, i));
done:
	platci_findings_free(found);
	return error < 0 ? error : 0;
}

static int cmp_image(const void *a, const void *b)
{
	return strcmp(((const platci_scan_image *)a)->image, ((const platci_scan_image *)b)->image);
}

int platci_scan_finish(platci_scan *s, platci_findings *out)
{
	int error;

	PLATCI_ASSERT_ARG(s && !s->finished && (!out || !s->stream));
	s->finished = 1;
	if ((error = waiver_findings(s)) < 0)
		return error;
	/* the index is by position: drop it before sorting */
	platci__strmap_dispose(&s->image_index);
	if (s->nimages)
		qsort(s->images, s->nimages, sizeof(*s->images), cmp_image);
	if (s->cs_file) {
		platci_scan__cs_tail(s, &s->csw, &s->cs_opts);
		platci__jsonw_end(&s->csw);
		error = platci_fs_atomic_commit(s->cs_file, s->diag);
		s->cs_file = NULL;
		if (error < 0)
			return error;
	}
	for (size_t i = 0; out && s->kept && i < platci_findings_count(s->kept); i++)
		if ((error = platci_findings_add(out, platci_findings_at(s->kept, i))) < 0)
			return error;
	return 0;
}

int platci_scan_totals(platci_scan_counts *out, const platci_scan *s)
{
	PLATCI_ASSERT_ARG(out && s);
	*out = s->totals;
	return 0;
}

size_t platci_scan_image_count(const platci_scan *s)
{
	return s ? s->nimages : 0;
}

const platci_scan_image *platci_scan_image_at(const platci_scan *s, size_t i)
{
	return s && i < s->nimages ? &s->images[i] : NULL;
}
