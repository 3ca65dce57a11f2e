#!/usr/bin/env bash
# platci-validate --all on a fixture with one problem of each family: the findings
# (rule, file:line, environment, enforcement) match the golden, exit 1 on deny,
# the reports are well-formed, waivers and warn-only environments behave.
# These pin the source-level checks: --no-render (the fixture lists folders without a
# kustomization.yaml as resources, which kustomize refuses; tests/corpus/validate-render.sh
# covers validate on rendered objects).
. "$(dirname "$0")/../lib/common.sh"
. "$PLATCI_SOURCE_DIR/tests/golden/validate/make-fixture.sh"
need_cmd git
need_cmd jq
V="$PLATCI_BIN/platci-validate"
G="$PLATCI_SOURCE_DIR/tests/golden/validate"
R="$T_TMP/repo"
(make_fixture "$R") >/dev/null || { fail "fixture"; finish; }
cd "$R" || exit 1

# the clean fixture is clean, with every check and policy on
expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/clean" --now 2026-11-26T00:00:00Z && pass "clean fixture passes"
# (but for the one note that no schema folder is configured)
[ "$(jq '[.findings[] | select(.rule != "schema.unavailable")] | length' "$T_TMP/clean/findings.json")" = 0 ] ||
  fail "clean fixture has findings"

# one problem per family
sed -i 's|acrplatform.azurecr.io/web:1.4.2|docker.io/web:latest|' gitops/apps/base/web/deployment.yaml
w gitops/apps/dev-uaenorth/gpu.yaml <<'EOF'
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: web
  labels: {team: ml, owner: ml-team, environment: dev, region: uaenorth}
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: t
          image: acrplatform.azurecr.io/train:2.0.0
          securityContext: {privileged: true}
          resources:
            requests: {cpu: "1", memory: 1Gi}
            limits: {cpu: "1", memory: 1Gi, nvidia.com/gpu: 1}
EOF
sed -i 's|resources: \[../base\]|resources: [../base, gpu.yaml, ../gone]|' gitops/apps/dev-uaenorth/kustomization.yaml
w gitops/apps/prd-uaenorth/tenant.yaml <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop, owner: shop-team, environment: prd, region: uaenorth}
---
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata: {name: shop, namespace: shop}
spec:
  interval: 1h
  chart:
    spec:
      chart: shop
      version: "1.x"
      sourceRef: {kind: HelmRepository, name: nowhere}
EOF
sed -i 's|resources: \[../base\]|resources: [../base, tenant.yaml]|' gitops/apps/prd-uaenorth/kustomization.yaml
sed -i 's|dependsOn: \[{name: infra-controllers}\]|dependsOn: [{name: infra-ctrl}]|' gitops/clusters/stg-uaenorth/infrastructure.yaml
sed -i 's|stg-uaenorth.tfstate|dev-uaenorth.tfstate|' infra/envs/stg-uaenorth/main.tf
sed -i 's|needs: \[validate\]|needs: [validat]|' .gitlab-ci.yml
printf 'a: 1\na: 2\n' > gitops/apps/base/web/dup.yaml

expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/bad" --now 2026-11-26T00:00:00Z --no-terraform-fmt && pass "deny findings exit 1"
jq -r '.findings[] | "\(.rule) \(.file):\(.line) \(.env // "-") \(.enforcement)\(if .waiver then " waived" else "" end)"' \
  "$T_TMP/bad/findings.json" > "$T_TMP/rules.txt"
if [ -n "${PLATCI_UPDATE_GOLDEN:-}" ]; then cp "$T_TMP/rules.txt" "$G/rules-findings.txt"; fi
diff -u "$G/rules-findings.txt" "$T_TMP/rules.txt" || fail "findings differ from the golden"

# every stderr line is file:line:column: level: message [rule]
grep -vE '^(== |platci-validate: )' "$T_TMP/err" | grep -vE '^[^:]+:[0-9]+:[0-9]+: (error|warning): .* \[[A-Za-z0-9.-]+\]$' \
  && fail "a log line without position" || pass "every finding line has file:line:column"

# reports: four common ones plus affected.json, well-formed
for f in junit.xml gl-code-quality-report.json summary.md findings.json affected.json; do
  [ -s "$T_TMP/bad/$f" ] || fail "missing report $f"
done
jq -e 'type == "array" and length > 0 and all(.[]; .fingerprint and .location.path and .location.lines.begin)' \
  "$T_TMP/bad/gl-code-quality-report.json" >/dev/null || fail "code quality report shape"
if command -v xmllint >/dev/null; then xmllint --noout "$T_TMP/bad/junit.xml" || fail "junit.xml is not XML"; fi
assert_contains "$T_TMP/bad/summary.md" "<!-- platci:validate"
assert_contains "$T_TMP/bad/summary.md" "prd-uaenorth"

# an exception waives one finding; an expired one does not; an unused one is reported
cat >> policies/manifests.yaml <<'EOF'
  - rule: PCI-K8S-005
    match: {kinds: [Job], names: [train]}
    reason: the trainer needs raw device access until the device plugin lands
    ticket: PLAT-42
    expires: "2026-12-31"
  - rule: PCI-K8S-006
    match: {names: [train]}
    reason: legacy
    ticket: PLAT-7
    expires: "2026-10-01"
  - rule: PCI-K8S-002
    match: {names: [nothing-matches]}
    reason: stale
    ticket: PLAT-9
    expires: "2026-12-01"
EOF
sed -i 's|^exceptions: \[\]$|exceptions:|' policies/manifests.yaml
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/exc" --now 2026-11-26T00:00:00Z --no-terraform-fmt
jq -e '[.findings[] | select(.rule == "PCI-K8S-005")][0].waiver | test("PLAT-42")' "$T_TMP/exc/findings.json" >/dev/null \
  && pass "exception waives" || fail "exception did not waive"
jq -e '[.findings[] | select(.rule == "PCI-K8S-006" and (.waiver | not))] | length == 1' "$T_TMP/exc/findings.json" >/dev/null \
  || fail "expired exception still waives"
for r in policy.exception-expired policy.exception-unused; do
  jq -e --arg r $r '[.findings[] | select(.rule == $r)] | length == 1' "$T_TMP/exc/findings.json" >/dev/null || fail "no $r"
done
# the same run one year later: every exception has expired
expect_exit 1 -- "$V" --no-render --all --reports "$T_TMP/late" --now 2027-12-01T00:00:00Z --no-terraform-fmt
jq -e '[.findings[] | select(.waiver)] | length == 0' "$T_TMP/late/findings.json" >/dev/null || fail "waivers after expiry"

# terraform fmt -check findings, where terraform exists (a warning, so exit 0 on a clean tree)
if command -v terraform >/dev/null 2>&1; then
  git checkout -q . && git clean -qfd
  printf 'resource "terraform_data" "x" {\ninput="x"\n}\n' > infra/modules/network/main.tf
  expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/fmt" --now 2026-11-26T00:00:00Z
  assert_contains "$T_TMP/err" "infra/modules/network/main.tf:0:0: warning: not in canonical format: run \`terraform fmt\` [tf.fmt]"
  expect_exit 0 -- "$V" --no-render --all --reports "$T_TMP/nofmt" --now 2026-11-26T00:00:00Z --no-terraform-fmt
  assert_not_contains "$T_TMP/err" "[tf.fmt]"
else
  echo "note: terraform is not installed; the tf.fmt check is not exercised"
fi
finish
