/*
 * The parsers and writers under allocation-failure injection: each Test
 * runs one call over a small real input with allocation 1, 2, ... failing
 * and expects PLATCI_ENOMEM every time, no crash and (under ASan and
 * valgrind) no leak. Inputs are the fuzz corpus seeds and policies/.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

#include "allocfail.h"
#include "hcl.h"

typedef struct input {
	char *data;
	size_t len;
	const char *path;
} input;

/* Reads a repository file before any injection starts. */
static input in(const char *rel)
{
	char path[4096];
	input i = { NULL, 0, NULL };
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", PLATCI_SOURCE_DIR, rel);
	cr_assert((f = fopen(path, "rb")) != NULL, "%s: missing", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	cr_assert((i.data = calloc(1, (size_t)n + 1)) != NULL);
	cr_assert_eq(fread(i.data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	i.len = (size_t)n;
	i.path = strdup(path);
	return i;
}

static void done(input *i)
{
	free(i->data);
	free((char *)i->path);
}

static int with_diag(platci_diag **diag)
{
	return platci_diag_new(diag);
}

/* ---- YAML and JSON documents ------------------------------------------------ */

static int doc_yaml(void *p)
{
	input *i = p;
	platci_doc *doc = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_doc_load_buffer(&doc, "in.yaml", i->data, i->len, NULL, diag);
	platci_doc_free(doc);
	platci_diag_free(diag);
	return rc;
}

static int doc_json(void *p)
{
	input *i = p;
	platci_doc *doc = NULL;
	int rc = platci_doc_load_json_buffer(&doc, "in.json", i->data, i->len, NULL, NULL);

	platci_doc_free(doc);
	return rc;
}

Test(allocfail, doc_yaml_and_json)
{
	input y = in("fuzz/corpus/yamledit/setters.yaml"), j = in("fuzz/corpus/tfplan/small.json");

	af_exhaust("platci_doc_load_buffer", doc_yaml, &y);
	af_exhaust("platci_doc_load_json_buffer", doc_json, &j);
	done(&y);
	done(&j);
}

/* ---- streaming JSON, plans, Trivy, Flux status -------------------------------- */

static int count_cb(const platci_json_event *ev, void *payload)
{
	(void)ev;
	(*(size_t *)payload)++;
	return 0;
}

static int json_stream(void *p)
{
	input *i = p;
	platci_json_stream *s = NULL;
	size_t n = 0;
	int rc;

	if ((rc = platci_json_stream_new(&s, NULL)) == 0 &&
		(rc = platci_json_stream_on(s, "resource_changes[*]", PLATCI_JSON_STREAM_VALUE, 1,
			 count_cb, &n)) == 0 &&
		(rc = platci_json_stream_on(s, "checks",
			 PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT, 2, count_cb, &n)) == 0 &&
		(rc = platci_json_stream_feed(s, i->data, i->len / 2, NULL)) == 0 &&
		(rc = platci_json_stream_feed(s, i->data + i->len / 2, i->len - i->len / 2, NULL)) == 0)
		rc = platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	return rc;
}

static int tfplan(void *p)
{
	input *i = p;
	platci_tfplan *plan = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_tfplan_read_buffer(&plan, i->data, i->len, NULL, diag);
	platci_tfplan_free(plan);
	platci_diag_free(diag);
	return rc;
}

static int trivy_cb(const platci_trivy_finding *f, void *payload)
{
	(void)f;
	(void)payload;
	return 0;
}

static int trivy(void *p)
{
	input *i = p;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_trivy_read_buffer(NULL, "in.json", i->data, i->len, NULL, trivy_cb, NULL, diag);
	platci_diag_free(diag);
	return rc;
}

static int fluxstatus(void *p)
{
	input *i = p;
	platci_flux_status *st = NULL;
	platci_buf why = PLATCI_BUF_INIT;
	int rc;

	if ((rc = platci_flux_status_new(&st, NULL)) == 0 &&
		(rc = platci_flux_status_read_buffer(st, "in.json", i->data, i->len, NULL)) == 0 &&
		(rc = platci_flux_status_ready(st, &why)) >= 0)
		rc = why.error ? why.error : 0;
	platci_buf_dispose(&why);
	platci_flux_status_free(st);
	return rc;
}

static int fingerprint_cb(const platci_tfplan_change *c, void *payload)
{
	return platci_plan_fingerprint_add(payload, c);
}

/*
 * The fingerprint of changes past the summary, whose `after` comes as text:
 * written from the text, and from the value the builder makes of it where
 * the text alone cannot say (a real, an escaped key).
 */
static int tfplan_after_text(void *p)
{
	static const char plan_json[] =
		"{\"format_version\":\"1.2\",\"resource_changes\":["
		"{\"address\":\"x.a\",\"type\":\"x\",\"change\":{\"actions\":[\"update\"],"
		"\"after\":{\"v\":1}}},"
		"{\"address\":\"x.b\",\"type\":\"x\",\"change\":{\"actions\":[\"update\"],"
		"\"after\":{\"s\":\"a\\u00e9\",\"n\":[1,{\"q\":true}]},\"after_unknown\":{\"id\":true},"
		"\"after_sensitive\":{\"n\":[true]}}},"
		"{\"address\":\"x.c\",\"type\":\"x\",\"change\":{\"actions\":[\"create\"],"
		"\"after\":{\"r\":1.5,\"k\\u0061\":2}}}]}";
	platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
	platci_plan_fingerprint *fp = NULL;
	platci_tfplan *plan = NULL;
	int rc;

	(void)p;
	if ((rc = platci_plan_fingerprint_new(&fp, "dev")) < 0)
		return rc;
	o.on_change = fingerprint_cb;
	o.payload = fp;
	o.max_entries = 1;
	o.callback_values = PLATCI_TFPLAN_VALUES_NO_BEFORE | PLATCI_TFPLAN_VALUES_AFTER_TEXT;
	if ((rc = platci_tfplan_read_buffer(&plan, plan_json, sizeof(plan_json) - 1, &o, NULL)) == 0)
		rc = platci_plan_fingerprint_finish(fp);
	platci_tfplan_free(plan);
	platci_plan_fingerprint_free(fp);
	return rc;
}

Test(allocfail, json_stream_plan_trivy_fluxstatus)
{
	input plan = in("fuzz/corpus/tfplan/small.json"), tr = in("fuzz/corpus/trivy/small.json"),
	      fs = in("fuzz/corpus/fluxstatus/small.json");

	af_exhaust("platci_json_stream", json_stream, &plan);
	af_exhaust("platci_tfplan_read_buffer", tfplan, &plan);
	af_exhaust("platci_tfplan_read_buffer, after as text", tfplan_after_text, NULL);
	af_exhaust("platci_trivy_read_buffer", trivy, &tr);
	af_exhaust("platci_flux_status_read_buffer", fluxstatus, &fs);
	done(&plan);
	done(&tr);
	done(&fs);
}

/* ---- rule files ---------------------------------------------------------------- */

static int policy(void *p)
{
	input *i = p;
	platci_policy *pol = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_policy_load_buffer(&pol, "manifests.yaml", i->data, i->len, NULL, 1767225600, diag);
	platci_policy_free(pol);
	platci_diag_free(diag);
	return rc;
}

static int drift_policy(void *p)
{
	input *i = p;
	platci_drift_policy *pol = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_drift_policy_load_buffer(&pol, "drift.yaml", i->data, i->len, NULL, diag);
	platci_drift_policy_free(pol);
	platci_diag_free(diag);
	return rc;
}

static int gate_policy(void *p)
{
	input *i = p;
	platci_gate_policy *pol = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_gate_policy_load(&pol, i->path, NULL, diag);
	platci_gate_policy_free(pol);
	platci_diag_free(diag);
	return rc;
}

static int scan_policy(void *p)
{
	input *i = p;
	platci_scan_policy *pol = NULL;
	platci_diag *diag = NULL;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_scan_policy_load(&pol, i->path, NULL, diag);
	platci_scan_policy_free(pol);
	platci_diag_free(diag);
	return rc;
}

Test(allocfail, rule_files)
{
	input pol = in("policies/manifests.yaml"), drift = in("policies/drift.yaml"),
	      gates = in("policies/gates.yaml"), scan = in("policies/scan.yaml");

	af_exhaust("platci_policy_load_buffer", policy, &pol);
	af_exhaust("platci_drift_policy_load_buffer", drift_policy, &drift);
	af_exhaust("platci_gate_policy_load", gate_policy, &gates);
	af_exhaust("platci_scan_policy_load", scan_policy, &scan);
	done(&pol);
	done(&drift);
	done(&gates);
	done(&scan);
}

/* ---- query, in-place edits, HCL --------------------------------------------------- */

static int query(void *p)
{
	input *i = p;
	platci_query *q = NULL;
	platci_doc *doc = NULL;
	int rc;

	if ((rc = platci_query_compile(&q, "spec.template.spec.containers[*][\"image\"]", NULL)) == 0 &&
		(rc = platci_doc_load_buffer(&doc, "in.yaml", i->data, i->len, NULL, NULL)) == 0)
		platci_query_nodes(q, platci_doc_root_at(doc, 0), NULL, NULL);
	platci_doc_free(doc);
	platci_query_free(q);
	return rc;
}

static int yamledit(void *p)
{
	input *i = p;
	platci_yamledit e[2] = { { 0, 0, "v2.0.0", PLATCI_STYLE_DOUBLE_QUOTED, 0 },
		{ 0, 0, "# raw\n", PLATCI_STYLE_PLAIN, 1 } };
	platci_buf out = PLATCI_BUF_INIT;
	platci_diag *diag = NULL;
	const char *at = strstr(i->data, "\"registry");
	int rc;

	e[0].start = (size_t)(at - i->data);
	e[0].end = e[0].start + strlen("\"registry.example/web:1.2.3\"");
	if ((rc = with_diag(&diag)) < 0)
		return rc;
	rc = platci_yamledit_apply(&out, i->data, i->len, e, 2, "in.yaml", diag);
	platci_buf_dispose(&out);
	platci_diag_free(diag);
	return rc;
}

static int hcl(void *p)
{
	input *i = p;
	platci_diag *diag = NULL;
	hcl_file f;
	int rc;

	if ((rc = with_diag(&diag)) < 0)
		return rc;
	if ((rc = platci__hcl_scan(&f, i->data, i->len, "in.tf", diag)) == 0)
		platci__hcl_dispose(&f);
	platci_diag_free(diag);
	return rc;
}

Test(allocfail, query_yamledit_hcl)
{
	input y = in("fuzz/corpus/yamledit/setters.yaml"), tf = in("fuzz/corpus/hcl/facts.tf");

	af_exhaust("platci_query", query, &y);
	af_exhaust("platci_yamledit_apply", yamledit, &y);
	af_exhaust("platci__hcl_scan", hcl, &tf);
	done(&y);
	done(&tf);
}

/* ---- report writers ------------------------------------------------------------ */

static int writers(void *p)
{
	const platci_findings *list = p;
	platci_report_options o = PLATCI_REPORT_OPTIONS_INIT;
	platci_buf out = PLATCI_BUF_INIT;
	platci_junit *j = NULL;
	int rc;

	o.stage = "validate";
	o.title = "platci validate";
	o.env = "prd";
	if ((rc = platci_report_findings_json(&out, list, &o)) == 0 &&
		(rc = platci_report_codequality(&out, list)) == 0 &&
		(rc = platci_report_summary(&out, list, &o)) == 0 && (rc = platci_junit_new(&j)) == 0 &&
		(rc = platci_junit_add_findings(j, "validate", list, NULL)) == 0)
		rc = platci_junit_render(&out, j, "validate");
	platci_junit_free(j);
	platci_buf_dispose(&out);
	return rc;
}

Test(allocfail, report_writers)
{
	platci_findings *list = NULL;
	platci_finding f = { "yaml.duplicate-key", PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY,
		"duplicate key \"a\" <b>", "apps/x.yaml", 3, 5, "prd", NULL, NULL, "details & more",
		"", PLATCI_BASELINE_NEW };

	cr_assert_eq(platci_findings_new(&list), 0);
	cr_assert_eq(platci_findings_add(list, &f), 0);
	f.rule_id = "k8s.latest-tag";
	f.enforcement = PLATCI_ENFORCE_WARN;
	f.env = NULL;
	cr_assert_eq(platci_findings_add(list, &f), 0);
	af_exhaust("report writers", writers, list);
	platci_findings_free(list);
}
