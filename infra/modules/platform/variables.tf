variable "environment" {
  description = "Environment name as in platci.yaml, e.g. dev-uaenorth."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "region" {
  description = "Region tag value (matches the region label in gitops/)."
  type        = string
}

variable "region_short" {
  description = "Short region code used in globally unique names (e.g. uaen)."
  type        = string
}

variable "team" {
  description = "Owning team (tag)."
  type        = string
}

variable "owner" {
  description = "Owning contact (tag)."
  type        = string
}

variable "cost_center" {
  description = "Cost center (tag)."
  type        = string
}

variable "tenant_id" {
  description = "Microsoft Entra tenant ID."
  type        = string
}

variable "kubernetes_version" {
  description = "AKS Kubernetes minor version."
  type        = string
}

variable "aks_sku_tier" {
  description = "AKS control plane tier."
  type        = string
}

variable "hub_address_space" {
  description = "Hub VNet address space."
  type        = list(string)
}

variable "spoke_address_space" {
  description = "Spoke VNet address space."
  type        = list(string)
}

variable "subnets" {
  description = "Subnet CIDRs (see infra/modules/network)."
  type = object({
    firewall          = string
    runners           = string
    aks_system        = string
    aks_user          = string
    ingress           = string
    private_endpoints = string
  })
}

variable "firewall_sku_tier" {
  description = "Azure Firewall tier."
  type        = string
  default     = "Standard"
}

variable "allowed_egress_fqdns" {
  description = "FQDNs the clusters may reach (Helm repositories, public registries Flux pulls charts from). The same for every environment unless a root says otherwise."
  type        = list(string)
  default = [
    "charts.jetstack.io",
    "charts.external-secrets.io",
    "kyverno.github.io",
    "prometheus-community.github.io",
    "grafana.github.io",
    "charts.deliveryhero.io",
    "helm.ngc.nvidia.com",
    "nvcr.io",
    "rocm.github.io",
    "kubernetes.github.io",
    "flagger.app",
    "opencost.github.io",
    "ghcr.io",
    "pkg-containers.githubusercontent.com",
    "community-charts.github.io",
    "qdrant.github.io",
    "argoproj.github.io",
    "gitlab.example.com",
  ]
}

variable "acr_name" {
  description = "The shared platform registry (infra/global)."
  type        = string
  default     = "acrplatform"
}

variable "acr_resource_group_name" {
  description = "Resource group of the shared platform registry."
  type        = string
  default     = "rg-platform-global-uaenorth"
}

variable "admin_group_object_ids" {
  description = "Break-glass cluster-admin groups."
  type        = list(string)
}

variable "developers_group_object_id" {
  description = "Entra group of developers."
  type        = string
}

variable "developer_cluster_role" {
  description = "Kubernetes role of developers in this environment."
  type        = string
  default     = "Azure Kubernetes Service RBAC Reader"
}

variable "platform_team_group_object_id" {
  description = "Entra group of the platform team."
  type        = string
}

variable "automation_bot_principal_ids" {
  description = "Automation bots (CI identities) by name."
  type        = map(string)
}

variable "system_pool" {
  description = "System node pool."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
}

variable "cpu_pool" {
  description = "General-purpose CPU pool."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
}

variable "h100_pool" {
  description = "NVIDIA H100 pool; mig_config is the nvidia.com/mig.config label the GPU operator's MIG manager applies."
  type = object({
    vm_size    = string
    min_count  = number
    max_count  = number
    zones      = list(string)
    mig_config = string
  })

  validation {
    condition     = contains(["all-disabled", "all-1g.10gb", "all-2g.20gb", "all-3g.40gb", "all-balanced"], var.h100_pool.mig_config)
    error_message = "mig_config must be a profile from the GPU operator's default mig-parted config."
  }
}

variable "amd_pool" {
  description = "AMD Instinct pool."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
    zones     = list(string)
  })
}

variable "spot_pool" {
  description = "Spot pool for test workloads (evictable)."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
}

variable "scheduled_scaling_enabled" {
  description = "Lower the GPU and spot pools' autoscaler bounds out of hours."
  type        = bool
}

variable "enable_defender_for_containers" {
  description = "Manage the subscription's Defender for Containers plan from this root."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Log Analytics retention."
  type        = number
  default     = 30
}
