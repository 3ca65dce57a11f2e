/*
 * What a scan writes for each finding as it comes (its finding, its JUnit
 * case, its container scanning entry), and its own reports:
 * gl-container-scanning-report.json (schema 15.0.7, streamed through the
 * JSON writer in the key order jansson's JSON_SORT_KEYS gave it), the
 * summary preamble and the per-image JUnit cases.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "scan_int.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/banned.h"

#define CS_VERSION "15.0.7"
#define MAX_NAME 255
#define MAX_DESCRIPTION 1048576
#define MAX_SOLUTION 7000

static const char *const cvss2_re =
	"^((AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|"
	"RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))/)*"
	"(AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|"
	"RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))$";
static const char *const cvss3_re =
	"^CVSS:3[.][01]/((AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|"
	"RL:[XOTWU]|RC:[XURC]|[CIA]R:[XLMH]|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|"
	"M[CIA]:[XNLH])/)*(AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|"
	"RL:[XOTWU]|RC:[XURC]|[CIA]R:[XLMH]|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|"
	"M[CIA]:[XNLH])$";

/* GitLab wants `^(https?|ftp)://.+` and a URI: no blanks, quotes or brackets. */
static int url_byte_ok(unsigned char c)
{
	switch (c) {
	case '"':
	case '<':
	case '>':
	case '\\':
	case '^':
	case '`':
	case '{':
	case '|':
	case '}':
		return 0;
	default:
		return c > 0x20 && c < 0x7f;
	}
}

static int valid_url(const char *u)
{
	const char *rest;

	if (!u)
		return 0;
	if (strncmp(u, "https://", 8) == 0)
		rest = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		rest = u + 7;
	else if (strncmp(u, "ftp://", 6) == 0)
		rest = u + 6;
	else
		return 0;
	if (!*rest || *rest == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (!url_byte_ok(*p))
			return 0;
	return 1;
}

/* A string member cut at @p max bytes without splitting a UTF-8 sequence. */
static void text(platci_jsonw *w, const char *key, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
			max--;
		n = max;
	}
	platci__jsonw_key(w, key);
	platci__jsonw_strn(w, s, n);
}

static const char *title_case(platci_trivy_severity s)
{
	static const char *const names[] = { "Unknown", "Low", "Medium", "High", "Critical" };
	return names[s];
}

/* "registry/app:1.2" -> "registry/app"; digests too. GitLab's location fingerprint uses it. */
static void image_without_tag(char *out, size_t size, const char *image)
{
	const char *at = strchr(image, '@');
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(image, ':');
	size_t n = strlen(image);

	if (at)
		n = (size_t)(at - image);
	else if (colon && (!slash || colon > slash))
		n = (size_t)(colon - image);
	snprintf(out, size, "%.*s", (int)n, image);
}

static int stable_id(platci_scan *s, char out[37], const scan_entry *e)
{
	char base[512], hex[PLATCI_SHA256_HEX_SIZE];
	const char *parts[] = { base, ":", e->pkg ? e->pkg : "", ":", e->version ? e->version : "",
		":", e->id };
	int error;

	image_without_tag(base, sizeof(base), e->image);
	if (!s->hash && (error = platci_sha256_new(&s->hash)) < 0)
		return error;
	if ((error = platci_sha256_reset(s->hash)) < 0)
		return error;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(parts) && !error; i++)
		error = platci_sha256_update(s->hash, parts[i], strlen(parts[i]));
	if (error || (error = platci_sha256_final_hex(hex, s->hash)) < 0)
		return error;
	/* UUID-shaped, as the schema recommends. */
	memcpy(out, hex, 8);
	out[8] = '-';
	memcpy(out + 9, hex + 8, 4);
	out[13] = '-';
	memcpy(out + 14, hex + 12, 4);
	out[18] = '-';
	memcpy(out + 19, hex + 16, 4);
	out[23] = '-';
	memcpy(out + 24, hex + 20, 12);
	out[36] = '\0';
	return 0;
}

static void identifier(platci_jsonw *w, const scan_entry *e)
{
	char type[32], url[512];
	size_t n = strcspn(e->id, "-");

	snprintf(type, sizeof(type), "%.*s", (int)(n && n < 20 ? n : 0), e->id);
	for (char *p = type; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!*type)
		snprintf(type, sizeof(type), "trivy");
	url[0] = '\0';
	if (valid_url(e->url))
		snprintf(url, sizeof(url), "%s", e->url);
	else if (strcmp(type, "cve") == 0)
		snprintf(url, sizeof(url), "https://nvd.nist.gov/vuln/detail/%s", e->id);
	else if (strcmp(type, "ghsa") == 0)
		snprintf(url, sizeof(url), "https://github.com/advisories/%s", e->id);
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "name", e->id);
	platci__jsonw_kstr(w, "type", type);
	if (*url && valid_url(url))
		platci__jsonw_kstr(w, "url", url);
	platci__jsonw_kstr(w, "value", e->id);
	platci__jsonw_close(w, '}');
}

typedef struct cvss_checks {
	regex_t v2, v3;
} cvss_checks;

/* A vector as GitLab's schema allows it: checked once per distinct vector (they repeat). */
static int vector_ok(platci_scan *s, const char *v, int v3)
{
	cvss_checks *re = s->regex;
	const char *interned;
	size_t ok;

	if (!v)
		return 0;
	if (platci_scan__map_find(&s->vectors, v, &ok))
		return (int)ok;
	ok = regexec(v3 ? &re->v3 : &re->v2, v, 0, NULL, 0) == 0;
	if ((interned = platci_scan__intern(s, v)) != NULL)
		platci_scan__map_put(&s->vectors, interned, ok);
	return (int)ok;
}

/* One vulnerability, keys in the order jansson's JSON_SORT_KEYS gave them. */
static int vulnerability(platci_scan *s, platci_jsonw *w, const scan_entry *e)
{
	int v3 = vector_ok(s, e->cvss_v3, 1), v2 = vector_ok(s, e->cvss_v2, 0), links = 0;
	platci_buf *sol = &s->scratch;
	char id[37];
	int error;

	if ((error = stable_id(s, id, e)) < 0)
		return error;
	platci_buf_clear(sol);
	if (e->fixable && e->fixed && *e->fixed)
		platci_buf_printf(sol, "Upgrade %s to %s", e->pkg ? e->pkg : e->id, e->fixed);
	else
		platci_buf_puts(sol, "No solution provided");
	platci__jsonw_open(w, '{');
	if (v3 || v2) {
		platci__jsonw_key(w, "cvss_vectors");
		platci__jsonw_open(w, '[');
		for (int k = 0; k < 2; k++) {
			if (!(k ? v2 : v3))
				continue;
			platci__jsonw_open(w, '{');
			platci__jsonw_kstr(w, "vector", k ? e->cvss_v2 : e->cvss_v3);
			platci__jsonw_kstr(w, "vendor", e->cvss_vendor ? e->cvss_vendor : "unknown");
			platci__jsonw_close(w, '}');
		}
		platci__jsonw_close(w, ']');
	}
	text(w, "description", e->description && *e->description ? e->description : e->id, MAX_DESCRIPTION);
	platci__jsonw_kstr(w, "id", id);
	platci__jsonw_key(w, "identifiers");
	platci__jsonw_open(w, '[');
	identifier(w, e);
	platci__jsonw_close(w, ']');
	for (size_t i = 0; i < e->nrefs; i++)
		links += valid_url(e->refs[i]);
	if (links) {
		platci__jsonw_key(w, "links");
		platci__jsonw_open(w, '[');
		for (size_t i = 0; i < e->nrefs; i++) {
			if (!valid_url(e->refs[i]))
				continue;
			platci__jsonw_open(w, '{');
			platci__jsonw_kstr(w, "url", e->refs[i]);
			platci__jsonw_close(w, '}');
		}
		platci__jsonw_close(w, ']');
	}
	platci__jsonw_key(w, "location");
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "dependency");
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "package");
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "name", e->pkg ? e->pkg : e->id);
	platci__jsonw_close(w, '}');
	platci__jsonw_kstr(w, "version", e->version ? e->version : "unknown");
	platci__jsonw_close(w, '}');
	platci__jsonw_kstr(w, "image", e->image);
	platci__jsonw_kstr(w, "operating_system", e->os && *e->os ? e->os : "unknown");
	platci__jsonw_close(w, '}');
	text(w, "name", e->title && *e->title ? e->title : e->id, MAX_NAME);
	platci__jsonw_kstr(w, "severity", title_case(e->severity));
	text(w, "solution", sol->ptr, MAX_SOLUTION);
	platci__jsonw_close(w, '}');
	return sol->error;
}

static void gitlab_time(char out[32], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

void platci_scan_cs_options_default(platci_scan_cs_options *o)
{
	platci_scan_cs_options init = PLATCI_SCAN_CS_OPTIONS_INIT;
	*o = init;
}

/* The document until its vulnerabilities; they follow as they come. */
int platci_scan__cs_open(platci_scan *s)
{
	cvss_checks *re;

	if (!s->regex) {
		if (!(re = calloc(1, sizeof(*re))))
			return PLATCI_ENOMEM;
		if (regcomp(&re->v2, cvss2_re, REG_EXTENDED | REG_NOSUB) != 0) {
			free(re);
			return PLATCI_ENOMEM;
		}
		if (regcomp(&re->v3, cvss3_re, REG_EXTENDED | REG_NOSUB) != 0) {
			regfree(&re->v2);
			free(re);
			return PLATCI_ENOMEM;
		}
		s->regex = re;
	}
	platci__jsonw_init(&s->csw, s->cs_file ? platci_fs_atomic_buf(s->cs_file) : &s->cs_mem,
		s->opts.pretty);
	platci__jsonw_open(&s->csw, '{');
	platci__jsonw_kstr(&s->csw, "version", CS_VERSION);
	platci__jsonw_key(&s->csw, "vulnerabilities");
	platci__jsonw_open(&s->csw, '[');
	return 0;
}

int platci_scan__report_vulnerability(platci_scan *s, const scan_entry *e)
{
	int error = vulnerability(s, &s->csw, e);

	if (!error && s->cs_file)
		error = platci_fs_atomic_flush(s->cs_file);
	return error;
}

static void tool(platci_jsonw *w, const char *id, const char *name, const char *version, const char *vendor)
{
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "id", id);
	platci__jsonw_kstr(w, "name", name);
	platci__jsonw_key(w, "vendor");
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "name", vendor);
	platci__jsonw_close(w, '}');
	platci__jsonw_kstr(w, "version", version);
	platci__jsonw_close(w, '}');
}

/* After the vulnerabilities: the scan's description, whose counts are known now. */
void platci_scan__cs_tail(const platci_scan *s, platci_jsonw *w, const platci_scan_cs_options *o)
{
	const platci_scan_counts *t = &s->totals;
	char start[32], end[32], msg[256];

	gitlab_time(start, o->start_time);
	gitlab_time(end, o->end_time ? o->end_time : o->start_time);
	snprintf(msg, sizeof(msg),
		"platci: %zu unique of %zu read; suppressed: %zu below the "
		"report severity, %zu by status, %zu below the CVSS floor, %zu waived",
		t->unique, t->read_kind[0] + t->read_kind[1] + t->read_kind[2] + t->read_kind[3],
		t->below_severity, t->ignored_status, t->below_cvss, t->waived);
	platci__jsonw_close(w, ']');
	platci__jsonw_key(w, "remediations");
	platci__jsonw_open(w, '[');
	platci__jsonw_close(w, ']');
	platci__jsonw_key(w, "scan");
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "analyzer");
	tool(w, "platci", "platci", platci_version(), "platci");
	platci__jsonw_kstr(w, "end_time", end);
	platci__jsonw_key(w, "messages");
	platci__jsonw_open(w, '[');
	platci__jsonw_open(w, '{');
	platci__jsonw_kstr(w, "level", "info");
	platci__jsonw_kstr(w, "value", msg);
	platci__jsonw_close(w, '}');
	platci__jsonw_close(w, ']');
	platci__jsonw_key(w, "scanner");
	tool(w, "trivy", "Trivy",
		o->scanner_version    ? o->scanner_version
		: s->trivy_version[0] ? s->trivy_version
				      : "unknown",
		"Aqua Security");
	platci__jsonw_kstr(w, "start_time", start);
	platci__jsonw_kstr(w, "status", "success");
	platci__jsonw_kstr(w, "type", "container_scanning");
	platci__jsonw_close(w, '}');
	platci__jsonw_close(w, '}');
}

int platci_scan_render_container_scanning(platci_buf *out, const platci_scan *s,
	const platci_scan_cs_options *opts)
{
	platci_scan_cs_options o = PLATCI_SCAN_CS_OPTIONS_INIT;
	platci_jsonw w;

	PLATCI_ASSERT_ARG(out && s && !s->stream);
	if (opts) {
		if (opts->version != PLATCI_SCAN_CS_OPTIONS_VERSION)
			return PLATCI_EINVALID;
		o = *opts;
	}
	if (!s->csw.out) {
		/* no report was read: an empty document */
		platci__jsonw_init(&w, out, s->opts.pretty);
		platci__jsonw_open(&w, '{');
		platci__jsonw_kstr(&w, "version", CS_VERSION);
		platci__jsonw_key(&w, "vulnerabilities");
		platci__jsonw_open(&w, '[');
	} else {
		platci_buf_put(out, s->cs_mem.ptr, s->cs_mem.size);
		w = s->csw;
		w.out = out;
	}
	platci_scan__cs_tail(s, &w, &o);
	return platci__jsonw_end(&w);
}

/* ---- findings and JUnit cases --------------------------------------------------------- */

static platci_severity cq_severity(platci_trivy_severity t)
{
	switch (t) {
	case PLATCI_TRIVY_CRITICAL:
		return PLATCI_SEVERITY_CRITICAL;
	case PLATCI_TRIVY_HIGH:
		return PLATCI_SEVERITY_MAJOR;
	case PLATCI_TRIVY_MEDIUM:
		return PLATCI_SEVERITY_MINOR;
	default:
		return PLATCI_SEVERITY_INFO;
	}
}

static const char *const rule_ids[PLATCI_TRIVY_KINDS] = { "scan.vulnerability",
	"scan.misconfiguration", "scan.secret", "scan.license" };

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void finding_message(platci_buf *msg, const scan_entry *e)
{
	const char *sev = platci_trivy_severity_name(e->severity);

	platci_buf_clear(msg);
	switch (e->kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		platci_buf_printf(msg, "%s in %s %s (%s, %s) in %s", e->id, or_empty(e->pkg),
			or_empty(e->version), sev,
			e->fixable && e->fixed && *e->fixed ? "fix available" : "no fix", e->image);
		if (e->fixable && e->fixed && *e->fixed)
			platci_buf_printf(msg, "; upgrade to %s", e->fixed);
		break;
	case PLATCI_TRIVY_MISCONFIGURATION:
		platci_buf_printf(msg, "%s: %s (%s)", e->id, e->title ? e->title : "misconfiguration", sev);
		if (e->resource)
			platci_buf_printf(msg, " in %s", e->resource);
		break;
	case PLATCI_TRIVY_SECRET:
		/* The rule and the place, never the matched text. */
		platci_buf_printf(msg, "secret %s (%s, %s) in %s", e->id,
			e->title ? e->title : "secret", sev, e->image);
		break;
	default:
		platci_buf_printf(msg, "license %s (%s, %s) in %s", e->id,
			e->category ? e->category : "unknown category", sev,
			e->pkg        ? e->pkg
			: e->pkg_path ? e->pkg_path
				      : or_empty(e->target));
		break;
	}
}

static void waiver_text(platci_buf *out, const scan_waiver *w)
{
	platci_buf_clear(out);
	platci_buf_printf(out, "%s (%s:%zu", w->id, w->w.file, w->w.line);
	if (w->w.reason || w->statement)
		platci_buf_printf(out, ": %s", w->w.reason ? w->w.reason : w->statement);
	if (w->w.owner)
		platci_buf_printf(out, "; owner %s", w->w.owner);
	if (w->w.ticket)
		platci_buf_printf(out, "; ticket %s", w->w.ticket);
	if (w->w.expires.text)
		platci_buf_printf(out, "; expires %s", w->w.expires.text);
	platci_buf_puts(out, ")");
}

int platci_scan__report_finding(platci_scan *s, const scan_entry *e)
{
	platci_finding f;
	int error;

	memset(&f, 0, sizeof(f));
	finding_message(&s->msg, e);
	if (e->waiver)
		waiver_text(&s->waiver, e->waiver);
	if ((error = s->msg.error ? s->msg.error : s->waiver.error) < 0)
		return error;
	f.rule_id = rule_ids[e->kind];
	f.severity = cq_severity(e->severity);
	f.enforcement = e->failing ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
	f.message = s->msg.ptr;
	/* Code Quality wants a file and a line: the repository file, else the report itself. */
	f.file = e->target_is_file ? e->target : e->report;
	f.line = e->target_is_file ? e->start_line : e->line;
	f.env = s->opts.env;
	f.key = e->key;
	f.waiver = e->waiver ? s->waiver.ptr : NULL;
	f.details = e->kind == PLATCI_TRIVY_SECRET ? NULL : e->description;
	return s->stream ? platci_report_stream_add(s->stream, &f, 0) : platci_findings_add(s->kept, &f);
}

int platci_scan__report_case(platci_scan *s, const scan_entry *e)
{
	platci_buf *name = &s->scratch, *msg = &s->msg;
	const char *details = e->kind == PLATCI_TRIVY_SECRET ? NULL : e->description;
	scan_case *c;

	platci_buf_clear(name);
	platci_buf_clear(msg);
	platci_buf_printf(name, "[%s] %s", platci_trivy_severity_name(e->severity), e->id);
	if (e->pkg)
		platci_buf_printf(name, " %s@%s", e->pkg, e->version ? e->version : "");
	if (e->kind == PLATCI_TRIVY_SECRET)
		platci_buf_printf(name, " %s:%zu", e->target ? e->target : "", e->start_line);
	platci_buf_puts(msg, e->title ? e->title : e->id);
	if (name->error || msg->error)
		return PLATCI_ENOMEM;
	if (s->stream)
		return platci_report_stream_case(s->stream, e->image, name->ptr, msg->ptr, details, NULL);
	if (platci__grow_array((void **)&s->cases, &s->acases, s->ncases + 1, sizeof(*s->cases)) < 0)
		return PLATCI_ENOMEM;
	c = &s->cases[s->ncases];
	memset(c, 0, sizeof(*c));
	if (!(c->classname = platci__strdup(e->image)) || !(c->name = platci__strdup(name->ptr)) ||
		!(c->failure = platci__strdup(msg->ptr)) ||
		(details && !(c->details = platci__strdup(details)))) {
		free(c->classname);
		free(c->name);
		free(c->failure);
		return PLATCI_ENOMEM;
	}
	s->ncases++;
	return 0;
}

/* ---- the most pressing vulnerabilities, for the summary ------------------------------------ */

/* Fixable criticals first: what a developer can act on today. */
static int top_cmp(int fixable, platci_trivy_severity sev, const char *image, const char *key,
	const scan_top *y)
{
	int c;

	if (fixable != y->fixable)
		return y->fixable - fixable;
	if ((c = (int)y->severity - (int)sev) != 0)
		return c;
	if ((c = strcmp(image, y->image)) != 0)
		return c;
	return strcmp(key, y->key);
}

static void top_free(scan_top *t)
{
	free(t->id);
	free(t->pkg);
	free(t->version);
	free(t->fixed);
	free(t->image);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

static char *dup_or_null(const char *s, int *oom)
{
	char *c = s ? platci__strdup(s) : NULL;
	if (s && !c)
		*oom = 1;
	return c;
}

void platci_scan__report_top(platci_scan *s, const scan_entry *e)
{
	size_t at = s->ntop;
	scan_top t;
	int oom = 0;

	if (e->severity < PLATCI_TRIVY_HIGH)
		return;
	s->top_candidates++;
	while (at && top_cmp(e->fixable, e->severity, e->image, e->key, &s->top[at - 1]) < 0)
		at--;
	if (at >= SCAN_TOP)
		return;
	memset(&t, 0, sizeof(t));
	t.fixable = e->fixable;
	t.failing = e->failing;
	t.severity = e->severity;
	t.id = dup_or_null(e->id, &oom);
	t.pkg = dup_or_null(e->pkg, &oom);
	t.version = dup_or_null(e->version, &oom);
	t.fixed = dup_or_null(e->fixable ? e->fixed : NULL, &oom);
	t.image = dup_or_null(e->image, &oom);
	t.key = dup_or_null(e->key, &oom);
	if (oom) {
		top_free(&t); /* a shorter table, not a failed run */
		return;
	}
	if (s->ntop == SCAN_TOP)
		top_free(&s->top[--s->ntop]);
	memmove(&s->top[at + 1], &s->top[at], (s->ntop - at) * sizeof(s->top[0]));
	s->top[at] = t;
	s->ntop++;
}

void platci_scan__report_dispose(platci_scan *s)
{
	cvss_checks *re = s->regex;

	for (size_t i = 0; i < s->ntop; i++)
		top_free(&s->top[i]);
	for (size_t i = 0; i < s->ncases; i++) {
		free(s->cases[i].classname);
		free(s->cases[i].name);
		free(s->cases[i].failure);
		free(s->cases[i].details);
	}
	free(s->cases);
	if (re) {
		regfree(&re->v2);
		regfree(&re->v3);
		free(re);
	}
	platci__strmap_dispose(&s->vectors);
	platci_sha256_free(s->hash);
	platci_fs_atomic_abort(s->cs_file);
	platci_buf_dispose(&s->cs_mem);
}

/* ---- summary preamble -------------------------------------------------------------- */

static void images_table(platci_buf *out, const platci_scan *s)
{
	platci_buf_puts(out,
		"| image | critical | high | medium | low | unknown | other | "
		"failing | waived |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < s->nimages; i++) {
		const platci_scan_image *im = &s->images[i];
		platci_buf_puts(out, "| `");
		platci_md_escape(out, im->image);
		platci_buf_puts(out, "` ");
		for (int sev = PLATCI_TRIVY_CRITICAL; sev >= 0; sev--) {
			if (im->fixable[sev])
				platci_buf_printf(out, "| %zu (%zu fixable) ", im->reported[sev],
					im->fixable[sev]);
			else
				platci_buf_printf(out, "| %zu ", im->reported[sev]);
		}
		platci_buf_printf(out, "| %zu | %s%zu%s | %zu |\n", im->other,
			im->failing ? "**" : "", im->failing, im->failing ? "**" : "", im->waived);
	}
}

static void top_table(platci_buf *out, const platci_scan *s)
{
	if (!s->ntop)
		return;
	platci_buf_puts(out,
		"\n### Critical and high vulnerabilities, fixable first\n\n"
		"| severity | id | package | installed | fixed in | image |\n"
		"|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->ntop; i++) {
		const scan_top *t = &s->top[i];
		platci_buf_printf(out, "| %s%s%s | ", t->failing ? "**" : "",
			platci_trivy_severity_name(t->severity), t->failing ? "**" : "");
		platci_md_escape(out, t->id);
		platci_buf_puts(out, " | ");
		platci_md_escape(out, or_empty(t->pkg));
		platci_buf_puts(out, " | ");
		platci_md_escape(out, or_empty(t->version));
		platci_buf_puts(out, " | ");
		platci_md_escape(out, t->fixable && t->fixed ? t->fixed : "no fix");
		platci_buf_puts(out, " | ");
		platci_md_escape(out, t->image);
		platci_buf_puts(out, " |\n");
	}
	if (s->top_candidates > s->ntop)
		platci_buf_printf(out, "\n%zu more in findings.json.\n", s->top_candidates - s->ntop);
}

static void expiring(platci_buf *out, const platci_scan *s)
{
	time_t window = s->opts.now + (time_t)s->opts.expiring_days * 86400;
	int any = 0;

	for (size_t i = 0; i < s->nwaivers; i++) {
		const scan_waiver *w = &s->waivers[i];
		if (!w->w.expires.at || w->w.expires.at <= s->opts.now || w->w.expires.at > window)
			continue;
		if (!any)
			platci_buf_printf(out,
				"\n### Waivers expiring within %d days\n\n"
				"| id | expires | owner | where |\n|---|---|---|---|\n",
				s->opts.expiring_days);
		any = 1;
		platci_buf_puts(out, "| ");
		platci_md_escape(out, w->id);
		platci_buf_printf(out, " | %s | ", w->w.expires.text);
		platci_md_escape(out, w->w.owner ? w->w.owner : w->w.ticket ? w->w.ticket : "");
		platci_buf_puts(out, " | ");
		platci_md_escape(out, w->w.file);
		platci_buf_printf(out, ":%zu |\n", w->w.line);
	}
}

int platci_scan_render_summary(platci_buf *out, const platci_scan *s)
{
	const platci_scan_counts *t;

	PLATCI_ASSERT_ARG(out && s);
	t = &s->totals;
	platci_buf_printf(out,
		"Trivy reports: %zu; findings read: %zu vulnerabilities, "
		"%zu misconfigurations, %zu secrets, %zu licences; %zu duplicates folded.\n\n",
		t->reports, t->read_kind[0], t->read_kind[1], t->read_kind[2], t->read_kind[3],
		t->duplicates);
	images_table(out, s);
	platci_buf_printf(out,
		"\nSuppressed by policy: %zu below the report severity, %zu by "
		"status (unfixed or ignored), %zu below the CVSS floor; %zu waived.\n",
		t->below_severity, t->ignored_status, t->below_cvss, t->waived);
	top_table(out, s);
	expiring(out, s);
	platci_buf_puts(out, "\n");
	return out->error;
}

/* ---- JUnit --------------------------------------------------------------------------- */

int platci_scan_junit(platci_junit *j, const platci_scan *s)
{
	platci_buf msg = PLATCI_BUF_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(j && s);
	for (size_t i = 0; i < s->nimages; i++) {
		const platci_scan_image *im = &s->images[i];
		platci_buf_clear(&msg);
		if (im->failing)
			platci_buf_printf(&msg, "%zu finding(s) at or above the fail severity", im->failing);
		if ((error = msg.error) < 0 || (error = platci_junit_add(j, "scan", im->image,
							im->failing ? msg.ptr : NULL, NULL, NULL)) < 0)
			goto done;
	}
	for (size_t i = 0; i < s->ncases; i++) {
		const scan_case *c = &s->cases[i];
		if ((error = platci_junit_add(j, c->classname, c->name, c->failure, c->details, NULL)) < 0)
			goto done;
	}
done:
	platci_buf_dispose(&msg);
	return error;
}
