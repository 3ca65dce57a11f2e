#!/usr/bin/env bash
# The main job: validate the whole repository and leave the four reports (and
# affected.json) in platci-reports/; then validate this branch's own change set
# the way a merge-request pipeline would, with the child pipeline it would plan.
echo "== platci-validate --all (this repository)"
platci-validate --all --reports platci-reports
rc=$?
echo "   reports: $(ls platci-reports | grep -v / | tr '\n' ' ')"
[ $rc -le 1 ] || exit $rc

# The change set: from the merge base with the default branch (or the MR's base in CI).
base=${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}
if [ -z "$base" ]; then
  for b in origin/main main origin/master master; do
    if git rev-parse -q --verify "$b^{commit}" >/dev/null 2>&1; then base=$b; break; fi
  done
fi
if [ -n "$base" ] && [ "$(git rev-parse "$base" 2>/dev/null)" != "$(git rev-parse HEAD)" ]; then
  echo "== platci-validate --base $base (this branch's change set)"
  mkdir -p platci-reports/validate-mr
  platci-validate --base "$base" --reports platci-reports/validate-mr \
    --child-pipeline platci-reports/validate-mr/child-pipeline.yml --quiet
  rc2=$?
  [ $rc2 -le 1 ] || exit $rc2
  changed=$(grep -c '"status"' platci-reports/validate-mr/affected.json)
  envs=$(tr -d '\n ' < platci-reports/validate-mr/affected.json | grep -o '"name":"[^"]*","affected":true' |
    sed 's/"name":"\([^"]*\)".*/\1/' | tr '\n' ' ')
  echo "   $changed changed files; affected environments: ${envs:-none}"
  echo "   child pipeline: platci-reports/validate-mr/child-pipeline.yml ($(grep -c '^      environment:' platci-reports/validate-mr/child-pipeline.yml) environments to plan)"
  [ $rc2 -eq 1 ] && echo "   (deny findings in the change set: see platci-reports/validate-mr/summary.md)"
else
  echo "   (no base branch to compare with: change-set validation skipped)"
fi
exit 0
