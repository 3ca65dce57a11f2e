#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/fs.h"
#include "platci/report.h"
#include "report_int.h"
#include "util/common.h"
#include "util/escape.h"
#include "util/strmap.h"
#include "util/banned.h"

/* What platci_junit_write() hands the file writer at a time. */
#define WRITE_BLOCK 65536

/*
 * A case is rendered to XML as it is added: a drift run adds one per checked
 * resource (40,000 and more), and a record of copies per case cost more than
 * the XML. The repeat check works on the rendered names, in the XML itself:
 * names that differ only in what XML drops (control characters) are the
 * same name to GitLab, so they are repeats too.
 */
typedef struct junit_name {
	uint64_t hash; /* 0: a free slot */
	size_t at; /* where its `classname="..." name="...` starts in xml */
} junit_name;

struct platci_junit {
	platci_buf xml; /* the cases' XML so far */
	size_t count, failures, skipped;
	/*
	 * Open addressing over the names' hashes, at most half full: growing
	 * moves hashes and never reads a name again; a name is compared only
	 * when its hash matches.
	 */
	junit_name *names;
	size_t nnames, anames;
	platci_buf unique;
};

int platci_junit_new(platci_junit **out)
{
	platci_junit *j = calloc(1, sizeof(*j));

	*out = j;
	return j ? 0 : PLATCI_ENOMEM;
}

void platci_junit_free(platci_junit *j)
{
	if (!j)
		return;
	platci_buf_dispose(&j->xml);
	free(j->names);
	platci_buf_dispose(&j->unique);
	free(j);
}

/* Room for one more name, the table kept at most half full. */
static int names_reserve(platci_junit *j)
{
	junit_name *old = j->names;
	size_t n = j->anames ? j->anames * 2 : 256, oldn = j->anames;

	if (j->anames && (j->nnames + 1) * 2 <= j->anames)
		return 0;
	if (!(j->names = calloc(n, sizeof(*j->names)))) {
		j->names = old;
		return PLATCI_ENOMEM;
	}
	j->anames = n;
	for (size_t i = 0; i < oldn; i++) {
		size_t k = (size_t)old[i].hash & (n - 1);
		if (!old[i].hash)
			continue;
		while (j->names[k].hash)
			k = (k + 1) & (n - 1);
		j->names[k] = old[i];
	}
	free(old);
	return 0;
}

/*
 * The slot of the rendered pair at xml[at, end): the one holding it, or the
 * free one where it goes. An escaped name holds no '"', so a stored pair
 * equal over those bytes and closed by '"' there is the same pair.
 */
static junit_name *name_slot(const platci_junit *j, uint64_t h, size_t at, size_t end)
{
	size_t mask = j->anames - 1, n = end - at;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		junit_name *s = &j->names[i];
		if (!s->hash || (s->hash == h && memcmp(j->xml.ptr + s->at, j->xml.ptr + at, n) == 0 &&
					j->xml.ptr[s->at + n] == '"'))
			return s;
	}
}

/* Appends `    <testcase classname="C" name="N` and returns where `classname` starts. */
static size_t case_open(platci_buf *out, const char *classname, const char *name)
{
	size_t at;

	platci_buf_puts(out, "    <testcase ");
	at = out->size;
	platci_buf_puts(out, "classname=\"");
	platci_xml_escape(out, classname);
	platci_buf_puts(out, "\" name=\"");
	platci_xml_escape(out, name);
	return at;
}

/* The rest of a case after its name: the closing quote, then what it says. */
static void case_rest(platci_buf *out, const char *failure, const char *details, const char *skipped);

/*
 * Opens the case for (classname, name), or (classname, "name #N") with the
 * first N that makes it new: GitLab drops repeated names. @return 0 or the
 * buffer's error (nothing claimed: a failed name must not pass as new).
 */
static int open_new_case(platci_junit *j, const char *classname, const char *name)
{
	size_t mark = j->xml.size, at;
	junit_name *s;
	uint64_t h;

	if (names_reserve(j) < 0)
		return PLATCI_ENOMEM;
	for (unsigned n = 2;; n++) {
		at = case_open(&j->xml, classname, n == 2 ? name : j->unique.ptr);
		if (j->xml.error)
			return j->xml.error;
		h = platci__strhash(j->xml.ptr + at, j->xml.size - at) | 1;
		if (!(s = name_slot(j, h, at, j->xml.size))->hash)
			break;
		platci_buf_truncate(&j->xml, mark);
		platci_buf_clear(&j->unique);
		if (platci_buf_printf(&j->unique, "%s #%u", name, n) < 0)
			return PLATCI_ENOMEM;
	}
	s->hash = h;
	s->at = at;
	j->nnames++;
	return 0;
}

int platci_junit_add(platci_junit *j, const char *classname, const char *name, const char *failure,
	const char *details, const char *skipped)
{
	int error;

	PLATCI_ASSERT_ARG(j && classname && name);
	if (j->xml.error)
		return j->xml.error;
	if ((error = open_new_case(j, classname, name)) < 0)
		return error;
	case_rest(&j->xml, failure, details, skipped);
	if (j->xml.error)
		return j->xml.error;
	j->count++;
	j->failures += failure != NULL;
	j->skipped += skipped != NULL;
	return 0;
}

int platci_report__finding_case(platci_buf *name, platci_buf *details, const platci_finding *f)
{
	platci_buf_clear(name);
	platci_buf_clear(details);
	platci_buf_printf(name, "%s %s", f->rule_id, f->file ? f->file : "");
	if (f->line)
		platci_buf_printf(name, ":%zu", f->line);
	platci_buf_printf(details, "%s [%s, %s]", f->message,
		platci_severity_name(f->severity) ? platci_severity_name(f->severity) : "info",
		f->enforcement == PLATCI_ENFORCE_DENY ? "deny" : "warn");
	if (f->waiver)
		platci_buf_printf(details, "\nwaived: %s", f->waiver);
	if (f->details)
		platci_buf_printf(details, "\n%s", f->details);
	return name->error || details->error ? PLATCI_ENOMEM : 0;
}

int platci_junit_add_findings(platci_junit *j, const char *classname, const platci_findings *list,
	const char *const *checked)
{
	platci_buf name = PLATCI_BUF_INIT, details = PLATCI_BUF_INIT;
	size_t n = platci_findings_count(list);
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		const platci_finding *f = platci_findings_at(list, i);
		const char *cls = f->env ? f->env : classname;
		int fails = !f->waiver && f->enforcement == PLATCI_ENFORCE_DENY;

		if ((error = platci_report__finding_case(&name, &details, f)) < 0 ||
			(error = platci_junit_add(j, cls, name.ptr, fails ? f->message : NULL,
				 details.ptr, NULL)) < 0)
			goto done;
	}
	for (size_t k = 0; checked && checked[k]; k++) {
		int seen = 0;
		for (size_t i = 0; i < n && !seen; i++) {
			const platci_finding *f = platci_findings_at(list, i);
			seen = f->file && strcmp(f->file, checked[k]) == 0;
		}
		if (!seen && (error = platci_junit_add(j, classname, checked[k], NULL, NULL, NULL)) < 0)
			goto done;
	}
done:
	platci_buf_dispose(&name);
	platci_buf_dispose(&details);
	return error;
}

/* XML 1.0 forbids control characters other than tab, LF and CR, even escaped: they are dropped. */
static const char *const xml_repl[256] = {
	[0x01] = "",
	[0x02] = "",
	[0x03] = "",
	[0x04] = "",
	[0x05] = "",
	[0x06] = "",
	[0x07] = "",
	[0x08] = "",
	[0x0b] = "",
	[0x0c] = "",
	[0x0e] = "",
	[0x0f] = "",
	[0x10] = "",
	[0x11] = "",
	[0x12] = "",
	[0x13] = "",
	[0x14] = "",
	[0x15] = "",
	[0x16] = "",
	[0x17] = "",
	[0x18] = "",
	[0x19] = "",
	[0x1a] = "",
	[0x1b] = "",
	[0x1c] = "",
	[0x1d] = "",
	[0x1e] = "",
	[0x1f] = "",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['&'] = "&amp;",
	['"'] = "&quot;",
	['\''] = "&apos;",
};

int platci_xml_escape(platci_buf *out, const char *s)
{
	return platci__escape(out, s, xml_repl);
}

size_t platci_report__junit_cases(const platci_junit *j, size_t *failures, size_t *skipped)
{
	*failures += j->failures;
	*skipped += j->skipped;
	return j->count;
}

void platci_report__junit_render_cases(platci_buf *out, const platci_junit *j)
{
	if (j->xml.error)
		out->error = j->xml.error;
	else if (j->xml.size) /* no case yet: no buffer either */
		platci_buf_put(out, j->xml.ptr, j->xml.size);
}

void platci_report__junit_head(platci_buf *out, const char *suite, size_t tests, size_t failures,
	size_t skipped)
{
	platci_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"platci\" ");
	platci_buf_printf(out, "tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		tests, failures, skipped);
	platci_buf_puts(out, "  <testsuite name=\"");
	platci_xml_escape(out, suite ? suite : "platci");
	platci_buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		tests, failures, skipped);
}

static void case_rest(platci_buf *out, const char *failure, const char *details, const char *skipped)
{
	if (!failure && !skipped && !details) {
		platci_buf_puts(out, "\"/>\n");
		return;
	}
	platci_buf_puts(out, "\">\n");
	if (failure) {
		platci_buf_puts(out, "      <failure message=\"");
		platci_xml_escape(out, failure);
		platci_buf_puts(out, "\">");
		platci_xml_escape(out, details ? details : failure);
		platci_buf_puts(out, "</failure>\n");
	} else if (skipped) {
		platci_buf_puts(out, "      <skipped message=\"");
		platci_xml_escape(out, skipped);
		platci_buf_puts(out, "\"/>\n");
	} else {
		platci_buf_puts(out, "      <system-out>");
		platci_xml_escape(out, details);
		platci_buf_puts(out, "</system-out>\n");
	}
	platci_buf_puts(out, "    </testcase>\n");
}

void platci_report__junit_case(platci_buf *out, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped)
{
	case_open(out, classname, name);
	case_rest(out, failure, details, skipped);
}

void platci_report__junit_tail(platci_buf *out)
{
	platci_buf_puts(out, "  </testsuite>\n</testsuites>\n");
}

int platci_junit_write(const char *path, const platci_junit *j, const char *suite, platci_diag *diag)
{
	platci_fs_file *f = NULL;
	int error;

	PLATCI_ASSERT_ARG(path && j);
	if (j->xml.error)
		return j->xml.error;
	if ((error = platci_fs_atomic_open(&f, path, diag)) < 0)
		return error;
	platci_report__junit_head(platci_fs_atomic_buf(f), suite, j->count, j->failures, j->skipped);
	/* In blocks, so the file's buffer stays small; a failed write is the file's error,
	 * which the commit reports (and removes the file). */
	for (size_t at = 0; at < j->xml.size; at += WRITE_BLOCK)
		if (platci_fs_atomic_write(f, j->xml.ptr + at,
			    j->xml.size - at < WRITE_BLOCK ? j->xml.size - at : WRITE_BLOCK) < 0)
			break;
	platci_report__junit_tail(platci_fs_atomic_buf(f));
	return platci_fs_atomic_commit(f, diag);
}

int platci_junit_render(platci_buf *out, const platci_junit *j, const char *suite)
{
	size_t failures = 0, skipped = 0, n = platci_report__junit_cases(j, &failures, &skipped);

	platci_report__junit_head(out, suite, n, failures, skipped);
	platci_report__junit_render_cases(out, j);
	platci_report__junit_tail(out);
	return out->error;
}
