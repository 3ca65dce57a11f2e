variable "name" {
  description = "Name stem, e.g. platform-dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region (of the user-assigned identities)."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group of the environment."
  type        = string
}

variable "resource_group_id" {
  description = "ID of the environment's resource group."
  type        = string
}

variable "aks_cluster_id" {
  description = "AKS cluster ID (scope of the Kubernetes RBAC roles)."
  type        = string
}

variable "oidc_issuer_url" {
  description = "The cluster's OIDC issuer (for federated credentials)."
  type        = string
}

variable "key_vault_id" {
  description = "Key Vault ID."
  type        = string
}

variable "datalake_id" {
  description = "Data Lake storage account ID."
  type        = string
}

variable "developers_group_object_id" {
  description = "Entra group of the application developers."
  type        = string
}

variable "developer_cluster_role" {
  description = "Cluster role for developers: Azure Kubernetes Service RBAC Reader (stg, prd) or RBAC Writer (dev)."
  type        = string
  default     = "Azure Kubernetes Service RBAC Reader"

  validation {
    condition = contains([
      "Azure Kubernetes Service RBAC Reader",
      "Azure Kubernetes Service RBAC Writer",
    ], var.developer_cluster_role)
    error_message = "developer_cluster_role must be the RBAC Reader or RBAC Writer role."
  }
}

variable "platform_team_group_object_id" {
  description = "Entra group of the platform team."
  type        = string
}

variable "automation_bot_principal_ids" {
  description = "Service principals of automation bots (CI, drift detection) by name."
  type        = map(string)
  default     = {}
}

variable "workload_identities" {
  description = <<-EOT
    User-assigned identities federated with Kubernetes service accounts, by
    name, with the roles they get: role => "keyvault" | "datalake" scope.
  EOT
  type = map(object({
    namespace       = string
    service_account = string
    roles = list(object({
      role  = string
      scope = string
    }))
  }))
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
