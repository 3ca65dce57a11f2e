# dev-uaenorth: the values that differ from the other environments; the
# composition itself is infra/modules/platform. IDs below are
# placeholders; replace them with your tenant's group and principal IDs.

locals {
  tenant_id = "00000000-0000-0000-0000-000000000000"
}

module "platform" {
  source = "../../modules/platform"

  environment  = "dev-uaenorth"
  location     = "uaenorth"
  region       = "uaenorth"
  region_short = "uaen"

  team        = "platform"
  owner       = "platform-team"
  cost_center = "cc-1042-ai-platform"

  tenant_id          = local.tenant_id
  kubernetes_version = "1.30"
  aks_sku_tier       = "Free"
  firewall_sku_tier  = "Standard"
  log_retention_days = 30

  hub_address_space   = ["10.100.0.0/22"]
  spoke_address_space = ["10.101.0.0/16"]
  subnets = {
    firewall          = "10.100.0.0/26"
    runners           = "10.100.1.0/24"
    aks_system        = "10.101.0.0/24"
    ingress           = "10.101.1.0/24"
    private_endpoints = "10.101.2.0/24"
    aks_user          = "10.101.16.0/20"
  }

  admin_group_object_ids        = ["00000000-0000-0000-0000-0000000000a1"]
  developers_group_object_id    = "00000000-0000-0000-0000-0000000000d1"
  developer_cluster_role        = "Azure Kubernetes Service RBAC Writer"
  platform_team_group_object_id = "00000000-0000-0000-0000-0000000000c1"
  automation_bot_principal_ids = {
    gitlab-ci = "00000000-0000-0000-0000-0000000000b1"
    flux      = "00000000-0000-0000-0000-0000000000b2"
  }

  system_pool = { vm_size = "Standard_D4ds_v5", min_count = 1, max_count = 3 }
  cpu_pool    = { vm_size = "Standard_D8ds_v5", min_count = 1, max_count = 5 }

  # NVIDIA H100 NVL, split into seven 1g.10gb MIG slices by the GPU operator.
  h100_pool = {
    vm_size    = "Standard_NC40ads_H100_v5"
    min_count  = 0
    max_count  = 1
    zones      = ["1"]
    mig_config = "all-1g.10gb"
  }

  amd_pool = {
    vm_size   = "Standard_ND96isr_MI300X_v5"
    min_count = 0
    max_count = 1
    zones     = ["1"]
  }

  spot_pool = { vm_size = "Standard_D8as_v5", min_count = 0, max_count = 5 }

  scheduled_scaling_enabled      = true
  enable_defender_for_containers = false
}
