#!/usr/bin/env bash
# platci-drift --gitlab against the fake GitLab: one issue per environment through
# its whole life. Drift appears -> one issue (one POST); same drift -> no write;
# the drift set changes -> description updated, still one issue; drift gone -> one
# closing comment and the issue closed; again -> nothing; drift back -> the closed
# issue reopened. Exit codes stay 2 / 0, and the token shows up nowhere.
. "$(dirname "$0")/helpers.bash"
cd "$PLATCI_SOURCE_DIR" || exit 1
[ -x "$PLATCI_BIN/platci-drift" ] || skip "platci-drift is not built in $PLATCI_BIN"

D=$PLATCI_BIN/platci-drift
ENV=prd-uaenorth
TITLE="Drift: $ENV"
EX=examples/drift/refresh-only-prd-uaenorth.json
# a: the example's drift; b: one drifted resource fewer (a different set);
# clean: only the resources in sync (no-op), a refresh-only plan without drift.
cp "$EX" "$T_TMP/a.json"
jq '.resource_drift |= map(select(.address != "module.aks.azurerm_network_security_rule.allow_https"))' \
  "$EX" >"$T_TMP/b.json"
jq '.resource_drift |= map(select(.change.actions == ["no-op"]))' "$EX" >"$T_TMP/clean.json"

n=0
# run PLAN WANT-EXIT: one scheduled run (no MR), reports in a folder of its own.
run() {
  n=$((n + 1))
  expect_exit "$2" -- env -u CI_COMMIT_SHA -u CI_COMMIT_BRANCH -u CI_MERGE_REQUEST_IID \
    CI_PIPELINE_URL=https://gitlab.example.com/g/p/-/pipelines/9 \
    "$D" --config platci.yaml --env "$ENV" --terraform "$1" --gitlab \
    --now 2026-11-26T02:00:00Z --reports "$T_TMP/r$n" || echo "  in run $n ($1)" >&2
  cp "$T_TMP/out" "$T_TMP/out$n"; cp "$T_TMP/err" "$T_TMP/err$n"
  assert_no_token "$T_TMP/out$n" "$T_TMP/err$n" "$T_TMP/r$n"/*
  assert_not_contains "$T_TMP/err$n" "could not update the drift issue"
}
issues() { fake_get state | jq --arg t "$TITLE" '[.issues[] | select(.title == $t)]'; }
writes() { jq -s '[.[] | select(.method != "GET")] | length' "$T_TMP/fake.log"; }

start_fake
# Someone else's issue with a similar title and the label must never be touched.
fake_ctl seed '{"issues": [{"iid": 1, "title": "Drift: prd-uaenorth-old", "description": "x",
  "state": "opened", "labels": ["platci-drift"]}]}'

# 1. Drift appears: exactly one POST, the body is drift-issue.md, the label is set.
run "$T_TMP/a.json" 2
[ "$(count_req POST '/issues$')" = 1 ] || fail "drift found: $(count_req POST '/issues$') issue POSTs, wanted 1"
[ "$(writes)" = 1 ] || fail "drift found: $(writes) writes, wanted only the POST"
[ "$(issues | jq length)" = 1 ] || fail "drift found: $(issues | jq length) issues titled $TITLE"
issues | jq -r '.[0].description' >"$T_TMP/desc1"
[ "$(issues | jq -r '.[0].state')" = opened ] || fail "the new issue is not open"
issues | jq -e '.[0].labels == ["platci-drift"]' >/dev/null || fail "the issue lacks the platci-drift label"
[ "$(cat "$T_TMP/r1/drift-issue.md")" = "$(cat "$T_TMP/desc1")" ] ||
  fail "the issue description is not drift-issue.md"
assert_contains "$T_TMP/desc1" "<!-- platci:drift:$ENV set="
assert_contains "$T_TMP/desc1" "module.aks.azurerm_network_security_rule.allow_https"
assert_contains "$T_TMP/err1" "opened"
iid=$(issues | jq '.[0].iid')

# 2. The same drift again: reads only, no PUT, no comment.
: >"$T_TMP/fake.log"
run "$T_TMP/a.json" 2
[ "$(writes)" = 0 ] || fail "the same drift wrote to GitLab ($(writes) writes: $(jq -sc '[.[] | select(.method != "GET") | .method + " " + .path]' "$T_TMP/fake.log"))"
[ "$(fake_get state | jq --arg i "$iid" '.issue_notes[$i] // [] | length')" = 0 ] || fail "the same drift commented"

# 3. The drift set changes: the description is updated in place, no comment, one issue.
: >"$T_TMP/fake.log"
run "$T_TMP/b.json" 2
[ "$(count_req PUT "/issues/$iid\$")" = 1 ] || fail "changed drift: $(count_req PUT "/issues/$iid\$") PUTs, wanted 1"
[ "$(count_req POST '/issues')" = 0 ] || fail "changed drift: a POST (new issue or comment)"
[ "$(issues | jq length)" = 1 ] || fail "changed drift: $(issues | jq length) issues"
issues | jq -r '.[0].description' >"$T_TMP/desc3"
cmp -s "$T_TMP/desc1" "$T_TMP/desc3" && fail "changed drift: the description did not change"
assert_not_contains "$T_TMP/desc3" "allow_https"
[ "$(issues | jq -r '.[0].state')" = opened ] || fail "changed drift: the issue is not open"

# 4. No drift: one closing comment, then the issue closed.
: >"$T_TMP/fake.log"
run "$T_TMP/clean.json" 0
[ "$(count_req POST "/issues/$iid/notes\$")" = 1 ] || fail "no drift: $(count_req POST "/issues/$iid/notes\$") closing comments"
jq -s -e --arg p "/issues/$iid" '[.[] | select(.method == "PUT" and (.path | endswith($p)))] |
  length == 1 and .[0].body.state_event == "close"' "$T_TMP/fake.log" >/dev/null || fail "no drift: no PUT state_event=close"
[ "$(issues | jq -r '.[0].state')" = closed ] || fail "no drift: the issue is $(issues | jq -r '.[0].state')"
fake_get state | jq -r --arg i "$iid" '.issue_notes[$i][0].body // ""' >"$T_TMP/comment"
assert_contains "$T_TMP/comment" "No drift in \`$ENV\` any more"
assert_contains "$T_TMP/comment" "https://gitlab.example.com/g/p/-/pipelines/9"
# The comment comes before the close.
order=$(jq -sr '[.[] | select(.method != "GET") | .method] | join(",")' "$T_TMP/fake.log")
[ "$order" = "POST,PUT" ] || fail "no drift: writes were $order, wanted POST (comment), PUT (close)"

# 5. No drift again: nothing written.
: >"$T_TMP/fake.log"
run "$T_TMP/clean.json" 0
[ "$(writes)" = 0 ] || fail "no drift, no open issue: $(writes) writes"
[ "$(fake_get state | jq --arg i "$iid" '.issue_notes[$i] | length')" = 1 ] || fail "a second closing comment"

# 6. Drift comes back: the closed issue is reopened (its thread keeps the history), no new one.
: >"$T_TMP/fake.log"
run "$T_TMP/a.json" 2
[ "$(count_req POST '/issues$')" = 0 ] || fail "drift back: a new issue instead of reopening #$iid"
[ "$(issues | jq length)" = 1 ] || fail "drift back: $(issues | jq length) issues"
[ "$(issues | jq -r '.[0].state')" = opened ] || fail "drift back: the issue was not reopened"

# The other issue was never touched; every request carried the token header.
fake_get state | jq -e '.issues[] | select(.iid == 1) | .state == "opened" and .description == "x"' >/dev/null ||
  fail "someone else's issue was changed"
jq -s -e --arg t "$TOKEN" 'all(.[]; .headers["PRIVATE-TOKEN"] == $t)' "$T_TMP/fake.log" >/dev/null ||
  fail "a request without PRIVATE-TOKEN"

finish
