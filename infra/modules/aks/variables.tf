variable "name" {
  description = "Cluster name, e.g. aks-platform-dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version (patches are applied by the auto-upgrade channel)."
  type        = string
}

variable "sku_tier" {
  description = "AKS control plane tier: Free, Standard or Premium."
  type        = string
  default     = "Standard"
}

variable "tenant_id" {
  description = "Microsoft Entra tenant of the cluster's Azure RBAC."
  type        = string
}

variable "admin_group_object_ids" {
  description = "Entra groups with cluster-admin (break-glass; day-to-day access goes through Azure RBAC roles)."
  type        = list(string)
}

variable "private_cluster_enabled" {
  description = "Private API server (reachable from the hub runners through VNet peering)."
  type        = bool
  default     = true
}

variable "system_subnet_id" {
  description = "Subnet of the system node pool."
  type        = string
}

variable "user_subnet_id" {
  description = "Subnet of the user node pools."
  type        = string
}

variable "route_table_id" {
  description = "Route table sending egress to the firewall; the cluster identity needs Network Contributor on it."
  type        = string
}

variable "spoke_vnet_id" {
  description = "Spoke VNet; the cluster identity needs Network Contributor on it for internal load balancers."
  type        = string
}

variable "log_analytics_workspace_id" {
  description = "Workspace for Container Insights and Defender for Containers."
  type        = string
}

variable "system_pool" {
  description = "System node pool sizing."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
    zones     = list(string)
  })
}

variable "user_node_pools" {
  description = <<-EOT
    User node pools by name (max 12 lowercase characters). priority is
    Regular or Spot; spot pools get the AKS spot taint automatically added to
    node_taints so Terraform does not fight AKS over it.
  EOT
  type = map(object({
    vm_size         = string
    min_count       = number
    max_count       = number
    zones           = list(string)
    priority        = optional(string, "Regular")
    node_labels     = optional(map(string), {})
    node_taints     = optional(list(string), [])
    os_disk_size_gb = optional(number, 128)
    max_pods        = optional(number, 50)
    extra_tags      = optional(map(string), {})
  }))
}

variable "auto_scaler_profile" {
  description = "Cluster autoscaler settings."
  type = object({
    expander                         = optional(string, "least-waste")
    scale_down_delay_after_add       = optional(string, "10m")
    scale_down_unneeded              = optional(string, "10m")
    scale_down_utilization_threshold = optional(string, "0.5")
    max_graceful_termination_sec     = optional(string, "600")
    skip_nodes_with_local_storage    = optional(bool, false)
  })
  default = {}
}

variable "maintenance_window" {
  description = "Weekly window for automatic upgrades (UTC)."
  type = object({
    day_of_week = string
    start_time  = string
    duration    = number
  })
  default = {
    day_of_week = "Saturday"
    start_time  = "22:00"
    duration    = 4
  }
}

variable "tags" {
  description = "Tags for every taggable resource."
  type        = map(string)
}
