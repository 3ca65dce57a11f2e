#include <stdio.h>
#include <string.h>

#include "platci/report.h"
#include "report_int.h"
#include "util/arena.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/escape.h"
#include "util/banned.h"

typedef struct junit_case {
	const char *classname, *name, *failure, *details, *skipped;
} junit_case;

struct platci_junit {
	junit_case *cases;
	size_t count, alloc;
	/* "classname\0name" of the cases so far, so repeats are found in O(1) */
	platci__strmap names;
	platci_buf key;
	platci_arena strings;
};

int platci_junit_new(platci_junit **out)
{
	platci_junit *j = calloc(1, sizeof(*j));

	*out = j;
	if (!j)
		return PLATCI_ENOMEM;
	platci_arena_init(&j->strings, 16384);
	return 0;
}

void platci_junit_free(platci_junit *j)
{
	if (!j)
		return;
	free(j->cases);
	platci__strmap_dispose(&j->names);
	platci_buf_dispose(&j->key);
	platci_arena_dispose(&j->strings);
	free(j);
}

static const char *jcopy(platci_junit *j, const char *s, int *failed)
{
	char *c;
	if (!s)
		return NULL;
	if (!(c = platci_arena_strdup(&j->strings, s)))
		*failed = 1;
	return c;
}

/* The pair as one key in j->key: the NUL keeps ("a b", "c") and ("a", "b c") apart. */
static int pair_key(platci_junit *j, const char *classname, const char *name)
{
	platci_buf_clear(&j->key);
	platci_buf_put(&j->key, classname, strlen(classname) + 1);
	platci_buf_puts(&j->key, name);
	return j->key.error;
}

/* 1 when the pair is taken, 0 when not, or PLATCI_ENOMEM (not "free": a
 * failed key must not let a repeated name through as if it were new). */
static int name_taken(platci_junit *j, const char *classname, const char *name)
{
	int error = pair_key(j, classname, name);

	if (error < 0)
		return error;
	return platci__strmap_get(&j->names, j->key.ptr, j->key.size) != NULL;
}

static int name_add(platci_junit *j, const char *classname, const char *name)
{
	char *key;

	if (pair_key(j, classname, name) < 0 ||
		!(key = platci_arena_strndup(&j->strings, j->key.ptr, j->key.size)))
		return PLATCI_ENOMEM;
	return platci__strmap_put(&j->names, key, j->key.size, key);
}

int platci_junit_add(platci_junit *j, const char *classname, const char *name, const char *failure,
	const char *details, const char *skipped)
{
	platci_buf unique = PLATCI_BUF_INIT;
	junit_case c;
	int failed = 0, error = 0;

	PLATCI_ASSERT_ARG(j && classname && name);
	if ((error = platci__grow_array((void **)&j->cases, &j->alloc, j->count + 1, sizeof(*j->cases))) < 0)
		return error;
	/* GitLab drops repeated names, so repeats get a counter. */
	if ((error = name_taken(j, classname, name)) < 0)
		goto done;
	if (error) {
		for (unsigned n = 2;; n++) {
			platci_buf_clear(&unique);
			platci_buf_printf(&unique, "%s #%u", name, n);
			if (unique.error || (error = name_taken(j, classname, unique.ptr)) <= 0)
				break;
		}
		if (unique.error)
			error = unique.error;
		if (error < 0)
			goto done;
		name = unique.ptr;
	}
	c.classname = jcopy(j, classname, &failed);
	c.name = jcopy(j, name, &failed);
	c.failure = jcopy(j, failure, &failed);
	c.details = jcopy(j, details, &failed);
	c.skipped = jcopy(j, skipped, &failed);
	if (failed) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = name_add(j, c.classname, c.name)) < 0)
		goto done;
	j->cases[j->count++] = c;
done:
	platci_buf_dispose(&unique);
	return error;
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
	for (size_t i = 0; i < j->count; i++) {
		*failures += j->cases[i].failure != NULL;
		*skipped += j->cases[i].skipped != NULL;
	}
	return j->count;
}

void platci_report__junit_render_cases(platci_buf *out, const platci_junit *j)
{
	for (size_t i = 0; i < j->count; i++)
		platci_report__junit_case(out, j->cases[i].classname, j->cases[i].name,
			j->cases[i].failure, j->cases[i].details, j->cases[i].skipped);
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

void platci_report__junit_case(platci_buf *out, const char *classname, const char *name,
	const char *failure, const char *details, const char *skipped)
{
	platci_buf_puts(out, "    <testcase classname=\"");
	platci_xml_escape(out, classname);
	platci_buf_puts(out, "\" name=\"");
	platci_xml_escape(out, name);
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

void platci_report__junit_tail(platci_buf *out)
{
	platci_buf_puts(out, "  </testsuite>\n</testsuites>\n");
}

int platci_junit_render(platci_buf *out, const platci_junit *j, const char *suite)
{
	size_t failures = 0, skipped = 0, n = platci_report__junit_cases(j, &failures, &skipped);

	platci_report__junit_head(out, suite, n, failures, skipped);
	platci_report__junit_render_cases(out, j);
	platci_report__junit_tail(out);
	return out->error;
}
