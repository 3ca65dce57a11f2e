#!/usr/bin/env bash
# Every real Flux tree under ../shared/fixtures/gitops/ loads without crashing,
# and where `kubectl kustomize` builds a kustomization, platci reports no
# structural error (missing or escaping reference, cycle, missing field, YAML)
# in that kustomization. Each tree gets a generated platci.yaml whose
# environments are its cluster folders. flux-local's test trees name paths
# from that repository's root (./tests/testdata/<tree>/...), so they are
# validated together, from that root.
. "$(dirname "$0")/../lib/common.sh"
need_fixtures gitops
need_cmd jq
V="$PLATCI_BIN/platci-validate"
HAVE_KUBECTL=0
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then HAVE_KUBECTL=1; fi
[ $HAVE_KUBECTL = 1 ] || echo "note: kubectl is missing; only the no-crash half runs"

trees=$(cd "$PLATCI_FIXTURES/gitops" && for d in flux2-*/*/; do echo "${d%/}"; done; echo flux-local-testdata)
n=0
for t in $trees; do
  n=$((n + 1))
  W="$T_TMP/t$n"; mkdir -p "$W" && cp -r "$PLATCI_FIXTURES/gitops/$t/." "$W/"
  # environments: <tree>/clusters/<name>, else a cluster/ or flux/ folder, else the folders beside base/
  clusters=$(cd "$W" && for r in . tests/testdata/*; do
      [ -d "$r" ] || continue
      if [ -d "$r/clusters" ]; then for c in "$r"/clusters/*/; do echo "${c%/}"; done
      elif [ -d "$r/cluster" ]; then echo "$r/cluster"
      elif [ -d "$r/base" ]; then for c in "$r"/*/; do [ "${c%/}" = "$r/base" ] || echo "${c%/}"; done
      elif [ -f "$r/kustomization.yaml" ]; then echo "$r"; fi
    done | sed 's|^\./||')
  { echo "version: 1"; echo "gitops: ."; echo "infra: infra"; echo "environments:"
    i=0; for c in $clusters; do i=$((i + 1)); mkdir -p "$W/infra/envs/e$i"
      echo "  - {name: e$i, infra: infra/envs/e$i, cluster: $c, overlay: $c}"; done
  } > "$W/platci.yaml"
  (cd "$W" && "$V" --all --reports "$W/.r" --no-terraform-fmt --now 2026-11-26T00:00:00Z >"$W/.out" 2>&1); rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then fail "$t: exit $rc"; sed 's/^/  | /' "$W/.out" | tail -5; continue; fi
  jq -r '.findings[] | select(.rule | test("^(kustomize\\.|k8s\\.missing-field|k8s\\.not-an-object|yaml\\.)")) | "\(.file)\t\(.rule)\t\(.line)\t\(.message)"' \
    "$W/.r/findings.json" > "$W/.structural"
  [ -n "${PLATCI_VERBOSE:-}" ] && jq -r '.findings[] | "  \(.rule) \(.file):\(.line) \(.message)"' "$W/.r/findings.json"
  bad=0
  if [ $HAVE_KUBECTL = 1 ]; then
    while IFS=$'\t' read -r file rule line msg; do
      dir=$(dirname "$file")
      # a finding in a kustomization that kubectl builds is a false positive
      if [ -f "$W/$dir/kustomization.yaml" ] || [ -f "$W/$dir/kustomization.yml" ]; then
        if (cd "$W" && timeout 60 kubectl kustomize "$dir" >/dev/null 2>&1); then
          fail "$t: $file:$line $rule ($msg), but kubectl kustomize $dir builds"; bad=1
        fi
      fi
    done < "$W/.structural"
  fi
  [ $bad = 0 ] && pass "$t: $(jq '.counts.total' "$W/.r/findings.json") findings, $(wc -l < "$W/.structural") structural, exit $rc"
done
[ $n -gt 0 ] || fail "no trees found"
finish
