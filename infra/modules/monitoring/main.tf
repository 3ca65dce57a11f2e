# Log Analytics for Container Insights and Defender for Containers.

resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.retention_in_days
  tags                = var.tags
}

# Defender for Containers is priced per subscription: the AKS clusters'
# microsoft_defender blocks send their data to the workspace above.
resource "azurerm_security_center_subscription_pricing" "containers" {
  count = var.enable_defender_for_containers ? 1 : 0

  tier          = "Standard"
  resource_type = "Containers"
}
