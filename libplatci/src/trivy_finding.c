/*
 * One Trivy finding, normalised. Everything platci relies on is type
 * checked here, so a hostile report gets a clear error with its line
 * instead of a wrong answer.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trivy_finding.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct fctx {
	const char *name;
	platci_diag *diag;
	size_t line;
	const char *what;
} fctx;

static int bad(const fctx *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

static int bad(const fctx *c, const char *fmt, ...)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, c->name, c->line, 0, 0, NULL,
		NULL };
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_diag_add(c->diag, &e, "%s: %s", c->what, msg);
	return PLATCI_EDATA;
}

/* Optional string member: NULL when absent or null; an error for other types. */
static int str(const fctx *c, const json_t *v, const char *key, const char **out)
{
	const json_t *m = json_object_get(v, key);

	*out = NULL;
	if (!m || json_is_null(m))
		return 0;
	if (!json_is_string(m))
		return bad(c, "%s must be a string", key);
	*out = json_string_value(m);
	return 0;
}

static int vendor_level(const json_t *n)
{
	json_int_t i;

	if (!json_is_integer(n))
		return -1;
	i = json_integer_value(n);
	return i >= 0 && i < PLATCI_TRIVY_SEVERITIES ? (int)i : -1;
}

/* Severity, falling back to VendorSeverity[SeveritySource], then the highest vendor. */
static int severity(const fctx *c, const json_t *v, platci_trivy_finding *f)
{
	const char *s, *source;
	const json_t *vendors = json_object_get(v, "VendorSeverity");
	int error;

	if ((error = str(c, v, "Severity", &s)) < 0)
		return error;
	if (s && *s) {
		if (platci_trivy_severity_parse(&f->severity, s) < 0)
			return bad(c, "unknown Severity \"%.40s\"", s);
		return 0;
	}
	f->severity = PLATCI_TRIVY_UNKNOWN;
	if (!vendors || json_is_null(vendors))
		return 0;
	if (!json_is_object(vendors))
		return bad(c, "VendorSeverity must be an object");
	if ((error = str(c, v, "SeveritySource", &source)) < 0)
		return error;
	if (source && vendor_level(json_object_get(vendors, source)) >= 0) {
		f->severity = (platci_trivy_severity)vendor_level(json_object_get(vendors, source));
	} else {
		const char *k;
		const json_t *n;
		int best = -1;
		json_object_foreach((json_t *)vendors, k, n)
			if (vendor_level(n) > best)
				best = vendor_level(n);
		if (best < 0)
			return 0;
		f->severity = (platci_trivy_severity)best;
	}
	f->severity_from_vendor = 1;
	return 0;
}

static double num(const json_t *n)
{
	return json_is_number(n) ? json_number_value(n) : -1.0;
}

static int cvss(const fctx *c, const json_t *v, const char *source, platci_trivy_finding *f)
{
	const json_t *all = json_object_get(v, "CVSS"), *pick = NULL, *e;
	const char *k;

	f->cvss_score = -1.0;
	if (!all || json_is_null(all))
		return 0;
	if (!json_is_object(all))
		return bad(c, "CVSS must be an object");
	json_object_foreach((json_t *)all, k, e) {
		double s;
		if (!json_is_object(e))
			return bad(c, "CVSS.%.40s must be an object", k);
		s = num(json_object_get(e, "V3Score"));
		if (s < 0)
			s = num(json_object_get(e, "V2Score"));
		if (s > f->cvss_score)
			f->cvss_score = s;
	}
	if (source)
		pick = json_object_get(all, source);
	if (!pick) {
		pick = json_object_get(all, "nvd");
		k = "nvd";
	} else {
		k = source;
	}
	if (!pick) {
		void *it = json_object_iter((json_t *)all);
		pick = it ? json_object_iter_value(it) : NULL;
		k = it ? json_object_iter_key(it) : NULL;
	}
	if (pick) {
		f->cvss_vendor = k;
		f->cvss_v3_vector = json_string_value(json_object_get(pick, "V3Vector"));
		f->cvss_v2_vector = json_string_value(json_object_get(pick, "V2Vector"));
	}
	return 0;
}

static int vulnerability(const fctx *c, const json_t *v, platci_trivy_finding *f)
{
	const json_t *pid = json_object_get(v, "PkgIdentifier");
	const json_t *refs = json_object_get(v, "References");
	const char *source;
	int error;

	if ((error = str(c, v, "VulnerabilityID", &f->id)) < 0)
		return error;
	if (!f->id || !*f->id)
		return 1; /* not identifiable: the caller warns and skips it */
	if ((error = str(c, v, "PkgName", &f->pkg_name)) < 0 ||
	    (error = str(c, v, "PkgPath", &f->pkg_path)) < 0 ||
	    (error = str(c, v, "InstalledVersion", &f->installed_version)) < 0 ||
	    (error = str(c, v, "FixedVersion", &f->fixed_version)) < 0 ||
	    (error = str(c, v, "Status", &f->status)) < 0 ||
	    (error = str(c, v, "Title", &f->title)) < 0 ||
	    (error = str(c, v, "Description", &f->description)) < 0 ||
	    (error = str(c, v, "PrimaryURL", &f->primary_url)) < 0 ||
	    (error = str(c, v, "SeveritySource", &source)) < 0)
		return error;
	if (json_is_object(pid) && (error = str(c, pid, "PURL", &f->purl)) < 0)
		return error;
	if (refs && !json_is_null(refs) && !json_is_array(refs))
		return bad(c, "References must be an array");
	f->references = json_is_array(refs) ? refs : NULL;
	if (f->status && *f->status)
		f->fixable = strcmp(f->status, "fixed") == 0;
	else
		f->fixable = f->fixed_version && *f->fixed_version;
	if ((error = severity(c, v, f)) < 0)
		return error;
	return cvss(c, v, source, f);
}

/* 1 when the misconfiguration failed (the only kind platci reports). */
static int misconfiguration(const fctx *c, const json_t *v, platci_trivy_finding *f,
	int *failed)
{
	const char *status, *avd;
	const json_t *cause = json_object_get(v, "CauseMetadata");
	const json_t *refs = json_object_get(v, "References");
	int error;

	if ((error = str(c, v, "ID", &f->id)) < 0 || (error = str(c, v, "AVDID", &avd)) < 0 ||
	    (error = str(c, v, "Status", &status)) < 0 ||
	    (error = str(c, v, "Title", &f->title)) < 0 ||
	    (error = str(c, v, "PrimaryURL", &f->primary_url)) < 0 ||
	    (error = severity(c, v, f)) < 0)
		return error;
	if (!f->id || !*f->id) {
		f->id = avd;
		avd = NULL;
	}
	if (!f->id || !*f->id)
		return bad(c, "ID is missing");
	if (avd && *avd && strcmp(avd, f->id) != 0)
		f->alias = avd;
	/* Message says what is wrong in this file; Description is the generic text. */
	if ((error = str(c, v, "Message", &f->description)) < 0)
		return error;
	if (!f->description && (error = str(c, v, "Description", &f->description)) < 0)
		return error;
	if (json_is_object(cause)) {
		json_int_t l = json_integer_value(json_object_get(cause, "StartLine"));
		f->start_line = l > 0 ? (size_t)l : 0;
	}
	f->references = json_is_array(refs) ? refs : NULL;
	f->cvss_score = -1.0;
	*failed = !status || strcmp(status, "FAIL") == 0;
	return 0;
}

static int secret(const fctx *c, const json_t *v, platci_trivy_finding *f)
{
	json_int_t l;
	int error;

	/* Match and Code hold the secret's text: never read them. */
	if ((error = str(c, v, "RuleID", &f->id)) < 0 || (error = str(c, v, "Title", &f->title)) < 0 ||
	    (error = str(c, v, "Category", &f->category)) < 0 || (error = severity(c, v, f)) < 0)
		return error;
	if (!f->id || !*f->id)
		return bad(c, "RuleID is missing");
	l = json_integer_value(json_object_get(v, "StartLine"));
	f->start_line = l > 0 ? (size_t)l : 0;
	f->cvss_score = -1.0;
	return 0;
}

static int license(const fctx *c, const json_t *v, platci_trivy_finding *f)
{
	int error;

	if ((error = str(c, v, "Name", &f->id)) < 0 || (error = str(c, v, "PkgName", &f->pkg_name)) < 0 ||
	    (error = str(c, v, "FilePath", &f->pkg_path)) < 0 ||
	    (error = str(c, v, "Category", &f->category)) < 0 ||
	    (error = str(c, v, "Link", &f->primary_url)) < 0 || (error = severity(c, v, f)) < 0)
		return error;
	if (!f->id || !*f->id)
		return bad(c, "Name is missing");
	if (f->pkg_name && !*f->pkg_name)
		f->pkg_name = NULL;
	if (f->pkg_path && !*f->pkg_path)
		f->pkg_path = NULL;
	f->cvss_score = -1.0;
	return 0;
}

int platci__trivy_finding(platci_trivy_stats *stats, platci_trivy_kind kind, json_t *v,
	const platci_trivy_context *ctx, size_t line, const char *name, platci_diag *diag,
	platci_trivy_cb cb, void *payload)
{
	static const char *const what[] = { "vulnerability", "misconfiguration", "secret",
		"license" };
	platci_trivy_finding f;
	fctx c = { name, diag, line, what[kind] };
	int error, failed = 1;

	memset(&f, 0, sizeof(f));
	if (!json_is_object(v))
		return bad(&c, "must be an object");
	f.kind = kind;
	switch (kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		if ((error = vulnerability(&c, v, &f)) > 0) {
			platci_diag_entry e = { PLATCI_DIAG_WARNING, PLATCI_EDATA, name, line, 0, 0,
				NULL, NULL };
			stats->skipped++;
			return platci_diag_add(diag, &e, "vulnerability without VulnerabilityID "
				"skipped");
		}
		break;
	case PLATCI_TRIVY_MISCONFIGURATION: error = misconfiguration(&c, v, &f, &failed); break;
	case PLATCI_TRIVY_SECRET: error = secret(&c, v, &f); break;
	default: error = license(&c, v, &f); break;
	}
	if (error < 0)
		return error;
	if (!failed) {
		stats->misconf_passed++;
		return 0;
	}
	f.target = ctx->target;
	f.result_class = ctx->result_class;
	f.result_type = ctx->result_type;
	f.image = ctx->image;
	f.operating_system = ctx->operating_system;
	f.resource = ctx->resource;
	f.artifact_type = ctx->artifact_type;
	f.line = line;
	stats->read[kind]++;
	if (kind == PLATCI_TRIVY_VULNERABILITY)
		stats->by_severity[f.severity]++;
	return cb(&f, payload);
}
