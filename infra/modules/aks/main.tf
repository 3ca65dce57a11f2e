# AKS with Entra ID + Azure RBAC, workload identity (OIDC issuer), egress
# through the hub firewall (userDefinedRouting), Defender for Containers,
# and node pools for system, CPU, NVIDIA H100 (MIG), AMD GPU and spot
# workloads. GPU taints and labels here must match gitops/ manifests:
#   nvidia.com/gpu=present:NoSchedule, platform.io/gpu=nvidia-h100,
#   nvidia.com/mig.config=all-1g.10gb
#   amd.com/gpu=present:NoSchedule,    platform.io/gpu=amd-mi300x

resource "azurerm_user_assigned_identity" "cluster" {
  name                = "id-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_role_assignment" "cluster_network_vnet" {
  scope                = var.spoke_vnet_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

resource "azurerm_role_assignment" "cluster_network_routes" {
  scope                = var.route_table_id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

resource "azurerm_kubernetes_cluster" "this" {
  name                      = var.name
  location                  = var.location
  resource_group_name       = var.resource_group_name
  dns_prefix                = var.name
  kubernetes_version        = var.kubernetes_version
  sku_tier                  = var.sku_tier
  automatic_channel_upgrade = "patch"
  node_os_channel_upgrade   = "NodeImage"
  private_cluster_enabled   = var.private_cluster_enabled
  local_account_disabled    = true
  azure_policy_enabled      = true

  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  azure_active_directory_role_based_access_control {
    managed                = true
    azure_rbac_enabled     = true
    tenant_id              = var.tenant_id
    admin_group_object_ids = var.admin_group_object_ids
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cluster.id]
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_pool.vm_size
    vnet_subnet_id               = var.system_subnet_id
    zones                        = var.system_pool.zones
    enable_auto_scaling          = true
    min_count                    = var.system_pool.min_count
    max_count                    = var.system_pool.max_count
    only_critical_addons_enabled = true
    os_disk_type                 = "Ephemeral"
    os_disk_size_gb              = 128
    max_pods                     = 50
    temporary_name_for_rotation  = "systemtmp"
    node_labels = {
      "platform.io/pool" = "system"
    }
    tags = var.tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "calico"
    outbound_type       = "userDefinedRouting"
    load_balancer_sku   = "standard"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "172.16.0.0/16"
    dns_service_ip      = "172.16.0.10"
  }

  auto_scaler_profile {
    balance_similar_node_groups      = true
    expander                         = var.auto_scaler_profile.expander
    scale_down_delay_after_add       = var.auto_scaler_profile.scale_down_delay_after_add
    scale_down_unneeded              = var.auto_scaler_profile.scale_down_unneeded
    scale_down_utilization_threshold = var.auto_scaler_profile.scale_down_utilization_threshold
    max_graceful_termination_sec     = var.auto_scaler_profile.max_graceful_termination_sec
    skip_nodes_with_local_storage    = var.auto_scaler_profile.skip_nodes_with_local_storage
  }

  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    day_of_week = var.maintenance_window.day_of_week
    start_time  = var.maintenance_window.start_time
    duration    = var.maintenance_window.duration
    utc_offset  = "+00:00"
  }

  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = var.log_analytics_workspace_id
  }

  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "5m"
  }

  tags = var.tags

  lifecycle {
    # The scheduled-scaling runbook changes min/max counts out of hours.
    ignore_changes = [default_node_pool[0].node_count]
  }

  depends_on = [
    azurerm_role_assignment.cluster_network_vnet,
    azurerm_role_assignment.cluster_network_routes,
  ]
}

locals {
  spot_taint = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  for_each = var.user_node_pools

  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = each.value.vm_size
  vnet_subnet_id        = var.user_subnet_id
  zones                 = each.value.zones
  enable_auto_scaling   = true
  min_count             = each.value.min_count
  max_count             = each.value.max_count
  os_disk_size_gb       = each.value.os_disk_size_gb
  max_pods              = each.value.max_pods

  priority        = each.value.priority
  eviction_policy = each.value.priority == "Spot" ? "Delete" : null
  spot_max_price  = each.value.priority == "Spot" ? -1 : null

  node_labels = merge(
    { "platform.io/pool" = each.key },
    each.value.node_labels,
  )
  node_taints = each.value.priority == "Spot" ? distinct(concat(each.value.node_taints, [local.spot_taint])) : each.value.node_taints

  tags = merge(var.tags, each.value.extra_tags)

  dynamic "upgrade_settings" {
    for_each = each.value.priority == "Spot" ? [] : [1]
    content {
      max_surge = "1"
    }
  }

  lifecycle {
    ignore_changes = [node_count]
  }
}
