#!/usr/bin/env bash
# Every file under the shared fixtures' tfplan/ is read or refused cleanly
# (exit 0/1 with reports, or 65 with a message; never a crash), and for every
# readable plan the widget counts equal GitLab's documented jq expression.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures tfplan
P="$PLATCI_BIN/platci-plan"
JQ='([.resource_changes[]?.change.actions?]|flatten)|{"create":(map(select(.=="create"))|length),"update":(map(select(.=="update"))|length),"delete":(map(select(.=="delete"))|length)}'
have_jq=0; command -v jq >/dev/null 2>&1 && have_jq=1
[ $have_jq = 1 ] || echo "note: jq is not installed; widget counts are not cross-checked"
read_n=0; refused=0; compared=0
while IFS= read -r -d '' f; do
  rm -rf "$T_TMP/r"
  "$P" summarize -q --reports "$T_TMP/r" "$f" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
  case $rc in
    0|1)
      read_n=$((read_n + 1))
      [ -s "$T_TMP/r/terraform-report.json" ] || { fail "$f: no widget file"; continue; }
      if [ $have_jq = 1 ] && jq -e . "$f" >/dev/null 2>&1; then
        want=$(jq -c "$JQ" "$f"); got=$(jq -c . "$T_TMP/r/terraform-report.json")
        [ "$want" = "$got" ] || fail "$f: widget $got, jq says $want"
        compared=$((compared + 1))
      fi;;
    65)
      refused=$((refused + 1))
      grep -q "error: " "$T_TMP/err" || fail "$f: refused without a message"
      [ -e "$T_TMP/r/summary.md" ] && fail "$f: refused but wrote reports";;
    *) fail "$f: exit $rc"; sed 's/^/  | /' "$T_TMP/err" | head -5;;
  esac
done < <(find "$PLATCI_FIXTURES/tfplan" -type f ! -name 'LICENSE*' ! -name 'SOURCES.txt' -print0 | sort -z)
echo "read $read_n, refused $refused, widget counts compared with jq: $compared"
[ $read_n -ge 40 ] || fail "only $read_n plans read"
finish
