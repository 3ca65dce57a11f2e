terraform {
  required_version = "~> 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
  }

  # Bootstrap: the first apply runs with `terraform init -backend=false`
  # (local state), then `terraform init -migrate-state` moves the state into
  # the account it just created. See docs/adding-an-environment.md.
  backend "azurerm" {
    resource_group_name  = "rg-platform-global-uaenorth"
    storage_account_name = "stplatformtfstateuaen"
    container_name       = "tfstate"
    key                  = "global-uaenorth.tfstate"
    use_azuread_auth     = true
  }
}
