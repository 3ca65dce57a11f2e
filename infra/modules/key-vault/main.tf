# Key Vault with RBAC authorisation, purge protection and soft delete (see
# docs/runbooks/disaster-recovery.md for recovery), private access only, and a
# platform key with an automatic rotation policy.

resource "azurerm_key_vault" "this" {
  name                          = var.name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  tenant_id                     = var.tenant_id
  sku_name                      = "premium"
  enable_rbac_authorization     = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = var.soft_delete_retention_days
  public_network_access_enabled = false

  network_acls {
    default_action             = "Deny"
    bypass                     = "AzureServices"
    virtual_network_subnet_ids = var.allowed_subnet_ids
  }

  tags = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "azurerm_key_vault_key" "platform" {
  name         = "platform-cmk"
  key_vault_id = azurerm_key_vault.this.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]

  rotation_policy {
    expire_after         = var.key_rotation.expire_after
    notify_before_expiry = var.key_rotation.notify_before_expiry

    automatic {
      time_before_expiry = var.key_rotation.rotate_before_expiry
    }
  }

  tags = var.tags
}
