/*
 * One Trivy finding, normalised. Its members arrive as raw tokens and are
 * kept in a record; everything platci relies on is type checked when the
 * finding closes, so a hostile report gets a clear error with its line
 * instead of a wrong answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "trivy_finding.h"
#include "util/common.h"
#include "util/banned.h"

#define FIELD(s) \
	{ \
		s, sizeof(s) - 1 \
	}
static const struct {
	const char *name;
	size_t len;
} fields[TF_STRINGS] = { FIELD("VulnerabilityID"), FIELD("PkgName"), FIELD("PkgPath"),
	FIELD("InstalledVersion"), FIELD("FixedVersion"), FIELD("Status"), FIELD("Title"),
	FIELD("Description"), FIELD("PrimaryURL"), FIELD("SeveritySource"), FIELD("Severity"),
	FIELD("ID"), FIELD("AVDID"), FIELD("Message"), FIELD("RuleID"), FIELD("Category"),
	FIELD("Name"), FIELD("FilePath"), FIELD("Link"), FIELD("PURL") };
#undef FIELD

void platci__trivy_record_init(trivy_record *r, size_t max_bytes)
{
	memset(r, 0, sizeof(*r));
	platci_buf_init(&r->text, 0);
	r->max_bytes = max_bytes;
}

void platci__trivy_record_dispose(trivy_record *r)
{
	platci_buf_dispose(&r->text);
}

/*
 * Only what a finding's reading starts from is reset: the vendor, CVSS and
 * reference slots (most of the record) are written before their counts
 * make them visible.
 */
void platci__trivy_record_open(trivy_record *r, platci_trivy_kind kind, size_t depth)
{
	platci_buf_clear(&r->text);
	memset(r->state, 0, sizeof(r->state));
	r->not_object = 0;
	r->start_line = 0;
	r->nvendors = r->ncvss = r->nrefs = 0;
	r->vendors_state = r->cvss_state = r->pkgid_state = r->refs_state = TF_ABSENT;
	r->open = 1;
	r->kind = kind;
	r->depth = depth;
}

int platci__trivy_record_copy(trivy_record *dst, const trivy_record *src)
{
	platci_buf text;

	platci_buf_init(&text, 0);
	if (platci_buf_put(&text, src->text.ptr, src->text.size) < 0) {
		platci_buf_dispose(&text);
		return PLATCI_ENOMEM;
	}
	*dst = *src;
	dst->text = text;
	return 0;
}

/* Keeps @p n bytes and a NUL; returns the offset, or (size_t)-1 with *error set. */
static size_t keep(trivy_record *r, const char *s, size_t n, int *error)
{
	size_t off = r->text.size;

	if (off + n + 1 > r->max_bytes) {
		*error = PLATCI_ELIMIT;
		return (size_t)-1;
	}
	/* one grow and one copy: this runs for every member kept */
	if (platci_buf_grow(&r->text, n + 1) < 0) {
		*error = PLATCI_ENOMEM;
		return (size_t)-1;
	}
	memcpy(r->text.ptr + off, s, n);
	r->text.ptr[off + n] = '\0';
	r->text.size = off + n + 1;
	r->text.ptr[r->text.size] = '\0';
	return off;
}

static const char *at(const trivy_record *r, size_t off)
{
	return r->text.ptr + off;
}

static int is_key(const platci_json_event *ev, const char *name)
{
	return ev->key && ev->key[0] == name[0] && strcmp(ev->key, name) == 0;
}

/* The member's field, told apart by length and first byte before any comparison. */
static int field_of(const char *key)
{
	size_t n;

	if (!key)
		return -1;
	n = strlen(key);
	for (int i = 0; i < TF_STRINGS - 1; i++)
		if (fields[i].len == n && fields[i].name[0] == key[0] && memcmp(fields[i].name, key, n) == 0)
			return i;
	return -1;
}

static long long integer(const platci_json_event *ev)
{
	char tmp[32];

	if (ev->type != JSON_INTEGER || ev->text_len >= sizeof(tmp))
		return 0;
	/* a severity level or a line: mostly one digit */
	if (ev->text_len == 1)
		return ev->text[0] - '0';
	memcpy(tmp, ev->text, ev->text_len);
	tmp[ev->text_len] = '\0';
	return strtoll(tmp, NULL, 10);
}

static double number(const platci_json_event *ev)
{
	char tmp[64];

	if ((ev->type != JSON_INTEGER && ev->type != JSON_REAL) || ev->text_len >= sizeof(tmp))
		return -1.0;
	memcpy(tmp, ev->text, ev->text_len);
	tmp[ev->text_len] = '\0';
	return strtod(tmp, NULL);
}

static int set_string(trivy_record *r, int f, const platci_json_event *ev)
{
	int error = 0;

	if (ev->kind == PLATCI_JSON_STREAM_ENTER || (ev->type != JSON_STRING && ev->type != JSON_NULL)) {
		r->state[f] = TF_BAD;
		return 0;
	}
	if (ev->type == JSON_NULL) {
		r->state[f] = TF_ABSENT;
		return 0;
	}
	r->off[f] = keep(r, ev->text, ev->text_len, &error);
	r->state[f] = error ? TF_ABSENT : TF_STRING;
	return error;
}

/* Texts platci shows but policy never needs: a counting run does not keep them. */
static int is_text(int f)
{
	return f == TF_TITLE || f == TF_DESCRIPTION || f == TF_PRIMARY_URL || f == TF_MESSAGE;
}

/* A member of the finding. */
static int member(trivy_record *r, const platci_json_event *ev)
{
	int enter = ev->kind == PLATCI_JSON_STREAM_ENTER, f;
	int is_object = enter && ev->type == JSON_OBJECT, is_array = enter && ev->type == JSON_ARRAY;
	int present = enter || ev->type != JSON_NULL;

	if ((f = field_of(ev->key)) >= 0) {
		if (r->light && is_text(f))
			return 0;
		return set_string(r, f, ev);
	}
	if (is_key(ev, "VendorSeverity"))
		r->vendors_state = is_object ? TF_STRING : present ? TF_BAD : TF_ABSENT;
	else if (is_key(ev, "CVSS"))
		r->cvss_state = is_object ? TF_STRING : present ? TF_BAD : TF_ABSENT;
	else if (is_key(ev, "References"))
		r->refs_state = is_array ? TF_STRING : present ? TF_BAD : TF_ABSENT;
	else if (is_key(ev, "PkgIdentifier"))
		r->pkgid_state = is_object ? TF_STRING : TF_ABSENT;
	else if (is_key(ev, "StartLine") && !enter) {
		long long l = integer(ev);
		r->start_line = l > 0 ? (size_t)l : 0;
	}
	return 0;
}

static int vendor(trivy_record *r, const platci_json_event *ev)
{
	long long level;
	int error = 0;

	if (r->vendors_state != TF_STRING || !ev->key || r->nvendors >= TF_MAX_VENDORS)
		return 0;
	level = ev->type == JSON_INTEGER ? integer(ev) : -1;
	r->vendor_off[r->nvendors] = keep(r, ev->key, strlen(ev->key), &error);
	r->vendor_level[r->nvendors] = level >= 0 && level <= 4 ? (int)level : -1;
	if (!error)
		r->nvendors++;
	return error;
}

static int cvss_vendor(trivy_record *r, const platci_json_event *ev)
{
	int error = 0;

	if (r->cvss_state != TF_STRING || !ev->key || r->ncvss >= TF_MAX_VENDORS)
		return 0;
	memset(&r->cvss[r->ncvss], 0, sizeof(r->cvss[0]));
	r->cvss[r->ncvss].name_off = keep(r, ev->key, strlen(ev->key), &error);
	r->cvss[r->ncvss].v3 = r->cvss[r->ncvss].v2 = -1.0;
	r->cvss[r->ncvss].v3vec_off = r->cvss[r->ncvss].v2vec_off = (size_t)-1;
	r->cvss[r->ncvss].bad = !(ev->kind == PLATCI_JSON_STREAM_ENTER && ev->type == JSON_OBJECT);
	if (!error)
		r->ncvss++;
	return error;
}

/* A member of one CVSS vendor's object. */
static int cvss_member(trivy_record *r, const platci_json_event *ev)
{
	int error = 0;

	if (r->cvss_state != TF_STRING || !r->ncvss)
		return 0;
	if (is_key(ev, "V3Score"))
		r->cvss[r->ncvss - 1].v3 = number(ev);
	else if (is_key(ev, "V2Score"))
		r->cvss[r->ncvss - 1].v2 = number(ev);
	else if (r->light)
		return 0;
	else if (is_key(ev, "V3Vector") && ev->type == JSON_STRING)
		r->cvss[r->ncvss - 1].v3vec_off = keep(r, ev->text, ev->text_len, &error);
	else if (is_key(ev, "V2Vector") && ev->type == JSON_STRING)
		r->cvss[r->ncvss - 1].v2vec_off = keep(r, ev->text, ev->text_len, &error);
	return error;
}

int platci__trivy_record_event(trivy_record *r, const platci_json_event *ev, int part)
{
	int error = 0;

	if (!r->open)
		return 0;
	switch (part) {
	case TF_PART_MEMBER:
		return member(r, ev);
	case TF_PART_VENDOR:
		return vendor(r, ev);
	case TF_PART_CVSS:
		return cvss_vendor(r, ev);
	case TF_PART_CVSS_MEMBER:
		return cvss_member(r, ev);
	case TF_PART_REFERENCE:
		if (r->refs_state == TF_STRING && ev->type == JSON_STRING &&
			r->nrefs < TF_MAX_REFS && !r->light) {
			r->refs_off[r->nrefs] = keep(r, ev->text, ev->text_len, &error);
			if (!error)
				r->nrefs++;
		}
		return error;
	case TF_PART_PURL:
		return r->pkgid_state == TF_STRING ? set_string(r, TF_PURL, ev) : 0;
	case TF_PART_START_LINE: {
		long long l = integer(ev);
		r->start_line = l > 0 ? (size_t)l : 0;
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- what is read of a finding ---------------------------------------------------------- */

/* The parts (TF_PART_*) each kind reads: what its checks below use. */
static const unsigned int kind_parts[PLATCI_TRIVY_KINDS] = {
	[PLATCI_TRIVY_VULNERABILITY] = 1u << TF_PART_FINDING | 1u << TF_PART_MEMBER | 1u << TF_PART_VENDOR |
				       1u << TF_PART_CVSS | 1u << TF_PART_CVSS_MEMBER |
				       1u << TF_PART_REFERENCE | 1u << TF_PART_PURL,
	[PLATCI_TRIVY_MISCONFIGURATION] = 1u << TF_PART_FINDING | 1u << TF_PART_MEMBER | 1u << TF_PART_VENDOR |
					  1u << TF_PART_REFERENCE | 1u << TF_PART_START_LINE,
	[PLATCI_TRIVY_SECRET] = 1u << TF_PART_FINDING | 1u << TF_PART_MEMBER |
				1u << TF_PART_VENDOR | 1u << TF_PART_START_LINE,
	[PLATCI_TRIVY_LICENSE] = 1u << TF_PART_FINDING | 1u << TF_PART_MEMBER | 1u << TF_PART_VENDOR,
};

/*
 * A vulnerability's members platci reads, by name: the others (PkgID, Layer,
 * DataSource, CweIDs, dates...) are never delivered, and a counting run
 * leaves out the texts too. Vulnerabilities are most of a report; the
 * other kinds take every member (".*"), as few as they are.
 */
static const char *const vuln_members[] = { "VulnerabilityID", "PkgName", "PkgPath",
	"InstalledVersion", "FixedVersion", "Status", "SeveritySource", "Severity", "VendorSeverity",
	"CVSS", "References", "PkgIdentifier", "Title", "Description", "PrimaryURL" };
#define VULN_TEXTS 3 /* the last three: shown, never judged */

typedef struct sub_ctx {
	platci_json_stream *s;
	const char *base;
	platci_json_stream_cb cb;
	void *payload;
} sub_ctx;

static int on_part(const sub_ctx *c, const char *sep, const char *path, unsigned int kinds, int id)
{
	char pat[256];

	if (snprintf(pat, sizeof(pat), "%s%s%s", c->base, sep, path) >= (int)sizeof(pat))
		return PLATCI_EINVALID;
	return platci_json_stream_on(c->s, pat, kinds, id, c->cb, c->payload);
}

int platci__trivy_subscribe(platci_json_stream *s, const char *base, platci_trivy_kind k, int light,
	int id, platci_json_stream_cb cb, void *payload)
{
	static const struct {
		const char *path;
		unsigned int kinds;
	} parts[TF_PARTS] = {
		[TF_PART_FINDING] = { "", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT |
						  PLATCI_JSON_STREAM_SCALAR },
		[TF_PART_MEMBER] = { ".*", PLATCI_JSON_STREAM_SCALAR | PLATCI_JSON_STREAM_ENTER },
		[TF_PART_VENDOR] = { ".VendorSeverity.*", PLATCI_JSON_STREAM_SCALAR },
		[TF_PART_CVSS] = { ".CVSS.*", PLATCI_JSON_STREAM_SCALAR | PLATCI_JSON_STREAM_ENTER },
		[TF_PART_CVSS_MEMBER] = { ".CVSS.*.*", PLATCI_JSON_STREAM_SCALAR },
		[TF_PART_REFERENCE] = { ".References[*]", PLATCI_JSON_STREAM_SCALAR },
		[TF_PART_PURL] = { ".PkgIdentifier.PURL", PLATCI_JSON_STREAM_SCALAR },
		[TF_PART_START_LINE] = { ".CauseMetadata.StartLine", PLATCI_JSON_STREAM_SCALAR },
	};
	sub_ctx c = { s, base, cb, payload };
	int error = 0;

	for (int d = 0; d < TF_PARTS && !error; d++) {
		unsigned int kinds = parts[d].kinds;
		if (!(kind_parts[k] & 1u << d) || (light && d == TF_PART_REFERENCE))
			continue;
		if (d == TF_PART_MEMBER && k == PLATCI_TRIVY_VULNERABILITY) {
			size_t n = PLATCI_ARRAY_SIZE(vuln_members) - (light ? VULN_TEXTS : 0);
			for (size_t i = 0; i < n && !error; i++)
				error = on_part(&c, ".", vuln_members[i], kinds, id + d);
		} else if (d == TF_PART_CVSS_MEMBER && light) {
			/* the scores; the vectors are texts */
			if (!(error = on_part(&c, "", ".CVSS.*.V3Score", kinds, id + d)))
				error = on_part(&c, "", ".CVSS.*.V2Score", kinds, id + d);
		} else {
			error = on_part(&c, "", parts[d].path, kinds, id + d);
		}
	}
	return error;
}

/* ---- checking and normalising ------------------------------------------------------------ */

typedef struct fctx {
	const char *name;
	platci_diag *diag;
	size_t line;
	const char *what;
	const trivy_record *r;
} fctx;

static int bad(const fctx *c, const char *fmt, ...) PLATCI_PRINTF(2, 3);

/* A bad finding: platci_diag_error() with the finding named first ("what: message"). */
static int bad(const fctx *c, const char *fmt, ...)
{
	platci_buf msg = PLATCI_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	platci_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	error = msg.error ? PLATCI_ENOMEM
			  : platci_diag_error(c->diag, PLATCI_EDATA, c->name, c->line, 0, 0,
				    "%s: %s", c->what, msg.ptr);
	platci_buf_dispose(&msg);
	return error;
}

/* Optional string member: NULL when absent or null; an error for other types. */
static int str(const fctx *c, int f, const char **out)
{
	*out = NULL;
	if (c->r->state[f] == TF_BAD)
		return bad(c, "%s must be a string", fields[f].name);
	if (c->r->state[f] == TF_STRING)
		*out = at(c->r, c->r->off[f]);
	return 0;
}

/* Severity, falling back to VendorSeverity[SeveritySource], then the highest vendor. */
static int severity(const fctx *c, platci_trivy_finding *f)
{
	const trivy_record *r = c->r;
	const char *s, *source;
	int error, best = -1;

	if ((error = str(c, TF_SEVERITY, &s)) < 0)
		return error;
	if (s && *s) {
		if (platci_trivy_severity_parse(&f->severity, s) < 0)
			return bad(c, "unknown Severity \"%.40s\"", s);
		return 0;
	}
	f->severity = PLATCI_TRIVY_UNKNOWN;
	if (r->vendors_state == TF_ABSENT)
		return 0;
	if (r->vendors_state == TF_BAD)
		return bad(c, "VendorSeverity must be an object");
	if ((error = str(c, TF_SEVERITY_SOURCE, &source)) < 0)
		return error;
	/* SeveritySource's level; else the highest vendor's */
	for (size_t i = 0; source && i < r->nvendors; i++)
		if (strcmp(at(r, r->vendor_off[i]), source) == 0) {
			best = r->vendor_level[i];
			break;
		}
	if (best < 0)
		for (size_t i = 0; i < r->nvendors; i++)
			if (r->vendor_level[i] > best)
				best = r->vendor_level[i];
	if (best < 0)
		return 0;
	f->severity = (platci_trivy_severity)best;
	f->severity_from_vendor = 1;
	return 0;
}

static int cvss(const fctx *c, const char *source, platci_trivy_finding *f)
{
	const trivy_record *r = c->r;
	size_t pick = (size_t)-1;

	f->cvss_score = -1.0;
	if (r->cvss_state == TF_ABSENT)
		return 0;
	if (r->cvss_state == TF_BAD)
		return bad(c, "CVSS must be an object");
	for (size_t i = 0; i < r->ncvss; i++) {
		double s = r->cvss[i].v3 >= 0 ? r->cvss[i].v3 : r->cvss[i].v2;
		if (r->cvss[i].bad)
			return bad(c, "CVSS.%.40s must be an object", at(r, r->cvss[i].name_off));
		if (s > f->cvss_score)
			f->cvss_score = s;
	}
	for (size_t i = 0; source && pick == (size_t)-1 && i < r->ncvss; i++)
		if (strcmp(at(r, r->cvss[i].name_off), source) == 0)
			pick = i;
	for (size_t i = 0; pick == (size_t)-1 && i < r->ncvss; i++)
		if (strcmp(at(r, r->cvss[i].name_off), "nvd") == 0)
			pick = i;
	if (pick == (size_t)-1 && r->ncvss)
		pick = 0;
	if (pick != (size_t)-1) {
		f->cvss_vendor = at(r, r->cvss[pick].name_off);
		if (r->cvss[pick].v3vec_off != (size_t)-1)
			f->cvss_v3_vector = at(r, r->cvss[pick].v3vec_off);
		if (r->cvss[pick].v2vec_off != (size_t)-1)
			f->cvss_v2_vector = at(r, r->cvss[pick].v2vec_off);
	}
	return 0;
}

static void references(const trivy_record *r, const char **refs, platci_trivy_finding *f)
{
	for (size_t i = 0; i < r->nrefs; i++)
		refs[i] = at(r, r->refs_off[i]);
	f->references = r->nrefs ? refs : NULL;
	f->nreferences = r->nrefs;
}

static int vulnerability(const fctx *c, platci_trivy_finding *f, const char **refs)
{
	const char *source;
	int error;

	if ((error = str(c, TF_VULNERABILITY_ID, &f->id)) < 0)
		return error;
	if (!f->id || !*f->id)
		return 1; /* not identifiable: the caller warns and skips it */
	if ((error = str(c, TF_PKG_NAME, &f->pkg_name)) < 0 ||
		(error = str(c, TF_PKG_PATH, &f->pkg_path)) < 0 ||
		(error = str(c, TF_INSTALLED_VERSION, &f->installed_version)) < 0 ||
		(error = str(c, TF_FIXED_VERSION, &f->fixed_version)) < 0 ||
		(error = str(c, TF_STATUS, &f->status)) < 0 || (error = str(c, TF_TITLE, &f->title)) < 0 ||
		(error = str(c, TF_DESCRIPTION, &f->description)) < 0 ||
		(error = str(c, TF_PRIMARY_URL, &f->primary_url)) < 0 ||
		(error = str(c, TF_SEVERITY_SOURCE, &source)) < 0)
		return error;
	if (c->r->pkgid_state == TF_STRING && (error = str(c, TF_PURL, &f->purl)) < 0)
		return error;
	if (c->r->refs_state == TF_BAD)
		return bad(c, "References must be an array");
	references(c->r, refs, f);
	if (f->status && *f->status)
		f->fixable = strcmp(f->status, "fixed") == 0;
	else
		f->fixable = f->fixed_version && *f->fixed_version;
	if ((error = severity(c, f)) < 0)
		return error;
	return cvss(c, source, f);
}

/* 1 in *failed when the misconfiguration failed (the only kind platci reports). */
static int misconfiguration(const fctx *c, platci_trivy_finding *f, const char **refs, int *failed)
{
	const char *status, *avd;
	int error;

	if ((error = str(c, TF_ID, &f->id)) < 0 || (error = str(c, TF_AVDID, &avd)) < 0 ||
		(error = str(c, TF_STATUS, &status)) < 0 || (error = str(c, TF_TITLE, &f->title)) < 0 ||
		(error = str(c, TF_PRIMARY_URL, &f->primary_url)) < 0 || (error = severity(c, f)) < 0)
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
	if ((error = str(c, TF_MESSAGE, &f->description)) < 0)
		return error;
	if (!f->description && (error = str(c, TF_DESCRIPTION, &f->description)) < 0)
		return error;
	f->start_line = c->r->start_line;
	if (c->r->refs_state == TF_STRING)
		references(c->r, refs, f);
	f->cvss_score = -1.0;
	*failed = !status || strcmp(status, "FAIL") == 0;
	return 0;
}

static int secret(const fctx *c, platci_trivy_finding *f)
{
	int error;

	/* Match and Code hold the secret's text: they are never read. */
	if ((error = str(c, TF_RULE_ID, &f->id)) < 0 || (error = str(c, TF_TITLE, &f->title)) < 0 ||
		(error = str(c, TF_CATEGORY, &f->category)) < 0 || (error = severity(c, f)) < 0)
		return error;
	if (!f->id || !*f->id)
		return bad(c, "RuleID is missing");
	f->start_line = c->r->start_line;
	f->cvss_score = -1.0;
	return 0;
}

static int license(const fctx *c, platci_trivy_finding *f)
{
	int error;

	if ((error = str(c, TF_NAME, &f->id)) < 0 || (error = str(c, TF_PKG_NAME, &f->pkg_name)) < 0 ||
		(error = str(c, TF_FILE_PATH, &f->pkg_path)) < 0 ||
		(error = str(c, TF_CATEGORY, &f->category)) < 0 ||
		(error = str(c, TF_LINK, &f->primary_url)) < 0 || (error = severity(c, f)) < 0)
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

int platci__trivy_finding(platci_trivy_stats *stats, trivy_record *r, const platci_trivy_context *ctx,
	size_t line, const char *name, platci_diag *diag, platci_trivy_cb cb, void *payload)
{
	static const char *const what[] = { "vulnerability", "misconfiguration", "secret", "license" };
	const char *refs[TF_MAX_REFS];
	platci_trivy_finding f;
	fctx c = { name, diag, line, what[r->kind], r };
	int error, failed = 1;

	memset(&f, 0, sizeof(f));
	r->open = 0;
	if (r->not_object)
		return bad(&c, "must be an object");
	f.kind = r->kind;
	switch (r->kind) {
	case PLATCI_TRIVY_VULNERABILITY:
		if ((error = vulnerability(&c, &f, refs)) > 0) {
			platci_diag_entry e = { PLATCI_DIAG_WARNING, PLATCI_EDATA, name, line, 0, 0,
				NULL, NULL };
			stats->skipped++;
			return platci_diag_add(diag, &e,
				"vulnerability without VulnerabilityID "
				"skipped");
		}
		break;
	case PLATCI_TRIVY_MISCONFIGURATION:
		error = misconfiguration(&c, &f, refs, &failed);
		break;
	case PLATCI_TRIVY_SECRET:
		error = secret(&c, &f);
		break;
	default:
		error = license(&c, &f);
		break;
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
	stats->read[r->kind]++;
	if (r->kind == PLATCI_TRIVY_VULNERABILITY)
		stats->by_severity[f.severity]++;
	return cb(&f, payload);
}
