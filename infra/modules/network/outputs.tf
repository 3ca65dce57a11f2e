output "hub_vnet_id" {
  description = "ID of the hub VNet."
  value       = azurerm_virtual_network.hub.id
}

output "spoke_vnet_id" {
  description = "ID of the spoke VNet."
  value       = azurerm_virtual_network.spoke.id
}

output "subnet_ids" {
  description = "Subnet IDs by role: aks_system, aks_user, ingress, private_endpoints, runners."
  value = merge(
    { for k, s in azurerm_subnet.spoke : k => s.id },
    { runners = azurerm_subnet.runners.id },
  )
}

output "route_table_id" {
  description = "Route table of the spoke subnets (the AKS identity needs Network Contributor on it)."
  value       = azurerm_route_table.spoke.id
}

output "firewall_private_ip" {
  description = "Private IP of Azure Firewall (next hop of 0.0.0.0/0)."
  value       = azurerm_firewall.this.ip_configuration[0].private_ip_address
}

output "egress_public_ip" {
  description = "Public IP all cluster egress leaves from (allow-list it at partners)."
  value       = azurerm_public_ip.firewall_egress.ip_address
}

output "ingress_public_ip" {
  description = "Public IP of the public ingress (DNAT on the firewall)."
  value       = azurerm_public_ip.firewall_ingress.ip_address
}
