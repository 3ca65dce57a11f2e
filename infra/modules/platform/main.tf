# One environment: network, AKS, data services and identities. The same
# composition serves every environment; each root in envs/<env>/main.tf
# calls it with the values that differ.

locals {
  name      = "platform-${var.environment}"
  env_short = split("-", var.environment)[0]

  # On every taggable resource (modules merge nothing else in, except
  # Azure-specific node pool tags).
  tags = {
    environment = var.environment
    region      = var.region
    team        = var.team
    owner       = var.owner
    cost_center = var.cost_center
    managed_by  = "terraform"
  }

  # Static IPs of the ingress controllers' internal load balancers; they
  # match INGRESS_INTERNAL_IP / INGRESS_PUBLIC_IP in gitops/clusters/<env>/cluster-vars.yaml.
  ingress_internal_ip = cidrhost(var.subnets.ingress, 10)
  ingress_public_ip   = cidrhost(var.subnets.ingress, 20)

  user_node_pools = {
    cpu = {
      vm_size     = var.cpu_pool.vm_size
      min_count   = var.cpu_pool.min_count
      max_count   = var.cpu_pool.max_count
      zones       = ["1", "2", "3"]
      node_labels = { "platform.io/workload" = "general" }
    }
    h100 = {
      vm_size   = var.h100_pool.vm_size
      min_count = var.h100_pool.min_count
      max_count = var.h100_pool.max_count
      zones     = var.h100_pool.zones
      node_labels = {
        "platform.io/gpu"       = "nvidia-h100"
        "nvidia.com/mig.config" = var.h100_pool.mig_config
      }
      node_taints = ["nvidia.com/gpu=present:NoSchedule"]
      # The NVIDIA GPU operator (gitops/) installs the driver and MIG manager.
      extra_tags = { SkipGPUDriverInstall = "true" }
    }
    mi300x = {
      vm_size     = var.amd_pool.vm_size
      min_count   = var.amd_pool.min_count
      max_count   = var.amd_pool.max_count
      zones       = var.amd_pool.zones
      node_labels = { "platform.io/gpu" = "amd-mi300x" }
      node_taints = ["amd.com/gpu=present:NoSchedule"]
    }
    spot = {
      vm_size     = var.spot_pool.vm_size
      min_count   = var.spot_pool.min_count
      max_count   = var.spot_pool.max_count
      zones       = ["1", "2", "3"]
      priority    = "Spot"
      node_labels = { "platform.io/workload" = "test" }
    }
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "this" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}

module "monitoring" {
  source = "../monitoring"

  name                           = local.name
  location                       = var.location
  resource_group_name            = azurerm_resource_group.this.name
  retention_in_days              = var.log_retention_days
  enable_defender_for_containers = var.enable_defender_for_containers
  tags                           = local.tags
}

module "network" {
  source = "../network"

  name                      = local.name
  location                  = var.location
  resource_group_name       = azurerm_resource_group.this.name
  hub_address_space         = var.hub_address_space
  spoke_address_space       = var.spoke_address_space
  subnets                   = var.subnets
  firewall_sku_tier         = var.firewall_sku_tier
  public_ingress_private_ip = local.ingress_public_ip
  allowed_egress_fqdns      = var.allowed_egress_fqdns
  tags                      = local.tags
}

module "private_dns" {
  source = "../private-dns"

  resource_group_name = azurerm_resource_group.this.name
  zones = {
    acr      = "privatelink.azurecr.io"
    keyvault = "privatelink.vaultcore.azure.net"
    blob     = "privatelink.blob.core.windows.net"
    dfs      = "privatelink.dfs.core.windows.net"
    mongo    = "privatelink.mongo.cosmos.azure.com"
  }
  virtual_network_ids = {
    hub   = module.network.hub_vnet_id
    spoke = module.network.spoke_vnet_id
  }
  tags = local.tags
}

module "aks" {
  source = "../aks"

  name                       = "aks-${local.name}"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.this.name
  kubernetes_version         = var.kubernetes_version
  sku_tier                   = var.aks_sku_tier
  tenant_id                  = var.tenant_id
  admin_group_object_ids     = var.admin_group_object_ids
  system_subnet_id           = module.network.subnet_ids["aks_system"]
  user_subnet_id             = module.network.subnet_ids["aks_user"]
  route_table_id             = module.network.route_table_id
  spoke_vnet_id              = module.network.spoke_vnet_id
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id
  system_pool = {
    vm_size   = var.system_pool.vm_size
    min_count = var.system_pool.min_count
    max_count = var.system_pool.max_count
    zones     = ["1", "2", "3"]
  }
  user_node_pools = local.user_node_pools
  tags            = local.tags
}

module "key_vault" {
  source = "../key-vault"

  name                = "kv-platform-${local.env_short}-${var.region_short}"
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  tenant_id           = var.tenant_id
  allowed_subnet_ids  = [module.network.subnet_ids["runners"]]
  tags                = local.tags
}

module "datalake" {
  source = "../datalake"

  name                = "dlplatform${local.env_short}${var.region_short}"
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

module "cosmosdb" {
  source = "../cosmosdb-mongo"

  name                = "cosmos-${local.name}"
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

# The shared platform registry lives in infra/global; each environment
# reaches it through its own private endpoint.
data "azurerm_container_registry" "platform" {
  name                = var.acr_name
  resource_group_name = var.acr_resource_group_name
}

locals {
  private_endpoints = {
    acr      = { resource_id = data.azurerm_container_registry.platform.id, subresource = "registry", zone = "acr" }
    keyvault = { resource_id = module.key_vault.id, subresource = "vault", zone = "keyvault" }
    dl-blob  = { resource_id = module.datalake.id, subresource = "blob", zone = "blob" }
    dl-dfs   = { resource_id = module.datalake.id, subresource = "dfs", zone = "dfs" }
    cosmos   = { resource_id = module.cosmosdb.id, subresource = "MongoDB", zone = "mongo" }
  }
}

module "private_endpoint" {
  source   = "../private-endpoint"
  for_each = local.private_endpoints

  name                 = "pe-${each.key}-${local.name}"
  location             = var.location
  resource_group_name  = azurerm_resource_group.this.name
  subnet_id            = module.network.subnet_ids["private_endpoints"]
  resource_id          = each.value.resource_id
  subresource_name     = each.value.subresource
  private_dns_zone_ids = [module.private_dns.zone_ids[each.value.zone]]
  tags                 = local.tags
}

resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                = data.azurerm_container_registry.platform.id
  role_definition_name = "AcrPull"
  principal_id         = module.aks.kubelet_object_id
  principal_type       = "ServicePrincipal"
}

module "identity_rbac" {
  source = "../identity-rbac"

  name                          = local.name
  location                      = var.location
  resource_group_name           = azurerm_resource_group.this.name
  resource_group_id             = azurerm_resource_group.this.id
  aks_cluster_id                = module.aks.id
  oidc_issuer_url               = module.aks.oidc_issuer_url
  key_vault_id                  = module.key_vault.id
  datalake_id                   = module.datalake.id
  developers_group_object_id    = var.developers_group_object_id
  developer_cluster_role        = var.developer_cluster_role
  platform_team_group_object_id = var.platform_team_group_object_id
  automation_bot_principal_ids  = var.automation_bot_principal_ids
  workload_identities = {
    eso = {
      namespace       = "external-secrets"
      service_account = "external-secrets"
      roles           = [{ role = "Key Vault Secrets User", scope = "keyvault" }]
    }
    loki = {
      namespace       = "monitoring"
      service_account = "loki"
      roles           = [{ role = "Storage Blob Data Contributor", scope = "datalake" }]
    }
    mlflow = {
      namespace       = "mlops"
      service_account = "mlflow"
      roles           = [{ role = "Storage Blob Data Contributor", scope = "datalake" }]
    }
  }
  tags = local.tags
}

module "sp_rotation" {
  source = "../sp-rotation"

  display_name = "sp-datalake-export-${var.environment}"
  owners       = [data.azurerm_client_config.current.object_id]
  key_vault_id = module.key_vault.id
  secret_name  = "datalake-export-client-secret"
  tags         = local.tags
}

module "scheduled_scaling" {
  source = "../scheduled-scaling"
  count  = var.scheduled_scaling_enabled ? 1 : 0

  name                = local.name
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  aks_cluster_id      = module.aks.id
  aks_cluster_name    = module.aks.name
  node_pools = {
    h100   = { day_min = var.h100_pool.min_count, day_max = var.h100_pool.max_count, night_min = 0, night_max = 1 }
    mi300x = { day_min = var.amd_pool.min_count, day_max = var.amd_pool.max_count, night_min = 0, night_max = 1 }
    spot   = { day_min = var.spot_pool.min_count, day_max = var.spot_pool.max_count, night_min = 0, night_max = 0 }
  }
  tags = local.tags
}
