#include "test_helpers.h"

static char *dir;

static void setup(void)
{
	dir = th_tmpdir();
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(gate, .init = setup, .fini = teardown);

static const char policy_yaml[] =
	"version: 1\n"
	"timezone: Asia/Dubai\n"
	"defaults:\n"
	"  destroy: require-label\n"
	"  protected_types: [azurerm_key_vault]\n"
	"environments:\n"
	"  dev:\n"
	"    destroy: allow\n"
	"  stg:\n"
	"    require_promotion: true\n"
	"    min_approvals: 1\n"
	"    max_changes: 2\n"
	"  prd:\n"
	"    require_promotion: true\n"
	"    min_approvals: 2\n"
	"    destroy_extra_approvals: 1\n"
	"    freeze:\n"
	"      - name: weekend\n"
	"        weekly: {from: \"fri 16:00\", to: \"mon 08:00\"}\n"
	"      - name: year-end\n"
	"        from: \"2026-12-24 00:00\"\n"
	"        to: \"2027-01-04 08:00\"\n";

static platci_gate_policy *policy(const char *yaml)
{
	platci_gate_policy *p = NULL;
	char *path = th_write(dir, "gates.yaml", yaml, strlen(yaml));
	int rc = platci_gate_policy_load(&p, path, NULL, NULL);
	cr_assert_eq(rc, 0, "policy load: %d", rc);
	free(path);
	return p;
}

static int load_error(const char *yaml, char *msg, size_t size, size_t *line)
{
	platci_gate_policy *p = NULL;
	platci_diag *d = NULL;
	char *path = th_write(dir, "bad.yaml", yaml, strlen(yaml));
	int rc;

	cr_assert_eq(platci_diag_new(&d), 0);
	rc = platci_gate_policy_load(&p, path, NULL, d);
	cr_assert_null(p);
	snprintf(msg, size, "%s", platci_diag_count(d) ? platci_diag_at(d, 0)->message : "");
	*line = platci_diag_count(d) ? platci_diag_at(d, 0)->line : 0;
	platci_diag_free(d);
	free(path);
	return rc;
}

static time_t T(const char *s)
{
	/* UTC times for the tests, without the TZ environment */
	int y, mo, d, h, mi;
	struct tm tm;
	cr_assert_eq(sscanf(s, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static platci_tfplan *plan(const char *actions_json, const char *type)
{
	char buf[800];
	platci_tfplan *p = NULL;
	snprintf(buf, sizeof(buf),
		"{\"format_version\":\"1.2\",\"applyable\":true,\"complete\":true,"
		"\"errored\":false,\"resource_changes\":[{\"address\":\"%s.x\",\"type\":\"%s\","
		"\"change\":{\"actions\":%s}}]}",
		type, type, actions_json);
	cr_assert_eq(platci_tfplan_read_buffer(&p, buf, strlen(buf), NULL, NULL), 0);
	return p;
}

static platci_facts *facts(const char *json)
{
	json_error_t e;
	json_t *doc = json_loads(json, 0, &e);
	platci_facts *f = NULL;
	cr_assert_not_null(doc, "%s", e.text);
	cr_assert_eq(platci_facts_from_json(&f, doc, NULL), 0);
	json_decref(doc);
	return f;
}

static const platci_gate_rule *find(const platci_gate_result *r, const char *id)
{
	for (size_t i = 0; i < platci_gate_result_count(r); i++)
		if (strcmp(platci_gate_result_rule_at(r, i)->id, id) == 0)
			return platci_gate_result_rule_at(r, i);
	cr_assert_fail("no rule %s", id);
	return NULL;
}

static platci_gate_result *eval(platci_gate_policy *pol, platci_tfplan *pl, platci_facts *f,
	const char *env, const char *from, const char *now)
{
	platci_gate_options o = PLATCI_GATE_OPTIONS_INIT;
	platci_gate_result *r = NULL;
	o.env = env;
	o.promote_from = from;
	o.now = T(now);
	cr_assert_eq(platci_gate_evaluate(&r, pol, pl, f, &o), 0);
	return r;
}

#define SHA "4f2c9e1b7a3d5e6f8091a2b3c4d5e6f708192a3b"
static const char good_facts[] = "{\"version\":1,\"commit_sha\":\"" SHA
				 "\","
				 "\"merge_request\":{\"iid\":1,\"labels\":[],\"approvals\":{\"count\":2}},"
				 "\"deployments\":{\"stg\":[{\"sha\":\"" SHA
				 "\",\"status\":\"success\"}],"
				 "\"dev\":[{\"sha\":\"" SHA "\",\"status\":\"success\"}]}}";

Test(gate, allow_when_every_rule_passes)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_facts *f = facts(good_facts);
	platci_gate_result *r = eval(pol, pl, f, "prd", "stg", "2026-11-26T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_ALLOW);
	cr_assert_eq(find(r, "gate.approvals")->outcome, PLATCI_GATE_PASS);
	cr_assert_eq(find(r, "gate.promotion")->outcome, PLATCI_GATE_PASS);
	platci_gate_result_free(r);
	platci_facts_free(f);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, too_few_approvals_needs_approval)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_facts *f = facts("{\"version\":1,\"commit_sha\":\"" SHA
				"\",\"merge_request\":"
				"{\"approvals\":{\"count\":0}},\"deployments\":{\"dev\":[{\"sha\":\"" SHA
				"\","
				"\"status\":\"success\"}]}}");
	platci_gate_result *r = eval(pol, pl, f, "stg", "dev", "2026-11-26T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_NEEDS_APPROVAL);
	cr_assert(strstr(find(r, "gate.approvals")->reason, "0 of 1") != NULL);
	platci_gate_result_free(r);
	platci_facts_free(f);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, missing_facts_never_pass)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_gate_result *r = eval(pol, pl, NULL, "stg", "dev", "2026-11-26T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(find(r, "gate.promotion")->outcome, PLATCI_GATE_FAIL);
	cr_assert(strstr(find(r, "gate.promotion")->reason, "commit is not known") != NULL);
	cr_assert_eq(find(r, "gate.approvals")->outcome, PLATCI_GATE_APPROVAL);
	cr_assert(strstr(find(r, "gate.approvals")->reason, "missing") != NULL);
	platci_gate_result_free(r);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, promotion_needs_a_successful_deployment_of_this_commit)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_facts *f = facts("{\"version\":1,\"commit_sha\":\"" SHA
				"\",\"merge_request\":"
				"{\"approvals\":{\"count\":5}},\"deployments\":{\"stg\":[{\"sha\":\"" SHA
				"\","
				"\"status\":\"failed\"},{\"sha\":\"other\",\"status\":\"success\"}]}}");
	platci_facts *none = facts("{\"version\":1,\"commit_sha\":\"" SHA "\"}");
	platci_gate_result *r = eval(pol, pl, f, "prd", "stg", "2026-11-26T10:00");
	platci_gate_result *r2 = eval(pol, pl, none, "prd", "stg", "2026-11-26T10:00");

	cr_assert_eq(find(r, "gate.promotion")->outcome, PLATCI_GATE_FAIL);
	cr_assert(strstr(find(r, "gate.promotion")->reason, "no successful deployment") != NULL);
	cr_assert(strstr(find(r2, "gate.promotion")->reason, "no deployment facts") != NULL);
	platci_gate_result_free(r);
	platci_gate_result_free(r2);
	platci_facts_free(f);
	platci_facts_free(none);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, freeze_window_edges_in_dubai_time)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_buf why = PLATCI_BUF_INIT;

	/* fri 16:00 in Dubai is fri 12:00 UTC: start inclusive */
	cr_assert_eq(platci_gate_policy_frozen(&why, pol, "prd", T("2026-11-27T11:59")), 0);
	cr_assert_eq(why.size, 0, "not frozen, yet a reason: %s", why.ptr);
	cr_assert_eq(platci_gate_policy_frozen(&why, pol, "prd", T("2026-11-27T12:00")), 1);
	cr_assert(strstr(why.ptr, "weekend") != NULL, "%s", why.ptr);
	/* spans the week boundary: sunday is frozen */
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "prd", T("2026-11-29T20:00")), 1);
	/* mon 08:00 Dubai = mon 04:00 UTC: end exclusive */
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "prd", T("2026-11-30T03:59")), 1);
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "prd", T("2026-11-30T04:00")), 0);
	/* date range, local midnight = 20:00 UTC the day before */
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "prd", T("2026-12-23T19:59")), 0);
	platci_buf_clear(&why);
	cr_assert_eq(platci_gate_policy_frozen(&why, pol, "prd", T("2026-12-23T20:00")), 1);
	cr_assert(strstr(why.ptr, "year-end") != NULL, "%s", why.ptr);
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "prd", T("2027-01-04T04:00")), 0);
	/* other environments are not frozen */
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "dev", T("2026-11-29T20:00")), 0);
	cr_assert_eq(platci_gate_policy_frozen(NULL, NULL, "prd", T("2026-11-29T20:00")), PLATCI_EINVALID);
	platci_buf_dispose(&why);
	platci_gate_policy_free(pol);
}

Test(gate, a_freeze_reason_that_cannot_be_written_is_an_error_not_a_thaw)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_buf why;

	platci_buf_init(&why, 8);
	cr_assert_eq(platci_gate_policy_frozen(&why, pol, "prd", T("2026-11-27T12:00")), PLATCI_ELIMIT);
	/* not frozen: nothing to write, no error */
	platci_buf_clear(&why);
	cr_assert_eq(platci_gate_policy_frozen(&why, pol, "prd", T("2026-11-27T11:59")), 0);
	platci_buf_dispose(&why);
	platci_gate_policy_free(pol);
}

Test(gate, freeze_denies)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_facts *f = facts(good_facts);
	platci_gate_result *r = eval(pol, pl, f, "prd", "stg", "2026-11-28T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(find(r, "gate.freeze")->outcome, PLATCI_GATE_FAIL);
	platci_gate_result_free(r);
	platci_facts_free(f);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, destroy_in_prd_with_and_without_the_label)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *pl = plan("[\"delete\",\"create\"]", "azurerm_key_vault");
	platci_facts *f = facts(good_facts);
	platci_facts *labelled = facts(
		"{\"version\":1,\"commit_sha\":\"" SHA
		"\","
		"\"merge_request\":{\"labels\":[\"allow-destroy\"],\"approvals\":{\"count\":2}},"
		"\"deployments\":{\"stg\":[{\"sha\":\"" SHA "\",\"status\":\"success\"}]}}");
	platci_facts *more = facts(
		"{\"version\":1,\"commit_sha\":\"" SHA
		"\","
		"\"merge_request\":{\"labels\":[\"allow-destroy\"],\"approvals\":{\"count\":3}},"
		"\"deployments\":{\"stg\":[{\"sha\":\"" SHA "\",\"status\":\"success\"}]}}");
	platci_gate_result *r = eval(pol, pl, f, "prd", "stg", "2026-11-26T10:00");
	platci_gate_result *r2 = eval(pol, pl, labelled, "prd", "stg", "2026-11-26T10:00");
	platci_gate_result *r3 = eval(pol, pl, more, "prd", "stg", "2026-11-26T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(find(r, "gate.destroy")->outcome, PLATCI_GATE_FAIL);
	cr_assert_eq(find(r, "gate.protected-types")->outcome, PLATCI_GATE_FAIL);
	/* the label lifts both, but the extra approval is still owed */
	cr_assert_eq(find(r2, "gate.destroy")->outcome, PLATCI_GATE_PASS);
	cr_assert_eq(find(r2, "gate.protected-types")->outcome, PLATCI_GATE_PASS);
	cr_assert_eq(platci_gate_result_decision(r2), PLATCI_GATE_NEEDS_APPROVAL);
	cr_assert_eq(platci_gate_result_decision(r3), PLATCI_GATE_ALLOW);
	platci_gate_result_free(r);
	platci_gate_result_free(r2);
	platci_gate_result_free(r3);
	platci_facts_free(f);
	platci_facts_free(labelled);
	platci_facts_free(more);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, protected_types_need_the_label_even_where_destroy_is_allowed)
{
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *kv = plan("[\"delete\"]", "azurerm_key_vault");
	platci_tfplan *subnet = plan("[\"delete\"]", "azurerm_subnet");
	platci_facts *f = facts(good_facts);
	platci_gate_result *r = eval(pol, kv, f, "dev", NULL, "2026-11-26T10:00");
	platci_gate_result *r2 = eval(pol, subnet, f, "dev", NULL, "2026-11-26T10:00");

	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(find(r, "gate.destroy")->outcome, PLATCI_GATE_PASS);
	cr_assert_eq(platci_gate_result_decision(r2), PLATCI_GATE_ALLOW);
	platci_gate_result_free(r);
	platci_gate_result_free(r2);
	platci_facts_free(f);
	platci_tfplan_free(kv);
	platci_tfplan_free(subnet);
	platci_gate_policy_free(pol);
}

Test(gate, max_changes_and_errored_plans_deny)
{
	static const char errored[] =
		"{\"format_version\":\"1.2\",\"errored\":true,"
		"\"applyable\":false,\"complete\":false,\"resource_changes\":[]}";
	static const char many[] =
		"{\"format_version\":\"1.2\",\"resource_changes\":["
		"{\"address\":\"a.a\",\"type\":\"a\",\"change\":{\"actions\":[\"create\"]}},"
		"{\"address\":\"a.b\",\"type\":\"a\",\"change\":{\"actions\":[\"create\"]}},"
		"{\"address\":\"a.c\",\"type\":\"a\",\"change\":{\"actions\":[\"update\"]}}]}";
	platci_gate_policy *pol = policy(policy_yaml);
	platci_tfplan *e = NULL, *m = NULL;
	platci_facts *f = facts(good_facts);
	platci_gate_result *r, *r2;

	cr_assert_eq(platci_tfplan_read_buffer(&e, errored, sizeof(errored) - 1, NULL, NULL), 0);
	cr_assert_eq(platci_tfplan_read_buffer(&m, many, sizeof(many) - 1, NULL, NULL), 0);
	r = eval(pol, e, f, "dev", NULL, "2026-11-26T10:00");
	r2 = eval(pol, m, f, "stg", "dev", "2026-11-26T10:00");
	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(find(r, "gate.plan-valid")->outcome, PLATCI_GATE_FAIL);
	cr_assert_eq(find(r2, "gate.max-changes")->outcome, PLATCI_GATE_FAIL);
	cr_assert(strstr(find(r2, "gate.max-changes")->reason, "3 changes") != NULL);
	platci_gate_result_free(r);
	platci_gate_result_free(r2);
	platci_facts_free(f);
	platci_tfplan_free(e);
	platci_tfplan_free(m);
	platci_gate_policy_free(pol);
}

Test(gate, bad_policies_name_the_line)
{
	char msg[400];
	size_t line;

	cr_assert_eq(load_error("version: 1\nenvironments:\n  dev:\n    min_aprovals: 2\n", msg,
			     sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "min_aprovals") != NULL, "%s", msg);
	cr_assert_eq(line, 4);
	cr_assert_eq(load_error("version: 1\ntimezone: Europe/Berlin\n", msg, sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "unknown time zone") != NULL, "%s", msg);
	cr_assert_eq(load_error("version: 1\ndefaults:\n  freeze:\n    - name: x\n      weekly: "
				"{from: \"friday 16:00\", to: \"sun 08:00\"}\n",
			     msg, sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert_eq(line, 5);
	cr_assert_eq(load_error("version: 2\n", msg, sizeof(msg), &line), PLATCI_EVERSION);
	cr_assert_eq(load_error("version: 1\ndefaults:\n  destroy: maybe\n", msg, sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert_eq(load_error("version: 1\n  bad: [\n", msg, sizeof(msg), &line), PLATCI_ESYNTAX);
}

Test(gate, facts_shape_is_checked)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"version\":2}",
		"{\"version\":1,\"commit_sha\":5}",
		"{\"version\":1,\"merge_request\":{\"labels\":\"x\"}}",
		"{\"version\":1,\"merge_request\":{\"approvals\":{\"count\":-1}}}",
		"{\"version\":1,\"deployments\":{\"dev\":[{\"sha\":\"a\",\"status\":\"done\"}]}}",
		("{\"version\":1,\"deployments\":{\"dev\":[{\"sha\":\"a\",\"status\":\"success\","
		 "\"finished_at\":\"yesterday\"}]}}"),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = json_loads(bad[i], 0, NULL);
		platci_facts *f = NULL;
		int rc = platci_facts_from_json(&f, doc, NULL);
		cr_assert_lt(rc, 0, "accepted: %s", bad[i]);
		cr_assert_null(f);
		json_decref(doc);
	}
}

Test(gate, time_zones_without_tz_state)
{
	static const char utc3[] =
		"version: 1\ntimezone: UTC+03:00\ndefaults:\n  freeze:\n"
		"    - name: n\n      weekly: {from: \"mon 00:00\", to: \"mon 01:00\"}\n";
	platci_gate_policy *pol = policy(utc3);
	/* mon 00:00 at +03:00 is sun 21:00 UTC */
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "any", T("2026-11-29T21:00")), 1);
	cr_assert_eq(platci_gate_policy_frozen(NULL, pol, "any", T("2026-11-29T22:00")), 0);
	platci_gate_policy_free(pol);
}

Test(gate, an_exception_waives_a_gate_rule_until_it_expires)
{
	char yaml[2048];
	platci_gate_policy *pol;
	platci_tfplan *pl = plan("[\"update\"]", "azurerm_subnet");
	platci_facts *f = facts(good_facts);
	platci_gate_result *r;

	snprintf(yaml, sizeof(yaml),
		"%sexceptions:\n  - rule: gate.freeze\n"
		"    environments: [prd]\n    reason: the TLS certificate renewal cannot wait\n"
		"    ticket: CHG-7\n    expires: 2026-11-28\n",
		policy_yaml);
	pol = policy(yaml);
	/* sat 2026-11-28 is in the weekend freeze; the exception holds through that day (Dubai) */
	r = eval(pol, pl, f, "prd", "stg", "2026-11-28T19:59");
	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_ALLOW);
	cr_assert_eq(find(r, "gate.freeze")->outcome, PLATCI_GATE_PASS);
	cr_assert(strstr(find(r, "gate.freeze")->reason,
			  "waived until the end of 2026-11-28 by "
			  "exception #1") != NULL,
		"%s", find(r, "gate.freeze")->reason);
	cr_assert(strstr(find(r, "gate.freeze")->reason, "CHG-7") != NULL);
	platci_gate_result_free(r);
	/* the first second after it, the freeze holds again and says which exception ended */
	r = eval(pol, pl, f, "prd", "stg", "2026-11-28T20:00");
	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert(strstr(find(r, "gate.freeze")->reason, "(exception #1 expired on 2026-11-28)") != NULL,
		"%s", find(r, "gate.freeze")->reason);
	platci_gate_result_free(r);
	/* other environments are not covered */
	r = eval(pol, pl, f, "stg", "dev", "2026-11-28T10:00");
	cr_assert(strstr(find(r, "gate.freeze")->reason, "waived") == NULL);
	platci_gate_result_free(r);
	platci_facts_free(f);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
}

Test(gate, exceptions_name_gate_rules)
{
	char msg[400];
	size_t line;

	cr_assert_eq(load_error("version: 1\nexceptions:\n  - rule: gate.frezee\n    reason: r\n"
				"    owner: o\n    expires: 2027-01-01\n",
			     msg, sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert_str_eq(msg,
		"exception names unknown gate rule \"gate.frezee\"; did you mean "
		"\"gate.freeze\"?");
	cr_assert_eq(line, 3);
	cr_assert_eq(load_error("version: 1\nexceptions:\n  - rule: gate.freeze\n    reason: r\n"
				"    expires: 2027-01-01\n",
			     msg, sizeof(msg), &line),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "needs \"owner\" or \"ticket\"") != NULL, "%s", msg);
}

Test(gate, a_refused_bundle_is_a_deny_with_its_reason)
{
	platci_gate_options o = PLATCI_GATE_OPTIONS_INIT;
	platci_diag_entry warn = { PLATCI_DIAG_WARNING, 0, "b.tar.gz", 0, 0, 0, NULL, NULL };
	platci_diag_entry err = { PLATCI_DIAG_ERROR, PLATCI_ECONFLICT, "b.tar.gz", 0, 0, 0, NULL, NULL };
	platci_gate_result *r = NULL;
	platci_findings *f = NULL;
	platci_junit *j = NULL;
	platci_buf md = PLATCI_BUF_INIT, xml = PLATCI_BUF_INIT;
	platci_diag *why = NULL;
	json_t *doc = NULL;
	char *text;

	cr_assert_eq(platci_diag_new(&why), 0);
	platci_diag_add(why, &warn, "not the reason");
	platci_diag_add(why, &err, "the bundle was planned for commit 1111111, this pipeline runs 2222222");
	o.env = "prd";
	o.now = 1764151200; /* 2025-11-26T10:00:00Z */
	o.commit_sha = "2222222";
	cr_assert_eq(platci_gate_refuse_bundle(&r, &o, why), 0);
	cr_assert_eq(platci_gate_result_decision(r), PLATCI_GATE_DENY);
	cr_assert_eq(platci_gate_result_count(r), 1);
	cr_assert_str_eq(platci_gate_result_rule_at(r, 0)->id, "gate.bundle");
	cr_assert_eq(platci_gate_result_rule_at(r, 0)->outcome, PLATCI_GATE_FAIL);
	/* decision.json as the runner used to build it by hand: the same keys, "plan": null */
	cr_assert_eq(platci_gate_result_to_json(&doc, r, NULL), 0);
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(text,
		"{\"commit_sha\":\"2222222\",\"decision\":\"deny\",\"env\":\"prd\","
		"\"now\":\"2025-11-26T10:00:00Z\",\"plan\":null,\"rules\":[{\"id\":\"gate.bundle\","
		"\"outcome\":\"deny\",\"reason\":\"the bundle was planned for commit 1111111, this pipeline "
		"runs 2222222\"}],\"version\":1}");
	free(text);
	json_decref(doc);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_gate_findings(f, r, "b.tar.gz"), 0);
	cr_assert_eq(platci_findings_count(f), 1);
	cr_assert_eq(platci_findings_at(f, 0)->enforcement, PLATCI_ENFORCE_DENY);
	cr_assert_str_eq(platci_findings_at(f, 0)->file, "b.tar.gz");
	cr_assert_eq(platci_junit_new(&j), 0);
	cr_assert_eq(platci_gate_junit(j, r), 0);
	cr_assert_eq(platci_junit_render(&xml, j, "gate"), 0);
	cr_assert(strstr(xml.ptr, "<failure") != NULL, "%s", xml.ptr);
	cr_assert_eq(platci_gate_render_md(&md, r), 0);
	cr_assert(strstr(md.ptr, "### Gate for prd: **deny**") != NULL, "%s", md.ptr);
	cr_assert(strstr(md.ptr, "`gate.bundle` | deny | the bundle was planned") != NULL, "%s", md.ptr);
	platci_gate_result_free(r);
	/* no error in the list: a generic reason, never an empty one */
	platci_diag_free(why);
	cr_assert_eq(platci_gate_refuse_bundle(&r, &o, NULL), 0);
	cr_assert_str_eq(platci_gate_result_rule_at(r, 0)->reason, "the plan bundle is refused");
	platci_gate_result_free(r);
	o.env = NULL;
	cr_assert_eq(platci_gate_refuse_bundle(&r, &o, NULL), PLATCI_EINVALID);
	platci_buf_dispose(&md);
	platci_buf_dispose(&xml);
	platci_junit_free(j);
	platci_findings_free(f);
}
