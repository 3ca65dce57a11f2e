#!/bin/sh
# Usage: infra/scripts/kubeconfig.sh ENV [azurecli|workloadidentity|devicecode]
# Writes infra/envs/ENV/kubeconfig for the environment's AKS cluster. The
# cluster has local accounts disabled: access goes through Entra ID and Azure
# RBAC, converted by kubelogin (azurecli for people, workloadidentity in CI).
set -eu
env_name=${1:?usage: kubeconfig.sh ENV [login]}
login=${2:-azurecli}
dir=$(cd "$(dirname "$0")/../envs/$env_name" && pwd)

rg=$(terraform -chdir="$dir" output -raw resource_group_name)
cluster=$(terraform -chdir="$dir" output -raw cluster_name)

az aks get-credentials --resource-group "$rg" --name "$cluster" \
	--file "$dir/kubeconfig" --overwrite-existing
kubelogin convert-kubeconfig --login "$login" --kubeconfig "$dir/kubeconfig"
echo "export KUBECONFIG=$dir/kubeconfig"
