#!/usr/bin/env bash
# platci-validate --all over a repo full of hostile YAML: every bad file is
# a finding with its position, the good file passes, all four reports are
# written, and the exit codes follow the contract.
. "$(dirname "$0")/../lib/common.sh"
V="$PLATCI_BIN/platci-validate"
[ -x "$V" ] || { echo "platci-validate not built"; exit 1; }

repo="$T_TMP/repo"
mkdir -p "$repo/gitops/clusters/dev" "$repo/gitops/apps/dev" "$repo/infra/envs/dev" "$repo/policies/dir.yaml" \
  "$repo/gitops/apps/dev/folder.yaml"
cat > "$repo/platci.yaml" <<'Y'
version: 1
environments:
  - name: dev
    infra: infra/envs/dev
    cluster: gitops/clusters/dev
    overlay: gitops/apps/dev
Y
g="$repo/gitops/apps/dev"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' > "$g/good.yaml"
printf 'a: [1, 2\nb: 3\n' > "$g/truncated.yaml"
printf 'a:\n\tb: 1\n' > "$g/tabs.yaml"
printf 'a: ok\nb: \xff\xfe\n' > "$g/badutf8.yaml"
printf 'a: 1\nb: 2\na: 3\n' > "$g/dupkey.yaml"
python3 -c "print('[' * 10000 + ']' * 10000)" > "$g/deep.yaml"
python3 - "$g/bomb.yaml" <<'PY'
import sys
lines = ["a0: &a0 [" + ",".join(["x"] * 10) + "]"]
for i in range(1, 10):
    lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
truncate -s 200M "$g/huge.yaml"
: > "$g/empty.yaml"
ln -s missing-target.yaml "$g/dangling.yaml"

cd "$repo"
expect_exit 1 -- "$V" --all --reports out
for f in junit.xml gl-code-quality-report.json summary.md findings.json; do
  [ -s "out/$f" ] || fail "report $f missing or empty"
done
F=out/findings.json
check() { # file rule line
  jq -e --arg f "gitops/apps/dev/$1" --arg r "$2" --argjson l "$3" \
    '.findings | any(.file == $f and .rule == $r and (.line == $l or $l == -1))' "$F" >/dev/null ||
    fail "no $2 finding for $1 at line $3"
}
need_cmd jq
check truncated.yaml yaml.syntax 2
check tabs.yaml yaml.syntax 2
check badutf8.yaml yaml.syntax 2
check dupkey.yaml yaml.duplicate-key 3
check deep.yaml yaml.limit 1
check bomb.yaml yaml.limit -1
check huge.yaml yaml.limit -1
check empty.yaml yaml.empty-file -1
check dangling.yaml file.unreadable -1
jq -e '.findings | all(.file != "gitops/apps/dev/good.yaml")' "$F" >/dev/null || fail "good.yaml has findings"
jq -e '.findings | all(.fingerprint | length == 64)' "$F" >/dev/null || fail "fingerprints"
jq -e 'length > 0 and all(.location.lines.begin >= 1)' out/gl-code-quality-report.json >/dev/null ||
  fail "code quality entries without lines"
grep -q 'failures="[1-9]' out/junit.xml || fail "junit.xml has no failures"
grep -q '^<!-- platci:validate:all -->' out/summary.md || fail "summary.md marker"
grep -q 'truncated.yaml:2:' "$T_TMP/err" || fail "stderr lacks file:line:column"
pass "hostile YAML reported with positions"

# Exit codes of the contract.
expect_exit 64 -- "$V" --bogus
expect_exit 64 -- "$V" --reports
expect_exit 66 -- "$V" --config "$T_TMP/nope.yaml"
printf 'version: 1\nenvironments: []\nextra: 1\n' > "$T_TMP/bad.yaml"
expect_exit 65 -- "$V" --config "$T_TMP/bad.yaml"
grep -q 'bad.yaml:3:1' "$T_TMP/err" || fail "config error lacks file:line:column"
printf 'version: 1\n  bad: [\n' > "$T_TMP/broken.yaml"
expect_exit 65 -- "$V" --config "$T_TMP/broken.yaml"
expect_exit 0 -- "$V" --help
expect_exit 0 -- "$V" --version
pass "exit codes"

# A policy file that is a directory: the run cannot judge manifests without it.
printf 'policies:\n  manifests: policies/dir.yaml\n' >> platci.yaml
expect_exit 66 -- "$V" --all --reports out3 && assert_contains "$T_TMP/err" "policies/dir.yaml"
sed -i '/^policies:/,$d' platci.yaml

# A clean repo exits 0.
rm -f "$g"/{truncated,tabs,badutf8,dupkey,deep,bomb,huge,dangling}.yaml "$g/empty.yaml"
expect_exit 0 -- "$V" --all --reports out2
finish
