#!/usr/bin/env bash
# drift.json against its schema (docs/drift.schema.json), and the Code Quality report
# against the fields GitLab requires, for the example run and every fixture run.
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
ajv=node_modules/.bin/ajv
[ -x "$ajv" ] || skip "ajv-cli is not installed (scripts/npm-tools)"
need_cmd jq
runs=("--terraform examples/drift/refresh-only-prd-uaenorth.json --flux examples/drift/flux-status-prd-uaenorth.json --pending examples/drift/pending-prd-uaenorth.json --expect-revision main=0123456")
if [ -d "$PLATCI_FIXTURES/flux-status" ]; then
  runs+=("--flux $PLATCI_FIXTURES/flux-status/kubectl-get-kustomizations-A-o-json.ASSEMBLED.json --flux $PLATCI_FIXTURES/flux-status/kubectl-get-sources-A-o-json.ASSEMBLED.json --flux $PLATCI_FIXTURES/flux-status/kubectl-get-helmreleases-A-o-json.ASSEMBLED.json")
  runs+=("--terraform $PLATCI_FIXTURES/tfplan/local-terraform-1.11.4__refresh-only-nodrift.json")
fi
n=0
for args in "${runs[@]}"; do
  n=$((n + 1)); r=$T_TMP/r$n
  # shellcheck disable=SC2086
  "$PLATCI_BIN/platci-drift" --config platci.yaml --env prd-uaenorth --now 2026-11-26T02:05:00Z --reports "$r" $args >/dev/null 2>&1
  rc=$?; [ $rc = 0 ] || [ $rc = 2 ] || { fail "run $n exited $rc"; continue; }
  "$ajv" validate --spec=draft7 -c ajv-formats -s docs/drift.schema.json -d "$r/drift.json" >"$T_TMP/ajv" 2>&1 ||
    { fail "run $n: drift.json does not match its schema"; cat "$T_TMP/ajv" >&2; }
  jq -e 'type == "array" and all(.[]; (.description|type) == "string" and (.check_name|type) == "string"
    and (.fingerprint|type) == "string" and (.severity|IN("info","minor","major","critical","blocker"))
    and (.location.path|type) == "string" and (.location.lines.begin|type) == "number")' \
    "$r/gl-code-quality-report.json" >/dev/null || fail "run $n: Code Quality entries lack required fields"
done
[ $n -gt 0 ] || fail "nothing ran"
finish
