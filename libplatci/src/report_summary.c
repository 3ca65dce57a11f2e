/* summary.md: the body of the sticky MR note. Tables first, details collapsed. */
#include <string.h>

#include "platci/report.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_MAX_SUMMARY 900000

int platci_report_options_init(platci_report_options *opts, unsigned int version)
{
	platci_report_options init = PLATCI_REPORT_OPTIONS_INIT;

	if (version != PLATCI_REPORT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_md_escape(platci_buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '|': platci_buf_puts(out, "\\|"); break;
		case '<': platci_buf_puts(out, "&lt;"); break;
		case '>': platci_buf_puts(out, "&gt;"); break;
		case '&': platci_buf_puts(out, "&amp;"); break;
		case '`': platci_buf_puts(out, "\\`"); break;
		case '\n': case '\r': platci_buf_putc(out, ' '); break;
		default: platci_buf_putc(out, *s); break;
		}
	}
	return out->error;
}

static int same_env(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The cells after the first: "| severity | `rule` | where | message |" and the line end. */
static void finding_cells(platci_buf *out, const platci_finding *f)
{
	platci_buf_printf(out, "| %s | `", platci_severity_name(f->severity) ? platci_severity_name(f->severity) : "info");
	platci_md_escape(out, f->rule_id);
	platci_buf_puts(out, "` | ");
	if (f->file) {
		platci_md_escape(out, f->file);
		if (f->line)
			platci_buf_printf(out, ":%zu", f->line);
	}
	platci_buf_puts(out, " | ");
	platci_md_escape(out, f->message);
	if (f->waiver) {
		platci_buf_puts(out, " (waived: ");
		platci_md_escape(out, f->waiver);
		platci_buf_puts(out, ")");
	}
	platci_buf_puts(out, " |\n");
}

static void finding_row(platci_buf *out, const platci_finding *f)
{
	platci_buf_puts(out, "| ");
	platci_buf_puts(out, f->waiver ? "waived" : f->enforcement == PLATCI_ENFORCE_DENY ? "**deny**" : "warn");
	if (f->baseline == PLATCI_BASELINE_EXISTING)
		platci_buf_puts(out, " (existing)");
	platci_buf_puts(out, " ");
	finding_cells(out, f);
}

static void findings_section(platci_buf *out, const platci_findings *list)
{
	size_t n = platci_findings_count(list), i = 0;

	while (i < n) {
		const platci_finding *first = platci_findings_get(list, i);
		size_t j = i, deny = 0, warn = 0;

		while (j < n && same_env(platci_findings_get(list, j)->env, first->env)) {
			const platci_finding *f = platci_findings_get(list, j);
			if (!f->waiver && f->enforcement == PLATCI_ENFORCE_DENY)
				deny++;
			else
				warn++;
			j++;
		}
		platci_buf_puts(out, "<details");
		if (deny)
			platci_buf_puts(out, " open");
		platci_buf_puts(out, "><summary>");
		platci_md_escape(out, first->env ? first->env : "all environments");
		platci_buf_printf(out, ": %zu deny, %zu other</summary>\n\n", deny, warn);
		platci_buf_puts(out, "| result | severity | rule | where | message |\n|---|---|---|---|---|\n");
		/* Deny findings first within an environment. */
		for (int pass = 0; pass < 2; pass++) {
			for (size_t k = i; k < j; k++) {
				const platci_finding *f = platci_findings_get(list, k);
				int is_deny = !f->waiver && f->enforcement == PLATCI_ENFORCE_DENY;
				if (is_deny == (pass == 0))
					finding_row(out, f);
			}
		}
		platci_buf_puts(out, "\n</details>\n\n");
		i = j;
	}
}

/* The merge-base comparison: counts, then the findings the change fixed. */
static void baseline_line(platci_buf *out, const platci_findings *list, const platci_findings *fixed)
{
	size_t n_new = 0, n_existing = 0;

	for (size_t i = 0; i < platci_findings_count(list); i++) {
		n_new += platci_findings_get(list, i)->baseline == PLATCI_BASELINE_NEW;
		n_existing += platci_findings_get(list, i)->baseline == PLATCI_BASELINE_EXISTING;
	}
	platci_buf_printf(out, "Compared with the merge base: %zu new, %zu existing, %zu fixed.\n\n",
		n_new, n_existing, platci_findings_count(fixed));
}

static void fixed_section(platci_buf *out, const platci_findings *fixed)
{
	size_t n = platci_findings_count(fixed);

	if (!n)
		return;
	platci_buf_printf(out, "<details><summary>fixed by this change: %zu</summary>\n\n", n);
	platci_buf_puts(out, "| environment | severity | rule | where | message |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const platci_finding *f = platci_findings_get(fixed, i);
		platci_buf_puts(out, "| ");
		platci_md_escape(out, f->env ? f->env : "all environments");
		platci_buf_puts(out, " ");
		finding_cells(out, f);
	}
	platci_buf_puts(out, "\n</details>\n");
}

int platci_report_summary(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts)
{
	platci_report_options defaults = PLATCI_REPORT_OPTIONS_INIT;
	platci_findings_counts c;
	size_t max, start = out->size;
	const char *verdict;

	if (!opts)
		opts = &defaults;
	max = opts->max_summary ? opts->max_summary : DEFAULT_MAX_SUMMARY;
	platci_findings_count_by(list, &c);
	verdict = opts->verdict ? opts->verdict
		: c.deny ? ":x: failed"
		: c.warn ? ":warning: passed with warnings"
		: ":white_check_mark: passed";

	platci_buf_printf(out, "<!-- platci:%s:%s -->\n", opts->stage ? opts->stage : "run",
		opts->env ? opts->env : "all");
	platci_buf_printf(out, "### %s", opts->title ? opts->title : "platci");
	if (opts->env)
		platci_buf_printf(out, " (%s)", opts->env);
	platci_buf_printf(out, ": %s\n\n", verdict);
	platci_buf_puts(out, "| deny | warn | waived | blocker | critical | major | minor | info |\n");
	platci_buf_puts(out, "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	platci_buf_printf(out, "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n", c.deny, c.warn,
		c.waived, c.by_severity[PLATCI_SEVERITY_BLOCKER], c.by_severity[PLATCI_SEVERITY_CRITICAL],
		c.by_severity[PLATCI_SEVERITY_MAJOR], c.by_severity[PLATCI_SEVERITY_MINOR],
		c.by_severity[PLATCI_SEVERITY_INFO]);
	if (opts->preamble_md) {
		platci_buf_puts(out, opts->preamble_md);
		platci_buf_puts(out, "\n\n");
	}
	if (opts->fixed)
		baseline_line(out, list, opts->fixed);
	if (c.total)
		findings_section(out, list);
	else
		platci_buf_puts(out, "No findings.\n");
	if (opts->fixed)
		fixed_section(out, opts->fixed);
	if (out->error)
		return out->error;
	if (out->size - start > max) {
		/* Cut at a line boundary and say so: GitLab rejects notes over its limit. */
		size_t cut = start + max;
		while (cut > start && out->ptr[cut] != '\n')
			cut--;
		platci_buf_truncate(out, cut);
		platci_buf_printf(out, "\n\n</details>\n\n**Summary truncated at %zu bytes.** "
			"The full findings are in findings.json", max);
		if (opts->artifacts_url)
			platci_buf_printf(out, " in the [job artifacts](%s)", opts->artifacts_url);
		platci_buf_puts(out, ".\n");
	}
	return out->error;
}
