output "resource_group_name" {
  description = "Resource group of the environment."
  value       = azurerm_resource_group.this.name
}

output "cluster_name" {
  description = "AKS cluster name."
  value       = module.aks.name
}

output "oidc_issuer_url" {
  description = "Cluster OIDC issuer."
  value       = module.aks.oidc_issuer_url
}

output "egress_public_ip" {
  description = "Public IP of all cluster egress."
  value       = module.network.egress_public_ip
}

output "ingress_public_ip" {
  description = "Public IP of the public ingress (point DNS here)."
  value       = module.network.ingress_public_ip
}

output "cluster_vars" {
  description = "Values for gitops/clusters/<env>/cluster-vars.yaml (Flux postBuild substitution)."
  value = {
    CLUSTER_NAME           = module.aks.name
    ENVIRONMENT            = var.environment
    REGION                 = var.region
    AZURE_TENANT_ID        = var.tenant_id
    KEYVAULT_URL           = module.key_vault.vault_uri
    ESO_CLIENT_ID          = module.identity_rbac.workload_identity_client_ids["eso"]
    LOKI_CLIENT_ID         = module.identity_rbac.workload_identity_client_ids["loki"]
    MLFLOW_CLIENT_ID       = module.identity_rbac.workload_identity_client_ids["mlflow"]
    DATALAKE_ACCOUNT       = module.datalake.name
    LOGS_STORAGE_ACCOUNT   = module.datalake.name
    INGRESS_INTERNAL_IP    = local.ingress_internal_ip
    INGRESS_PUBLIC_IP      = local.ingress_public_ip
    PRIVATE_ENDPOINTS_CIDR = var.subnets.private_endpoints
  }
}
