# Sourced by tests/cli/validate-*.sh: make_fixture DIR writes a small platform
# repository that validates clean (three environments, Flux tree with bases and
# overlays, Terraform envs and modules, the shipped policy, a .gitlab-ci.yml) and
# commits it with the git CLI.
w() { mkdir -p "$(dirname "$1")"; cat > "$1"; }

make_fixture() {
  local d=$1 e
  mkdir -p "$d" && cd "$d" || return 1
  git init -q -b main . && git config user.email t@example.com && git config user.name test
  w platci.yaml <<'EOF'
version: 1
gitops: gitops
infra: infra
environments:
  - {name: dev-uaenorth, region: uaenorth, infra: infra/envs/dev-uaenorth, cluster: gitops/clusters/dev-uaenorth, overlay: gitops/apps/dev-uaenorth}
  - {name: stg-uaenorth, region: uaenorth, infra: infra/envs/stg-uaenorth, cluster: gitops/clusters/stg-uaenorth, overlay: gitops/apps/stg-uaenorth, promote_from: dev-uaenorth}
  - {name: prd-uaenorth, region: uaenorth, infra: infra/envs/prd-uaenorth, cluster: gitops/clusters/prd-uaenorth, overlay: gitops/apps/prd-uaenorth, promote_from: stg-uaenorth, protected: true}
policies:
  manifests: policies/manifests.yaml
EOF
  mkdir -p policies && cp "$PLATCI_SOURCE_DIR/policies/manifests.yaml" policies/manifests.yaml
  for e in dev-uaenorth stg-uaenorth prd-uaenorth; do
    w gitops/clusters/$e/flux-system/gotk-sync.yaml <<EOF
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 1m
  url: ssh://git@gitlab.example.com/platform/platform.git
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 10m
  path: ./gitops/clusters/$e
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
EOF
    w gitops/clusters/$e/infrastructure.yaml <<EOF
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: infra-controllers, namespace: flux-system}
spec:
  interval: 1h
  path: ./gitops/infrastructure/controllers/$e
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  dependsOn: [{name: infra-controllers}]
  path: ./gitops/apps/$e
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
EOF
    w gitops/infrastructure/controllers/$e/kustomization.yaml <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
EOF
    w gitops/apps/$e/kustomization.yaml <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
patches:
  - path: web-patch.yaml
EOF
    w gitops/apps/$e/web-patch.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  replicas: 2
EOF
    w infra/envs/$e/main.tf <<EOF
terraform {
  required_version = ">= 1.5"
  backend "azurerm" {
    key = "$e.tfstate"
  }
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.100"
    }
  }
}

module "aks" {
  source = "../../modules/aks"
  name   = "$e"
}
EOF
  done
  w gitops/infrastructure/controllers/base/helmrepository.yaml <<'EOF'
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ingress-nginx, namespace: flux-system}
spec: {interval: 1h, url: "https://kubernetes.github.io/ingress-nginx"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ingress-nginx, namespace: ingress}
spec:
  interval: 1h
  chart:
    spec:
      chart: ingress-nginx
      version: "4.10.1"
      sourceRef: {kind: HelmRepository, name: ingress-nginx, namespace: flux-system}
EOF
  w gitops/apps/base/kustomization.yaml <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [namespace.yaml, web]
EOF
  w gitops/apps/base/namespace.yaml <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: web
  labels: {team: web, owner: web-team, environment: all, region: uaenorth}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: web}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
EOF
  w gitops/apps/base/web/deployment.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
  labels: {team: web, owner: web-team, environment: all, region: uaenorth}
spec:
  template:
    spec:
      containers:
        - name: web
          image: acrplatform.azurecr.io/web:1.4.2
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
EOF
  w infra/modules/aks/main.tf <<'EOF'
variable "name" { type = string }

module "network" {
  source = "../network"
}
EOF
  w infra/modules/network/main.tf <<'EOF'
resource "terraform_data" "vnet" {
  input = "vnet"
}
EOF
  w infra/modules/unused/main.tf <<'EOF'
resource "terraform_data" "x" {
  input = "x"
}
EOF
  w .gitlab-ci.yml <<'EOF'
stages: [validate, plan]
include:
  - local: pipelines/validate.yml
plan:
  stage: plan
  needs: [validate]
  extends: .tf
  script: [echo plan]
EOF
  w pipelines/validate.yml <<'EOF'
.tf:
  variables: {TF_IN_AUTOMATION: "1"}
validate:
  stage: validate
  script: [platci-validate]
EOF
  git add -A && git commit -qm base
}
