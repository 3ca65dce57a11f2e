#include "test_helpers.h"

/* 2026-11-26T00:00:00Z */
#define NOW ((time_t)1795651200)

static platci_policy *shipped(void)
{
	platci_policy *p = NULL;
	platci_diag *diag = NULL;
	int rc;

	cr_assert_eq(platci_diag_new(&diag), 0);
	rc = platci_policy_load_file(&p, PLATCI_SOURCE_DIR "/policies/manifests.yaml",
		"policies/manifests.yaml", NULL, NOW, diag);
	if (rc != 0 && platci_diag_count(diag))
		cr_log_error("%s", platci_diag_at(diag, 0)->message);
	cr_assert_eq(rc, 0, "the shipped policy does not load: %d", rc);
	platci_diag_free(diag);
	return p;
}

/* Counts unwaived findings of @p rule when @p yaml (one or more documents) is evaluated in @p env. */
static size_t count_rule(const platci_policy *p, const char *yaml, const char *env, int prot,
	const char *rule)
{
	platci_doc *doc = NULL;
	platci_findings *f = NULL;
	platci_policy_target t[8];
	platci_policy_index *idx = NULL;
	size_t n = 0, nt;

	cr_assert_eq(platci_doc_load_buffer(&doc, "t.yaml", yaml, strlen(yaml), NULL, NULL), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	nt = platci_doc_count(doc);
	cr_assert_leq(nt, 8);
	for (size_t i = 0; i < nt; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].file = "gitops/t.yaml";
		t[i].doc = i;
		t[i].root = platci_doc_root_at(doc, i);
		t[i].env = env;
		t[i].env_protected = prot;
	}
	cr_assert_eq(platci_policy_index_new(&idx, t, nt), 0);
	for (size_t i = 0; i < nt; i++)
		cr_assert_eq(platci_policy_eval(p, idx, &t[i], f, NULL), 0);
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		if (!strcmp(x->rule_id, rule) && !x->waiver)
			n++;
	}
	platci_policy_index_free(idx);
	platci_findings_free(f);
	platci_doc_free(doc);
	return n;
}

#define LABELS "  labels: {team: a, owner: b, environment: dev, region: uaenorth}\n"
#define DEPLOY_HEAD \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\n" LABELS
#define RES \
	"          resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}\n"
#define CONTAINER(img) \
	"spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: " img "\n" RES

static const char good_deploy[] = DEPLOY_HEAD CONTAINER("acrplatform.azurecr.io/web:1.2.3");

Test(policy, shipped_rules_pass_a_good_workload)
{
	platci_policy *p = shipped();
	const char *rules[] = { "PCI-K8S-001", "PCI-K8S-002", "PCI-K8S-003", "PCI-K8S-004",
		"PCI-K8S-005", "PCI-K8S-006", "PCI-K8S-007", "PCI-K8S-008" };
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		cr_expect_eq(count_rule(p, good_deploy, "dev-uaenorth", 0, rules[i]), 0, "%s", rules[i]);
	platci_policy_free(p);
}

Test(policy, ownership_labels)
{
	platci_policy *p = shipped();
	const char *bad =
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
		"  labels: {team: a}\n" CONTAINER("acrplatform.azurecr.io/web:1.2.3");
	cr_expect_eq(count_rule(p, bad, NULL, 0, "PCI-K8S-001"), 3); /* owner, environment, region */
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-001"), 0);
	/* flux-system is excluded */
	cr_expect_eq(count_rule(p, "apiVersion: v1\nkind: Namespace\nmetadata: {name: flux-system}\n",
			     NULL, 0, "PCI-K8S-001"),
		0);
	platci_policy_free(p);
}

Test(policy, image_tags_are_parsed_not_matched)
{
	platci_policy *p = shipped();
	cr_expect_eq(count_rule(p, DEPLOY_HEAD CONTAINER("acrplatform.azurecr.io/web:latest"), NULL,
			     0, "PCI-K8S-002"),
		1);
	cr_expect_eq(count_rule(p, DEPLOY_HEAD CONTAINER("acrplatform.azurecr.io/web"), NULL, 0, "PCI-K8S-002"),
		1);
	/* a registry port is not a tag */
	cr_expect_eq(count_rule(p, DEPLOY_HEAD CONTAINER("acrplatform.azurecr.io:5000/web"), NULL,
			     0, "PCI-K8S-002"),
		1);
	/* a digest pins whatever the tag says */
	cr_expect_eq(count_rule(p,
			     DEPLOY_HEAD CONTAINER(
				     "acrplatform.azurecr.io/web:latest@sha256:"
				     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
			     NULL, 0, "PCI-K8S-002"),
		0);
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-002"), 0);
	platci_policy_free(p);
}

Test(policy, registry)
{
	platci_policy *p = shipped();
	cr_expect_eq(count_rule(p, DEPLOY_HEAD CONTAINER("nginx:1.25"), NULL, 0, "PCI-K8S-003"), 1);
	cr_expect_eq(count_rule(p, DEPLOY_HEAD CONTAINER("evil.io/acrplatform.azurecr.io/x:1"),
			     NULL, 0, "PCI-K8S-003"),
		1);
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-003"), 0);
	/* Flux's own controllers come from ghcr.io */
	cr_expect_eq(count_rule(p,
			     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: kc, namespace: flux-system}\n" CONTAINER(
				     "ghcr.io/fluxcd/kustomize-controller:v1.5.0"),
			     NULL, 0, "PCI-K8S-003"),
		0);
	platci_policy_free(p);
}

Test(policy, resources)
{
	platci_policy *p = shipped();
	const char *bad = DEPLOY_HEAD
		"spec:\n  template:\n    spec:\n      containers:\n"
		"        - name: c\n          image: acrplatform.azurecr.io/web:1\n"
		"          resources: {limits: {cpu: 1}}\n";
	cr_expect_eq(count_rule(p, bad, NULL, 0, "PCI-K8S-004"), 3);
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-004"), 0);
	platci_policy_free(p);
}

Test(policy, privileged_and_host_namespaces)
{
	platci_policy *p = shipped();
	const char *priv = DEPLOY_HEAD CONTAINER(
		"acrplatform.azurecr.io/web:1") "          securityContext: {privileged: true}\n";
	const char *quoted = DEPLOY_HEAD CONTAINER(
		"acrplatform.azurecr.io/web:1") "          securityContext: {privileged: \"false\"}\n";
	const char *unpriv = DEPLOY_HEAD CONTAINER(
		"acrplatform.azurecr.io/web:1") "          securityContext: {privileged: false}\n";
	const char *host = DEPLOY_HEAD
		"spec:\n  template:\n    spec:\n      hostNetwork: true\n"
		"      containers: []\n";
	cr_expect_eq(count_rule(p, priv, NULL, 0, "PCI-K8S-005"), 1);
	/* the string "false" is not the boolean false */
	cr_expect_eq(count_rule(p, quoted, NULL, 0, "PCI-K8S-005"), 1);
	cr_expect_eq(count_rule(p, unpriv, NULL, 0, "PCI-K8S-005"), 0);
	cr_expect_eq(count_rule(p, host, NULL, 0, "PCI-K8S-006"), 1);
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-006"), 0);
	platci_policy_free(p);
}

#define GPU(vendor, extra) \
	DEPLOY_HEAD \
	"spec:\n  template:\n    spec:\n" extra \
	"      containers:\n        - name: c\n          image: acrplatform.azurecr.io/t:1\n" \
	"          resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi, " vendor \
	": 1}}\n"

Test(policy, gpu_workloads)
{
	platci_policy *p = shipped();
	const char *ok_nv = GPU("nvidia.com/gpu",
		"      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n"
		"      nodeSelector: {accelerator: nvidia}\n");
	const char *ok_aff = GPU("amd.com/gpu",
		"      tolerations: [{key: amd.com/gpu, operator: Exists}]\n"
		"      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
		"            nodeSelectorTerms: [{matchExpressions: [{key: amd.com/gpu.present, operator: Exists}]}]\n");
	cr_expect_eq(count_rule(p, GPU("nvidia.com/gpu", ""), NULL, 0, "PCI-K8S-007"), 2);
	cr_expect_eq(count_rule(p, ok_nv, NULL, 0, "PCI-K8S-007"), 0);
	cr_expect_eq(count_rule(p, GPU("amd.com/gpu", "      tolerations: [{key: nvidia.com/gpu}]\n"),
			     NULL, 0, "PCI-K8S-008"),
		2);
	cr_expect_eq(count_rule(p, ok_aff, NULL, 0, "PCI-K8S-008"), 0);
	/* no GPU: the precondition skips the rule */
	cr_expect_eq(count_rule(p, good_deploy, NULL, 0, "PCI-K8S-007"), 0);
	platci_policy_free(p);
}

Test(policy, tenant_namespaces_need_default_deny)
{
	platci_policy *p = shipped();
	const char *ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n" LABELS;
	const char *deny =
		"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
		"metadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
	const char *allow =
		"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
		"metadata: {name: web, namespace: shop}\nspec: {podSelector: {matchLabels: {a: b}}, "
		"policyTypes: [Ingress]}\n";
	char buf[2048];

	cr_expect_eq(count_rule(p, ns, NULL, 0, "PCI-NET-001"), 1);
	snprintf(buf, sizeof(buf), "%s%s", ns, allow);
	cr_expect_eq(count_rule(p, buf, NULL, 0, "PCI-NET-001"), 1);
	snprintf(buf, sizeof(buf), "%s%s", ns, deny);
	cr_expect_eq(count_rule(p, buf, NULL, 0, "PCI-NET-001"), 0);
	platci_policy_free(p);
}

Test(policy, helm_versions_pinned_in_prd)
{
	platci_policy *p = shipped();
#define HR(v) \
	"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: x}\n" \
	"spec:\n  chart:\n    spec: {chart: x, version: \"" v "\"}\n"
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", HR(">=1.0.0"));
	cr_expect_eq(count_rule(p, buf, "prd-uaenorth", 1, "PCI-HELM-001"), 1);
	cr_expect_eq(count_rule(p, buf, "stg-uaenorth", 0, "PCI-HELM-001"), 0);
	snprintf(buf, sizeof(buf), "%s", HR("1.2.3"));
	cr_expect_eq(count_rule(p, buf, "prd-uaenorth", 1, "PCI-HELM-001"), 0);
	platci_policy_free(p);
}

static platci_policy *load_text(const char *text, int want, platci_diag **diag)
{
	platci_policy *p = NULL;
	cr_assert_eq(platci_diag_new(diag), 0);
	cr_assert_eq(platci_policy_load_buffer(&p, "p.yaml", text, strlen(text), NULL, NOW, *diag), want);
	return p;
}

static const char exc_policy[] =
	"rules:\n"
	"  - id: R1\n    match: {kinds: [ConfigMap]}\n    require: [{path: data.ok, equals: \"yes\"}]\n"
	"    enforcement: {default: deny}\n"
	"exceptions:\n"
	"  - {rule: R1, match: {names: [waived]}, reason: legacy, ticket: T-1, expires: \"2027-01-31\"}\n"
	"  - {rule: R1, match: {names: [old]}, reason: legacy, ticket: T-2, expires: \"2026-01-31\"}\n"
	"  - {rule: R1, match: {names: [nobody]}, reason: legacy, ticket: T-3, expires: \"2026-12-31\"}\n";

Test(policy, exceptions_waive_expire_and_go_stale)
{
	platci_diag *diag = NULL;
	platci_policy *p = load_text(exc_policy, 0, &diag);
	platci_findings *f = NULL;
	size_t usage[3] = { 0, 0, 0 };
	const char *names[] = { "waived", "old", "plain" };
	platci_findings_counts c;
	int expired = 0, unused = 0;

	cr_assert_eq(platci_findings_new(&f), 0);
	for (size_t i = 0; i < 3; i++) {
		char y[200];
		platci_doc *doc = NULL;
		platci_policy_target t;
		snprintf(y, sizeof(y), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n",
			names[i]);
		cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, strlen(y), NULL, NULL), 0);
		memset(&t, 0, sizeof(t));
		t.file = "x.yaml";
		t.root = platci_doc_root_at(doc, 0);
		cr_assert_eq(platci_policy_eval(p, NULL, &t, f, usage), 0);
		platci_doc_free(doc);
	}
	cr_assert_eq(platci_policy_apply(p, f, usage), 0);
	platci_findings_count_by(f, &c);
	cr_expect_eq(c.waived, 1);
	cr_expect_eq(c.deny, 2, "the expired exception lets its finding through");
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const char *r = platci_findings_at(f, i)->rule_id;
		expired += !strcmp(r, "policy.exception-expired");
		unused += !strcmp(r, "policy.exception-unused");
	}
	cr_expect_eq(expired, 1);
	cr_expect_eq(unused, 1);
	platci_findings_free(f);
	platci_policy_free(p);
	platci_diag_free(diag);
}

Test(policy, exceptions_need_reason_and_a_bounded_life)
{
	platci_diag *diag = NULL;
	platci_policy *p = load_text(
		"rules:\n  - {id: R1, require: [{path: a, exists: true}]}\n"
		"exceptions:\n  - {rule: R1, ticket: T, expires: \"2026-12-01\"}\n",
		PLATCI_EDATA, &diag);
	platci_findings *f = NULL;
	size_t invalid = 0;

	/* a waiver without a reason is an error where it is written, as in every rules file */
	cr_assert_null(p);
	cr_assert_eq(platci_diag_at(diag, 0)->line, 4);
	cr_assert(strstr(platci_diag_at(diag, 0)->message, "needs \"reason\""), "%s",
		platci_diag_at(diag, 0)->message);
	platci_diag_free(diag);
	/* one living longer than maxExceptionDays is a finding: it depends on the day it is read */
	p = load_text(
		"rules:\n  - {id: R1, require: [{path: a, exists: true}]}\n"
		"exceptions:\n  - {rule: R1, reason: r, ticket: T, expires: \"2030-01-01\"}\n",
		0, &diag);
	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_policy_apply(p, f, NULL), 0);
	for (size_t i = 0; i < platci_findings_count(f); i++)
		invalid += !strcmp(platci_findings_at(f, i)->rule_id, "policy.exception-invalid");
	cr_expect_eq(invalid, 1);
	cr_expect(platci_findings_has_deny(f));
	platci_findings_free(f);
	platci_policy_free(p);
	platci_diag_free(diag);
}

Test(policy, garbage_is_a_positioned_error)
{
	platci_diag *diag = NULL;
	const platci_diag_entry *e;

	load_text("rules:\n  - id: R1\n    require:\n      - {path: a, frobnicate: 1}\n",
		PLATCI_EDATA, &diag);
	e = platci_diag_at(diag, 0);
	cr_assert_not_null(e);
	cr_expect_eq(e->line, 4);
	cr_expect(strstr(e->message, "frobnicate") != NULL, "%s", e->message);
	platci_diag_free(diag);

	load_text("rules:\n  - {id: R1, require: [{path: a, regex: \"(\"}]}\n", PLATCI_EDATA, &diag);
	cr_expect_eq(platci_diag_at(diag, 0)->line, 2);
	platci_diag_free(diag);

	load_text("rules: [\n", PLATCI_ESYNTAX, &diag);
	platci_diag_free(diag);

	load_text("rules:\n  - {id: R1, match: {kinds: ['@nope']}, require: [{path: a, quantity: {lte: 2Zi}}]}\n",
		PLATCI_EDATA, &diag);
	cr_expect_geq(platci_diag_count(diag), 2);
	platci_diag_free(diag);
}

Test(policy, quantities_and_combinators)
{
	platci_diag *diag = NULL;
	platci_policy *p = load_text(
		"rules:\n  - id: Q\n    match: {kinds: [Pod], labels: {tier: \"!test\"}}\n    forEach: [$pod.containers]\n"
		"    require:\n      - {path: resources.limits.memory, quantity: {lte: 1Gi}}\n"
		"      - anyOf: [{path: name, glob: 'app-*'}, {not: [{path: name, in: [x, y]}]}]\n"
		"    enforcement: {dev: warn, default: deny}\n",
		0, &diag);
	platci_findings *f = NULL;
	const char *y =
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
		"    - {name: app-1, resources: {limits: {memory: 1024Mi}}}\n"
		"    - {name: x, resources: {limits: {memory: 2G}}}\n";
	platci_doc *doc = NULL;
	platci_policy_target t;

	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, strlen(y), NULL, NULL), 0);
	memset(&t, 0, sizeof(t));
	t.file = "p.yaml";
	t.root = platci_doc_root_at(doc, 0);
	t.env = "dev";
	cr_assert_eq(platci_policy_eval(p, NULL, &t, f, NULL), 0);
	cr_expect_eq(platci_findings_count(f), 2, "x: memory too high and name forbidden");
	cr_expect_eq(platci_findings_at(f, 0)->enforcement, PLATCI_ENFORCE_WARN);
	cr_expect_eq(platci_findings_at(f, 0)->line, 7);
	platci_findings_free(f);
	platci_doc_free(doc);
	platci_policy_free(p);
	platci_diag_free(diag);
}

Test(policy, secret_values_never_reach_a_message)
{
	platci_diag *diag = NULL;
	platci_policy *p = load_text(
		"rules:\n  - {id: S, match: {kinds: [Secret, ConfigMap]}, "
		"require: [{path: 'stringData.password', regex: '^x'}]}\n",
		0, &diag);
	platci_findings *f = NULL;
	const char *y =
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n---\n"
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nstringData: {password: visible}\n";
	platci_doc *doc = NULL;
	platci_policy_target t;

	cr_assert_eq(platci_findings_new(&f), 0);
	cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, strlen(y), NULL, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		memset(&t, 0, sizeof(t));
		t.file = "s.yaml";
		t.root = platci_doc_root_at(doc, i);
		cr_assert_eq(platci_policy_eval(p, NULL, &t, f, NULL), 0);
	}
	cr_assert_eq(platci_findings_count(f), 2);
	for (size_t i = 0; i < 2; i++)
		cr_expect(strstr(platci_findings_at(f, i)->message, "hunter2") == NULL, "%s",
			platci_findings_at(f, i)->message);
	/* the test can fail: the same rule shows a ConfigMap's value */
	cr_expect(strstr(platci_findings_at(f, 0)->message, "visible") != NULL ||
		  strstr(platci_findings_at(f, 1)->message, "visible") != NULL);
	platci_findings_free(f);
	platci_doc_free(doc);
	platci_policy_free(p);
	platci_diag_free(diag);
}

static size_t last_line; /* of the last finding count_inherited() counted */

/* As count_rule() for one document, with labels kustomize sets on it. */
static size_t count_inherited(const platci_policy *p, const char *yaml, const char *const *labels,
	const char *const *tlabels, const char *rule)
{
	platci_doc *doc = NULL;
	platci_findings *f = NULL;
	platci_policy_target t;
	size_t n = 0;

	cr_assert_eq(platci_doc_load_buffer(&doc, "t.yaml", yaml, strlen(yaml), NULL, NULL), 0);
	cr_assert_eq(platci_findings_new(&f), 0);
	memset(&t, 0, sizeof(t));
	t.file = "gitops/t.yaml";
	t.root = platci_doc_root_at(doc, 0);
	t.labels = labels;
	t.template_labels = tlabels;
	cr_assert_eq(platci_policy_eval(p, NULL, &t, f, NULL), 0);
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		if (!strcmp(x->rule_id, rule) && !x->waiver) {
			n++;
			last_line = x->line;
		}
	}
	platci_findings_free(f);
	platci_doc_free(doc);
	return n;
}

Test(policy, labels_kustomize_sets_count)
{
	static const char pol[] =
		"rules:\n"
		"  - {id: L-META, severity: major, match: {kinds: [Namespace]},\n"
		"     require: [{path: 'metadata.labels.team', exists: true}]}\n"
		"  - {id: L-EQ, severity: major, match: {kinds: [Namespace]},\n"
		"     require: [{path: 'metadata.labels[\"team\"]', equals: platform}]}\n"
		"  - {id: L-TMPL, severity: major, match: {kinds: [Deployment, CronJob]},\n"
		"     require: [{path: '$pod.containers', exists: true},\n"
		"               {path: 'spec.template.metadata.labels.team', exists: true}]}\n"
		"  - {id: L-CRON, severity: major, match: {kinds: [CronJob]},\n"
		"     require: [{path: 'spec.jobTemplate.spec.template.metadata.labels.team', exists: true}]}\n"
		"  - {id: L-MATCH, severity: major, match: {kinds: [Namespace], labels: {team: platform}},\n"
		"     require: [{path: metadata.name, equals: never}]}\n"
		"  - {id: L-ABSENT, severity: major, match: {kinds: [Namespace]},\n"
		"     require: [{path: 'metadata.labels.team', absent: true}]}\n";
	static const char ns[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n";
	static const char ns_other[] =
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: n, labels: {team: other}}\n";
	static const char deploy[] =
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
		"spec: {template: {spec: {containers: [{name: c, image: x}]}}}\n";
	static const char cron[] =
		"apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n"
		"spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}]}}}}}\n";
	const char *const team[] = { "team", "platform", NULL };
	const char *const other[] = { "owner", "o", NULL };
	platci_policy *p = NULL, *s = shipped();

	cr_assert_eq(platci_policy_load_buffer(&p, "p.yaml", pol, strlen(pol), NULL, NOW, NULL), 0);
	/* fails without, passes with */
	cr_expect_eq(count_inherited(p, ns, NULL, NULL, "L-META"), 1);
	cr_expect_eq(count_inherited(p, ns, team, NULL, "L-META"), 0);
	cr_expect_eq(count_inherited(p, ns, other, NULL, "L-META"), 1, "another label does not help");
	cr_expect_eq(count_inherited(p, ns, team, NULL, "L-ABSENT"), 1);
	cr_expect_eq(last_line, 1, "an inherited label is reported at the object");
	cr_expect_eq(count_inherited(p, ns, NULL, NULL, "L-ABSENT"), 0);
	/* the transformer overwrites what the document says */
	cr_expect_eq(count_inherited(p, ns_other, NULL, NULL, "L-EQ"), 1);
	cr_expect_eq(count_inherited(p, ns_other, team, NULL, "L-EQ"), 0);
	cr_expect_eq(count_inherited(p, ns, other, NULL, "L-EQ"), 1);
	/* match.labels sees them too */
	cr_expect_eq(count_inherited(p, ns, NULL, NULL, "L-MATCH"), 0);
	cr_expect_eq(count_inherited(p, ns, team, NULL, "L-MATCH"), 1);
	/* pod templates: only the labels that reach them */
	cr_expect_eq(count_inherited(p, deploy, team, NULL, "L-TMPL"), 1);
	cr_expect_eq(count_inherited(p, deploy, team, team, "L-TMPL"), 0);
	cr_expect_eq(count_inherited(p, cron, team, NULL, "L-CRON"), 1);
	cr_expect_eq(count_inherited(p, cron, team, team, "L-CRON"), 0);
	cr_expect_eq(count_inherited(p, cron, team, team, "L-TMPL"), 1,
		"a CronJob has no spec.template: nothing is inherited there");
	/* the shipped ownership rule */
	{
		const char *const all[] = { "team", "platform", "owner", "platform-team",
			"environment", "(set per environment)", "region", "uaenorth", NULL };
		cr_expect_eq(count_inherited(s, ns, NULL, NULL, "PCI-K8S-001"), 4);
		cr_expect_eq(count_inherited(s, ns, all, NULL, "PCI-K8S-001"), 0);
	}
	platci_policy_free(p);
	platci_policy_free(s);
}

/* A run's findings as validate gathers them: built-in rules name a file and an environment. */
static platci_findings *builtin_findings(void)
{
	static const platci_finding found[] = {
		{ .rule_id = "flux.helm-version-range",
			.message = "a version range",
			.file = "gitops/apps/production/podinfo-values.yaml",
			.env = "prd-uaenorth",
			.enforcement = PLATCI_ENFORCE_DENY },
		{ .rule_id = "tf.no-backend",
			.message = "no backend",
			.file = "infra/envs/dev",
			.env = "dev-uaenorth",
			.enforcement = PLATCI_ENFORCE_DENY },
	};
	platci_findings *f = NULL;

	cr_assert_eq(platci_findings_new(&f), 0);
	for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++)
		cr_assert_eq(platci_findings_add(f, &found[i]), 0);
	return f;
}

/* Findings of @p rule, or only the waived ones. */
static size_t of_rule(const platci_findings *f, const char *rule, int waived_only)
{
	size_t n = 0;
	for (size_t i = 0; i < platci_findings_count(f); i++) {
		const platci_finding *x = platci_findings_at(f, i);
		n += !strcmp(x->rule_id, rule) && (!waived_only || x->waiver);
	}
	return n;
}

Test(policy, exceptions_waive_built_in_rules_by_path_and_environment)
{
	static const char pol[] =
		"exceptions:\n"
		"  - rule: flux.helm-version-range\n"
		"    match: {paths: [\"gitops/apps/production/*\"], environments: [prd-uaenorth]}\n"
		"    reason: debt from before the policy\n    ticket: PLAT-1\n    expires: \"2026-12-31\"\n"
		"  - rules: [\"tf.*\"]\n    match: {environments: [stg-uaenorth]}\n"
		"    reason: r\n    owner: team\n    expires: \"2026-12-31\"\n";
	platci_diag *diag = NULL;
	platci_policy *p = load_text(pol, 0, &diag);
	platci_findings *f = builtin_findings();
	size_t usage[2] = { 0, 0 };

	cr_assert_eq(platci_policy_apply(p, f, usage), 0);
	cr_expect_eq(of_rule(f, "flux.helm-version-range", 1), 1);
	cr_expect(strstr(platci_findings_at(f, 0)->waiver, "PLAT-1") != NULL);
	cr_expect_eq(of_rule(f, "tf.no-backend", 1), 0, "the tf.* exception is for stg only");
	cr_expect_eq(usage[0], 1);
	cr_expect_eq(of_rule(f, "policy.exception-unused", 0), 1, "tf.* waived nothing");
	platci_findings_free(f);
	platci_policy_free(p);
	platci_diag_free(diag);
}

Test(policy, expired_exceptions_of_built_in_rules_let_the_finding_back)
{
	static const char pol[] =
		"exceptions:\n  - {rule: flux.helm-version-range, reason: r, owner: o, "
		"expires: \"2026-11-25\"}\n";
	platci_diag *diag = NULL;
	platci_policy *p = load_text(pol, 0, &diag);
	platci_findings *f = builtin_findings();
	size_t usage[1] = { 0 };
	const platci_finding *x = NULL;

	cr_assert_eq(platci_policy_apply(p, f, usage), 0);
	cr_expect_eq(of_rule(f, "flux.helm-version-range", 1), 0);
	for (size_t i = 0; i < platci_findings_count(f); i++)
		if (!strcmp(platci_findings_at(f, i)->rule_id, "policy.exception-expired"))
			x = platci_findings_at(f, i);
	cr_assert_not_null(x);
	cr_expect_str_eq(x->message,
		"exception #1 for flux.helm-version-range expired on "
		"2026-11-25; the 1 finding(s) it covered are reported again (owner o)");
	cr_expect_str_eq(x->file, "p.yaml");
	cr_expect_eq(x->line, 2);
	platci_findings_free(f);
	platci_policy_free(p);
	platci_diag_free(diag);
}

Test(policy, exceptions_name_known_rules_only)
{
	platci_diag *diag = NULL;

	load_text(
		"exceptions:\n  - {rule: flux.helm-version-rang, reason: r, owner: o, "
		"expires: \"2026-12-01\"}\n",
		PLATCI_EDATA, &diag);
	cr_expect_str_eq(platci_diag_at(diag, 0)->message,
		"exception names unknown rule "
		"\"flux.helm-version-rang\"; did you mean \"flux.helm-version-range\"?");
	cr_expect_eq(platci_diag_at(diag, 0)->line, 2);
	platci_diag_free(diag);
	load_text("exceptions:\n  - {rule: \"nope.*\", reason: r, owner: o, expires: \"2026-12-01\"}\n",
		PLATCI_EDATA, &diag);
	cr_expect(strstr(platci_diag_at(diag, 0)->message,
			  "neither a rule of this set nor one "
			  "platci raises") != NULL,
		"%s", platci_diag_at(diag, 0)->message);
	platci_diag_free(diag);
	load_text(
		"exceptions:\n  - rule: k8s.duplicate-object\n    match: {kinds: [Deployment]}\n"
		"    reason: r\n    owner: o\n    expires: \"2026-12-01\"\n",
		PLATCI_EDATA, &diag);
	cr_expect(strstr(platci_diag_at(diag, 0)->message,
			  "matches on paths and environments "
			  "only") != NULL,
		"%s", platci_diag_at(diag, 0)->message);
	cr_expect_eq(platci_diag_at(diag, 0)->line, 3);
	platci_diag_free(diag);
	load_text(
		"exceptions:\n  - {rule: R1, reason: r, ticket: T, expires: \"2026-02-30\"}\n"
		"rules:\n  - {id: R1, require: [{path: a, exists: true}]}\n",
		PLATCI_EDATA, &diag);
	cr_expect_str_eq(platci_diag_at(diag, 0)->message,
		"\"expires\": 2026-02-30 is not a date "
		"(2026-02 has 28 days)");
	platci_diag_free(diag);
}
