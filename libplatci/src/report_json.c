/* gl-code-quality-report.json and findings.json. */
#include <string.h>

#include <jansson.h>

#include "platci/report.h"
#include "util/common.h"
#include "util/banned.h"

static int dump_to_buf(const char *b, size_t n, void *payload)
{
	return platci_buf_put(payload, b, n) < 0 ? -1 : 0;
}

static int render(platci_buf *out, json_t *v)
{
	if (!v)
		return PLATCI_ENOMEM;
	if (json_dump_callback(v, dump_to_buf, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		return out->error ? out->error : PLATCI_ENOMEM;
	return platci_buf_putc(out, '\n');
}

int platci_report_codequality(platci_buf *out, const platci_findings *list)
{
	json_t *arr = json_array();
	int error = 0;

	for (size_t i = 0; arr && i < platci_findings_count(list); i++) {
		const platci_finding *f = platci_findings_get(list, i);
		json_t *o;

		if (f->waiver)
			continue;
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:{s:I}}}",
			"type", "issue",
			"description", f->message,
			"check_name", f->rule_id,
			"fingerprint", f->fingerprint,
			"severity", platci_severity_name(f->severity) ? platci_severity_name(f->severity) : "info",
			"location", "path", f->file ? f->file : ".", "lines", "begin",
			(json_int_t)(f->line ? f->line : 1));
		if (!o || json_array_append_new(arr, o) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
	}
	error = render(out, arr);
done:
	json_decref(arr);
	return error;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int platci_report_findings_json(platci_buf *out, const platci_findings *list,
	const platci_report_options *opts)
{
	platci_findings_counts counts;
	json_t *root = NULL, *items;
	int error = 0;

	platci_findings_count_by(list, &counts);
	root = json_pack("{s:s, s:s?, s:s?, s:{s:I, s:I, s:I, s:I}}",
		"version", "1",
		"stage", opts ? opts->stage : NULL,
		"env", opts ? opts->env : NULL,
		"counts", "total", (json_int_t)counts.total, "deny", (json_int_t)counts.deny,
		"warn", (json_int_t)counts.warn, "waived", (json_int_t)counts.waived);
	items = json_array();
	if (!root || !items || json_object_set_new(root, "findings", items) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < platci_findings_count(list); i++) {
		const platci_finding *f = platci_findings_get(list, i);
		json_t *o = json_object();

		if (!o || json_array_append_new(items, o) < 0) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		json_object_set_new(o, "rule", json_string(f->rule_id));
		json_object_set_new(o, "severity", json_string(platci_severity_name(f->severity)
			? platci_severity_name(f->severity) : "info"));
		json_object_set_new(o, "enforcement",
			json_string(f->enforcement == PLATCI_ENFORCE_DENY ? "deny" : "warn"));
		json_object_set_new(o, "message", json_string(f->message));
		json_object_set_new(o, "file", str_or_null(f->file));
		json_object_set_new(o, "line", json_integer((json_int_t)f->line));
		json_object_set_new(o, "column", json_integer((json_int_t)f->column));
		json_object_set_new(o, "env", str_or_null(f->env));
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
		json_object_set_new(o, "waiver", str_or_null(f->waiver));
		if (f->details)
			json_object_set_new(o, "details", json_string(f->details));
	}
	error = render(out, root);
done:
	json_decref(root);
	return error;
}
