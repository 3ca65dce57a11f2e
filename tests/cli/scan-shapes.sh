#!/usr/bin/env bash
# Each report shape Trivy has written is read, with the image each finding belongs to.
. "$(dirname "$0")/../lib/common.sh"
SCAN=$PLATCI_BIN/platci-scan
P=$T_TMP/policy.yaml
printf 'version: 1\ndefaults: {fail_severity: none, report_severity: unknown}\n' >"$P"
V='{"VulnerabilityID": "CVE-2024-1000", "PkgName": "bash", "InstalledVersion": "5.2", "Severity": "HIGH"}'
W='{"VulnerabilityID": "CVE-2024-1001", "PkgName": "curl", "InstalledVersion": "8.0", "VendorSeverity": {"nvd": 4, "debian": 2}, "SeveritySource": "debian"}'
M='{"ID": "KSV-0001", "AVDID": "AVD-KSV-0001", "Title": "Process can elevate its own privileges", "Severity": "MEDIUM", "Status": "FAIL"}'
PASS='{"ID": "KSV-0002", "Title": "passes", "Severity": "HIGH", "Status": "PASS"}'

shape() { # name json expected-shape expected-stdout-fragment...
  local name=$1 json=$2 want=$3; shift 3
  printf '%s\n' "$json" >"$T_TMP/$name.json"
  "$SCAN" --policy "$P" --reports "$T_TMP/rep-$name" "$T_TMP/$name.json" >"$T_TMP/out" 2>"$T_TMP/err"; cp "$T_TMP/out" "$T_TMP/out-$name"
  local rc=$?
  [ $rc = 0 ] || { fail "$name: exit $rc: $(head -3 "$T_TMP/err")"; return; }
  assert_contains "$T_TMP/err" ": $want report"
  for frag in "$@"; do assert_contains "$T_TMP/out" "$frag"; done
}

shape v2 "{\"SchemaVersion\": 2, \"ArtifactName\": \"reg.example/a:1\", \"ArtifactType\": \"container_image\",
  \"Metadata\": {\"OS\": {\"Family\": \"debian\", \"Name\": \"12.5\"}, \"RepoTags\": [\"reg.example/a:1\"]},
  \"Results\": [{\"Target\": \"reg.example/a:1 (debian 12.5)\", \"Class\": \"os-pkgs\", \"Vulnerabilities\": [$V, $W], \"Packages\": [{\"Name\": \"bash\"}]}]}" \
  v2 "reg.example/a:1: critical 0, high 1, medium 1,"
# Target after the findings, unknown keys, null vulnerabilities, a missing Results elsewhere.
shape v2-order "{\"Trivy\": {\"Version\": \"0.70.0\", \"Server\": {\"Target\": 1}}, \"ReportID\": \"x\",
  \"Results\": [{\"Vulnerabilities\": [$V], \"Ref\": {}, \"Target\": \"reg.example/b:2 (alpine 3.20)\"},
                {\"Target\": \"go.sum\", \"Vulnerabilities\": null}], \"SchemaVersion\": 2}" \
  v2 "reg.example/b:2: critical 0, high 1,"
shape legacy "[{\"Target\": \"alpine:3.10 (alpine 3.10.2)\", \"Type\": \"alpine\", \"Vulnerabilities\": [$V]},
  {\"Target\": \"app/Gemfile.lock\", \"Type\": \"bundler\", \"Vulnerabilities\": null}]" \
  legacy "alpine:3.10: critical 0, high 1,"
shape legacy-empty "[]" legacy
shape null "null" null
shape k8s "{\"ClusterName\": \"aks-prd\", \"Resources\": [
  {\"Namespace\": \"orders\", \"Kind\": \"Deployment\", \"Name\": \"api\",
   \"Metadata\": [{\"RepoTags\": [\"acrplatform.azurecr.io/orders/api:1.4.2\"], \"OS\": {\"Family\": \"alpine\", \"Name\": \"3.20\"}}],
   \"Results\": [{\"Target\": \"acrplatform.azurecr.io/orders/api:1.4.2 (alpine 3.20)\", \"Class\": \"os-pkgs\", \"Vulnerabilities\": [$V]},
                {\"Target\": \"app/api\", \"Class\": \"lang-pkgs\", \"Vulnerabilities\": [$W]}]},
  {\"Namespace\": \"orders\", \"Kind\": \"Deployment\", \"Name\": \"api-canary\",
   \"Results\": [{\"Target\": \"acrplatform.azurecr.io/orders/api:1.4.2 (alpine 3.20)\", \"Vulnerabilities\": [$V]},
                {\"Target\": \"Deployment/api-canary\", \"Class\": \"config\", \"Misconfigurations\": [$M, $PASS]}]},
  {\"Kind\": \"ClusterRole\", \"Name\": \"admin\", \"Results\": [{\"Target\": \"ClusterRole/admin\", \"Class\": \"config\", \"Misconfigurations\": [$M]}]}]}" \
  k8s "acrplatform.azurecr.io/orders/api:1.4.2: critical 0, high 1, medium 1, low 0, unknown 0; other 0" \
      "orders/Deployment/api-canary: critical 0, high 0, medium 0, low 0, unknown 0; other 1" "ClusterRole/admin:"
assert_contains "$T_TMP/err" "4 unique findings (1 duplicates folded)"
shape k8s-summary "{\"ClusterName\": \"aks\", \"Findings\": [{\"Namespace\": \"ns\", \"Kind\": \"Pod\", \"Name\": \"p\",
  \"Results\": [{\"Target\": \"nginx:1.25 (debian 12.5)\", \"Vulnerabilities\": [$V]}]}]}" \
  k8s-summary "nginx:1.25: critical 0, high 1,"
shape k8s-old "{\"ClusterName\": \"aks\", \"Vulnerabilities\": [{\"Namespace\": \"ns\", \"Kind\": \"Deployment\", \"Name\": \"d\",
  \"Results\": [{\"Target\": \"redis:6 (debian 10.4)\", \"Vulnerabilities\": [$V, $W]}]}],
  \"Misconfigurations\": [{\"Namespace\": \"ns\", \"Kind\": \"Deployment\", \"Name\": \"d\",
  \"Results\": [{\"Target\": \"Deployment/d\", \"Class\": \"config\", \"Misconfigurations\": [$M]}]}]}" \
  k8s-old "redis:6: critical 0, high 1, medium 1," "ns/Deployment/d: critical 0, high 0, medium 0, low 0, unknown 0; other 1"

# A pod running two images: each result belongs to the image of the os-pkgs target before it.
shape k8s-two-images "{\"ClusterName\": \"aks\", \"Resources\": [{\"Namespace\": \"ns\", \"Kind\": \"Pod\", \"Name\": \"p\",
  \"Metadata\": [{\"RepoTags\": [\"reg/app:1\"]}, {\"RepoTags\": [\"reg/sidecar:2\"]}],
  \"Results\": [{\"Target\": \"reg/app:1 (alpine 3.20)\", \"Class\": \"os-pkgs\", \"Vulnerabilities\": [$V]},
               {\"Target\": \"reg/sidecar:2 (debian 12.5)\", \"Class\": \"os-pkgs\", \"Vulnerabilities\": [$V]},
               {\"Target\": \"usr/bin/envoy\", \"Class\": \"lang-pkgs\", \"Vulnerabilities\": [$W]}]}]}" \
  k8s "reg/app:1: critical 0, high 1, medium 0," "reg/sidecar:2: critical 0, high 1, medium 1,"

# A report on standard input.
"$SCAN" --policy "$P" --reports "$T_TMP/rep" - <"$T_TMP/legacy.json" >"$T_TMP/out" 2>"$T_TMP/err" || fail "stdin: exit $?"
assert_contains "$T_TMP/out" "alpine:3.10: critical 0, high 1,"

# A misconfiguration matches a waiver by its ID or its AVD alias.
printf 'AVD-KSV-0001\n' >"$T_TMP/ig"
"$SCAN" --policy "$P" --reports "$T_TMP/rep" --ignore "$T_TMP/ig" "$T_TMP/k8s-old.json" >/dev/null 2>"$T_TMP/err"
assert_contains "$T_TMP/err" "1 waived"
finish
