provider "azurerm" {
  # Data-plane calls (Data Lake filesystems) with Entra ID: the storage
  # accounts have shared keys disabled.
  storage_use_azuread = true

  features {
    key_vault {
      purge_soft_delete_on_destroy          = false
      purge_soft_deleted_keys_on_destroy    = false
      purge_soft_deleted_secrets_on_destroy = false
      recover_soft_deleted_key_vaults       = true
      recover_soft_deleted_keys             = true
      recover_soft_deleted_secrets          = true
    }

    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

provider "azuread" {
  tenant_id = local.tenant_id
}
