/*
 * summary.md: the body of the sticky MR note. Tables first, details
 * collapsed, and a budget (60 kB unless the caller says otherwise): a
 * reviewer reads about one screen, GitLab takes a million characters, and
 * a note near that limit is slow to load for everyone. What does not fit
 * is counted and left to findings.json, with a link to the job's artifacts;
 * the lines a reviewer must act on (deny) come first.
 */
#include <string.h>

#include "platci/report.h"
#include "report_int.h"
#include "util/common.h"
#include "util/escape.h"
#include "util/banned.h"

#define DEFAULT_MAX_SUMMARY 60000
/* Room the "more in findings.json" line and the closing tags need. */
#define TAIL_ROOM 600

int platci_report_options_init(platci_report_options *opts, unsigned int version)
{
	platci_report_options init = PLATCI_REPORT_OPTIONS_INIT;

	if (version != PLATCI_REPORT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* A table cell stays one cell on one line, and no text becomes markup. */
static const char *const md_repl[256] = {
	['|'] = "\\|",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['&'] = "&amp;",
	['`'] = "\\`",
	['\n'] = " ",
	['\r'] = " ",
};

int platci_md_escape(platci_buf *out, const char *s)
{
	return platci__escape(out, s, md_repl);
}

static int same_env(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

size_t platci_report__summary_budget(const platci_report_options *opts)
{
	return opts && opts->max_summary ? opts->max_summary : DEFAULT_MAX_SUMMARY;
}

/* The cells after the first: "| severity | `rule` | where | message |" and the line end. */
static void finding_cells(platci_buf *out, const platci_finding *f)
{
	platci_buf_printf(out, "| %s | `",
		platci_severity_name(f->severity) ? platci_severity_name(f->severity) : "info");
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

void platci_report__summary_row(platci_buf *out, const platci_finding *f)
{
	platci_buf_puts(out, "| ");
	platci_buf_puts(out, f->waiver                               ? "waived"
			     : f->enforcement == PLATCI_ENFORCE_DENY ? "**deny**"
								     : "warn");
	if (f->baseline == PLATCI_BASELINE_EXISTING)
		platci_buf_puts(out, " (existing)");
	platci_buf_puts(out, " ");
	finding_cells(out, f);
}

void platci_report__summary_more(platci_buf *out, size_t more, size_t more_deny,
	const platci_report_options *opts)
{
	platci_buf_printf(out, "_%zu more finding%s not shown here", more, more == 1 ? "" : "s");
	if (more_deny)
		platci_buf_printf(out, " (%zu of them deny)", more_deny);
	platci_buf_puts(out, ": every finding is in findings.json");
	if (opts && opts->artifacts_url)
		platci_buf_printf(out, " in the [job artifacts](%s)", opts->artifacts_url);
	else
		platci_buf_puts(out, " in the job's artifacts");
	platci_buf_puts(out, "._\n");
}

/* Writes one pass of rows while they fit under @p limit; returns 0 when one did not. */
static int rows(platci_buf *out, const platci_findings *list, size_t i, size_t j, int deny_pass,
	size_t limit, size_t *shown, size_t *shown_deny)
{
	for (size_t k = i; k < j; k++) {
		const platci_finding *f = platci_findings_at(list, k);
		int is_deny = !f->waiver && f->enforcement == PLATCI_ENFORCE_DENY;
		size_t mark = out->size;
		if (is_deny != deny_pass)
			continue;
		platci_report__summary_row(out, f);
		if (out->size > limit) {
			platci_buf_truncate(out, mark);
			return 0;
		}
		(*shown)++;
		*shown_deny += (size_t)is_deny;
	}
	return 1;
}

static void findings_section(platci_buf *out, const platci_findings *list,
	const platci_findings_counts *c, size_t limit, const platci_report_options *opts)
{
	size_t n = platci_findings_count(list), i = 0, shown = 0, shown_deny = 0;

	while (i < n) {
		const platci_finding *first = platci_findings_at(list, i);
		size_t j = i, deny = 0, warn = 0;
		int fits;

		while (j < n && same_env(platci_findings_at(list, j)->env, first->env)) {
			const platci_finding *f = platci_findings_at(list, j);
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
		platci_buf_puts(out,
			"| result | severity | rule | where | message |\n|---|---|---|---|---|\n");
		/* Deny findings first within an environment. */
		fits = rows(out, list, i, j, 1, limit, &shown, &shown_deny) &&
		       rows(out, list, i, j, 0, limit, &shown, &shown_deny);
		platci_buf_puts(out, "\n</details>\n\n");
		if (!fits) {
			platci_report__summary_more(out, n - shown, c->deny - shown_deny, opts);
			return;
		}
		i = j;
	}
}

/* The merge-base comparison: counts, then the findings the change fixed. */
static void baseline_line(platci_buf *out, const platci_findings *list, const platci_findings *fixed)
{
	size_t n_new = 0, n_existing = 0;

	for (size_t i = 0; i < platci_findings_count(list); i++) {
		n_new += platci_findings_at(list, i)->baseline == PLATCI_BASELINE_NEW;
		n_existing += platci_findings_at(list, i)->baseline == PLATCI_BASELINE_EXISTING;
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
		const platci_finding *f = platci_findings_at(fixed, i);
		platci_buf_puts(out, "| ");
		platci_md_escape(out, f->env ? f->env : "all environments");
		platci_buf_puts(out, " ");
		finding_cells(out, f);
	}
	platci_buf_puts(out, "\n</details>\n");
}

void platci_report__summary_head(platci_buf *out, const platci_findings_counts *c,
	const platci_report_options *opts)
{
	const char *verdict = opts->verdict ? opts->verdict
			      : c->deny     ? ":x: failed"
			      : c->warn     ? ":warning: passed with warnings"
					    : ":white_check_mark: passed";

	platci_buf_printf(out, "<!-- platci:%s:%s -->\n", opts->stage ? opts->stage : "run",
		opts->env ? opts->env : "all");
	platci_buf_printf(out, "### %s", opts->title ? opts->title : "platci");
	if (opts->env)
		platci_buf_printf(out, " (%s)", opts->env);
	platci_buf_printf(out, ": %s\n\n", verdict);
	platci_buf_puts(out, "| deny | warn | waived | blocker | critical | major | minor | info |\n");
	platci_buf_puts(out, "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	platci_buf_printf(out, "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n", c->deny,
		c->warn, c->waived, c->by_severity[PLATCI_SEVERITY_BLOCKER],
		c->by_severity[PLATCI_SEVERITY_CRITICAL], c->by_severity[PLATCI_SEVERITY_MAJOR],
		c->by_severity[PLATCI_SEVERITY_MINOR], c->by_severity[PLATCI_SEVERITY_INFO]);
}

/* The last resort, for a preamble too long for the budget: cut at a line and say so. */
void platci_report__summary_cut(platci_buf *out, size_t start, size_t max, const platci_report_options *opts)
{
	size_t cut = start + max;

	if (out->size - start <= max)
		return;
	while (cut > start && out->ptr[cut] != '\n')
		cut--;
	platci_buf_truncate(out, cut);
	platci_buf_printf(out,
		"\n\n</details>\n\n**Summary truncated at %zu bytes.** "
		"The full findings are in findings.json",
		max);
	if (opts->artifacts_url)
		platci_buf_printf(out, " in the [job artifacts](%s)", opts->artifacts_url);
	platci_buf_puts(out, ".\n");
}

int platci_report_summary(platci_buf *out, const platci_findings *list, const platci_report_options *opts)
{
	platci_report_options defaults = PLATCI_REPORT_OPTIONS_INIT;
	platci_findings_counts c;
	size_t max, start = out->size;

	if (!opts)
		opts = &defaults;
	max = platci_report__summary_budget(opts);
	platci_findings_count_by(list, &c);
	platci_report__summary_head(out, &c, opts);
	if (opts->preamble_md) {
		platci_buf_puts(out, opts->preamble_md);
		platci_buf_puts(out, "\n\n");
	}
	if (opts->fixed)
		baseline_line(out, list, opts->fixed);
	if (c.total)
		findings_section(out, list, &c, start + (max > TAIL_ROOM ? max - TAIL_ROOM : max), opts);
	else
		platci_buf_puts(out, "No findings.\n");
	if (opts->fixed)
		fixed_section(out, opts->fixed);
	if (out->error)
		return out->error;
	platci_report__summary_cut(out, start, max, opts);
	return out->error;
}
