#!/usr/bin/env bash
# Issue 17.4: a plan from `tofu show -json` is read like Terraform's. The
# fixture (tests/resources/opentofu/, hand-made from OpenTofu's documented
# format; its README says how the expected answer was worked out) gives
# GitLab's widget {"create":3,"update":1,"delete":1}, one destroy warning,
# no secret in any report, and the same reports as the same plan stamped
# with a Terraform version.
. "$(dirname "$0")/../lib/common.sh"
need_cmd jq
P="$PLATCI_BIN/platci-plan"
F="$PLATCI_SOURCE_DIR/tests/resources/opentofu/plan.json"

# both plans are read as ./plan.json, so file names in findings match; --env is
# checked against platci.yaml, so each folder has one naming the environment
mkdir -p "$T_TMP/in-tofu" "$T_TMP/in-tf" && cp "$F" "$T_TMP/in-tofu/plan.json"
for d in in-tofu in-tf; do
  mkdir -p "$T_TMP/$d/clusters/dev"
  printf 'version: 1\nenvironments:\n  - {name: dev, cluster: clusters/dev}\n' >"$T_TMP/$d/platci.yaml"
done
sed 's/"terraform_version": "1.9.0"/"terraform_version": "1.14.8"/' "$F" > "$T_TMP/in-tf/plan.json"
cd "$T_TMP/in-tofu" || exit 1
expect_exit 0 -- "$P" summarize --env dev --reports "$T_TMP/tofu" --now 2026-11-26T09:00:00Z plan.json
jq -e '. == {"create": 3, "update": 1, "delete": 1}' "$T_TMP/tofu/terraform-report.json" >/dev/null ||
  fail "widget: $(cat "$T_TMP/tofu/terraform-report.json")"
[ "$(jq '[.findings[] | select(.rule == "tfplan.destroy")] | length' "$T_TMP/tofu/findings.json")" = 1 ] ||
  fail "one tfplan.destroy finding expected"
grep -rl "S3cr3t-tofu-fixture" "$T_TMP/tofu" >/dev/null && fail "the sensitive value reached a report"
assert_contains "$T_TMP/tofu/summary.md" "terraform_data.old"

# the same plan from Terraform: the same reports, but for the version string
cd "$T_TMP/in-tf" || exit 1
expect_exit 0 -- "$P" summarize --env dev --reports "$T_TMP/tf" --now 2026-11-26T09:00:00Z plan.json
for f in terraform-report.json findings.json summary.md; do
  sed 's/1\.14\.8/VERSION/g' "$T_TMP/tf/$f" > "$T_TMP/a"; sed 's/1\.9\.0/VERSION/g' "$T_TMP/tofu/$f" > "$T_TMP/b"
  cmp -s "$T_TMP/a" "$T_TMP/b" || { fail "$f differs between the OpenTofu and the Terraform plan"; diff "$T_TMP/a" "$T_TMP/b" | head -10; }
done
# and a bundle carries it like any plan
printf 'fake binary plan' > "$T_TMP/tfplan"
expect_exit 0 -- "$P" bundle --env dev --reports "$T_TMP/b" --plan "$T_TMP/tfplan" --plan-json "$F" \
  --out "$T_TMP/plan.tar.gz" --commit 0123456789abcdef0123456789abcdef01234567
expect_exit 0 -- "$P" verify "$T_TMP/plan.tar.gz" --env dev --reports "$T_TMP/v" --commit 0123456789abcdef0123456789abcdef01234567
finish
