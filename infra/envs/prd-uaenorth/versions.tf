terraform {
  required_version = "~> 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
    azuread = {
      source  = "hashicorp/azuread"
      version = "~> 2.53"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.12"
    }
  }

  # State for prd-uaenorth only: its own blob in the shared state account
  # (infra/global). The azurerm backend locks state with a blob lease; the
  # account keeps blob versions and soft-deleted blobs for 90 days
  # (docs/runbooks/disaster-recovery.md). Entra ID auth, no access keys:
  # OIDC in CI (ARM_USE_OIDC), az login locally.
  backend "azurerm" {
    resource_group_name  = "rg-platform-global-uaenorth"
    storage_account_name = "stplatformtfstateuaen"
    container_name       = "tfstate"
    key                  = "prd-uaenorth.tfstate"
    use_azuread_auth     = true
  }
}
