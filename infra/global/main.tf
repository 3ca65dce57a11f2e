# Resources shared by every environment: the Terraform state account and
# the platform container registry (acrplatform.azurecr.io).

resource "azurerm_resource_group" "global" {
  name     = "rg-platform-global-uaenorth"
  location = var.location
  tags     = var.tags
}

module "state_backend" {
  source = "../modules/state-backend"

  storage_account_name       = "stplatformtfstateuaen"
  location                   = var.location
  resource_group_name        = azurerm_resource_group.global.name
  state_writer_principal_ids = var.state_writer_principal_ids
  tags                       = var.tags
}

module "acr" {
  source = "../modules/acr"

  name                = "acrplatform"
  location            = var.location
  resource_group_name = azurerm_resource_group.global.name
  tags                = var.tags
}
