# Who may do what in one environment:
#   developers     - read (or write in dev) Kubernetes objects, get credentials
#   platform team  - cluster admin through Azure RBAC, Key Vault admin, RG contributor
#   automation bots- read Kubernetes objects (drift, Flux status), get credentials
#   workloads      - user-assigned identities federated with service accounts
#                    (External Secrets, Loki, MLflow), scoped to one resource.

locals {
  scopes = {
    keyvault      = var.key_vault_id
    datalake      = var.datalake_id
    cluster       = var.aks_cluster_id
    resourcegroup = var.resource_group_id
  }

  human_assignments = {
    "developers-cluster-user" = { principal = var.developers_group_object_id, role = "Azure Kubernetes Service Cluster User Role", scope = var.aks_cluster_id }
    "developers-cluster-role" = { principal = var.developers_group_object_id, role = var.developer_cluster_role, scope = var.aks_cluster_id }
    "developers-rg-reader"    = { principal = var.developers_group_object_id, role = "Reader", scope = var.resource_group_id }
    "platform-cluster-user"   = { principal = var.platform_team_group_object_id, role = "Azure Kubernetes Service Cluster User Role", scope = var.aks_cluster_id }
    "platform-cluster-admin"  = { principal = var.platform_team_group_object_id, role = "Azure Kubernetes Service RBAC Cluster Admin", scope = var.aks_cluster_id }
    "platform-keyvault-admin" = { principal = var.platform_team_group_object_id, role = "Key Vault Administrator", scope = var.key_vault_id }
    "platform-rg-contributor" = { principal = var.platform_team_group_object_id, role = "Contributor", scope = var.resource_group_id }
    "platform-datalake-owner" = { principal = var.platform_team_group_object_id, role = "Storage Blob Data Owner", scope = var.datalake_id }
  }

  bot_assignments = merge([
    for bot, principal in var.automation_bot_principal_ids : {
      "${bot}-cluster-user"   = { principal = principal, role = "Azure Kubernetes Service Cluster User Role", scope = var.aks_cluster_id }
      "${bot}-cluster-reader" = { principal = principal, role = "Azure Kubernetes Service RBAC Reader", scope = var.aks_cluster_id }
    }
  ]...)

  workload_assignments = merge([
    for wi_name, wi in var.workload_identities : {
      for r in wi.roles : "${wi_name}-${r.scope}-${replace(lower(r.role), " ", "-")}" => {
        identity = wi_name
        role     = r.role
        scope    = local.scopes[r.scope]
      }
    }
  ]...)
}

resource "azurerm_role_assignment" "humans" {
  for_each = local.human_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = each.value.principal
  principal_type       = "Group"
}

resource "azurerm_role_assignment" "bots" {
  for_each = local.bot_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = each.value.principal
  principal_type       = "ServicePrincipal"
}

resource "azurerm_user_assigned_identity" "workload" {
  for_each = var.workload_identities

  name                = "id-${each.key}-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "workload" {
  for_each = var.workload_identities

  name                = "${each.value.namespace}-${each.value.service_account}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.workload[each.key].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.oidc_issuer_url
  subject             = "system:serviceaccount:${each.value.namespace}:${each.value.service_account}"
}

resource "azurerm_role_assignment" "workload" {
  for_each = local.workload_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.workload[each.value.identity].principal_id
  principal_type       = "ServicePrincipal"
}
