/*
 * gl-code-quality-report.json and findings.json, written through the
 * streaming JSON writer: a scan can hold hundreds of thousands of findings,
 * and a DOM of them would cost more memory than the input did. Compact
 * unless the options ask for the pretty layout (jansson's JSON_INDENT(2)).
 */
#include <string.h>

#include "platci/report.h"
#include "report_int.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/banned.h"

void platci_report__codequality_item(platci_jsonw *w, const platci_finding *f)
{
	const char *sev = platci_severity_name(f->severity);

	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "type");
	platci__jsonw_str(w, "issue");
	platci__jsonw_key(w, "description");
	platci__jsonw_str(w, f->message);
	platci__jsonw_key(w, "check_name");
	platci__jsonw_str(w, f->rule_id);
	platci__jsonw_key(w, "fingerprint");
	platci__jsonw_str(w, f->fingerprint);
	platci__jsonw_key(w, "severity");
	platci__jsonw_str(w, sev ? sev : "info");
	platci__jsonw_key(w, "location");
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "path");
	platci__jsonw_str(w, f->file ? f->file : ".");
	platci__jsonw_key(w, "lines");
	platci__jsonw_open(w, '{');
	platci__jsonw_kint(w, "begin", (long long)(f->line ? f->line : 1));
	platci__jsonw_close(w, '}');
	platci__jsonw_close(w, '}');
	platci__jsonw_close(w, '}');
}

void platci_report__finding_item(platci_jsonw *w, const platci_finding *f)
{
	const char *sev = platci_severity_name(f->severity);

	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "rule");
	platci__jsonw_str(w, f->rule_id);
	platci__jsonw_key(w, "severity");
	platci__jsonw_str(w, sev ? sev : "info");
	platci__jsonw_key(w, "enforcement");
	platci__jsonw_str(w, f->enforcement == PLATCI_ENFORCE_DENY ? "deny" : "warn");
	platci__jsonw_key(w, "message");
	platci__jsonw_str(w, f->message);
	platci__jsonw_key(w, "file");
	platci__jsonw_str(w, f->file);
	platci__jsonw_kint(w, "line", (long long)f->line);
	platci__jsonw_kint(w, "column", (long long)f->column);
	platci__jsonw_key(w, "env");
	platci__jsonw_str(w, f->env);
	platci__jsonw_key(w, "fingerprint");
	platci__jsonw_str(w, f->fingerprint);
	platci__jsonw_key(w, "waiver");
	platci__jsonw_str(w, f->waiver);
	platci__jsonw_kstr(w, "baseline", platci_baseline_name(f->baseline));
	platci__jsonw_kstr(w, "details", f->details);
	platci__jsonw_close(w, '}');
}

void platci_report__findings_head(platci_jsonw *w, const platci_report_options *opts)
{
	platci__jsonw_open(w, '{');
	platci__jsonw_key(w, "version");
	platci__jsonw_str(w, "1");
	platci__jsonw_key(w, "stage");
	platci__jsonw_str(w, opts ? opts->stage : NULL);
	platci__jsonw_key(w, "env");
	platci__jsonw_str(w, opts ? opts->env : NULL);
}

void platci_report__findings_counts(platci_jsonw *w, const platci_findings_counts *c)
{
	platci__jsonw_key(w, "counts");
	platci__jsonw_open(w, '{');
	platci__jsonw_kint(w, "total", (long long)c->total);
	platci__jsonw_kint(w, "deny", (long long)c->deny);
	platci__jsonw_kint(w, "warn", (long long)c->warn);
	platci__jsonw_kint(w, "waived", (long long)c->waived);
	platci__jsonw_close(w, '}');
}

int platci_report__codequality(platci_buf *out, const platci_findings *list, int pretty)
{
	platci_jsonw w;

	platci__jsonw_init(&w, out, pretty);
	platci__jsonw_open(&w, '[');
	for (size_t i = 0; i < platci_findings_count(list); i++)
		if (!platci_findings_at(list, i)->waiver)
			platci_report__codequality_item(&w, platci_findings_at(list, i));
	platci__jsonw_close(&w, ']');
	return platci__jsonw_end(&w);
}

int platci_report_codequality(platci_buf *out, const platci_findings *list)
{
	return platci_report__codequality(out, list, 0);
}

static void finding_list(platci_jsonw *w, const char *key, const platci_findings *list)
{
	platci__jsonw_key(w, key);
	platci__jsonw_open(w, '[');
	for (size_t i = 0; i < platci_findings_count(list); i++)
		platci_report__finding_item(w, platci_findings_at(list, i));
	platci__jsonw_close(w, ']');
}

int platci_report_findings_json(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts)
{
	platci_findings_counts counts;
	platci_jsonw w;

	platci_findings_count_by(list, &counts);
	platci__jsonw_init(&w, out, opts && opts->pretty);
	platci_report__findings_head(&w, opts);
	platci_report__findings_counts(&w, &counts);
	finding_list(&w, "findings", list);
	if (opts && opts->fixed)
		finding_list(&w, "fixed", opts->fixed);
	platci__jsonw_close(&w, '}');
	return platci__jsonw_end(&w);
}
