# The platform registry (acrplatform.azurecr.io): the only registry raw
# manifests in gitops/ may pull from. Private only; each environment reaches
# it through its own private endpoint and grants AcrPull to its kubelets.

resource "azurerm_container_registry" "this" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
  network_rule_bypass_option    = "AzureServices"
  zone_redundancy_enabled       = true
  anonymous_pull_enabled        = false
  data_endpoint_enabled         = true

  retention_policy {
    enabled = true
    days    = var.retention_days
  }

  trust_policy {
    enabled = true
  }

  tags = var.tags
}
