#!/usr/bin/env bash
# platci-gate --gitlab without --facts: the facts (MR labels, approvals, deployments of
# the previous environment) come from the fake GitLab, and the decision is the one the
# same facts give from a file: allow (0), needs-approval (3), deny (1). GitLab down on
# every call -> 69 with a clear message, and no report that looks like a decision.
. "$(dirname "$0")/helpers.bash"
cd "$PLATCI_SOURCE_DIR" || exit 1
[ -x "$PLATCI_BIN/platci-gate" ] || skip "platci-gate is not built in $PLATCI_BIN"

G=$PLATCI_BIN/platci-gate
NOW=2026-11-26T10:00:00Z
SHA=4f2c9e1b7a3d5e6f8091a2b3c4d5e6f708192a3b
export CI_COMMIT_SHA=$SHA CI_PIPELINE_SOURCE=merge_request_event

# previous ENV: promote_from in platci.yaml (empty for dev).
previous() { case $1 in stg-uaenorth) echo dev-uaenorth ;; prd-uaenorth) echo stg-uaenorth ;; *) echo "" ;; esac; }

# check ENV EXAMPLE-FACTS WANT: seed the fake from the example facts, gate with --gitlab,
# gate again with the same facts as a file, compare.
check() {
  local env=$1 ex=$2 want=$3 prev name
  prev=$(previous "$env")
  name=$(basename "$ex" .json)
  start_fake
  # The MR of the pipeline (iid 12) with the example's labels and approvers, and the
  # previous environment's deployments (plus a failed one and another environment's,
  # which must not count).
  jq -c --arg prev "$prev" '{
      merge_requests: [{iid: 12, source_branch: "feature", target_branch: "main", sha: .commit_sha,
                        labels: .merge_request.labels, approved_by: .merge_request.approvals.approved_by}],
      deployments: ((if $prev == "" then [] else (.deployments[$prev] // []) end
                     | to_entries | map(.value + {id: (100 + .key), environment: $prev}))
                    + [{id: 90, environment: "other-env", sha: .commit_sha, status: "success",
                        finished_at: "2026-11-26T06:00:00Z"},
                       {id: 91, environment: (if $prev == "" then "dev-uaenorth" else $prev end),
                        sha: "0000000000000000000000000000000000000000", status: "failed",
                        finished_at: "2026-11-26T07:00:00Z"}])}' "$ex" >"$T_TMP/seed.json"
  fake_ctl seed "$(cat "$T_TMP/seed.json")"
  expect_exit "$want" -- "$G" --config platci.yaml --env "$env" --plan "examples/plans/$env.json" \
    --gitlab --now "$NOW" --reports "$T_TMP/gl-$name" || echo "  in: $name with --gitlab" >&2
  cp "$T_TMP/err" "$T_TMP/err-$name"
  assert_no_token "$T_TMP/out" "$T_TMP/err" "$T_TMP/gl-$name"/*
  # The facts GitLab gave, as a file: the same decision, byte for byte.
  jq --arg prev "$prev" --arg src "$CI_PIPELINE_SOURCE" '.merge_request.iid = 12 | .pipeline_source = $src
      | .deployments = (if $prev == "" then {} else {($prev): (.deployments[$prev] // [])} end)' \
    "$ex" >"$T_TMP/facts-$name.json"
  expect_exit "$want" -- "$G" --config platci.yaml --env "$env" --plan "examples/plans/$env.json" \
    --facts "$T_TMP/facts-$name.json" --now "$NOW" --reports "$T_TMP/file-$name" || echo "  in: $name with --facts" >&2
  diff -u "$T_TMP/file-$name/decision.json" "$T_TMP/gl-$name/decision.json" >"$T_TMP/diff" ||
    { fail "$name: decision.json from GitLab's facts differs from the file's"; head -30 "$T_TMP/diff" >&2; }
  # What was read: the MR, its approvals, the previous environment's successful deployments.
  [ "$(count_req GET '/merge_requests/12([?]|$)')" = 1 ] || fail "$name: the MR was not read once"
  [ "$(count_req GET '/merge_requests/12/approvals([?]|$)')" = 1 ] || fail "$name: approvals not read once"
  if [ -n "$prev" ]; then
    jq -s -e --arg p "environment=$prev" '[.[] | select(.method == "GET" and (.path | test("/deployments\\?"))
      and (.path | contains($p)) and (.path | contains("status=success")))] | length == 1' \
      "$T_TMP/fake.log" >/dev/null || fail "$name: deployments of $prev not read with status=success"
  else
    [ "$(count_req GET '/deployments')" = 0 ] || fail "$name: deployments read for an environment without promote_from"
  fi
  # The gate's summary lands as its sticky note on the MR.
  [ "$(notes_with "<!-- platci:gate:$env -->")" = 1 ] || fail "$name: no gate note on the MR"
}

check dev-uaenorth examples/facts/dev-uaenorth.json 0
check stg-uaenorth examples/facts/stg-uaenorth.json 3
assert_contains "$T_TMP/gl-stg-uaenorth/decision.json" "needs-approval"
check prd-uaenorth examples/facts/prd-uaenorth.json 1
jq -e '.decision == "deny"' "$T_TMP/gl-prd-uaenorth/decision.json" >/dev/null || fail "prd: not a deny"
assert_contains "$T_TMP/gl-prd-uaenorth/decision.json" "allow-destroy"
# The label and a third approval on the MR let the Key Vault replace through; the plan
# policy (the vault has no purge protection) and the soak (stg ran the commit 3h 35m of
# 24h) still deny, the same from GitLab's facts as from the file.
check prd-uaenorth examples/facts/prd-uaenorth-allow-destroy.json 1
jq -e '[.rules[] | select(.outcome == "deny") | .id] == ["gate.plan-policy", "gate.soak"]' \
  "$T_TMP/gl-prd-uaenorth-allow-destroy/decision.json" >/dev/null || fail "allow-destroy via GitLab: other denials"
# No deployment of the previous environment in GitLab: the promotion rule cannot pass.
start_fake
fake_ctl seed '{"merge_requests": [{"iid": 12, "source_branch": "feature", "target_branch": "main",
  "labels": ["infra"], "approved_by": ["alice", "bob"]}]}'
expect_exit 1 -- "$G" --config platci.yaml --env stg-uaenorth --plan examples/plans/stg-uaenorth.json \
  --gitlab --now "$NOW" --reports "$T_TMP/nodeploy"
jq -e '.decision == "deny"' "$T_TMP/nodeploy/decision.json" >/dev/null || fail "no deployment in dev: not a deny"

# Facts GitLab cannot fill are null (gitlab.h, platci_gitlab_fetch_facts): no
# CI_PIPELINE_SOURCE -> "pipeline_source": null; a default-branch pipeline whose commit
# came in no MR -> "merge_request": null. The gate must still decide (here: deny, no
# approvals), not refuse its own facts as bad input (65).
start_fake
seed_mr
env -u CI_PIPELINE_SOURCE "$G" --config platci.yaml --env dev-uaenorth --plan examples/plans/dev-uaenorth.json \
  --gitlab --now "$NOW" --reports "$T_TMP/nosource" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
[ "$rc" = 0 ] && [ -s "$T_TMP/nosource/decision.json" ] ||
  fail "BUG: without CI_PIPELINE_SOURCE the gate should allow dev (0) but exits $rc: the fetched facts carry \"pipeline_source\": null and the facts loader refuses them ($(grep -o 'pipeline_source must be a string' "$T_TMP/err" | head -1))"
start_fake
env -u CI_MERGE_REQUEST_IID "$G" --config platci.yaml --env stg-uaenorth --plan examples/plans/stg-uaenorth.json \
  --gitlab --now "$NOW" --reports "$T_TMP/nomr" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
{ [ "$rc" = 1 ] || [ "$rc" = 3 ]; } && [ -s "$T_TMP/nomr/decision.json" ] ||
  fail "BUG: a commit that came in no MR should still get a decision (deny/needs-approval) but exits $rc: the fetched facts carry \"merge_request\": null and the facts loader refuses them ($(grep -o 'merge_request must be a mapping' "$T_TMP/err" | head -1))"
[ "$(count_req GET "/repository/commits/$SHA/merge_requests")" = 1 ] || fail "no MR: the commit's MRs were not looked up"

# GitLab answering 503 to everything: 69 after the bounded retries, a clear message,
# and no decision.json / summary.md left behind (a gate without facts decides nothing).
start_fake
seed_mr
fake_ctl faults '{"status": 503, "times": -1}'
expect_exit 69 -- "$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --gitlab --now "$NOW" --reports "$T_TMP/down"
assert_contains "$T_TMP/err" "GitLab unavailable, cannot read the gate's facts"
assert_contains "$T_TMP/err" "gave up after 4 attempts"
assert_no_token "$T_TMP/out" "$T_TMP/err"
[ "$(jq -s length "$T_TMP/fake.log")" = 4 ] || fail "503: $(jq -s length "$T_TMP/fake.log") requests, wanted 4 (1 + 3 retries)"
[ "$(count_req POST '.')" = 0 ] || fail "503: a note was attempted although there is no decision"
for f in decision.json summary.md junit.xml findings.json gl-code-quality-report.json; do
  [ -e "$T_TMP/down/$f" ] && fail "GitLab down: $f was written although nothing was decided"
done
# Whatever is there must be whole: no temporary or empty files.
if [ -d "$T_TMP/down" ]; then
  left=$(find "$T_TMP/down" -type f | wc -l)
  [ "$left" = 0 ] || fail "GitLab down: $left file(s) left in the reports folder: $(ls -A "$T_TMP/down")"
fi
# Down without an answer at all: the same.
stop_fake
expect_exit 69 -- "$G" --config platci.yaml --env prd-uaenorth --plan examples/plans/prd-uaenorth.json \
  --gitlab --now "$NOW" --reports "$T_TMP/refused"
assert_contains "$T_TMP/err" "GitLab unavailable"
[ -e "$T_TMP/refused/decision.json" ] && fail "GitLab unreachable: decision.json was written"

finish
