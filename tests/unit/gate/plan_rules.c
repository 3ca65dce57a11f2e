/*
 * Issue 18: one test per new rule kind. Plan policy rules (a tag missing,
 * an open NSG, an unknown value, an expired exception), the reviewed plan
 * against the applied one, soak time and cost, and no planted secret in
 * any message.
 */
#include "test_helpers.h"
#include "plan_value.h"

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

TestSuite(plan_rules, .init = setup, .fini = teardown);

#define SECRET "PLANTED-s3cret-plan-rules"

static const char plan_policy[] =
	"apiVersion: platci/v1alpha1\n"
	"kind: PlanPolicy\n"
	"enforcement: {default: deny}\n"
	"rules:\n"
	"  - id: T-TAGS\n"
	"    match: {types: [azurerm_key_vault, azurerm_storage_account]}\n"
	"    require:\n"
	"      - {path: tags.team, exists: true}\n"
	"  - id: T-NSG\n"
	"    match: {types: [azurerm_network_security_rule], environments: [stg]}\n"
	"    require:\n"
	"      - not:\n"
	"          - allOf:\n"
	"              - {path: direction, equals: Inbound}\n"
	"              - {path: source_address_prefix, in: [\"*\", \"0.0.0.0/0\"]}\n"
	"  - id: T-KV\n"
	"    match: {types: [azurerm_key_vault], addresses: [\"module.kv.*\"]}\n"
	"    require:\n"
	"      - {path: purge_protection_enabled, equals: true}\n"
	"  - id: T-UNKNOWN-PASS\n"
	"    match: {types: [azurerm_storage_account]}\n"
	"    unknown: pass\n"
	"    require:\n"
	"      - {path: min_tls_version, equals: TLS1_2}\n"
	"  - id: T-SECRET\n"
	"    match: {types: [azurerm_key_vault_secret]}\n"
	"    require:\n"
	"      - {path: value, regex: \"^vault:\"}\n"
	"exceptions:\n"
	"  - rule: T-KV\n"
	"    match: {addresses: [\"module.kv.azurerm_key_vault.old\"]}\n"
	"    reason: the old vault goes away next sprint\n"
	"    owner: team-platform\n"
	"    expires: 2026-11-01\n";

/* A plan: a vault without team tag and purge protection, an open NSG rule, a storage
 * account whose TLS version is unknown until apply, and a secret planted in clear text. */
static const char plan_json[] =
	"{\"format_version\":\"1.2\",\"applyable\":true,\"complete\":true,\"errored\":false,"
	"\"resource_changes\":["
	"{\"address\":\"module.kv.azurerm_key_vault.old\",\"type\":\"azurerm_key_vault\","
	" \"change\":{\"actions\":[\"update\"],\"before\":{},\"after\":{\"purge_protection_enabled\":false,"
	"  \"tags\":{\"team\":\"platform\"}},\"after_unknown\":{},\"after_sensitive\":{}}},\n"
	"{\"address\":\"module.kv.azurerm_key_vault.new\",\"type\":\"azurerm_key_vault\","
	" \"change\":{\"actions\":[\"create\"],\"before\":null,\"after\":{\"purge_protection_enabled\":true,"
	"  \"tags\":{\"env\":\"stg\"}},\"after_unknown\":{},\"after_sensitive\":{}}},\n"
	"{\"address\":\"azurerm_network_security_rule.ssh\",\"type\":\"azurerm_network_security_rule\","
	" \"change\":{\"actions\":[\"create\"],\"before\":null,\"after\":{\"direction\":\"Inbound\","
	"  \"source_address_prefix\":\"0.0.0.0/0\"},\"after_unknown\":{},\"after_sensitive\":{}}},\n"
	"{\"address\":\"azurerm_storage_account.a\",\"type\":\"azurerm_storage_account\","
	" \"change\":{\"actions\":[\"create\"],\"before\":null,\"after\":{\"tags\":{\"team\":\"x\"}},"
	"  \"after_unknown\":{\"min_tls_version\":true},\"after_sensitive\":{}}},\n"
	"{\"address\":\"azurerm_storage_account.b\",\"type\":\"azurerm_storage_account\","
	" \"change\":{\"actions\":[\"create\"],\"before\":null,\"after\":{},"
	"  \"after_unknown\":{\"tags\":true},\"after_sensitive\":{}}},\n"
	"{\"address\":\"azurerm_key_vault_secret.db\",\"type\":\"azurerm_key_vault_secret\","
	" \"change\":{\"actions\":[\"update\"],\"before\":{\"value\":\"old\"},\"after\":{\"value\":\"" SECRET
	"\"},"
	"  \"after_unknown\":{},\"after_sensitive\":{\"value\":true}}}"
	"]}";

static time_t T(const char *s)
{
	time_t t = 0;
	cr_assert_eq(platci_time_parse_rfc3339(&t, s), 0, "%s", s);
	return t;
}

/* Reads the plan through the policy (env "stg") and the fingerprint. */
static platci_findings *judge(const char *json, platci_plan_fingerprint **fp_out, const char *now)
{
	platci_policy *p = NULL;
	platci_findings *f = NULL;
	platci_tfplan *plan = NULL;
	platci_plan_check chk = PLATCI_PLAN_CHECK_INIT;
	char *pp = th_write(dir, "plan.yaml", plan_policy, strlen(plan_policy));
	char *jp = th_write(dir, "plan.json", json, strlen(json));

	cr_assert_eq(platci_policy_load_file(&p, pp, "plan.yaml", NULL, T(now), NULL), 0);
	cr_assert(platci_policy_is_plan(p));
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_plan_fingerprint_new(&chk.fingerprint, "stg"), 0);
	chk.policy = p;
	chk.env = "stg";
	chk.file = "plan.json";
	chk.findings = f;
	cr_assert_eq(platci_plan_check_read_file(&plan, jp, &chk, NULL), 0);
	if (fp_out)
		*fp_out = chk.fingerprint;
	else
		platci_plan_fingerprint_free(chk.fingerprint);
	platci_tfplan_free(plan);
	platci_policy_free(p);
	free(pp);
	free(jp);
	return f;
}

static const platci_finding *find(const platci_findings *f, const char *rule, const char *addr)
{
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		if (strcmp(x->rule_id, rule) == 0 && (!addr || strstr(x->message, addr)))
			return x;
	}
	return NULL;
}

Test(plan_rules, a_missing_tag_is_a_deny_at_the_plan_line)
{
	platci_findings *f = judge(plan_json, NULL, "2026-10-01T00:00:00Z");
	const platci_finding *x = find(f, "T-TAGS", "azurerm_key_vault.new");

	cr_assert_not_null(x);
	cr_assert_eq(x->enforcement, PLATCI_ENFORCE_DENY);
	cr_assert_eq(x->line, 2, "the change's line in the plan JSON, not %zu", x->line);
	cr_assert(strstr(x->message, "tags.team must be set"), "%s", x->message);
	cr_assert_null(find(f, "T-TAGS", "azurerm_key_vault.old"), "the old vault has its tag");
	platci_findings_free(f);
}

Test(plan_rules, an_open_nsg_rule_is_denied_in_its_environments)
{
	platci_findings *f = judge(plan_json, NULL, "2026-10-01T00:00:00Z");
	const platci_finding *x = find(f, "T-NSG", "security_rule.ssh");

	cr_assert_not_null(x);
	cr_assert_eq(x->enforcement, PLATCI_ENFORCE_DENY);
	cr_assert(strstr(x->message, "matches a forbidden condition"), "%s", x->message);
	platci_findings_free(f);
}

Test(plan_rules, unknown_values_fail_unless_the_rule_lets_them_pass)
{
	platci_findings *f = judge(plan_json, NULL, "2026-10-01T00:00:00Z");
	const platci_finding *tags = find(f, "T-TAGS", "storage_account.b");

	/* tags unknown until apply: T-TAGS does not let unknown pass */
	cr_assert_not_null(tags);
	cr_assert(strstr(tags->message, "known only after apply"), "%s", tags->message);
	/* min_tls_version unknown: T-UNKNOWN-PASS says unknown passes */
	cr_assert_null(find(f, "T-UNKNOWN-PASS", "storage_account.a"));
	/* ... but a value that is simply missing still fails */
	cr_assert_not_null(find(f, "T-UNKNOWN-PASS", "storage_account.b"));
	platci_findings_free(f);
}

Test(plan_rules, an_exception_waives_until_it_expires)
{
	platci_findings *live = judge(plan_json, NULL, "2026-10-01T00:00:00Z");
	platci_findings *late = judge(plan_json, NULL, "2026-11-02T00:00:00Z");
	const platci_finding *a = find(live, "T-KV", "key_vault.old");
	const platci_finding *b = find(late, "T-KV", "key_vault.old");

	cr_assert(a && a->waiver, "live: waived");
	cr_assert(b && !b->waiver, "expired: the finding is back");
	cr_assert_not_null(find(late, "policy.exception-expired", NULL));
	cr_assert_null(find(live, "policy.exception-expired", NULL));
	platci_findings_free(live);
	platci_findings_free(late);
}

Test(plan_rules, sensitive_values_are_tested_but_never_printed)
{
	platci_plan_fingerprint *fp = NULL;
	platci_findings *f = judge(plan_json, &fp, "2026-10-01T00:00:00Z");
	platci_buf note = PLATCI_BUF_INIT, text = PLATCI_BUF_INIT;

	cr_assert_not_null(find(f, "T-SECRET", "secret.db"), "the secret was tested");
	for (size_t i = 0; i < platci_findings_count(f); i++)
		cr_assert_null(strstr(platci_findings_at(f, i)->message, SECRET));
	cr_assert_eq(platci_plan_fingerprint_render_note(&note, fp), 0);
	cr_assert_eq(platci_plan_fingerprint_render_json(&text, fp, 0), 0);
	cr_assert_null(strstr(note.ptr, SECRET));
	cr_assert_null(strstr(text.ptr, SECRET));
	platci_buf_dispose(&text);
	platci_buf_dispose(&note);
	platci_plan_fingerprint_free(fp);
	platci_findings_free(f);
}

/* ---- the gate's rules ---------------------------------------------------------------------- */

#define SHA "4f2c9e1b7a3d5e6f8091a2b3c4d5e6f708192a3b"

static const char gates_yaml[] =
	"version: 1\n"
	"environments:\n"
	"  prd:\n"
	"    min_soak: 24h\n"
	"    require_reviewed_plan: true\n"
	"    max_monthly_increase: 500\n";

static platci_gate_result *gate(const platci_gate_options *extra, const char *facts_json, const char *now)
{
	platci_gate_policy *pol = NULL;
	platci_tfplan *pl = NULL;
	platci_facts *facts = NULL;
	platci_gate_result *r = NULL;
	platci_gate_options o = *extra;
	char *gp = th_write(dir, "gates.yaml", gates_yaml, strlen(gates_yaml));
	json_t *doc = json_loads(facts_json, 0, NULL);

	cr_assert_not_null(doc);
	cr_assert_eq(platci_facts_from_json(&facts, doc, NULL), 0);
	cr_assert_eq(platci_gate_policy_load(&pol, gp, NULL, NULL), 0);
	cr_assert_eq(platci_tfplan_read_buffer(&pl, plan_json, strlen(plan_json), NULL, NULL), 0);
	o.env = "prd";
	o.promote_from = "stg";
	o.now = T(now);
	cr_assert_eq(platci_gate_evaluate(&r, pol, pl, facts, &o), 0);
	json_decref(doc);
	platci_facts_free(facts);
	platci_tfplan_free(pl);
	platci_gate_policy_free(pol);
	free(gp);
	return r;
}

static const platci_gate_rule *rule_of(const platci_gate_result *r, const char *id)
{
	for (size_t i = 0; i < platci_gate_result_count(r); i++)
		if (strcmp(platci_gate_result_rule_at(r, i)->id, id) == 0)
			return platci_gate_result_rule_at(r, i);
	cr_assert_fail("no rule %s", id);
	return NULL;
}

static const char facts_push[] =
	"{\"version\":1,\"commit_sha\":\"" SHA
	"\","
	"\"pipeline_source\":\"push\",\"deployments\":{\"stg\":["
	"{\"sha\":\"" SHA
	"\",\"status\":\"success\",\"finished_at\":\"2026-11-26T06:25:00Z\"},"
	"{\"sha\":\"" SHA
	"\",\"status\":\"success\",\"finished_at\":\"2026-11-25T18:00:00Z\"},"
	"{\"sha\":\"" SHA "\",\"status\":\"failed\",\"finished_at\":\"2026-11-20T00:00:00Z\"}]}}";

Test(plan_rules, soak_not_met_says_how_long_remains)
{
	platci_gate_options o = PLATCI_GATE_OPTIONS_INIT;
	platci_gate_result *early = gate(&o, facts_push, "2026-11-26T10:00:00Z");
	platci_gate_result *late = gate(&o, facts_push, "2026-11-26T18:00:00Z");
	const platci_gate_rule *a = rule_of(early, "gate.soak"), *b = rule_of(late, "gate.soak");

	/* the first success (18:00 the day before) starts the soak; the failed one does not */
	cr_assert_eq(a->outcome, PLATCI_GATE_FAIL);
	cr_assert(strstr(a->reason, "16h 0m of 1d 0h 0m; 8h 0m remain (until 2026-11-26T18:00:00Z)"),
		"%s", a->reason);
	cr_assert_eq(b->outcome, PLATCI_GATE_PASS, "%s", b->reason);
	platci_gate_result_free(early);
	platci_gate_result_free(late);
}

Test(plan_rules, cost_over_the_limit_needs_approval)
{
	platci_gate_options o = PLATCI_GATE_OPTIONS_INIT;
	platci_cost *over = NULL, *unpriced = NULL;
	platci_gate_result *r1, *r2, *r3;
	char *path = strdup(PLATCI_SOURCE_DIR "/tests/resources/infracost/two-envs.diff.json");
	char *path2 = strdup(PLATCI_SOURCE_DIR "/tests/resources/infracost/breakdown-unpriced.json");
	const platci_cost_totals *t;

	cr_assert_eq(platci_cost_load_file(&over, path, "prd-uaenorth", NULL), 0);
	t = platci_cost_get_totals(over);
	/* README: 2272.40 EUR, +812.40 from 1460.00 for prd's project */
	cr_assert_str_eq(t->currency, "EUR");
	cr_assert_float_eq(t->monthly, 2272.4, 1e-9);
	cr_assert_float_eq(t->diff_monthly, 812.4, 1e-9);
	cr_assert_float_eq(t->past_monthly, 1460.0, 1e-9);
	cr_assert_eq(platci_cost_load_file(&unpriced, path2, "prd", NULL), 0);
	cr_assert_eq(platci_cost_get_totals(unpriced)->known, 0);
	o.cost = over;
	r1 = gate(&o, facts_push, "2026-11-27T10:00:00Z");
	cr_assert_eq(rule_of(r1, "gate.cost")->outcome, PLATCI_GATE_APPROVAL);
	cr_assert(strstr(rule_of(r1, "gate.cost")->reason, "rises by 812.40 EUR"), "%s",
		rule_of(r1, "gate.cost")->reason);
	o.cost = unpriced;
	r2 = gate(&o, facts_push, "2026-11-27T10:00:00Z");
	cr_assert_eq(rule_of(r2, "gate.cost")->outcome, PLATCI_GATE_APPROVAL);
	o.cost = NULL;
	r3 = gate(&o, facts_push, "2026-11-27T10:00:00Z");
	cr_assert_eq(rule_of(r3, "gate.cost")->outcome, PLATCI_GATE_APPROVAL, "no estimate: wait");
	platci_gate_result_free(r1);
	platci_gate_result_free(r2);
	platci_gate_result_free(r3);
	platci_cost_free(over);
	platci_cost_free(unpriced);
	free(path);
	free(path2);
}

Test(plan_rules, a_plan_that_changed_since_review_needs_approval)
{
	platci_gate_options o = PLATCI_GATE_OPTIONS_INIT;
	platci_plan_fingerprint *now = NULL, *same = NULL, *old = NULL;
	platci_findings *f = judge(plan_json, &now, "2026-10-01T00:00:00Z");
	platci_buf note = PLATCI_BUF_INIT, edited = PLATCI_BUF_INIT;
	platci_gate_result *ok, *changed;
	const char *nsg;
	const platci_gate_rule *g;

	/* the note summarize writes reads back as the same fingerprint */
	platci_buf_puts(&note, "<!-- platci:plan:stg -->\n### platci plan\n\n");
	cr_assert_eq(platci_plan_fingerprint_render_note(&note, now), 0);
	cr_assert_eq(platci_plan_fingerprint_parse(&same, note.ptr, "stg", NULL), 0);
	cr_assert_str_eq(platci_plan_fingerprint_digest(same), platci_plan_fingerprint_digest(now));
	/* reviewed: the NSG rule (the first create by address) was not in it */
	nsg = strstr(note.ptr, "create ");
	cr_assert_not_null(nsg);
	platci_buf_put(&edited, note.ptr, (size_t)(nsg - note.ptr));
	platci_buf_puts(&edited, strchr(nsg, '\n') + 1);
	/* the reviewed note listed one change fewer */
	cr_assert_not_null(strstr(edited.ptr, "changes=6"));
	memcpy(strstr(edited.ptr, "changes=6"), "changes=5", 9);
	{
		char *h = strstr(edited.ptr, "sha256:") + 7; /* the reviewed digest was another */
		*h = *h == '0' ? '1' : '0';
	}
	cr_assert_eq(platci_plan_fingerprint_parse(&old, edited.ptr, "stg", NULL), 0);
	o.fingerprint = now;
	o.reviewed = same;
	o.reviewed_mr = 12;
	ok = gate(&o, facts_push, "2026-11-27T10:00:00Z");
	cr_assert_eq(rule_of(ok, "gate.reviewed-plan")->outcome, PLATCI_GATE_PASS);
	o.reviewed = old;
	changed = gate(&o, facts_push, "2026-11-27T10:00:00Z");
	g = rule_of(changed, "gate.reviewed-plan");
	cr_assert_eq(g->outcome, PLATCI_GATE_APPROVAL);
	cr_assert_eq(platci_gate_result_decision(changed), PLATCI_GATE_NEEDS_APPROVAL);
	cr_assert(strstr(g->reason, "since review"), "%s", g->reason);
	cr_assert(strstr(g->reason, "new since review"), "%s", g->reason);
	cr_assert_null(strchr(g->reason, '\n'), "one line: %s", g->reason);
	platci_gate_result_free(ok);
	platci_gate_result_free(changed);
	platci_buf_dispose(&note);
	platci_buf_dispose(&edited);
	platci_plan_fingerprint_free(now);
	platci_plan_fingerprint_free(same);
	platci_plan_fingerprint_free(old);
	platci_findings_free(f);
}

Test(plan_rules, facts_deployed_returns_codes_not_minus_one)
{
	json_t *doc = json_loads(facts_push, 0, NULL);
	platci_facts *f = NULL;
	time_t since = 0;
	int dep = -5;

	cr_assert_eq(platci_facts_from_json(&f, doc, NULL), 0);
	cr_assert_eq(platci_facts_deployed(&dep, &since, f, "stg", SHA), 0);
	cr_assert_eq(dep, 1);
	cr_assert_eq(since, T("2026-11-25T18:00:00Z"), "the earliest success");
	cr_assert_eq(platci_facts_deployed(&dep, &since, f, "dev", SHA), PLATCI_ENOTFOUND);
	cr_assert_eq(dep, 0);
	cr_assert_eq(platci_facts_deployed(&dep, NULL, f, "stg", "other"), 0);
	cr_assert_eq(dep, 0);
	cr_assert_eq(platci_facts_deployed(NULL, NULL, f, "stg", SHA), PLATCI_EINVALID);
	platci_facts_free(f);
	json_decref(doc);
}

static int load_error(const char *yaml, char *msg, size_t size)
{
	platci_policy *p = NULL;
	platci_diag *d = NULL;
	int rc;

	cr_assert_eq(platci_diag_new(&d), 0);
	rc = platci_policy_load_buffer(&p, "plan.yaml", yaml, strlen(yaml), NULL, 0, d);
	cr_assert_null(p);
	snprintf(msg, size, "%s", platci_diag_count(d) ? platci_diag_at(d, 0)->message : "");
	platci_diag_free(d);
	return rc;
}

Test(plan_rules, plan_and_manifest_keys_do_not_mix)
{
	char msg[400];

	cr_assert_eq(load_error("kind: PolicySet\nrules:\n  - id: A\n    match: {types: [x]}\n"
				"    require: [{path: a, exists: true}]\n",
			     msg, sizeof(msg)),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "need kind: PlanPolicy"), "%s", msg);
	cr_assert_eq(load_error("kind: PlanPolicy\nrules:\n  - id: A\n    match: {kinds: [Pod]}\n"
				"    require: [{path: a, exists: true}]\n",
			     msg, sizeof(msg)),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "not Kubernetes objects"), "%s", msg);
	cr_assert_eq(load_error("kind: PlanPolicy\nrules:\n  - id: A\n    match: {actions: [destroy]}\n"
				"    require: [{path: a, exists: true}]\n",
			     msg, sizeof(msg)),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "unknown action \"destroy\""), "%s", msg);
	cr_assert_eq(load_error("kind: PlanPolicy\nrules:\n  - id: A\n    unknown: maybe\n"
				"    require: [{path: a, exists: true}]\n",
			     msg, sizeof(msg)),
		PLATCI_EDATA);
	cr_assert(strstr(msg, "unknown"), "%s", msg);
}

/*
 * A change's digest is the SHA-256 of json_dumps(COMPACT | SORT_KEYS) of its
 * masked after: digests published before the fingerprint wrote that text
 * itself must still compare. Control characters (jansson writes \u001F in
 * upper case), keys that prefix others, non-ASCII text, reals and nesting.
 */
Test(plan_rules, fingerprint_digest_is_jansson_canonical_text)
{
	static const char after[] =
		"{\"b\":1,\"a\":{\"zz\":[true,false,null,-7,0.1,1e300,2.0],\"z\":\"x\\u001fy\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\"},"
		"\"ab\":\"\xc3\xa9\xe2\x82\xac\",\"a0\":{},\"\":[[]],\"k\":12345678901234}";
	platci_tfplan_change ch;
	platci_plan_fingerprint_entry e;
	platci_plan_fingerprint *fp = NULL;
	json_t *change, *v;
	char *text, want[PLATCI_SHA256_HEX_SIZE];

	memset(&ch, 0, sizeof(ch));
	cr_assert_not_null(v = json_loads(after, 0, NULL));
	cr_assert_not_null(change = json_pack("{s:[s], s:O, s:{}, s:{}}", "actions", "update",
				   "after", v, "after_unknown", "after_sensitive"));
	ch.source = PLATCI_TFPLAN_CHANGE;
	ch.address = "a.b";
	ch.action = PLATCI_TFPLAN_UPDATE;
	ch.change = change;
	cr_assert_eq(platci_plan_fingerprint_new(&fp, "dev"), 0);
	cr_assert_eq(platci_plan_fingerprint_add(fp, &ch), 0);
	cr_assert_eq(platci_plan_fingerprint_add(fp, &ch), 0, "the reused hash context gives the same");
	cr_assert_not_null(text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY));
	cr_assert_eq(platci_sha256_hex(want, text, strlen(text)), 0);
	cr_assert_eq(platci_plan_fingerprint_count(fp), 2);
	cr_assert_eq(platci_plan_fingerprint_at(&e, fp, 0), 0);
	cr_assert_str_eq(e.digest, want, "canonical text: %s", text);
	cr_assert_eq(platci_plan_fingerprint_at(&e, fp, 1), 0);
	cr_assert_str_eq(e.digest, want);
	cr_assert_str_eq(e.address, "a.b");
	cr_assert_str_eq(e.action, "update");
	cr_assert_eq(platci_plan_fingerprint_at(&e, fp, 2), PLATCI_ENOTFOUND);
	cr_assert_null(e.address);
	free(text);
	json_decref(v);
	json_decref(change);
	platci_plan_fingerprint_free(fp);
}

/*
 * The digest of @p change with its `after` given as @p after_text, as the
 * reader hands it over with PLATCI_TFPLAN_VALUES_AFTER_TEXT (`after` taken
 * out of the change), or PLATCI_ESYNTAX and no digest.
 */
static int digest_from_text(char out[PLATCI_SHA256_HEX_SIZE], const json_t *change, const char *after_text)
{
	platci_tfplan_change ch;
	platci_plan_fingerprint_entry e;
	platci_plan_fingerprint *fp = NULL;
	json_t *rest = json_copy((json_t *)change);
	int rc;

	json_object_del(rest, "after");
	memset(&ch, 0, sizeof(ch));
	ch.source = PLATCI_TFPLAN_CHANGE;
	ch.address = "a.b";
	ch.action = PLATCI_TFPLAN_UPDATE;
	ch.change = rest;
	ch.after_text = after_text;
	ch.after_text_len = strlen(after_text);
	cr_assert_eq(platci_plan_fingerprint_new(&fp, "dev"), 0);
	if ((rc = platci_plan_fingerprint_add(fp, &ch)) == 0) {
		cr_assert_eq(platci_plan_fingerprint_at(&e, fp, 0), 0);
		snprintf(out, PLATCI_SHA256_HEX_SIZE, "%s", e.digest);
	}
	platci_plan_fingerprint_free(fp);
	json_decref(rest);
	return rc;
}

/*
 * Holds the digest the fingerprint gives @p change to the pipeline it
 * replaced (platci_plan__after(masked), then json_dumps COMPACT |
 * SORT_KEYS | ENCODE_ANY); the expected text must hold @p must_hold.
 * With @p after_text (the text `after` was read from, an object or an
 * array), the digest from that text must be the same.
 */
static void digest_like_the_pipeline(json_t *change, const char *must_hold, const char *what,
	const char *after_text)
{
	platci_tfplan_change ch;
	platci_plan_fingerprint_entry e;
	platci_plan_fingerprint *fp = NULL;
	json_t *v = NULL;
	char *text, want[PLATCI_SHA256_HEX_SIZE];

	memset(&ch, 0, sizeof(ch));
	ch.source = PLATCI_TFPLAN_CHANGE;
	ch.address = "a.b";
	ch.action = PLATCI_TFPLAN_UPDATE;
	ch.change = change;
	cr_assert_eq(platci_plan__after(&v, &ch, 1), 0);
	cr_assert_not_null(text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY));
	cr_assert(!must_hold || strstr(text, must_hold), "%s: %s", what, text);
	cr_assert_eq(platci_sha256_hex(want, text, strlen(text)), 0);
	cr_assert_eq(platci_plan_fingerprint_new(&fp, "dev"), 0);
	cr_assert_eq(platci_plan_fingerprint_add(fp, &ch), 0);
	cr_assert_eq(platci_plan_fingerprint_at(&e, fp, 0), 0);
	cr_assert_str_eq(e.digest, want, "%s: want the digest of %s", what, text);
	if (after_text) {
		char got[PLATCI_SHA256_HEX_SIZE];
		cr_assert_eq(digest_from_text(got, change, after_text), 0, "%s: from text", what);
		cr_assert_str_eq(got, want, "%s: from the text %s, want the digest of %s", what,
			after_text, text);
	}
	free(text);
	json_decref(v);
	platci_plan_fingerprint_free(fp);
}

/*
 * The digest's text is written straight from after, after_sensitive and
 * after_unknown (plan_fingerprint_canon.c). Each case is held to what the
 * pipeline it replaced gave: platci_plan__after(masked), then jansson's
 * json_dumps(COMPACT | SORT_KEYS | ENCODE_ANY). The cases are the corners
 * of that pipeline: unknown over masked, unknown keys after lacks, markers
 * of the wrong shape, no after at all, keys out of order, and nesting past
 * the masking depth.
 */
Test(plan_rules, fingerprint_text_equals_the_masked_copy_pipeline)
{
	static const char *const cases[][3] = {
		/* after, after_sensitive, after_unknown */
		{ "{\"b\":1,\"a\":2}", "{}", "{}" },
		{ "{\"a\":\"s\",\"b\":{\"c\":\"t\",\"d\":[1,\"u\"]}}",
			"{\"a\":true,\"b\":{\"d\":[false,true]}}", "{}" },
		{ "{\"a\":\"s\"}", "{\"a\":true}", "{\"a\":true,\"z\":true,\"y\":false,\"x\":{\"q\":true}}" },
		{ "{\"a\":[1,2,3]}", "{}", "{\"a\":[false,true,false,true]}" },
		{ "{\"a\":[1,2]}", "{}", "{\"a\":{\"0\":true}}" },
		{ "{\"a\":{\"b\":1}}", "{\"a\":[true]}", "{\"a\":[true]}" },
		{ "{\"a\":1}", "true", "{\"b\":true}" },
		{ "null", "true", "{\"id\":true,\"name\":false}" },
		{ "null", "{}", "[true]" },
		{ "{\"a\":1}", "{}", "true" },
		{ "[1,{\"b\":2}]", "[false,{\"b\":true}]", "[false,{\"c\":true}]" },
		{ "\"text\"", "false", "false" },
		{ "{\"k\":1.5,\"j\":-0.0,\"i\":1e-7}", "{}", "{}" },
		{ "{\"z\":{},\"y\":[],\"x\":null,\"w\":\"\"}", "{\"z\":{},\"y\":[]}", "{\"x\":true}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *change = json_object();
		char what[32];

		json_object_set_new(change, "after", json_loads(cases[i][0], JSON_DECODE_ANY, NULL));
		json_object_set_new(change, "after_sensitive",
			json_loads(cases[i][1], JSON_DECODE_ANY, NULL));
		json_object_set_new(change, "after_unknown",
			json_loads(cases[i][2], JSON_DECODE_ANY, NULL));
		cr_assert_eq(json_object_size(change), 3, "case %zu does not parse", i);
		snprintf(what, sizeof(what), "case %zu", i);
		digest_like_the_pipeline(change, NULL, what,
			strchr("{[", cases[i][0][0]) ? cases[i][0] : NULL);
		json_decref(change);
	}
}

/* Nesting past PLATCI_REDACT_MAX_DEPTH is masked whole, as the masked copy did; unknown still wins. */
Test(plan_rules, fingerprint_text_masks_past_the_depth_cap_like_the_copy)
{
	for (int marked = 0; marked < 2; marked++) {
		platci_buf after = PLATCI_BUF_INIT, unknown = PLATCI_BUF_INIT;
		json_t *change = json_object();
		int depth = PLATCI_REDACT_MAX_DEPTH + 3;

		/* the marker reaches depth MAX + 1: the first position the copy masked */
		int reach = PLATCI_REDACT_MAX_DEPTH + 1;

		for (int i = 0; i < depth; i++)
			platci_buf_puts(&after, "{\"a\":");
		platci_buf_puts(&after, "1");
		for (int i = 0; i < depth; i++)
			platci_buf_putc(&after, '}');
		for (int i = 0; marked && i < reach; i++)
			platci_buf_puts(&unknown, i == reach - 1 ? "{\"a\":true" : "{\"a\":");
		if (!marked)
			platci_buf_puts(&unknown, "{");
		for (int i = 0; i < (marked ? reach : 1); i++)
			platci_buf_putc(&unknown, '}');
		json_object_set_new(change, "after", json_loads(after.ptr, 0, NULL));
		json_object_set_new(change, "after_unknown", json_loads(unknown.ptr, 0, NULL));
		cr_assert_eq(json_object_size(change), 2);
		digest_like_the_pipeline(change, marked ? PLATCI_UNKNOWN : PLATCI_REDACTED,
			marked ? "marked" : "not marked", after.ptr);
		json_decref(change);
		platci_buf_dispose(&after);
		platci_buf_dispose(&unknown);
	}
}

typedef struct two_paths {
	platci_plan_fingerprint *fp;
	int texts[2];
	size_t n;
} two_paths;

static int fingerprint_both(const platci_tfplan_change *c, void *payload)
{
	two_paths *t = payload;

	if (t->n < 2)
		t->texts[t->n++] = c->after_text != NULL;
	return platci_plan_fingerprint_add(t->fp, c);
}

/*
 * From the text of `after` (PLATCI_TFPLAN_VALUES_AFTER_TEXT) the digest is
 * the one of the value the reader would have built. Each case is read as
 * a plan with the same change twice and room in the summary for one: the
 * first is built (the summary shows it), the second comes as text, and
 * both digests must be the same. Blanks and key order as written do not
 * count, escapes are decoded and written the canonical way, and what only
 * jansson can say (a key with an escape, reals, -0, integers past 64 bits,
 * numbers longer than 63 bytes, which the reader keeps as strings) is
 * asked of the reader's own builder. A repeated key is refused either way.
 */
Test(plan_rules, fingerprint_from_the_text_of_after_is_the_built_value_s)
{
	static const char *const cases[][3] = {
		/* after as written, after_sensitive, after_unknown */
		{ "{ \"b\" : [ 1 , 2 ] ,\n\t\"a\" : { } }", "{}", "{}" },
		{ "{\"s\":\"a\\u00e9\\n\\/\\\"\\u001f\\ud83d\\ude00\",\"t\":\"\\u0000x\"}", "{}", "{}" },
		{ "{\"k\\u0061\":1,\"j\":2}", "{}", "{}" },
		{ "{\"n\":-12,\"z\":-0}", "{}", "{}" },
		{ "{\"n\":-12,\"r\":1.50}", "{}", "{}" },
		{ "{\"n\":-12,\"e\":1E2}", "{}", "{}" },
		{ "{\"n\":-12,\"big\":123456789012345678901,\"m\":999999999999999999}", "{}", "{}" },
		{ "{\"long\":1234567890123456789012345678901234567890123456789012345678901234567890}",
			"{}", "{}" },
		{ "{\"ab\":1,\"a0\":2,\"a\":3,\"\":4,\"\xc3\xa9\":5,\"z\":6}", "{\"a0\":true}", "{\"b\":true}" },
		{ "[{\"x\":1,\"w\":[true,false,null]},\"t\",[]]", "[{\"x\":true}]", "[false,{\"v\":true},true]" },
		{ "{\"a\":{\"q\":1,\"p\":{\"y\":\"\\\\\",\"x\":0}}}", "{\"a\":{}}",
			"{\"a\":{\"p\":{\"x\":true}}}" },
		{ "{\"a\":\"s\"}", "true", "true" },
		{ "{\"a\":\"s\",\"b\":{\"c\":1}}", "{\"b\":true}", "{\"b\":{\"c\":true},\"c\":[true]}" },
		{ "{\"a\":1,\"a\":2}", "{}", "{}" },
		{ "{\"x\":{\"q\":[{\"b\":1,\"b\":1}]}}", "{}", "{}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		platci_tfplan_options o = PLATCI_TFPLAN_OPTIONS_INIT;
		platci_buf plan = PLATCI_BUF_INIT;
		platci_plan_fingerprint_entry a, b;
		two_paths t = { NULL, { 0, 0 }, 0 };
		platci_tfplan *p = NULL;
		int rc, repeated = i >= 13;

		platci_buf_puts(&plan, "{\"format_version\":\"1.2\",\"resource_changes\":[");
		for (int k = 0; k < 2; k++)
			platci_buf_printf(&plan,
				"%s{\"address\":\"x.%c\",\"type\":\"x\",\"change\":{\"actions\":[\"update\"],"
				"\"after\":%s,\"after_sensitive\":%s,\"after_unknown\":%s}}",
				k ? "," : "", 'a' + k, cases[i][0], cases[i][1], cases[i][2]);
		platci_buf_puts(&plan, "]}");
		cr_assert_eq(platci_plan_fingerprint_new(&t.fp, "dev"), 0);
		o.on_change = fingerprint_both;
		o.payload = &t;
		o.max_entries = 1;
		o.callback_values = PLATCI_TFPLAN_VALUES_NO_BEFORE | PLATCI_TFPLAN_VALUES_AFTER_TEXT;
		rc = platci_tfplan_read_buffer(&p, plan.ptr, plan.size, &o, NULL);
		if (repeated) {
			cr_assert_eq(rc, PLATCI_ESYNTAX, "case %zu: a repeated key is refused", i);
		} else {
			cr_assert_eq(rc, 0, "case %zu", i);
			cr_assert_eq(t.n, 2);
			cr_assert(!t.texts[0] && t.texts[1], "case %zu: built, then text", i);
			cr_assert_eq(platci_plan_fingerprint_at(&a, t.fp, 0), 0);
			cr_assert_eq(platci_plan_fingerprint_at(&b, t.fp, 1), 0);
			cr_assert_str_eq(a.digest, b.digest, "case %zu: %s", i, cases[i][0]);
		}
		platci_tfplan_free(p);
		platci_plan_fingerprint_free(t.fp);
		platci_buf_dispose(&plan);
	}
	{
		/* given as text alone, a repeated key is refused, and nothing is added */
		json_t *change = json_pack("{s:{}, s:{}}", "after_sensitive", "after_unknown");
		char hex[PLATCI_SHA256_HEX_SIZE];
		cr_assert_eq(digest_from_text(hex, change, "{\"a\":{\"b\":1,\"b\":1}}"), PLATCI_ESYNTAX);
		json_decref(change);
	}
}
