#!/usr/bin/env bash
# The repository's own trees validate clean, and defects planted in a copy
# of them are each caught by platci-validate --all with the right rule at
# the right file: every check is shown to be able to fail on real input.
. "$(dirname "$0")/../lib/common.sh"
V="$PLATCI_BIN/platci-validate"
[ -x "$V" ] || { echo "platci-validate not built"; exit 1; }
need_cmd jq
cd "$PLATCI_SOURCE_DIR"
expect_exit 0 -- "$V" --all --reports "$T_TMP/clean" || cat "$T_TMP/err" | head -20

copy="$T_TMP/repo"
mkdir -p "$copy"
cp -r platci.yaml gitops infra policies .gitlab-ci.yml pipelines "$copy"/
cd "$copy"
base=gitops/apps/base/serving
# 1. an unpinned image, 2. privileged, 3. a GPU pod without its toleration
sed -i 's#image: acrplatform.azurecr.io/platform/curl:8.10.1#image: acrplatform.azurecr.io/platform/curl:latest#' $base/smoke-test-cronjob.yaml
sed -i '0,/privileged: false/s//privileged: true/' $base/embeddings.yaml
sed -i 's#- key: nvidia.com/gpu#- key: example.com/not-gpu#' $base/vllm-deployment.yaml
# 4. a registry outside the platform's
sed -i 's#acrplatform.azurecr.io/ai/text-embeddings-inference-rocm#docker.io/library/tei#' $base/embeddings.yaml
# 5. a range in prd
sed -i '0,/version: "0.15.4"/s//version: ">=0.15.0"/' gitops/apps/prd-uaenorth/helm-versions.yaml
# 6. a kustomization reference that does not exist
printf '  - missing-file.yaml\n' >> gitops/apps/base/serving/kustomization.yaml
# 7. a duplicate key
printf 'metadata:\n  name: x\nmetadata:\n  name: y\n' > gitops/apps/base/serving/dup.yaml
# 8. two environments sharing a state key, 9. an unpinned provider
sed -i 's#key                  = "stg-uaenorth.tfstate"#key                  = "dev-uaenorth.tfstate"#' infra/envs/stg-uaenorth/versions.tf
sed -i '0,/version = "~> 3.116"/s//version = ">= 3.0"/' infra/envs/prd-uaenorth/versions.tf
# 10. a CI job in an undeclared stage
printf '\nrogue:\n  stage: nonexistent\n  script: [echo]\n' >> pipelines/build.yml

expect_exit 1 -- "$V" --all --reports out
F=out/findings.json
has() { # rule file-substring
  jq -e --arg r "$1" --arg f "$2" '.findings | any(.rule == $r and ((.file // "") | contains($f)))' "$F" >/dev/null ||
    fail "planted defect not caught: $1 in $2"
}
has PCI-K8S-002 smoke-test-cronjob.yaml
has PCI-K8S-005 embeddings.yaml
has PCI-K8S-003 embeddings.yaml
has PCI-K8S-007 vllm-deployment.yaml
has flux.helm-version-range prd-uaenorth/helm-versions.yaml
has kustomize.missing-ref gitops/apps/base/serving/kustomization.yaml
has yaml.duplicate-key dup.yaml
has tf.shared-state-key infra/envs/stg-uaenorth/versions.tf
has tf.unpinned-provider infra/envs/prd-uaenorth/versions.tf
has ci.undeclared-stage pipelines/build.yml
[ "$(jq '.counts.deny' "$F")" -ge 10 ] || fail "fewer deny findings than planted defects"
finish
