#!/usr/bin/env bash
# What each environment's cluster will run: the Flux model per cluster, every
# Kustomization built with the real kustomize (helm where the chart is at
# hand), render.json and the objects under platci-reports/render/.
[ -d .tools/bin ] && export PATH="$PWD/.tools/bin:$PATH"
if ! command -v kubectl >/dev/null 2>&1 && ! command -v kustomize >/dev/null 2>&1; then
  echo "== platci-render: skipped (neither kustomize nor kubectl is installed; scripts/npm-tools brings kubectl)"
  exit 0
fi
echo "== platci-render --list"
platci-render --list --reports platci-reports/render || exit $?
echo "== platci-render (every environment)"
platci-render --reports platci-reports/render
rc=$?
[ $rc -le 1 ] || exit $rc
out=platci-reports/render/rendered
if [ -d "$out/stg-uaenorth" ] && [ -d "$out/prd-uaenorth" ]; then
  n=$(diff -rq "$out/stg-uaenorth" "$out/prd-uaenorth" | wc -l)
  echo "   stg-uaenorth -> prd-uaenorth: $n rendered objects differ, e.g."
  diff -ru "$out/stg-uaenorth/ai-serving" "$out/prd-uaenorth/ai-serving" 2>/dev/null | grep '^[-+] ' | head -8 | sed 's/^/     /'
fi
