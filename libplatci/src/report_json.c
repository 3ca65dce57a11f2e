/* gl-code-quality-report.json and findings.json. */
#include <string.h>

#include "platci/report.h"
#include "util/common.h"
#include "util/banned.h"

/* Writes @p s as a JSON string. Finding strings are valid UTF-8 already. */
static void put_json_str(platci_buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s) {
		platci_buf_puts(out, "null");
		return;
	}
	platci_buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const unsigned char *run = p;

		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		platci_buf_put(out, run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': platci_buf_puts(out, "\\\""); break;
		case '\\': platci_buf_puts(out, "\\\\"); break;
		case '\n': platci_buf_puts(out, "\\n"); break;
		case '\t': platci_buf_puts(out, "\\t"); break;
		case '\r': platci_buf_puts(out, "\\r"); break;
		case '\b': platci_buf_puts(out, "\\b"); break;
		case '\f': platci_buf_puts(out, "\\f"); break;
		default: {
			char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
			platci_buf_puts(out, esc);
		}
		}
	}
	platci_buf_putc(out, '"');
}

/*
 * Both writers stream straight into the buffer, in the layout jansson's
 * JSON_INDENT(2) gives: a scan can hold hundreds of thousands of findings,
 * and a DOM of them would cost more memory than the input did.
 */
static void put_key(platci_buf *out, const char *indent, const char *key, int first)
{
	platci_buf_puts(out, first ? "\n" : ",\n");
	platci_buf_puts(out, indent);
	platci_buf_printf(out, "\"%s\": ", key);
}

static void put_str_field(platci_buf *out, const char *indent, const char *key, const char *v,
	int first)
{
	put_key(out, indent, key, first);
	put_json_str(out, v);
}

static void put_num_field(platci_buf *out, const char *indent, const char *key, size_t v)
{
	put_key(out, indent, key, 0);
	platci_buf_printf(out, "%zu", v);
}

int platci_report_codequality(platci_buf *out, const platci_findings *list)
{
	size_t written = 0;

	platci_buf_putc(out, '[');
	for (size_t i = 0; i < platci_findings_count(list); i++) {
		const platci_finding *f = platci_findings_get(list, i);
		const char *sev = platci_severity_name(f->severity);

		if (f->waiver)
			continue;
		platci_buf_puts(out, written++ ? ",\n  {" : "\n  {");
		put_str_field(out, "    ", "type", "issue", 1);
		put_str_field(out, "    ", "description", f->message, 0);
		put_str_field(out, "    ", "check_name", f->rule_id, 0);
		put_str_field(out, "    ", "fingerprint", f->fingerprint, 0);
		put_str_field(out, "    ", "severity", sev ? sev : "info", 0);
		put_key(out, "    ", "location", 0);
		platci_buf_putc(out, '{');
		put_str_field(out, "      ", "path", f->file ? f->file : ".", 1);
		put_key(out, "      ", "lines", 0);
		platci_buf_puts(out, "{\n        \"begin\": ");
		platci_buf_printf(out, "%zu\n      }\n    }\n  }", f->line ? f->line : 1);
	}
	platci_buf_puts(out, written ? "\n]\n" : "]\n");
	return out->error;
}

static void put_finding_list(platci_buf *out, const platci_findings *list)
{
	size_t n = platci_findings_count(list);

	platci_buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		const platci_finding *f = platci_findings_get(list, i);
		const char *sev = platci_severity_name(f->severity);

		platci_buf_puts(out, i ? ",\n    {" : "\n    {");
		put_str_field(out, "      ", "rule", f->rule_id, 1);
		put_str_field(out, "      ", "severity", sev ? sev : "info", 0);
		put_str_field(out, "      ", "enforcement",
			f->enforcement == PLATCI_ENFORCE_DENY ? "deny" : "warn", 0);
		put_str_field(out, "      ", "message", f->message, 0);
		put_str_field(out, "      ", "file", f->file, 0);
		put_num_field(out, "      ", "line", f->line);
		put_num_field(out, "      ", "column", f->column);
		put_str_field(out, "      ", "env", f->env, 0);
		put_str_field(out, "      ", "fingerprint", f->fingerprint, 0);
		put_str_field(out, "      ", "waiver", f->waiver, 0);
		if (platci_baseline_name(f->baseline))
			put_str_field(out, "      ", "baseline", platci_baseline_name(f->baseline), 0);
		if (f->details)
			put_str_field(out, "      ", "details", f->details, 0);
		platci_buf_puts(out, "\n    }");
	}
	platci_buf_puts(out, n ? "\n  ]" : "]");
}

int platci_report_findings_json(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts)
{
	platci_findings_counts counts;

	platci_findings_count_by(list, &counts);
	platci_buf_putc(out, '{');
	put_str_field(out, "  ", "version", "1", 1);
	put_str_field(out, "  ", "stage", opts ? opts->stage : NULL, 0);
	put_str_field(out, "  ", "env", opts ? opts->env : NULL, 0);
	put_key(out, "  ", "counts", 0);
	platci_buf_printf(out, "{\n    \"total\": %zu,\n    \"deny\": %zu,\n    \"warn\": %zu,\n"
		"    \"waived\": %zu\n  }", counts.total, counts.deny, counts.warn, counts.waived);
	put_key(out, "  ", "findings", 0);
	put_finding_list(out, list);
	if (opts && opts->fixed) {
		put_key(out, "  ", "fixed", 0);
		put_finding_list(out, opts->fixed);
	}
	platci_buf_puts(out, "\n}\n");
	return out->error;
}
