#!/usr/bin/env bash
# platci-validate --all: objects carry the labels their kustomizations set
# (`labels`, `commonLabels`), as kustomize would build them. A label counts
# for the policy when every build reaching the object sets it.
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
need_cmd jq
V="$PLATCI_BIN/platci-validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

C=gitops/infrastructure/controllers
w $C/base/kustomization.yaml <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs: {team: platform, owner: platform-team}
    includeTemplates: true
resources: [helmrepository.yaml, ns-ingress.yaml]
EOF
w $C/base/ns-ingress.yaml <<'EOF'
apiVersion: v1
kind: Namespace
metadata: {name: ingress}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ingress}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
EOF
for e in dev-uaenorth stg-uaenorth prd-uaenorth; do
  w $C/$e/kustomization.yaml <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
labels:
  - pairs: {environment: $e, region: uaenorth}
EOF
done

expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/ok" --now 2026-11-26T00:00:00Z &&
  pass "labels from the base and every overlay satisfy the ownership rule"
jq -e '.findings | all(.rule != "PCI-K8S-001")' "$T_TMP/ok/findings.json" >/dev/null ||
  fail "inherited labels still reported"

# one overlay forgets its labels: its copy of the Namespace has no environment or region
w $C/prd-uaenorth/kustomization.yaml <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
EOF
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/bad" --now 2026-11-26T00:00:00Z &&
  pass "a label only some overlays set is still a finding"
n=$(jq '[.findings[] | select(.rule == "PCI-K8S-001" and .file == "'$C'/base/ns-ingress.yaml")] | length' \
  "$T_TMP/bad/findings.json")
[ "$n" = 2 ] || fail "wanted 2 PCI-K8S-001 findings (environment, region), got $n"
jq -e '.findings | any(.rule == "PCI-K8S-001" and (.message | test("region")))' \
  "$T_TMP/bad/findings.json" >/dev/null || fail "the region finding is missing"
finish
