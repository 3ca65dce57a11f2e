#!/bin/sh
# Writes ./kubeconfig for the stg-uaenorth cluster (Entra ID login through kubelogin).
# Usage: ./kubeconfig.sh [azurecli|workloadidentity|devicecode]
exec "$(dirname "$0")/../../scripts/kubeconfig.sh" stg-uaenorth "$@"
