# Private DNS zones for the private endpoints, linked to the hub and spoke
# VNets so AKS nodes and CI runners resolve the private addresses.

resource "azurerm_private_dns_zone" "this" {
  for_each = var.zones

  name                = each.value
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

locals {
  links = merge([
    for zone_key, zone in var.zones : {
      for vnet_key, vnet_id in var.virtual_network_ids :
      "${zone_key}-${vnet_key}" => { zone_key = zone_key, vnet_key = vnet_key, vnet_id = vnet_id }
    }
  ]...)
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each = local.links

  name                  = "link-${each.value.vnet_key}"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.this[each.value.zone_key].name
  virtual_network_id    = each.value.vnet_id
  registration_enabled  = false
  tags                  = var.tags
}
