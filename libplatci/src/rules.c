/*
 * Every rule id platci raises itself, in one sorted table (see
 * platci/rules.h). tests/unit/rulefile checks that each id raised in the
 * sources is listed here.
 */
#include <string.h>

#include "platci/rules.h"
#include "util/common.h"
#include "util/banned.h"

static const platci_rule_info rules[] = {
	{ "ci.missing-include", "validate" },
	{ "ci.syntax", "validate" },
	{ "ci.undeclared-stage", "validate" },
	{ "ci.unknown-target", "validate" },
	{ "drift.flux.apply-behind", "drift" },
	{ "drift.flux.dependency-not-ready", "drift" },
	{ "drift.flux.deprecated-api", "drift" },
	{ "drift.flux.helm-drifted", "drift" },
	{ "drift.flux.not-ready", "drift" },
	{ "drift.flux.reconciling", "drift" },
	{ "drift.flux.source-behind", "drift" },
	{ "drift.flux.stale-status", "drift" },
	{ "drift.flux.stalled", "drift" },
	{ "drift.flux.suspended", "drift" },
	{ "drift.ignore-expired", "drift" },
	{ "drift.pending.promotion", "drift" },
	{ "drift.terraform.changed", "drift" },
	{ "drift.terraform.created", "drift" },
	{ "drift.terraform.deleted", "drift" },
	{ "drift.terraform.moved", "drift" },
	{ "drift.terraform.other", "drift" },
	{ "drift.terraform.replaced", "drift" },
	{ "flux.api-removed", "validate" },
	{ "flux.dependson-cycle", "validate" },
	{ "flux.dependson-undefined", "validate" },
	{ "flux.helm-source-undefined", "validate" },
	{ "flux.helm-version-range", "validate" },
	{ "flux.kustomization-interval", "validate" },
	{ "flux.kustomization-prune", "validate" },
	{ "flux.path-missing", "validate" },
	{ "flux.source-undefined", "validate" },
	{ "gate.approvals", "gate" },
	{ "gate.bundle", "gate" },
	{ "gate.destroy", "gate" },
	{ "gate.freeze", "gate" },
	{ "gate.max-changes", "gate" },
	{ "gate.plan-valid", "gate" },
	{ "gate.promotion", "gate" },
	{ "gate.protected-types", "gate" },
	{ "k8s.duplicate-object", "validate" },
	{ "k8s.missing-field", "validate" },
	{ "k8s.not-an-object", "validate" },
	{ "kustomize.cycle", "validate" },
	{ "kustomize.escapes-repo", "validate" },
	{ "kustomize.missing-ref", "validate" },
	{ "policy.exception-expired", "validate" },
	{ "policy.exception-invalid", "validate" },
	{ "policy.exception-unused", "validate" },
	{ "promote.forced", "promote" },
	{ "promote.refused", "promote" },
	{ "scan.license", "scan" },
	{ "scan.misconfiguration", "scan" },
	{ "scan.secret", "scan" },
	{ "scan.vulnerability", "scan" },
	{ "scan.waiver-expired", "scan" },
	{ "scan.waiver-stale", "scan" },
	{ "tf.facts-unreadable", "validate" },
	{ "tf.fmt", "validate" },
	{ "tf.no-backend", "validate" },
	{ "tf.shared-state-key", "validate" },
	{ "tf.syntax", "validate" },
	{ "tf.unpinned-module", "validate" },
	{ "tf.unpinned-provider", "validate" },
	{ "tfplan.check-failed", "plan" },
	{ "tfplan.check-warning", "plan" },
	{ "tfplan.destroy", "plan" },
	{ "tfplan.errored", "plan" },
	{ "tfplan.incomplete", "plan" },
	{ "tfplan.not-applyable", "plan" },
	{ "tfplan.unknown-action", "plan" },
	{ "yaml.duplicate-key", "validate" },
	{ "yaml.empty-file", "validate" },
	{ "yaml.limit", "validate" },
	{ "yaml.syntax", "validate" },
};

size_t platci_rules_count(void)
{
	return PLATCI_ARRAY_SIZE(rules);
}

const platci_rule_info *platci_rules_at(size_t i)
{
	return i < PLATCI_ARRAY_SIZE(rules) ? &rules[i] : NULL;
}

const platci_rule_info *platci_rules_find(const char *id)
{
	size_t lo = 0, hi = PLATCI_ARRAY_SIZE(rules);

	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rules[mid].id, id);
		if (!c)
			return &rules[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
