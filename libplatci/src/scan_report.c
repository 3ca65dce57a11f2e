/*
 * The scan's own reports: gl-container-scanning-report.json (schema
 * 15.0.7), the summary preamble and the JUnit cases.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

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
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			return 0;
	return 1;
}

/* Cut at @p max bytes without splitting a UTF-8 sequence. */
static json_t *text(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return json_string(s);
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return json_stringn(s, max);
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

static int stable_id(char out[37], const scan_entry *e)
{
	char base[512], hex[PLATCI_SHA256_HEX_SIZE];
	platci_buf b = PLATCI_BUF_INIT;
	int error;

	image_without_tag(base, sizeof(base), e->image);
	platci_buf_printf(&b, "%s:%s:%s:%s", base, e->pkg ? e->pkg : "",
		e->version ? e->version : "", e->id);
	if ((error = b.error) < 0)
		goto done;
	if ((error = platci_sha256_hex(hex, b.ptr, b.size)) < 0)
		goto done;
	/* UUID-shaped, as the schema recommends. */
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
done:
	platci_buf_dispose(&b);
	return error;
}

static json_t *identifier(const scan_entry *e)
{
	char type[32], url[512];
	size_t n = strcspn(e->id, "-");
	json_t *o;

	snprintf(type, sizeof(type), "%.*s", (int)(n && n < 20 ? n : 0), e->id);
	for (char *p = type; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!*type)
		snprintf(type, sizeof(type), "trivy");
	o = json_pack("{s:s, s:s, s:s}", "type", type, "name", e->id, "value", e->id);
	url[0] = '\0';
	if (valid_url(e->url))
		snprintf(url, sizeof(url), "%s", e->url);
	else if (strcmp(type, "cve") == 0)
		snprintf(url, sizeof(url), "https://nvd.nist.gov/vuln/detail/%s", e->id);
	else if (strcmp(type, "ghsa") == 0)
		snprintf(url, sizeof(url), "https://github.com/advisories/%s", e->id);
	if (o && *url && valid_url(url))
		json_object_set_new(o, "url", json_string(url));
	return o;
}

static int vulnerability(json_t *arr, const scan_entry *e, const regex_t *re2,
	const regex_t *re3)
{
	char id[37];
	json_t *v = NULL, *links, *vectors, *loc;
	platci_buf sol = PLATCI_BUF_INIT;
	int error;

	if ((error = stable_id(id, e)) < 0)
		return error;
	if (e->fixable && e->fixed && *e->fixed)
		platci_buf_printf(&sol, "Upgrade %s to %s", e->pkg ? e->pkg : e->id, e->fixed);
	else
		platci_buf_puts(&sol, "No solution provided");
	if (sol.error) {
		error = sol.error;
		goto done;
	}
	v = json_object();
	links = json_array();
	vectors = json_array();
	loc = json_pack("{s:{s:{s:s}, s:s}, s:s, s:s}", "dependency", "package", "name",
		e->pkg ? e->pkg : e->id, "version", e->version ? e->version : "unknown",
		"operating_system", e->os && *e->os ? e->os : "unknown", "image", e->image);
	if (!v || !links || !vectors || !loc) {
		json_decref(links);
		json_decref(vectors);
		json_decref(loc);
		error = PLATCI_ENOMEM;
		goto done;
	}
	json_object_set_new(v, "id", json_string(id));
	json_object_set_new(v, "name", text(e->title && *e->title ? e->title : e->id, MAX_NAME));
	json_object_set_new(v, "description", text(e->description && *e->description ?
		e->description : e->id, MAX_DESCRIPTION));
	json_object_set_new(v, "severity", json_string(title_case(e->severity)));
	json_object_set_new(v, "solution", text(sol.ptr, MAX_SOLUTION));
	json_object_set_new(v, "identifiers", json_pack("[o]", identifier(e)));
	for (size_t i = 0; i < e->nrefs; i++)
		if (valid_url(e->refs[i]))
			json_array_append_new(links, json_pack("{s:s}", "url", e->refs[i]));
	if (json_array_size(links))
		json_object_set_new(v, "links", links);
	else
		json_decref(links);
	if (e->cvss_v3 && regexec(re3, e->cvss_v3, 0, NULL, 0) == 0)
		json_array_append_new(vectors, json_pack("{s:s, s:s}", "vendor",
			e->cvss_vendor ? e->cvss_vendor : "unknown", "vector", e->cvss_v3));
	if (e->cvss_v2 && regexec(re2, e->cvss_v2, 0, NULL, 0) == 0)
		json_array_append_new(vectors, json_pack("{s:s, s:s}", "vendor",
			e->cvss_vendor ? e->cvss_vendor : "unknown", "vector", e->cvss_v2));
	if (json_array_size(vectors))
		json_object_set_new(v, "cvss_vectors", vectors);
	else
		json_decref(vectors);
	json_object_set_new(v, "location", loc);
	if (json_array_append_new(arr, v) < 0)
		error = PLATCI_ENOMEM;
	v = NULL;
done:
	json_decref(v);
	platci_buf_dispose(&sol);
	return error;
}

static void gitlab_time(char out[32], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

int platci_scan_render_container_scanning(platci_buf *out, const platci_scan *s,
	const platci_scan_cs_options *opts)
{
	platci_scan_cs_options o = PLATCI_SCAN_CS_OPTIONS_INIT;
	json_t *root = NULL, *vulns = NULL;
	regex_t re2, re3;
	int have_re = 0, error = 0;
	char start[32], end[32], msg[256];
	char *dump = NULL;
	const char *tail;
	size_t written = 0;
	const platci_scan_totals *t = &s->totals;

	PLATCI_ASSERT_ARG(out && s);
	if (opts) {
		if (opts->version != PLATCI_SCAN_CS_OPTIONS_VERSION)
			return PLATCI_EINVALID;
		o = *opts;
	}
	if (regcomp(&re2, cvss2_re, REG_EXTENDED | REG_NOSUB) != 0)
		return PLATCI_ENOMEM;
	if (regcomp(&re3, cvss3_re, REG_EXTENDED | REG_NOSUB) != 0) {
		regfree(&re2);
		return PLATCI_ENOMEM;
	}
	have_re = 1;
	gitlab_time(start, o.start_time);
	gitlab_time(end, o.end_time ? o.end_time : o.start_time);
	snprintf(msg, sizeof(msg), "platci: %zu unique of %zu read; suppressed: %zu below the "
		"report severity, %zu by status, %zu below the CVSS floor, %zu waived",
		t->unique, t->read_kind[0] + t->read_kind[1] + t->read_kind[2] + t->read_kind[3],
		t->below_severity, t->ignored_status, t->below_cvss, t->waived);
	/* The skeleton with an empty list; the vulnerabilities are spliced in below. */
	root = json_pack("{s:s, s:{s:{s:s, s:s, s:s, s:{s:s}}, s:{s:s, s:s, s:s, s:{s:s}}, "
		"s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}, s:[], s:[]}",
		"version", CS_VERSION,
		"scan",
		"analyzer", "id", "platci", "name", "platci", "version", platci_version(),
		"vendor", "name", "platci",
		"scanner", "id", "trivy", "name", "Trivy", "version",
		o.scanner_version ? o.scanner_version : s->trivy_version[0] ? s->trivy_version :
		"unknown", "vendor", "name", "Aqua Security",
		"type", "container_scanning", "start_time", start, "end_time", end,
		"status", "success", "messages", "level", "info", "value", msg,
		"vulnerabilities", "remediations");
	PLATCI_CHECK_ALLOC(root);
	PLATCI_CHECK_ALLOC(dump = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS));
	tail = strstr(dump, "\"vulnerabilities\": []");
	if (!tail) {
		error = PLATCI_ERROR;
		goto done;
	}
	tail += strlen("\"vulnerabilities\": [");
	platci_buf_put(out, dump, (size_t)(tail - dump));
	/*
	 * One vulnerability at a time, in jansson's layout at this depth: a
	 * report can hold hundreds of thousands, and a DOM of all of them
	 * would cost far more memory than the input did.
	 */
	for (size_t i = 0; i < s->nentries; i++) {
		const scan_entry *e = &s->entries[i];
		char *one;

		if (e->kind != PLATCI_TRIVY_VULNERABILITY || e->state != ST_REPORTED)
			continue;
		PLATCI_CHECK_ALLOC(vulns = json_array());
		if ((error = vulnerability(vulns, e, &re2, &re3)) < 0)
			goto done;
		PLATCI_CHECK_ALLOC(one = json_dumps(json_array_get(vulns, 0), JSON_INDENT(2) | JSON_SORT_KEYS));
		platci_buf_puts(out, written++ ? ",\n    " : "\n    ");
		for (const char *p = one; *p; p++) {
			const char *nl = strchr(p, '\n');
			if (!nl) {
				platci_buf_puts(out, p);
				break;
			}
			platci_buf_put(out, p, (size_t)(nl - p));
			platci_buf_puts(out, "\n    ");
			p = nl;
		}
		free(one);
		json_decref(vulns);
		vulns = NULL;
	}
	if (written)
		platci_buf_puts(out, "\n  ");
	platci_buf_puts(out, tail);
	platci_buf_putc(out, '\n');
	error = out->error;
done:
	free(dump);
	json_decref(vulns);
	json_decref(root);
	if (have_re) {
		regfree(&re2);
		regfree(&re3);
	}
	return error;
}

/* ---- summary preamble -------------------------------------------------------------- */

static int cmp_fixable_critical(const void *a, const void *b)
{
	const scan_entry *x = *(const scan_entry *const *)a, *y = *(const scan_entry *const *)b;
	int c;

	if (x->fixable != y->fixable)
		return y->fixable - x->fixable;
	if ((c = (int)y->severity - (int)x->severity) != 0)
		return c;
	if ((c = strcmp(x->image, y->image)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

int platci_scan_render_summary(platci_buf *out, const platci_scan *s)
{
	const platci_scan_totals *t;
	const scan_entry **top = NULL;
	size_t ntop = 0, shown = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(out && s);
	t = &s->totals;
	platci_buf_printf(out, "Trivy reports: %zu; findings read: %zu vulnerabilities, "
		"%zu misconfigurations, %zu secrets, %zu licences; %zu duplicates folded.\n\n",
		t->reports, t->read_kind[0], t->read_kind[1], t->read_kind[2], t->read_kind[3],
		t->duplicates);
	platci_buf_puts(out, "| image | critical | high | medium | low | unknown | other | "
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
	platci_buf_printf(out, "\nSuppressed by policy: %zu below the report severity, %zu by "
		"status (unfixed or ignored), %zu below the CVSS floor; %zu waived.\n",
		t->below_severity, t->ignored_status, t->below_cvss, t->waived);

	/* Fixable criticals first: what a developer can act on today. */
	PLATCI_CHECK_ALLOC(top = calloc(s->nentries + 1, sizeof(*top)));
	for (size_t i = 0; i < s->nentries; i++)
		if (s->entries[i].kind == PLATCI_TRIVY_VULNERABILITY &&
		    s->entries[i].state == ST_REPORTED && s->entries[i].severity >= PLATCI_TRIVY_HIGH)
			top[ntop++] = &s->entries[i];
	if (ntop) {
		qsort(top, ntop, sizeof(*top), cmp_fixable_critical);
		platci_buf_puts(out, "\n### Critical and high vulnerabilities, fixable first\n\n"
			"| severity | id | package | installed | fixed in | image |\n"
			"|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < ntop && shown < 50; i++, shown++) {
			const scan_entry *e = top[i];
			platci_buf_printf(out, "| %s%s%s | ", e->failing ? "**" : "",
				platci_trivy_severity_name(e->severity), e->failing ? "**" : "");
			platci_md_escape(out, e->id);
			platci_buf_puts(out, " | ");
			platci_md_escape(out, e->pkg ? e->pkg : "");
			platci_buf_puts(out, " | ");
			platci_md_escape(out, e->version ? e->version : "");
			platci_buf_puts(out, " | ");
			platci_md_escape(out, e->fixable && e->fixed ? e->fixed : "no fix");
			platci_buf_puts(out, " | ");
			platci_md_escape(out, e->image);
			platci_buf_puts(out, " |\n");
		}
		if (ntop > shown)
			platci_buf_printf(out, "\n%zu more in findings.json.\n", ntop - shown);
	}

	{
		int any = 0;
		time_t window = s->opts.now + (time_t)s->opts.expiring_days * 86400;
		for (size_t i = 0; i < s->nwaivers; i++) {
			const scan_waiver *w = &s->waivers[i];
			if (!w->w.expires.at || w->w.expires.at <= s->opts.now || w->w.expires.at > window)
				continue;
			if (!any)
				platci_buf_printf(out, "\n### Waivers expiring within %d days\n\n"
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
	platci_buf_puts(out, "\n");
	error = out->error;
done:
	free(top);
	return error;
}

/* ---- JUnit --------------------------------------------------------------------------- */

int platci_scan_junit(platci_junit *j, const platci_scan *s)
{
	platci_buf name = PLATCI_BUF_INIT, msg = PLATCI_BUF_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(j && s);
	for (size_t i = 0; i < s->nimages; i++) {
		const platci_scan_image *im = &s->images[i];
		platci_buf_clear(&msg);
		if (im->failing)
			platci_buf_printf(&msg, "%zu finding(s) at or above the fail severity",
				im->failing);
		if ((error = msg.error) < 0 ||
		    (error = platci_junit_add(j, "scan", im->image, im->failing ? msg.ptr : NULL,
			     NULL, NULL)) < 0)
			goto done;
	}
	for (size_t i = 0; i < s->nentries; i++) {
		const scan_entry *e = &s->entries[i];
		if (e->state != ST_REPORTED || !e->failing)
			continue;
		platci_buf_clear(&name);
		platci_buf_clear(&msg);
		platci_buf_printf(&name, "[%s] %s", platci_trivy_severity_name(e->severity), e->id);
		if (e->pkg)
			platci_buf_printf(&name, " %s@%s", e->pkg, e->version ? e->version : "");
		if (e->kind == PLATCI_TRIVY_SECRET)
			platci_buf_printf(&name, " %s:%zu", e->target ? e->target : "", e->start_line);
		platci_buf_puts(&msg, e->title ? e->title : e->id);
		if ((error = name.error ? name.error : msg.error) < 0 ||
		    (error = platci_junit_add(j, e->image, name.ptr, msg.ptr,
			     e->kind == PLATCI_TRIVY_SECRET ? NULL : e->description, NULL)) < 0)
			goto done;
	}
done:
	platci_buf_dispose(&name);
	platci_buf_dispose(&msg);
	return error;
}
