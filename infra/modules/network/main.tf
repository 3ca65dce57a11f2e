# Hub-spoke network for one environment: the hub holds Azure Firewall (all
# egress, plus DNAT for public ingress) and the CI runners; the spoke holds
# AKS, the ingress load balancers and the private endpoints. Spoke subnets
# send 0.0.0.0/0 to the firewall.

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.hub_address_space
  tags                = var.tags
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.spoke_address_space
  tags                = var.tags
}

resource "azurerm_subnet" "firewall" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = [var.subnets.firewall]
}

resource "azurerm_subnet" "runners" {
  name                 = "snet-runners"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = [var.subnets.runners]
}

locals {
  spoke_subnets = {
    aks_system        = { name = "snet-aks-system", cidr = var.subnets.aks_system, egress_via_firewall = true }
    aks_user          = { name = "snet-aks-user", cidr = var.subnets.aks_user, egress_via_firewall = true }
    ingress           = { name = "snet-ingress", cidr = var.subnets.ingress, egress_via_firewall = true }
    private_endpoints = { name = "snet-private-endpoints", cidr = var.subnets.private_endpoints, egress_via_firewall = false }
  }
}

resource "azurerm_subnet" "spoke" {
  for_each = local.spoke_subnets

  name                 = each.value.name
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = [each.value.cidr]
}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  name                      = "peer-hub-to-spoke"
  resource_group_name       = var.resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
  allow_forwarded_traffic   = true
  allow_gateway_transit     = false
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  name                      = "peer-spoke-to-hub"
  resource_group_name       = var.resource_group_name
  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  allow_forwarded_traffic   = true
  use_remote_gateways       = false
}

# --- Network security groups ------------------------------------------------

resource "azurerm_network_security_group" "spoke" {
  for_each = local.spoke_subnets

  name                = "nsg-${each.value.name}-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_network_security_rule" "ingress_http" {
  name                        = "allow-http-from-firewall"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["80", "443"]
  source_address_prefixes     = [var.subnets.firewall, var.subnets.runners]
  destination_address_prefix  = var.subnets.ingress
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.spoke["ingress"].name
}

resource "azurerm_network_security_rule" "private_endpoints_from_vnets" {
  name                        = "allow-vnets-to-private-endpoints"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "10255"]
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = var.subnets.private_endpoints
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.spoke["private_endpoints"].name
}

resource "azurerm_network_security_rule" "private_endpoints_deny_internet" {
  name                        = "deny-internet"
  priority                    = 4000
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.spoke["private_endpoints"].name
}

resource "azurerm_subnet_network_security_group_association" "spoke" {
  for_each = local.spoke_subnets

  subnet_id                 = azurerm_subnet.spoke[each.key].id
  network_security_group_id = azurerm_network_security_group.spoke[each.key].id
}

resource "azurerm_network_security_group" "runners" {
  name                = "nsg-snet-runners-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "runners" {
  subnet_id                 = azurerm_subnet.runners.id
  network_security_group_id = azurerm_network_security_group.runners.id
}

# --- Azure Firewall -------------------------------------------------------------

resource "azurerm_public_ip" "firewall_egress" {
  name                = "pip-fw-egress-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = var.firewall_zones
  tags                = var.tags
}

resource "azurerm_public_ip" "firewall_ingress" {
  name                = "pip-fw-ingress-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = var.firewall_zones
  tags                = var.tags
}

resource "azurerm_firewall_policy" "this" {
  name                     = "afwp-${var.name}"
  location                 = var.location
  resource_group_name      = var.resource_group_name
  sku                      = var.firewall_sku_tier
  threat_intelligence_mode = "Deny"

  dns {
    proxy_enabled = true
  }

  tags = var.tags
}

resource "azurerm_firewall_policy_rule_collection_group" "aks" {
  name               = "aks-egress"
  firewall_policy_id = azurerm_firewall_policy.this.id
  priority           = 200

  nat_rule_collection {
    name     = "public-ingress"
    priority = 100
    action   = "Dnat"

    rule {
      name                = "https"
      protocols           = ["TCP"]
      source_addresses    = ["*"]
      destination_address = azurerm_public_ip.firewall_ingress.ip_address
      destination_ports   = ["443"]
      translated_address  = var.public_ingress_private_ip
      translated_port     = 443
    }

    rule {
      name                = "http"
      protocols           = ["TCP"]
      source_addresses    = ["*"]
      destination_address = azurerm_public_ip.firewall_ingress.ip_address
      destination_ports   = ["80"]
      translated_address  = var.public_ingress_private_ip
      translated_port     = 80
    }
  }

  network_rule_collection {
    name     = "aks-required"
    priority = 200
    action   = "Allow"

    rule {
      name                  = "aks-tunnel-udp"
      protocols             = ["UDP"]
      source_addresses      = var.spoke_address_space
      destination_addresses = ["AzureCloud.${var.location}"]
      destination_ports     = ["1194"]
    }

    rule {
      name                  = "aks-tunnel-tcp"
      protocols             = ["TCP"]
      source_addresses      = var.spoke_address_space
      destination_addresses = ["AzureCloud.${var.location}"]
      destination_ports     = ["9000", "443"]
    }

    rule {
      name                  = "ntp"
      protocols             = ["UDP"]
      source_addresses      = var.spoke_address_space
      destination_addresses = ["*"]
      destination_ports     = ["123"]
    }
  }

  application_rule_collection {
    name     = "aks-fqdns"
    priority = 300
    action   = "Allow"

    rule {
      name                  = "aks-fqdn-tag"
      source_addresses      = var.spoke_address_space
      destination_fqdn_tags = ["AzureKubernetesService"]

      protocols {
        type = "Https"
        port = 443
      }
    }

    rule {
      name              = "platform-egress"
      source_addresses  = concat(var.spoke_address_space, var.hub_address_space)
      destination_fqdns = var.allowed_egress_fqdns

      protocols {
        type = "Https"
        port = 443
      }
    }
  }
}

resource "azurerm_firewall" "this" {
  name                = "afw-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku_name            = "AZFW_VNet"
  sku_tier            = var.firewall_sku_tier
  firewall_policy_id  = azurerm_firewall_policy.this.id
  zones               = var.firewall_zones

  ip_configuration {
    name                 = "egress"
    subnet_id            = azurerm_subnet.firewall.id
    public_ip_address_id = azurerm_public_ip.firewall_egress.id
  }

  ip_configuration {
    name                 = "ingress"
    public_ip_address_id = azurerm_public_ip.firewall_ingress.id
  }

  tags = var.tags

  depends_on = [azurerm_firewall_policy_rule_collection_group.aks]
}

# --- User-defined routes: all spoke egress through the firewall -------------

resource "azurerm_route_table" "spoke" {
  name                          = "rt-spoke-${var.name}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  disable_bgp_route_propagation = true
  tags                          = var.tags

  route {
    name                   = "default-via-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.this.ip_configuration[0].private_ip_address
  }
}

resource "azurerm_subnet_route_table_association" "spoke" {
  for_each = { for k, v in local.spoke_subnets : k => v if v.egress_via_firewall }

  subnet_id      = azurerm_subnet.spoke[each.key].id
  route_table_id = azurerm_route_table.spoke.id
}

# The runners get a table of their own, though its route is the same: the AKS
# identity holds Network Contributor on the spoke table, and must not be able
# to reroute the CI runners' traffic.
resource "azurerm_route_table" "runners" {
  name                          = "rt-runners-${var.name}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  disable_bgp_route_propagation = true
  tags                          = var.tags

  route {
    name                   = "default-via-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.this.ip_configuration[0].private_ip_address
  }
}

resource "azurerm_subnet_route_table_association" "runners" {
  subnet_id      = azurerm_subnet.runners.id
  route_table_id = azurerm_route_table.runners.id
}
